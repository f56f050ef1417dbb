// Venue profiles: the FIX dialect of each venue tapedeck can trade with (`fix.venue_profile` in
// paper and fixsim configs). A profile is data: the FIX version and dictionaries, the Logon's
// authentication scheme and fixed fields, cancel-on-disconnect, how order types, time in force
// and symbols are written, the ClOrdID alphabet, the fields every order carries, and the venue's
// published rate limits. FixVenue (paper) writes the dialect; fixsim reads and checks it, so a
// session against fixsim in a profile exercises the same wire text the venue would receive.
//
// What each profile was checked against (documents and dates) is in docs/venues.md.
#ifndef TAPEDECK_ADAPTERS_VENUE_PROFILE_H_
#define TAPEDECK_ADAPTERS_VENUE_PROFILE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/types.h"

namespace tapedeck::adapters {

enum class VenueProfileId : uint8_t {
  kGenericFix44,
  kBinanceSpot,
  kCoinbaseExchange,
  kKraken,
  kDeribit,
  kBybit,
};

// How a Logon proves who sends it (adapters/venue_auth.h computes and checks each).
enum class LogonAuth : uint8_t {
  kPlain,                 // Username(553)/Password(554) as configured (generic FIX 4.4)
  kEd25519RawData,        // Binance: Ed25519 over 35,49,56,34,52 joined by SOH, Base64 in 96
  kHmacSha256Passphrase,  // Coinbase: HMAC-SHA256 over 52,35,34,49,56,554 joined by SOH, in 96
  kHmacSha512Nonce,       // Kraken: HMAC-SHA512(SHA256(35,34,49,56,553 + nonce)) in 554
  kSha256RawDataNonce,    // Deribit: 96 = "<ms>.<nonce>", 554 = Base64(SHA256(96 + secret))
  kRsaSha256RawData,      // Bybit: RSA-SHA256 over "GET/realtime<expires ms>", Base64 in 96
};

// How an order says "post only" (make, never take).
enum class PostOnlyStyle : uint8_t {
  kExecInst6,     // ExecInst(18) = 6, participate don't initiate
  kExecInstA,     // ExecInst(18) = A, add liquidity only
  kTimeInForceP,  // TimeInForce(59) = P
};

// How a venue spells an instrument, from the instrument's base and quote currencies.
enum class SymbolStyle : uint8_t {
  kAsIs,    // the instrument's own symbol
  kConcat,  // "BTCUSDT"
  kDash,    // "BTC-USD"
  kSlash,   // "BTC/USD"
};

// The characters a venue allows in ClOrdID (11) and the shape tapedeck writes there.
enum class ClOrdIdStyle : uint8_t {
  kDotted,  // "<prefix><id>", ".c", ".m<n>": any printable text (generic FIX)
  kDashed,  // "<prefix><id>", "-c", "-m<n>": [A-Za-z0-9_-] only (Binance, Bybit, Kraken)
  kUuid,    // a UUID carrying the session tag, the request kind and the order id (Coinbase)
};

// One published rate limit. Counts are integers; a window of zero means a concurrent cap
// (connections). Issue 34's order-rate limit takes OrderRateDefault() as its default.
enum class RateLimitSubject : uint8_t {
  kMessages,          // every message the client sends
  kOrderRequests,     // new, cancel and replace requests
  kMatchingRequests,  // requests that reach the matching engine (Deribit's credit pool)
  kLogons,
  kConnections,       // concurrent sessions
  kRateCounter,       // a per-pair counter with decay (Kraken): `count` is the threshold
};
enum class RateLimitScope : uint8_t { kSession, kApiKey, kAccount, kAccountPerPair, kIp };

struct VenueRateLimit {
  RateLimitSubject subject;
  RateLimitScope scope;
  int64_t count;       // allowed per window (or the threshold / the concurrent cap)
  Duration window;     // 0 for a concurrent cap or a decaying counter
  int64_t burst;       // bucket capacity where the venue states one; else == count
  bool disconnects;    // breaking it ends the session rather than rejecting the request
  std::string_view note;  // how the venue states it, and where
};

// A field and its fixed value.
struct FixTagValue {
  int tag;
  std::string_view value;
};

struct CancelOnDisconnectSpec {
  int tag = 0;                 // 0: the venue offers none over FIX
  std::string_view on;         // the Logon value asking for it
  std::string_view off;        // and the one declining it
  // Whether fixsim counts a Logout the client sent as a disconnect (Kraken: only an abnormal
  // disconnection triggers it; the others: any end of the session).
  bool on_logout = true;
};

struct VenueProfile {
  VenueProfileId id;
  std::string_view name;     // as written in configs: "binance_spot"
  std::string_view display;  // "Binance Spot"
  std::string_view begin_string;         // "FIX.4.4" or "FIXT.1.1"
  std::string_view default_appl_ver_id;  // DefaultApplVerID(1137) for FIXT: "9" = FIX.5.0SP2
  // Embedded dictionaries (adapters/fix_dictionary.h): the application one, and for FIXT the
  // transport one; empty transport for FIX 4.x.
  std::string_view app_dictionary;
  std::string_view transport_dictionary;
  std::string_view default_target_comp_id;  // what the venue calls itself
  std::string_view endpoint;                // the production order-entry address
  bool tls_required = false;
  LogonAuth auth = LogonAuth::kPlain;
  std::vector<FixTagValue> logon_fields;  // fixed fields of every Logon
  CancelOnDisconnectSpec cancel_on_disconnect;
  // Order entry.
  bool transact_time = true;    // TransactTime(60) on new, cancel and replace requests
  bool replace = true;          // OrderCancelReplaceRequest (35=G)
  bool status_request = true;   // OrderStatusRequest (35=H)
  bool fill_or_kill = true;     // TimeInForce(59) = 4
  bool reduce_only = true;      // ExecInst(18) = E
  PostOnlyStyle post_only = PostOnlyStyle::kExecInst6;
  std::vector<FixTagValue> order_fields;  // fields every NewOrderSingle carries
  SymbolStyle symbols = SymbolStyle::kAsIs;
  ClOrdIdStyle clordids = ClOrdIdStyle::kDotted;
  size_t clordid_max = 64;      // longest ClOrdID the venue takes
  // Market data on the order-entry session (35=V answered with W/X). The real venues but
  // Deribit serve it on a session of its own, which paper then does not subscribe on.
  bool market_data = true;
  std::vector<VenueRateLimit> rate_limits;
  // The venue's words for a refused logon (Logout Text), as fixsim answers a bad signature.
  std::string_view logon_refused_text;
  std::string_view docs;  // the documents the profile follows
};

// Every profile, generic_fix44 first.
const std::vector<VenueProfile>& VenueProfiles();
const VenueProfile& GetVenueProfile(VenueProfileId id);
// The profile named `name`; NotFound listing the names otherwise.
absl::StatusOr<const VenueProfile*> FindVenueProfile(std::string_view name);
std::vector<std::string> VenueProfileNames();

// The default order-rate limit a pre-trade risk layer should apply for the venue: the tightest
// published order or message rate with a window (count per window); nullopt when the venue
// publishes none with a fixed window (Kraken's decaying counter, Bybit's per-account pool).
struct OrderRate {
  int64_t count;
  Duration window;
};
std::optional<OrderRate> OrderRateDefault(const VenueProfile& profile);

// The venue's symbol for `in`: `overrides` (instrument symbol -> venue symbol) first, then the
// profile's style. kAsIs and instruments without base/quote keep their own symbol.
std::string VenueSymbol(const VenueProfile& profile, const Instrument& in,
                        const std::map<std::string, std::string>& overrides);
// `instruments` with every symbol replaced by the venue's, ids unchanged: the table both ends
// of a session encode and decode wire messages with.
absl::StatusOr<InstrumentTable> WireInstruments(const VenueProfile& profile,
                                                const InstrumentTable& instruments,
                                                const std::map<std::string, std::string>& overrides);

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_VENUE_PROFILE_H_
