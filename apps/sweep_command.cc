// `tapedeck sweep CONFIG --grid GRID.json [--jobs N] [--out DIR] [--shard K/N] [--list-jobs N]`
// `tapedeck sweep CONFIG --grid GRID.json --walk-forward --train D --test D [--step D] [--anchored]`
// `tapedeck sweep-merge [--out DIR] SHARD_DIR...`
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "runner/command_line.h"
#include "apps/commands.h"
#include "runner/backtest.h"
#include "runner/output_writer.h"
#include "runner/run_config.h"
#include "apps/sweep.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/source.h"
#include "core/status.h"
#include "replay/source_factory.h"
#include "strategies/registry.h"

namespace tapedeck::apps {

using runner::Fnv1a64;
using runner::Hex64;
using runner::ParseRunConfig;
using runner::RunConfig;
using runner::RunBacktest;
using runner::RunOptions;
using runner::RunResult;
using runner::RunWindow;
using runner::StrategySpec;
using runner::WriteFileAtomically;
namespace {

constexpr char kUsage[] =
    "usage: tapedeck sweep CONFIG --grid GRID.json [--jobs N] [--out DIR] [--shard K/N]\n"
    "       tapedeck sweep CONFIG --grid GRID.json --out DIR --list-jobs N\n"
    "       tapedeck sweep CONFIG --grid GRID.json --walk-forward --train D --test D [--step D]\n"
    "                      [--anchored] [--jobs N] [--out DIR]\n"
    "       tapedeck sweep-merge [--out DIR] SHARD_DIR...\n"
    "\n"
    "Runs the run config CONFIG (exactly one strategy) once per point of GRID (apps/sweep.h and\n"
    "configs/dip_buyer_grid.json describe the grid: parameters by JSON path, grid or seeded random\n"
    "search, constraints, objective). Writes DIR/results.csv and DIR/results.json (rows sorted:\n"
    "feasible first, then by the objective, ties by point index; with the parameters, key metrics\n"
    "and run digests) and DIR/configs/point-NNNNNN.json, the config of each point: `tapedeck run`\n"
    "on it gives the same digest. The whole grid is checked before any run starts.\n"
    "\n"
    "  --grid FILE      the grid (required)\n"
    "  --jobs N         worker threads (default 1)\n"
    "  --out DIR        output directory (default out/sweep)\n"
    "  --shard K/N      run only the points with index % N == K-1 (1 <= K <= N)\n"
    "  --list-jobs N    print the N shard commands, one per line (for GNU parallel or a Slurm\n"
    "                   array; see the README), and run nothing; shard K writes DIR/shard-K\n"
    "  --quiet          no progress bar\n"
    "\n"
    "Walk-forward (apps/sweep.h): the data span (the config's \"window\" when it has both bounds,\n"
    "else the first to the last event) is cut into train/test windows: window k trains on\n"
    "[start + k*step, + train) (--anchored: [start, start + k*step + train)) and tests on the\n"
    "next --test (the last one cut at the end of the span). The grid runs on each train period\n"
    "(the config's \"window\" set to it), the best feasible point runs on the test period, and\n"
    "the test periods' equity is stitched. A window starts cold: data before it is not replayed.\n"
    "Writes DIR/walkforward.csv and .json (per window: bounds, chosen parameters, in-sample\n"
    "objective and metrics, out-of-sample metrics; the stitched summary), DIR/oos_equity.csv,\n"
    "DIR/window-NN/train/ (the window's config.json and sweep table) and DIR/window-NN/test/\n"
    "(config.json and the run's outputs).\n"
    "  --walk-forward   walk-forward evaluation instead of one sweep (not with --shard, --list-jobs)\n"
    "  --train D        train period length (a duration: 6h, 90m, 1d)\n"
    "  --test D         test period length\n"
    "  --step D         how far the windows move (default: --test; at least --test)\n"
    "  --anchored       train periods all start at the start of the span\n"
    "\n"
    "sweep-merge reads SHARD_DIR/results.json of shards of one sweep and writes the table a\n"
    "single-machine sweep gives into --out DIR (default out/sweep).\n";

bool ParsePositive(const std::string& s, uint64_t* out) {
  int64_t v = 0;
  if (!TryParseInt(s, &v) || v <= 0) return false;
  *out = static_cast<uint64_t>(v);
  return true;
}

absl::Status MakeDirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat(dir, ": cannot create: ", ec.message()));
  return absl::OkStatus();
}

