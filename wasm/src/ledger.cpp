// Serialisation of the access ledger (see ledger.hpp).
#include <leastdata/ledger.hpp>

#include <cstdio>

namespace leastdata {

namespace {

void append_unicode_escape(std::string& out, unsigned code_unit) {
   char buffer[8];
   std::snprintf(buffer, sizeof(buffer), "\\u%04x", code_unit);
   out += buffer;
}

// Paths are member names as decoded from the payload: valid UTF-8, except that an
// escaped lone surrogate decodes to its 3-byte generalised form (ED A0..BF xx). Those
// are written back as \uXXXX, so distinct names stay distinct paths.
void append_json_string(std::string& out, const std::string& text) {
   out.push_back('"');
   for(std::size_t i = 0; i < text.size(); ++i) {
      const auto byte = static_cast<unsigned char>(text[i]);
      if(byte == '"' || byte == '\\') {
         out.push_back('\\');
         out.push_back(static_cast<char>(byte));
      } else if(byte < 0x20) {
         append_unicode_escape(out, byte);
      } else if(byte == 0xED && i + 2 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0xA0) {
         const unsigned surrogate = 0xD000U | ((static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 6) |
                                    (static_cast<unsigned char>(text[i + 2]) & 0x3FU);
         append_unicode_escape(out, surrogate);
         i += 2;
      } else {
         out.push_back(static_cast<char>(byte));
      }
   }
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
      out += std::to_string(count);
   }
   out.push_back('}');
}

}  // namespace

std::string Ledger::to_json() const {
   std::string out = "{\"bytes_in\":" + std::to_string(bytes_in) + ",\"bytes_out\":" + std::to_string(bytes_out) +
                     ",\"fields_kept\":" + std::to_string(fields_kept) +
                     ",\"fields_dropped\":" + std::to_string(fields_dropped) + ",\"kept_paths\":";
   append_counts(out, kept_paths);
   out += ",\"dropped_paths\":";
   append_counts(out, dropped_paths);
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
