// The DBN reader on Databento's own test files (../shared/data/dbn_fixtures, from
// databento/dbn's tests/data): every DBN v1-v3 file, plain and zstd, of every schema reads; the
// record counts are those Databento's tests assert (dbn: the DBZ and fragment decoders' counts,
// `limit` 2 in the metadata, ohlcv-1d empty, ESH1 the only symbol; databento-cpp's
// dbn_decoder_tests.cpp, "expected data obtained using the dbn CLI tool": the first and last
// record of each schema), and so are the values, here as events at the instrument's scale.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/dbn_reader.h"
#include "replay/source_factory.h"
#include "tests/replay/dbn_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::DbnFixture;
using ::tapedeck::testing::DbnFixtureInstruments;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::ReadAll;
using ::tapedeck::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int64_t kEsh1 = 0;  // index of ESH1 in DbnFixtureInstruments()

// The DBN files of the fixtures for `schema` ("mbo", "ohlcv-1s", ...): plain and zstd, every
// version there is. The unversioned ones are DBN v2.
std::vector<std::string> FixtureFiles(const std::string& schema) {
  std::vector<std::string> out;
  for (const char* suffix :
       {".dbn", ".v1.dbn", ".v1.dbn.zst", ".v2.dbn.zst", ".v3.dbn", ".v3.dbn.zst"}) {
    const std::string path = DbnFixture("test_data." + schema + suffix);
    if (std::filesystem::exists(path)) out.push_back(path);
  }
  return out;
}

int VersionOf(const std::string& path) {
  for (int v = 1; v <= 3; ++v) {
    if (absl::StrContains(path, absl::StrCat(".v", v, "."))) return v;
  }
  return 2;
}

struct Read {
  std::vector<Event> events;
  DbnStats stats;
  dbn::Metadata metadata;
};

Read ReadFixture(const std::string& path, const InstrumentTable& table) {
  absl::StatusOr<std::unique_ptr<DbnReader>> r = DbnReader::Open(path, "", table, DbnOptions());
  EXPECT_THAT(r, IsOk()) << path;
  if (!r.ok()) return {};
  absl::StatusOr<std::vector<Event>> events = ReadAll(**r);
  EXPECT_THAT(events, IsOk()) << path;
  EXPECT_EQ((*r)->metadata().version, VersionOf(path)) << path;
  return Read{events.ok() ? *events : std::vector<Event>(), (*r)->stats(), (*r)->metadata()};
}

// Runs `check` on every file of `schema`, after the checks every file shares.
template <typename Check>
void ForEachFixture(const std::string& schema, int records, Check check) {
  const std::vector<std::string> files = FixtureFiles(schema);
  ASSERT_GE(files.size(), 3u) << schema;
  const InstrumentTable table = DbnFixtureInstruments();
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    const Read r = ReadFixture(path, table);
    EXPECT_EQ(dbn::SchemaName(r.metadata.schema), schema);
    EXPECT_EQ(r.stats.records, records);
    check(r);
  }
}

void ExpectTimes(const Event& e, int64_t exchange, int64_t local) {
  EXPECT_EQ(e.exchange_ts, exchange);
  EXPECT_EQ(e.local_ts, local);
  EXPECT_EQ(e.instrument.value, kEsh1);
}

void ExpectQuote(const Event& e, int64_t bid, int64_t bid_qty, int64_t ask, int64_t ask_qty) {
  ASSERT_EQ(e.kind, EventKind::kQuote);
  EXPECT_EQ(e.quote.bid.raw, bid);
  EXPECT_EQ(e.quote.bid_qty.raw, bid_qty);
  EXPECT_EQ(e.quote.ask.raw, ask);
  EXPECT_EQ(e.quote.ask_qty.raw, ask_qty);
}

void ExpectTrade(const Event& e, int64_t price, int64_t qty, Side aggressor) {
  ASSERT_EQ(e.kind, EventKind::kTrade);
  EXPECT_EQ(e.trade.price.raw, price);
  EXPECT_EQ(e.trade.qty.raw, qty);
  EXPECT_EQ(e.trade.aggressor, aggressor);
}

void ExpectBar(const Event& e, int64_t end, int64_t o, int64_t h, int64_t l, int64_t c, int64_t v) {
  ASSERT_EQ(e.kind, EventKind::kBar);
  ExpectTimes(e, end, end);
  EXPECT_EQ(e.bar.open.raw, o);
  EXPECT_EQ(e.bar.high.raw, h);
  EXPECT_EQ(e.bar.low.raw, l);
  EXPECT_EQ(e.bar.close.raw, c);
  EXPECT_EQ(e.bar.volume.raw, v);
}

