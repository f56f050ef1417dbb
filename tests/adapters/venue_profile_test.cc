// The venue profiles as data: names, rate limits, symbol spelling, ClOrdIDs, redaction, and the
// embedded dictionaries (each loads in QuickFIX; the venue dictionaries are what
// scripts/fix_dictionaries.py makes of QuickFIX's official ones in ../shared/fix).
#include <cstdlib>
#include <set>

#include "adapters/clordid.h"
#include "adapters/fix_dictionary.h"
#include "adapters/fix_redact.h"
#include "adapters/venue_dialect.h"
#include "adapters/venue_profile.h"
#include "gtest/gtest.h"
#include "quickfix/DataDictionary.h"
#include "tests/test_util.h"

namespace tapedeck::adapters {
namespace {

using ::tapedeck::testing::IsOk;

TEST(VenueProfileTest, NamesAndLookup) {
  EXPECT_EQ(VenueProfileNames(),
            (std::vector<std::string>{"generic_fix44", "binance_spot", "coinbase_exchange",
                                      "kraken", "deribit", "bybit"}));
  for (const VenueProfile& p : VenueProfiles()) {
    EXPECT_EQ(&GetVenueProfile(p.id), &p);
    absl::StatusOr<const VenueProfile*> found = FindVenueProfile(p.name);
    ASSERT_THAT(found, IsOk());
    EXPECT_EQ(*found, &p);
  }
  const absl::Status s = FindVenueProfile("binance").status();
  EXPECT_NE(std::string(s.message()).find("binance_spot"), std::string::npos) << s;
}

TEST(VenueProfileTest, RateLimitsAreTypedAndGiveTheRiskLayersDefault) {
  auto rate = [](VenueProfileId id) { return OrderRateDefault(GetVenueProfile(id)); };
  EXPECT_FALSE(rate(VenueProfileId::kGenericFix44).has_value());
  ASSERT_TRUE(rate(VenueProfileId::kBinanceSpot).has_value());
  EXPECT_EQ(rate(VenueProfileId::kBinanceSpot)->count, 10'000);
  EXPECT_EQ(rate(VenueProfileId::kBinanceSpot)->window, Duration::Seconds(10));
  ASSERT_TRUE(rate(VenueProfileId::kCoinbaseExchange).has_value());
  EXPECT_EQ(rate(VenueProfileId::kCoinbaseExchange)->count, 100);  // under the 200/s cut-off
  EXPECT_EQ(rate(VenueProfileId::kCoinbaseExchange)->window, Duration::Seconds(1));
  ASSERT_TRUE(rate(VenueProfileId::kDeribit).has_value());
  EXPECT_EQ(rate(VenueProfileId::kDeribit)->count, 5);
  EXPECT_FALSE(rate(VenueProfileId::kKraken).has_value());  // a decaying counter
  EXPECT_FALSE(rate(VenueProfileId::kBybit).has_value());   // reported per response
  for (const VenueProfile& p : VenueProfiles()) {
    for (const VenueRateLimit& l : p.rate_limits) {
      EXPECT_GT(l.count, 0) << p.name;
      EXPECT_GE(l.burst, l.count) << p.name;
      EXPECT_FALSE(l.note.empty()) << p.name;
    }
  }
}

Instrument Spot(const std::string& symbol, const std::string& base, const std::string& quote) {
  Instrument in;
  in.symbol = symbol;
  in.base = base;
  in.quote = quote;
  return in;
}

TEST(VenueProfileTest, SymbolsAreSpelledTheVenuesWay) {
  const Instrument btc = Spot("BTCUSDT", "BTC", "USDT");
  const std::map<std::string, std::string> none;
  EXPECT_EQ(VenueSymbol(GetVenueProfile(VenueProfileId::kBinanceSpot), btc, none), "BTCUSDT");
  EXPECT_EQ(VenueSymbol(GetVenueProfile(VenueProfileId::kCoinbaseExchange), btc, none),
            "BTC-USDT");
  EXPECT_EQ(VenueSymbol(GetVenueProfile(VenueProfileId::kKraken), btc, none), "BTC/USDT");
  EXPECT_EQ(VenueSymbol(GetVenueProfile(VenueProfileId::kDeribit), btc, none), "BTCUSDT");
  EXPECT_EQ(VenueSymbol(GetVenueProfile(VenueProfileId::kKraken), btc, {{"BTCUSDT", "XBT/USDT"}}),
            "XBT/USDT");

  InstrumentTable table;
  ASSERT_THAT(table.Add(btc), IsOk());
  ASSERT_THAT(table.Add(Spot("ETHUSDT", "ETH", "USDT")), IsOk());
  absl::StatusOr<InstrumentTable> wire =
      WireInstruments(GetVenueProfile(VenueProfileId::kCoinbaseExchange), table, none);
  ASSERT_THAT(wire, IsOk());
  EXPECT_EQ(wire->at(InstrumentId(1)).symbol, "ETH-USDT");
  EXPECT_EQ(*wire->Find("BTC-USDT"), InstrumentId(0));
  EXPECT_FALSE(WireInstruments(GetVenueProfile(VenueProfileId::kKraken), table,
                               {{"SOLUSDT", "SOL/USDT"}})
                   .ok());
}

TEST(ClOrdIdTest, EachStyleRoundTripsAndRejectsOthers) {
  const std::string tag = NewSessionTag(1'770'285'600'123'000'000, "\x05\x07");
  EXPECT_EQ(tag.size(), 10u);
  for (const VenueProfile& p : VenueProfiles()) {
    SCOPED_TRACE(std::string(p.name));
    absl::StatusOr<ClOrdIdScheme> ids = MakeClOrdIdScheme(p, "td", tag);
    ASSERT_THAT(ids, IsOk());
    for (const std::string& text :
         {ids->Order(OrderId(42)), ids->Cancel(OrderId(42)), ids->Modify(OrderId(42), 3)}) {
      EXPECT_EQ(ids->Parse(text), OrderId(42)) << text;
      EXPECT_LE(text.size(), p.clordid_max) << text;
      if (p.clordids != ClOrdIdStyle::kDotted) {
        EXPECT_EQ(text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_"),
                  std::string::npos)
            << text;
      }
    }
    EXPECT_NE(ids->Order(OrderId(1)), ids->Cancel(OrderId(1)));
    // Another session's ids are not this one's.
    absl::StatusOr<ClOrdIdScheme> other =
        MakeClOrdIdScheme(p, "td", NewSessionTag(1'770'285'600'124'000'000, "\x05\x07"));
    ASSERT_THAT(other, IsOk());
    EXPECT_NE(other->Order(OrderId(42)), ids->Order(OrderId(42)));
    EXPECT_FALSE(ids->Parse(other->Order(OrderId(42))).valid());
  }
  const ClOrdIdScheme uuid =
      *MakeClOrdIdScheme(GetVenueProfile(VenueProfileId::kCoinbaseExchange), "", tag);
  const std::string u = uuid.Order(OrderId(7));
  EXPECT_EQ(u.size(), 36u);
  EXPECT_EQ(u[14], '4');
  EXPECT_EQ(u[19], '8');
  EXPECT_FALSE(MakeClOrdIdScheme(GetVenueProfile(VenueProfileId::kBinanceSpot), "a.b", tag).ok());
  EXPECT_FALSE(
      MakeClOrdIdScheme(GetVenueProfile(VenueProfileId::kBybit), std::string(20, 'x'), tag).ok());
}

TEST(ClOrdIdTest, PrefixesAreRecordedForARestart) {
  const std::string dir = ::tapedeck::testing::MakeTempDir("clordid_prefixes");
  ASSERT_THAT(RecordClOrdIdPrefix(dir, 1, "tdaaaa-"), IsOk());
  ASSERT_THAT(RecordClOrdIdPrefix(dir, 2, "tdbbbb-"), IsOk());
  absl::StatusOr<std::vector<std::string>> back = ReadClOrdIdPrefixes(dir);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, (std::vector<std::string>{"tdaaaa-", "tdbbbb-"}));
}

TEST(FixRedactTest, SecretTagsAndSecretsAreRedacted) {
  const std::string msg =
      "8=FIX.4.4\x01" "35=A\x01" "553=KEY\x01" "554=hunter2\x01" "95=4\x01" "96=c2ln\x01"
      "1554=keep\x01" "58=the passphrase is open sesame\x01";
  const std::string out = RedactFixText(msg, {"open sesame"});
  EXPECT_EQ(out, "8=FIX.4.4\x01" "35=A\x01" "553=KEY\x01" "554=***\x01" "95=***\x01"
                 "96=***\x01" "1554=keep\x01" "58=the passphrase is ***\x01");
  EXPECT_EQ(RedactFixText("35=A|554=pw|", {}), "35=A|554=***|");
  EXPECT_EQ(RedactFixText("nothing here", {"x-secret"}), "nothing here");
}

TEST(VenueDialectTest, PostOnlyIsSpelledPerVenueAndReadBack) {
  OrderRequest r;
  r.type = OrderType::kLimit;
  r.post_only = true;
  for (const VenueProfile& p : VenueProfiles()) {
    SCOPED_TRACE(std::string(p.name));
    FIX::Message m;
    m.setField(18, "6");
    m.setField(59, "1");
    m.setField(60, "20260205-10:00:00.000");
    ApplyOrderDialect(p, r, &m);
    EXPECT_EQ(m.isSetField(60), p.transact_time);
    OrderRequest back;
    back.post_only = m.isSetField(18) && m.getField(18).find('6') != std::string::npos;
    EXPECT_THAT(ReadOrderDialect(p, m, &back), IsOk());
    EXPECT_TRUE(back.post_only);
    for (const FixTagValue& f : p.order_fields) EXPECT_EQ(m.getField(f.tag), f.value);
  }
  OrderRequest reduce;
  reduce.reduce_only = true;
  EXPECT_FALSE(UnsupportedByVenue(GetVenueProfile(VenueProfileId::kBinanceSpot), reduce).empty());
  EXPECT_TRUE(UnsupportedByVenue(GetVenueProfile(VenueProfileId::kDeribit), reduce).empty());
}

TEST(FixDictionaryTest, EveryProfilesDictionariesLoadInQuickFix) {
  std::set<std::string> names;
  for (const std::string& n : EmbeddedDictionaryNames()) names.insert(n);
  for (const VenueProfile& p : VenueProfiles()) {
    for (std::string_view name : {p.app_dictionary, p.transport_dictionary}) {
      if (name.empty()) continue;
      SCOPED_TRACE(std::string(name));
      EXPECT_EQ(names.count(std::string(name)), 1u);
      absl::StatusOr<std::string> path = EmbeddedDictionaryPath(name);
      ASSERT_THAT(path, IsOk());
      FIX::DataDictionary dd;
      EXPECT_NO_THROW(dd.readFromURL(*path));
    }
  }
  EXPECT_FALSE(EmbeddedDictionary("FIX99").ok());
}

TEST(FixDictionaryTest, VenueDictionariesAreBuiltFromTheOfficialOnes) {
  const std::string cmd = std::string("python3 ") + TAPEDECK_SOURCE_DIR +
                          "/scripts/fix_dictionaries.py --check --shared " + TAPEDECK_SHARED_DIR +
                          "/fix";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

}  // namespace
}  // namespace tapedeck::adapters
