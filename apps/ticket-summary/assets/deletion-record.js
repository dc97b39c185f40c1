// The proof of a deletion, kept where every copy of the app can read it after a reload: the
// installation's hidden setting `deletion_record` (manifest.json), which holds the signed
// certificate and the key set it was verified with, as JSON text. The endpoint itself can
// no longer say anything about a deleted account (it refuses its tokens with the one 401 it
// gives every refused token), so without this record a reloaded app could not tell "your
// data was deleted" from "misconfigured". See docs/apps.md.

export const DELETION_SETTING = 'deletion_record';

/** The record in the installation's settings, or null when there is none (or it is unreadable). */
export function readDeletionRecord(settings = {}) {
  const text = settings[DELETION_SETTING];
  if (typeof text !== 'string' || text === '') return null;
  try {
    const record = JSON.parse(text);
    if (record?.certificate?.type !== 'leastdata.deletion-certificate/v1' || !Array.isArray(record?.keys?.keys)) return null;
    return record;
  } catch {
    return null;
  }
}

/** The setting's value for a certificate and the key set it was verified with. */
export const deletionRecordText = (certificate, keys) => JSON.stringify({ certificate, keys });
