// Declared and observed access (access.hpp): what each copy of an app declares and reports.
#include "http/call.hpp"

#include "leastdata/policy.hpp"

#include <httplib.h>

namespace leastdata::server {

using nlohmann::json;

namespace handlers {

Reply declare_policy(Call& call) {
   const std::string& app = app_param(call);
   if(call.req.body.size() > max_policy_bytes()) {
      throw ApiError(ErrorCode::payload_too_large,
                     "a policy document is limited to " + std::to_string(max_policy_bytes()) + " bytes");
   }
   parse_body(call);  // strict JSON (400 invalid_json), as every body; the core reads the text itself
   return json_reply(200, call.ep.access.declare(*call.who, app, call.req.body, call.now));
}

Reply post_observed(Call& call) {
   return json_reply(200, call.ep.access.observe(*call.who, parse_body(call), call.now));
}

}  // namespace handlers

}  // namespace leastdata::server
