// Helpers for the adapters tests: instruments, a trades CSV, fixsim and paper configs on free
// loopback ports (built into sessions by the runner, as the commands build them), and fixsim
// running on its own thread.
#ifndef TAPEDECK_TESTS_ADAPTERS_FIX_TEST_UTIL_H_
#define TAPEDECK_TESTS_ADAPTERS_FIX_TEST_UTIL_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "adapters/fix_session_config.h"
#include "adapters/fix_sim.h"
#include "adapters/paper_runner.h"
#include "nlohmann/json.hpp"
#include "runner/fixsim_config.h"
#include "runner/paper_config.h"
#include "tests/test_util.h"

namespace tapedeck::testing {

inline nlohmann::json BtcInstrument(const std::string& symbol = "BTCUSDT") {
  return {{"symbol", symbol}, {"kind", "spot"},       {"base", "BTC"},
          {"quote", "USDT"},  {"price_scale", 2},     {"qty_scale", 3},
          {"tick_size", "0.01"}, {"lot_size", "0.001"}, {"maker_fee", "0.0001"},
          {"taker_fee", "0.0004"}};
}

// `n` trades, one per 10 ms from 2026-02-05, on a saw-tooth path (period 40) so that an SMA
// crossover turns several times.
inline std::string WriteSawtoothTrades(const std::string& dir, int n) {
  std::string csv = "ts,price,qty,side\n";
  const int64_t t0 = 1'770'249'600'000'000'000;
  for (int i = 0; i < n; ++i) {
    const int phase = i % 40;
    const int64_t cents = 6'900'000 + (phase < 20 ? phase : 40 - phase) * 1'000;
    csv += std::to_string(t0 + int64_t{i} * 10'000'000) + "," + std::to_string(cents / 100) + "." +
           (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100) + ",0.010," +
           (i % 2 == 0 ? "buy" : "sell") + "\n";
  }
  const std::string path = dir + "/trades.csv";
  WriteFile(path, csv);
  return path;
}

inline nlohmann::json FixsimConfigJson(const std::string& trades, int port, const std::string& store,
                                       const std::string& pace = "fast") {
  return {{"instruments", nlohmann::json::array({BtcInstrument()})},
          {"sources", nlohmann::json::array(
                          {{{"path", trades}, {"format", "trades_csv"}, {"instrument", "BTCUSDT"}}})},
          {"fix", {{"port", port}, {"store", store}, {"heartbeat_s", 5}, {"reset_on_logon", true},
                   {"sessions", nlohmann::json::array(
                                    {{{"sender_comp_id", "FIXSIM"}, {"target_comp_id", "PAPER"},
                                      {"password", "s3cret"}}})},
                   {"pace", pace},
                   {"wait_for_sessions", 1},
                   {"linger", "300ms"}}}};
}

inline nlohmann::json PaperConfigJson(int port, const nlohmann::json& strategy_params,
                                      const std::string& strategy = "sma_crossover") {
  return {{"instruments", nlohmann::json::array({BtcInstrument()})},
          {"strategies", {{{"name", strategy}, {"params", strategy_params}}}},
          {"account", {{"initial_cash", "100000"}}},
          {"fix", {{"port", port}, {"sender_comp_id", "PAPER"}, {"target_comp_id", "FIXSIM"},
                   {"password", "s3cret"}, {"heartbeat_s", 5}, {"reconnect_interval_s", 1},
                   {"journal_flush", "10ms"}, {"drain", "300ms"}}}};
}

// The session settings of a paper config.
inline absl::StatusOr<adapters::PaperConfig> ParsePaper(const nlohmann::json& j) {
  absl::StatusOr<runner::PaperRunConfig> c = runner::ParsePaperConfig(j, "paper.json");
  if (!c.ok()) return c.status();
  return c->paper;
}

// A paper session with the config's own strategy.
inline absl::StatusOr<std::unique_ptr<adapters::PaperRunner>> PaperFromConfig(
    const nlohmann::json& j) {
  absl::StatusOr<runner::PaperRunConfig> c = runner::ParsePaperConfig(j, "paper.json");
  if (!c.ok()) return c.status();
  return runner::BuildPaperRunner(*c);
}

// fixsim from its JSON config, its sources opened.
inline absl::StatusOr<std::unique_ptr<adapters::FixSim>> FixSimFromConfig(const nlohmann::json& j) {
  absl::StatusOr<runner::FixsimRunConfig> c = runner::ParseFixsimConfig(j, "fixsim.json");
  if (!c.ok()) return c.status();
  return runner::BuildFixSim(*c);
}

// Waits (sleeping) until `done` or a generous bound; the bound only stops a hang, it is not
// what a test asserts on.
inline bool WaitFor(const std::function<bool()>& done, int max_ms = 10000) {
  for (int i = 0; i < max_ms / 5; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

// fixsim on a thread; Stop() interrupts it and joins.
class SimThread {
 public:
  explicit SimThread(std::unique_ptr<adapters::FixSim> sim) : sim_(std::move(sim)) {
    thread_ = std::thread([this] {
      status_ = sim_->Run(&stop_);
      finished_.store(true);
    });
  }
  ~SimThread() { Stop(); }
  void Stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  // Waits for fixsim to finish on its own (end of data + linger); false when it was still
  // running after `max_ms` (waiting for a session that never logged on, say) and had to be
  // stopped. The bound keeps a broken session from hanging the suite.
  [[nodiscard]] bool Join(int max_ms = 60000) {
    const bool finished = WaitFor([this] { return finished_.load(); }, max_ms);
    Stop();
    return finished;
  }
  adapters::FixSim& sim() { return *sim_; }
  const absl::Status& status() const { return status_; }

 private:
  std::unique_ptr<adapters::FixSim> sim_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> finished_{false};
  absl::Status status_;
  std::thread thread_;
};

// Both ends' session counters, for the message of a test whose venue never finished.
inline std::string SessionCounters(SimThread& sim, const adapters::PaperRunner& paper) {
  const adapters::FixSimStats f = sim.sim().stats();
  const adapters::FixVenueStats v = paper.venue().stats();
  return absl::StrCat("fixsim: ", f.logons, " logons, ", f.refused_logons, " refused, ", f.events,
                      " events replayed; paper: ", v.logons, " logons, ", v.disconnects,
                      " disconnects, ", v.market_messages, " market messages, ",
                      paper.events_processed(), " events processed");
}

// fixsim from its JSON config, started on a thread; nullptr (and a test failure) when the
// config or the venue is refused.
inline std::unique_ptr<SimThread> StartSim(const nlohmann::json& j) {
  absl::StatusOr<std::unique_ptr<adapters::FixSim>> sim = FixSimFromConfig(j);
  EXPECT_THAT(sim, IsOk());
  if (!sim.ok()) return nullptr;
  return std::make_unique<SimThread>(std::move(*sim));
}

}  // namespace tapedeck::testing

#endif  // TAPEDECK_TESTS_ADAPTERS_FIX_TEST_UTIL_H_
