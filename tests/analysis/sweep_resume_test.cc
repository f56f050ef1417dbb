// The sweep's resume journal: a sweep killed part way (SIGKILL, after 10 points) and resumed
// with --resume writes byte for byte the table of an uninterrupted sweep, without running the
// finished points again; a torn last line is ignored; a journal of another sweep is refused.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/analysis/sweep_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::analysis {
namespace {

using ::tapedeck::testing::CliPath;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;
using testing::Cli;
using testing::Grid;
using testing::Output;
using testing::Sh;
using testing::SweepFiles;

size_t Lines(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

// Starts the sweep, waits until its journal holds `points` finished points (plus the header
// line), kills it with SIGKILL and returns the journal's line count after the kill.
size_t SweepKilledAfter(const std::string& args, const std::string& journal, size_t points) {
  const std::string script = absl::StrCat(
      CliPath(), " ", args, " >/dev/null 2>&1 &\n",
      "pid=$!\n",
      "while [ \"$(cat ", journal, " 2>/dev/null | wc -l)\" -lt ", points + 1, " ]; do\n",
      "  kill -0 $pid 2>/dev/null || break\n",
      "  sleep 0.01\n",
      "done\n",
      "kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null\n",
      "wc -l < ", journal, "\n");
  const Output r = Sh(script);
  size_t n = 0;
  EXPECT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(r.out), &n)) << r.out;
  return n;
}

TEST(SweepResumeTest, AKilledSweepResumesToTheTableOfAnUninterruptedOne) {
  const SweepFiles files("resume");
  const std::string& dir = files.dir;
  const std::string common = files.Args();
  const Output full = Cli("sweep " + common + " --quiet --jobs 1 --out " + dir + "/full");
  ASSERT_EQ(full.exit_code, 0) << full.out;

  const std::string cut = dir + "/cut";
  const size_t lines =
      SweepKilledAfter("sweep " + common + " --quiet --jobs 1 --out " + cut, cut + "/sweep.journal", 10);
  // Killed part way: 10 or so points in the journal (the header is a line too), no table yet.
  ASSERT_GE(lines, 11u);
  ASSERT_LT(lines, 65u) << "the sweep finished before it could be killed";
  EXPECT_EQ(Sh("test -e " + cut + "/results.csv").exit_code, 1);

  const Output resumed = Cli("sweep " + common + " --resume --jobs 2 --out " + cut);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  EXPECT_THAT(resumed.out, HasSubstr(absl::StrCat(65 - lines, " of 64 points run, ", lines - 1,
                                                  " taken from ", cut, "/sweep.journal")));
  EXPECT_THAT(resumed.out, HasSubstr("best feasible point: pnl "));
  EXPECT_EQ(ReadFile(cut + "/results.csv"), ReadFile(dir + "/full/results.csv"));
  EXPECT_EQ(ReadFile(cut + "/results.json"), ReadFile(dir + "/full/results.json"));
  // Every point is in the journal once now; resuming again runs nothing and changes nothing.
  EXPECT_EQ(Lines(ReadFile(cut + "/sweep.journal")), 65u);
  const Output again = Cli("sweep " + common + " --resume --out " + cut);
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_THAT(again.out, HasSubstr("0 of 64 points run, 64 taken from"));
  EXPECT_EQ(ReadFile(cut + "/results.csv"), ReadFile(dir + "/full/results.csv"));
}

TEST(SweepResumeTest, ATornLastLineIsIgnoredAndAnotherSweepsJournalRefused) {
  nlohmann::json grid = nlohmann::json::parse(Grid());
  grid["params"].erase(1);
  grid["params"].erase(1);  // 4 x 2 = 8 points
  const SweepFiles files("resume_torn", grid.dump());
  const std::string& dir = files.dir;
  const std::string common = files.Args() + " --quiet";
  ASSERT_EQ(Cli("sweep " + common + " --out " + dir + "/full").exit_code, 0);
  // A journal of the first three points and half of the fourth, as a crash mid-write leaves it.
  const std::vector<std::string> lines =
      absl::StrSplit(ReadFile(dir + "/full/sweep.journal"), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 9u);
  WriteFile(dir + "/cut/sweep.journal", absl::StrCat(lines[0], "\n", lines[1], "\n", lines[2], "\n",
                                                     lines[3], "\n", lines[4].substr(0, 20)));
  const Output r = Cli("sweep " + common + " --resume --out " + dir + "/cut");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(ReadFile(dir + "/cut/results.csv"), ReadFile(dir + "/full/results.csv"));
  EXPECT_EQ(Lines(ReadFile(dir + "/cut/sweep.journal")), 9u);
  // A changed grid cannot resume this journal; nor can a sweep without one.
  grid["params"][0]["values"] = {150, 300};
  WriteFile(dir + "/grid2.json", grid.dump());
  const Output other = Cli("sweep " + dir + "/config.json --grid " + dir + "/grid2.json --resume --out " +
                           dir + "/cut");
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_THAT(other.out, HasSubstr("cut/sweep.journal:1: grid_digest: the journal is of another sweep"));
  const Output none = Cli("sweep " + common + " --resume --out " + dir + "/none");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_THAT(none.out, HasSubstr("none/sweep.journal: no journal to resume"));
}

}  // namespace
}  // namespace tapedeck::analysis