absl::Status WriteTable(const std::string& dir, const nlohmann::json& table) {
  TAPEDECK_RETURN_IF_ERROR(MakeDirs(dir));
  TAPEDECK_RETURN_IF_ERROR(WriteFileAtomically(dir + "/results.csv", SweepTableCsv(table)));
  return WriteFileAtomically(dir + "/results.json", table.dump(2) + "\n");
}

std::string SelfPath() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "tapedeck";
  return std::string(buf, static_cast<size_t>(n));
}

// A shell word, single-quoted when it holds anything but safe characters.
std::string ShellQuote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-./=:@%+,") == std::string::npos) {
    return s;
  }
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

class Bar {
 public:
  Bar(bool enabled, uint64_t total) : enabled_(enabled && ::isatty(2) == 1), total_(total) {}
  void Done(uint64_t done) {
    if (!enabled_) return;
    std::lock_guard<std::mutex> lock(mu_);
    constexpr uint64_t kWidth = 40;
    const uint64_t filled = total_ == 0 ? kWidth : done * kWidth / total_;
    std::string bar(filled, '#');
    bar.append(kWidth - filled, ' ');
    std::fprintf(stderr, "\rsweep [%s] %llu/%llu", bar.c_str(), static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total_));
    shown_ = true;
  }
  ~Bar() {
    if (shown_) std::fputs("\r\033[K", stderr);
  }

 private:
  bool enabled_;
  uint64_t total_;
  std::mutex mu_;
  bool shown_ = false;
};

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "tapedeck sweep: %s\n", std::string(s.message()).c_str());
  return kExitFailure;
}

// Parses one point's config and builds its strategy once, so a bad value fails before any run.
absl::StatusOr<RunConfig> PreparePoint(const nlohmann::json& doc, const std::string& config_path,
                                       uint64_t index) {
  absl::StatusOr<RunConfig> rc = ParseRunConfig(doc, config_path, std::nullopt);
  if (!rc.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(config_path, " (sweep point ", index, "): ", rc.status().message()));
  }
  if (!rc->seed.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(config_path, ": seed: required"));
  }
  if (rc->strategies.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        config_path, ": strategies: a sweep needs exactly one strategy, the config has ",
        rc->strategies.size()));
  }
  const StrategySpec& spec = rc->strategies[0];
  ConfigObject params(&spec.params, spec.where + ".params");
  absl::StatusOr<std::unique_ptr<Strategy>> st =
      strategies::CreateStrategy(spec.name, params, rc->instruments);
  if (!st.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(config_path, " (sweep point ", index, "): ", st.status().message()));
  }
  return rc;
}

// Calls fn(k) once for each k in [0, n) on min(jobs, n) threads; which thread runs which k does
// not matter: results go to slot k.
void RunParallel(size_t n, uint64_t jobs, Bar* bar, std::atomic<uint64_t>* done,
                 const std::function<void(size_t)>& fn) {
  std::atomic<size_t> next{0};
  auto worker = [&]() {
    for (;;) {
      const size_t k = next.fetch_add(1);
      if (k >= n) return;
      fn(k);
      bar->Done(done->fetch_add(1) + 1);
    }
  };
  std::vector<std::thread> threads;
  const uint64_t n_threads = std::min<uint64_t>(jobs, std::max<size_t>(n, 1));
  for (uint64_t t = 0; t < n_threads; ++t) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
}

// Runs configs[k] for every k; rows[k] is its table row (point index points[k]).
absl::Status RunPoints(const SweepGrid& grid, const std::vector<RunConfig>& configs,
                       const std::vector<uint64_t>& points, uint64_t jobs, Bar* bar,
                       std::atomic<uint64_t>* done, std::vector<nlohmann::json>* rows) {
  rows->assign(configs.size(), nlohmann::json());
  std::vector<absl::Status> errors(configs.size());
  RunParallel(configs.size(), jobs, bar, done, [&](size_t k) {
    absl::StatusOr<RunResult> r = RunBacktest(configs[k], configs[k].strategies[0], RunOptions());
    if (!r.ok()) {
      errors[k] = r.status();
    } else {
      (*rows)[k] = SweepRow(grid, points[k], r->summary, r->digests.RunHex());
    }
  });
  for (size_t k = 0; k < configs.size(); ++k) {
    if (!errors[k].ok()) {
      return absl::Status(errors[k].code(),
                          absl::StrCat("sweep point ", points[k], ": ", errors[k].message()));
    }
  }
  return absl::OkStatus();
}

