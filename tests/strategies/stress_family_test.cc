// The stress family: both seed strategies on 100 jittered, seeded deleveraging scenarios (a tenth
// of the default activity each, same price path model), jittered harder than the default family
// (+-60%: falls of 5-21%, rebounds of 4-16%, blow-outs from 560 to 1240 bps) so that some
// rebounds fall short of the dip buyer's target and some blow-outs never reach the basis entry. Prints the summary (share profitable,
// worst drawdown) and checks that it is deterministic.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "core/decimal.h"
#include "gtest/gtest.h"
#include "tests/strategies/scenario_run.h"
#include "tests/test_util.h"

namespace tapedeck::strategies {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::RunOnScenario;
using ::tapedeck::testing::ScenarioRun;

constexpr uint64_t kFamilySeed = 20260205;
// 100 members; under sanitizers (CI's second pass, 10-20x slower) a tenth of them: that pass
// looks for memory errors, the Release pass checks the family's results.
#ifdef TAPEDECK_SANITIZED
constexpr int kMembers = 10;
#else
constexpr int kMembers = 100;
#endif

replay::ScenarioParams SmallBase() {
  replay::ScenarioParams p;
  for (double& r : p.book_rate) r /= 10;
  for (double& r : p.trade_rate) r /= 10;
  p.liquidation_rate /= 10;
  p.mark_interval = Duration::Minutes(1);
  p.family_jitter_pct = 60;
  return p;
}

struct MemberResult {
  int64_t pnl = 0;           // final equity - initial cash, 10^-8 USD
  int64_t max_dd_bps = 0;    // peak-to-trough of the equity curve, bps of the peak
  size_t fills = 0;
};

MemberResult RunMember(const std::string& strategy, int i) {
  const replay::ScenarioParams p = replay::FamilyMember(SmallBase(), kFamilySeed, i);
  ScenarioRun run;
  const Money cash(1'000'000 * Money::kOne);
  EXPECT_THAT(RunOnScenario(p, replay::FamilySeed(kFamilySeed, i), strategy,
                            nlohmann::json::object(), &run, {.initial_cash = cash}),
              IsOk());
  MemberResult r;
  if (run.engine == nullptr) return r;
  r.pnl = run.engine->context().portfolio().Equity().raw - cash.raw;
  r.fills = run.engine->records().fill_log().size();
  int64_t peak = cash.raw;
  for (const EquityPoint& e : run.engine->equity_curve()) {
    peak = std::max(peak, e.equity.raw);
    const int64_t dd = static_cast<int64_t>(static_cast<Int128>(peak - e.equity.raw) * 10'000 / peak);
    r.max_dd_bps = std::max(r.max_dd_bps, dd);
  }
  return r;
}

void Summarise(const std::string& strategy, const std::vector<MemberResult>& rs) {
  int traded = 0, profitable = 0;
  int64_t worst_dd = 0, worst_pnl = INT64_MAX, best_pnl = INT64_MIN;
  Int128 total = 0;
  for (const MemberResult& r : rs) {
    if (r.fills > 0) ++traded;
    if (r.pnl > 0) ++profitable;
    worst_dd = std::max(worst_dd, r.max_dd_bps);
    worst_pnl = std::min(worst_pnl, r.pnl);
    best_pnl = std::max(best_pnl, r.pnl);
    total += r.pnl;
  }
  const int64_t mean = static_cast<int64_t>(total / static_cast<Int128>(rs.size()));
  std::printf(
      "stress %-14s members %zu traded %d profitable %d (%.0f%% of members, %.0f%% of traded) "
      "mean pnl %s worst pnl %s best pnl %s worst drawdown %.2f%%\n",
      strategy.c_str(), rs.size(), traded, profitable, 100.0 * profitable / static_cast<double>(rs.size()),
      traded > 0 ? 100.0 * profitable / traded : 0.0, FormatDecimal(mean / 1'000'000, 2).c_str(),
      FormatDecimal(worst_pnl / 1'000'000, 2).c_str(),
      FormatDecimal(best_pnl / 1'000'000, 2).c_str(),
      static_cast<double>(worst_dd) / 100.0);
  ::testing::Test::RecordProperty(strategy + "_profitable", profitable);
  ::testing::Test::RecordProperty(strategy + "_traded", traded);
  ::testing::Test::RecordProperty(strategy + "_worst_drawdown_bps", static_cast<int>(worst_dd));
}

class StressFamilyTest : public ::testing::TestWithParam<std::string> {};

TEST_P(StressFamilyTest, HundredSeededScenariosSummarisedAndDeterministic) {
  const std::string strategy = GetParam();
  std::vector<MemberResult> results;
  for (int i = 0; i < kMembers; ++i) results.push_back(RunMember(strategy, i));
  Summarise(strategy, results);
  // Deterministic: members re-run give the same result, bit for bit.
  for (int i : {0, kMembers / 6, kMembers / 2, kMembers - 1}) {
    const MemberResult again = RunMember(strategy, i);
    EXPECT_EQ(again.pnl, results[static_cast<size_t>(i)].pnl) << "member " << i;
    EXPECT_EQ(again.fills, results[static_cast<size_t>(i)].fills) << "member " << i;
  }
  // Both strategies trade in most members of a family of deleveragings.
  const auto traded = std::count_if(results.begin(), results.end(),
                                    [](const MemberResult& r) { return r.fills > 0; });
  EXPECT_GE(traded, kMembers / 2);
}

INSTANTIATE_TEST_SUITE_P(Strategies, StressFamilyTest,
                         ::testing::Values("dip_buyer", "basis_reentry"));

}  // namespace
}  // namespace tapedeck::strategies
