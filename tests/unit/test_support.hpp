// Helpers shared by the unit tests: compile a policy, filter a text, read the result.
#pragma once

#include <leastdata/filter.hpp>
#include <leastdata/policy.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace leastdata::test {

inline Policy compile_or_fail(std::string_view policy_json) {
   auto policy = Policy::compile(policy_json);
   if(!policy) {
      FAIL_CHECK("policy did not compile: " << policy.error().to_json());
      std::abort();
   }
   return std::move(policy).value();
}

/// A policy of just `select`.
inline Policy select(std::string_view selection) {
   std::string doc = R"({"version":1,"select":)";
   doc += nlohmann::json(std::string(selection)).dump();
   doc += "}";
   return compile_or_fail(doc);
}

struct Outcome {
      bool ok = false;
      std::string output;
      Ledger ledger;
      std::string code;
      std::optional<std::size_t> offset;
};

inline Outcome run(const Policy& policy, std::string_view input) {
   Outcome outcome;
   WipedBuffer out;
   Status status =
      filter(policy, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()),
             out, &outcome.ledger);
   outcome.ok = status.ok();
   outcome.output.assign(out.begin(), out.end());
   if(!status) {
      outcome.code = std::string(status.error().code_name());
      outcome.offset = status.error().offset();
   }
   return outcome;
}

/// The filtered output, or "ERROR <code>@<offset>" so a test reads as one comparison.
inline std::string filtered(const Policy& policy, std::string_view input) {
   Outcome o = run(policy, input);
   if(o.ok) {
      return o.output;
   }
   return "ERROR " + o.code + "@" + (o.offset ? std::to_string(*o.offset) : std::string("-"));
}

inline std::string filtered(std::string_view selection, std::string_view input) {
   return filtered(select(selection), input);
}

/// The pagination envelope as the normalised selection of a `resources` policy ends.
inline std::string pagination_text() {
   return "next_page,previous_page,count,meta,links,after_url,before_url,after_cursor,before_cursor,end_of_stream,end_time";
}

}  // namespace leastdata::test
