// Inputs that once crashed tapedeck or misled it (tests/data/hostile/, one file each): every one
// now gives a clean error naming the file and the line, byte offset or key, and exit status 1.
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck::runner {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::Shell;
using ::tapedeck::testing::SourceDir;
using ::testing::HasSubstr;

struct Case {
  const char* name;
  const char* args;      // after `tapedeck`, run in tests/data/hostile; OUT is a fresh folder
  const char* message;   // in stderr, after "tapedeck <command>: "
};

// Each crash input of the hardening issue, with what it now says.
const Case kCases[] = {
    // A number beyond a double aborted every JSON reader (nlohmann's out_of_range).
    {"seed_1e400", "run run_seed_1e400.json --out OUT",
     "run_seed_1e400.json: byte 9 (line 1, column 10): number out of the range of a double"},
    {"instruments_1e400", "convert trades.csv --format trades_csv --instruments "
                          "instruments_1e400.json --instrument BTCUSDT --out OUT/x.tape",
     "instruments_1e400.json: byte 70 (line 1, column 71): number out of the range of a double"},
    {"grid_1e400", "sweep run_ok.json --grid grid_1e400.json --out OUT --quiet",
     "grid_1e400.json: byte 183 (line 3, column 66): number out of the range of a double"},
    // 100,000 nested arrays overflowed the stack.
    {"deep_nesting", "run run_deep_nesting.json --out OUT",
     "run_deep_nesting.json: byte 72 (line 1, column 73): nested deeper than 64 levels"},
    // Duplicate keys: the last one won.
    {"duplicate_seed", "run run_duplicate_seed.json --out OUT",
     "run_duplicate_seed.json: byte 293 (line 3, column 7): duplicate key \"seed\" (first at byte "
     "6 (line 1, column 7))"},
    {"capture_duplicate_p", "convert capture_duplicate_p.txt --out OUT/x.tape",
     "capture_duplicate_p.txt:4: data.p: the key appears twice in the message"},
    // Config decimals went through double; exponents were accepted.
    {"inexact_decimal", "run run_inexact_decimal.json --out OUT",
     "12345678.123456789: more digits than a JSON number holds exactly (it would be read as "
     "12345678.12345679); write it as a string"},
    {"exponent_decimal", "run run_exponent_decimal.json --out OUT",
     "1e3: exponent notation is not accepted in configs; write the number out (1000)"},
    // Tapes with valid checksums holding order responses aborted run; a bad instrument id with
    // verify: false was a heap-buffer-overflow write.
    {"tape_order_responses_inspect", "inspect order_responses.tape",
     "order_responses.tape: byte offset 400: record 2: event kind 10 (order_ack) is not market "
     "data"},
    {"tape_order_responses_run", "run run_order_responses_tape.json --out OUT",
     "order_responses.tape: byte offset 400: record 2: event kind 10 (order_ack) is not market "
     "data"},
    {"tape_bad_instrument_unverified", "run run_bad_instrument_tape_unverified.json --out OUT",
     "bad_instrument.tape: byte offset 466: record 3: instrument id 9 is outside the tape's "
     "table of 1 instrument"},
    // Unchecked int64 arithmetic on accepted values.
    {"capture_T_overflow", "convert capture_T_overflow.txt --out OUT/x.tape",
     "capture_T_overflow.txt:4: T: time 9999999999999956322 ms is beyond 2262-04-11"},
    {"trades_2262", "convert trades_2262.csv --format trades_csv --instruments instruments.json "
                    "--instrument BTCUSDT --out OUT/x.tape",
     "trades_2262.csv:3: ts: time '2262-04-12T00:00:00Z' is outside what int64 nanoseconds hold"},
    {"window_2262", "run run_window_2262.json --out OUT",
     "run_window_2262.json: window.start: time '2262-04-12T00:00:00Z' is outside what int64 "
     "nanoseconds hold"},
    {"entry_latency_9999999d", "run run_entry_latency_9999999d.json --out OUT",
     "run_entry_latency_9999999d.json: venue.entry_latency: duration '9999999d' is beyond what "
     "int64 nanoseconds hold"},
    // Messages that named too little.
    {"empty_file", "convert empty.csv --out OUT/x.tape --instruments instruments.json",
     "empty.csv:1: empty file"},
    {"capture_too_many_decimals", "convert capture_too_many_decimals.txt --out OUT/x.tape",
     "capture_too_many_decimals.txt:4: a price with 13 decimals: an instrument's scale is at "
     "most 12"},
    {"unknown_strategy", "run run_unknown_strategy.json --out OUT",
     "run_unknown_strategy.json: strategies[0].name: unknown strategy 'nope'"},
    {"bad_strategy_param", "run run_bad_strategy_param.json --out OUT",
     "run_bad_strategy_param.json: strategies[0].params.fast: "},
};

class HostileInputTest : public ::testing::TestWithParam<Case> {};

TEST_P(HostileInputTest, GivesACleanErrorAndExitStatusOne) {
  const Case& c = GetParam();
  const std::string out = MakeTempDir(c.name);
  std::string args = c.args;
  for (size_t at; (at = args.find("OUT")) != std::string::npos;) args.replace(at, 3, out + "/o");
  std::string output;
  const int status = Shell(absl::StrCat("cd '", SourceDir(), "/tests/data/hostile' && '",
                                        CliPath(), "' ", args, " 2>&1"),
                           &output);
  EXPECT_EQ(status, 1) << output;
  EXPECT_THAT(output, HasSubstr(c.message));
  // Nothing was written.
  EXPECT_FALSE(std::filesystem::exists(out + "/o")) << output;
}

INSTANTIATE_TEST_SUITE_P(Inputs, HostileInputTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

// Trades of INT64_MAX raw units at one price: the venue's tally of quantity traded there (for
// the queue position of resting orders) wrapped negative, undefined behaviour that UBSan stops
// on. It saturates now (core/matching_core.h): the run completes.
TEST(HostileInputRunTest, TradesOfInt64MaxQuantityAtOnePriceRunThrough) {
  const std::string out = MakeTempDir("int64_max_qty");
  std::string output;
  const int status = Shell(absl::StrCat("cd '", SourceDir(), "/tests/data/hostile' && '",
                                        CliPath(), "' run run_int64_max_qty.json --quiet --out '",
                                        out, "/o' 2>&1"),
                           &output);
  EXPECT_EQ(status, 0) << output;
  EXPECT_TRUE(std::filesystem::exists(out + "/o/.tapedeck-complete")) << output;
}

}  // namespace
}  // namespace tapedeck::runner
