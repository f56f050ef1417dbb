#include "replay/scenario.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/config.h"
#include "core/decimal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/source_factory.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::StatusIs;
using ::testing::HasSubstr;

InstrumentTable Table(const ScenarioParams& p) {
  InstrumentTable t;
  for (Instrument& in : ScenarioInstruments(p)) EXPECT_THAT(t.Add(in), IsOk());
  return t;
}

std::vector<Event> Generate(const ScenarioParams& p, uint64_t seed) {
  InstrumentTable t = Table(p);
  absl::StatusOr<std::unique_ptr<ScenarioSource>> s = ScenarioSource::Create(p, seed, t);
  EXPECT_THAT(s, IsOk());
  std::vector<Event> out;
  for (;;) {
    absl::StatusOr<std::span<const Event>> b = (*s)->NextBatch();
    EXPECT_THAT(b, IsOk());
    if (!b.ok() || b->empty()) break;
    out.insert(out.end(), b->begin(), b->end());
  }
  return out;
}

// A smaller scenario for the tests that need many runs: the same path, a tenth of the activity.
ScenarioParams Small() {
  ScenarioParams p;
  for (double& r : p.book_rate) r /= 10;
  for (double& r : p.trade_rate) r /= 10;
  p.liquidation_rate /= 10;
  p.mark_interval = Duration::Minutes(1);
  return p;
}

// Spot and near-future mids from quotes, sampled as the stream goes.
struct Mids {
  std::vector<std::pair<int64_t, int64_t>> spot;  // (exchange_ts, mid raw)
  std::vector<std::pair<int64_t, int64_t>> near_basis_bps;  // annualised, from mids
};

Mids Extract(const std::vector<Event>& events, const ScenarioParams& p) {
  Mids m;
  int64_t spot = 0, near = 0;
  for (const Event& e : events) {
    if (e.kind != EventKind::kQuote) continue;
    const int64_t mid = (e.quote.bid.raw + e.quote.ask.raw) / 2;
    if (e.instrument.value == 0) {
      spot = mid;
      m.spot.emplace_back(e.exchange_ts, mid);
    } else if (e.instrument.value == 2) {
      near = mid;
    }
    if (spot > 0 && near > 0) {
      const Int128 num = static_cast<Int128>(near - spot) * 10'000 * 365 * 86'400'000'000'000LL;
      const Int128 den = static_cast<Int128>(spot) * (p.near_expiry.ns - e.exchange_ts);
      m.near_basis_bps.emplace_back(e.exchange_ts, static_cast<int64_t>(num / den));
    }
  }
  return m;
}

double Mean(const std::vector<std::pair<int64_t, int64_t>>& v, Timestamp from, Timestamp to) {
  double sum = 0;
  int64_t n = 0;
  for (const auto& [ts, x] : v) {
    if (ts >= from.ns && ts < to.ns) {
      sum += static_cast<double>(x);
      ++n;
    }
  }
  return n == 0 ? 0 : sum / static_cast<double>(n);
}

TEST(ScenarioParamsTest, ConfigFileMatchesBuiltInDefaults) {
  absl::StatusOr<ScenarioParams> file =
      LoadScenarioParams(SourceDir() + "/configs/scenarios/deleveraging.json", {}, "test");
  ASSERT_THAT(file, IsOk());
  EXPECT_TRUE(*file == ScenarioParams());
  nlohmann::json doc;
  ASSERT_THAT(LoadJsonFile(SourceDir() + "/configs/scenarios/deleveraging.json", &doc), IsOk());
  EXPECT_EQ(doc, ScenarioParamsToJson(ScenarioParams()));
}

TEST(ScenarioParamsTest, OverridesApplyAndUnknownKeysAreErrors) {
  absl::StatusOr<ScenarioParams> p =
      LoadScenarioParams("", nlohmann::json{{"fall_bps", 1000}, {"calm_only", true}}, "sources[0]");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->fall_bps, 1000);
  EXPECT_TRUE(p->calm_only);
  EXPECT_THAT(LoadScenarioParams("", nlohmann::json{{"fal_bps", 1}}, "sources[0]"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("fal_bps")));
  EXPECT_THAT(LoadScenarioParams("", nlohmann::json{{"low_time", "2026-02-05T12:00:00Z"}}, "s"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("low_time")));
}