// The exchange-time span of the config's data: its "window" when that has both bounds, else the
// first event to just after the last one, cut to the window's bounds that are given.
absl::StatusOr<std::pair<Timestamp, Timestamp>> DataSpan(const RunConfig& rc) {
  RunWindow w = rc.window.value_or(RunWindow{});
  if (w.start != Timestamp::Min() && w.end != Timestamp::Max()) return std::make_pair(w.start, w.end);
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  for (const replay::SourceSpec& spec : rc.sources) {
    TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<EventSource> src,
                              replay::OpenSource(spec, rc.instruments));
    for (;;) {
      TAPEDECK_ASSIGN_OR_RETURN(std::span<const Event> batch, src->NextBatch());
      if (batch.empty()) break;
      lo = std::min(lo, batch.front().exchange_ts);
      hi = std::max(hi, batch.back().exchange_ts);
    }
  }
  if (lo > hi) return absl::InvalidArgumentError(absl::StrCat(rc.origin, ": sources: no events"));
  const Timestamp start = std::max(w.start, Timestamp(lo));
  const Timestamp end = std::min(w.end, Timestamp(hi + 1));
  if (end <= start) {
    return absl::InvalidArgumentError(absl::StrCat(rc.origin, ": window: holds no events"));
  }
  return std::make_pair(start, end);
}

std::string WindowDir(const std::string& out_dir, size_t k) {
  return absl::StrFormat("%s/window-%02u", out_dir, static_cast<unsigned>(k));
}

std::string GridDigest(const nlohmann::json& grid_doc, const nlohmann::json& base) {
  return Hex64(Fnv1a64(absl::StrCat(grid_doc.dump(), "\n", base.dump())));
}

