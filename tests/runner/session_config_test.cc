// Paper and fixsim configs: the run config's schema plus "fix". The shipped configs parse; a
// run key that applies means the same to them (and fixsim honours it); one that does not apply
// is refused saying why; a key of the older shapes says where it moved.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "runner/fixsim_config.h"
#include "runner/paper_config.h"
#include "runner/run_config.h"
#include "tests/test_util.h"

namespace tapedeck::runner {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::SourceDir;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

nlohmann::json Shipped(const std::string& name) {
  return nlohmann::json::parse(ReadFile(SourceDir() + "/configs/" + name));
}

nlohmann::json Btc() {
  return {{"symbol", "BTCUSDT"}, {"price_scale", 2}, {"qty_scale", 3}};
}

nlohmann::json Paper() {
  return {{"instruments", {Btc()}},
          {"account", {{"initial_cash", "5000"}}},
          {"strategies", {{{"name", "sma_crossover"}, {"params", {{"instrument", "BTCUSDT"}}}}}},
          {"fix", {{"port", 9000}, {"sender_comp_id", "P"}, {"target_comp_id", "S"}}}};
}

// 100 trades, one a second from 2026-02-05 00:00:00.
std::string WriteTrades(const std::string& dir) {
  std::string csv = "ts,price,qty,side\n";
  for (int i = 0; i < 100; ++i) {
    absl::StrAppend(&csv, 1'770'249'600'000'000'000 + int64_t{i} * 1'000'000'000,
                    ",69000.00,0.010,buy\n");
  }
  WriteFile(dir + "/trades.csv", csv);
  return dir + "/trades.csv";
}

nlohmann::json Fixsim(const std::string& trades) {
  return {{"instruments", {Btc()}},
          {"sources", {{{"path", trades}, {"format", "trades_csv"}, {"instrument", "BTCUSDT"}}}},
          {"fix", {{"port", 0}, {"store", "memory"}, {"wait_for_sessions", 0}, {"linger", "0ns"},
                   {"sessions", {{{"sender_comp_id", "S"}, {"target_comp_id", "P"}}}}}}};
}

std::string PaperError(const nlohmann::json& doc) {
  absl::StatusOr<PaperRunConfig> c = ParsePaperConfig(doc, "paper.json");
  return c.ok() ? "OK" : std::string(c.status().message());
}

std::string FixsimError(const nlohmann::json& doc) {
  absl::StatusOr<FixsimRunConfig> c = ParseFixsimConfig(doc, "fixsim.json");
  return c.ok() ? "OK" : std::string(c.status().message());
}

TEST(SessionConfigTest, ShippedConfigsParse) {
  absl::StatusOr<PaperRunConfig> paper = ParsePaperConfig(Shipped("paper_dip_buyer.json"), "p");
  ASSERT_THAT(paper, IsOk());
  EXPECT_TRUE(paper->paper.venue_clock);
  EXPECT_EQ(paper->paper.strategy_name, "dip_buyer");
  EXPECT_EQ(paper->paper.initial_cash, Money(1'000'000 * Money::kOne));
  EXPECT_EQ(paper->paper.venue.session.port, 9878);
  EXPECT_EQ(paper->run.out_dir, "out/paper");
  absl::StatusOr<FixsimRunConfig> sim = ParseFixsimConfig(Shipped("fixsim_feb5.json"), "f");
  ASSERT_THAT(sim, IsOk());
  EXPECT_EQ(sim->sim.fix.port, 9878);
  EXPECT_EQ(sim->sim.wait_for_sessions, 1);
  EXPECT_EQ(sim->sim.linger, Duration::Seconds(2));
  EXPECT_EQ(sim->sim.venue.seed, 20260205u);
  EXPECT_EQ(sim->sim.instruments.size(), 4u);  // the scenario's
}

TEST(SessionConfigTest, PaperKeysOfTheOlderShapeSayWhereTheyMoved) {
  nlohmann::json doc = Paper();
  doc["initial_cash"] = "1000";
  EXPECT_THAT(PaperError(doc), HasSubstr("initial_cash: moved to account.initial_cash"));
  doc = Paper();
  doc["strategy"] = {{"name", "dip_buyer"}};
  EXPECT_THAT(PaperError(doc), HasSubstr("strategy: moved to \"strategies\": [{"));
  doc = Paper();
  doc["clock"] = "venue";
  EXPECT_THAT(PaperError(doc), HasSubstr("clock: moved to fix.clock"));
  doc = Paper();
  doc["venue"] = {{"port", 9878}, {"sender_comp_id", "PAPER1"}};
  EXPECT_THAT(PaperError(doc), HasSubstr("venue.port: moved to fix.port"));
}

TEST(SessionConfigTest, PaperRefusesWhatDoesNotApplyAndChecksItsStrategy) {
  const std::pair<const char*, nlohmann::json> refused[] = {
      {"sources", nlohmann::json::array({{{"format", "scenario"}}})},
      {"seed", 7},
      {"window", {{"start", "2026-02-05T00:00:00Z"}}},
      {"venue", {{"queue_model", "power"}}}};
  for (const auto& [key, value] : refused) {
    nlohmann::json doc = Paper();
    doc[key] = value;
    EXPECT_THAT(PaperError(doc), HasSubstr(absl::StrCat(key, ": does not apply to paper: ")));
  }
  nlohmann::json doc = Paper();
  doc["output"] = {{"equity_interval", "1m"}};
  EXPECT_THAT(PaperError(doc), HasSubstr("output.equity_interval: does not apply to paper"));
  doc = Paper();
  doc["strategies"].push_back(doc["strategies"][0]);
  doc["strategies"][1]["label"] = "second";
  EXPECT_THAT(PaperError(doc), HasSubstr("strategies: a paper session trades one strategy"));
  doc = Paper();
  doc["strategies"][0]["params"]["fast"] = "x";
  EXPECT_THAT(PaperError(doc), HasSubstr("strategies[0].params.fast: expected an integer"));
  doc = Paper();
  doc["fix"]["clock"] = "sundial";
  EXPECT_THAT(PaperError(doc), HasSubstr("fix.clock: must be \"wall\" or \"venue\""));
  doc = Paper();
  doc["fix"]["prot"] = 1;
  EXPECT_THAT(PaperError(doc), HasSubstr("unknown key fix.prot"));
  doc = Paper();
  doc["output"] = {{"dir", "out/p"}};
  absl::StatusOr<PaperRunConfig> c = ParsePaperConfig(doc, "paper.json");
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->run.out_dir, "out/p");
  EXPECT_EQ(c->paper.initial_cash, Money(5000 * Money::kOne));
}

