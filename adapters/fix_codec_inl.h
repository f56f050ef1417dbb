// Template part of fix_codec.h.
#ifndef TAPEDECK_ADAPTERS_FIX_CODEC_INL_H_
#define TAPEDECK_ADAPTERS_FIX_CODEC_INL_H_

#include "absl/strings/str_cat.h"
#include "core/decimal.h"

namespace tapedeck::adapters {

template <typename Ids, typename Lookup>
bool DecodeExecutionReport(const FIX::Message& msg, const InstrumentTable& instruments,
                           const Ids& ids, const Lookup& symbol_lookup, ExecReport* out,
                           std::string* error) {
  *out = ExecReport();
  if (!msg.isSetField(tag::kExecType) || !msg.isSetField(tag::kOrdStatus) ||
      !msg.isSetField(tag::kSymbol) || !msg.isSetField(tag::kSide)) {
    *error = "ExecutionReport without ExecType, OrdStatus, Symbol or Side";
    return false;
  }
  const std::string& et = msg.getField(tag::kExecType);
  const std::string& os = msg.getField(tag::kOrdStatus);
  if (et.size() != 1 || os.size() != 1) {
    *error = "ExecutionReport with a malformed ExecType or OrdStatus";
    return false;
  }
  out->exec_type = et[0];
  out->ord_status = os[0];
  // A cancel's report names the cancel request in ClOrdID and the order in OrigClOrdID.
  if (msg.isSetField(tag::kOrigClOrdID)) {
    out->order_id = ParseOrderIdWith(ids, msg.getField(tag::kOrigClOrdID));
  }
  if (!out->order_id.valid() && msg.isSetField(tag::kClOrdID)) {
    out->order_id = ParseOrderIdWith(ids, msg.getField(tag::kClOrdID));
  }
  if (!out->order_id.valid()) {
    *error = "ExecutionReport for an order that is not ours";
    return false;
  }
  if (!symbol_lookup(msg.getField(tag::kSymbol), &out->instrument)) {
    *error = absl::StrCat("ExecutionReport for unknown symbol '", msg.getField(tag::kSymbol), "'");
    return false;
  }
  if (!ParseFixSide(msg.getField(tag::kSide), &out->side)) {
    *error = "ExecutionReport with an unknown Side";
    return false;
  }
  const Instrument& in = instruments.at(out->instrument);
  int64_t v = 0;
  if (!GetDecimalField(msg, tag::kLastPx, in.price_scale, &v, error)) return false;
  out->last_px = Price(v);
  v = 0;
  if (!GetDecimalField(msg, tag::kLastQty, in.qty_scale, &v, error)) return false;
  out->last_qty = Qty(v);
  v = 0;
  if (!GetDecimalField(msg, tag::kCumQty, in.qty_scale, &v, error)) return false;
  out->cum_qty = Qty(v);
  v = 0;
  if (!GetDecimalField(msg, tag::kLeavesQty, in.qty_scale, &v, error)) return false;
  out->leaves_qty = Qty(v);
  v = 0;
  // Commission(12) as an absolute amount (CommType 3) in quote money.
  if (msg.isSetField(tag::kCommission) &&
      (!msg.isSetField(tag::kCommType) || msg.getField(tag::kCommType) == "3")) {
    if (!GetDecimalField(msg, tag::kCommission, Money::kScale, &v, error)) return false;
    out->commission = Money(v);
  }
  if (msg.isSetField(tag::kLastLiquidityInd)) {
    const std::string& l = msg.getField(tag::kLastLiquidityInd);
    out->liquidity = l == "1" ? Liquidity::kMaker : (l == "2" ? Liquidity::kTaker : Liquidity::kNone);
  }
  if (msg.isSetField(tag::kExecID)) out->exec_id = msg.getField(tag::kExecID);
  if (msg.isSetField(tag::kTransactTime) &&
      !ParseFixTimestamp(msg.getField(tag::kTransactTime), &out->transact_ns)) {
    out->transact_ns = 0;
  }
  if (out->exec_type == '8' || out->ord_status == '8') {
    int64_t code = 99;
    if (msg.isSetField(tag::kOrdRejReason)) {
      if (!TryParseInt(msg.getField(tag::kOrdRejReason), &code)) code = 99;
    }
    out->reason = RejectReasonOf(static_cast<int>(code),
                                 msg.isSetField(tag::kText) ? msg.getField(tag::kText) : "");
  }
  return true;
}

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_FIX_CODEC_INL_H_
