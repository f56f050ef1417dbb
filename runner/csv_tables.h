// The CSV tables of a run's outputs, a row at a time (docs/outputs.md describes every column).
// Each Append* writes one row, with its newline, at the end of *out. Prices and quantities have
// their instrument's scale, money 8 decimals, times are integer ns and ISO-8601 UTC. The bytes
// are pinned by the golden digests: a change here changes every digest.
#ifndef TAPEDECK_RUNNER_CSV_TABLES_H_
#define TAPEDECK_RUNNER_CSV_TABLES_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/engine.h"
#include "core/metrics.h"
#include "core/strategy.h"
#include "runner/series.h"

namespace tapedeck::runner {

inline constexpr std::string_view kOrdersHeader =
    "ts,ts_utc,action,order_id,symbol,side,type,tif,price,qty,post_only,reduce_only\n";
inline constexpr std::string_view kFillsHeader =
    "local_ts,exchange_ts,ts_utc,order_id,symbol,side,price,qty,liquidity,fee\n";
inline constexpr std::string_view kEquityHeader =
    "ts,ts_utc,equity,cash,realized_pnl,unrealized_pnl,fees\n";
inline constexpr std::string_view kAccountHeader =
    "local_ts,exchange_ts,ts_utc,symbol,action,qty,price,amount,fee\n";
inline constexpr std::string_view kPricesHeader =
    "ts,ts_utc,symbol,last_price,mid_price,position\n";

// orders.csv: a new order, a modify (the order's fields with the new price and total
// quantity) or a cancel (id and symbol only).
void AppendOrderRow(const InstrumentTable& t, const OrderLogEntry& o, std::string* out);
void AppendFillRow(const InstrumentTable& t, const FillLogEntry& f, std::string* out);
void AppendEquityRow(const EquityPoint& e, std::string* out);
void AppendAccountRow(const InstrumentTable& t, const AccountLogEntry& a, std::string* out);
// prices.csv: one row per instrument of the sample; a price stays empty until the instrument
// has one.
void AppendPriceRows(const InstrumentTable& t, const SeriesSample& s, std::string* out);

// The whole prices.csv of `samples` (header included).
std::string RenderPricesCsv(const InstrumentTable& instruments,
                            const std::vector<SeriesSample>& samples);

// round_trips.csv: one row per round trip (core/metrics.h), closed ones first by close time:
//   symbol,side,status,open_ts,open_utc,close_ts,close_utc,qty,entry_price,exit_price,fills,fees,pnl,
//   group
// side long|short; group the trade group of its opening order (empty when none); status closed|open (close_ts is then the last fill's); prices are volume-
// weighted averages with 4 more decimals than the instrument's price scale; money 8 decimals.
std::string RenderRoundTripsCsv(const InstrumentTable& instruments,
                                const std::vector<RoundTrip>& trips);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_CSV_TABLES_H_
