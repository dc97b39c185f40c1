// The one list of leastdata's error codes: each code's wire name, the HTTP status the endpoint
// answers it with, and who raises it. Everything else takes the codes from here: the core's
// `ErrorCode` and `error_code_name` (error.hpp), every error the endpoint writes (HTTP replies,
// the connection layer's refusals, the operator commands' stderr), and, checked by
// tests/js/error-codes.test.js, js/index.d.ts's `LeastDataErrorCode`, the error enum of
// docs/openapi.yaml and the messages of the apps. A new code is one line here.
//
// LEASTDATA_ERROR_CODES(X) calls X(name, http_status, raised_by) once per code:
// - http_status: what the endpoint answers the code with; 0 for codes that are never an HTTP
//   answer (the package's own, the operator commands'). A route may answer a code with another
//   status only for a reason written beside it (e.g. a declared policy the core refuses is 422
//   whatever the core's code).
// - raised_by: `core` (wasm/src), `endpoint` (server/, over HTTP), `command` (server/'s
//   operator subcommands), `package` (js/, in the browser or Node), joined with `|`.
// The format is parsed by the test above: one X(...) per line, nothing else inside the list.
#pragma once

// clang-format off
#define LEASTDATA_ERROR_CODES(X)                                   \
   /* the input or the policy (DESIGN §2.3) */                     \
   X(invalid_policy,         422, core | endpoint)                 \
   X(invalid_json,           400, core | endpoint)                 \
   X(invalid_utf8,           400, core)                            \
   X(depth_limit,            422, core)                            \
   X(size_limit,             413, core | endpoint)                 \
   X(duplicate_key,          400, core)                            \
   X(invalid_argument,         0, core | package | command)        \
   X(invalid_certificate,      0, core | package)                  \
   X(personal_data,          422, core | endpoint | package)       \
   X(request_not_allowed,      0, core | package)                  \
   X(write_not_allowed,        0, core | package)                  \
   X(internal_error,         500, core | endpoint | package | command) \
   /* requests the endpoint cannot take */                         \
   X(invalid_request,        400, endpoint)                        \
   X(confirmation_mismatch,  400, endpoint)                        \
   X(method_not_allowed,     405, endpoint)                        \
   X(request_timeout,        408, endpoint)                        \
   X(length_required,        411, endpoint)                        \
   X(payload_too_large,      413, endpoint)                        \
   X(uri_too_long,           414, endpoint)                        \
   X(unsupported_media_type, 415, endpoint)                        \
   X(invalid_stats,          422, endpoint)                        \
   X(inexact_number,         422, endpoint)                        \
   X(invalid_access,         422, endpoint)                        \
   X(too_many_entries,       422, endpoint)                        \
   X(headers_too_large,      431, endpoint)                        \
   /* who is asking, and may they */                               \
   X(unauthorized,           401, endpoint)                        \
   X(invalid_token,          401, endpoint)                        \
   X(session_required,       401, endpoint)                        \
   X(session_expired,        401, endpoint)                        \
   X(sign_in_refused,        401, endpoint | package)              \
   X(forbidden,              403, endpoint)                        \
   X(tenant_inactive,        403, endpoint)                        \
   X(quota_exceeded,         403, endpoint)                        \
   X(rate_limited,           429, endpoint)                        \
   /* what is stored */                                            \
   X(not_found,              404, endpoint | command)              \
   X(version_conflict,       409, endpoint)                        \
   X(job_stopped,            409, endpoint | package)              \
   /* the endpoint's own state */                                  \
   X(unavailable,            503, endpoint)                        \
   X(zendesk_unavailable,    503, endpoint)                        \
   X(overloaded,             503, endpoint)                        \
   X(insufficient_storage,   507, endpoint)                        \
   /* the operator commands (exit status 2 for usage, 1 otherwise) */ \
   X(usage,                    0, command)                         \
   X(conflict,                 0, command)                         \
   X(key_error,                0, command)                         \
   X(database_error,           0, command)                         \
   X(listen_failed,            0, command)                         \
   /* the package: loading, the ZAF adapter, the endpoint client */ \
   X(load_failed,              0, package)                         \
   X(disposed,                 0, package)                         \
   X(path_not_allowed,         0, package)                         \
   X(invalid_response,         0, package)                         \
   X(origin_not_allowed,       0, package)                         \
   X(popup_blocked,            0, package)                         \
   X(sign_in_cancelled,        0, package)                         \
   /* the package's multi-stage jobs (docs/jobs.md) */             \
   X(not_ids_only,             0, package)                         \
   X(invalid_job,              0, package)                         \
   X(invalid_state,            0, package)                         \
   X(job_gone,                 0, package)                         \
   X(job_taken_over,           0, package)                         \
   X(step_failed,              0, package)                         \
   X(paused,                   0, package)                         \
   X(stopped,                  0, package)
// clang-format on

namespace leastdata::raised_by {

// Bits of the `raised_by` column; the list's expressions are evaluated in this namespace.
inline constexpr unsigned core = 1;
inline constexpr unsigned endpoint = 2;
inline constexpr unsigned command = 4;
inline constexpr unsigned package = 8;

}  // namespace leastdata::raised_by