int WalkForward(const std::string& config_path, const nlohmann::json& base,
                const nlohmann::json& grid_doc, const SweepGrid& grid, const WalkForwardSpec& spec,
                uint64_t jobs, const std::string& out_dir, bool quiet) {
  for (size_t i = 0; i < grid.params.size(); ++i) {
    if (grid.params[i].tokens[0] == "window") {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "params[", i, "].path: '", grid.params[i].path,
          "': walk-forward sets the window itself; it cannot be a parameter")));
    }
  }
  absl::StatusOr<RunConfig> base_rc = ParseRunConfig(base, config_path, std::nullopt);
  if (!base_rc.ok()) {
    return Fail(absl::Status(base_rc.status().code(),
                             absl::StrCat(config_path, ": ", base_rc.status().message())));
  }
  absl::StatusOr<std::pair<Timestamp, Timestamp>> span = DataSpan(*base_rc);
  if (!span.ok()) return Fail(span.status());
  absl::StatusOr<std::vector<WalkWindow>> windows =
      WalkForwardWindows(span->first, span->second, spec);
  if (!windows.ok()) return Fail(windows.status());
  const uint64_t points = SweepPointCount(grid);

  // Every train run's config, parsed before any run starts.
  std::vector<nlohmann::json> train_bases;
  std::vector<RunConfig> configs;
  std::vector<uint64_t> point_of;
  for (const WalkWindow& w : *windows) {
    train_bases.push_back(WithWindow(base, w.train_start, w.train_end));
    for (uint64_t i = 0; i < points; ++i) {
      absl::StatusOr<RunConfig> rc =
          PreparePoint(SweepPointConfig(grid, train_bases.back(), i), config_path, i);
      if (!rc.ok()) return Fail(rc.status());
      configs.push_back(std::move(*rc));
      point_of.push_back(i);
    }
  }
  Bar bar(!quiet, configs.size() + windows->size());
  std::atomic<uint64_t> done{0};
  std::vector<nlohmann::json> all_rows;
  if (absl::Status s = RunPoints(grid, configs, point_of, jobs, &bar, &done, &all_rows); !s.ok()) {
    return Fail(s);
  }

  // Per window: the train table (as a plain sweep on the windowed config writes it) and its
  // best row; then the test configs.
  std::vector<WalkWindowResult> results(windows->size());
  std::vector<RunConfig> test_configs(windows->size());
  for (size_t k = 0; k < windows->size(); ++k) {
    results[k].window = (*windows)[k];
    std::vector<nlohmann::json> rows(all_rows.begin() + static_cast<ptrdiff_t>(k * points),
                                     all_rows.begin() + static_cast<ptrdiff_t>((k + 1) * points));
    SortSweepRows(grid, &rows);
    const nlohmann::json table =
        SweepTableJson(grid, GridDigest(grid_doc, train_bases[k]), points, rows, "");
    const std::string dir = WindowDir(out_dir, k);
    if (absl::Status s = WriteTable(dir + "/train", table); !s.ok()) return Fail(s);
    if (absl::Status s = WriteFileAtomically(dir + "/train/config.json",
                                             train_bases[k].dump(2) + "\n");
        !s.ok()) {
      return Fail(s);
    }
    if (rows.empty() || !rows[0]["feasible"].get<bool>()) continue;  // nothing to test
    results[k].train_best = rows[0];
    const uint64_t best = rows[0]["index"].get<uint64_t>();
    absl::StatusOr<RunConfig> rc = PreparePoint(
        WithWindow(SweepPointConfig(grid, base, best), (*windows)[k].test_start,
                   (*windows)[k].test_end),
        config_path, best);
    if (!rc.ok()) return Fail(rc.status());
    test_configs[k] = std::move(*rc);
  }
  std::vector<absl::Status> errors(windows->size());
  RunParallel(windows->size(), jobs, &bar, &done, [&](size_t k) {
    if (results[k].train_best.is_null()) return;
    const std::string dir = WindowDir(out_dir, k) + "/test";
    RunOptions options;
    options.out_dir = dir;
    options.keep_records = true;  // the equity curve, stitched below
    absl::StatusOr<RunResult> r =
        RunBacktest(test_configs[k], test_configs[k].strategies[0], options);
    if (!r.ok()) {
      errors[k] = r.status();
      return;
    }
    results[k].test_summary = r->summary;
    results[k].test_digest = r->digests.RunHex();
    results[k].test_equity = std::move(r->equity);
    errors[k] = WriteFileAtomically(dir + "/config.json", test_configs[k].document.dump(2) + "\n");
  });
  for (size_t k = 0; k < windows->size(); ++k) {
    if (!errors[k].ok()) {
      return Fail(absl::Status(errors[k].code(),
                               absl::StrCat("window ", k, " test: ", errors[k].message())));
    }
  }

  const Money initial_cash = base_rc->engine.initial_cash;
  const nlohmann::json table = WalkForwardJson(grid, GridDigest(grid_doc, base), spec, span->first,
                                               span->second, results, initial_cash);
  for (const auto& [name, content] :
       {std::make_pair("walkforward.json", table.dump(2) + "\n"),
        std::make_pair("walkforward.csv", WalkForwardCsv(table)),
        std::make_pair("oos_equity.csv",
                       StitchedEquityCsv(StitchEquity(results, initial_cash)))}) {
    if (absl::Status s = WriteFileAtomically(out_dir + "/" + name, content); !s.ok()) return Fail(s);
  }
  if (!quiet) {
    for (const nlohmann::json& row : table["windows"]) {
      const nlohmann::json& is = row["in_sample"];
      const nlohmann::json& oos = row["out_of_sample"];
      std::printf("window %2llu  test %s .. %s  point %s  in-sample %s %s  out-of-sample %s\n",
                  static_cast<unsigned long long>(row["window"].get<uint64_t>()),
                  row["test"]["start"].get<std::string>().c_str(),
                  row["test"]["end"].get<std::string>().c_str(), row["index"].dump().c_str(),
                  grid.objective.c_str(), is.is_null() ? "-" : is["objective"].dump().c_str(),
                  oos.is_null() ? "-" : oos["objective"].dump().c_str());
    }
    const nlohmann::json& o = table["out_of_sample"];
    std::printf("out-of-sample stitched: pnl %s, return %s, max drawdown %s; results in %s/walkforward.csv\n",
                o["pnl"].get<std::string>().c_str(), o["total_return"].dump().c_str(),
                o["max_drawdown"].dump().c_str(), out_dir.c_str());
  }
  return kExitOk;
}

}  // namespace

