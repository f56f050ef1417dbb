// RunSummary: summary.json read back is the run's own figures, bit for bit; bad files are
// errors naming the file and the key path; strategy sections and charts are read typed.
#include "analysis/run_summary.h"

#include <string>
#include <utility>

#include "analysis/backtest.h"
#include "core/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace tapedeck::analysis {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

// basis_reentry on the built-in scenario (the first strategy of configs/default.json), its
// files written to dir.
struct Scenario {
  BacktestResult result;
  std::string dir;
};

const Scenario& ScenarioRun() {
  static const Scenario s = [] {
    nlohmann::json doc;
    EXPECT_THAT(LoadJsonFile(SourceDir() + "/configs/default.json", &doc), IsOk());
    absl::StatusOr<Backtest> b = Backtest::Parse(doc, "default.json");
    EXPECT_THAT(b, IsOk());
    const std::string dir = MakeTempDir("run_summary") + "/basis_reentry";
    absl::StatusOr<BacktestResult> result = b->Run(dir);
    EXPECT_THAT(result, IsOk());
    return Scenario{std::move(*result), dir};
  }();
  return s;
}

// The scenario's summary.json as written.
nlohmann::json ScenarioJson() {
  return nlohmann::json::parse(ReadFile(ScenarioRun().dir + "/summary.json"));
}

void ExpectSameFigures(const RunFigures& a, const RunFigures& b) {
  for (const Metric& m : MetricTable()) {
    const MetricValue x = a.Value(m.id), y = b.Value(m.id);
    EXPECT_EQ(x.ToJson(), y.ToJson()) << m.name;
    EXPECT_EQ(x.ToDouble().has_value(), y.ToDouble().has_value()) << m.name;
    if (x.ToDouble().has_value()) {
      EXPECT_EQ(*x.ToDouble(), *y.ToDouble()) << m.name;
    }
  }
}

TEST(RunSummaryTest, ReadBackFromTheFileIsTheRunsOwnFigures) {
  const BacktestResult& r = ScenarioRun().result;
  absl::StatusOr<RunSummary> s = LoadRunSummary(ScenarioRun().dir);
  ASSERT_THAT(s, IsOk());
  ExpectSameFigures(s->figures, r.figures);
  EXPECT_EQ(s->strategy, "basis_reentry");
  EXPECT_EQ(s->label, "basis_reentry");
  EXPECT_EQ(s->seed, 20260205u);
  EXPECT_EQ(s->digest.run, r.digest);
  EXPECT_EQ(FormatTimestamp(s->start), ScenarioJson()["start"]);
  EXPECT_EQ(s->positions.size(), s->figures.metrics.instruments.size());
  EXPECT_EQ(s->config["seed"], 20260205);
  EXPECT_GT(s->Value(MetricId::kOrders).count(), 0u);
  EXPECT_FALSE(r.equity.empty());
  // The run's in-memory summary reads the same.
  absl::StatusOr<RunSummary> mem = r.Summary();
  ASSERT_THAT(mem, IsOk());
  ExpectSameFigures(mem->figures, r.figures);
  EXPECT_EQ(mem->strategy_report, s->strategy_report);
}

std::string Error(const nlohmann::json& j) {
  absl::StatusOr<RunSummary> s = RunSummaryFromJson(j, "out/x/summary.json");
  return s.ok() ? "OK" : std::string(s.status().message());
}

TEST(RunSummaryTest, BadFilesNameTheFileAndTheKey) {
  nlohmann::json j = ScenarioJson();
  EXPECT_EQ(Error(j), "OK");
  j["account"]["settlements"] = "two";
  EXPECT_EQ(Error(j),
            "out/x/summary.json: account.settlements: expected a count (an integer >= 0)");
  j = ScenarioJson();
  j["schema"] = "tapedeck.run/1";
  EXPECT_THAT(Error(j), HasSubstr("out/x/summary.json: schema: expected \"tapedeck.summary/1\""));
  j = ScenarioJson();
  j["metrics"].erase("win_rate");
  EXPECT_EQ(Error(j), "out/x/summary.json: metrics.win_rate: missing");
  j = ScenarioJson();
  j["instruments"][1].erase("mark");
  EXPECT_EQ(Error(j), "out/x/summary.json: instruments[1].mark: required key is missing");
  EXPECT_THAT(LoadRunSummary(MakeTempDir("run_summary_none")).status().message(),
              HasSubstr("run_summary_none/summary.json"));
}