TEST(DbnFixturesTest, MetadataSymbologyMapsEsh1) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  ForEachFixture("mbp-1", 2, [](const Read& r) {
    EXPECT_EQ(r.metadata.dataset, "GLBX.MDP3");
    EXPECT_EQ(r.metadata.start, 1609160400000000000u);
    EXPECT_EQ(r.metadata.end, 1609200000000000000u);
    EXPECT_EQ(r.metadata.limit, 2u);
    ASSERT_EQ(r.metadata.symbols, std::vector<std::string>{"ESH1"});
    ASSERT_EQ(r.metadata.mappings.size(), 1u);
    EXPECT_EQ(r.metadata.mappings[0].raw_symbol, "ESH1");
    ASSERT_EQ(r.metadata.mappings[0].intervals.size(), 1u);
    EXPECT_EQ(r.metadata.mappings[0].intervals[0].symbol, "5482");
    EXPECT_EQ(r.metadata.mappings[0].intervals[0].start_date, 20201228u);
    EXPECT_EQ(r.metadata.mappings[0].intervals[0].end_date, 20201229u);
  });
}

TEST(DbnFixturesTest, MboCancelsOfOrdersBeforeTheFilePassThrough) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  ForEachFixture("mbo", 2, [](const Read& r) {
    ASSERT_EQ(r.events.size(), 2u);
    const Event& a = r.events[0];
    ASSERT_EQ(a.kind, EventKind::kL3Order);
    ExpectTimes(a, 1609160400000429831, 1609160400000704060);
    EXPECT_EQ(a.l3.order_id, 647784973705u);
    EXPECT_EQ(a.l3.price.raw, 372275);  // 3722.75 at scale 2
    EXPECT_EQ(a.l3.qty.raw, 1);
    EXPECT_EQ(a.l3.action, L3Action::kCancel);
    EXPECT_EQ(a.l3.side, Side::kSell);
    EXPECT_EQ(a.l3.flags, kBookEndOfMessage);  // flags 128: F_LAST
    EXPECT_EQ(a.l3.record, 1u);
    const Event& b = r.events[1];
    ExpectTimes(b, 1609160400000431665, 1609160400000711344);
    EXPECT_EQ(b.l3.order_id, 647784973631u);
    EXPECT_EQ(b.l3.price.raw, 372300);
    EXPECT_EQ(b.l3.action, L3Action::kCancel);
    EXPECT_EQ(b.l3.side, Side::kSell);
    EXPECT_EQ(r.stats.unknown_order_refs, 2);
  });
}

TEST(DbnFixturesTest, Mbp1IsQuotes) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  for (const char* schema : {"mbp-1", "cmbp-1"}) {
    ForEachFixture(schema, 2, [](const Read& r) {
      ASSERT_EQ(r.events.size(), 2u);
      ExpectTimes(r.events[0], 1609160400006001487, 1609160400006136329);
      ExpectQuote(r.events[0], 372025, 24, 372050, 11);
      ExpectTimes(r.events[1], 1609160400006146661, 1609160400006246513);
      ExpectQuote(r.events[1], 372025, 24, 372050, 12);
    });
  }
}

TEST(DbnFixturesTest, Cbbo1sIsQuotes) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  ForEachFixture("cbbo-1s", 2, [](const Read& r) {
    ASSERT_EQ(r.events.size(), 2u);
    ExpectTimes(r.events[0], 1609160400006001487, 1609160400006136329);
    ExpectQuote(r.events[0], 372025, 24, 372050, 11);
    ExpectTimes(r.events[1], 1609160400006146661, 1609160400006246513);
    ExpectQuote(r.events[1], 372025, 24, 372050, 12);
  });
}