int SweepMain(int argc, char** argv) {
  std::vector<std::string> config_paths;
  std::string grid_path, out_dir = "out/sweep";
  std::optional<std::string> shard, train, test, step;
  std::optional<uint64_t> jobs_arg, list_jobs_arg;
  bool quiet = false, walk_forward = false;
  WalkForwardSpec wf;
  CommandLine cli("sweep", kUsage);
  cli.Value("--grid", &grid_path)
      .Value("--out", &out_dir)
      .Count("--jobs", &jobs_arg, 1)
      .Value("--shard", &shard)
      .Count("--list-jobs", &list_jobs_arg, 1)
      .Flag("--quiet", &quiet)
      .Flag("--walk-forward", &walk_forward)
      .Value("--train", &train)
      .Value("--test", &test)
      .Value("--step", &step)
      .Flag("--anchored", &wf.anchored)
      .Positionals(&config_paths);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (config_paths.size() > 1) {
    return cli.Fail("more than one config given ('" + config_paths[1] + "')");
  }
  if (config_paths.empty() || grid_path.empty()) {
    return cli.Fail("needs CONFIG and --grid GRID.json");
  }
  const std::string& config_path = config_paths[0];
  const uint64_t jobs = jobs_arg.value_or(1);
  const uint64_t list_jobs = list_jobs_arg.value_or(0);
  uint64_t shard_k = 1, shard_n = 1;
  if (shard.has_value()) {
    const size_t slash = shard->find('/');
    if (slash == std::string::npos || !ParsePositive(shard->substr(0, slash), &shard_k) ||
        !ParsePositive(shard->substr(slash + 1), &shard_n) || shard_k > shard_n) {
      return cli.Fail("--shard: '" + *shard + "' is not K/N with 1 <= K <= N");
    }
  }
  for (auto [name, text, out] : {std::tuple{"--train", &train, &wf.train},
                                 std::tuple{"--test", &test, &wf.test},
                                 std::tuple{"--step", &step, &wf.step}}) {
    if (!text->has_value()) continue;
    absl::StatusOr<Duration> d = ParseDuration(**text);
    if (!d.ok() || d->ns <= 0) {
      return cli.Fail(absl::StrCat(name, ": '", **text, "' is not a positive duration"));
    }
    *out = *d;
  }
  const bool has_train = train.has_value(), has_test = test.has_value();
  if (walk_forward != (has_train || has_test || step.has_value() || wf.anchored) ||
      (walk_forward && (!has_train || !has_test))) {
    return cli.Fail("--walk-forward needs --train and --test; --train, --test, --step and "
                    "--anchored need --walk-forward");
  }
  if (walk_forward && (shard_n > 1 || list_jobs > 0)) {
    return cli.Fail("--walk-forward runs on one machine: no --shard or --list-jobs");
  }

  nlohmann::json base, grid_doc;
  if (absl::Status s = LoadJsonFile(config_path, &base); !s.ok()) return Fail(s);
  if (absl::Status s = LoadJsonFile(grid_path, &grid_doc); !s.ok()) return Fail(s);
  absl::StatusOr<SweepGrid> grid = ParseSweepGrid(grid_doc, grid_path, base);
  if (!grid.ok()) return Fail(grid.status());
  const uint64_t points = SweepPointCount(*grid);
  if (walk_forward) {
    return WalkForward(config_path, base, grid_doc, *grid, wf, jobs, out_dir, quiet);
  }

  if (list_jobs > 0) {
    const std::string self = SelfPath();
    for (uint64_t k = 1; k <= list_jobs; ++k) {
      std::printf("%s sweep %s --grid %s --shard %llu/%llu --jobs 1 --quiet --out %s\n",
                  ShellQuote(self).c_str(), ShellQuote(config_path).c_str(),
                  ShellQuote(grid_path).c_str(), static_cast<unsigned long long>(k),
                  static_cast<unsigned long long>(list_jobs),
                  ShellQuote(absl::StrCat(out_dir, "/shard-", k)).c_str());
    }
    return kExitOk;
  }

  // Every point is parsed (and its strategy built) before any run: a bad value fails early.
  std::vector<uint64_t> mine;
  for (uint64_t i = 0; i < points; ++i) {
    if (i % shard_n == shard_k - 1) mine.push_back(i);
  }
  std::vector<RunConfig> configs;
  configs.reserve(mine.size());
  for (uint64_t i : mine) {
    absl::StatusOr<RunConfig> rc = PreparePoint(SweepPointConfig(*grid, base, i), config_path, i);
    if (!rc.ok()) return Fail(rc.status());
    configs.push_back(std::move(*rc));
  }

  const std::string grid_digest = GridDigest(grid_doc, base);
  std::vector<nlohmann::json> rows;
  Bar bar(!quiet, mine.size());
  std::atomic<uint64_t> done{0};
  if (absl::Status s = RunPoints(*grid, configs, mine, jobs, &bar, &done, &rows); !s.ok()) {
    return Fail(s);
  }
  if (absl::Status s = MakeDirs(out_dir + "/configs"); !s.ok()) return Fail(s);
  for (size_t k = 0; k < mine.size(); ++k) {
    if (absl::Status s = WriteFileAtomically(
            absl::StrFormat("%s/configs/point-%06llu.json", out_dir,
                            static_cast<unsigned long long>(mine[k])),
            configs[k].document.dump(2) + "\n");
        !s.ok()) {
      return Fail(s);
    }
  }
  SortSweepRows(*grid, &rows);
  const nlohmann::json table = SweepTableJson(
      *grid, grid_digest, points, rows,
      shard_n > 1 ? absl::StrCat(shard_k, "/", shard_n) : std::string());
  if (absl::Status s = WriteTable(out_dir, table); !s.ok()) return Fail(s);
  if (!quiet) {
    std::printf("%zu of %llu points run; results in %s/results.csv\n", mine.size(),
                static_cast<unsigned long long>(points), out_dir.c_str());
  }
  return kExitOk;
}

