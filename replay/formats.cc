// The table of input formats. Each reader adds its row here.
#include "replay/binance_vision.h"
#include "replay/binance_ws.h"
#include "replay/dbn_instruments.h"
#include "replay/dbn_reader.h"
#include "replay/generic_csv.h"
#include "replay/lobster.h"
#include "replay/scenario.h"
#include "replay/source_factory.h"
#include "replay/tape.h"
#include "replay/tardis.h"

namespace tapedeck::replay {

const std::vector<FormatInfo>& Formats() {
  static const std::vector<FormatInfo> kFormats = {
      {"tape", "tapedeck's own binary tape (written by `tapedeck convert`), read by mmap",
       &DetectTapeHead, &OpenTapeSource, &TapeSourceInstruments},
      {"dbn",
       "Databento DBN v1-3, plain or zstd (mbo, mbp-1/10, tbbo, trades, bbo, cbbo, cmbp-1, "
       "ohlcv, statistics; instruments from definitions); options: definitions, check_sequence, "
       "unknown_side (skip|error), other_instruments (error|skip)",
       nullptr, &OpenDbn, &DbnSourceInstruments, &DetectDbnFile},
      {"binance_ws_capture",
       "Binance websocket capture: `<local_ns> <combined-stream JSON>` lines (gzip), with the REST "
       "depth snapshot line; options: gaps (fail|resync), reorder_window",
       &DetectBinanceWs, &OpenBinanceWs},
      {"lobster",
       "LOBSTER message file (L3: add, cancel, delete, execute) with its paired orderbook file; "
       "options: date, orderbook, verify",
       &DetectLobster, &OpenLobster},
      {"trades_csv", "generic trades CSV: ts,price,qty,side (ts in ns or ISO-8601 UTC)",
       &DetectTradesCsv, &OpenTradesCsv},
      {"quotes_csv", "generic quotes CSV: ts,bid,bid_qty,ask,ask_qty (ts in ns or ISO-8601 UTC)",
       &DetectQuotesCsv, &OpenQuotesCsv},
      {"binance_kline_csv", "Binance Vision klines (ms or us times, with or without header)",
       &DetectBinanceKlineCsv, &OpenBinanceKlineCsv},
      {"binance_trades_csv", "Binance Vision trades (futures with header, spot without)",
       &DetectBinanceTradesCsv, &OpenBinanceTradesCsv},
      {"binance_aggtrades_csv", "Binance Vision aggTrades (futures with header, spot without)",
       &DetectBinanceAggTradesCsv, &OpenBinanceAggTradesCsv},
      {"binance_bookticker_csv", "Binance Vision futures bookTicker", &DetectBinanceBookTickerCsv,
       &OpenBinanceBookTickerCsv},
      {"binance_funding_csv", "Binance Vision futures fundingRate", &DetectBinanceFundingCsv,
       &OpenBinanceFundingCsv},
      {"tardis_trades", "Tardis.dev trades CSV; options: unknown_side (error|skip)",
       &DetectTardisTrades, &OpenTardisTrades},
      {"tardis_liquidations",
       "Tardis.dev liquidations CSV (the trades' header: never detected, name it); options: "
       "unknown_side (error|skip)",
       nullptr, &OpenTardisLiquidations},
      {"tardis_incremental_book_l2", "Tardis.dev incremental_book_L2 CSV",
       &DetectTardisIncrementalBookL2, &OpenTardisIncrementalBookL2},
      {"tardis_book_snapshot", "Tardis.dev book_snapshot_5/_25 CSV", &DetectTardisBookSnapshot,
       &OpenTardisBookSnapshot},
      {"tardis_quotes", "Tardis.dev quotes CSV", &DetectTardisQuotes, &OpenTardisQuotes},
      {"tardis_derivative_ticker",
       "Tardis.dev derivative_ticker CSV (index, mark, funding, open interest); options: "
       "round_funding_rate",
       &DetectTardisDerivativeTicker, &OpenTardisDerivativeTicker},
      {"scenario", "the seeded 2026-02-05 deleveraging scenario; path = parameters JSON or empty",
       nullptr, &OpenScenario, &ScenarioSourceInstruments},
  };
  return kFormats;
}

}  // namespace tapedeck::replay
