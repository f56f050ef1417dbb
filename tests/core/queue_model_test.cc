// Queue models by hand: every expected number is worked out in the comments.
#include "core/queue_model.h"

#include "gtest/gtest.h"

namespace tapedeck {
namespace {

QueueModel Power(int n) { return PowerQueue{n}; }
const QueueModel kLog = LogQueue{};
const QueueModel kRiskAverse = RiskAverseQueue{};

TEST(QueueModelTest, Log2IsExactOnPowersOfTwoAndCloseElsewhere) {
  EXPECT_EQ(Log2Q32(1), 0);
  EXPECT_EQ(Log2Q32(8), int64_t{3} << 32);
  EXPECT_EQ(Log2Q32(uint64_t{1} << 40), int64_t{40} << 32);
  // log2(3) = 1.5849625007 -> x 2^32 = 6807362105.98; the squaring method truncates.
  EXPECT_NEAR(static_cast<double>(Log2Q32(3)), 6807362105.98, 2.0);
}

TEST(QueueModelTest, ProbabilityBehindForEachFamily) {
  // front 30, back 70.
  // power 1: 70 / 100 = 0.7; power 2: 4900 / 5800 = 0.84483; log: ln 71 / (ln 71 + ln 31)
  // = 4.26268 / 7.69667 = 0.55383.
  const double one = static_cast<double>(kQueueProbOne);
  EXPECT_NEAR(static_cast<double>(PowerQueue{1}.ProbBehindQ30(30, 70)) / one, 0.7, 1e-9);
  EXPECT_NEAR(static_cast<double>(PowerQueue{2}.ProbBehindQ30(30, 70)) / one, 0.8448276, 1e-7);
  EXPECT_NEAR(static_cast<double>(LogQueue{}.ProbBehindQ30(30, 70)) / one, 0.5538345, 1e-7);
  // Nobody anywhere: an even split.
  EXPECT_EQ(PowerQueue{1}.ProbBehindQ30(0, 0), kQueueProbOne / 2);
}

TEST(QueueModelTest, DepthDecreaseAdvancesByTheShareAhead) {
  // Level 100 -> 80 (chg 20) with 30 ahead of us, so back = 100 - 30 = 70.
  // power 1: ahead share (1 - 0.7) x 20 = 6 -> 30 - 6 = 24.
  EXPECT_EQ(QueueAheadAfterDepthChange(Power(1), 30, 100, 80, 1), 24);
  // power 2: (1 - 0.84483) x 20 = 3.103 -> floor 3 -> 27.
  EXPECT_EQ(QueueAheadAfterDepthChange(Power(2), 30, 100, 80, 1), 27);
  // power 3: p = 343000 / (343000 + 27000) = 0.92703; (1 - p) x 20 = 1.459 -> 1 -> 29.
  EXPECT_EQ(QueueAheadAfterDepthChange(Power(3), 30, 100, 80, 1), 29);
  // log (lot 1): (1 - 0.55383) x 20 = 8.923 -> 8 -> 22.
  EXPECT_EQ(QueueAheadAfterDepthChange(kLog, 30, 100, 80, 1), 22);
  // log counts lots: with lot 10 the same raw sizes are front 3, back 7 lots:
  // p = ln 8 / (ln 8 + ln 4) = 3/5 = 0.6 -> (1 - 0.6) x 20 = 8 -> 22.
  EXPECT_EQ(QueueAheadAfterDepthChange(kLog, 30, 100, 80, 10), 22);
  // Risk-averse: a decrease never moves us unless the level is smaller than our estimate.
  EXPECT_EQ(QueueAheadAfterDepthChange(kRiskAverse, 30, 100, 80, 1), 30);
  EXPECT_EQ(QueueAheadAfterDepthChange(kRiskAverse, 30, 100, 20, 1), 20);
}

TEST(QueueModelTest, DecreaseLargerThanTheBackAlsoComesFromTheFront) {
  // Level 100 -> 50 (chg 50), 90 ahead, back 10, power 1: p = 10/100 = 0.1;
  // ahead share floor(0.9 x 50) = 45, behind 5 <= back: 90 - 45 + min(10 - 5, 0) = 45.
  EXPECT_EQ(QueueAheadAfterDepthChange(Power(1), 90, 100, 50, 1), 45);
  // Level 100 -> 5, 50 ahead, back 50, power 1: p = 0.5; ahead share 47 (floor 47.5),
  // chg 95, behind 48: 50 - 47 + min(50 - 48, 0) = 3; capped at the new size 5 -> 3.
  EXPECT_EQ(QueueAheadAfterDepthChange(Power(1), 50, 100, 5, 1), 3);
}

TEST(QueueModelTest, IncreasesNeverMoveAnOrderForward) {
  EXPECT_EQ(QueueAheadAfterDepthChange(Power(2), 30, 100, 150, 1), 30);
  EXPECT_EQ(QueueAheadAfterDepthChange(kLog, 30, 100, 150, 1), 30);
}

TEST(QueueModelTest, HugeSizesDoNotOverflow) {
  // 10^15 raw units each side: the power family rescales to 20 bits; p = 1/2 either way.
  const int64_t big = 1'000'000'000'000'000;
  EXPECT_EQ(PowerQueue{3}.ProbBehindQ30(big, big), kQueueProbOne / 2);
  EXPECT_EQ(QueueAheadAfterDepthChange(Power(3), big, 2 * big, big, 1), big / 2);
}

TEST(QueueModelTest, EachModelHasItsName) {
  EXPECT_EQ(QueueModelName(kRiskAverse), "risk_averse");
  EXPECT_EQ(QueueModelName(Power(2)), "power");
  EXPECT_EQ(QueueModelName(kLog), "log");
  EXPECT_EQ(QueueModelName(QueueModel{}), "risk_averse");  // the default
}

}  // namespace
}  // namespace tapedeck
