// DBN through the command line: `tapedeck convert` takes every DBN fixture like any format
// (and `inspect` shows the tape, with the instruments a definition file gives); a run config
// takes a DBN source with no instrument config; DBZ is refused by name.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/dbn_encoder.h"
#include "tests/replay/dbn_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::DbnFixture;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::Shell;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

constexpr char kInstruments[] = R"([
  {"symbol": "ESH1", "kind": "future", "price_scale": 2, "qty_scale": 0, "tick_size": "0.25",
   "contract_multiplier": "50", "expiry": "2021-03-19T13:30:00Z"},
  {"symbol": "MSFT", "price_scale": 4, "qty_scale": 0},
  {"symbol": "SPOT", "price_scale": 4, "qty_scale": 0}
])";

// Events each schema's fixtures convert to (dbn_fixtures_test.cc says which).
const std::map<std::string, int>& EventsBySchema() {
  static const std::map<std::string, int> kEvents = {
      {"mbo", 2},        {"mbp-1", 2},    {"mbp-10", 21},  {"tbbo", 4},       {"trades", 2},
      {"ohlcv-1s", 2},   {"ohlcv-1m", 2}, {"ohlcv-1h", 2}, {"ohlcv-1d", 0},   {"bbo-1s", 4},
      {"bbo-1m", 4},     {"cbbo-1s", 2},  {"cmbp-1", 2},   {"definition", 0}, {"imbalance", 0},
      {"statistics", 0}, {"status", 0}};
  return kEvents;
}

TEST(DbnCliTest, ConvertTakesEveryDbnFixtureAndInspectShowsTheTape) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string dir = MakeTempDir("dbn_cli");
  WriteFile(dir + "/instruments.json", kInstruments);
  int converted = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DbnFixture(""))) {
    const std::string path = entry.path().string();
    const std::string name = entry.path().filename().string();
    if (absl::EndsWith(name, ".dbz") || absl::StrContains(name, ".frag")) continue;
    SCOPED_TRACE(name);
    const std::string schema = name.substr(10, name.find('.', 10) - 10);  // test_data.<schema>.
    ASSERT_TRUE(EventsBySchema().count(schema)) << schema;
    const std::string tape = dir + "/" + name + ".tape";
    std::string out;
    ASSERT_EQ(Shell(absl::StrCat(CliPath(), " convert ", path, " --instruments ", dir,
                                 "/instruments.json --quiet --out ", tape, " 2>&1"),
                    &out),
              0)
        << out;
    ASSERT_EQ(Shell(absl::StrCat(CliPath(), " inspect ", tape, " --events 1 2>&1"), &out), 0)
        << out;
    EXPECT_THAT(out, HasSubstr(absl::StrCat("records: ", EventsBySchema().at(schema), "\n")));
    ++converted;
  }
  EXPECT_EQ(converted, 64);
}

TEST(DbnCliTest, ADefinitionFileNeedsNoInstrumentConfigAndInspectShowsItsInstrument) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string dir = MakeTempDir("dbn_cli");
  std::string out;
  ASSERT_EQ(
      Shell(absl::StrCat(CliPath(), " convert ", DbnFixture("test_data.definition.v3.dbn.zst"),
                         " --quiet --out ", dir, "/defs.tape 2>&1"),
            &out),
      0)
      << out;
  ASSERT_EQ(Shell(absl::StrCat(CliPath(), " inspect ", dir, "/defs.tape 2>&1"), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("instruments: 1\n  [0] MSFT spot base MSFT quote - price_scale 4 "
                             "qty_scale 0 tick 0.0001 lot 1 multiplier 1.00000000"));
}

