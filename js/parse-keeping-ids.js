// JSON.parse that keeps integers exact. Zendesk IDs can have 20 digits and JSON.parse
// rounds integers beyond 2^53: such integers are returned as strings holding their exact
// digits. The text is the filter's output, valid and compact, so a string token is always
// matched whole before any digit inside it.
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const LONG_DIGITS = /\d{16}/;

/** @param {string} text */
export function parseKeepingIds(text) {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  const quoted = text.replace(TOKEN, (token) =>
    token[0] !== '"' && /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token,
  );
  return JSON.parse(quoted);
}
