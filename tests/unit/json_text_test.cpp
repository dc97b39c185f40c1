// The byte-level lexer (wasm/src/json_text.hpp, json_string_scan.hpp), directly: the string
// scanner (including its eight-bytes-at-a-time path: every special byte at every position of
// the first blocks, UTF-8 sequences straddling block boundaries, every alignment), an
// exhaustive comparison of its UTF-8 validation against an independent reference, the number
// scanner, string decoding (surrogate pairs and lone surrogates) and the unchecked look-ahead
// helpers.
#include "json_string_scan.hpp"
#include "json_text.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leastdata::test {
namespace {

namespace jt = leastdata::json_text;
using jt::ScanStatus;

struct Scanned {
      ScanStatus status;
      std::ptrdiff_t end = -1;       // offset of the closing quote, when ok
      bool escaped = false;
      std::ptrdiff_t error_at = -1;  // offset of the error, when not ok
};

// Scans `text` (which starts with the opening quote) placed after `shift` bytes of padding in
// a buffer of exactly the needed size; offsets are relative to the opening quote.
Scanned scan(const std::string& text, std::size_t shift = 0) {
   std::vector<std::uint8_t> buffer(shift, 'x');
   buffer.insert(buffer.end(), text.begin(), text.end());
   const std::uint8_t* p = buffer.data() + shift;
   const std::uint8_t* end = buffer.data() + buffer.size();
   jt::StringSpan span;
   Scanned s;
   s.status = jt::scan_string(p, end, span);
   if(s.status == ScanStatus::ok) {
      CHECK(span.begin == p + 1);
      s.end = span.end - p;
      s.escaped = span.escaped;
   } else {
      s.error_at = span.error_at - p;
   }
   return s;
}

std::string q(const std::string& body) { return "\"" + body + "\""; }

std::string status_name(ScanStatus s) {
   switch(s) {
      case ScanStatus::ok: return "ok";
      case ScanStatus::unterminated: return "unterminated";
      case ScanStatus::control_character: return "control_character";
      case ScanStatus::invalid_escape: return "invalid_escape";
      case ScanStatus::invalid_utf8: return "invalid_utf8";
   }
   return "?";
}

// A reference UTF-8 check written differently from the scanner: decode, then reject
// overlong forms, surrogates and values past U+10FFFF. Returns the sequence length or 0.
std::size_t reference_utf8(const std::vector<std::uint8_t>& b) {
   if(b.empty() || b[0] < 0x80) {
      return 0;
   }
   std::size_t n = 0;
   std::uint32_t cp = 0;
   if((b[0] & 0xE0) == 0xC0) {
      n = 2;
      cp = b[0] & 0x1F;
   } else if((b[0] & 0xF0) == 0xE0) {
      n = 3;
      cp = b[0] & 0x0F;
   } else if((b[0] & 0xF8) == 0xF0) {
      n = 4;
      cp = b[0] & 0x07;
   } else {
      return 0;
   }
   if(b.size() < n) {
      return 0;
   }
   for(std::size_t i = 1; i != n; ++i) {
      if((b[i] & 0xC0) != 0x80) {
         return 0;
      }
      cp = (cp << 6) | (b[i] & 0x3F);
   }
   const std::uint32_t minimum = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
   if(cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return 0;
   }
   return n;
}

std::string decode(const std::string& raw) {
   const auto* begin = reinterpret_cast<const std::uint8_t*>(raw.data());
   return jt::decode_string(begin, begin + raw.size());
}

struct Number {
      bool ok;
      std::ptrdiff_t consumed = -1;
      std::ptrdiff_t error_at = -1;
};

Number number(const std::string& text) {
   std::vector<std::uint8_t> buffer(text.begin(), text.end());
   const std::uint8_t* start = buffer.data();
   const std::uint8_t* p = start;
   const std::uint8_t* error_at = nullptr;
   Number n;
   n.ok = jt::scan_number(p, start + buffer.size(), error_at);
   if(n.ok) {
      n.consumed = p - start;
   } else {
      CHECK(p == start);  // not moved on failure
      n.error_at = error_at - start;
   }
   return n;
}

}  // namespace

// ---- scan_string ------------------------------------------------------------------------------

