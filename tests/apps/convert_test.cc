// `tapedeck convert` and `tapedeck inspect`: every sample file that a reader supports goes
// file -> tape -> replay and must give the very events that reading the file directly gives.
#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/merger.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/source_factory.h"
#include "replay/tape.h"
#include "tests/test_util.h"

namespace tapedeck {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::SharedData;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

// `tapedeck convert ARGS... --quiet` as a process; its exit code.
int Convert(const std::vector<std::string>& args) {
  std::string command = absl::StrCat("'", CliPath(), "' convert");
  for (const std::string& a : args) absl::StrAppend(&command, " '", a, "'");
  std::string output;
  const int code = ::tapedeck::testing::Shell(absl::StrCat(command, " --quiet 2>&1"), &output);
  if (code != 0) std::fprintf(stderr, "%s", output.c_str());
  return code;
}

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// Every event of `spec`, through the merger as a run reads it.
std::vector<Event> ReadAll(std::vector<replay::SourceSpec> specs, const InstrumentTable& table) {
  std::vector<std::unique_ptr<EventSource>> sources;
  for (const replay::SourceSpec& spec : specs) {
    absl::StatusOr<std::unique_ptr<EventSource>> s = replay::OpenSource(spec, table);
    EXPECT_THAT(s, IsOk());
    if (!s.ok()) return {};
    sources.push_back(std::move(*s));
  }
  Merger merger(std::move(sources));
  EXPECT_THAT(merger.Init(), IsOk());
  std::vector<Event> out;
  Event e;
  while (merger.Next(&e)) out.push_back(e);
  EXPECT_THAT(merger.status(), IsOk());
  return out;
}

struct Case {
  std::vector<std::string> files;  // under shared/data
  std::string instruments_json;    // empty: the converter's defaults (Binance captures)
  std::string instrument;          // --instrument
};

void PrintTo(const Case& c, std::ostream* os) {
  for (const std::string& f : c.files) *os << f << " ";
}

// The instruments of the sample files, at scales that hold every value exactly.
constexpr char kKlineInstruments[] = R"([
  {"symbol": "LTCUSDT", "kind": "perpetual", "base": "LTC", "quote": "USDT", "price_scale": 2, "qty_scale": 3},
  {"symbol": "LINKUSDT", "kind": "perpetual", "base": "LINK", "quote": "USDT", "price_scale": 3, "qty_scale": 2},
  {"symbol": "BTCUSDT", "kind": "perpetual", "base": "BTC", "quote": "USDT", "price_scale": 8, "qty_scale": 3}
])";
constexpr char kLobsterInstruments[] = R"([
  {"symbol": "AAPL", "kind": "spot", "base": "AAPL", "quote": "USD", "price_scale": 4, "qty_scale": 0}
])";
constexpr char kTardisInstruments[] = R"([
  {"symbol": "BTCUSDT", "kind": "perpetual", "price_scale": 4, "qty_scale": 4},
  {"symbol": "XBTUSD", "kind": "perpetual", "price_scale": 4, "qty_scale": 4},
  {"symbol": "BTC-PERPETUAL", "kind": "perpetual", "price_scale": 4, "qty_scale": 4},
  {"symbol": "BTC-USD", "kind": "perpetual", "price_scale": 4, "qty_scale": 4}
])";

// Converts `c`, checks the tape against reading the files directly, returns the tape's path.
std::string RoundTrip(const Case& c, const std::string& dir) {
  std::vector<std::string> args;
  std::vector<replay::SourceSpec> direct;
  for (const std::string& f : c.files) {
    args.push_back(SharedData(f));
    replay::SourceSpec spec;
    spec.path = SharedData(f);
    spec.instrument = c.instrument;
    direct.push_back(spec);
  }
  const std::string tape = dir + "/out.tape";
  args.insert(args.end(), {"--out", tape});
  if (!c.instruments_json.empty()) {
    WriteFile(dir + "/instruments.json", c.instruments_json);
    args.insert(args.end(), {"--instruments", dir + "/instruments.json"});
  }
  if (!c.instrument.empty()) args.insert(args.end(), {"--instrument", c.instrument});
  EXPECT_EQ(Convert(args), kExitOk);

  // The run's table: the tape's own (the same that the converter used).
  absl::StatusOr<std::vector<Instrument>> carried = replay::ReadTapeInstruments(tape);
  EXPECT_THAT(carried, IsOk());
  if (!carried.ok()) return tape;
  InstrumentTable table;
  for (const Instrument& in : *carried) EXPECT_THAT(table.Add(in), IsOk());
  if (c.instrument.empty() && table.size() == 1) {
    for (replay::SourceSpec& s : direct) s.instrument = table.all().front().symbol;
  }
  const std::vector<Event> want = ReadAll(direct, table);
  replay::SourceSpec from_tape;
  from_tape.path = tape;
  const std::vector<Event> got = ReadAll({from_tape}, table);
  EXPECT_GT(want.size(), 0u);
  EXPECT_EQ(got.size(), want.size());
  // The records as stored: byte for byte what the merger gave, every field (both timestamps,
  // kind, instrument, the input's index in `source`, payload).
  absl::StatusOr<std::unique_ptr<replay::Tape>> opened = replay::Tape::Open(tape);
  EXPECT_THAT(opened, IsOk());
  if (!opened.ok()) return tape;
  const std::span<const Event> stored = (*opened)->records();
  EXPECT_EQ(stored.size(), want.size());
  size_t mismatches = 0;
  for (size_t i = 0; i < std::min(stored.size(), want.size()) && mismatches < 5; ++i) {
    if (std::memcmp(&stored[i], &want[i], sizeof(Event)) != 0) {
      ++mismatches;
      ADD_FAILURE() << c.files.front() << ": record " << i << " differs from the direct read";
    }
  }
  // Replayed, a tape is one source of a run: the merger stamps its own index into `source`.
  for (size_t i = 0; i < std::min(got.size(), want.size()) && mismatches < 10; ++i) {
    Event w = want[i];
    w.source = 0;
    if (std::memcmp(&got[i], &w, sizeof(Event)) != 0) {
      ++mismatches;
      ADD_FAILURE() << c.files.front() << ": event " << i << " differs after the round trip";
    }
  }
  absl::StatusOr<replay::TapeHeader> h = replay::ReadTapeHeader(tape);
  EXPECT_THAT(h, IsOk());
  if (h.ok()) {
    EXPECT_EQ(h->record_count, want.size());
  }
  return tape;
}

