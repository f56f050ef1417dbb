// `tapedeck sweep CONFIG --grid GRID.json [--jobs N] [--out DIR] [--shard K/N] [--list-jobs N]
//                [--resume]`
// `tapedeck sweep CONFIG --grid GRID.json --walk-forward --train D --test D [--step D]
//                [--anchored]`
// `tapedeck sweep-merge [--out DIR] SHARD_DIR...`
// The sweeps themselves are analysis/sweep.h and analysis/walk_forward.h.
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analysis/sweep.h"
#include "analysis/sweep_text.h"
#include "analysis/walk_forward.h"
#include "apps/commands.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/metrics.h"
#include "runner/progress.h"

namespace tapedeck::apps {
namespace {

constexpr char kUsage[] =
    "usage: tapedeck sweep CONFIG --grid GRID.json [--jobs N] [--out DIR] [--shard K/N]\n"
    "                      [--resume] [--quiet]\n"
    "       tapedeck sweep CONFIG --grid GRID.json --out DIR --list-jobs N\n"
    "       tapedeck sweep CONFIG --grid GRID.json --walk-forward --train D --test D [--step D]\n"
    "                      [--anchored] [--jobs N] [--out DIR] [--quiet]\n"
    "\n"
    "Runs the run config CONFIG (exactly one strategy) once per point of GRID, each point the\n"
    "config with the grid's values put in, and writes into DIR (default out/sweep):\n"
    "  results.csv, results.json   one row per point, sorted: feasible first (every constraint\n"
    "                              holds), then by the objective, ties by point index; with the\n"
    "                              point's parameters, key metrics and run digest\n"
    "  configs/point-NNNNNN.json   each point's config: `tapedeck run` on it gives its digest\n"
    "  sweep.journal               every finished point, recorded at once (for --resume)\n"
    "docs/sweeps.md describes every file and column. The whole grid is checked before any run\n"
    "starts; the table does not depend on --jobs or on sharding. At the end the best feasible\n"
    "point is printed.\n"
    "\n"
    "The grid file (configs/dip_buyer_grid.json is an example):\n"
    "  {\"mode\": \"grid\",                 every combination (default), the last parameter\n"
    "                                   varying fastest; or \"random\" with \"samples\": N and\n"
    "                                   \"seed\": S, N points drawn from seeded streams\n"
    "   \"params\": [                     each a value of the config, by JSON path\n"
    "     {\"path\": \"strategies[0].params.take_profit_bps\", \"values\": [300, 450, 600]},\n"
    "     {\"path\": \"strategies[0].params.max_hold\", \"values\": [\"4h\", \"8h\"]},\n"
    "     {\"path\": \"strategies[0].params.hard_stop_bps\",\n"
    "      \"range\": {\"from\": 100, \"to\": 500, \"step\": 100}}],\n"
    "   \"objective\": {\"metric\": \"pnl\", \"goal\": \"max\"},    (default: pnl, max; or \"min\")\n"
    "   \"constraints\": [{\"metric\": \"max_drawdown\", \"op\": \"<=\", \"value\": 0.15}]}\n"
    "A path is dotted keys with [i] for array elements; it must name a number, string or bool\n"
    "the config has, and every value must have that value's JSON type. Operators: <, <=, >, >=,\n"
    "==, !=. Metrics (ratios are fractions: 0.15 is 15%; max_drawdown is positive):\n"
    "%METRICS%"
    "\n"
    "  --grid FILE      the grid (required)\n"
    "  --jobs N         worker threads (default 1)\n"
    "  --out DIR        output directory (default out/sweep)\n"
    "  --shard K/N      run only the points with index % N == K-1 (1 <= K <= N); join the\n"
    "                   shards' directories with `tapedeck sweep-merge`\n"
    "  --list-jobs N    print the N shard commands, one per line (for GNU parallel or a Slurm\n"
    "                   array; see docs/sweeps.md), and run nothing; shard K writes DIR/shard-K\n"
    "  --resume         go on with the interrupted sweep whose journal is DIR/sweep.journal:\n"
    "                   its finished points are not run again, and the table is the one an\n"
    "                   uninterrupted sweep writes (the same CONFIG, GRID and --shard)\n"
    "  --quiet          no progress line and no summary\n"
    "  --plugin PATH    load a strategy/model plugin first (repeatable; also TAPEDECK_PLUGIN_PATH\n"
    "                   and the config's \"plugins\"; docs/plugins.md)\n"
    "\n"
    "A progress line (points done of total, %, points/s, elapsed, ETA, best so far) goes to\n"
    "stderr when it is a terminal.\n"
    "\n"
    "Walk-forward (docs/sweeps.md): the data span (the config's \"window\" when it has both\n"
    "bounds, else the first to the last event) is cut into train/test windows: window k\n"
    "trains on [start + k*step, + train) (--anchored: [start, start + k*step + train)) and tests\n"
    "on the next --test (the last one cut at the end of the span). The grid runs on each train\n"
    "period (the config's \"window\" set to it), the best feasible point runs on the test period,\n"
    "and the test periods' equity is stitched. A window starts cold: data before it is not\n"
    "replayed. Writes DIR/walkforward.csv and .json (per window: bounds, chosen parameters,\n"
    "in-sample objective and metrics, out-of-sample metrics; the stitched summary),\n"
    "DIR/oos_equity.csv, DIR/window-NN/train/ (the window's config.json and sweep table) and\n"
    "DIR/window-NN/test/ (config.json and the run's outputs).\n"
    "  --walk-forward   walk-forward evaluation instead of one sweep (not with --shard,\n"
    "                   --list-jobs, --resume)\n"
    "  --train D        train period length (a duration with a unit: 6h, 90m, 1d)\n"
    "  --test D         test period length\n"
    "  --step D         how far the windows move (default: --test; at least --test)\n"
    "  --anchored       train periods all start at the start of the span\n"
    "\n"
    "Exit status: 0 on success, 1 on a bad config, grid or run, 2 on a bad command line.\n";

constexpr char kMergeUsage[] =
    "usage: tapedeck sweep-merge [--out DIR] [--quiet] SHARD_DIR...\n"
    "\n"
    "Joins the tables of the shards of one sweep (`tapedeck sweep ... --shard K/N`, run on one\n"
    "machine or several) into the table a single-machine sweep writes: reads\n"
    "SHARD_DIR/results.json of every shard, checks that they come from the same config and grid\n"
    "(their grid_digest) and that together they hold every point exactly once, and writes\n"
    "DIR/results.csv and DIR/results.json (default DIR: out/sweep). The points' configs stay in\n"
    "the shards' configs/ folders. docs/sweeps.md shows the whole workflow.\n"
    "\n"
    "  --out DIR     where the merged table goes (default out/sweep)\n"
    "  --quiet       print nothing but errors (default: the best feasible point)\n"
    "\n"
    "Exit status: 0 on success, 1 when a shard is missing, malformed or of another sweep, or a\n"
    "point is missing or given twice, 2 on a bad command line.\n";

// The usage with the metric table's names filled in, six to a line.
std::string SweepUsage() {
  std::string names = "   ";
  size_t on_line = 0;
  for (const Metric& m : MetricTable()) {
    if (on_line == 6) {
      names += "\n   ";
      on_line = 0;
    }
    absl::StrAppend(&names, " ", std::string(m.name));
    ++on_line;
  }
  std::string usage = kUsage;
  usage.replace(usage.find("%METRICS%"), 9, names + "\n");
  return usage;
}

bool ParsePositive(const std::string& s, uint64_t* out) {
  int64_t v = 0;
  if (!TryParseInt(s, &v) || v <= 0) return false;
  *out = static_cast<uint64_t>(v);
  return true;
}

std::string SelfPath() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "tapedeck";
  return std::string(buf, static_cast<size_t>(n));
}

// The progress line of a sweep (runner/progress.h), with the best point so far.
class SweepLine {
 public:
  SweepLine(bool enabled, MetricId objective)
      : line_("sweep", runner::ProgressUnit::Count("points"), enabled), objective_(objective) {}
  analysis::SweepProgress::Callback Callback() {
    if (!line_.active()) return nullptr;
    return [this](uint64_t done, uint64_t total, const analysis::SweepRow* best) {
      line_.Update(done, total, analysis::BestSoFarText(objective_, best), done == total);
    };
  }
  void Clear() { line_.Clear(); }