TEST_CASE("json_text: scan_string on short strings", "[json_text]") {
   Scanned s = scan(q(""));
   CHECK(s.status == ScanStatus::ok);
   CHECK(s.end == 1);
   CHECK_FALSE(s.escaped);
   s = scan(q("abc"));
   CHECK(s.end == 4);
   // Scanning stops at the first unescaped quote.
   s = scan("\"a\"b\"");
   CHECK(s.status == ScanStatus::ok);
   CHECK(s.end == 2);
   s = scan(q(R"(a\"b)"));
   CHECK(s.status == ScanStatus::ok);
   CHECK(s.end == 5);
   CHECK(s.escaped);
   // Unterminated: the error is at the opening quote.
   for(const std::string text : {"\"", "\"a", "\"abcdefghijklmnop", "\"abc\\\"", "\"\\", "\"abcdefgh\\"}) {
      INFO(text);
      s = scan(text);
      CHECK(s.status == ScanStatus::unterminated);
      CHECK(s.error_at == 0);
   }
}

TEST_CASE("json_text: scan_string finds each special byte at every position of the first blocks", "[json_text]") {
   for(std::size_t shift : {0, 1, 3, 7}) {
      for(std::size_t pos = 0; pos != 40; ++pos) {  // past two 16-byte blocks
         for(std::size_t tail : {0, 1, 7, 8, 9, 20}) {
            INFO("shift " << shift << ", position " << pos << ", tail " << tail);
            const std::string before(pos, 'a');
            const std::string after(tail, 'b');
            const auto at = static_cast<std::ptrdiff_t>(1 + pos);

            // The closing quote.
            Scanned s = scan("\"" + before + "\"" + after, shift);
            CHECK(s.status == ScanStatus::ok);
            CHECK(s.end == at);
            CHECK_FALSE(s.escaped);

            // Every simple escape and a \u escape.
            for(const std::string escape : {"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\uD83D"}) {
               s = scan(q(before + escape + after), shift);
               CHECK(s.status == ScanStatus::ok);
               CHECK(s.end == at + static_cast<std::ptrdiff_t>(escape.size() + tail));
               CHECK(s.escaped);
            }

            // Every control character.
            for(int c = 0; c != 0x20; ++c) {
               s = scan(q(before + std::string(1, static_cast<char>(c)) + after), shift);
               CHECK(s.status == ScanStatus::control_character);
               CHECK(s.error_at == at);
            }
            // DEL and the highest ASCII bytes are plain characters.
            s = scan(q(before + "\x7F~ " + after), shift);
            CHECK(s.status == ScanStatus::ok);
            CHECK(s.end == at + 3 + static_cast<std::ptrdiff_t>(tail));

            // Invalid escapes: at the backslash.
            for(const std::string escape : {"\\q", "\\u12\"", "\\uXYZW", "\\x41", "\\'", "\\ "}) {
               s = scan(q(before + escape + after), shift);
               CHECK(s.status == ScanStatus::invalid_escape);
               CHECK(s.error_at == at);
            }

            // Valid UTF-8 of every length, straddling block boundaries as `pos` moves.
            for(const std::string seq : {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "\xEF\xBF\xBF"}) {
               s = scan(q(before + seq + after), shift);
               CHECK(s.status == ScanStatus::ok);
               CHECK(s.end == at + static_cast<std::ptrdiff_t>(seq.size() + tail));
               CHECK_FALSE(s.escaped);
            }
            // Invalid UTF-8: at the first byte of the sequence.
            for(const std::string seq : {"\xFF", "\x80", "\xC0\xAF", "\xC3" "a", "\xE2\x82" "a", "\xF0\x9F\x98" "a",
                                         "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
               s = scan(q(before + seq + after), shift);
               CHECK(s.status == ScanStatus::invalid_utf8);
               CHECK(s.error_at == at);
            }
            // Truncated at the end of the input.
            for(const std::string seq : {"\xC3", "\xE2\x82", "\xF0\x9F\x98"}) {
               s = scan("\"" + before + seq, shift);
               CHECK(s.status == ScanStatus::invalid_utf8);
               CHECK(s.error_at == at);
            }

            // Unterminated after `pos` plain bytes.
            s = scan("\"" + before, shift);
            CHECK(s.status == ScanStatus::unterminated);
            CHECK(s.error_at == 0);
         }
      }
   }
}

TEST_CASE("json_text: scan_string on long mixed strings", "[json_text]") {
   std::string body;
   for(int i = 0; i != 200; ++i) {
      body += "plain text \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 \\n\\u0041\\\\ ";
   }
   Scanned s = scan(q(body));
   CHECK(s.status == ScanStatus::ok);
   CHECK(s.end == static_cast<std::ptrdiff_t>(1 + body.size()));
   CHECK(s.escaped);
   // A fault far into a long string.
   s = scan(q(body + "\x01" + body));
   CHECK(s.status == ScanStatus::control_character);
   CHECK(s.error_at == static_cast<std::ptrdiff_t>(1 + body.size()));
   s = scan(q(std::string(1000, 'a') + "\xC0\x80"));
   CHECK(s.status == ScanStatus::invalid_utf8);
   CHECK(s.error_at == 1001);
}

TEST_CASE("json_text: scan_string escapes", "[json_text]") {
   struct Case {
         const char* body;
         ScanStatus status;
         std::ptrdiff_t error_at;
   };
   const Case cases[] = {
      {R"(\")", ScanStatus::ok, -1},
      {R"(\\)", ScanStatus::ok, -1},
      {R"(\/)", ScanStatus::ok, -1},
      {R"(\b\f\n\r\t)", ScanStatus::ok, -1},
      {R"(\u0000)", ScanStatus::ok, -1},
      {R"(\uFFFF)", ScanStatus::ok, -1},
      {R"(\uabcd\uABCD\uAbCd)", ScanStatus::ok, -1},
      {R"(\ud800)", ScanStatus::ok, -1},  // lone surrogates are grammar-valid
      {R"(\udc00\ud800)", ScanStatus::ok, -1},
      {R"(\ud83d\ude00)", ScanStatus::ok, -1},
      {R"(\a)", ScanStatus::invalid_escape, 1},
      {R"(\x)", ScanStatus::invalid_escape, 1},
      {R"(\U0041)", ScanStatus::invalid_escape, 1},
      {R"(\0)", ScanStatus::invalid_escape, 1},
      {R"(\')", ScanStatus::invalid_escape, 1},
      {R"(ab\u12)", ScanStatus::invalid_escape, 3},
      {R"(\uG000)", ScanStatus::invalid_escape, 1},
      {R"(\u0G00)", ScanStatus::invalid_escape, 1},
      {R"(\u00G0)", ScanStatus::invalid_escape, 1},
      {R"(\u000G)", ScanStatus::invalid_escape, 1},
      {R"(\u 000)", ScanStatus::invalid_escape, 1},
      {R"(ok\n\q)", ScanStatus::invalid_escape, 5},
   };
   for(const Case& c : cases) {
      INFO(c.body);
      const Scanned s = scan(q(c.body));
      CHECK(status_name(s.status) == status_name(c.status));
      if(c.status == ScanStatus::ok) {
         CHECK(s.escaped);
      } else {
         CHECK(s.error_at == c.error_at);
      }
   }
   // `\u` with fewer than four bytes left in the input.
   for(const std::string text : {"\"\\u", "\"\\u1", "\"\\u12", "\"\\u123"}) {
      INFO(text);
      const Scanned s = scan(text);
      CHECK(s.status == ScanStatus::invalid_escape);
      CHECK(s.error_at == 1);
   }
   // `\u1234` ending exactly at the end of the input, without a closing quote.
   const Scanned s = scan("\"\\u1234");
   CHECK(s.status == ScanStatus::unterminated);
   CHECK(s.error_at == 0);
}

TEST_CASE("json_text: scan_string UTF-8 validation equals the reference, exhaustively", "[json_text]") {
   const std::uint8_t samples[] = {0x00, 0x22, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xF4, 0xFF};
   std::size_t mismatches = 0;
   auto check_bytes = [&](const std::vector<std::uint8_t>& bytes) {
      std::string text = "\"";
      text.append(bytes.begin(), bytes.end());
      text += "\"";
      const Scanned s = scan(text);
      const std::size_t n = reference_utf8(bytes);
      const bool expect_ok = n == bytes.size();
      const bool ok = s.status == ScanStatus::ok && s.end == static_cast<std::ptrdiff_t>(1 + bytes.size());
      const bool invalid_at_lead = s.status == ScanStatus::invalid_utf8 && s.error_at == 1;
      if(expect_ok ? !ok : !invalid_at_lead) {
         if(++mismatches <= 10) {
            std::string hex;
            for(std::uint8_t b : bytes) {
               hex += Catch::Detail::stringify(static_cast<int>(b)) + " ";
            }
            FAIL_CHECK("bytes " << hex << "expected " << (expect_ok ? "ok" : "invalid_utf8 at 1") << ", got "
                                << status_name(s.status));
         }
      }
   };
   for(int b0 = 0x80; b0 != 0x100; ++b0) {
      const auto lead = static_cast<std::uint8_t>(b0);
      const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
      for(int b1 = 0; b1 != 0x100; ++b1) {
         const auto second = static_cast<std::uint8_t>(b1);
         if(length == 2) {
            check_bytes({lead, second});
            continue;
         }
         for(std::uint8_t third : samples) {
            if(length == 3) {
               check_bytes({lead, second, third});
               continue;
            }
            for(std::uint8_t fourth : samples) {
               check_bytes({lead, second, third, fourth});
            }
         }
      }
   }
   CHECK(mismatches == 0);
}

// ---- scan_number ------------------------------------------------------------------------------

TEST_CASE("json_text: scan_number accepts RFC 8259 numbers and stops after them", "[json_text]") {
   struct Case {
         const char* text;
         std::ptrdiff_t consumed;
   };
   const Case cases[] = {
      {"0", 1},       {"-0", 2},          {"1", 1},        {"-1", 2},           {"10", 2},
      {"123", 3},     {"1.5", 3},         {"-1.5", 4},     {"0.0", 3},          {"1e5", 3},
      {"1E5", 3},     {"1e+5", 4},        {"1e-5", 4},     {"1.5e10", 6},       {"0e0", 3},
      {"-0.0e-0", 7}, {"12345678901234567890", 20},        {"1.0E+2", 6},
      // It stops at the first byte that cannot continue the number.
      {"01", 1},      {"1.5x", 3},        {"1]", 1},       {"1,", 1},           {"1 ", 1},
      {"-0.0e-0}", 7}, {"1.5.2", 3},      {"1e5e", 3},     {"0x10", 1},         {"1-", 1},
   };
   for(const Case& c : cases) {
      INFO(c.text);
      const Number n = number(c.text);
      CHECK(n.ok);
      CHECK(n.consumed == c.consumed);
   }
   std::string long_number(10000, '7');
   long_number += ".25e-99999";
   const Number n = number(long_number);
   CHECK(n.ok);
   CHECK(n.consumed == static_cast<std::ptrdiff_t>(long_number.size()));
}

TEST_CASE("json_text: scan_number rejects malformed numbers at the offending byte", "[json_text]") {
   struct Case {
         const char* text;
         std::ptrdiff_t error_at;
   };
   const Case cases[] = {
      {"", 0},    {"-", 1},   {"+1", 0},  {".5", 0},  {"1.", 2},  {"1.e5", 2}, {"1e", 2},  {"1e+", 3},
      {"1E-", 3}, {"-a", 1},  {"a", 0},   {"- 1", 1}, {"1.x", 2}, {"--1", 1},  {"1e+-1", 3}, {"-.5", 1},
   };
   for(const Case& c : cases) {
      INFO(c.text);
      const Number n = number(c.text);
      CHECK_FALSE(n.ok);
      CHECK(n.error_at == c.error_at);
   }
}

// ---- decode_string ----------------------------------------------------------------------------

TEST_CASE("json_text: decode_string", "[json_text]") {
   struct Case {
         std::string raw;
         std::string decoded;
   };
   const Case cases[] = {
      {"", ""},
      {"abc", "abc"},
      {R"(\")", "\""},
      {R"(\\)", "\\"},
      {R"(\/)", "/"},
      {R"(\b\f\n\r\t)", "\b\f\n\r\t"},
      {R"(a\nb\tc)", "a\nb\tc"},
      {R"(\u0041)", "A"},
      {R"(\u0000)", std::string(1, '\0')},
      {R"(\u007f)", "\x7F"},
      {R"(\u0080)", "\xC2\x80"},
      {R"(\u00e9)", "\xC3\xA9"},
      {R"(\u00E9)", "\xC3\xA9"},
      {R"(\u07ff)", "\xDF\xBF"},
      {R"(\u0800)", "\xE0\xA0\x80"},
      {R"(\u20ac)", "\xE2\x82\xAC"},
      {R"(\uffff)", "\xEF\xBF\xBF"},
      // Surrogate pairs combine.
      {R"(\ud83d\ude00)", "\xF0\x9F\x98\x80"},
      {R"(\uD83D\uDE00)", "\xF0\x9F\x98\x80"},
      {R"(\ud800\udc00)", "\xF0\x90\x80\x80"},
      {R"(\udbff\udfff)", "\xF4\x8F\xBF\xBF"},
      {R"(x\ud83d\ude00y)", "x\xF0\x9F\x98\x80y"},
      // Lone surrogates become their 3-byte generalised UTF-8 form.
      {R"(\ud800)", "\xED\xA0\x80"},
      {R"(\udc00)", "\xED\xB0\x80"},
      {R"(\udfff)", "\xED\xBF\xBF"},
      {R"(\ud800x)", "\xED\xA0\x80x"},
      {R"(\ud800\u0041)", "\xED\xA0\x80" "A"},
      {R"(\ud800\ud800)", "\xED\xA0\x80\xED\xA0\x80"},
      {R"(\udc00\ud800)", "\xED\xB0\x80\xED\xA0\x80"},
      {R"(\ud800\ud800\udc00)", "\xED\xA0\x80\xF0\x90\x80\x80"},
      {R"(\ud800\n)", "\xED\xA0\x80\n"},
      // Raw UTF-8 passes through.
      {"\xC3\xA9\xF0\x9F\x98\x80", "\xC3\xA9\xF0\x9F\x98\x80"},
      {R"(\u0074ick\u0065t)", "ticket"},
   };
   for(const Case& c : cases) {
      INFO(c.raw);
      CHECK(decode(c.raw) == c.decoded);
   }
}

// ---- look-ahead helpers -------------------------------------------------------------------------

TEST_CASE("json_text: find_string_end and skip_container_unchecked", "[json_text]") {
   auto string_end = [](const std::string& text) -> std::ptrdiff_t {
      const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
      const std::uint8_t* found = jt::find_string_end(p, p + text.size());
      return found == nullptr ? -1 : found - p;
   };
   CHECK(string_end("abc\"rest") == 3);
   CHECK(string_end("\"") == 0);
   CHECK(string_end(R"(a\"b")") == 4);
   CHECK(string_end(R"(a\\")") == 3);
   CHECK(string_end(R"(a\\\"")") == 5);
   CHECK(string_end("abc") == -1);
   CHECK(string_end("abc\\") == -1);
   CHECK(string_end("abc\\\"") == -1);

   auto container_end = [](const std::string& text) -> std::ptrdiff_t {
      const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
      const std::uint8_t* after = jt::skip_container_unchecked(p, p + text.size());
      return after == nullptr ? -1 : after - p;
   };
   CHECK(container_end("{}") == 2);
   CHECK(container_end("[]x") == 2);
   CHECK(container_end(R"({"a":[1,2],"b":"}"}x)") == 19);
   CHECK(container_end(R"([[],[{}],"]"])") == 13);
   CHECK(container_end(R"({"a":"\"}"}, 1)") == 11);
   CHECK(container_end("[") == -1);
   CHECK(container_end(R"({"a":")") == -1);
   CHECK(container_end(R"([[[]])") == -1);
}

TEST_CASE("json_text: is_space and skip_space know exactly the four JSON whitespace bytes", "[json_text]") {
   for(int c = 0; c != 0x100; ++c) {
      const bool expected = c == ' ' || c == '\t' || c == '\n' || c == '\r';
      CHECK(jt::is_space(static_cast<std::uint8_t>(c)) == expected);
   }
   const std::string text = " \t\r\n\f";
   const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
   CHECK(jt::skip_space(p, p + text.size()) == p + 4);
   CHECK(jt::skip_space(p, p + 3) == p + 3);
   CHECK(jt::skip_space(p + 4, p + text.size()) == p + 4);
}

TEST_CASE("json_text: every scan status has a message", "[json_text]") {
   for(ScanStatus s : {ScanStatus::ok, ScanStatus::unterminated, ScanStatus::control_character,
                       ScanStatus::invalid_escape, ScanStatus::invalid_utf8}) {
      CHECK(std::string(jt::scan_message(s)).size() > 1);
   }
   CHECK(std::string(jt::scan_message(ScanStatus::invalid_utf8)) == "invalid UTF-8 in a string");
}

}  // namespace leastdata::test
