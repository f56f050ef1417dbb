// The table `tapedeck run` prints, as text, from typed run results.
#include "analysis/run_text.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "analysis/metric_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tapedeck::analysis {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

runner::RunResult Result(const std::string& label, double span_days) {
  runner::RunResult r;
  r.spec.label = label;
  r.facts.market_events = 2'000'000;
  r.totals.orders = 12;
  r.totals.fills = 10;
  r.totals.pnl = Money(71'949'000'000);  // 719.49
  r.totals.final_equity = Money(100'071'949'000'000);
  r.metrics.span_seconds = span_days * 86400;
  r.metrics.sharpe = 1.5;
  r.metrics.round_trips = 3;
  r.metrics.win_rate = 2.0 / 3.0;
  r.digests.run = 0x4211e201c152b1fcULL;
  r.wall_seconds = 0.5;
  return r;
}

TEST(RunTextTest, OneColumnPerStrategyWithItsMetricsAndFacts) {
  const std::string text =
      RunTableText({Result("basis_reentry", 60), Result("dip", 60)}, "out/run");
  const std::vector<std::string> lines = absl::StrSplit(text, '\n');
  EXPECT_THAT(lines[0], StartsWith("strategy"));
  EXPECT_THAT(lines[0], HasSubstr("basis_reentry"));
  EXPECT_THAT(lines[0], HasSubstr("dip"));
  EXPECT_THAT(text, HasSubstr("719.49"));
  EXPECT_THAT(text, HasSubstr("4211e201c152b1fc"));
  EXPECT_THAT(text, HasSubstr("4.00M"));  // events/s: 2M events in 0.5 s
  // Every line of the table has the same width: the columns line up.
  EXPECT_EQ(lines[1].size(), lines[0].size());
  EXPECT_EQ(lines.back(), "");
  EXPECT_EQ(lines[lines.size() - 2], "outputs in out/run/ (report: out/run/report.html)");
  EXPECT_THAT(text, ::testing::Not(HasSubstr("annualised from")));
}

TEST(RunTextTest, ShortSpanFlagsAnnualisedFiguresWithANote) {
  const std::string text = RunTableText({Result("basis_reentry", 3)}, "o");
  EXPECT_THAT(text, HasSubstr(std::string("1.50") + kShortSpanMark));
  EXPECT_THAT(text, HasSubstr("annualised from"));
}

TEST(RunTextTest, JournalReplayLineCountsOrdersAndFills) {
  runner::JournalReplayResult r;
  r.events = 12;
  r.run.summary = {{"orders", 3}, {"fills", 2}};
  EXPECT_EQ(JournalReplayText(r, "out/j"),
            "replayed 12 journal events: 3 orders, 2 fills; outputs in out/j\n");
  r.torn = true;
  EXPECT_THAT(JournalReplayText(r, "out/j"), HasSubstr("events (torn tail ignored):"));
}

}  // namespace
}  // namespace tapedeck::analysis
