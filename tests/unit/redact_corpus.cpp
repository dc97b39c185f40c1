// A generated, labelled corpus for the redaction detectors: a deterministic generator (fixed
// seed, its own PRNG, so every platform builds the same texts) writes support-ticket-like
// sentences with known entities of every type — in varied formats (IBANs of every registry
// country, internationalised e-mail domains, UATP cards and lists of cards, CIDR blocks, ...)
// and surrounded by punctuation, CJK text and emoji — mixed with hard negatives (dates,
// times, versions, order numbers, prices, Luhn-failing card numbers, Luhn-valid numbers
// starting with 1, IBANs with a wrong checksum or structure, out-of-range quads, runs of
// colons). Every finding must match a labelled span exactly (type, start, end) to count; the
// test reports precision and recall and requires both to be at least 0.99. The entity makers
// are in redact_corpus_entities.cpp.

#include "redact_corpus_entities.hpp"

#include <leastdata/redact.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

using leastdata::redact::Detector;
using leastdata::redact::DetectorSet;
using leastdata::redact::Finding;
using namespace redact_test;

// ---- documents -----------------------------------------------------------------------

struct Label {
      Detector type;
      std::size_t start;
      std::size_t end;
};

struct Corpus {
      std::string text;
      std::vector<Label> labels;
      std::size_t negatives = 0;
};

constexpr std::array<std::string_view, 14> templates = {
   "Hello, please contact me at % about the invoice from ~.",
   "My details: %. Thanks!",
   "(%) was mentioned in ticket ~.",
   "Customer wrote \"%\" on ~.",
   "Reached at <%>, follow-up due ~.",
   "联系方式：%。日期 ~。",
   "📞 % 🙂 see ~",
   "Error log ~: value='%'",
   "- %\n- ~\n",
   "Can you check %? It failed at ~.",
   "[%] ~",
   "Noted ~; the other one is %, right?",
   "Grüße aus Köln — % — ~",
   "% ~",
};

void add_sentence(Rng& rng, Corpus& corpus) {
   const std::string_view tmpl = rng.pick(templates);
   for(char c : tmpl) {
      if(c == '~') {
         corpus.text += make_negative(rng);
         ++corpus.negatives;
         continue;
      }
      if(c != '%') {
         corpus.text.push_back(c);
         continue;
      }
      const auto type = static_cast<Detector>(rng.below(leastdata::redact::detector_count()));
      std::string entity;
      std::size_t offset = 0;
      std::size_t size = 0;
      switch(type) {
         case Detector::email:
            entity = make_email(rng);
            break;
         case Detector::phone:
            entity = make_phone(rng);
            break;
         case Detector::credit_card:
            entity = make_card(rng);
            // Sometimes a list of cards, one space apart, in mixed forms; each is a label.
            for(std::size_t more = rng.chance(10) ? rng.between(1, 2) : 0; more > 0; --more) {
               corpus.labels.push_back(Label{type, corpus.text.size(), corpus.text.size() + entity.size()});
               corpus.text += entity;
               corpus.text.push_back(' ');
               entity = make_card(rng);
            }
            break;
         case Detector::iban:
            entity = make_iban(rng);
            break;
         case Detector::ip:
            entity = make_ip(rng);
            break;
         case Detector::url_secret:
            entity = make_url_secret(rng, offset, size);
            break;
         case Detector::jwt:
            entity = make_jwt(rng);
            break;
      }
      if(size == 0) {
         size = entity.size();
      }
      const std::size_t start = corpus.text.size() + offset;
      corpus.labels.push_back(Label{type, start, start + size});
      corpus.text += entity;
   }
   corpus.text.push_back(' ');
}

Corpus generate(std::uint64_t seed, std::size_t sentences) {
   Rng rng(seed);
   Corpus corpus;
   for(std::size_t i = 0; i < sentences; ++i) {
      add_sentence(rng, corpus);
   }
   return corpus;
}

}  // namespace

TEST_CASE("redact/corpus: precision and recall on a generated labelled corpus", "[redact][corpus]") {
   const Corpus corpus = generate(0x1EA57DA7A, 20000);
   const std::vector<Finding> findings = leastdata::redact::find(corpus.text, DetectorSet::all());

   std::array<std::size_t, leastdata::redact::detector_count()> expected{};
   std::array<std::size_t, leastdata::redact::detector_count()> true_positives{};
   std::array<std::size_t, leastdata::redact::detector_count()> false_positives{};
   for(const Label& label : corpus.labels) {
      ++expected[static_cast<std::size_t>(label.type)];
   }
   // Labels and findings are both sorted by start and non-overlapping: merge them. The first
   // few mismatches each way are kept for the failure message.
   const auto excerpt = [&corpus](std::size_t start, std::size_t end) {
      return std::string(corpus.text.substr(start, end - start));
   };
   std::size_t l = 0;
   std::size_t shown = 0;
   for(const Finding& f : findings) {
      while(l < corpus.labels.size() && corpus.labels[l].end <= f.start) {
         ++l;
      }
      const bool hit = l < corpus.labels.size() && corpus.labels[l].type == f.type &&
                       corpus.labels[l].start == f.start && corpus.labels[l].end == f.end;
      ++(hit ? true_positives : false_positives)[static_cast<std::size_t>(f.type)];
      if(!hit && shown++ < 10) {
         UNSCOPED_INFO("unexpected " << leastdata::redact::detector_name(f.type) << ": " << excerpt(f.start, f.end));
      }
   }
   std::size_t f = 0;
   shown = 0;
   for(const Label& label : corpus.labels) {
      while(f < findings.size() && findings[f].end <= label.start) {
         ++f;
      }
      const bool hit = f < findings.size() && findings[f].type == label.type && findings[f].start == label.start &&
                       findings[f].end == label.end;
      if(!hit && shown++ < 10) {
         UNSCOPED_INFO("missed " << leastdata::redact::detector_name(label.type) << ": "
                                 << excerpt(label.start, label.end));
      }
   }

   std::size_t total_expected = 0;
   std::size_t total_tp = 0;
   std::size_t total_fp = 0;
   for(std::size_t t = 0; t < leastdata::redact::detector_count(); ++t) {
      total_expected += expected[t];
      total_tp += true_positives[t];
      total_fp += false_positives[t];
      const double recall = expected[t] ? static_cast<double>(true_positives[t]) / static_cast<double>(expected[t]) : 1.0;
      const std::size_t reported = true_positives[t] + false_positives[t];
      const double precision = reported ? static_cast<double>(true_positives[t]) / static_cast<double>(reported) : 1.0;
      std::printf("redact corpus %-12s entities %5zu  precision %.4f  recall %.4f\n",
                  std::string(leastdata::redact::detector_name(static_cast<Detector>(t))).c_str(), expected[t],
                  precision, recall);
   }
   const double precision = static_cast<double>(total_tp) / static_cast<double>(total_tp + total_fp);
   const double recall = static_cast<double>(total_tp) / static_cast<double>(total_expected);
   std::printf("redact corpus all          entities %5zu  hard negatives %zu  bytes %zu  precision %.4f  recall %.4f\n",
               total_expected, corpus.negatives, corpus.text.size(), precision, recall);
   WARN("precision " << precision << ", recall " << recall << " over " << total_expected << " entities and "
                     << corpus.negatives << " hard negatives");
   CHECK(precision >= 0.99);
   CHECK(recall >= 0.99);
}
