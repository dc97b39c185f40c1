// Deletion on request (POST /v1/deletion): everything of the tenant, at once, with a signed certificate.
#include "http/call.hpp"

namespace leastdata::server {

using nlohmann::json;

namespace handlers {

Reply deletion(Call& call) {
   const json body = parse_body(call);
   const Tenant& t = call.who->tenant;
   if(body.size() != 1 || !body.contains("confirm") || !body["confirm"].is_string()) {
      bad_request("the body must be {\"confirm\":\"<subdomain>\"}");
   }
   if(body["confirm"].get_ref<const std::string&>() != t.subdomain) {
      throw ApiError(ErrorCode::confirmation_mismatch, "confirm must be this tenant's subdomain");
   }
   const auto record =
      call.ep.issuer.delete_tenant(t, certificate::Trigger::customer_request, call.now, [](const Tenant&) { return true; });
   call.ep.auth.forget_tenant(t.subdomain);
   if(!record) {
      not_found("tenant");
   }
   return Reply{200, record->certificate, {}};
}

}  // namespace handlers

}  // namespace leastdata::server