 private:
  runner::ProgressLine line_;
  MetricId objective_;
};

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "tapedeck sweep: %s\n", std::string(s.message()).c_str());
  return kExitFailure;
}

struct Args {
  std::string config_path;
  std::string grid_path;
  analysis::SweepOptions options;
  uint64_t list_jobs = 0;
  bool quiet = false;
  bool walk_forward = false;
  analysis::WalkForwardSpec wf;
  std::vector<std::string> plugins;  // --plugin, passed on to each shard's command
};

// Parses the command line into *a; a non-negative return is the exit code to stop with.
int ParseArgs(int argc, char** argv, Args* a) {
  std::vector<std::string> config_paths;
  std::optional<std::string> shard, train, test, step;
  std::optional<uint64_t> jobs, list_jobs;
  CommandLine cli("sweep", SweepUsage());
  cli.Value("--grid", &a->grid_path)
      .Value("--out", &a->options.out_dir)
      .Count("--jobs", &jobs, 1)
      .Value("--shard", &shard)
      .Count("--list-jobs", &list_jobs, 1)
      .Flag("--quiet", &a->quiet)
      .Flag("--resume", &a->options.resume)
      .Flag("--walk-forward", &a->walk_forward)
      .Value("--train", &train)
      .Value("--test", &test)
      .Value("--step", &step)
      .Flag("--anchored", &a->wf.anchored)
      .Values("--plugin", &a->plugins)
      .Positionals(&config_paths);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  // Loaded once, before any worker starts; every worker then finds the same tables.
  if (int rc = LoadCommandPlugins("sweep", a->plugins); rc >= 0) return rc;
  if (config_paths.size() > 1)
    return cli.Fail("more than one config given ('" + config_paths[1] + "')");
  if (config_paths.empty() || a->grid_path.empty())
    return cli.Fail("needs CONFIG and --grid GRID.json");
  a->config_path = config_paths[0];
  a->options.jobs = jobs.value_or(1);
  a->list_jobs = list_jobs.value_or(0);
  if (shard.has_value()) {
    const size_t slash = shard->find('/');
    if (slash == std::string::npos ||
        !ParsePositive(shard->substr(0, slash), &a->options.shard_k) ||
        !ParsePositive(shard->substr(slash + 1), &a->options.shard_n) ||
        a->options.shard_k > a->options.shard_n) {
      return cli.Fail("--shard: '" + *shard + "' is not K/N with 1 <= K <= N");
    }
  }
  for (auto [name, text, out] :
       {std::tuple{"--train", &train, &a->wf.train}, std::tuple{"--test", &test, &a->wf.test},
        std::tuple{"--step", &step, &a->wf.step}}) {
    if (!text->has_value()) continue;
    absl::StatusOr<Duration> d = ParseDuration(**text);
    if (!d.ok()) return cli.Fail(absl::StrCat(name, ": ", d.status().message()));
    if (d->ns <= 0) return cli.Fail(absl::StrCat(name, ": must be more than 0"));
    *out = *d;
  }
  const bool has_train = train.has_value(), has_test = test.has_value();
  if (a->walk_forward != (has_train || has_test || step.has_value() || a->wf.anchored) ||
      (a->walk_forward && (!has_train || !has_test))) {
    return cli.Fail(
        "--walk-forward needs --train and --test; --train, --test, --step and "
        "--anchored need --walk-forward");
  }
  if (a->walk_forward && (a->options.shard_n > 1 || a->list_jobs > 0 || a->options.resume)) {
    return cli.Fail("--walk-forward runs on one machine and does not resume: no --shard, "
                    "--list-jobs or --resume");
  }
  return -1;
}

}  // namespace

