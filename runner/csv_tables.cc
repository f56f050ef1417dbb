#include "runner/csv_tables.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/decimal.h"

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

// sum(price x qty) / sum(qty) with 4 extra decimals, rounded half away from zero.
std::string AveragePrice(Int128 pq, Qty qty, int price_scale) {
  if (qty.raw == 0) return "";
  const int extra = std::min(4, kMaxDecimalScale - price_scale);
  const Int128 n = pq * Pow10(extra);
  Int128 q = n / qty.raw;
  const Int128 r = n % qty.raw;
  if (2 * (r < 0 ? -r : r) >= qty.raw) q += r < 0 ? -1 : 1;
  return FormatDecimal(static_cast<int64_t>(q), price_scale + extra);
}

}  // namespace

void AppendOrderRow(const InstrumentTable& t, const OrderLogEntry& o, std::string* out) {
  const OrderRequest& r = o.request;
  const Instrument& in = t.at(r.instrument);
  if (o.action == RequestAction::kCancel) {
    absl::StrAppend(out, o.ts.ns, ",", FormatTimestamp(o.ts), ",cancel,", r.id.value, ",",
                    in.symbol, ",,,,,,,\n");
    return;
  }
  absl::StrAppend(out, o.ts.ns, ",", FormatTimestamp(o.ts), o.action == RequestAction::kModify ? ",modify," : ",new,",
                  r.id.value, ",", in.symbol, ",", SideName(r.side), ",",
                  std::string(OrderTypeName(r.type)), ",", std::string(TimeInForceName(r.tif)),
                  ",", r.type == OrderType::kLimit ? Px(t, r.instrument, r.price) : "", ",",
                  Q(t, r.instrument, r.qty), ",", r.post_only ? "1" : "0", ",",
                  r.reduce_only ? "1" : "0", "\n");
}

void AppendFillRow(const InstrumentTable& t, const FillLogEntry& f, std::string* out) {
  absl::StrAppend(out, f.local_ts.ns, ",", f.exchange_ts.ns, ",", FormatTimestamp(f.local_ts), ",",
                  f.order_id.value, ",", t.at(f.instrument).symbol, ",", SideName(f.side), ",",
                  Px(t, f.instrument, f.price), ",", Q(t, f.instrument, f.qty), ",",
                  LiquidityName(f.liquidity), ",", M(f.fee), "\n");
}

void AppendEquityRow(const EquityPoint& e, std::string* out) {
  absl::StrAppend(out, e.ts.ns, ",", FormatTimestamp(e.ts), ",", M(e.equity), ",", M(e.cash), ",",
                  M(e.realized), ",", M(e.unrealized), ",", M(e.fees), "\n");
}

void AppendAccountRow(const InstrumentTable& t, const AccountLogEntry& a, std::string* out) {
  absl::StrAppend(out, a.local_ts.ns, ",", a.exchange_ts.ns, ",", FormatTimestamp(a.local_ts), ",",
                  t.at(a.instrument).symbol, ",", std::string(AccountActionName(a.action)), ",",
                  Q(t, a.instrument, a.qty), ",", Px(t, a.instrument, a.price), ",", M(a.amount),
                  ",", M(a.fee), "\n");
}

void AppendPriceRows(const InstrumentTable& t, const SeriesSample& s, std::string* out) {
  const std::string utc = FormatTimestamp(s.ts);
  for (size_t i = 0; i < s.instruments.size() && i < t.size(); ++i) {
    const Instrument& in = t.at(InstrumentId(static_cast<uint16_t>(i)));
    const InstrumentState& st = s.instruments[i];
    absl::StrAppend(out, s.ts.ns, ",", utc, ",", in.symbol, ",",
                    st.has_last ? FormatDecimal(st.last.raw, in.price_scale) : "", ",",
                    st.has_mid ? FormatDecimal(st.mid.raw, in.price_scale) : "", ",",
                    FormatDecimal(st.position.raw, in.qty_scale), "\n");
  }
}

std::string RenderPricesCsv(const InstrumentTable& instruments,
                            const std::vector<SeriesSample>& samples) {
  std::string out(kPricesHeader);
  for (const SeriesSample& s : samples) AppendPriceRows(instruments, s, &out);
  return out;
}

std::string RenderRoundTripsCsv(const InstrumentTable& instruments,
                                const std::vector<RoundTrip>& trips) {
  std::string out =
      "symbol,side,status,open_ts,open_utc,close_ts,close_utc,qty,entry_price,exit_price,fills,"
      "fees,pnl,group\n";
  for (const RoundTrip& t : trips) {
    const Instrument& in = instruments.at(t.instrument);
    absl::StrAppend(&out, in.symbol, ",", t.long_side ? "long" : "short", ",",
                    t.closed ? "closed" : "open", ",", t.open_ts.ns, ",",
                    FormatTimestamp(t.open_ts), ",", t.close_ts.ns, ",",
                    FormatTimestamp(t.close_ts), ",", FormatDecimal(t.qty.raw, in.qty_scale), ",",
                    AveragePrice(t.entry_pq, t.qty, in.price_scale), ",",
                    AveragePrice(t.exit_pq, t.exit_qty, in.price_scale), ",", t.fills, ",",
                    FormatDecimal(t.fees.raw, Money::kScale), ",",
                    FormatDecimal(t.pnl.raw, Money::kScale), ",",
                    t.group.valid() ? absl::StrCat(t.group.value) : std::string(), "\n");
  }
  return out;
}

}  // namespace tapedeck::runner