TEST(SessionConfigTest, FixsimKeysOfTheOlderShapeSayWhereTheyMoved) {
  for (const char* key : {"pace", "linger", "wait_for_sessions"}) {
    nlohmann::json doc = Fixsim("x.csv");
    doc[key] = doc["fix"][key].is_null() ? nlohmann::json("fast") : doc["fix"][key];
    EXPECT_THAT(FixsimError(doc), HasSubstr(absl::StrCat(key, ": moved to fix.", key)));
  }
}

TEST(SessionConfigTest, FixsimRefusesWhatDoesNotApply) {
  nlohmann::json doc = Fixsim("x.csv");
  doc["venue"]["local_shift"] = "1ms";
  EXPECT_THAT(FixsimError(doc), HasSubstr("venue.local_shift: does not apply to fixsim"));
  doc = Fixsim("x.csv");
  doc["sources"][0]["local_shift"] = "1ms";
  EXPECT_THAT(FixsimError(doc), HasSubstr("sources[0].local_shift: does not apply to fixsim"));
  doc = Fixsim("x.csv");
  doc["strategies"] = Paper()["strategies"];
  EXPECT_THAT(FixsimError(doc), HasSubstr("strategies: does not apply to fixsim"));
  doc = Fixsim("x.csv");
  doc["output"] = {{"dir", "out"}};
  EXPECT_THAT(FixsimError(doc), HasSubstr("output: does not apply to fixsim"));
}

