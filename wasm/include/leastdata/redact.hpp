// Detection, redaction and pseudonymisation of personal data in free text (DESIGN §5).
//
// Seven hand-written scanners (no std::regex) find e-mail addresses, phone numbers, payment
// card numbers, IBANs, IP addresses, secrets in URLs and JWTs in UTF-8 text, in one
// left-to-right pass over the bytes. `find` reports where they are; `redact` removes, labels,
// masks or pseudonymises them. The exact forms each detector accepts, the hard negatives it
// leaves alone, the overlap rule and the pseudonym scheme are specified in docs/redaction.md.
#pragma once

#include <leastdata/error.hpp>
#include <leastdata/redact_detectors.hpp>
#include <leastdata/wipe.hpp>

#include <botan/secmem.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leastdata::redact {

/// The wire name of a detector (its row in redact_detectors.hpp).
std::string_view detector_name(Detector detector) noexcept;

/// The wire names of all detectors, ", "-separated, for messages.
std::string detector_names_list();

/// The detector with that wire name (exact, lowercase), if any.
std::optional<Detector> detector_from_name(std::string_view name) noexcept;

/// A set of detectors, stored as a bit mask (bit i = `Detector` value i).
class DetectorSet final {
   public:
      using Bits = std::uint32_t;

      /// The empty set.
      constexpr DetectorSet() noexcept = default;

      static constexpr DetectorSet all() noexcept { return DetectorSet(all_bits()); }

      /// Bits above the known detectors are ignored.
      static constexpr DetectorSet from_mask(Bits mask) noexcept { return DetectorSet(mask & all_bits()); }

      /// Parses "all" or a comma-separated list of detector names ("email,phone"); ASCII
      /// whitespace around names is ignored. An unknown or empty name is `invalid_argument`
      /// with the byte offset of that name in `spec`.
      static Result<DetectorSet> parse(std::string_view spec);

      constexpr DetectorSet with(Detector detector) const noexcept { return DetectorSet(m_bits | bit(detector)); }
      constexpr bool contains(Detector detector) const noexcept { return (m_bits & bit(detector)) != 0; }
      constexpr bool empty() const noexcept { return m_bits == 0; }
      constexpr Bits mask() const noexcept { return m_bits; }

      friend constexpr bool operator==(DetectorSet, DetectorSet) noexcept = default;

   private:
      static_assert(detector_count() < 8 * sizeof(Bits), "DetectorSet: widen Bits for more detectors");
      constexpr explicit DetectorSet(Bits bits) noexcept : m_bits(bits) {}
      static constexpr Bits all_bits() noexcept { return (Bits{1} << detector_count()) - 1; }
      static constexpr Bits bit(Detector detector) noexcept { return Bits{1} << static_cast<unsigned>(detector); }

      Bits m_bits = 0;
};

/// What `redact` puts in place of each finding.
enum class Action : std::uint8_t { remove, label, mask, pseudonym };

/// The wire name of an action: "remove", "label", "mask", "pseudonym".
std::string_view action_name(Action action) noexcept;

/// The action with that wire name (exact, lowercase), if any.
std::optional<Action> action_from_name(std::string_view name) noexcept;

/// One detected entity. Byte offsets index the UTF-8 input; UTF-16 offsets count the code
/// units of the same text as a JavaScript string. Both ranges are half-open.
struct Finding {
      Detector type;
      std::size_t start;
      std::size_t end;
      std::size_t start_utf16;
      std::size_t end_utf16;

      friend bool operator==(const Finding&, const Finding&) noexcept = default;
};

/// All entities of the selected kinds in `utf8`, sorted by position and non-overlapping (where
/// candidates overlap, the longest wins; see docs/redaction.md). The text is expected to be
/// valid UTF-8 (`redact` checks it, `find` does not); on malformed input the byte offsets
/// stay exact while the UTF-16 offsets are only approximate.
std::vector<Finding> find(std::string_view utf8, DetectorSet detectors);

class Pseudonymizer;

/// The HMAC key behind pseudonyms, one per tenant. It lives only in `Botan::secure_vector`
/// memory, can be set but never read back, and is wiped by `clear()` and on destruction.
/// Not copyable, so the secret is never duplicated behind the owner's back.
class PseudonymKey final {
   public:
      /// Shortest key `set` accepts, in bytes (128 bits).
      static constexpr std::size_t min_size() noexcept { return 16; }

      PseudonymKey() = default;
      PseudonymKey(const PseudonymKey&) = delete;
      PseudonymKey& operator=(const PseudonymKey&) = delete;
      PseudonymKey(PseudonymKey&&) noexcept = default;
      PseudonymKey& operator=(PseudonymKey&&) noexcept = default;
      ~PseudonymKey() = default;

      /// Replaces the key with a copy of `size` bytes at `bytes` (the old key is wiped).
      /// Fewer than `min_size()` bytes is `invalid_argument`.
      Status set(const std::uint8_t* bytes, std::size_t size);

      /// Wipes the key; `empty()` afterwards.
      void clear() noexcept;

      bool empty() const noexcept { return m_key.empty(); }

   private:
      friend class Pseudonymizer;
      Botan::secure_vector<std::uint8_t> m_key;
};

/// The redacted text (wiped when released) and what was replaced, in input offsets.
struct Redaction {
      WipedBuffer text;
      std::vector<Finding> findings;
};

/// Replaces every finding of `detectors` in `utf8` according to `action`:
/// - remove:    the entity's bytes are deleted;
/// - label:     `<EMAIL>`, `<PHONE>`, `<CREDIT_CARD>`, `<IBAN>`, `<IP>`, `<URL_SECRET>`, `<JWT>`;
/// - mask:      `j***@example.com`, `**** **** **** 1111` (last 4 kept for cards, IBANs and
///              phones), every other type all `*` but its separators (docs/redaction.md);
/// - pseudonym: `<EMAIL:1a2b3c4d>`, the first 8 hex digits of HMAC-SHA-256 under `key`.
/// Errors: `invalid_argument` for `pseudonym` without a (non-empty) key; `invalid_utf8`, with
/// the byte offset of the first malformed sequence, when the input is not valid UTF-8.
Result<Redaction> redact(std::string_view utf8,
                         DetectorSet detectors,
                         Action action,
                         const PseudonymKey* key = nullptr);

}  // namespace leastdata::redact
