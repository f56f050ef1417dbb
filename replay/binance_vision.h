// Binance Vision (data.binance.vision) CSV files, USD-M / COIN-M futures and spot:
//   binance_kline_csv       open_time,open,high,low,close,volume,close_time,quote_volume,count,
//                           taker_buy_volume,taker_buy_quote_volume,ignore            → kBar
//   binance_trades_csv      id,price,qty,quote_qty,time,is_buyer_maker[,is_best_match] → kTrade
//   binance_aggtrades_csv   agg_trade_id,price,quantity,first_trade_id,last_trade_id,
//                           transact_time,is_buyer_maker[,is_best_match]               → kTrade
//   binance_bookticker_csv  update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,
//                           transaction_time,event_time                                → kQuote
//   binance_funding_csv     calc_time,funding_interval_hours,last_funding_rate         → kFundingRate
// Futures files carry a header, spot files do not (and spot writes True/False); both are read,
// the headerless ones recognised by the shape of their first row. Epoch times are milliseconds,
// or microseconds when above 1e15 (spot from 2025 on), per value. The files carry no receive
// time: local_ts = exchange_ts (bookTicker: its event_time when later). No options.
#ifndef TAPEDECK_REPLAY_BINANCE_VISION_H_
#define TAPEDECK_REPLAY_BINANCE_VISION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/source.h"
#include "replay/source_factory.h"

namespace tapedeck::replay {

// Each bar becomes one kBar at exchange_ts = local_ts = close_time + 1 unit: the instant the bar
// is complete (the next bar's open), so that no strategy sees a bar before it has closed.
bool DetectBinanceKlineCsv(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceKlineCsv(
    const SourceSpec& spec, const InstrumentTable& instruments);

// aggressor = sell when is_buyer_maker (the buyer rested, so the seller took).
bool DetectBinanceTradesCsv(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceTradesCsv(
    const SourceSpec& spec, const InstrumentTable& instruments);

bool DetectBinanceAggTradesCsv(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceAggTradesCsv(
    const SourceSpec& spec, const InstrumentTable& instruments);

bool DetectBinanceBookTickerCsv(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceBookTickerCsv(
    const SourceSpec& spec, const InstrumentTable& instruments);

// The rate (at 10^-8, Rate's scale) applies to the interval ending at calc_time.
bool DetectBinanceFundingCsv(const std::vector<std::string>& head);
absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceFundingCsv(
    const SourceSpec& spec, const InstrumentTable& instruments);

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_BINANCE_VISION_H_
