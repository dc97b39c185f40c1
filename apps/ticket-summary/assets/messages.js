// Every failure the two pages can meet, in plain words with the next step to take. The
// codes are the package's (LeastDataError), the endpoint's (docs/endpoint.md) and the HTTP
// statuses Zendesk's API and proxy answer with; a code not listed here still gets a message
// from its HTTP status, so no failure is ever shown as a bare code.

const APP_FAULT = 'This is a fault in the app, not something you did: ask your Zendesk admin to tell the app\'s developer (with the time it happened).';
const RETRY_SOON = 'Choose Retry in a minute.';
const ADMIN_SETTINGS = 'An admin can check the app\'s settings in Admin Center (Apps and integrations → Zendesk Support apps → Ticket summary).';

// [what happened, what to do next], by code.
const BY_CODE = {
  // The package, in this page.
  load_failed: ['The app\'s WebAssembly module could not be loaded.', 'Reload the page. If it keeps failing, ask your admin to reinstall the app: its files may be incomplete.'],
  internal_error: ['Something unexpected went wrong inside the app.', `Choose Retry. ${APP_FAULT}`],
  disposed: ['The app was still working on an earlier request.', 'Reload the page.'],
  invalid_policy: ['The app\'s own data policy is not valid.', APP_FAULT],
  invalid_argument: ['The app made a request leastdata does not accept.', APP_FAULT],
  path_not_allowed: ['The app asked Zendesk for a field its policy does not allow; leastdata stopped it before anything was sent.', APP_FAULT],
  request_not_allowed: ['The app tried an API request its policy does not list; leastdata stopped it before anything was sent.', APP_FAULT],
  write_not_allowed: ['The app tried to write data its policy does not allow; leastdata stopped it before anything was sent.', APP_FAULT],
  invalid_json: ['An answer was not valid JSON, so the app used none of it.', `Choose Retry. If it keeps happening, ${APP_FAULT.charAt(0).toLowerCase()}${APP_FAULT.slice(1)}`],
  invalid_utf8: ['An answer was not valid text, so the app used none of it.', 'Choose Retry.'],
  depth_limit: ['Zendesk\'s answer was nested deeper than the app accepts, so it used none of it.', APP_FAULT],
  size_limit: ['Zendesk\'s answer was larger than the app accepts, so it used none of it.', APP_FAULT],
  duplicate_key: ['Zendesk\'s answer named one field twice, so the app used none of it.', 'Choose Retry.'],
  invalid_response: ['Zendesk\'s answer came without its text, so the app could not check it and used none of it.', 'Reload the page.'],
  origin_not_allowed: ['The endpoint address in the app\'s settings is not allowed: it must start with https://.', ADMIN_SETTINGS],
  personal_data: ['leastdata refused to send something that looked like personal data to the endpoint; nothing was sent.', APP_FAULT],
  invalid_certificate: ['The deletion certificate did not verify.', 'Keep the downloaded file and send it to the endpoint\'s operator: a genuine certificate always verifies.'],
  popup_blocked: ['Your browser blocked the Zendesk sign-in window.', 'Allow pop-ups for this page, then choose Sign in with Zendesk again.'],
  sign_in_cancelled: ['The sign-in window was closed before you signed in.', 'Choose Sign in with Zendesk when you are ready.'],
  sign_in_refused: ['Zendesk did not confirm the sign-in.', 'Choose Sign in with Zendesk, then Allow on Zendesk\'s page.'],
  // The package's multi-stage jobs (docs/jobs.md).
  not_ids_only: ['The app\'s job collected more than bare IDs, so leastdata stopped it before anything was stored.', APP_FAULT],
  invalid_job: ['The job kept at the endpoint is not one this app can continue.', 'Stop it, then start a new one.'],
  invalid_state: ['The job cannot do that in the state it is in.', 'Reload the page to see where it is.'],
  job_gone: ['The job is no longer at the endpoint: it was completed elsewhere, or passed its 7 days.', 'Start a new one if work remains.'],
  job_taken_over: ['Someone resumed this job in another browser, so this one stopped working on it.', 'Follow it there, or reload the page to see its progress.'],
  step_failed: ['One item of the job failed, so the job paused.', 'Choose Resume to try it again; if it keeps failing, tell the app\'s developer which item.'],
  paused: ['The job was paused.', 'Choose Resume to go on.'],
  stopped: ['The job was stopped; the endpoint deletes its IDs 7 days after the stop.', 'Start a new one if work remains.'],
  // The endpoint (docs/endpoint.md).
  session_required: ['You are not signed in to the endpoint.', 'Choose Sign in with Zendesk.'],
  session_expired: ['Your sign-in has ended (it lasts 8 hours, and ends when Zendesk no longer confirms you).', 'Choose Sign in with Zendesk again.'],
  unauthorized: ['The endpoint did not accept this Zendesk account.', `If your admin deleted the account's data, the endpoint no longer knows it. Otherwise: ${ADMIN_SETTINGS}`],
  invalid_token: ['The endpoint did not accept this Zendesk account.', `If your admin deleted the account's data, the endpoint no longer knows it. Otherwise the shared secret may be wrong: ${ADMIN_SETTINGS}`],
  forbidden: ['This needs a Zendesk admin, and Zendesk says you are not one.', 'Ask an admin of your Zendesk account.'],
  tenant_inactive: ['The endpoint has this account marked inactive (its subscription lapsed).', 'An admin can still see what is stored and delete it; to use the app again, contact the endpoint\'s operator.'],
  rate_limited: ['Too many requests reached the endpoint for this account just now.', RETRY_SOON],
  not_found: ['The endpoint has nothing stored here.', 'Choose Retry; if it stays so, there is nothing to show.'],
  version_conflict: ['Someone else changed this at the same moment.', 'Reload the page to see their change, then make yours again.'],
  confirmation_mismatch: ['The name typed is not this account\'s subdomain.', 'Type the subdomain exactly as shown.'],
  too_many_entries: ['The endpoint\'s access record for this app is full for today.', 'Nothing to do: earlier counts are kept, and tomorrow starts a new record.'],
  quota_exceeded: ['This account reached its storage limit at the endpoint.', 'An admin can delete stored data here, or ask the endpoint\'s operator to raise the limit.'],
  unavailable: ['The endpoint\'s database is not available right now.', RETRY_SOON],
  zendesk_unavailable: ['The endpoint could not reach Zendesk to confirm who you are.', RETRY_SOON],
  insufficient_storage: ['The endpoint\'s disk is full, so it cannot store anything.', 'Tell the endpoint\'s operator, then Retry later.'],
  request_timeout: ['The request took too long to reach the endpoint.', 'Choose Retry.'],
  overloaded: ['The endpoint is busy.', RETRY_SOON],
};
// The same code from the endpoint (an error with an HTTP status) means something else there.
const FROM_ENDPOINT = {
  internal_error: ['The endpoint could not read what it stores for this account.', 'Tell the endpoint\'s operator, then Retry later.'],
};
// Codes that mean the app sent something the endpoint cannot take: a fault in the app.
for (const code of ['invalid_request', 'unsupported_media_type', 'method_not_allowed', 'payload_too_large', 'inexact_number',
  'invalid_stats', 'invalid_access', 'length_required', 'uri_too_long', 'headers_too_large', 'job_stopped']) {
  BY_CODE[code] = ['The endpoint refused a request the app made.', APP_FAULT];
}

