// `tapedeck sweep CONFIG --grid GRID.json [--jobs N] [--out DIR] [--shard K/N] [--list-jobs N]`
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
#include "analysis/walk_forward.h"
#include "apps/commands.h"
#include "core/config.h"
#include "core/decimal.h"

namespace tapedeck::apps {
namespace {

constexpr char kUsage[] =
    "usage: tapedeck sweep CONFIG --grid GRID.json [--jobs N] [--out DIR] [--shard K/N]\n"
    "       tapedeck sweep CONFIG --grid GRID.json --out DIR --list-jobs N\n"
    "       tapedeck sweep CONFIG --grid GRID.json --walk-forward --train D --test D [--step D]\n"
    "                      [--anchored] [--jobs N] [--out DIR]\n"
    "       tapedeck sweep-merge [--out DIR] SHARD_DIR...\n"
    "\n"
    "Runs the run config CONFIG (exactly one strategy) once per point of GRID\n"
    "(analysis/sweep_grid.h and configs/dip_buyer_grid.json describe the grid: parameters by JSON\n"
    "path, grid or seeded random search, constraints, objective). Writes DIR/results.csv and\n"
    "DIR/results.json (rows sorted: feasible first, then by the objective, ties by point index;\n"
    "with the parameters, key metrics and run digests) and DIR/configs/point-NNNNNN.json, the\n"
    "config of each point: `tapedeck run` on it gives the same digest. The whole grid is checked\n"
    "before any run starts.\n"
    "\n"
    "  --grid FILE      the grid (required)\n"
    "  --jobs N         worker threads (default 1)\n"
    "  --out DIR        output directory (default out/sweep)\n"
    "  --shard K/N      run only the points with index % N == K-1 (1 <= K <= N)\n"
    "  --list-jobs N    print the N shard commands, one per line (for GNU parallel or a Slurm\n"
    "                   array; see the README), and run nothing; shard K writes DIR/shard-K\n"
    "  --quiet          no progress bar\n"
    "\n"
    "Walk-forward (analysis/walk_forward.h): the data span (the config's \"window\" when it has\n"
    "both bounds, else the first to the last event) is cut into train/test windows: window k\n"
    "trains on [start + k*step, + train) (--anchored: [start, start + k*step + train)) and tests\n"
    "on the next --test (the last one cut at the end of the span). The grid runs on each train\n"
    "period (the config's \"window\" set to it), the best feasible point runs on the test period,\n"
    "and the test periods' equity is stitched. A window starts cold: data before it is not\n"
    "replayed. Writes DIR/walkforward.csv and .json (per window: bounds, chosen parameters,\n"
    "in-sample objective and metrics, out-of-sample metrics; the stitched summary),\n"
    "DIR/oos_equity.csv, DIR/window-NN/train/ (the window's config.json and sweep table) and\n"
    "DIR/window-NN/test/ (config.json and the run's outputs).\n"
    "  --walk-forward   walk-forward evaluation instead of one sweep (not with --shard, "
    "--list-jobs)\n"
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

// The progress bar on stderr, when it is a terminal; erased at the end.
class Bar {
 public:
  explicit Bar(bool enabled) : enabled_(enabled && ::isatty(2) == 1) {}
  ~Bar() {
    if (shown_) std::fputs("\r\033[K", stderr);
  }
  // Called one at a time (analysis::SweepProgress serialises the calls).
  analysis::SweepProgress::Callback Callback() {
    if (!enabled_) return nullptr;
    return [this](uint64_t done, uint64_t total) {
      constexpr uint64_t kWidth = 40;
      const uint64_t filled = total == 0 ? kWidth : done * kWidth / total;
      std::string bar(filled, '#');
      bar.append(kWidth - filled, ' ');
      std::fprintf(stderr, "\rsweep [%s] %llu/%llu", bar.c_str(),
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
      shown_ = true;
    };
  }

 private:
  bool enabled_;
  bool shown_ = false;
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
};

// Parses the command line into *a; a non-negative return is the exit code to stop with.
int ParseArgs(int argc, char** argv, Args* a) {
  std::vector<std::string> config_paths;
  std::optional<std::string> shard, train, test, step;
  std::optional<uint64_t> jobs, list_jobs;
  CommandLine cli("sweep", kUsage);
  cli.Value("--grid", &a->grid_path)
      .Value("--out", &a->options.out_dir)
      .Count("--jobs", &jobs, 1)
      .Value("--shard", &shard)
      .Count("--list-jobs", &list_jobs, 1)
      .Flag("--quiet", &a->quiet)
      .Flag("--walk-forward", &a->walk_forward)
      .Value("--train", &train)
      .Value("--test", &test)
      .Value("--step", &step)
      .Flag("--anchored", &a->wf.anchored)
      .Positionals(&config_paths);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
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
  if (a->walk_forward && (a->options.shard_n > 1 || a->list_jobs > 0)) {
    return cli.Fail("--walk-forward runs on one machine: no --shard or --list-jobs");
  }
  return -1;
}

void PrintShardCommands(const Args& a) {
  const std::string self = SelfPath();
  for (uint64_t k = 1; k <= a.list_jobs; ++k) {
    std::printf("%s sweep %s --grid %s --shard %llu/%llu --jobs 1 --quiet --out %s\n",
                ShellQuote(self).c_str(), ShellQuote(a.config_path).c_str(),
                ShellQuote(a.grid_path).c_str(), static_cast<unsigned long long>(k),
                static_cast<unsigned long long>(a.list_jobs),
                ShellQuote(absl::StrCat(a.options.out_dir, "/shard-", k)).c_str());
  }
}

}  // namespace

int SweepMain(int argc, char** argv) {
  Args a;
  if (int rc = ParseArgs(argc, argv, &a); rc >= 0) return rc;
  absl::StatusOr<analysis::SweepInput> in = analysis::LoadSweepInput(a.config_path, a.grid_path);
  if (!in.ok()) return Fail(in.status());
  Bar bar(!a.quiet);
  a.options.progress = bar.Callback();
  if (a.walk_forward) {
    absl::StatusOr<analysis::WalkForwardResult> r = analysis::RunWalkForward(*in, a.wf, a.options);
    if (!r.ok()) return Fail(r.status());
    if (!a.quiet) std::printf("%s", analysis::WalkForwardText(*r, a.options.out_dir).c_str());
    return kExitOk;
  }
  if (a.list_jobs > 0) {
    PrintShardCommands(a);
    return kExitOk;
  }
  absl::StatusOr<analysis::SweepTable> table = analysis::RunSweep(*in, a.options);
  if (!table.ok()) return Fail(table.status());
  if (!a.quiet) {
    std::printf("%zu of %llu points run; results in %s/results.csv\n", table->rows.size(),
                static_cast<unsigned long long>(table->points), a.options.out_dir.c_str());
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
  absl::StatusOr<analysis::SweepTable> merged = analysis::MergeSweepShards(dirs, out_dir);
  if (!merged.ok()) {
    std::fprintf(stderr, "tapedeck sweep-merge: %s\n",
                 std::string(merged.status().message()).c_str());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace tapedeck::apps
