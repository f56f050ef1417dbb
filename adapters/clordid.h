// ClOrdIDs unique across runs. A venue refuses a ClOrdID it has seen, and the Context numbers
// orders 1, 2, 3... in every run, so each paper session writes its order ids behind a session
// tag made from the wall clock at its start and random bits: "<base><tag>." for generic FIX,
// "<base><tag>-" where the venue allows only [A-Za-z0-9_-], and a UUID for Coinbase.
//
// Recovery after a restart: the prefix is in the journal's meta ("clordid_prefix") and in
// summary.json's "paper" section, and when the session keeps a FileStore it is appended with
// its start time to "<store dir>/clordid_prefixes", one line per run ("<start ns> <prefix>");
// ReadClOrdIdPrefixes returns them, so the orders of an earlier run can be named again.
#ifndef TAPEDECK_ADAPTERS_CLORDID_H_
#define TAPEDECK_ADAPTERS_CLORDID_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/venue_profile.h"
#include "core/types.h"

namespace tapedeck::adapters {

class ClOrdIdScheme {
 public:
  ClOrdIdScheme() = default;
  // `prefix` as returned by MakeClOrdIdScheme (for kUuid: the 12 hex digits of the tag).
  ClOrdIdScheme(ClOrdIdStyle style, std::string prefix)
      : style_(style), prefix_(std::move(prefix)) {}

  std::string Order(OrderId id) const;
  std::string Cancel(OrderId id) const;
  std::string Modify(OrderId id, uint32_t n) const;  // n >= 1: the n-th replace of the order
  // The order id of any of the three; invalid when `text` is not this session's.
  OrderId Parse(std::string_view text) const;

  ClOrdIdStyle style() const { return style_; }
  const std::string& prefix() const { return prefix_; }

 private:
  ClOrdIdStyle style_ = ClOrdIdStyle::kDotted;
  std::string prefix_;
};

// A session tag: the wall-clock milliseconds in base 36 (8 digits until 2059) and two base-36
// digits from `random` (at least 2 bytes).
std::string NewSessionTag(int64_t wall_ns, std::string_view random);

// The scheme for `profile` with the configured `base` (may be empty; checked against the
// venue's alphabet and length) and `tag`. Errors name "clordid_prefix".
absl::StatusOr<ClOrdIdScheme> MakeClOrdIdScheme(const VenueProfile& profile, std::string_view base,
                                                std::string_view tag);

// Appends "<start_ns> <prefix>" to <dir>/clordid_prefixes; and reads them back, oldest first.
absl::Status RecordClOrdIdPrefix(const std::string& dir, int64_t start_ns,
                                 std::string_view prefix);
absl::StatusOr<std::vector<std::string>> ReadClOrdIdPrefixes(const std::string& dir);

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_CLORDID_H_
