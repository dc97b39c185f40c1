// What a copy of the app reports to the endpoint (ep.reportAccess): the counts its session
// access report gained since its previous report, in the endpoint's words
// (docs/endpoint.md, "Access transparency"). Counts and names only, never values.

const TOTALS = ['calls', 'bytes_in', 'bytes_out', 'fields_kept', 'fields_dropped'];

/** The parts of a session report (ld.accessReport()) that are reported, as the endpoint names them. */
export function reportedCounts(report) {
  return {
    ...Object.fromEntries(TOTALS.map((name) => [name, report[name] ?? 0])),
    kept_paths: { ...report.kept_paths },
    refused_requests: { ...(report.requests?.refused ?? {}) },
    zaf_read: { ...(report.zaf?.read ?? {}) },
    zaf_refused: { ...(report.zaf?.refused ?? {}) },
  };
}

export const NOTHING_REPORTED = reportedCounts({ kept_paths: {} });

/** `current` minus `previous` (both from reportedCounts); maps keep only names that grew. */
export function accessDelta(previous, current) {
  const delta = {};
  for (const name of TOTALS) delta[name] = current[name] - previous[name];
  for (const map of ['kept_paths', 'refused_requests', 'zaf_read', 'zaf_refused']) {
    delta[map] = {};
    for (const [key, value] of Object.entries(current[map])) {
      const grown = value - (previous[map][key] ?? 0);
      if (grown > 0) delta[map][key] = grown;
    }
  }
  return delta;
}

/** True when `delta` holds nothing to report. */
export function isEmptyDelta(delta) {
  return TOTALS.every((name) => delta[name] === 0)
    && ['kept_paths', 'refused_requests', 'zaf_read', 'zaf_refused'].every((map) => Object.keys(delta[map]).length === 0);
}
