// The report's views of an equity curve (analysis/performance.h) on small hand-made curves whose
// answers are worked out by hand.
#include "analysis/performance.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tapedeck::analysis {
namespace {

constexpr double kDay = 86400e9;
constexpr double kJan1 = 1767225600e9;  // 2026-01-01T00:00:00Z, ns

TEST(PerformanceTest, MonthlyReturnsChainFromTheLastPointOfThePreviousMonth) {
  // 100 on Jan 1, 110 at the end of January, 99 on Feb 10, 121 in March.
  const std::vector<Pt> eq = {{kJan1, 100}, {kJan1 + 30 * kDay, 110}, {kJan1 + 40 * kDay, 99},
                              {kJan1 + 65 * kDay, 121}};
  const std::vector<MonthReturn> m = MonthlyReturns(eq);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].year, 2026);
  EXPECT_EQ(m[0].month, 1);
  EXPECT_DOUBLE_EQ(m[0].ret, 110.0 / 100 - 1);
  EXPECT_EQ(m[1].month, 2);
  EXPECT_DOUBLE_EQ(m[1].ret, 99.0 / 110 - 1);
  EXPECT_EQ(m[2].month, 3);
  EXPECT_DOUBLE_EQ(m[2].ret, 121.0 / 99 - 1);
  EXPECT_TRUE(MonthlyReturns({}).empty());
}

TEST(PerformanceTest, WorstDrawdownsAreDeepestFirstWithPeakTroughAndRecovery) {
  // Peak 100 -> 90 -> back to 100 (10 %); peak 120 -> 60 (50 %, never recovered).
  const std::vector<Pt> eq = {{0, 100}, {1, 90}, {2, 100}, {3, 120}, {4, 80}, {5, 60}, {6, 70}};
  const std::vector<DrawdownPeriod> w = WorstDrawdowns(eq, 5);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_DOUBLE_EQ(w[0].depth, 0.5);
  EXPECT_EQ(w[0].peak_x, 3);
  EXPECT_EQ(w[0].trough_x, 5);
  EXPECT_FALSE(w[0].recovery_x.has_value());
  EXPECT_DOUBLE_EQ(w[1].depth, 0.1);
  EXPECT_EQ(w[1].peak_x, 0);
  EXPECT_EQ(w[1].recovery_x, 2);
  EXPECT_EQ(WorstDrawdowns(eq, 1).size(), 1u);
  // A curve that only rises has none.
  EXPECT_TRUE(WorstDrawdowns({{0, 1}, {1, 2}}, 5).empty());
}

TEST(PerformanceTest, RollingSharpeWindowFitsFourTimesIntoTheSpan) {
  EXPECT_EQ(RollingSharpeWindow(365 * kDay), 90 * kDay);
  EXPECT_EQ(RollingSharpeWindow(28 * kDay), 7 * kDay);
  EXPECT_EQ(RollingSharpeWindow(3 * kDay), 0.25 * kDay);
  EXPECT_EQ(RollingSharpeWindow(3 * 3600e9), 0);
}

TEST(PerformanceTest, RollingSharpeStartsAfterAWholeWindowAndIsNanWhenFlat) {
  // Hourly samples alternating +1 % and -0.5 % returns: every window holds the same mix.
  std::vector<Pt> eq;
  double v = 100;
  for (int i = 0; i <= 48; ++i) {
    eq.push_back(Pt{i * 3600e9, v});
    v *= i % 2 == 0 ? 1.01 : 0.995;
  }
  const std::vector<Pt> rs = RollingSharpe(eq, 6 * 3600e9);
  ASSERT_FALSE(rs.empty());
  EXPECT_EQ(rs.front().x, 6 * 3600e9);
  EXPECT_EQ(rs.back().x, 48 * 3600e9);
  for (const Pt& p : rs) EXPECT_GT(p.y, 0);
  std::vector<Pt> flat;
  for (int i = 0; i <= 10; ++i) flat.push_back(Pt{i * 3600e9, 100});
  const std::vector<Pt> none = RollingSharpe(flat, 3 * 3600e9);
  ASSERT_FALSE(none.empty());
  EXPECT_TRUE(std::isnan(none.front().y));
}

TEST(PerformanceTest, BuyAndHoldScalesTheInitialCashByThePrice) {
  const std::vector<Pt> h = BuyAndHold({{0, NAN}, {1, 50}, {2, 75}}, 1000);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_TRUE(std::isnan(h[0].y));
  EXPECT_DOUBLE_EQ(h[1].y, 1000);
  EXPECT_DOUBLE_EQ(h[2].y, 1500);
}

TEST(PerformanceTest, SummariseStepsGivesTimeWeightedMeansAndTheRange) {
  // 0 over [0, 5), 4 over [5, 10), -2 over [10, 20): two buckets of 10.
  const StepOverview o = SummariseSteps({{0, 0}, {5, 4}, {10, -2}}, 0, 20, 2);
  ASSERT_EQ(o.mean.size(), 3u);  // two bucket starts and the close at x1
  EXPECT_DOUBLE_EQ(o.mean[0].y, 2);
  EXPECT_DOUBLE_EQ(o.low[0].y, 0);
  EXPECT_DOUBLE_EQ(o.high[0].y, 4);
  EXPECT_DOUBLE_EQ(o.mean[1].y, -2);
  EXPECT_DOUBLE_EQ(o.low[1].y, -2);
  EXPECT_DOUBLE_EQ(o.high[1].y, -2);
  EXPECT_EQ(o.mean[2].x, 20);
  EXPECT_TRUE(SummariseSteps({}, 0, 0, 4).mean.empty());
}

}  // namespace
}  // namespace tapedeck::analysis
