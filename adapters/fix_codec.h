// Encoding and decoding of the FIX 4.4 messages tapedeck exchanges, shared by FixVenue (the
// initiator), fixsim (the acceptor) and the benchmarks. Prices and quantities cross the wire as
// decimal text written with FormatDecimal and read back exactly with ParseDecimal at the
// instrument's scale; a value with more decimals than the scale is an error, never rounded.
//
// Wire conventions (all standard FIX 4.4 tags, so a foreign engine can ignore what it does not use):
// - ClOrdID(11) = prefix + the Context's OrderId in decimal; a cancel's own ClOrdID adds ".c",
//   the n-th modify's (OrderCancelReplaceRequest 35=G) adds ".m<n>" and names the previous
//   ClOrdID sent for the order in OrigClOrdID(41).
// - Market data carries the exchange time of each entry in MDEntryDate(272) "YYYYMMDD" and
//   MDEntryTime(273) "HH:MM:SS.nnnnnnnnn"; the trade aggressor in TickDirection(274):
//   0 (plus tick) = buyer took, 2 (minus tick) = seller took.
// - A quote is a snapshot (35=W) with exactly one bid and one offer entry; a book snapshot (35=W
//   with more entries) replaces the book; incrementals (35=X) carry level updates (size 0 or
//   MDUpdateAction(279)=2 deletes), trades (269=2), index (269=3), settlement as mark (269=6) and
//   open interest (269=C); a liquidation print is a trade with TradeCondition(277) "liquidation".
// - End of data: TradingSessionStatus (35=h) with TradSesStatus(340)=3 (closed).
// - Rejects: OrdRejReason(103) 1 unknown symbol, 13 incorrect quantity, 5 unknown order, else 99
//   with Text(58) naming tapedeck's RejectReason.
#ifndef TAPEDECK_ADAPTERS_FIX_CODEC_H_
#define TAPEDECK_ADAPTERS_FIX_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/instrument.h"
#include "core/order.h"
#include "quickfix/Message.h"