TEST(DbnFixturesTest, Mbp10IsTenLevelsThenWhatChanged) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  ForEachFixture("mbp-10", 2, [](const Read& r) {
    // The first record: a snapshot of the ten levels a side after the cancel of 1 at 3722.75.
    ASSERT_EQ(r.events.size(), 21u);
    const Event& first = r.events[0];
    ASSERT_EQ(first.kind, EventKind::kBookLevel);
    ExpectTimes(first, 1609160400000429831, 1609160400000704060);
    EXPECT_EQ(first.level.flags, kBookSnapshotBegin);
    EXPECT_EQ(first.level.update_id, 1170352u);
    auto level = [&](size_t i, Side side, int64_t price, int64_t qty) {
      EXPECT_EQ(r.events[i].level.side, side) << i;
      EXPECT_EQ(r.events[i].level.price.raw, price) << i;
      EXPECT_EQ(r.events[i].level.qty.raw, qty) << i;
    };
    level(0, Side::kBuy, 372025, 24);
    level(1, Side::kBuy, 372000, 31);
    level(2, Side::kBuy, 371975, 32);
    level(10, Side::kSell, 372050, 10);
    level(11, Side::kSell, 372075, 34);
    level(12, Side::kSell, 372100, 39);
    EXPECT_EQ(r.events[19].level.flags, kBookEndOfMessage);
    // The second: the cancel of 1 bid at 3720.00 leaves 30 there.
    ExpectTimes(r.events[20], 1609160400000435673, 1609160400000750544);
    level(20, Side::kBuy, 372000, 30);
    EXPECT_EQ(r.events[20].level.update_id, 1170356u);
    EXPECT_EQ(r.events[20].level.flags, kBookEndOfMessage);
  });
}

TEST(DbnFixturesTest, TbboIsTheQuoteBeforeEachTrade) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  ForEachFixture("tbbo", 2, [](const Read& r) {
    ASSERT_EQ(r.events.size(), 4u);
    ExpectTimes(r.events[0], 1609160400098821953, 1609160400099150057);
    ExpectQuote(r.events[0], 372025, 26, 372050, 7);
    ExpectTrade(r.events[1], 372025, 5, Side::kSell);  // side A: a sell aggressor
    ExpectTimes(r.events[2], 1609160400107665963, 1609160400108142648);
    ExpectQuote(r.events[2], 372025, 21, 372050, 22);
    ExpectTrade(r.events[3], 372025, 21, Side::kSell);
  });
}

TEST(DbnFixturesTest, TradesAreTrades) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  ForEachFixture("trades", 2, [](const Read& r) {
    ASSERT_EQ(r.events.size(), 2u);
    ExpectTimes(r.events[0], 1609160400098821953, 1609160400099150057);
    ExpectTrade(r.events[0], 372025, 5, Side::kSell);
    ExpectTimes(r.events[1], 1609160400107665963, 1609160400108142648);
    ExpectTrade(r.events[1], 372025, 21, Side::kSell);
  });
}

TEST(DbnFixturesTest, OhlcvAreBarsStampedAtTheirEnd) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  constexpr int64_t kStart = 1609160400000000000;  // 2020-12-28T13:00Z
  constexpr int64_t kS = 1'000'000'000;
  // These files' bar prices are 100 times the book's (372025000000000 at 1e-9: 372025.00);
  // at ESH1's scale 2 a DBN price p is p / 10^7.
  constexpr int64_t kTo2 = 10'000'000;
  ForEachFixture("ohlcv-1s", 2, [&](const Read& r) {
    ASSERT_EQ(r.events.size(), 2u);
    // databento/dbn's layout test pins the first one too.
    ExpectBar(r.events[0], kStart + kS, 372025000000000 / kTo2, 372050000000000 / kTo2,
              372025000000000 / kTo2, 372050000000000 / kTo2, 57);
    ExpectBar(r.events[1], kStart + 2 * kS, 372050000000000 / kTo2, 372050000000000 / kTo2,
              372050000000000 / kTo2, 372050000000000 / kTo2, 13);
  });
  ForEachFixture("ohlcv-1m", 2, [&](const Read& r) {
    ASSERT_EQ(r.events.size(), 2u);
    ExpectBar(r.events[0], kStart + 60 * kS, 372025000000000 / kTo2, 372150000000000 / kTo2,
              372025000000000 / kTo2, 372100000000000 / kTo2, 353);
    ExpectBar(r.events[1], kStart + 120 * kS, 372100000000000 / kTo2, 372150000000000 / kTo2,
              372100000000000 / kTo2, 372150000000000 / kTo2, 152);
  });
  ForEachFixture("ohlcv-1h", 2, [&](const Read& r) {
    ASSERT_EQ(r.events.size(), 2u);
    ExpectBar(r.events[0], kStart + 3600 * kS, 372025000000000 / kTo2, 372350000000000 / kTo2,
              372025000000000 / kTo2, 372225000000000 / kTo2, 9385);
    ExpectBar(r.events[1], kStart + 7200 * kS, 372225000000000 / kTo2, 372450000000000 / kTo2,
              371600000000000 / kTo2, 371950000000000 / kTo2, 112698);
  });
  ForEachFixture("ohlcv-1d", 0, [&](const Read& r) { EXPECT_TRUE(r.events.empty()); });
}

