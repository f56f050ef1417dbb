// Performance metrics of one run: pure functions over its equity series and its fill list.
//
// Metrics may use double (DESIGN.md contract 4: nothing here decides a fill or a balance), but
// they are deterministic: every sum runs in a fixed order over vectors, so the same inputs give
// the same bits. Money-valued results (fees, PnL, notional) are computed exactly in fixed point.
//
// Definitions (docs/outputs.md has the same list with units):
// - The equity series is the engine's sampled curve (core/records.h EquityPoint), with the run's
//   starting point (start, initial equity) put in front when it is earlier than the first sample.
// - Returns are simple returns between consecutive points of that series: r_i = E_i / E_{i-1} - 1.
//   The series is sampled on a time grid (output.equity_interval, 1 minute by default), but
//   boundaries without events are skipped, so the period used for annualisation is the MEAN
//   sampling interval, dt = (t_last - t_first) / number of returns, and
//   periods_per_year = 365 x 86400 s / dt (crypto trades every day of the year).
// - volatility = stdev(r) x sqrt(periods_per_year), stdev with the n-1 denominator.
// - sharpe = mean(r) / stdev(r) x sqrt(periods_per_year); the risk-free rate is taken as 0.
// - sortino = mean(r) / downside deviation x sqrt(periods_per_year), downside deviation =
//   sqrt(sum over all n returns of min(r, 0)^2 / n) (target return 0).
// - total_return = final equity / initial equity - 1.
// - cagr = (final / initial)^(year / span) - 1, only when the span is at least one day.
// - max drawdown: the largest fall from a running peak, as a fraction of the peak, with the
//   time of the peak (the last time equity stood at it), of the trough, and of the recovery
//   (the first later point back at or above the peak; absent when it never recovers).
// - calmar = cagr / max drawdown fraction, when both exist and the drawdown is > 0.
// - Round trips: per instrument, a round trip is one flat-to-flat cycle of the position: it opens
//   with the fill that takes the position away from zero and closes with the fill that brings it
//   back. Because a cycle ends flat, its PnL is the same under FIFO and average-cost accounting:
//   pnl = sell notional - buy notional - fees of its fills. A fill that flips the position is
//   split: the closing part ends the cycle, the rest opens the next one; its fee is split pro
//   rata by quantity. Funding is not attributed to round trips. A cycle still open at the end is
//   reported (closed = false, PnL marked at the last price) but not counted in win rate, profit
//   factor or the averages.
// - Trades: what round_trips, wins, losses, win rate, profit factor and the averages count. A
//   round trip takes the trade group of the order whose fill opened it (OrderRequest::InGroup);
//   the round trips of one group are one trade, its PnL their sum, closed when all of them are
//   (a hedged pair's two legs: one trade, not a win and a loss). An ungrouped round trip is a
//   trade by itself. Per-instrument round trips and wins count each instrument's legs.
// - exposure: the share of [start, end] during which any instrument's position was non-zero
//   (positions change at the fills' strategy-side times).
#ifndef TAPEDECK_CORE_METRICS_H_
#define TAPEDECK_CORE_METRICS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"

#include "core/decimal.h"
#include "core/instrument.h"
#include "core/records.h"
#include "core/types.h"
#include "nlohmann/json.hpp"

namespace tapedeck {

// A funding payment attributed to an instrument; amount > 0 received, < 0 paid.
struct FundingFlow {
  Timestamp ts;
  InstrumentId instrument;
  Money amount;
};

struct MetricsInput {
  const InstrumentTable* instruments = nullptr;
  Timestamp start;  // the run's first and last strategy-side times
  Timestamp end;
  Money initial_equity;
  std::vector<EquityPoint> equity;  // sampled curve, increasing ts
  // When not empty, the curve is read from here instead of `equity`: (time, equity) pairs, all
  // the metrics read of a point (16 bytes rather than 48), lent rather than copied by a caller
  // that collects a long curve (runner/summary.h MetricsCollector).
  std::span<const std::pair<Timestamp, Money>> equity_series;
  std::vector<FillLogEntry> fills;  // in delivery order
  std::vector<FundingFlow> funding;
  // Last price of each instrument at the end (indexed by InstrumentId), to value open positions.
  std::vector<std::optional<Price>> final_marks;
  uint64_t orders = 0;  // orders sent (new orders, not cancels)
  double year_seconds = 365.0 * 86400.0;
};

struct RoundTrip {
  InstrumentId instrument;
  bool long_side = true;  // opened by a buy
  Timestamp open_ts;
  Timestamp close_ts;  // of the last fill so far when still open
  Qty qty;             // total quantity that opened or added to the position
  Qty exit_qty;        // total quantity that reduced it
  Int128 entry_pq = 0;  // sum of price.raw x qty.raw of the entering fills (for the average)
  Int128 exit_pq = 0;
  Money cash_flow;  // sell notional - buy notional of its fills (and their parts)
  Money fees;
  Money pnl;  // cash_flow - fees (+ open qty x last price when still open)
  uint32_t fills = 0;
  bool closed = false;
  TradeGroup group;  // of the fill that opened it (none when its order had none)

