// Replacement text of the label and mask actions and the normalisation behind pseudonyms.

#include "actions.hpp"

#include "scan.hpp"

namespace leastdata::redact::detail {

namespace {

constexpr std::size_t kept_tail = 4;

/// Cards, IBANs and phones: the last four letters/digits stay, every other letter or digit
/// becomes '*', separators, '+' and brackets stay where they are.
void mask_keeping_tail(WipedBuffer& out, std::string_view value) {
   std::size_t alnum = 0;
   for(char c : value) {
      if(is_alnum(static_cast<std::uint8_t>(c))) {
         ++alnum;
      }
   }
   const std::size_t hidden = alnum > kept_tail ? alnum - kept_tail : 0;
   std::size_t seen = 0;
   for(char c : value) {
      if(is_alnum(static_cast<std::uint8_t>(c)) && seen++ < hidden) {
         out.push_back('*');
      } else {
         out.push_back(static_cast<std::uint8_t>(c));
      }
   }
}

/// Every character but `keep` becomes '*'.
void mask_all_but(WipedBuffer& out, std::string_view value, bool (*keep)(std::uint8_t)) {
   for(char c : value) {
      const auto byte = static_cast<std::uint8_t>(c);
      out.push_back(keep(byte) ? byte : static_cast<std::uint8_t>('*'));
   }
}

}  // namespace

std::string_view label_of(Detector type) noexcept { return detector_info(type).label; }

void append_label(WipedBuffer& out, Detector type) {
   out.push_back('<');
   append(out, label_of(type));
   out.push_back('>');
}

void append_mask(WipedBuffer& out, Detector type, std::string_view value) {
   switch(detector_info(type).mask) {
      case MaskStyle::first_char_and_domain: {
         // j***@example.com: the first character of the local part, then the domain.
         const std::size_t at = value.rfind('@');
         out.push_back(static_cast<std::uint8_t>(value[0]));
         append(out, "***");
         append(out, value.substr(at));
         return;
      }
      case MaskStyle::keep_tail:
         mask_keeping_tail(out, value);
         return;
      case MaskStyle::keep_separators:
         mask_all_but(out, value, [](std::uint8_t c) { return c == '.' || c == ':' || c == '/'; });
         return;
      case MaskStyle::keep_dots:
         mask_all_but(out, value, [](std::uint8_t c) { return c == '.'; });
         return;
      case MaskStyle::hide_all:
         mask_all_but(out, value, [](std::uint8_t) { return false; });
         return;
   }
}

void append_normalised(WipedBuffer& out, Detector type, std::string_view value) {
   switch(detector_info(type).normal_form) {
      case NormalForm::lowercase:
         for(char c : value) {
            out.push_back(to_lower(static_cast<std::uint8_t>(c)));
         }
         return;
      case NormalForm::alphanumeric:
         for(char c : value) {
            const auto byte = static_cast<std::uint8_t>(c);
            if(is_alnum(byte)) {
               out.push_back(to_upper(byte));
            }
         }
         return;
      case NormalForm::exact:
         append(out, value);
         return;
   }
}

}  // namespace leastdata::redact::detail