TEST(DbnFixturesTest, Bbo1sAnd1mAreQuotes) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  // bbo: the top at each interval's end (ts_recv), stamped with its last change (ts_event).
  ForEachFixture("bbo-1s", 4, [](const Read& r) {
    ASSERT_EQ(r.events.size(), 4u);
    EXPECT_EQ(r.events[0].kind, EventKind::kQuote);
    EXPECT_EQ(r.events[0].exchange_ts, 1609113599045849637);
    EXPECT_EQ(r.events[0].local_ts, 1609113600000000000);
    EXPECT_EQ(r.events[3].exchange_ts, 1609113602738022089);
    EXPECT_EQ(r.events[3].local_ts, 1609113603000000000);
  });
  ForEachFixture("bbo-1m", 4, [](const Read& r) {
    ASSERT_EQ(r.events.size(), 4u);
    EXPECT_EQ(r.events[0].exchange_ts, 1609113599045849637);
    EXPECT_EQ(r.events[3].kind, EventKind::kQuote);
  });
}

TEST(DbnFixturesTest, StatusImbalanceStatisticsAndDefinitionsAreSkippedAndCounted) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  ForEachFixture("status", 4, [](const Read& r) {
    EXPECT_TRUE(r.events.empty());
    EXPECT_EQ(r.stats.skipped_by_rtype[dbn::kRTypeStatus], 4);
  });
  ForEachFixture("imbalance", 2, [](const Read& r) {
    EXPECT_TRUE(r.events.empty());
    EXPECT_EQ(r.stats.skipped_by_rtype[dbn::kRTypeImbalance], 2);
    EXPECT_EQ(r.metadata.symbols, std::vector<std::string>{"SPOT"});
  });
  // The two are a lowest offer and a session high (databento-cpp): no open interest.
  ForEachFixture("statistics", 2, [](const Read& r) {
    EXPECT_TRUE(r.events.empty());
    EXPECT_EQ(r.stats.skipped_statistics, 2);
  });
  ForEachFixture("definition", 2, [](const Read& r) {
    EXPECT_TRUE(r.events.empty());
    EXPECT_EQ(r.stats.definitions, 2);
    EXPECT_EQ(r.metadata.dataset, "XNAS.ITCH");
    ASSERT_EQ(r.metadata.mappings.size(), 1u);
    EXPECT_EQ(r.metadata.mappings[0].raw_symbol, "MSFT");
    ASSERT_EQ(r.metadata.mappings[0].intervals.size(), 62u);
    EXPECT_EQ(r.metadata.mappings[0].intervals[0].symbol, "6819");
    EXPECT_EQ(r.metadata.mappings[0].intervals[0].start_date, 20211004u);
  });
}

TEST(DbnFixturesTest, EveryDbnFileIsDetectedAndOpensThroughTheFactory) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const InstrumentTable table = DbnFixtureInstruments();
  int dbn_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DbnFixture(""))) {
    const std::string path = entry.path().string();
    SCOPED_TRACE(path);
    absl::StatusOr<std::string> format = DetectFormat(path);
    ASSERT_THAT(format, IsOk());
    EXPECT_EQ(*format, "dbn");  // DBZ and fragments too: refused by name below
    SourceSpec spec;
    spec.path = path;
    absl::StatusOr<std::unique_ptr<EventSource>> source = OpenSource(spec, table);
    if (absl::EndsWith(path, ".dbz")) {
      EXPECT_THAT(source,
                  StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("a legacy DBZ file")));
    } else if (absl::StrContains(path, ".frag")) {
      EXPECT_THAT(source, StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("DBN fragment (DBN records without the metadata")));
    } else {
      ASSERT_THAT(source, IsOk());
      EXPECT_THAT(ReadAll(**source), IsOk());
      ++dbn_files;
    }
  }
  EXPECT_EQ(dbn_files, 64);
}

TEST(DbnFixturesTest, ZstdFragmentsAreNamedAsSuch) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  EXPECT_THAT(
      DbnReader::Open(DbnFixture("multi-frame.definition.v1.dbn.frag.zst"), "",
                      DbnFixtureInstruments(), DbnOptions()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("a zstd-compressed DBN fragment")));
  EXPECT_THAT(DbnReader::Open(DbnFixture("test_data.definition.v2.dbn.frag"), "",
                              DbnFixtureInstruments(), DbnOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(": a DBN fragment")));
}

}  // namespace
}  // namespace tapedeck::replay