  // Volume-weighted prices in quote units (display only); 0 when there is no quantity.
  double EntryPrice(const Instrument& in) const;
  double ExitPrice(const Instrument& in) const;
};

// What the trade figures count: one ungrouped round trip, or every round trip of one trade group
// (a hedged pair's two legs) together. Closed when all its round trips are.
struct Trade {
  TradeGroup group;  // none for an ungrouped round trip
  Timestamp close_ts;  // the latest of its round trips'
  Money pnl;  // the sum of its round trips'
  uint32_t legs = 0;  // round trips in it
  bool closed = false;
};

struct DrawdownInfo {
  double fraction = 0;  // (peak - trough) / peak, 0 when equity never fell
  Money amount;         // peak - trough
  Money peak_equity;
  Money trough_equity;
  std::optional<Timestamp> peak;  // absent when there is no drawdown
  std::optional<Timestamp> trough;
  std::optional<Timestamp> recovery;  // absent when never recovered
};

struct InstrumentMetrics {
  InstrumentId instrument;
  // From the instrument table, so that the JSON needs no table to be written or read.
  std::string symbol;
  int qty_scale = 0;  // of final_position
  Money pnl;  // sell notional - buy notional - fees + funding + position x last price
  Money fees;
  Money funding;
  Money traded_notional;
  Qty final_position;
  uint64_t fills = 0;
  uint64_t round_trips = 0;  // closed ones
  uint64_t wins = 0;
  double exposure = 0;
};

struct Metrics {
  Money initial_equity;
  Money final_equity;
  double span_seconds = 0;
  double total_return = 0;
  std::optional<double> cagr;
  uint64_t returns = 0;  // number of returns in the sampled series
  std::optional<double> mean_interval_seconds;
  std::optional<double> periods_per_year;
  std::optional<double> volatility;
  std::optional<double> sharpe;
  std::optional<double> sortino;
  DrawdownInfo drawdown;
  std::optional<double> calmar;

  std::vector<RoundTrip> trips;  // closed and open, ordered by close time, then instrument
  // The trade figures below count trades (GroupTrades): a group of round trips counts once.
  uint64_t round_trips = 0;  // closed trades
  uint64_t open_round_trips = 0;
  uint64_t wins = 0;
  uint64_t losses = 0;  // pnl < 0; a trade at exactly 0 is neither
  std::optional<double> win_rate;
  std::optional<double> profit_factor;  // gross profit / |gross loss|; absent without losses
  Money gross_profit;
  Money gross_loss;  // <= 0
  std::optional<Money> average_win;
  std::optional<Money> average_loss;  // <= 0

