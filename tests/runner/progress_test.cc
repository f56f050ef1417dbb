// The progress line's text: done of total, percent, rate, elapsed and ETA in each unit; nothing
// drawn when stderr is not a terminal (as in this test).
#include "runner/progress.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tapedeck::runner {
namespace {

TEST(ProgressTest, CountsWithATotalShowPercentRateElapsedAndEta) {
  EXPECT_EQ(FormatProgress("dip_buyer", 1'200'000, 2'100'000, 0.4, ProgressUnit::Count("events")),
            "dip_buyer: 1.2M of 2.1M events   57%  3.0M events/s  elapsed 0:00  ETA 0:00");
  EXPECT_EQ(FormatProgress("sweep", 7, 64, 13.5, ProgressUnit::Count("points"), "best pnl 1234.5 (point 5)"),
            "sweep: 7 of 64 points   11%  0.52 points/s  elapsed 0:14  ETA 1:50  best pnl 1234.5 (point 5)");
}

TEST(ProgressTest, BytesAndUnknownTotals) {
  EXPECT_EQ(FormatProgress("convert", 312'400'000, 1'200'000'000, 7, ProgressUnit::Bytes()),
            "convert: 312.4 MB of 1.20 GB   26%  44.6 MB/s  elapsed 0:07  ETA 0:20");
  // Without a total: no percent, no ETA.
  EXPECT_EQ(FormatProgress("basis_reentry", 720'900, 0, 0.2, ProgressUnit::Count("events")),
            "basis_reentry: 720.9k events  3.6M events/s  elapsed 0:00");
  // Too early for a rate.
  EXPECT_EQ(FormatProgress("sweep", 0, 64, 0.01, ProgressUnit::Count("points")),
            "sweep: 0 of 64 points    0%  elapsed 0:00");
}

TEST(ProgressTest, ClockHasHoursOnlyWhenNeeded) {
  EXPECT_EQ(FormatClock(0), "0:00");
  EXPECT_EQ(FormatClock(109.4), "1:49");
  EXPECT_EQ(FormatClock(7384), "2:03:04");
  EXPECT_EQ(FormatClock(-1), "0:00");
}

TEST(ProgressTest, NothingIsDrawnOutsideATerminal) {
  // ctest gives stderr a pipe: the line stays off whatever the caller wants.
  ProgressLine line("x", ProgressUnit::Count("events"), /*enabled=*/true);
  EXPECT_FALSE(line.active());
  line.Update(1, 2, "", /*force=*/true);
}

}  // namespace
}  // namespace tapedeck::runner