int SweepMergeMain(int argc, char** argv) {
  std::string out_dir = "out/sweep";
  std::vector<std::string> dirs;
  CommandLine cli("sweep-merge", kUsage);
  cli.Value("--out", &out_dir).Positionals(&dirs);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (dirs.empty()) return cli.Fail("no shard directories given");
  auto fail = [](const std::string& msg) {
    std::fprintf(stderr, "tapedeck sweep-merge: %s\n", msg.c_str());
    return kExitFailure;
  };
  nlohmann::json merged;
  std::vector<nlohmann::json> rows;
  std::vector<bool> seen;
  for (const std::string& d : dirs) {
    nlohmann::json t;
    const std::string path = d + "/results.json";
    if (absl::Status s = LoadJsonFile(path, &t); !s.ok()) return fail(std::string(s.message()));
    if (!t.is_object() || t.value("schema", "") != "tapedeck.sweep/1" || !t.contains("rows")) {
      return fail(path + ": not a sweep results.json");
    }
    if (merged.is_null()) {
      merged = t;
      merged.erase("shard");
      seen.assign(t["points"].get<uint64_t>(), false);
    } else if (t["grid_digest"] != merged["grid_digest"]) {
      return fail(path + ": grid_digest: from another sweep (different grid or config)");
    }
    for (const nlohmann::json& row : t["rows"]) {
      const uint64_t idx = row["index"].get<uint64_t>();
      if (idx >= seen.size() || seen[idx]) {
        return fail(absl::StrCat(path, ": rows: point ", idx, " out of range or given twice"));
      }
      seen[idx] = true;
      rows.push_back(row);
    }
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) return fail(absl::StrCat("point ", i, " is in none of the shards"));
  }
  // The sort needs only the goal: rebuild a grid shell from the table.
  SweepGrid g;
  g.maximize = merged["goal"] == "max";
  SortSweepRows(g, &rows);
  merged["rows"] = rows;
  if (absl::Status s = WriteTable(out_dir, merged); !s.ok()) return fail(std::string(s.message()));
  return kExitOk;
}

}  // namespace tapedeck::apps
