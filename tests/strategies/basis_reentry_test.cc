#include "strategies/basis_reentry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/strategies/scenario_run.h"
#include "tests/test_util.h"

namespace tapedeck::strategies {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::RunOnScenario;
using ::tapedeck::testing::ScenarioRun;
using ::tapedeck::testing::StatusIs;
using ::testing::HasSubstr;

nlohmann::json Params(nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json p = {{"spot", "BTC-SPOT"}, {"future", "BTC-FUT-NEAR"}, {"qty", "10"}};
  for (auto it = extra.begin(); it != extra.end(); ++it) p[it.key()] = it.value();
  return p;
}

const BasisReentry& Strat(const ScenarioRun& run) {
  return dynamic_cast<const BasisReentry&>(*run.strategy);
}

TEST(BasisReentryTest, EntersDuringTheBlowOutAndExitsOnConvergence) {
  const replay::ScenarioParams p;
  ScenarioRun run;
  ASSERT_THAT(RunOnScenario(p, 7, "basis_reentry", Params(), &run), IsOk());
  const auto& rounds = Strat(run).rounds();
  ASSERT_FALSE(rounds.empty());
  const BasisReentry::Round& r = rounds.front();
  // Entered while the basis blew out (after the first leg began, before the day closed), after a
  // forced-unwind signature.
  EXPECT_GT(r.entry_time, p.first_leg_start);
  EXPECT_LT(r.entry_time, p.day_close);
  EXPECT_NE(r.signature.ns, 0);
  EXPECT_GE(r.entry_basis_bps, 750);
  // Out on convergence during the rebound, both legs filled both ways, no hedge needed.
  EXPECT_EQ(r.exit_reason, "convergence");
  EXPECT_GT(r.exit_time, p.day_close);
  EXPECT_LE(r.exit_basis_bps, 450);
  EXPECT_EQ(r.hedges, 0);
  EXPECT_FALSE(r.broken);
  EXPECT_EQ(r.spot_in.filled_qty, 1'000'000);  // 10 BTC at 10^-5
  EXPECT_GT(r.future_in.filled_qty, 0);
  EXPECT_EQ(r.spot_out.filled_qty, r.spot_in.filled_qty);
  EXPECT_EQ(r.future_out.filled_qty, r.future_in.filled_qty);
  const Context& ctx = run.engine->context();
  EXPECT_EQ(ctx.position(InstrumentId(0)).raw, 0);
  EXPECT_EQ(ctx.position(InstrumentId(2)).raw, 0);
  // Equal notional: the short leg is within one lot's notional of the long one.
  const Int128 spot_notional = static_cast<Int128>(r.spot_in.decision_mid) * 10 * 1000;
  const Int128 fut_notional = static_cast<Int128>(r.future_in.decision_mid) * r.future_in.filled_qty;
  EXPECT_LT(spot_notional > fut_notional ? spot_notional - fut_notional : fut_notional - spot_notional,
            static_cast<Int128>(r.future_in.decision_mid));
  const nlohmann::json report = run.strategy->Report();
  EXPECT_TRUE(report["rounds"][0].contains("captured_basis_bps"));
  EXPECT_TRUE(report["rounds"][0]["slippage_bps"].contains("future_entry"));
}

TEST(BasisReentryTest, NoTradesInACalmOnlyScenario) {
  replay::ScenarioParams p;
  p.calm_only = true;
  ScenarioRun run;
  ASSERT_THAT(RunOnScenario(p, 7, "basis_reentry", Params(), &run), IsOk());
  EXPECT_TRUE(run.engine->records().order_log().empty());
  // Without the unwind requirement and with a low enough threshold it would trade: the test
  // above is not vacuous.
  ScenarioRun eager;
  ASSERT_THAT(RunOnScenario(p, 7, "basis_reentry",
                            Params({{"require_unwind", false}, {"entry_basis_bps", 300},
                                    {"exit_basis_bps", 100}}),
                            &eager),
              IsOk());
  EXPECT_FALSE(eager.engine->records().order_log().empty());
}

TEST(BasisReentryTest, StarvedLegIsCancelledAndTheResidualDeltaHedged) {
  const replay::ScenarioParams p;
  ScenarioRun run;
  // The short leg rests 5% above the bid and never fills; the spot leg crosses and fills.
  ASSERT_THAT(RunOnScenario(p, 7, "basis_reentry",
                            Params({{"leg_order", "limit"}, {"future_offset_bps", -500}}), &run),
              IsOk());
  const auto& rounds = Strat(run).rounds();
  ASSERT_FALSE(rounds.empty());
  const BasisReentry::Round& r = rounds.front();
  EXPECT_EQ(r.spot_in.filled_qty, 1'000'000);
  EXPECT_EQ(r.future_in.filled_qty, 0);
  EXPECT_TRUE(r.broken);
  EXPECT_EQ(r.exit_reason, "leg_failed");
  EXPECT_EQ(r.hedges, 1);
  // The hedge went out one leg_timeout + hedge_delay after the entry and flattened the delta.
  const Context& ctx = run.engine->context();
  bool hedge_seen = false;
  for (const OrderLogEntry& o : run.engine->records().order_log()) {
    if (o.action != RequestAction::kCancel && o.request.instrument == InstrumentId(0) &&
        o.request.side == Side::kSell && o.request.type == OrderType::kMarket) {
      EXPECT_GE(o.ts, r.entry_time + Duration::Seconds(31));
      hedge_seen = true;
      break;
    }
  }
  EXPECT_TRUE(hedge_seen);
  EXPECT_EQ(ctx.position(InstrumentId(0)).raw, 0);
  EXPECT_EQ(ctx.position(InstrumentId(2)).raw, 0);
}

TEST(BasisReentryTest, ExitsOnMarginUseInTheRally) {
  const replay::ScenarioParams p;
  ScenarioRun run;
  ASSERT_THAT(RunOnScenario(p, 7, "basis_reentry", Params({{"margin_limit_pct", 40}}), &run),
              IsOk());
  const auto& rounds = Strat(run).rounds();
  ASSERT_FALSE(rounds.empty());
  EXPECT_EQ(rounds.front().exit_reason, "margin");
  EXPECT_GT(rounds.front().exit_time, p.low_time);
}

TEST(BasisReentryTest, ExitsBeforeExpiry) {
  const replay::ScenarioParams p;
  ScenarioRun run;
  ASSERT_THAT(RunOnScenario(p, 7, "basis_reentry", Params({{"exit_before_expiry", "510h"}}), &run),
              IsOk());
  const auto& rounds = Strat(run).rounds();
  ASSERT_FALSE(rounds.empty());
  EXPECT_EQ(rounds.front().exit_reason, "expiry");
  // At the first quote after the cut-off.
  const Timestamp cutoff = p.near_expiry - Duration::Hours(21 * 24 + 6);
  EXPECT_GE(rounds.front().exit_time, cutoff);
  EXPECT_LT(rounds.front().exit_time, cutoff + Duration::Minutes(1));
}

TEST(BasisReentryTest, SameSeedSameReport) {
  const replay::ScenarioParams p;
  ScenarioRun a, b;
  ASSERT_THAT(RunOnScenario(p, 5, "basis_reentry", Params(), &a), IsOk());
  ASSERT_THAT(RunOnScenario(p, 5, "basis_reentry", Params(), &b), IsOk());
  EXPECT_EQ(a.strategy->Report().dump(), b.strategy->Report().dump());
  EXPECT_EQ(a.engine->records().fill_log().size(), b.engine->records().fill_log().size());
}

TEST(BasisReentryTest, BadParametersAreErrors) {
  const replay::ScenarioParams p;
  InstrumentTable t;
  for (Instrument& in : replay::ScenarioInstruments(p)) ASSERT_THAT(t.Add(in), IsOk());
  nlohmann::json bad = Params({{"exit_basis_bps", 800}});
  ConfigObject c(&bad, "strategies[0].params");
  EXPECT_THAT(CreateStrategy("basis_reentry", c, t),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("exit_basis_bps")));
  nlohmann::json unknown = Params({{"entry_bps", 800}});
  ConfigObject c2(&unknown, "strategies[0].params");
  EXPECT_THAT(CreateStrategy("basis_reentry", c2, t),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("entry_bps")));
  nlohmann::json swapped = Params({{"spot", "BTC-PERP"}});
  ConfigObject c3(&swapped, "strategies[0].params");
  EXPECT_THAT(CreateStrategy("basis_reentry", c3, t),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("spot")));
}

}  // namespace
}  // namespace tapedeck::strategies