TEST(ScenarioSourceTest, SameSeedSameEventsOtherSeedDifferent) {
  const ScenarioParams p = Small();
  const std::vector<Event> a = Generate(p, 7);
  const std::vector<Event> b = Generate(p, 7);
  const std::vector<Event> c = Generate(p, 8);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(Event)), 0);
  EXPECT_TRUE(a.size() != c.size() ||
              std::memcmp(a.data(), c.data(), a.size() * sizeof(Event)) != 0);
}

TEST(ScenarioSourceTest, DefaultScenarioHitsItsTargets) {
  const ScenarioParams p;
  const std::vector<Event> ev = Generate(p, 7);
  // A modest size: `make run` takes seconds.
  EXPECT_GT(ev.size(), 500'000u);
  EXPECT_LT(ev.size(), 3'000'000u);
  for (size_t i = 1; i < ev.size(); ++i) {
    ASSERT_LE(ev[i - 1].exchange_ts, ev[i].exchange_ts) << "event " << i;
    ASSERT_GE(ev[i].local_ts, ev[i].exchange_ts);
  }
  EXPECT_GE(ev.front().exchange_ts, p.start.ns);
  EXPECT_LT(ev.back().exchange_time(), p.end);

  const Mids m = Extract(ev, p);
  // The deleveraging day: about -13% from its open to the low.
  int64_t open = 0, low = INT64_MAX, low_ts = 0, high_after = 0;
  for (const auto& [ts, mid] : m.spot) {
    if (ts >= p.day_open.ns && open == 0) open = mid;
    if (ts >= p.day_open.ns && ts < p.day_close.ns && mid < low) {
      low = mid;
      low_ts = ts;
    }
  }
  for (const auto& [ts, mid] : m.spot) {
    if (ts > low_ts) high_after = std::max(high_after, mid);
  }
  const double fall = static_cast<double>(low) / static_cast<double>(open) - 1.0;
  const double rebound = static_cast<double>(high_after) / static_cast<double>(low) - 1.0;
  EXPECT_NEAR(fall, -0.13, 0.01);
  EXPECT_NEAR(rebound, 0.10, 0.01);
  EXPECT_NEAR(static_cast<double>(low) / 100.0, 60'000, 1'000);
  // The cascade low is in the second leg, near low_time.
  EXPECT_GT(Timestamp(low_ts), p.second_leg_start);
  EXPECT_LT(Timestamp(low_ts), p.day_close);

  // Near-month annualised basis: 3.3% calm, 9% at the blow-out, re-tightening on the rebound.
  EXPECT_NEAR(Mean(m.near_basis_bps, p.start, p.first_leg_start), 330, 40);
  EXPECT_NEAR(Mean(m.near_basis_bps, p.low_time, p.day_close), 900, 60);
  EXPECT_LT(Mean(m.near_basis_bps, p.rebound_peak, p.end), 600);

  // Open interest falls; feed latency spikes in the crash; liquidations burst in the crash.
  int64_t oi_open = 0, oi_close = 0;
  double lat_calm = 0, lat_crash = 0;
  int64_t n_calm = 0, n_crash = 0, liq_calm = 0, liq_crash = 0;
  for (const Event& e : ev) {
    if (e.kind == EventKind::kOpenInterest && e.instrument.value == 1) {
      if (e.exchange_ts <= p.day_open.ns) oi_open = e.open_interest.qty.raw;
      if (e.exchange_ts <= p.day_close.ns) oi_close = e.open_interest.qty.raw;
    }
    const double lat = static_cast<double>(e.local_ts - e.exchange_ts);
    const bool calm = e.exchange_ts < p.day_open.ns;
    const bool crash = e.exchange_ts >= p.first_leg_start.ns && e.exchange_ts < p.low_time.ns;
    if (calm) {
      lat_calm += lat;
      ++n_calm;
    }
    if (crash) {
      lat_crash += lat;
      ++n_crash;
    }
    if (e.kind == EventKind::kLiquidation) {
      liq_calm += calm ? 1 : 0;
      liq_crash += crash ? 1 : 0;
    }
  }
  EXPECT_LT(static_cast<double>(oi_close), 0.85 * static_cast<double>(oi_open));
  ASSERT_GT(n_calm, 0);
  ASSERT_GT(n_crash, 0);
  EXPECT_GT(lat_crash / static_cast<double>(n_crash), 10 * lat_calm / static_cast<double>(n_calm));
  EXPECT_GT(liq_crash, 50 * std::max<int64_t>(liq_calm, 1) / 10);
}

TEST(ScenarioSourceTest, BooksStartWithSnapshotsAndQuotesFollowTheTop) {
  const ScenarioParams p = Small();
  const std::vector<Event> ev = Generate(p, 3);
  std::vector<bool> seen(4, false);
  for (const Event& e : ev) {
    if (e.kind != EventKind::kBookLevel) continue;
    if (!seen[e.instrument.value]) {
      EXPECT_TRUE(e.level.flags & kBookSnapshotBegin);
      seen[e.instrument.value] = true;
    }
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 4);
  int64_t quotes = 0, funding = 0;
  for (const Event& e : ev) {
    if (e.kind == EventKind::kQuote) {
      ++quotes;
      EXPECT_LT(e.quote.bid.raw, e.quote.ask.raw);
    }
    if (e.kind == EventKind::kFundingRate) {
      ++funding;
      EXPECT_EQ(e.funding.funding_ts.ns % Duration::Hours(8).ns, 0);
      EXPECT_GT(e.funding.funding_ts.ns, e.exchange_ts);
    }
  }
  EXPECT_GT(quotes, 1000);
  EXPECT_EQ(funding, 9);  // 3 days: one announcement per 8 hours
}

TEST(ScenarioSourceTest, CalmOnlyHasNoCascade) {
  ScenarioParams p = Small();
  p.calm_only = true;
  const Mids m = Extract(Generate(p, 7), p);
  int64_t lo = INT64_MAX, hi = 0;
  for (const auto& [ts, mid] : m.spot) {
    lo = std::min(lo, mid);
    hi = std::max(hi, mid);
  }
  EXPECT_LT(static_cast<double>(hi - lo) / static_cast<double>(hi), 0.03);
  EXPECT_NEAR(Mean(m.near_basis_bps, p.low_time, p.day_close), 330, 60);
}

TEST(ScenarioFamilyTest, MembersAreDeterministicAndDiffer) {
  const ScenarioParams base;
  EXPECT_TRUE(FamilyMember(base, 42, 3) == FamilyMember(base, 42, 3));
  EXPECT_FALSE(FamilyMember(base, 42, 3) == FamilyMember(base, 42, 4));
  EXPECT_NE(FamilySeed(42, 3), FamilySeed(42, 4));
  for (int i = 0; i < 100; ++i) {
    const ScenarioParams m = FamilyMember(base, 42, i);
    EXPECT_LE(m.first_leg_bps, m.fall_bps);
    EXPECT_GE(m.first_leg_start, m.day_open);
    EXPECT_LE(m.low_time, m.day_close);
    EXPECT_NEAR(m.fall_bps, 1300, 261);
  }
}

TEST(ScenarioFormatTest, OpensThroughTheSourceFactory) {
  SourceSpec spec;
  spec.format = "scenario";
  spec.seed = 7;
  absl::StatusOr<std::vector<Instrument>> ins = SourceInstruments(spec);
  ASSERT_THAT(ins, IsOk());
  ASSERT_EQ(ins->size(), 4u);
  EXPECT_EQ((*ins)[2].symbol, "BTC-FUT-NEAR");
  EXPECT_EQ((*ins)[2].expiry, ScenarioParams().near_expiry);
  InstrumentTable t;
  for (Instrument& in : *ins) ASSERT_THAT(t.Add(in), IsOk());
  absl::StatusOr<std::unique_ptr<EventSource>> src = OpenSource(spec, t);
  ASSERT_THAT(src, IsOk());
  absl::StatusOr<std::span<const Event>> b = (*src)->NextBatch();
  ASSERT_THAT(b, IsOk());
  EXPECT_FALSE(b->empty());

  spec.options = nlohmann::json{{"nonsense", 1}};
  EXPECT_THAT(OpenSource(spec, t), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("nonsense")));
}

}  // namespace
}  // namespace tapedeck::replay
