#include "runner/outputs.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/metrics.h"

namespace tapedeck::runner {
namespace {

std::string Px(const InstrumentTable& t, InstrumentId id, Price p) {
  return FormatDecimal(p.raw, t.at(id).price_scale);
}
std::string Q(const InstrumentTable& t, InstrumentId id, Qty q) {
  return FormatDecimal(q.raw, t.at(id).qty_scale);
}
std::string M(Money m) { return FormatDecimal(m.raw, Money::kScale); }

std::string LiquidityName(Liquidity l) {
  switch (l) {
    case Liquidity::kMaker: return "maker";
    case Liquidity::kTaker: return "taker";
    case Liquidity::kNone: return "";
  }
  return "";
}

}  // namespace

uint64_t Fnv1a64(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (char c : bytes) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string Hex64(uint64_t v) { return absl::StrFormat("%016x", v); }

absl::Status WriteFileAtomically(const std::string& path, std::string_view content) {
  const std::string tmp = absl::StrCat(path, ".tmp.", ::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(tmp, ": cannot create: ", std::strerror(errno)));
  }
  const size_t n = std::fwrite(content.data(), 1, content.size(), f);
  const bool flushed = std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const bool closed = std::fclose(f) == 0;
  if (n != content.size() || !flushed || !closed) {
    std::remove(tmp.c_str());
    return absl::DataLossError(absl::StrCat(tmp, ": write failed: ", std::strerror(errno)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::DataLossError(absl::StrCat(path, ": rename failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

RunOutputs RenderOutputs(const Context& ctx, const std::vector<EquityPoint>& equity,
                         const RunFacts& facts, const Strategy& strategy,
                         const nlohmann::json& config,
                         const std::vector<SeriesSample>* series) {
  const InstrumentTable& t = ctx.instruments();
  RunOutputs out;

  out.orders_csv = "ts,ts_utc,action,order_id,symbol,side,type,tif,price,qty,post_only,reduce_only\n";
  for (const OrderLogEntry& o : ctx.order_log()) {
    const OrderRequest& r = o.request;
    const Instrument& in = t.at(r.instrument);
    if (o.cancel) {
      absl::StrAppend(&out.orders_csv, o.ts.ns, ",", FormatTimestamp(o.ts), ",cancel,", r.id.value,
                      ",", in.symbol, ",,,,,,,\n");
      continue;
    }
    // A modify row repeats the order's fields with the new price and total quantity.
    absl::StrAppend(&out.orders_csv, o.ts.ns, ",", FormatTimestamp(o.ts),
                    o.modify ? ",modify," : ",new,", r.id.value, ",",
                    in.symbol, ",", SideName(r.side), ",", std::string(OrderTypeName(r.type)), ",",
                    std::string(TimeInForceName(r.tif)), ",",
                    r.type == OrderType::kLimit ? Px(t, r.instrument, r.price) : "", ",",
                    Q(t, r.instrument, r.qty), ",", r.post_only ? "1" : "0", ",",
                    r.reduce_only ? "1" : "0", "\n");
  }

  out.fills_csv = "local_ts,exchange_ts,ts_utc,order_id,symbol,side,price,qty,liquidity,fee\n";
  for (const FillLogEntry& f : ctx.fill_log()) {
    absl::StrAppend(&out.fills_csv, f.local_ts.ns, ",", f.exchange_ts.ns, ",",
                    FormatTimestamp(f.local_ts), ",", f.order_id.value, ",",
                    t.at(f.instrument).symbol, ",", SideName(f.side), ",",
                    Px(t, f.instrument, f.price), ",", Q(t, f.instrument, f.qty), ",",
                    LiquidityName(f.liquidity), ",", M(f.fee), "\n");
  }

  out.equity_csv = "ts,ts_utc,equity,cash,realized_pnl,unrealized_pnl,fees\n";
  for (const EquityPoint& e : equity) {
    absl::StrAppend(&out.equity_csv, e.ts.ns, ",", FormatTimestamp(e.ts), ",", M(e.equity), ",",
                    M(e.cash), ",", M(e.realized), ",", M(e.unrealized), ",", M(e.fees), "\n");
  }

  // Account events: funding, settlements and liquidations the venue made on its own.
  out.account_csv = "local_ts,exchange_ts,ts_utc,symbol,action,qty,price,amount,fee\n";
  int64_t funding_events = 0, settlements = 0, liquidations = 0;
  Money settlement_pnl, liquidation_pnl, liquidation_fees;
  for (const AccountLogEntry& a : ctx.account_log()) {
    absl::StrAppend(&out.account_csv, a.local_ts.ns, ",", a.exchange_ts.ns, ",",
                    FormatTimestamp(a.local_ts), ",", t.at(a.instrument).symbol, ",",
                    std::string(AccountActionName(a.action)), ",", Q(t, a.instrument, a.qty), ",",
                    Px(t, a.instrument, a.price), ",", M(a.amount), ",", M(a.fee), "\n");
    switch (a.action) {
      case AccountAction::kFunding:
        ++funding_events;
        break;
      case AccountAction::kSettlement:
        ++settlements;
        settlement_pnl += a.amount;
        break;
      case AccountAction::kLiquidation:
        ++liquidations;
        liquidation_pnl += a.amount;
        liquidation_fees += a.fee;
        break;
    }
  }
  const bool has_account = !ctx.account_log().empty();

  const uint64_t orders_digest = Fnv1a64(out.orders_csv);
  const uint64_t fills_digest = Fnv1a64(out.fills_csv);
  uint64_t run_digest = Fnv1a64(out.fills_csv, Fnv1a64(out.orders_csv));
  // Account events join the run digest only when there are any, so that runs without them
  // (every run before they existed) keep their digests.
  const uint64_t account_digest = Fnv1a64(out.account_csv);
  if (has_account) run_digest = Fnv1a64(out.account_csv, run_digest);
  out.digest = Hex64(run_digest);
  out.digest_txt = absl::StrCat("orders ", Hex64(orders_digest), "\nfills ", Hex64(fills_digest),
                                has_account ? absl::StrCat("\naccount ", Hex64(account_digest))
                                            : std::string(),
                                "\nrun ", out.digest, "\n");

  const Portfolio& p = ctx.portfolio();
  Money unrealized;
  nlohmann::json instruments = nlohmann::json::array();
  for (const Instrument& in : t.all()) {
    const Position& pos = p.position(in.id);
    const Money u = p.Unrealized(in.id);
    unrealized += u;
    instruments.push_back({{"symbol", in.symbol},
                           {"position", Q(t, in.id, pos.qty)},
                           {"average_price", p.AveragePrice(in.id)},
                           {"mark", pos.has_mark ? Px(t, in.id, pos.mark) : ""},
                           {"realized_pnl", M(pos.realized_pnl)},
                           {"unrealized_pnl", M(u)},
                           {"fees", M(pos.fees)},
                           {"funding", M(pos.funding)},
                           {"traded_qty", Q(t, in.id, pos.traded)}});
  }
  MetricsInput mi;
  mi.instruments = &t;
  mi.start = facts.first_ts;
  mi.end = facts.last_ts;
  mi.initial_equity = p.initial_cash();
  mi.equity = equity;
  mi.fills.assign(ctx.fill_log().begin(), ctx.fill_log().end());
  mi.orders = ctx.orders_sent();
  for (const Instrument& in : t.all()) {
    const Position& pos = p.position(in.id);
    mi.final_marks.push_back(pos.has_mark ? std::optional<Price>(pos.mark) : std::nullopt);
  }
  // Each funding payment is a flow at the time the strategy learnt of it. A settlement or a
  // liquidation closes the position like a fill by the venue (order id 0, at its price, the
  // liquidation fee as its fee), so that round trips close and per-instrument PnL is right.
  for (const AccountLogEntry& a : ctx.account_log()) {
    if (a.action == AccountAction::kFunding) {
      mi.funding.push_back(FundingFlow{a.local_ts, a.instrument, a.amount});
      continue;
    }
    if (a.qty.raw == 0) continue;
    mi.fills.push_back(FillLogEntry{a.local_ts, a.exchange_ts, OrderId(), a.instrument,
                                    a.qty.raw > 0 ? Side::kSell : Side::kBuy, a.price,
                                    Qty(a.qty.raw > 0 ? a.qty.raw : -a.qty.raw), a.fee,
                                    Liquidity::kNone});
  }
  const Metrics metrics = ComputeMetrics(mi);
  out.round_trips_csv = RenderRoundTripsCsv(t, metrics.trips);
  if (series != nullptr) out.prices_csv = RenderPricesCsv(t, *series);
  nlohmann::json metrics_json = MetricsToJson(metrics, t);
  metrics_json["spread"] = SpreadMetricsFromReport(strategy.Report());

  const Money equity_end = p.Equity();
  const Money pnl = equity_end - p.initial_cash();
  out.summary = {
      {"schema", "tapedeck.summary/1"},
      {"strategy", facts.strategy_name},
      {"label", facts.label},
      {"seed", facts.seed},
      {"events", facts.market_events},
      {"start", FormatTimestamp(facts.first_ts)},
      {"end", FormatTimestamp(facts.last_ts)},
      {"orders", ctx.orders_sent()},
      {"requests", ctx.order_log().size()},
      {"fills", ctx.fill_log().size()},
      {"initial_cash", M(p.initial_cash())},
      {"final_equity", M(equity_end)},
      {"pnl", M(pnl)},
      {"realized_pnl", M(p.TotalRealized())},
      {"unrealized_pnl", M(unrealized)},
      {"fees", M(p.TotalFees())},
      {"funding", M(p.TotalFunding())},
      {"account", {{"events", ctx.account_log().size()},
                   {"funding_payments", funding_events},
                   {"settlements", settlements},
                   {"settlement_pnl", M(settlement_pnl)},
                   {"liquidations", liquidations},
                   {"liquidation_pnl", M(liquidation_pnl)},
                   {"liquidation_fees", M(liquidation_fees)}}},
      {"instruments", instruments},
      {"metrics", metrics_json},
      {"strategy_report", strategy.Report()},
      {"digest", {{"orders", Hex64(orders_digest)}, {"fills", Hex64(fills_digest)}, {"run", out.digest}}},
      {"config", config},
  };
  if (has_account) out.summary["digest"]["account"] = Hex64(account_digest);
  return out;
}

absl::Status WriteOutputs(const std::string& dir, const RunOutputs& out) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::PermissionDeniedError(absl::StrCat(dir, ": cannot create: ", ec.message()));
  const std::pair<const char*, const std::string*> files[] = {
      {"orders.csv", &out.orders_csv},
      {"fills.csv", &out.fills_csv},
      {"equity.csv", &out.equity_csv},
      {"round_trips.csv", &out.round_trips_csv},
      {"account.csv", &out.account_csv},
      {"digest.txt", &out.digest_txt},
  };
  for (const auto& [name, content] : files) {
    absl::Status s = WriteFileAtomically(absl::StrCat(dir, "/", name), *content);
    if (!s.ok()) return s;
  }
  if (!out.prices_csv.empty()) {
    absl::Status s = WriteFileAtomically(absl::StrCat(dir, "/prices.csv"), out.prices_csv);
    if (!s.ok()) return s;
  }
  // summary.json last: its presence marks a complete set.
  return WriteFileAtomically(absl::StrCat(dir, "/summary.json"), out.summary.dump(2) + "\n");
}

}  // namespace tapedeck::runner