  double exposure = 0;
  Money traded_notional;
  double turnover = 0;  // traded notional / initial equity
  Money fees;
  Money funding_paid;      // >= 0
  Money funding_received;  // >= 0
  uint64_t orders = 0;
  uint64_t fills = 0;
  std::vector<InstrumentMetrics> instruments;  // by InstrumentId
};

// Flat-to-flat round trips from a fill list (see the definitions above).
std::vector<RoundTrip> ComputeRoundTrips(const InstrumentTable& instruments,
                                         const std::vector<FillLogEntry>& fills,
                                         const std::vector<std::optional<Price>>& final_marks);

// The trades of a list of round trips: each ungrouped round trip alone, the round trips of each
// trade group together; in the order of their first round trip in `trips`.
std::vector<Trade> GroupTrades(const std::vector<RoundTrip>& trips);

// The drawdown of a series of (time, equity) points.
DrawdownInfo ComputeDrawdown(const std::vector<std::pair<Timestamp, Money>>& series);

Metrics ComputeMetrics(const MetricsInput& in);

// ---- The metric table ----
//
// Every figure of a run that a sweep can optimise or constrain and that compare and report show,
// defined once: its name (its key in summary.json and its name in sweep grids), a label for
// tables, its unit, which direction is better, and where it sits in the typed results.
// summary.json's figures are written from this table and read back through it, and code refers
// to a metric by MetricId, so no metric name is spelt twice.

// The run's own figures (portfolio and counters, not the equity series): summary.json's top
// level, beside "metrics".
struct RunTotals {
  uint64_t events = 0;    // market-data events replayed
  uint64_t orders = 0;    // orders sent (new orders, not cancels)
  uint64_t requests = 0;  // rows of orders.csv: orders, cancels and modifies
  uint64_t fills = 0;     // rows of fills.csv
  Money initial_cash;
  Money final_equity;    // cash + positions at their last price
  Money pnl;             // final_equity - initial_cash
  Money realized_pnl;    // average-cost, before fees
  Money unrealized_pnl;
  Money fees;     // negative: rebates
  Money funding;  // net: received > 0, paid < 0
};

enum class MetricId : uint8_t {
  kEvents, kOrders, kRequests, kFills, kInitialCash, kFinalEquity, kPnl, kRealizedPnl,
  kUnrealizedPnl, kFees, kFunding, kInitialEquity, kSpanSeconds, kTotalReturn, kCagr,
  kVolatility, kSharpe, kSortino, kMaxDrawdown, kCalmar, kRoundTrips, kOpenRoundTrips, kWins,
  kLosses, kWinRate, kProfitFactor, kGrossProfit, kGrossLoss, kAverageWin, kAverageLoss,
  kExposure, kTradedNotional, kTurnover, kFundingPaid, kFundingReceived,
};
inline constexpr size_t kMetricCount = static_cast<size_t>(MetricId::kFundingReceived) + 1;

enum class MetricUnit : uint8_t {
  kMoney,     // quote currency, exact to 8 decimals
  kFraction,  // 0.05 is 5 %
  kRatio,     // dimensionless: sharpe, profit factor, turnover
  kCount,
  kSeconds,
};

// Which way a metric improves; kNeither for facts such as event counts.
enum class MetricBetter : uint8_t { kHigher, kLower, kNeither };

// One metric's value in one run: exact money, a count or a number; none when it is undefined
// (a sharpe ratio without two returns).
class MetricValue {
 public:
  enum class Kind : uint8_t { kNone, kMoney, kCount, kNumber };

  MetricValue() = default;
  static MetricValue Of(Money m);
  static MetricValue Of(uint64_t n);
  static MetricValue Of(double x);  // none when not finite
  static MetricValue Of(const std::optional<double>& x);
  static MetricValue Of(const std::optional<Money>& m);

  Kind kind() const { return kind_; }
  bool has_value() const { return kind_ != Kind::kNone; }
  Money money() const { return money_; }
  uint64_t count() const { return count_; }
  double number() const { return number_; }

  // As a double; money gives the double nearest its decimal value (what parsing its text
  // gives), so a value read from summary.json and one from the run are the same bits.
  std::optional<double> ToDouble() const;
  // summary.json's form: money as a decimal string with 8 decimals, a count as an integer, a
  // number, or null.
  nlohmann::json ToJson() const;

 private:
  Kind kind_ = Kind::kNone;
  Money money_;
  uint64_t count_ = 0;
  double number_ = 0;
};

// Where a metric sits in the typed results, and so in summary.json: RunTotals fields at its top
// level, Metrics fields in its "metrics" object, the DrawdownInfo field as
// "metrics.max_drawdown.fraction".
using MetricField =
    std::variant<uint64_t RunTotals::*, Money RunTotals::*, uint64_t Metrics::*, double Metrics::*,
                 Money Metrics::*, std::optional<double> Metrics::*,
                 std::optional<Money> Metrics::*, double DrawdownInfo::*>;

struct Metric {
  MetricId id;
  std::string_view name;   // summary.json key, sweep grid name
  std::string_view label;  // row label in tables ("max drawdown")
  MetricUnit unit;
  MetricBetter better;
  MetricField field;

  MetricValue Read(const RunTotals& totals, const Metrics& metrics) const;
};

// Every metric, in MetricId order.
const std::vector<Metric>& MetricTable();
const Metric& GetMetric(MetricId id);
// The metric called `name`; nullptr when there is none.
const Metric* FindMetric(std::string_view name);

// ---- summary.json (schema: docs/summary.schema.json) ----

// The "metrics" object. Money as decimal strings with 8 decimals; ratios as numbers; undefined
// values as null.
nlohmann::json MetricsToJson(const Metrics& m);
// Sets the run's top-level figures (events, orders, ..., funding) in *summary.
void RunTotalsToJson(const RunTotals& totals, nlohmann::json* summary);
// Reads a summary.json's top-level figures and its "metrics" object back (Metrics::trips stays
// empty: round_trips.csv holds them). Errors name `origin` and the key path.
absl::Status ResultsFromJson(const nlohmann::json& summary, std::string_view origin,
                             RunTotals* totals, Metrics* metrics);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_METRICS_H_
