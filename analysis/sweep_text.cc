#include "analysis/sweep_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tapedeck::analysis {

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

std::vector<std::string> ShardCommands(const ShardSpec& spec) {
  std::vector<std::string> out;
  for (uint64_t k = 1; k <= spec.shards; ++k) {
    out.push_back(absl::StrCat(ShellQuote(spec.program), " sweep ", ShellQuote(spec.config_path),
                               " --grid ", ShellQuote(spec.grid_path), " --shard ", k, "/",
                               spec.shards, " --jobs 1 --quiet --out ",
                               ShellQuote(absl::StrCat(spec.out_dir, "/shard-", k))));
    for (const std::string& plugin : spec.plugins) {
      absl::StrAppend(&out.back(), " --plugin ", ShellQuote(plugin));
    }
  }
  return out;
}

std::string ObjectiveText(MetricId objective, const SweepRow& row) {
  return absl::StrCat(std::string(GetMetric(objective).name), " ",
                      row.objective.has_value() ? absl::StrFormat("%.6g", *row.objective) : "n/a",
                      " (point ", row.index, ")");
}

std::string BestSoFarText(MetricId objective, const SweepRow* best) {
  if (best == nullptr) return "";
  return absl::StrCat(best->feasible ? "best " : "best (infeasible) ",
                      ObjectiveText(objective, *best));
}

std::string SweepSummaryText(const SweepTable& t, const std::string& configs_dir) {
  const SweepRow* best = BestFeasibleRow(t);
  if (best == nullptr) return "no feasible point: every point breaks a constraint\n";
  std::string out = absl::StrCat("best feasible point: ", ObjectiveText(t.objective, *best), "\n");
  for (size_t i = 0; i < t.params.size() && i < best->params.size(); ++i) {
    absl::StrAppend(&out, "  ", t.params[i], " = ", best->params[i].dump(), "\n");
  }
  if (!configs_dir.empty()) {
    absl::StrAppend(&out, absl::StrFormat("  config: %s/point-%06u.json\n", configs_dir,
                                          static_cast<unsigned long long>(best->index)));
  }
  return out;
}

std::string SweepRunText(const SweepTable& t, const SweepRunInfo& info,
                         const std::string& out_dir) {
  std::string out = absl::StrCat(t.rows.size() - info.resumed_points, " of ", t.points,
                                 " points run");
  if (info.resumed_points > 0) {
    absl::StrAppend(&out, ", ", info.resumed_points, " taken from ", out_dir, "/sweep.journal");
  }
  absl::StrAppend(&out, "; results in ", out_dir, "/results.csv\n",
                  SweepSummaryText(t, out_dir + "/configs"));
  return out;
}

}  // namespace tapedeck::analysis