namespace tapedeck::adapters {

// Tags not in QuickFIX's FixFieldNumbers under a name we use.
namespace tag {
inline constexpr int kAccount = 1, kAvgPx = 6, kClOrdID = 11, kCommission = 12, kCommType = 13,
                     kCumQty = 14, kExecID = 17, kExecInst = 18, kLastPx = 31, kLastQty = 32,
                     kMsgType = 35, kOrderID = 37, kOrderQty = 38, kOrdStatus = 39, kOrdType = 40,
                     kOrigClOrdID = 41, kPossDupFlag = 43, kPrice = 44, kSide = 54, kSymbol = 55,
                     kText = 58, kTimeInForce = 59, kTransactTime = 60, kCxlRejReason = 102,
                     kOrdRejReason = 103, kExecType = 150, kLeavesQty = 151, kNoRelatedSym = 146,
                     kMDReqID = 262, kSubscriptionRequestType = 263, kMarketDepth = 264,
                     kMDUpdateType = 265, kNoMDEntryTypes = 267, kNoMDEntries = 268,
                     kMDEntryType = 269, kMDEntryPx = 270, kMDEntrySize = 271, kMDEntryDate = 272,
                     kMDEntryTime = 273, kTickDirection = 274, kTradeCondition = 277, kMDEntryID = 278,
                     kMDUpdateAction = 279, kMDReqRejReason = 281, kTradingSessionID = 336,
                     kTradSesStatus = 340, kCxlRejResponseTo = 434, kUsername = 553,
                     kPassword = 554, kOrdStatusReqID = 790, kLastLiquidityInd = 851;
}  // namespace tag

// "YYYYMMDD" and "HH:MM:SS.nnnnnnnnn" (UTC) of ns since the epoch, and back.
std::string FormatFixDate(int64_t ns);
std::string FormatFixTime(int64_t ns);
// "YYYYMMDD-HH:MM:SS.sss" (UTCTimestamp, milliseconds) for TransactTime.
std::string FormatFixTimestamp(int64_t ns);
bool ParseFixDateTime(std::string_view date, std::string_view time, int64_t* ns);
// "YYYYMMDD-HH:MM:SS[.f...]" (UTCTimestamp, up to nanoseconds).
bool ParseFixTimestamp(std::string_view text, int64_t* ns);

// "<prefix><id>", "<prefix><id>.c" and "<prefix><id>.m<n>" (n >= 1); ParseClOrdId accepts all
// three and returns the OrderId (invalid when the text is not one of ours). `sep` replaces the
// '.' for venues whose ClOrdID alphabet has none (adapters/clordid.h).
std::string ClOrdIdOf(std::string_view prefix, OrderId id);
std::string CancelClOrdIdOf(std::string_view prefix, OrderId id, char sep = '.');
std::string ModifyClOrdIdOf(std::string_view prefix, OrderId id, uint32_t n, char sep = '.');
OrderId ParseClOrdId(std::string_view prefix, std::string_view text, char sep = '.');
// DecodeExecutionReport's id reader: a plain prefix (the '.' shapes above), or any type with
// `OrderId Parse(std::string_view) const` (adapters/clordid.h's ClOrdIdScheme).
inline OrderId ParseOrderIdWith(std::string_view prefix, std::string_view text) {
  return ParseClOrdId(prefix, text);
}
template <typename Scheme>
  requires requires(const Scheme& s, std::string_view t) { s.Parse(t); }
OrderId ParseOrderIdWith(const Scheme& scheme, std::string_view text) {
  return scheme.Parse(text);
}

// FIX Side(54) / OrdType(40) / TimeInForce(59) characters.
char FixSide(Side s);
bool ParseFixSide(std::string_view v, Side* out);

// 35=D for `r` on `in`, stamped at `now_ns`. `msg` is empty or holds an earlier 35=D (reused:
// every field is overwritten or removed).
void BuildNewOrderSingle(const OrderRequest& r, const Instrument& in, std::string_view clordid,
                         int64_t now_ns, FIX::Message* msg);
// 35=F for the order `r`, known to the venue as `orig_clordid` (its latest ClOrdID: the
// original, or that of its last replace), asking under ClOrdID `clordid`. `msg` is empty or
// holds an earlier 35=F (reused, as for 35=D).
void BuildCancelRequest(const OrderRequest& r, const Instrument& in, std::string_view orig_clordid,
                        std::string_view clordid, int64_t now_ns, FIX::Message* msg);
// 35=G: `r` is the order with its new price and total quantity (OrderQty); the other fields
// repeat the order's. `msg` is empty or holds an earlier 35=G (reused, as for 35=D).
void BuildReplaceRequest(const OrderRequest& r, const Instrument& in, std::string_view orig_clordid,
                         std::string_view clordid, int64_t now_ns, FIX::Message* msg);
// 35=H for the order `r`, known to the venue as `clordid` (its latest ClOrdID).
void BuildStatusRequest(const OrderRequest& r, const Instrument& in, std::string_view clordid,
                        FIX::Message* msg);

// RejectReason <-> OrdRejReason(103) + Text(58).
int FixRejectCode(RejectReason r);
RejectReason RejectReasonOf(int ord_rej_reason, std::string_view text);

// What an ExecutionReport says, decoded exactly.
struct ExecReport {
  char exec_type = 0;   // 150
  char ord_status = 0;  // 39
  OrderId order_id;
  InstrumentId instrument;
  Side side = Side::kBuy;
  Price last_px;
  Qty last_qty;
  Qty cum_qty;
  Qty leaves_qty;
  Money commission;
  Liquidity liquidity = Liquidity::kNone;
  RejectReason reason = RejectReason::kNone;
  std::string exec_id;
  // TransactTime(60): when the venue executed, ns since the epoch; 0 when absent or not a
  // UTCTimestamp (the report is still used: a fill is not dropped over its time stamp).
  int64_t transact_ns = 0;
};

// Decodes 35=8; `symbol_lookup` maps Symbol(55) to an instrument (false: unknown). An error
// message (for counting and logging) on anything malformed.
// `ids` is a ClOrdID prefix or a scheme (ParseOrderIdWith).
template <typename Ids, typename Lookup>
bool DecodeExecutionReport(const FIX::Message& msg, const InstrumentTable& instruments,
                           const Ids& ids, const Lookup& symbol_lookup, ExecReport* out,
                           std::string* error);

// Reads an optional decimal field at `scale` into *raw; false (with *error) when malformed.
bool GetDecimalField(const FIX::FieldMap& m, int tag, int scale, int64_t* raw, std::string* error);

}  // namespace tapedeck::adapters

#include "adapters/fix_codec_inl.h"

#endif  // TAPEDECK_ADAPTERS_FIX_CODEC_H_
