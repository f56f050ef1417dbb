// The metric table and summary.json's figures: written from the typed results and read back
// into them (core/metrics.h).
#include <cmath>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/metrics.h"
#include "core/status.h"

namespace tapedeck {
namespace {

// The class a member pointer belongs to.
template <typename P>
struct MemberOf;
template <typename T, typename C>
struct MemberOf<T C::*> {
  using type = C;
};
template <typename P>
using MemberOfT = typename MemberOf<P>::type;

// Doubles are exact below 2^53: a quotient of two exact doubles is correctly rounded, as strtod
// of the decimal text is.
constexpr int64_t kExactDouble = int64_t{1} << 53;

std::string MoneyText(Money m) { return FormatDecimal(m.raw, Money::kScale); }

}  // namespace

MetricValue MetricValue::Of(Money m) {
  MetricValue v;
  v.kind_ = Kind::kMoney;
  v.money_ = m;
  return v;
}

MetricValue MetricValue::Of(uint64_t n) {
  MetricValue v;
  v.kind_ = Kind::kCount;
  v.count_ = n;
  return v;
}

MetricValue MetricValue::Of(double x) {
  MetricValue v;
  if (!std::isfinite(x)) return v;
  v.kind_ = Kind::kNumber;
  v.number_ = x;
  return v;
}

MetricValue MetricValue::Of(const std::optional<double>& x) {
  return x.has_value() ? Of(*x) : MetricValue();
}

MetricValue MetricValue::Of(const std::optional<Money>& m) {
  return m.has_value() ? Of(*m) : MetricValue();
}

std::optional<double> MetricValue::ToDouble() const {
  switch (kind_) {
    case Kind::kNone:
      return std::nullopt;
    case Kind::kCount:
      return static_cast<double>(count_);
    case Kind::kNumber:
      return number_;
    case Kind::kMoney:
      if (money_.raw > -kExactDouble && money_.raw < kExactDouble) {
        return static_cast<double>(money_.raw) / static_cast<double>(Money::kOne);
      }
      return std::strtod(MoneyText(money_).c_str(), nullptr);
  }
  return std::nullopt;
}

nlohmann::json MetricValue::ToJson() const {
  switch (kind_) {
    case Kind::kNone:
      return nullptr;
    case Kind::kCount:
      return count_;
    case Kind::kNumber:
      return number_;
    case Kind::kMoney:
      return MoneyText(money_);
  }
  return nullptr;
}

MetricValue Metric::Read(const RunTotals& totals, const Metrics& metrics) const {
  return std::visit(
      [&](auto p) {
        using Owner = MemberOfT<decltype(p)>;
        if constexpr (std::is_same_v<Owner, RunTotals>) {
          return MetricValue::Of(totals.*p);
        } else if constexpr (std::is_same_v<Owner, DrawdownInfo>) {
          return MetricValue::Of(metrics.drawdown.*p);
        } else {
          return MetricValue::Of(metrics.*p);
        }
      },
      field);
}

const std::vector<Metric>& MetricTable() {
  using I = MetricId;
  using U = MetricUnit;
  using B = MetricBetter;
  using T = RunTotals;
  using M = Metrics;
  static const std::vector<Metric> kTable = {
      {I::kEvents, "events", "events", U::kCount, B::kNeither, &T::events},
      {I::kOrders, "orders", "orders", U::kCount, B::kNeither, &T::orders},
      {I::kRequests, "requests", "requests", U::kCount, B::kNeither, &T::requests},
      {I::kFills, "fills", "fills", U::kCount, B::kNeither, &T::fills},
      {I::kInitialCash, "initial_cash", "initial cash", U::kMoney, B::kNeither, &T::initial_cash},
      {I::kFinalEquity, "final_equity", "final equity", U::kMoney, B::kHigher, &T::final_equity},
      {I::kPnl, "pnl", "pnl", U::kMoney, B::kHigher, &T::pnl},
      {I::kRealizedPnl, "realized_pnl", "realized pnl", U::kMoney, B::kHigher, &T::realized_pnl},
      {I::kUnrealizedPnl, "unrealized_pnl", "unrealized pnl", U::kMoney, B::kNeither,
       &T::unrealized_pnl},
      {I::kFees, "fees", "fees", U::kMoney, B::kLower, &T::fees},
      {I::kFunding, "funding", "funding", U::kMoney, B::kHigher, &T::funding},
      {I::kInitialEquity, "initial_equity", "initial equity", U::kMoney, B::kNeither,
       &M::initial_equity},
      {I::kSpanSeconds, "span_seconds", "span", U::kSeconds, B::kNeither, &M::span_seconds},
      {I::kTotalReturn, "total_return", "return", U::kFraction, B::kHigher, &M::total_return},
      {I::kCagr, "cagr", "CAGR", U::kFraction, B::kHigher, &M::cagr},
      {I::kVolatility, "volatility", "volatility (ann.)", U::kFraction, B::kLower, &M::volatility},
      {I::kSharpe, "sharpe", "sharpe", U::kRatio, B::kHigher, &M::sharpe},
      {I::kSortino, "sortino", "sortino", U::kRatio, B::kHigher, &M::sortino},
      {I::kMaxDrawdown, "max_drawdown", "max drawdown", U::kFraction, B::kLower,
       &DrawdownInfo::fraction},
      {I::kCalmar, "calmar", "calmar", U::kRatio, B::kHigher, &M::calmar},
      {I::kRoundTrips, "round_trips", "round trips", U::kCount, B::kNeither, &M::round_trips},
      {I::kOpenRoundTrips, "open_round_trips", "open round trips", U::kCount, B::kNeither,
       &M::open_round_trips},
      {I::kWins, "wins", "wins", U::kCount, B::kHigher, &M::wins},
      {I::kLosses, "losses", "losses", U::kCount, B::kLower, &M::losses},
      {I::kWinRate, "win_rate", "win rate", U::kFraction, B::kHigher, &M::win_rate},
      {I::kProfitFactor, "profit_factor", "profit factor", U::kRatio, B::kHigher,
       &M::profit_factor},
      {I::kGrossProfit, "gross_profit", "gross profit", U::kMoney, B::kHigher, &M::gross_profit},
      // Losses are <= 0: nearer zero is better.
      {I::kGrossLoss, "gross_loss", "gross loss", U::kMoney, B::kHigher, &M::gross_loss},
      {I::kAverageWin, "average_win", "average win", U::kMoney, B::kHigher, &M::average_win},
      {I::kAverageLoss, "average_loss", "average loss", U::kMoney, B::kHigher, &M::average_loss},
      {I::kExposure, "exposure", "exposure", U::kFraction, B::kNeither, &M::exposure},
      {I::kTradedNotional, "traded_notional", "traded notional", U::kMoney, B::kNeither,
       &M::traded_notional},
      {I::kTurnover, "turnover", "turnover", U::kRatio, B::kNeither, &M::turnover},
      {I::kFundingPaid, "funding_paid", "funding paid", U::kMoney, B::kLower, &M::funding_paid},
      {I::kFundingReceived, "funding_received", "funding received", U::kMoney, B::kHigher,
       &M::funding_received},
  };
  return kTable;
}

const Metric& GetMetric(MetricId id) { return MetricTable()[static_cast<size_t>(id)]; }

const Metric* FindMetric(std::string_view name) {
  for (const Metric& m : MetricTable()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

namespace {

// Where summary.json keeps a metric.
enum class Place { kTopLevel, kMetricsObject, kDrawdownObject };

Place PlaceOf(const Metric& m) {
  return std::visit(
      [](auto p) {
        using Owner = MemberOfT<decltype(p)>;
        if constexpr (std::is_same_v<Owner, RunTotals>) return Place::kTopLevel;
        if constexpr (std::is_same_v<Owner, DrawdownInfo>) return Place::kDrawdownObject;
        return Place::kMetricsObject;
      },
      m.field);
}

nlohmann::json OptTs(const std::optional<Timestamp>& t) {
  return t.has_value() ? nlohmann::json(FormatTimestamp(*t)) : nlohmann::json(nullptr);
}
nlohmann::json OptNs(const std::optional<Timestamp>& t) {
  return t.has_value() ? nlohmann::json(t->ns) : nlohmann::json(nullptr);
}

nlohmann::json DrawdownToJson(const DrawdownInfo& d) {
  return {{"fraction", MetricValue::Of(d.fraction).ToJson()},
          {"amount", MoneyText(d.amount)},
          {"peak_equity", MoneyText(d.peak_equity)},
          {"trough_equity", MoneyText(d.trough_equity)},
          {"peak", OptTs(d.peak)},
          {"peak_ns", OptNs(d.peak)},
          {"trough", OptTs(d.trough)},
          {"trough_ns", OptNs(d.trough)},
          {"recovery", OptTs(d.recovery)},
          {"recovery_ns", OptNs(d.recovery)}};
}

nlohmann::json InstrumentToJson(const InstrumentMetrics& im) {
  return {{"symbol", im.symbol},
          {"pnl", MoneyText(im.pnl)},
          {"fees", MoneyText(im.fees)},
          {"funding", MoneyText(im.funding)},
          {"traded_notional", MoneyText(im.traded_notional)},
          {"final_position", FormatDecimal(im.final_position.raw, im.qty_scale)},
          {"fills", im.fills},
          {"round_trips", im.round_trips},
          {"wins", im.wins},
          {"exposure", im.exposure}};
}

}  // namespace

nlohmann::json MetricsToJson(const Metrics& m) {
  nlohmann::json j = nlohmann::json::object();
  const RunTotals unused;
  for (const Metric& metric : MetricTable()) {
    if (PlaceOf(metric) == Place::kMetricsObject) j[metric.name] = metric.Read(unused, m).ToJson();
  }
  // The object repeats four of the run's figures as the series and the fills give them (the
  // venue's settlements and liquidations count as fills here).
  j["final_equity"] = MoneyText(m.final_equity);
  j["fees"] = MoneyText(m.fees);
  j["orders"] = m.orders;
  j["fills"] = m.fills;
  j["annualisation"] = {
      {"returns", m.returns},
      {"mean_interval_seconds", MetricValue::Of(m.mean_interval_seconds).ToJson()},
      {"periods_per_year", MetricValue::Of(m.periods_per_year).ToJson()},
      {"risk_free_rate", 0.0}};
  j["max_drawdown"] = DrawdownToJson(m.drawdown);
  nlohmann::json per = nlohmann::json::array();
  for (const InstrumentMetrics& im : m.instruments) per.push_back(InstrumentToJson(im));
  j["instruments"] = per;
  return j;
}

void RunTotalsToJson(const RunTotals& totals, nlohmann::json* summary) {
  const Metrics unused;
  for (const Metric& metric : MetricTable()) {
    if (PlaceOf(metric) == Place::kTopLevel) {
      (*summary)[metric.name] = metric.Read(totals, unused).ToJson();
    }
  }
}

// ---- Reading back ----

namespace {

// Reads typed values out of one JSON object; errors name the file and the key's full path.
class ObjectReader {
 public:
  // `path` is the object's own path in the document ("" for the root).
  ObjectReader(const nlohmann::json* obj, std::string origin, std::string path)
      : obj_(obj), origin_(std::move(origin)), path_(std::move(path)) {}

  absl::StatusOr<ObjectReader> Object(std::string_view key) const {
    TAPEDECK_ASSIGN_OR_RETURN(const nlohmann::json* v, Find(key));
    if (!v->is_object()) return Error(key, "expected an object");
    return ObjectReader(v, origin_, PathOf(key));
  }
  // The elements of an array of objects.
  absl::StatusOr<std::vector<ObjectReader>> Objects(std::string_view key) const {
    TAPEDECK_ASSIGN_OR_RETURN(const nlohmann::json* v, Find(key));
    if (!v->is_array()) return Error(key, "expected an array");
    std::vector<ObjectReader> out;
    for (size_t i = 0; i < v->size(); ++i) {
      const std::string at = absl::StrCat(PathOf(key), "[", i, "]");
      if (!(*v)[i].is_object()) {
        return absl::InvalidArgumentError(absl::StrCat(origin_, ": ", at, ": expected an object"));
      }
      out.emplace_back(&(*v)[i], origin_, at);
    }
    return out;
  }
  absl::Status Count(std::string_view key, uint64_t* out) const {
    TAPEDECK_ASSIGN_OR_RETURN(const nlohmann::json* v, Find(key));
    // In memory a count may be a signed integer; parsed from text, any integer >= 0 is unsigned.
    if (!v->is_number_integer() || (!v->is_number_unsigned() && v->get<int64_t>() < 0)) {
      return Error(key, "expected a count (an integer >= 0)");
    }
    *out = v->get<uint64_t>();
    return absl::OkStatus();
  }
  // A number; null reads as NaN (summary.json writes a non-finite value as null).
  absl::Status Number(std::string_view key, double* out) const {
    std::optional<double> v;
    TAPEDECK_RETURN_IF_ERROR(OptNumber(key, &v));
    *out = v.value_or(std::nan(""));
    return absl::OkStatus();
  }
  absl::Status OptNumber(std::string_view key, std::optional<double>* out) const {
    TAPEDECK_ASSIGN_OR_RETURN(const nlohmann::json* v, Find(key));
    if (v->is_null()) {
      out->reset();
    } else if (v->is_number()) {
      *out = v->get<double>();
    } else {
      return Error(key, "expected a number or null");
    }
    return absl::OkStatus();
  }
  absl::Status MoneyValue(std::string_view key, Money* out) const {
    std::optional<Money> v;
    TAPEDECK_RETURN_IF_ERROR(OptMoney(key, &v));
    if (!v.has_value()) return Error(key, "expected money (a decimal string), not null");
    *out = *v;
    return absl::OkStatus();
  }
  absl::Status OptMoney(std::string_view key, std::optional<Money>* out) const {
    TAPEDECK_ASSIGN_OR_RETURN(const nlohmann::json* v, Find(key));
    if (v->is_null()) {
      out->reset();
      return absl::OkStatus();
    }
    if (!v->is_string()) return Error(key, "expected money (a decimal string)");
    absl::StatusOr<int64_t> raw = ParseDecimal(v->get<std::string>(), Money::kScale);
    if (!raw.ok()) return Error(key, std::string(raw.status().message()));
    *out = Money(*raw);
    return absl::OkStatus();
  }
  absl::Status Text(std::string_view key, std::string* out) const {
    TAPEDECK_ASSIGN_OR_RETURN(const nlohmann::json* v, Find(key));
    if (!v->is_string()) return Error(key, "expected a string");
    *out = v->get<std::string>();
    return absl::OkStatus();
  }
  absl::Status OptTime(std::string_view key, std::optional<Timestamp>* out) const {
    TAPEDECK_ASSIGN_OR_RETURN(const nlohmann::json* v, Find(key));
    if (v->is_null()) {
      out->reset();
      return absl::OkStatus();
    }
    if (!v->is_string()) return Error(key, "expected a UTC time or null");
    absl::StatusOr<Timestamp> t = ParseTimestamp(v->get<std::string>());
    if (!t.ok()) return Error(key, std::string(t.status().message()));
    *out = *t;
    return absl::OkStatus();
  }
  std::string PathOf(std::string_view key) const {
    return path_.empty() ? std::string(key) : absl::StrCat(path_, ".", std::string(key));
  }
  absl::Status Error(std::string_view key, const std::string& what) const {
    return absl::InvalidArgumentError(absl::StrCat(origin_, ": ", PathOf(key), ": ", what));
  }

 private:
  absl::StatusOr<const nlohmann::json*> Find(std::string_view key) const {
    auto it = obj_->find(std::string(key));
    if (it == obj_->end()) return Error(key, "missing");
    return &*it;
  }

  const nlohmann::json* obj_;
  std::string origin_;
  std::string path_;
};

// A metric of the table from the object that holds it.
absl::Status ReadMetric(const ObjectReader& r, const Metric& metric, RunTotals* totals,
                        Metrics* metrics) {
  return std::visit(
      [&](auto p) -> absl::Status {
        using Owner = MemberOfT<decltype(p)>;
        auto& target = [&]() -> auto& {
          if constexpr (std::is_same_v<Owner, RunTotals>) {
            return totals->*p;
          } else if constexpr (std::is_same_v<Owner, DrawdownInfo>) {
            return metrics->drawdown.*p;
          } else {
            return metrics->*p;
          }
        }
        ();
        using V = std::remove_reference_t<decltype(target)>;
        if constexpr (std::is_same_v<V, uint64_t>) {
          return r.Count(metric.name, &target);
        } else if constexpr (std::is_same_v<V, double>) {
          return r.Number(metric.name, &target);
        } else if constexpr (std::is_same_v<V, Money>) {
          return r.MoneyValue(metric.name, &target);
        } else if constexpr (std::is_same_v<V, std::optional<double>>) {
          return r.OptNumber(metric.name, &target);
        } else {
          static_assert(std::is_same_v<V, std::optional<Money>>);
          return r.OptMoney(metric.name, &target);
        }
      },
      metric.field);
}

absl::Status ReadDrawdown(const ObjectReader& r, DrawdownInfo* d) {
  TAPEDECK_RETURN_IF_ERROR(r.Number("fraction", &d->fraction));
  TAPEDECK_RETURN_IF_ERROR(r.MoneyValue("amount", &d->amount));
  TAPEDECK_RETURN_IF_ERROR(r.MoneyValue("peak_equity", &d->peak_equity));
  TAPEDECK_RETURN_IF_ERROR(r.MoneyValue("trough_equity", &d->trough_equity));
  TAPEDECK_RETURN_IF_ERROR(r.OptTime("peak", &d->peak));
  TAPEDECK_RETURN_IF_ERROR(r.OptTime("trough", &d->trough));
  return r.OptTime("recovery", &d->recovery);
}

absl::Status ReadInstrument(const ObjectReader& r, size_t index, InstrumentMetrics* im) {
  im->instrument = InstrumentId(static_cast<uint16_t>(index));
  TAPEDECK_RETURN_IF_ERROR(r.Text("symbol", &im->symbol));
  TAPEDECK_RETURN_IF_ERROR(r.MoneyValue("pnl", &im->pnl));
  TAPEDECK_RETURN_IF_ERROR(r.MoneyValue("fees", &im->fees));
  TAPEDECK_RETURN_IF_ERROR(r.MoneyValue("funding", &im->funding));
  TAPEDECK_RETURN_IF_ERROR(r.MoneyValue("traded_notional", &im->traded_notional));
  std::string position;
  TAPEDECK_RETURN_IF_ERROR(r.Text("final_position", &position));
  // The scale is the number of decimals written (FormatDecimal writes exactly that many).
  const size_t dot = position.find('.');
  im->qty_scale = dot == std::string::npos ? 0 : static_cast<int>(position.size() - dot - 1);
  absl::StatusOr<int64_t> raw = im->qty_scale <= kMaxDecimalScale
                                    ? ParseDecimal(position, im->qty_scale)
                                    : absl::InvalidArgumentError("too many decimals");
  if (!raw.ok()) return r.Error("final_position", std::string(raw.status().message()));
  im->final_position = Qty(*raw);
  TAPEDECK_RETURN_IF_ERROR(r.Count("fills", &im->fills));
  TAPEDECK_RETURN_IF_ERROR(r.Count("round_trips", &im->round_trips));
  TAPEDECK_RETURN_IF_ERROR(r.Count("wins", &im->wins));
  return r.Number("exposure", &im->exposure);
}

absl::Status ReadMetricsObject(const ObjectReader& r, Metrics* m) {
  TAPEDECK_RETURN_IF_ERROR(r.MoneyValue("final_equity", &m->final_equity));
  TAPEDECK_RETURN_IF_ERROR(r.MoneyValue("fees", &m->fees));
  TAPEDECK_RETURN_IF_ERROR(r.Count("orders", &m->orders));
  TAPEDECK_RETURN_IF_ERROR(r.Count("fills", &m->fills));
  TAPEDECK_ASSIGN_OR_RETURN(const ObjectReader ann, r.Object("annualisation"));
  TAPEDECK_RETURN_IF_ERROR(ann.Count("returns", &m->returns));
  TAPEDECK_RETURN_IF_ERROR(ann.OptNumber("mean_interval_seconds", &m->mean_interval_seconds));
  TAPEDECK_RETURN_IF_ERROR(ann.OptNumber("periods_per_year", &m->periods_per_year));
  TAPEDECK_ASSIGN_OR_RETURN(const ObjectReader dd, r.Object("max_drawdown"));
  TAPEDECK_RETURN_IF_ERROR(ReadDrawdown(dd, &m->drawdown));
  TAPEDECK_ASSIGN_OR_RETURN(const std::vector<ObjectReader> list, r.Objects("instruments"));
  m->instruments.resize(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    TAPEDECK_RETURN_IF_ERROR(ReadInstrument(list[i], i, &m->instruments[i]));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ResultsFromJson(const nlohmann::json& summary, std::string_view origin,
                             RunTotals* totals, Metrics* metrics) {
  *totals = RunTotals();
  *metrics = Metrics();
  if (!summary.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(origin), ": expected a JSON object"));
  }
  const ObjectReader root(&summary, std::string(origin), "");
  TAPEDECK_ASSIGN_OR_RETURN(const ObjectReader m, root.Object("metrics"));
  for (const Metric& metric : MetricTable()) {
    const Place place = PlaceOf(metric);
    if (place == Place::kDrawdownObject) continue;  // read with the whole drawdown object
    TAPEDECK_RETURN_IF_ERROR(
        ReadMetric(place == Place::kTopLevel ? root : m, metric, totals, metrics));
  }
  return ReadMetricsObject(m, metrics);
}

}  // namespace tapedeck