int SweepMain(int argc, char** argv) {
  Args a;
  if (int rc = ParseArgs(argc, argv, &a); rc >= 0) return rc;
  absl::StatusOr<analysis::SweepInput> in = analysis::LoadSweepInput(a.config_path, a.grid_path);
  if (!in.ok()) return Fail(in.status());
  SweepLine line(!a.quiet, in->grid.objective);
  a.options.progress = line.Callback();
  if (a.walk_forward) {
    absl::StatusOr<analysis::WalkForwardResult> r = analysis::RunWalkForward(*in, a.wf, a.options);
    line.Clear();
    if (!r.ok()) return Fail(r.status());
    if (!a.quiet) std::printf("%s", analysis::WalkForwardText(*r, a.options.out_dir).c_str());
    return kExitOk;
  }
  if (a.list_jobs > 0) {
    const analysis::ShardSpec spec{SelfPath(), a.config_path, a.grid_path, a.options.out_dir,
                                   a.list_jobs, a.plugins};
    for (const std::string& command : analysis::ShardCommands(spec)) {
      std::printf("%s\n", command.c_str());
    }
    return kExitOk;
  }
  analysis::SweepRunInfo info;
  absl::StatusOr<analysis::SweepTable> table = analysis::RunSweep(*in, a.options, &info);
  line.Clear();
  if (!table.ok()) return Fail(table.status());
  if (!a.quiet) std::printf("%s", analysis::SweepRunText(*table, info, a.options.out_dir).c_str());
  return kExitOk;
}

int SweepMergeMain(int argc, char** argv) {
  std::string out_dir = "out/sweep";
  std::vector<std::string> dirs;
  bool quiet = false;
  CommandLine cli("sweep-merge", kMergeUsage);
  cli.Value("--out", &out_dir).Flag("--quiet", &quiet).Positionals(&dirs);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (dirs.empty()) return cli.Fail("no shard directories given");
  absl::StatusOr<analysis::SweepTable> merged = analysis::MergeSweepShards(dirs, out_dir);
  if (!merged.ok()) {
    std::fprintf(stderr, "tapedeck sweep-merge: %s\n",
                 std::string(merged.status().message()).c_str());
    return kExitFailure;
  }
  if (!quiet) {
    std::printf("%zu points from %zu shards; results in %s/results.csv\n", merged->rows.size(),
                dirs.size(), out_dir.c_str());
    std::printf("%s", analysis::SweepSummaryText(*merged, "").c_str());
  }
  return kExitOk;
}

}  // namespace tapedeck::apps
