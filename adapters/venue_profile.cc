#include "adapters/venue_profile.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/decimal.h"

namespace tapedeck::adapters {
namespace {

constexpr Duration kSecond = Duration::Seconds(1);

VenueProfile Generic() {
  VenueProfile p;
  p.id = VenueProfileId::kGenericFix44;
  p.name = "generic_fix44";
  p.display = "generic FIX 4.4 (fixsim, QuickFIX peers)";
  p.begin_string = "FIX.4.4";
  p.app_dictionary = "FIX44";
  p.default_target_comp_id = "FIXSIM";
  p.logon_refused_text = "wrong username or password";
  p.docs = "FIX 4.4 (QuickFIX's FIX44.xml); tapedeck's own conventions in adapters/fix_codec.h";
  return p;
}

VenueProfile Binance() {
  VenueProfile p;
  p.id = VenueProfileId::kBinanceSpot;
  p.name = "binance_spot";
  p.display = "Binance Spot";
  p.begin_string = "FIX.4.4";
  p.app_dictionary = "FIX44-binance_spot";
  p.default_target_comp_id = "SPOT";
  p.endpoint = "fix-oe.binance.com:9000";
  p.tls_required = true;
  p.auth = LogonAuth::kEd25519RawData;
  // ResetSeqNumFlag must be Y; MessageHandling 2 (SEQUENTIAL) keeps the engine in MsgSeqNum
  // order, the order the strategy decided in.
  p.logon_fields = {{141, "Y"}, {25035, "2"}};
  p.transact_time = false;  // not a field of Binance's NewOrderSingle
  p.replace = false;        // amendments are XCN/XAK, not 35=G
  p.status_request = false; // no OrderStatusRequest on the order-entry session
  p.reduce_only = false;
  p.post_only = PostOnlyStyle::kExecInst6;  // LIMIT_MAKER = 40=2 with 18=6
  p.symbols = SymbolStyle::kConcat;
  p.clordids = ClOrdIdStyle::kDashed;       // ^[a-zA-Z0-9-_]{1,36}$
  p.clordid_max = 36;
  p.market_data = false;  // served by fix-md.binance.com, a session of its own
  p.rate_limits = {
      {RateLimitSubject::kMessages, RateLimitScope::kSession, 10'000, Duration::Seconds(10),
       10'000, true, "order-entry sessions: 10,000 messages every 10 s; breaking it logs out"},
      {RateLimitSubject::kConnections, RateLimitScope::kAccount, 5, Duration(), 5, false,
       "5 concurrent order-entry connections per account (a Reject<3> beyond)"},
  };
  p.logon_refused_text = "Signature for this request is not valid.";
  p.docs = "binance-spot-api-docs fix-api.md (General Information, How to sign Logon, Logon, "
           "NewOrderSingle, ExecutionReport, Limits)";
  return p;
}

VenueProfile Coinbase() {
  VenueProfile p;
  p.id = VenueProfileId::kCoinbaseExchange;
  p.name = "coinbase_exchange";
  p.display = "Coinbase Exchange";
  p.begin_string = "FIXT.1.1";
  p.default_appl_ver_id = "9";
  p.app_dictionary = "FIX50SP2-coinbase_exchange";
  p.transport_dictionary = "FIXT11-coinbase_exchange";
  p.default_target_comp_id = "Coinbase";
  p.endpoint = "fix-ord.exchange.coinbase.com:6121";
  p.tls_required = true;
  p.auth = LogonAuth::kHmacSha256Passphrase;
  p.logon_fields = {{141, "Y"}};
  // S: cancel the open orders this session placed (Y would cancel the whole profile's).
  p.cancel_on_disconnect = {8013, "S", "N", true};
  p.reduce_only = false;
  p.post_only = PostOnlyStyle::kExecInstA;
  p.symbols = SymbolStyle::kDash;
  p.clordids = ClOrdIdStyle::kUuid;
  p.clordid_max = 36;
  p.market_data = false;  // FIX 5 market data is a gateway of its own
  p.rate_limits = {
      {RateLimitSubject::kOrderRequests, RateLimitScope::kSession, 100, kSecond, 100, false,
       "FIX 5.0: 100 requests per second, fixed window"},
      {RateLimitSubject::kMessages, RateLimitScope::kSession, 200, kSecond, 200, true,
       "the FIX 5 session is disconnected above 200 messages per second"},
      {RateLimitSubject::kLogons, RateLimitScope::kApiKey, 2, kSecond, 2, false,
       "2 logons per second per API key"},
      {RateLimitSubject::kConnections, RateLimitScope::kAccount, 75, Duration(), 75, false,
       "75 connections per profile"},
  };
  p.logon_refused_text = "Invalid signature";
  p.docs = "Coinbase Exchange FIX Order Entry Messages 5.0; FIX Rate Limits Overview; Exchange "
           "FIX 4.2 messages (the prehash string and CancelOrdersOnDisconnect values)";
  return p;
}

VenueProfile Kraken() {
  VenueProfile p;
  p.id = VenueProfileId::kKraken;
  p.name = "kraken";
  p.display = "Kraken (Spot, unified FIX)";
  p.begin_string = "FIX.4.4";
  p.app_dictionary = "FIX44-kraken";
  p.default_target_comp_id = "KRAKEN-TRD";
  p.endpoint = "colo-london.vip-fix.kraken.com:4001";
  p.tls_required = true;
  p.auth = LogonAuth::kHmacSha512Nonce;
  // 0 cancels this session's open orders on an abnormal disconnection (the default); 1 keeps
  // them. A Logout is not a disconnection.
  p.cancel_on_disconnect = {8674, "0", "1", false};
  p.reduce_only = false;
  p.post_only = PostOnlyStyle::kExecInst6;
  p.symbols = SymbolStyle::kSlash;
  p.clordids = ClOrdIdStyle::kDashed;
  p.clordid_max = 36;
  p.market_data = false;  // TargetCompID KRAKEN-MD on another port
  p.rate_limits = {
      {RateLimitSubject::kRateCounter, RateLimitScope::kAccountPerPair, 60, Duration(), 60,
       false,
       "a per-pair counter (+1 per order, more for early cancels and amends) decaying at a "
       "tier rate; threshold by tier, 60 the lowest; 'EOrder:Rate limit exceeded' beyond"},
  };
  p.logon_refused_text = "Invalid credentials";
  p.docs = "Kraken unified FIX: Logon, Logout, Spot Trading Limits; Kraken FIX API logon-fix";
  return p;
}

VenueProfile Deribit() {
  VenueProfile p;
  p.id = VenueProfileId::kDeribit;
  p.name = "deribit";
  p.display = "Deribit";
  p.begin_string = "FIX.4.4";
  p.app_dictionary = "FIX44-deribit";
  p.default_target_comp_id = "DERIBITSERVER";
  p.auth = LogonAuth::kSha256RawDataNonce;
  p.cancel_on_disconnect = {9001, "Y", "N", true};
  p.post_only = PostOnlyStyle::kExecInst6;
  p.symbols = SymbolStyle::kAsIs;  // instrument names such as BTC-PERPETUAL
  p.clordids = ClOrdIdStyle::kDashed;
  p.clordid_max = 64;
  p.market_data = true;  // 35=V on the same session
  p.rate_limits = {
      {RateLimitSubject::kMatchingRequests, RateLimitScope::kAccount, 5, kSecond, 20, true,
       "credit pool; matching-engine requests at the default tier: 5 per second, burst 20; "
       "an empty pool answers too_many_requests (10028) and ends the session"},
      {RateLimitSubject::kMessages, RateLimitScope::kAccount, 20, kSecond, 100, true,
       "other requests: 500 credits each from a 50,000 pool refilled at 10,000 per second"},
  };
  p.logon_refused_text = "invalid_credentials";
  p.docs = "Deribit FIX API Logon(A); Deribit Rate Limits";
  return p;
}

VenueProfile Bybit() {
  VenueProfile p;
  p.id = VenueProfileId::kBybit;
  p.name = "bybit";
  p.display = "Bybit (Spot)";
  p.begin_string = "FIX.4.4";
  p.app_dictionary = "FIX44-bybit";
  p.default_target_comp_id = "BYBIT_FIX_SERVER";
  p.endpoint = "fix-oe.bybit.com:9000";
  p.tls_required = true;
  p.auth = LogonAuth::kRsaSha256RawData;
  p.logon_fields = {{141, "Y"}};
  p.transact_time = false;
  p.replace = false;         // amendments are XAR
  p.status_request = false;
  p.reduce_only = false;
  p.post_only = PostOnlyStyle::kTimeInForceP;
  p.order_fields = {{30010, "spot"}};  // Category, required
  p.symbols = SymbolStyle::kConcat;
  p.clordids = ClOrdIdStyle::kDashed;
  p.clordid_max = 36;
  p.market_data = false;
  p.rate_limits = {
      {RateLimitSubject::kConnections, RateLimitScope::kAccount, 20, Duration(), 20, false,
       "20 concurrent connections per UID per machine"},
      {RateLimitSubject::kLogons, RateLimitScope::kIp, 30, kSecond, 30, false,
       "30 connection attempts per second per IP"},
  };
  p.logon_refused_text = "access denied";
  p.docs = "Bybit FIX API Integration Guide; Place Order";
  return p;
}

}  // namespace

const std::vector<VenueProfile>& VenueProfiles() {
  static const std::vector<VenueProfile>* profiles = new std::vector<VenueProfile>{
      Generic(), Binance(), Coinbase(), Kraken(), Deribit(), Bybit()};
  return *profiles;
}

const VenueProfile& GetVenueProfile(VenueProfileId id) {
  return VenueProfiles()[static_cast<size_t>(id)];
}

std::vector<std::string> VenueProfileNames() {
  std::vector<std::string> names;
  for (const VenueProfile& p : VenueProfiles()) names.emplace_back(p.name);
  return names;
}

absl::StatusOr<const VenueProfile*> FindVenueProfile(std::string_view name) {
  for (const VenueProfile& p : VenueProfiles()) {
    if (p.name == name) return &p;
  }
  return absl::NotFoundError(absl::StrCat("unknown venue profile '", std::string(name),
                                          "' (one of ", absl::StrJoin(VenueProfileNames(), ", "),
                                          ")"));
}

std::optional<OrderRate> OrderRateDefault(const VenueProfile& profile) {
  std::optional<OrderRate> best;
  for (const VenueRateLimit& l : profile.rate_limits) {
    const bool orders = l.subject == RateLimitSubject::kMessages ||
                        l.subject == RateLimitSubject::kOrderRequests ||
                        l.subject == RateLimitSubject::kMatchingRequests;
    if (!orders || l.window.ns <= 0) continue;
    // count / window smaller than best's: compared crosswise, exactly.
    if (!best || static_cast<Int128>(l.count) * best->window.ns <
                     static_cast<Int128>(best->count) * l.window.ns) {
      best = OrderRate{l.count, l.window};
    }
  }
  return best;
}

std::string VenueSymbol(const VenueProfile& profile, const Instrument& in,
                        const std::map<std::string, std::string>& overrides) {
  if (const auto it = overrides.find(in.symbol); it != overrides.end()) return it->second;
  if (in.base.empty() || in.quote.empty()) return in.symbol;
  switch (profile.symbols) {
    case SymbolStyle::kConcat: return absl::StrCat(in.base, in.quote);
    case SymbolStyle::kDash: return absl::StrCat(in.base, "-", in.quote);
    case SymbolStyle::kSlash: return absl::StrCat(in.base, "/", in.quote);
    case SymbolStyle::kAsIs: break;
  }
  return in.symbol;
}

absl::StatusOr<InstrumentTable> WireInstruments(
    const VenueProfile& profile, const InstrumentTable& instruments,
    const std::map<std::string, std::string>& overrides) {
  for (const auto& [from, to] : overrides) {
    if (!instruments.Find(from).ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("symbol_map: '", from, "' is not an instrument of this session"));
    }
    if (to.empty()) return absl::InvalidArgumentError(absl::StrCat("symbol_map: '", from,
                                                                   "' maps to an empty symbol"));
  }
  InstrumentTable wire;
  for (const Instrument& in : instruments.all()) {
    Instrument w = in;
    w.symbol = VenueSymbol(profile, in, overrides);
    if (absl::Status s = wire.Add(w); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "venue profile ", std::string(profile.name), ": instrument ", in.symbol,
          " is written '", w.symbol, "' on the wire: ", s.message()));
    }
  }
  return wire;
}

}  // namespace tapedeck::adapters