class ConvertRoundTripTest : public ::testing::TestWithParam<Case> {};

TEST_P(ConvertRoundTripTest, TapeReplaysTheSameEventsAsTheFile) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  RoundTrip(GetParam(), MakeTempDir("roundtrip"));
}

INSTANTIATE_TEST_SUITE_P(
    SampleFiles, ConvertRoundTripTest,
    ::testing::Values(
        Case{{"binance_capture_20240808/spot/btcusdt_20240808.gz"}, "", ""},
        Case{{"binance_capture_20240808/spot/ethusdt_20240808.gz"}, "", ""},
        Case{{"binance_capture_20240808/usdm/btcusdt_20240808.gz"}, "", ""},
        Case{{"binance_capture_20240808/usdm/ethusdt_20240808.gz"}, "", ""},
        Case{{"binance_capture_20240808/cm/btcusd_perp_20240808.gz"}, "", ""},
        Case{{"binance_capture_20240808/cm/ethusd_perp_20240808.gz"}, "", ""},
        // Several inputs merge into one tape in the total order.
        Case{{"binance_capture_20240808/usdm/btcusdt_20240808.gz",
              "binance_capture_20240808/usdm/ethusdt_20240808.gz",
              "binance_capture_20240808/cm/btcusd_perp_20240808.gz"},
             "",
             ""},
        Case{{"binance_um_1m_2026_02/LTCUSDT-1m-2026-02.csv"}, kKlineInstruments, "LTCUSDT"},
        Case{{"binance_um_1m_2026_02/LINKUSDT-1m-2026-02.csv"}, kKlineInstruments, "LINKUSDT"},
        Case{{"binance_um_5m_2025q4/BTCUSDT_5m_price_klines_2025-10-01_2025-12-30_concat.csv"},
             kKlineInstruments, "BTCUSDT"},
        Case{{"tardis_samples/bitmex_trades_XBTUSD.csv"}, kTardisInstruments, ""},
        Case{{"tardis_samples/deribit_incremental_book_L2_BTC-PERPETUAL.csv"}, kTardisInstruments,
             ""},
        Case{{"tardis_samples/binance-futures_book_snapshot_5_BTCUSDT.csv"}, kTardisInstruments, ""},
        Case{{"tardis_samples/binance-futures_book_snapshot_25_BTCUSDT.csv"}, kTardisInstruments,
             ""},
        Case{{"tardis_samples/huobi-dm-swap_quotes_BTC-USD.csv"}, kTardisInstruments, ""},
        Case{{"lobster_aapl_20120621/AAPL_2012-06-21_34200000_57600000_message_10.csv"},
             kLobsterInstruments, ""}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      // "usdm_btcusdt_20240808_gz", "merged_3_files", ...: readable test names.
      const Case& c = param_info.param;
      std::string name = c.files.size() > 1 ? absl::StrCat("merged_", c.files.size(), "_files")
                                            : c.files.front();
      if (c.files.size() == 1) {
        const size_t slash = name.rfind('/');
        const size_t dir = name.rfind('/', slash - 1);
        name = name.substr(dir == std::string::npos ? 0 : dir + 1);
      }
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(ConvertTest, TextInputWithoutInstrumentsIsAnError) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string dir = MakeTempDir("noinstr");
  EXPECT_EQ(Convert({SharedData("binance_um_1m_2026_02/LTCUSDT-1m-2026-02.csv"), "--out",
                     dir + "/x.tape"}),
            kExitFailure);
  EXPECT_FALSE(std::filesystem::exists(dir + "/x.tape"));
  EXPECT_EQ(Convert({"--out", dir + "/x.tape"}), kExitUsage);
  EXPECT_EQ(Convert({"in.csv"}), kExitUsage);
  EXPECT_EQ(Convert({"in.csv", "--out", "x", "--bogus"}), kExitUsage);
}

// --- the CLI as a process ----------------------------------------------------------------

struct Output {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

Output RunCli(const std::string& args) {
  Output r;
  r.exit_code = ::tapedeck::testing::Shell(CliPath() + " " + args + " 2>&1", &r.out);
  return r;
}

TEST(InspectCliTest, PrintsHeaderCountsSpanAndEvents) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string dir = MakeTempDir("inspect");
  const std::string tape = dir + "/usdm.tape";
  const Output convert = RunCli("convert " +
                                SharedData("binance_capture_20240808/usdm/btcusdt_20240808.gz") +
                                " --out " + tape);
  ASSERT_EQ(convert.exit_code, kExitOk) << convert.out;
  EXPECT_THAT(convert.out, HasSubstr("convert: wrote " + tape + ": "));
  EXPECT_THAT(convert.out, HasSubstr(" events/s, "));

  absl::StatusOr<replay::TapeHeader> h = replay::ReadTapeHeader(tape);
  ASSERT_THAT(h, IsOk());
  const Output inspect = RunCli("inspect " + tape + " --events 2");
  ASSERT_EQ(inspect.exit_code, kExitOk) << inspect.out;
  EXPECT_THAT(inspect.out, HasSubstr("format version 1"));
  EXPECT_THAT(inspect.out, HasSubstr("(verified)"));
  EXPECT_THAT(inspect.out, HasSubstr("[0] BTCUSDT perpetual base BTC quote USDT price_scale 1 "
                                     "qty_scale 3"));
  EXPECT_THAT(inspect.out, HasSubstr(absl::StrCat("records: ", h->record_count, "\n")));
  EXPECT_THAT(inspect.out, HasSubstr("time span (exchange): 2024-08-08T23:54:"));
  EXPECT_THAT(inspect.out, HasSubstr("events by kind:\n"));
  EXPECT_THAT(inspect.out, HasSubstr("  book_level "));
  EXPECT_THAT(inspect.out, HasSubstr("first 2 events:\n  2024-08-08T23:54:"));
  EXPECT_THAT(inspect.out, HasSubstr("last 2 events:\n"));

  const Output help = RunCli("inspect --help");
  EXPECT_EQ(help.exit_code, kExitOk);
  EXPECT_THAT(help.out, HasSubstr("usage: tapedeck inspect X.tape"));
  const Output convert_help = RunCli("convert --help");
  EXPECT_EQ(convert_help.exit_code, kExitOk);
  EXPECT_THAT(convert_help.out, HasSubstr("binance_ws_capture"));
}

TEST(InspectCliTest, CorruptedTapeIsAnErrorNamingTheOffset) {
  TAPEDECK_REQUIRE_SHARED_DATA();
  const std::string dir = MakeTempDir("corrupt");
  const std::string tape = dir + "/klines.tape";
  WriteFile(dir + "/instruments.json", kKlineInstruments);
  const Output convert = RunCli("convert " + SharedData("binance_um_1m_2026_02/LTCUSDT-1m-2026-02.csv") +
                                " --instrument LTCUSDT --instruments " + dir +
                                "/instruments.json --out " + tape);
  ASSERT_EQ(convert.exit_code, kExitOk) << convert.out;
  absl::StatusOr<replay::TapeHeader> h = replay::ReadTapeHeader(tape);
  ASSERT_THAT(h, IsOk());

  std::string bytes = ::tapedeck::testing::ReadFile(tape);
  const uint64_t at = h->header_size + 5000 * 64 + 30;  // record 5000: block 4 (4096..5119)
  bytes[at] = static_cast<char>(bytes[at] ^ 0x04);
  WriteFile(tape, bytes);
  const uint64_t block = h->header_size + 4096 * 64;
  Output r = RunCli("inspect " + tape);
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat(tape, ": byte offset ", block,
                                            ": record checksum mismatch in records 4096..5119")));

  WriteFile(tape, bytes.substr(0, bytes.size() / 2));
  r = RunCli("inspect " + tape);
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat(tape, ": byte offset ", bytes.size() / 2,
                                            ": truncated tape")));
  // A run-like consumer (convert reading a tape) fails the same way.
  r = RunCli("convert " + tape + " --out " + dir + "/again.tape");
  EXPECT_EQ(r.exit_code, kExitFailure);
  EXPECT_THAT(r.out, HasSubstr("truncated tape"));
}

}  // namespace
}  // namespace tapedeck
