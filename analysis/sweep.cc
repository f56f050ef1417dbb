#include "analysis/sweep.h"

#include <algorithm>
#include <filesystem>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analysis/sweep_journal.h"
#include "core/config.h"
#include "core/status.h"
#include "runner/output_writer.h"

namespace tapedeck::analysis {

absl::StatusOr<SweepInput> LoadSweepInput(const std::string& config_path,
                                          const std::string& grid_path) {
  SweepInput in;
  in.config_path = config_path;
  in.grid_path = grid_path;
  // Both are configs: read under the config rules (core/json_reader.h), numbers exact.
  TAPEDECK_RETURN_IF_ERROR(LoadConfigJson(config_path, &in.config));
  TAPEDECK_RETURN_IF_ERROR(LoadConfigJson(grid_path, &in.grid_doc));
  TAPEDECK_ASSIGN_OR_RETURN(in.grid, ParseSweepGrid(in.grid_doc, grid_path, in.config));
  return in;
}

std::string GridDigest(const nlohmann::json& grid_doc, const nlohmann::json& base) {
  return runner::Hex64(runner::Fnv1a64(absl::StrCat(grid_doc.dump(), "\n", base.dump())));
}

void SweepProgress::Offer(const SweepRow& row) {
  if (!goal_.has_value()) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (!best_.has_value()) {
    best_ = row;
    return;
  }
  std::vector<SweepRow> two = {*best_, row};
  SortSweepRows(*goal_, &two);
  best_ = std::move(two[0]);
}

void SweepProgress::Tick() {
  const uint64_t done = done_.fetch_add(1) + 1;
  if (!callback_) return;
  std::lock_guard<std::mutex> lock(mu_);
  callback_(done, total_, best_.has_value() ? &*best_ : nullptr);
}

absl::Status WriteSweepFile(const std::string& path, const std::string& content) {
  return runner::WriteFileAtomically(path, content);
}

absl::Status MakeDirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat(dir, ": cannot create: ", ec.message()));
  return absl::OkStatus();
}

absl::Status WriteSweepTable(const std::string& dir, const SweepTable& table) {
  TAPEDECK_RETURN_IF_ERROR(MakeDirs(dir));
  TAPEDECK_RETURN_IF_ERROR(WriteSweepFile(dir + "/results.csv", SweepTableCsv(table)));
  return WriteSweepFile(dir + "/results.json", SweepTableJson(table).dump(2) + "\n");
}

void RunParallel(size_t n, uint64_t jobs, SweepProgress* progress,
                 const std::function<void(size_t)>& fn) {
  std::atomic<size_t> next{0};
  auto worker = [&]() {
    for (;;) {
      const size_t k = next.fetch_add(1);
      if (k >= n) return;
      fn(k);
      progress->Tick();
    }
  };
  std::vector<std::thread> threads;
  const uint64_t n_threads = std::min<uint64_t>(jobs, std::max<size_t>(n, 1));
  for (uint64_t t = 0; t < n_threads; ++t) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
}

absl::Status RunPoints(const SweepGrid& grid, const std::vector<Backtest>& backtests,
                       const std::vector<uint64_t>& points, uint64_t jobs, SweepProgress* progress,
                       std::vector<SweepRow>* rows,
                       const std::function<absl::Status(const SweepRow&)>& on_row) {
  rows->assign(backtests.size(), SweepRow());
  std::vector<absl::Status> errors(backtests.size());
  RunParallel(backtests.size(), jobs, progress, [&](size_t k) {
    absl::StatusOr<BacktestResult> r = backtests[k].Run();
    if (!r.ok()) {
      errors[k] = r.status();
      return;
    }
    (*rows)[k] = MakeSweepRow(grid, points[k], r->figures, r->digest);
    if (on_row) errors[k] = on_row((*rows)[k]);
    progress->Offer((*rows)[k]);
  });
  for (size_t k = 0; k < backtests.size(); ++k) {
    if (!errors[k].ok()) {
      return absl::Status(errors[k].code(),
                          absl::StrCat("sweep point ", points[k], ": ", errors[k].message()));
    }
  }
  return absl::OkStatus();
}

namespace {

// The journal of this run of the sweep, and the rows it already holds when resuming.
absl::StatusOr<std::unique_ptr<SweepJournal>> OpenJournal(const SweepTable& table,
                                                          const SweepOptions& options,
                                                          std::vector<SweepRow>* done) {
  TAPEDECK_RETURN_IF_ERROR(MakeDirs(options.out_dir));
  const std::string path = SweepJournalPath(options.out_dir);
  if (options.resume) return SweepJournal::Resume(path, table, done);
  return SweepJournal::Create(path, table);
}

}  // namespace

