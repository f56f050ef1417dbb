#include "analysis/walk_forward.h"

#include <algorithm>
#include <iterator>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/metrics.h"
#include "core/status.h"

namespace tapedeck::analysis {
namespace {

// The metrics walkforward.csv shows for each window, in and out of sample.
constexpr MetricId kCsvMetrics[] = {
    MetricId::kPnl,        MetricId::kTotalReturn, MetricId::kMaxDrawdown, MetricId::kSharpe,
    MetricId::kRoundTrips, MetricId::kOrders,      MetricId::kFills};

std::string MoneyString(Money m) { return FormatDecimal(m.raw, Money::kScale); }

nlohmann::json OptJson(const std::optional<double>& v) {
  return v.has_value() ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// "6h", "90m", "30s", "250ms", or nanoseconds: the largest unit that divides the duration.
std::string DurationText(Duration d) {
  static constexpr std::pair<int64_t, const char*> kUnits[] = {{3'600'000'000'000LL, "h"},
                                                               {60'000'000'000LL, "m"},
                                                               {1'000'000'000LL, "s"},
                                                               {1'000'000LL, "ms"},
                                                               {1'000LL, "us"}};
  for (const auto& [ns, unit] : kUnits) {
    if (d.ns != 0 && d.ns % ns == 0) return absl::StrCat(d.ns / ns, unit);
  }
  return absl::StrCat(d.ns, "ns");
}

Duration StepOf(const WalkForwardSpec& spec) { return spec.step.ns == 0 ? spec.test : spec.step; }

nlohmann::json Bounds(Timestamp a, Timestamp b) {
  return {{"start", FormatTimestamp(a)}, {"end", FormatTimestamp(b)}};
}

std::optional<double> Mean(const std::vector<double>& v) {
  if (v.empty()) return std::nullopt;
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

std::string WindowDir(const std::string& out_dir, size_t k) {
  return absl::StrFormat("%s/window-%02u", out_dir, static_cast<unsigned>(k));
}

std::optional<double> TestObjective(const WalkForwardResult& r, const WalkWindowResult& w) {
  return w.test.has_value() ? w.test->Value(r.header.objective).ToDouble() : std::nullopt;
}

nlohmann::json WindowJson(const WalkForwardResult& r, size_t k) {
  const WalkWindowResult& w = r.windows[k];
  nlohmann::json row = {{"window", k},
                        {"train", Bounds(w.window.train_start, w.window.train_end)},
                        {"test", Bounds(w.window.test_start, w.window.test_end)},
                        {"index", nullptr},
                        {"params", nullptr},
                        {"in_sample", nullptr},
                        {"out_of_sample", nullptr}};
  if (!w.train_best.has_value()) return row;
  const SweepRow& best = *w.train_best;
  row["index"] = best.index;
  nlohmann::json params = nlohmann::json::object();
  for (size_t i = 0; i < r.header.params.size() && i < best.params.size(); ++i) {
    params[r.header.params[i]] = best.params[i];
  }
  row["params"] = params;
  row["in_sample"] = {{"feasible", best.feasible},
                      {"objective", OptJson(best.objective)},
                      {"metrics", RowMetricsJson(best.metrics)},
                      {"digest", best.digest}};
  SweepGrid grid;  // the row metrics need only the objective and the constraints
  grid.objective = r.header.objective;
  grid.constraints = r.header.constraints;
  row["out_of_sample"] = {
      {"objective", OptJson(TestObjective(r, w))},
      {"metrics",
       w.test.has_value() ? RowMetricsJson(RowMetricsOf(grid, *w.test)) : nlohmann::json(nullptr)},
      {"digest", w.test_digest}};
  return row;
}

}  // namespace

absl::StatusOr<std::vector<WalkWindow>> WalkForwardWindows(Timestamp start, Timestamp end,
                                                           const WalkForwardSpec& spec) {
  if (spec.train.ns <= 0) return absl::InvalidArgumentError("--train: must be positive");
  if (spec.test.ns <= 0) return absl::InvalidArgumentError("--test: must be positive");
  const Duration step = StepOf(spec);
  if (step.ns < spec.test.ns) {
    return absl::InvalidArgumentError(
        "--step: must be at least --test (test periods would overlap in the stitched curve)");
  }
  if (end <= start) return absl::InvalidArgumentError("walk-forward: the data span is empty");
  std::vector<WalkWindow> out;
  for (int64_t k = 0;; ++k) {
    // In Int128 so a huge step cannot overflow before the end test.
    const Int128 train_end =
        static_cast<Int128>(start.ns) + spec.train.ns + static_cast<Int128>(k) * step.ns;
    if (train_end >= end.ns) break;
    WalkWindow w;
    w.train_end = Timestamp(static_cast<int64_t>(train_end));
    w.train_start = spec.anchored ? start : Timestamp(w.train_end.ns - spec.train.ns);
    w.test_start = w.train_end;
    w.test_end = Timestamp(static_cast<int64_t>(
        std::min<Int128>(train_end + spec.test.ns, static_cast<Int128>(end.ns))));
    out.push_back(w);
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--train: the data span ", FormatTimestamp(start), " .. ", FormatTimestamp(end),
        " is not longer than one train period: no test period is left"));
  }
  return out;
}

nlohmann::json WithWindow(const nlohmann::json& config, Timestamp start, Timestamp end) {
  nlohmann::json doc = config;
  doc["window"] = {{"start", FormatTimestamp(start)}, {"end", FormatTimestamp(end)}};
  return doc;
}

std::vector<StitchedPoint> StitchEquity(const std::vector<WalkWindowResult>& windows,
                                        Money initial_cash) {
  std::vector<StitchedPoint> out;
  Money carried = initial_cash;
  for (size_t k = 0; k < windows.size(); ++k) {
    const WalkWindowResult& w = windows[k];
    // Stamped at the test start, or at the previous point when that one lies later (the last
    // sample of a window is at strategy time, which may trail its exchange-time end).
    Timestamp at = w.window.test_start;
    if (!out.empty() && out.back().ts > at) at = out.back().ts;
    out.push_back({at, k, carried});
    const Money offset(carried.raw - initial_cash.raw);
    for (const EquityPoint& p : w.test_equity) {
      if (p.ts < at) continue;
      out.push_back({p.ts, k, Money(p.equity.raw + offset.raw)});
    }
    if (w.test_equity.empty()) {
      // Flat: a closing point at the test end keeps the curve's time axis whole.
      out.push_back({std::max(at, w.window.test_end), k, carried});
    }
    carried = out.back().equity;
  }
  return out;
}

void SummariseWalkForward(Money initial_cash, WalkForwardResult* r) {
  std::vector<double> in_sample, out_of_sample;
  OutOfSample& o = r->out_of_sample;
  o = OutOfSample();
  for (const WalkWindowResult& w : r->windows) {
    if (!w.train_best.has_value()) continue;
    ++o.windows_traded;
    if (w.train_best->objective.has_value()) in_sample.push_back(*w.train_best->objective);
    if (const std::optional<double> x = TestObjective(*r, w); x.has_value()) {
      out_of_sample.push_back(*x);
    }
    if (!w.test.has_value()) continue;
    o.orders += w.test->Value(MetricId::kOrders).count();
    o.fills += w.test->Value(MetricId::kFills).count();
    o.round_trips += w.test->Value(MetricId::kRoundTrips).count();
  }
  r->in_sample_mean_objective = Mean(in_sample);
  o.mean_objective = Mean(out_of_sample);
  r->curve = StitchEquity(r->windows, initial_cash);
  std::vector<std::pair<Timestamp, Money>> series;
  for (const StitchedPoint& p : r->curve) series.emplace_back(p.ts, p.equity);
  o.initial_equity = initial_cash;
  o.final_equity = r->curve.empty() ? initial_cash : r->curve.back().equity;
  o.pnl = Money(o.final_equity.raw - initial_cash.raw);
  o.total_return = initial_cash.raw > 0
                       ? static_cast<double>(o.pnl.raw) / static_cast<double>(initial_cash.raw)
                       : 0.0;
  o.max_drawdown = ComputeDrawdown(series).fraction;
}

nlohmann::json WalkForwardJson(const WalkForwardResult& r) {
  nlohmann::json t = SweepHeaderJson(r.header);
  t["schema"] = "tapedeck.walkforward/1";
  t["mode"] = r.spec.anchored ? "anchored" : "rolling";
  t["train"] = DurationText(r.spec.train);
  t["test"] = DurationText(r.spec.test);
  t["step"] = DurationText(StepOf(r.spec));
  t["span"] = Bounds(r.span_start, r.span_end);
  nlohmann::json rows = nlohmann::json::array();
  for (size_t k = 0; k < r.windows.size(); ++k) rows.push_back(WindowJson(r, k));
  t["windows"] = rows;
  t["in_sample"] = {{"mean_objective", OptJson(r.in_sample_mean_objective)}};
  const OutOfSample& o = r.out_of_sample;
  // The stitched figures under their metrics' names.
  auto name = [](MetricId id) { return std::string(GetMetric(id).name); };
  t["out_of_sample"] = {{"mean_objective", OptJson(o.mean_objective)},
                        {name(MetricId::kInitialEquity), MoneyString(o.initial_equity)},
                        {name(MetricId::kFinalEquity), MoneyString(o.final_equity)},
                        {name(MetricId::kPnl), MoneyString(o.pnl)},
                        {name(MetricId::kTotalReturn), o.total_return},
                        {name(MetricId::kMaxDrawdown), o.max_drawdown},
                        {name(MetricId::kOrders), o.orders},
                        {name(MetricId::kFills), o.fills},
                        {name(MetricId::kRoundTrips), o.round_trips},
                        {"windows_traded", o.windows_traded}};
  return t;
}

std::string WalkForwardCsv(const WalkForwardResult& r) {
  std::string out = "window,train_start,train_end,test_start,test_end,index";
  for (const std::string& p : r.header.params) absl::StrAppend(&out, ",", CsvField(p));
  absl::StrAppend(&out, ",is_feasible,is_objective");
  for (MetricId m : kCsvMetrics) absl::StrAppend(&out, ",is_", std::string(GetMetric(m).name));
  absl::StrAppend(&out, ",oos_objective");
  for (MetricId m : kCsvMetrics) absl::StrAppend(&out, ",oos_", std::string(GetMetric(m).name));
  absl::StrAppend(&out, ",is_digest,oos_digest\n");
  for (size_t k = 0; k < r.windows.size(); ++k) {
    const WalkWindowResult& w = r.windows[k];
    absl::StrAppend(&out, k, ",", FormatTimestamp(w.window.train_start), ",",
                    FormatTimestamp(w.window.train_end), ",", FormatTimestamp(w.window.test_start),
                    ",", FormatTimestamp(w.window.test_end), ",");
    if (!w.train_best.has_value()) {
      // Nothing chosen: every other field empty.
      out.append(r.header.params.size() + 4 + 2 * std::size(kCsvMetrics), ',');
      out += '\n';
      continue;
    }
    const SweepRow& best = *w.train_best;
    absl::StrAppend(&out, best.index);
    for (size_t i = 0; i < r.header.params.size(); ++i) {
      absl::StrAppend(&out, ",", i < best.params.size() ? CsvField(best.params[i]) : "");
    }
    absl::StrAppend(&out, ",", best.feasible ? "true" : "false", ",",
                    CsvField(OptJson(best.objective)));
    for (MetricId m : kCsvMetrics) {
      absl::StrAppend(&out, ",", CsvField(OptJson(RowMetricValue(best.metrics, m))));
    }
    absl::StrAppend(&out, ",", CsvField(OptJson(TestObjective(r, w))));
    for (MetricId m : kCsvMetrics) {
      absl::StrAppend(
          &out, ",",
          CsvField(OptJson(w.test.has_value() ? w.test->Value(m).ToDouble() : std::nullopt)));
    }
    absl::StrAppend(&out, ",", best.digest, ",", w.test_digest, "\n");
  }
  return out;
}

std::string StitchedEquityCsv(const std::vector<StitchedPoint>& curve) {
  std::string out = "ts,ts_utc,window,equity\n";
  for (const StitchedPoint& p : curve) {
    absl::StrAppend(&out, p.ts.ns, ",", FormatTimestamp(p.ts), ",", p.window, ",",
                    MoneyString(p.equity), "\n");
  }
  return out;
}

std::string WalkForwardText(const WalkForwardResult& r, const std::string& out_dir) {
  std::string out;
  const std::string objective(GetMetric(r.header.objective).name);
  for (size_t k = 0; k < r.windows.size(); ++k) {
    const WalkWindowResult& w = r.windows[k];
    const bool chosen = w.train_best.has_value();
    absl::StrAppend(
        &out,
        absl::StrFormat("window %2llu  test %s .. %s  point %s  in-sample %s %s  "
                        "out-of-sample %s\n",
                        static_cast<unsigned long long>(k), FormatTimestamp(w.window.test_start),
                        FormatTimestamp(w.window.test_end),
                        chosen ? absl::StrCat(w.train_best->index) : "null", objective,
                        chosen ? OptJson(w.train_best->objective).dump() : "-",
                        chosen ? OptJson(TestObjective(r, w)).dump() : "-"));
  }
  const OutOfSample& o = r.out_of_sample;
  absl::StrAppend(&out, absl::StrFormat("out-of-sample stitched: pnl %s, return %s, max drawdown "
                                        "%s; results in %s/walkforward.csv\n",
                                        MoneyString(o.pnl), nlohmann::json(o.total_return).dump(),
                                        nlohmann::json(o.max_drawdown).dump(), out_dir));
  return out;
}

// ---- Running it ----

namespace {

// The train runs of every window: configs[k * points + i] is point i on window k's train period.
struct TrainRuns {
  std::vector<nlohmann::json> bases;  // per window: the base config with its train window
  std::vector<Backtest> backtests;
  std::vector<uint64_t> point_of;
};

absl::Status CheckNoWindowParam(const SweepGrid& grid) {
  for (size_t i = 0; i < grid.params.size(); ++i) {
    const std::vector<PathStep>& steps = grid.params[i].steps;
    if (!steps[0].is_index && steps[0].key == "window") {
      return absl::InvalidArgumentError(
          absl::StrCat("params[", i, "].path: '", grid.params[i].path,
                       "': walk-forward sets the window itself; it cannot be a parameter"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<TrainRuns> PrepareTrainRuns(const SweepInput& in,
                                           const std::vector<WalkWindow>& windows) {
  TrainRuns t;
  const uint64_t points = SweepPointCount(in.grid);
  for (const WalkWindow& w : windows) {
    t.bases.push_back(WithWindow(in.config, w.train_start, w.train_end));
    for (uint64_t i = 0; i < points; ++i) {
      TAPEDECK_ASSIGN_OR_RETURN(
          Backtest b,
          Backtest::PreparePoint(SweepPointConfig(in.grid, t.bases.back(), i), in.config_path, i));
      t.backtests.push_back(std::move(b));
      t.point_of.push_back(i);
    }
  }
  return t;
}

// Window k's train table (as a plain sweep on the windowed config writes it), its best row,
// and the test run of that row when it is feasible (none otherwise).
absl::StatusOr<std::optional<Backtest>> ChooseForTest(const SweepInput& in, const TrainRuns& train,
                                                      std::vector<SweepRow> rows, size_t k,
                                                      const std::string& out_dir,
                                                      WalkWindowResult* result) {
  const uint64_t points = SweepPointCount(in.grid);
  SortSweepRows(in.grid.goal, &rows);
  const std::string dir = WindowDir(out_dir, k);
  // The train config as saved (its input paths read from its new folder), so that a plain sweep
  // of that file writes this very table, grid digest included.
  TAPEDECK_ASSIGN_OR_RETURN(const Backtest base, Backtest::Parse(train.bases[k], in.config_path));
  const nlohmann::json saved = base.DocumentSavedIn(dir + "/train");
  SweepTable table = SweepTableFor(in.grid, GridDigest(in.grid_doc, saved), points);
  table.rows = rows;
  TAPEDECK_RETURN_IF_ERROR(WriteSweepTable(dir + "/train", table));
  TAPEDECK_RETURN_IF_ERROR(WriteSweepFile(dir + "/train/config.json", saved.dump(2) + "\n"));
  if (rows.empty() || !rows[0].feasible) return std::optional<Backtest>();  // nothing to test
  result->train_best = rows[0];
  const uint64_t best = rows[0].index;
  TAPEDECK_ASSIGN_OR_RETURN(
      Backtest b,
      Backtest::PreparePoint(WithWindow(SweepPointConfig(in.grid, in.config, best),
                                        result->window.test_start, result->window.test_end),
                             in.config_path, best));
  return std::optional<Backtest>(std::move(b));
}

// Runs the chosen test periods and writes each one's outputs and config.
absl::Status RunTests(const std::vector<std::optional<Backtest>>& tests, uint64_t jobs,
                      const std::string& out_dir, SweepProgress* progress,
                      std::vector<WalkWindowResult>* results) {
  std::vector<absl::Status> errors(tests.size());
  RunParallel(tests.size(), jobs, progress, [&](size_t k) {
    if (!tests[k].has_value()) return;
    const std::string dir = WindowDir(out_dir, k) + "/test";
    absl::StatusOr<BacktestResult> r = tests[k]->Run(dir);
    if (!r.ok()) {
      errors[k] = r.status();
      return;
    }
    WalkWindowResult& w = (*results)[k];
    w.test = std::move(r->figures);
    w.test_digest = r->digest;
    w.test_equity = std::move(r->equity);
    errors[k] = WriteSweepFile(dir + "/config.json", tests[k]->DocumentSavedIn(dir).dump(2) + "\n");
  });
  for (size_t k = 0; k < tests.size(); ++k) {
    if (!errors[k].ok()) {
      return absl::Status(errors[k].code(),
                          absl::StrCat("window ", k, " test: ", errors[k].message()));
    }
  }
  return absl::OkStatus();
}

absl::Status WriteWalkForward(const WalkForwardResult& r, const std::string& out_dir) {
  TAPEDECK_RETURN_IF_ERROR(
      WriteSweepFile(out_dir + "/walkforward.json", WalkForwardJson(r).dump(2) + "\n"));
  TAPEDECK_RETURN_IF_ERROR(WriteSweepFile(out_dir + "/walkforward.csv", WalkForwardCsv(r)));
  return WriteSweepFile(out_dir + "/oos_equity.csv", StitchedEquityCsv(r.curve));
}

}  // namespace

absl::StatusOr<WalkForwardResult> RunWalkForward(const SweepInput& in, const WalkForwardSpec& spec,
                                                 const SweepOptions& options) {
  TAPEDECK_RETURN_IF_ERROR(CheckNoWindowParam(in.grid));
  TAPEDECK_ASSIGN_OR_RETURN(const Backtest base, Backtest::Parse(in.config, in.config_path));
  WalkForwardResult r;
  r.spec = spec;
  TAPEDECK_ASSIGN_OR_RETURN(std::tie(r.span_start, r.span_end), base.DataSpan());
  TAPEDECK_ASSIGN_OR_RETURN(const std::vector<WalkWindow> windows,
                            WalkForwardWindows(r.span_start, r.span_end, spec));
  const uint64_t points = SweepPointCount(in.grid);
  r.header = SweepTableFor(in.grid, GridDigest(in.grid_doc, in.config), points);
  // Every train run's config is parsed before any run starts.
  TAPEDECK_ASSIGN_OR_RETURN(const TrainRuns train, PrepareTrainRuns(in, windows));
  SweepProgress progress(options.progress, train.backtests.size() + windows.size());
  std::vector<SweepRow> all_rows;
  TAPEDECK_RETURN_IF_ERROR(
      RunPoints(in.grid, train.backtests, train.point_of, options.jobs, &progress, &all_rows));
  r.windows.resize(windows.size());
  std::vector<std::optional<Backtest>> tests(windows.size());
  for (size_t k = 0; k < windows.size(); ++k) {
    r.windows[k].window = windows[k];
    const auto first = all_rows.begin() + static_cast<ptrdiff_t>(k * points);
    TAPEDECK_ASSIGN_OR_RETURN(
        tests[k],
        ChooseForTest(in, train,
                      std::vector<SweepRow>(first, first + static_cast<ptrdiff_t>(points)), k,
                      options.out_dir, &r.windows[k]));
  }
  TAPEDECK_RETURN_IF_ERROR(RunTests(tests, options.jobs, options.out_dir, &progress, &r.windows));
  SummariseWalkForward(base.initial_cash(), &r);
  TAPEDECK_RETURN_IF_ERROR(WriteWalkForward(r, options.out_dir));
  return r;
}

}  // namespace tapedeck::analysis