nlohmann::json WithStrategyParts() {
  nlohmann::json j = ScenarioJson();
  j["strategy_sections"] = nlohmann::json::parse(R"json([
    {"title": "Basis rounds", "note": "annualised basis in bps",
     "columns": ["entry", "entry basis (bps)", "exit basis (bps)", "pnl"],
     "rows": [["2026-02-05T16:48:00Z", 750, null, 12.5], ["late", -3, 18446744073709551615, "x"]]},
    {"title": "Empty", "columns": [], "rows": []}
  ])json");
  j["strategy_charts"] = nlohmann::json::parse(R"([
    {"kind": "spread_bps", "title": "basis", "instruments": ["BTC-SPOT", "BTC-FUT-NEAR"]}
  ])");
  return j;
}

TEST(RunSummaryTest, StrategySectionsAndChartsAreTyped) {
  absl::StatusOr<RunSummary> s = RunSummaryFromJson(WithStrategyParts(), "s.json");
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->sections.size(), 2u);
  const StrategySection& a = s->sections[0];
  EXPECT_EQ(a.title, "Basis rounds");
  EXPECT_EQ(a.note, "annualised basis in bps");
  ASSERT_EQ(a.rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(a.rows[0][0]), "2026-02-05T16:48:00Z");
  EXPECT_EQ(std::get<int64_t>(a.rows[0][1]), 750);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(a.rows[0][2]));
  EXPECT_EQ(std::get<double>(a.rows[0][3]), 12.5);
  EXPECT_EQ(std::get<int64_t>(a.rows[1][1]), -3);
  EXPECT_TRUE(std::holds_alternative<double>(a.rows[1][2]));  // beyond int64
  EXPECT_TRUE(s->sections[1].note.empty());
  ASSERT_EQ(s->charts.size(), 1u);
  EXPECT_EQ(s->charts[0].kind, StrategyChartKind::kSpreadBps);
  EXPECT_EQ(s->charts[0].instruments, (std::vector<std::string>{"BTC-SPOT", "BTC-FUT-NEAR"}));
  // basis_reentry's own: its rounds and its basis chart.
  absl::StatusOr<RunSummary> own = RunSummaryFromJson(ScenarioJson(), "s.json");
  ASSERT_THAT(own, IsOk());
  ASSERT_EQ(own->sections.size(), 1u);
  EXPECT_EQ(own->sections[0].title, "Basis rounds: basis at entry and exit");
  ASSERT_EQ(own->charts.size(), 1u);
  EXPECT_EQ(own->charts[0].title, "basis");
  // Without the keys (runs written before strategies reported sections), none.
  nlohmann::json old = ScenarioJson();
  old.erase("strategy_sections");
  old.erase("strategy_charts");
  EXPECT_TRUE(RunSummaryFromJson(old, "s.json")->sections.empty());
}

TEST(RunSummaryTest, BadSectionsAndChartsNameTheKey) {
  nlohmann::json j = WithStrategyParts();
  j["strategy_sections"][0]["rows"][1].erase(3);
  EXPECT_EQ(Error(j),
            "out/x/summary.json: strategy_sections[0].rows[1]: expected an array of 4 "
            "cells (one per column)");
  j = WithStrategyParts();
  j["strategy_sections"][0]["rows"][0][1] = {{"bps", 750}};
  EXPECT_EQ(Error(j),
            "out/x/summary.json: strategy_sections[0].rows[0][1]: expected a string, "
            "a number or null");
  j = WithStrategyParts();
  j["strategy_charts"][0]["kind"] = "heatmap";
  EXPECT_EQ(Error(j),
            "out/x/summary.json: strategy_charts[0].kind: 'heatmap' is not one of: "
            "spread_bps");
  j = WithStrategyParts();
  j["strategy_charts"][0]["instruments"] = {"BTC-SPOT"};
  EXPECT_THAT(Error(j), HasSubstr("strategy_charts[0].instruments: spread_bps needs two"));
  j = WithStrategyParts();
  j["strategy_sections"][1]["colour"] = "red";
  EXPECT_THAT(Error(j), HasSubstr("unknown key strategy_sections[1].colour"));
}

}  // namespace
}  // namespace tapedeck::analysis