absl::StatusOr<SweepTable> RunSweep(const SweepInput& in, const SweepOptions& options,
                                    SweepRunInfo* info) {
  const uint64_t points = SweepPointCount(in.grid);
  std::vector<uint64_t> mine;
  for (uint64_t i = 0; i < points; ++i) {
    if (i % options.shard_n == options.shard_k - 1) mine.push_back(i);
  }
  // Every point is parsed (and its strategy built) before any run: a bad value fails early.
  std::vector<Backtest> backtests;
  backtests.reserve(mine.size());
  for (uint64_t i : mine) {
    TAPEDECK_ASSIGN_OR_RETURN(
        Backtest b,
        Backtest::PreparePoint(SweepPointConfig(in.grid, in.config, i), in.config_path, i));
    backtests.push_back(std::move(b));
  }
  SweepTable table = SweepTableFor(in.grid, GridDigest(in.grid_doc, in.config), points);
  if (options.shard_n > 1) table.shard = absl::StrCat(options.shard_k, "/", options.shard_n);
  std::vector<SweepRow> done;
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<SweepJournal> journal,
                            OpenJournal(table, options, &done));
  // The points still to run (a journal row of a point stands for it, the first one if twice).
  std::vector<bool> finished(points, false);
  std::vector<SweepRow> rows;
  for (SweepRow& row : done) {
    if (finished[row.index]) continue;
    finished[row.index] = true;
    rows.push_back(std::move(row));
  }
  std::vector<Backtest> todo;
  std::vector<uint64_t> todo_points;
  for (size_t k = 0; k < mine.size(); ++k) {
    if (finished[mine[k]]) continue;
    todo.push_back(backtests[k]);
    todo_points.push_back(mine[k]);
  }
  if (info != nullptr) info->resumed_points = rows.size();
  SweepProgress progress(options.progress, todo.size());
  progress.TrackBest(in.grid.goal);
  for (const SweepRow& row : rows) progress.Offer(row);
  std::vector<SweepRow> ran;
  TAPEDECK_RETURN_IF_ERROR(RunPoints(in.grid, todo, todo_points, options.jobs, &progress, &ran,
                                     [&](const SweepRow& row) { return journal->Append(row); }));
  rows.insert(rows.end(), std::make_move_iterator(ran.begin()), std::make_move_iterator(ran.end()));
  table.rows = std::move(rows);
  TAPEDECK_RETURN_IF_ERROR(MakeDirs(options.out_dir + "/configs"));
  for (size_t k = 0; k < mine.size(); ++k) {
    TAPEDECK_RETURN_IF_ERROR(
        WriteSweepFile(absl::StrFormat("%s/configs/point-%06llu.json", options.out_dir,
                                       static_cast<unsigned long long>(mine[k])),
                       backtests[k].DocumentSavedIn(options.out_dir + "/configs").dump(2) + "\n"));
  }
  SortSweepRows(in.grid.goal, &table.rows);
  TAPEDECK_RETURN_IF_ERROR(WriteSweepTable(options.out_dir, table));
  return table;
}

const SweepRow* BestFeasibleRow(const SweepTable& table) {
  if (table.rows.empty() || !table.rows[0].feasible) return nullptr;
  return &table.rows[0];
}

namespace {

// Checks that the merged rows hold every point of [0, points) once. Works on the indices
// (sorted), so a damaged "points" cannot make it allocate.
absl::Status CheckCoverage(const std::vector<std::pair<uint64_t, std::string>>& from,
                           uint64_t points) {
  std::vector<std::pair<uint64_t, std::string>> sorted = from;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  uint64_t expect = 0;
  for (const auto& [index, path] : sorted) {
    if (index >= points || index < expect) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": rows: point ", index, " out of range or given twice"));
    }
    if (index > expect) break;  // `expect` is missing
    ++expect;
  }
  if (expect < points) {
    return absl::InvalidArgumentError(absl::StrCat("point ", expect, " is in none of the shards"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SweepTable> MergeSweepShards(const std::vector<std::string>& dirs,
                                            const std::string& out_dir) {
  SweepTable merged;
  std::vector<std::pair<uint64_t, std::string>> from;  // point index, file
  for (size_t k = 0; k < dirs.size(); ++k) {
    const std::string path = dirs[k] + "/results.json";
    nlohmann::json j;
    TAPEDECK_RETURN_IF_ERROR(LoadJsonFile(path, &j));
    TAPEDECK_ASSIGN_OR_RETURN(SweepTable t, SweepTableFromJson(j, path));
    std::vector<SweepRow> rows = std::move(t.rows);
    if (k == 0) {
      // The first shard gives the header; the merged table is no shard's.
      merged = std::move(t);
      merged.rows.clear();
      merged.shard.clear();
    } else if (t.grid_digest != merged.grid_digest) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": grid_digest: from another sweep (different grid or config)"));
    }
    for (SweepRow& row : rows) {
      from.emplace_back(row.index, path);
      merged.rows.push_back(std::move(row));
    }
  }
  TAPEDECK_RETURN_IF_ERROR(CheckCoverage(from, merged.points));
  SortSweepRows(merged.goal, &merged.rows);
  TAPEDECK_RETURN_IF_ERROR(WriteSweepTable(out_dir, merged));
  return merged;
}

}  // namespace tapedeck::analysis
