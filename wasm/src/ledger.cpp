// Serialisation of the access ledger (see ledger.hpp).
#include <leastdata/ledger.hpp>

#include "ledger_text.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <string_view>

namespace leastdata {

namespace {

void append_unicode_escape(std::string& out, unsigned code_unit) {
   char buffer[8];
   std::snprintf(buffer, sizeof(buffer), "\\u%04x", code_unit);
   out += buffer;
}

// Bytes that may need more than themselves in a JSON string: '"', '\\', controls, and
// 0xED, the lead byte of an encoded surrogate.
constexpr std::array<bool, 256> may_escape = [] {
   std::array<bool, 256> table{};
   for(unsigned byte = 0; byte < 0x20; ++byte) {
      table[byte] = true;
   }
   table['"'] = table['\\'] = table[0xED] = true;
   return table;
}();

void append_json_string(std::string& out, std::string_view text) {
   out.push_back('"');
   detail::append_json_escaped(out, text);
   out.push_back('"');
}

void append_counts(std::string& out, const std::vector<std::pair<std::string, std::uint64_t>>& counts) {
   out.push_back('{');
   bool first = true;
   for(const auto& [path, count] : counts) {
      if(!first) {
         out.push_back(',');
      }
      first = false;
      append_json_string(out, path);
      out.push_back(':');
      detail::append_count(out, count);
   }
   out.push_back('}');
}

// Room for the text in one allocation, escapes aside: quotes, colon, comma, up to 20
// digits per entry, and the fixed members.
std::size_t estimated_json_size(const Ledger& ledger) {
   std::size_t size = 256;
   for(const auto* counts : {&ledger.kept_paths, &ledger.dropped_paths, &ledger.redacted}) {
      for(const auto& [path, count] : *counts) {
         size += path.size() + 24;
      }
   }
   for(const std::string& name : ledger.unmatched) {
      size += name.size() + 3;
   }
   return size + ledger.kept_paths_json.size() + ledger.dropped_paths_json.size();
}

}  // namespace

namespace detail {

void append_json_escaped(std::string& out, std::string_view text) {
   // Runs of bytes that need no escape are appended whole: byte by byte, push_back is a
   // call per byte in wasm, and ledger paths are mostly such runs.
   std::size_t run = 0;
   for(std::size_t i = 0; i < text.size(); ++i) {
      const auto byte = static_cast<unsigned char>(text[i]);
      if(!may_escape[byte]) {
         continue;
      }
      const bool lone_surrogate =
         byte == 0xED && i + 2 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0xA0;
      if(byte == 0xED && !lone_surrogate) {
         continue;
      }
      out.append(text, run, i - run);
      if(lone_surrogate) {
         const unsigned surrogate = 0xD000U | ((static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 6) |
                                    (static_cast<unsigned char>(text[i + 2]) & 0x3FU);
         append_unicode_escape(out, surrogate);
         i += 2;
      } else if(byte < 0x20) {
         append_unicode_escape(out, byte);
      } else {
         out.push_back('\\');
         out.push_back(static_cast<char>(byte));
      }
      run = i + 1;
   }
   out.append(text, run, text.size() - run);
}

void append_count(std::string& out, std::uint64_t count) {
   char digits[20];
   const auto written = std::to_chars(digits, digits + sizeof digits, count);
   out.append(digits, written.ptr);
}

}  // namespace detail

std::string Ledger::to_json() const {
   std::string out;
   out.reserve(estimated_json_size(*this));
   out += "{\"bytes_in\":" + std::to_string(bytes_in) + ",\"bytes_out\":" + std::to_string(bytes_out) +
                     ",\"fields_kept\":" + std::to_string(fields_kept) +
                     ",\"fields_dropped\":" + std::to_string(fields_dropped) + ",\"kept_paths\":";
   if(paths_as_json) {
      out += kept_paths_json;
   } else {
      append_counts(out, kept_paths);
   }
   out += ",\"dropped_paths\":";
   if(paths_as_json) {
      out += dropped_paths_json;
   } else {
      append_counts(out, dropped_paths);
   }
   out += ",\"redacted\":";
   append_counts(out, redacted);
   out += ",\"unmatched\":[";
   for(std::size_t i = 0; i < unmatched.size(); ++i) {
      if(i != 0) {
         out.push_back(',');
      }
      append_json_string(out, unmatched[i]);
   }
   out += "]}";
   return out;
}

}  // namespace leastdata
