// Fuzz target: the redaction detectors and actions (redact.hpp, DESIGN §5, docs/redaction.md).
//
// Input: one byte selecting the detectors (bit i = `Detector` value i; no known bit = all),
// then the text. Each input is redacted with every action. Invariants:
// - `find` is deterministic; its findings have selected types, lie in range, are sorted and
//   do not overlap, start and end on character boundaries, and (for well-formed text) carry
//   the exact UTF-16 offsets of their bytes;
// - `redact` fails exactly on ill-formed UTF-8, with `invalid_utf8` at the first bad byte;
//   otherwise its findings are those of `find`, and the output is the input with each
//   finding replaced as the action says: removed; `<LABEL>`; `<LABEL:8 hex>`, the same for
//   the same value; masked (same characters or `*`, with at most the documented tail visible);
// - a labelled or pseudonymised value no longer occurs where it was, and nowhere new (unless
//   it is so short that a replacement happens to hold it);
// - `DetectorSet::parse` of the text fails only with `invalid_argument` inside the text.
#include "fuzz_support.hpp"

#include <leastdata/redact.hpp>

#include <algorithm>
#include <map>

namespace {

using namespace leastdata;
using redact::Action;
using redact::Detector;
using redact::DetectorSet;
using redact::Finding;
using redact::PseudonymKey;
using redact::detector_name;
using leastdata::fuzz::check;

// Where `text` stops being well-formed UTF-8, if it does.
std::optional<std::size_t> first_invalid(std::string_view text) {
   for(std::size_t i = 0; i < text.size();) {
      const std::size_t length = leastdata::fuzz::utf8_sequence_length(text, i);
      if(length == 0) {
         return i;
      }
      i += length;
   }
   return std::nullopt;
}

std::size_t utf16_units(std::string_view utf8) {
   std::size_t units = 0;
   for(const char c : utf8) {
      const auto b = static_cast<std::uint8_t>(c);
      units += (b & 0xC0) == 0x80 ? 0 : b >= 0xF0 ? 2 : 1;
   }
   return units;
}

bool is_boundary(std::string_view text, std::size_t at) {
   return at == text.size() || (static_cast<std::uint8_t>(text[at]) & 0xC0) != 0x80;
}

bool is_alnum(char c) {
   return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::size_t occurrences(std::string_view haystack, std::string_view needle) {
   std::size_t n = 0;
   for(auto at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1)) {
      ++n;
   }
   return n;
}

std::string label(Detector type) {
   std::string name(detector_name(type));
   for(char& c : name) {
      c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
   }
   return name;
}

void check_findings(std::string_view text, DetectorSet detectors, const std::vector<Finding>& findings, bool well_formed) {
   std::size_t previous_end = 0;
   std::size_t previous_end_utf16 = 0;
   for(const Finding& f : findings) {
      check(detectors.contains(f.type), "a finding has a selected type");
      check(f.start < f.end && f.end <= text.size(), "a finding is a non-empty span inside the text");
      check(f.start >= previous_end, "findings are sorted and do not overlap");
      check(f.start_utf16 <= f.end_utf16 && f.start_utf16 >= previous_end_utf16, "UTF-16 offsets are ordered");
      if(well_formed) {
         check(is_boundary(text, f.start) && is_boundary(text, f.end), "a finding starts and ends on characters");
         check(f.start_utf16 == utf16_units(text.substr(0, f.start)) &&
                  f.end_utf16 == utf16_units(text.substr(0, f.end)),
               "UTF-16 offsets count the code units before the finding");
      }
      previous_end = f.end;
      previous_end_utf16 = f.end_utf16;
   }
}

bool is_pseudonym(std::string_view replacement, Detector type) {
   const std::string prefix = "<" + label(type) + ":";
   if(replacement.size() != prefix.size() + 9 || replacement.substr(0, prefix.size()) != prefix ||
      replacement.back() != '>') {
      return false;
   }
   for(const char c : replacement.substr(prefix.size(), 8)) {
      if(!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
         return false;
      }
   }
   return true;
}

bool is_mask(std::string_view replacement, std::string_view value, Detector type) {
   if(type == Detector::email) {
      const auto at = value.rfind('@');
      return at != std::string_view::npos && replacement == std::string(1, value[0]) + "***" + std::string(value.substr(at));
   }
   if(replacement.size() != value.size()) {
      return false;
   }
   std::size_t visible = 0;
   for(std::size_t i = 0; i < value.size(); ++i) {
      if(replacement[i] != '*' && replacement[i] != value[i]) {
         return false;
      }
      visible += replacement[i] == value[i] && is_alnum(value[i]) ? 1 : 0;
   }
   const bool keeps_tail = type == Detector::phone || type == Detector::credit_card || type == Detector::iban;
   return visible <= (keeps_tail ? 4 : 0);
}

// Walks the output against the findings: unchanged text between them, one replacement each.
void check_redaction(std::string_view text, const std::vector<Finding>& findings, Action action,
                     std::string_view output) {
   std::map<std::pair<Detector, std::string>, std::string> pseudonyms;
   std::vector<std::string_view> replacements;
   std::size_t in = 0;
   std::size_t out = 0;
   for(const Finding& f : findings) {
      const std::string_view kept = text.substr(in, f.start - in);
      check(output.substr(out, kept.size()) == kept, "text between findings is unchanged");
      out += kept.size();
      const std::string_view value = text.substr(f.start, f.end - f.start);
      check(f.type != Detector::email || value.find('@') != std::string_view::npos, "an email holds an @", value);
      std::size_t length = 0;
      switch(action) {
         case Action::remove: length = 0; break;
         case Action::label: length = label(f.type).size() + 2; break;
         case Action::pseudonym: length = label(f.type).size() + 11; break;
         case Action::mask:
            length = f.type == Detector::email ? 4 + (value.size() - value.rfind('@')) : value.size();
            break;
      }
      check(out + length <= output.size(), "the output holds each replacement");
      const std::string_view replacement = output.substr(out, length);
      switch(action) {
         case Action::remove:
            break;
         case Action::label:
            check(replacement == "<" + label(f.type) + ">", "label writes <LABEL>", replacement);
            break;
         case Action::pseudonym: {
            check(is_pseudonym(replacement, f.type), "pseudonym writes <LABEL:8 hex>", replacement);
            const auto [it, inserted] = pseudonyms.emplace(std::pair{f.type, std::string(value)}, replacement);
            check(inserted || it->second == replacement, "the same value gets the same pseudonym");
            break;
         }
         case Action::mask:
            check(is_mask(replacement, value, f.type), "mask hides all but the documented characters", replacement);
            break;
      }
      replacements.push_back(replacement);
      out += length;
      in = f.end;
   }
   check(output.substr(out) == text.substr(in), "text after the last finding is unchanged");

   if(action == Action::label || action == Action::pseudonym) {
      std::map<std::string_view, std::size_t> replaced;
      for(const Finding& f : findings) {
         ++replaced[text.substr(f.start, f.end - f.start)];
      }
      for(const auto& [replaced_value, count] : replaced) {
         const std::string_view value = replaced_value;
         // A new occurrence would have to overlap a replacement: hold its '<' or '>', or lie
         // inside it (a value such as "a" may well be a digit of a pseudonym's hex).
         const bool inside_a_replacement = std::any_of(replacements.begin(), replacements.end(), [&](std::string_view r) {
            return r.find(value) != std::string_view::npos;
         });
         if(value.find_first_of("<>") == std::string_view::npos && !inside_a_replacement) {
            check(occurrences(output, value) + count <= occurrences(text, value),
                  "a redacted value no longer occurs where it was, nor anywhere new", value);
         }
      }
   }
}

const PseudonymKey& pseudonym_key() {
   static const PseudonymKey* key = [] {
      auto* k = new PseudonymKey();
      const std::uint8_t bytes[16] = {'l', 'e', 'a', 's', 't', 'd', 'a', 't', 'a', '-', 'f', 'u', 'z', 'z', '!', '!'};
      check(k->set(bytes, sizeof bytes).ok(), "a 16-byte pseudonym key is accepted");
      return k;
   }();
   return *key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
   if(size == 0) {
      return 0;
   }
   DetectorSet detectors = DetectorSet::from_mask(data[0]);
   if(detectors.empty()) {
      detectors = DetectorSet::all();
   }
   const std::string_view text = leastdata::fuzz::as_text(data + 1, size - 1);
   const auto invalid_at = first_invalid(text);

   const auto findings = redact::find(text, detectors);
   check(findings == redact::find(text, detectors), "find is deterministic");
   check_findings(text, detectors, findings, !invalid_at);

   for(const Action action : {Action::remove, Action::label, Action::mask, Action::pseudonym}) {
      const auto result = redact::redact(text, detectors, action, &pseudonym_key());
      if(invalid_at) {
         check(!result.ok(), "ill-formed UTF-8 is refused");
         leastdata::fuzz::check_error(result.error(), {ErrorCode::invalid_utf8}, text.size(), true);
         check(*result.error().offset() == *invalid_at, "invalid_utf8 points at the first ill-formed sequence");
         continue;
      }
      check(result.ok(), "well-formed UTF-8 is redacted", result.ok() ? "" : result.error().to_json());
      check(result.value().findings == findings, "redact reports the findings of find");
      const WipedBuffer& out = result.value().text;
      const std::string_view output(reinterpret_cast<const char*>(out.data()), out.size());
      check(!first_invalid(output), "the redacted text is well-formed UTF-8");
      check_redaction(text, findings, action, output);
      if(action == Action::pseudonym) {
         const auto again = redact::redact(text, detectors, action, &pseudonym_key());
         check(again.ok() && again.value().text == out, "pseudonyms are stable");
      }
   }

   const auto parsed = DetectorSet::parse(text);
   if(!parsed) {
      leastdata::fuzz::check_error(parsed.error(), {ErrorCode::invalid_argument}, text.size(), true);
   } else {
      check(!parsed.value().empty(), "a parsed detector list is not empty");
   }
   return 0;
}