TEST(DbnCliTest, LegacyDbzIsRefusedByName) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string dir = MakeTempDir("dbn_cli");
  WriteFile(dir + "/instruments.json", kInstruments);
  std::string out;
  EXPECT_NE(
      Shell(absl::StrCat(CliPath(), " convert ", DbnFixture("test_data.mbo.dbz"), " --instruments ",
                         dir, "/instruments.json --out ", dir, "/x.tape 2>&1"),
            &out),
      0);
  EXPECT_THAT(out, HasSubstr("test_data.mbo.dbz: a legacy DBZ file"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/x.tape"));
}

// A generated day of ESH1: definitions in one file, trades in another; the config lists no
// instruments. Two runs give the same digest.
TEST(DbnCliTest, ARunConfigTakesADbnSourceWithItsDefinitions) {
  const std::string dir = MakeTempDir("dbn_cli");
  DbnMetadataSpec meta;
  meta.schema = static_cast<uint16_t>(dbn::Schema::kDefinition);
  meta.symbols.push_back({"ESH1", 5482, 20201228, 20201229});
  auto defs = DbnWriter::Create(dir + "/defs.dbn", meta, 0);
  ASSERT_THAT(defs, IsOk());
  DbnDefinitionSpec d;
  d.instrument_id = 5482;
  d.ts_event = 1'609'113'600'000'000'000;
  d.raw_symbol = "ESH1";
  d.instrument_class = 'F';
  d.min_price_increment = 250'000'000;
  d.expiration = 1'616'160'600'000'000'000;
  d.unit_of_measure_qty = 50'000'000'000;
  d.currency = "USD";
  d.asset = "ES";
  ASSERT_THAT((*defs)->Append(EncodeDefinitionV3(d)), IsOk());
  ASSERT_THAT((*defs)->Finish(), IsOk());
  meta.schema = static_cast<uint16_t>(dbn::Schema::kTrades);
  auto trades = DbnWriter::Create(dir + "/trades.dbn.zst", meta, 3);
  ASSERT_THAT(trades, IsOk());
  for (int i = 0; i < 400; ++i) {
    DbnTrade t;
    t.instrument_id = 5482;
    t.ts_event = 1'609'160'400'000'000'000 + static_cast<uint64_t>(i) * 1'000'000'000;
    t.ts_recv = t.ts_event + 50'000;
    t.price = (372'000 + 25 * ((i / 20) % 2 == 0 ? i % 20 : 20 - i % 20)) * 10'000'000LL;
    t.size = 1 + static_cast<uint32_t>(i % 3);
    t.side = i % 2 == 0 ? 'A' : 'B';
    t.sequence = static_cast<uint32_t>(100 + i);
    ASSERT_THAT((*trades)->Append(EncodeTrade(t)), IsOk());
  }
  ASSERT_THAT((*trades)->Finish(), IsOk());
  WriteFile(dir + "/run.json", absl::StrCat(R"({
  "seed": 3,
  "sources": [{"path": ")",
                                            dir, R"(/trades.dbn.zst", "format": "dbn",
               "options": {"definitions": ")",
                                            dir, R"(/defs.dbn"}}],
  "venue": {"entry_latency": "1ms", "response_latency": "1ms"},
  "account": {"initial_cash": "1000000"},
  "strategies": [{"name": "sma_crossover",
                  "params": {"instrument": "ESH1", "fast": 3, "slow": 8, "qty": "1"}}]
})"));
  std::string digests[2];
  for (int run = 0; run < 2; ++run) {
    const std::string out_dir = absl::StrCat(dir, "/out", run);
    std::string out;
    ASSERT_EQ(
        Shell(absl::StrCat(CliPath(), " run ", dir, "/run.json --out ", out_dir, " 2>&1"), &out), 0)
        << out;
    digests[run] = ReadFile(out_dir + "/sma_crossover/digest.txt");
    EXPECT_THAT(ReadFile(out_dir + "/sma_crossover/fills.csv"), HasSubstr(",ESH1,"));
  }
  EXPECT_FALSE(digests[0].empty());
  EXPECT_EQ(digests[0], digests[1]);
}

}  // namespace
}  // namespace tapedeck::replay
