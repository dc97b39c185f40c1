// Looking ahead in an element for the values of predicate keys (see predicate_lookahead.hpp).
#include "predicate_lookahead.hpp"

#include "json_string_scan.hpp"
#include "json_text.hpp"
#include "name_set.hpp"

#include <string>

namespace leastdata::detail {

void look_ahead(const std::uint8_t* open, const std::uint8_t* end, const std::vector<std::string_view>& keys,
                std::vector<PredicateValue>& found) {
   found.assign(keys.size(), PredicateValue{});
   std::size_t missing = keys.size();
   const std::uint8_t* p = open + 1;
   while(missing != 0) {
      p = json_text::skip_space(p, end);
      if(p >= end || *p != '"') {
         return;
      }
      // Strings are scanned with validation: only validated text may be decoded.
      json_text::StringSpan name_span;
      if(json_text::scan_string(p, end, name_span) != json_text::ScanStatus::ok) {
         return;
      }
      std::string decoded;
      std::string_view name(reinterpret_cast<const char*>(name_span.begin),
                            static_cast<std::size_t>(name_span.end - name_span.begin));
      if(name_span.escaped) {
         decoded = json_text::decode_string(name_span.begin, name_span.end);
         name = decoded;
      }
      p = json_text::skip_space(name_span.end + 1, end);
      if(p >= end || *p != ':') {
         return;
      }
      p = json_text::skip_space(p + 1, end);
      if(p >= end) {
         return;
      }
      PredicateValue value;
      const std::uint8_t* value_end = nullptr;
      if(*p == '"') {
         json_text::StringSpan value_span;
         if(json_text::scan_string(p, end, value_span) != json_text::ScanStatus::ok) {
            return;
         }
         value.kind = PredicateValue::Kind::string;
         value.raw = std::string_view(reinterpret_cast<const char*>(value_span.begin),
                                      static_cast<std::size_t>(value_span.end - value_span.begin));
         value.escaped = value_span.escaped;
         value_end = value_span.end + 1;
      } else if(*p == '{' || *p == '[') {
         value_end = json_text::skip_container_unchecked(p, end);
         if(value_end == nullptr) {
            return;
         }
         value.kind = PredicateValue::Kind::container;
      } else {
         value_end = p;
         while(value_end < end && !json_text::is_space(*value_end) && *value_end != ',' && *value_end != '}' &&
               *value_end != ']') {
            ++value_end;
         }
         value.kind = PredicateValue::Kind::scalar;
         value.raw = std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(value_end - p));
      }
      for(std::size_t i = 0; i != keys.size(); ++i) {
         // The first occurrence decides; a second occurrence of a predicate key is
         // a duplicate_key error that the walk reports.
         if(found[i].kind == PredicateValue::Kind::absent && same_name(keys[i], name)) {
            found[i] = value;
            --missing;
         }
      }
      p = json_text::skip_space(value_end, end);
      if(p >= end || *p != ',') {
         return;
      }
      ++p;
   }
}

bool predicate_matches(const Predicate& predicate, const std::vector<std::string_view>& keys,
                       const std::vector<PredicateValue>& found_values) {
   std::size_t index = 0;
   while(keys[index] != predicate.key) {
      ++index;
   }
   const PredicateValue& found = found_values[index];
   if(found.kind == PredicateValue::Kind::string) {
      const std::string decoded = found.escaped ? json_text::decode_string(
                                                     reinterpret_cast<const std::uint8_t*>(found.raw.data()),
                                                     reinterpret_cast<const std::uint8_t*>(found.raw.data() + found.raw.size()))
                                                : std::string();
      const std::string_view text = found.escaped ? std::string_view(decoded) : found.raw;
      for(const std::string& value : predicate.values) {
         if(value == text) {
            return true;
         }
      }
   } else if(found.kind == PredicateValue::Kind::scalar) {
      for(const std::string& value : predicate.values) {
         if(value == found.raw) {
            return true;
         }
      }
   }
   return false;
}

}  // namespace leastdata::detail
