// `tapedeck sweep CONFIG --grid GRID.json [--jobs N] [--out DIR] [--shard K/N] [--list-jobs N]`
// `tapedeck sweep-merge [--out DIR] SHARD_DIR...`
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "apps/commands.h"
#include "apps/outputs.h"
#include "apps/run_config.h"
#include "apps/run_one.h"
#include "apps/sweep.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/status.h"
#include "strategies/registry.h"

namespace tapedeck::apps {
namespace {

constexpr char kUsage[] =
    "usage: tapedeck sweep CONFIG --grid GRID.json [--jobs N] [--out DIR] [--shard K/N]\n"
    "       tapedeck sweep CONFIG --grid GRID.json --out DIR --list-jobs N\n"
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

}  // namespace

int SweepMain(int argc, char** argv) {
  std::string config_path, grid_path, out_dir = "out/sweep";
  uint64_t jobs = 1, shard_k = 1, shard_n = 1, list_jobs = 0;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "tapedeck sweep: %s needs a value\n%s", a.c_str(), kUsage);
        return std::nullopt;
      }
      return std::string(argv[++i]);
    };
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    } else if (a == "--quiet") {
      quiet = true;
    } else if (a == "--grid" || a == "--out" || a == "--jobs" || a == "--shard" ||
               a == "--list-jobs") {
      std::optional<std::string> v = value();
      if (!v) return kExitUsage;
      bool ok = true;
      if (a == "--grid") {
        grid_path = *v;
      } else if (a == "--out") {
        out_dir = *v;
      } else if (a == "--jobs") {
        ok = ParsePositive(*v, &jobs);
      } else if (a == "--list-jobs") {
        ok = ParsePositive(*v, &list_jobs);
      } else {
        const size_t slash = v->find('/');
        ok = slash != std::string::npos && ParsePositive(v->substr(0, slash), &shard_k) &&
             ParsePositive(v->substr(slash + 1), &shard_n) && shard_k <= shard_n;
      }
      if (!ok) {
        std::fprintf(stderr, "tapedeck sweep: %s: bad value '%s'\n%s", a.c_str(), v->c_str(), kUsage);
        return kExitUsage;
      }
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "tapedeck sweep: unknown option '%s'\n%s", a.c_str(), kUsage);
      return kExitUsage;
    } else if (config_path.empty()) {
      config_path = a;
    } else {
      std::fprintf(stderr, "tapedeck sweep: more than one config given ('%s')\n%s", a.c_str(), kUsage);
      return kExitUsage;
    }
  }
  if (config_path.empty() || grid_path.empty()) {
    std::fprintf(stderr, "tapedeck sweep: needs CONFIG and --grid GRID.json\n%s", kUsage);
    return kExitUsage;
  }

  nlohmann::json base, grid_doc;
  if (absl::Status s = LoadJsonFile(config_path, &base); !s.ok()) return Fail(s);
  if (absl::Status s = LoadJsonFile(grid_path, &grid_doc); !s.ok()) return Fail(s);
  absl::StatusOr<SweepGrid> grid = ParseSweepGrid(grid_doc, grid_path, base);
  if (!grid.ok()) return Fail(grid.status());
  const uint64_t points = SweepPointCount(*grid);

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
    nlohmann::json doc = SweepPointConfig(*grid, base, i);
    absl::StatusOr<RunConfig> rc = ParseRunConfig(doc, config_path, std::nullopt);
    if (!rc.ok()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat(config_path, " (sweep point ", i, "): ", rc.status().message())));
    }
    if (!rc->seed.has_value()) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(config_path, ": seed: required")));
    }
    if (rc->strategies.size() != 1) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          config_path, ": strategies: a sweep needs exactly one strategy, the config has ",
          rc->strategies.size())));
    }
    const StrategySpec& spec = rc->strategies[0];
    ConfigObject params(&spec.params, spec.where + ".params");
    absl::StatusOr<std::unique_ptr<Strategy>> st =
        strategies::CreateStrategy(spec.name, params, rc->instruments);
    if (!st.ok()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat(config_path, " (sweep point ", i, "): ", st.status().message())));
    }
    configs.push_back(std::move(*rc));
  }

  const std::string grid_digest =
      Hex64(Fnv1a64(absl::StrCat(grid_doc.dump(), "\n", base.dump())));
  std::vector<nlohmann::json> rows(mine.size());
  std::vector<absl::Status> errors(mine.size());
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> done{0};
  Bar bar(!quiet, mine.size());
  auto worker = [&]() {
    for (;;) {
      const size_t k = next.fetch_add(1);
      if (k >= mine.size()) return;
      absl::StatusOr<StrategyResult> r = RunOne(configs[k], configs[k].strategies[0], true);
      if (!r.ok()) {
        errors[k] = r.status();
      } else {
        rows[k] = SweepRow(*grid, mine[k], r->outputs.summary, r->outputs.digest);
      }
      bar.Done(done.fetch_add(1) + 1);
    }
  };
  std::vector<std::thread> threads;
  const uint64_t n_threads = std::min<uint64_t>(jobs, std::max<size_t>(mine.size(), 1));
  for (uint64_t t = 0; t < n_threads; ++t) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  for (size_t k = 0; k < mine.size(); ++k) {
    if (!errors[k].ok()) {
      return Fail(absl::Status(errors[k].code(), absl::StrCat("sweep point ", mine[k], ": ",
                                                              errors[k].message())));
    }
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
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    } else if (a == "--out") {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "tapedeck sweep-merge: --out needs a value\n%s", kUsage);
        return kExitUsage;
      }
      out_dir = argv[++i];
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "tapedeck sweep-merge: unknown option '%s'\n%s", a.c_str(), kUsage);
      return kExitUsage;
    } else {
      dirs.push_back(a);
    }
  }
  if (dirs.empty()) {
    std::fprintf(stderr, "tapedeck sweep-merge: no shard directories given\n%s", kUsage);
    return kExitUsage;
  }
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