// By HTTP status, for Zendesk's API and proxy, whose errors carry no endpoint code.
function byStatus(status, from) {
  if (status === 0) {
    return from === 'endpoint'
      ? ['The endpoint could not be reached through Zendesk: it may be down, or its address in the app\'s settings may be wrong.', `${RETRY_SOON} If it stays so, ${ADMIN_SETTINGS.charAt(0).toLowerCase()}${ADMIN_SETTINGS.slice(1)}`]
      : ['Zendesk could not be reached.', 'Check your connection, then choose Retry.'];
  }
  if (status === 401 || status === 403) {
    return from === 'endpoint'
      ? ['Zendesk refused to pass the request on to the endpoint: its address is not among the app\'s allowed hosts.', ADMIN_SETTINGS]
      : ['Zendesk did not allow this for your role.', 'Ask an admin of your Zendesk account.'];
  }
  if (status === 404) return ['Zendesk has no such record: it may have been deleted or merged.', 'Reload the ticket.'];
  if (status === 429) return ['Zendesk\'s rate limit for this account was reached.', RETRY_SOON];
  // The endpoint's own 5xx answers carry codes (above); a bare 5xx is Zendesk's proxy saying
  // it could not get an answer from the endpoint.
  if (status >= 500) {
    return from === 'endpoint'
      ? ['The endpoint did not answer through Zendesk: it may be down.', `${RETRY_SOON} If it stays so, tell the endpoint's operator.`]
      : ['Zendesk had a problem.', RETRY_SOON];
  }
  if (status >= 400) return ['The request was refused.', APP_FAULT];
  return ['Something unexpected went wrong.', 'Choose Retry.'];
}

/**
 * What `error` means for the person in front of the app.
 * @param {any} error a LeastDataError (package or endpoint), a failed ZAF request ({status}), or anything thrown
 * @param {'zendesk'|'endpoint'} [from] who answered, for errors that carry only an HTTP status
 * @returns {{ text: string, next: string, code: string }}
 */
export function explain(error, from = 'zendesk') {
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const httpCode = code && /^http_(\d{3}|0)$/.exec(code);
  const explained = (typeof error?.status === 'number' && FROM_ENDPOINT[code]) || BY_CODE[code];
  if (code && explained) {
    const [text, next] = explained;
    return { text, next, code };
  }
  const status = httpCode ? Number(httpCode[1]) : typeof error?.status === 'number' ? error.status : undefined;
  if (status !== undefined) {
    const [text, next] = byStatus(status, httpCode ? 'endpoint' : from);
    return { text, next, code: code ?? `http_${status}` };
  }
  // A TypeError and its kin are this app's own bugs, not Zendesk's answer: say so.
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) {
    return { text: 'Something went wrong inside this app.', next: `${APP_FAULT} (${error.name})`, code: code ?? 'app_error' };
  }
  // ZAF's own errors (an unknown path, a timeout) are plain Errors.
  return { text: 'Zendesk did not give the app what it asked for.', next: 'Reload the page.', code: code ?? 'zaf_error' };
}

/** Codes every page handles; tests/apps checks that each has its own message. */
export const EXPLAINED_CODES = Object.keys(BY_CODE);