TEST(SessionConfigTest, RunKeysMeanTheSameToFixsim) {
  nlohmann::json sim = Fixsim("x.csv");
  sim["seed"] = 11;
  sim["venue"] = {{"queue_model", "power"}, {"queue_power", 3}};
  sim["account"] = {{"initial_cash", "2500"}};
  sim["window"] = {{"start", "2026-02-05T00:00:10Z"}};
  nlohmann::json run = sim;
  run.erase("fix");
  run["strategies"] = Paper()["strategies"];
  absl::StatusOr<FixsimRunConfig> f = ParseFixsimConfig(sim, "fixsim.json");
  ASSERT_THAT(f, IsOk());
  absl::StatusOr<RunConfig> r = ParseRunConfig(run, "run.json", std::nullopt);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(QueueModelName(f->sim.venue.queue), QueueModelName(r->engine.venue.queue));
  ASSERT_NE(std::get_if<PowerQueue>(&f->sim.venue.queue), nullptr);
  EXPECT_EQ(std::get_if<PowerQueue>(&f->sim.venue.queue)->power, 3);
  EXPECT_EQ(f->sim.venue.seed, r->engine.venue.seed);
  EXPECT_EQ(f->sim.venue.initial_cash, r->engine.initial_cash);
  EXPECT_EQ(f->run.sources[0].seed, 11u);
  ASSERT_TRUE(f->run.window.has_value());
  EXPECT_EQ(f->run.window->start, r->window->start);
  // Without the key, the run's default cash (the venue's account, for margin).
  absl::StatusOr<FixsimRunConfig> plain = ParseFixsimConfig(Fixsim("x.csv"), "fixsim.json");
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(plain->sim.venue.initial_cash, EngineConfig().initial_cash);
  // Latencies: 0 unless named (the network is real), then as for `run`, models included.
  EXPECT_EQ(plain->sim.venue.entry_latency, Duration());
  EXPECT_EQ(plain->sim.venue.response_latency, Duration());
  sim["venue"]["entry_latency"] = "3ms";
  sim["venue"]["latency"] = {{"fill", {{"model", "lognormal"}, {"base", "2ms"}, {"sigma", "0.5"}}}};
  absl::StatusOr<FixsimRunConfig> timed = ParseFixsimConfig(sim, "fixsim.json");
  ASSERT_THAT(timed, IsOk());
  EXPECT_EQ(timed->sim.venue.entry_latency, Duration::Millis(3));
  EXPECT_EQ(timed->sim.venue.latency[static_cast<int>(VenueMessage::kFill)].model_name(),
            "lognormal");
}

TEST(SessionConfigTest, FixsimRejectsAnInstrumentWhoseScalesDisagreeWithItsSource) {
  nlohmann::json doc = Fixsim("x.csv");
  doc["sources"] = nlohmann::json::array({{{"format", "scenario"}}});
  doc["instruments"] = {{{"symbol", "BTC-SPOT"}, {"price_scale", 1}, {"qty_scale", 5}}};
  EXPECT_THAT(FixsimError(doc),
              HasSubstr("sources[0]: instrument BTC-SPOT has price/qty scales 2/5 here but 1/5 in "
                        "instruments"));
}

TEST(SessionConfigTest, FixsimReplaysOnlyTheWindow) {
  nlohmann::json doc = Fixsim(WriteTrades(MakeTempDir("window")));
  doc["window"] = {{"start", "2026-02-05T00:00:10Z"}, {"end", "2026-02-05T00:00:40Z"}};
  absl::StatusOr<FixsimRunConfig> c = ParseFixsimConfig(doc, "fixsim.json");
  ASSERT_THAT(c, IsOk());
  absl::StatusOr<std::unique_ptr<adapters::FixSim>> sim = BuildFixSim(*c);
  ASSERT_THAT(sim, IsOk());
  std::atomic<bool> stop{false};
  ASSERT_THAT((*sim)->Run(&stop), IsOk());  // no session to wait for, no linger
  EXPECT_EQ((*sim)->stats().events, 30u);
}

}  // namespace
}  // namespace tapedeck::runner
