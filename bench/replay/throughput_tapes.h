// The two generated tapes bench_throughput measures (bench/replay/throughput.cc): n trades of one
// instrument, and a mixed tape of book levels, quotes and trades, both from one seeded random walk.
#ifndef TAPEDECK_BENCH_REPLAY_THROUGHPUT_TAPES_H_
#define TAPEDECK_BENCH_REPLAY_THROUGHPUT_TAPES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bench/bench_util.h"
#include "core/instrument.h"
#include "core/order_book.h"
#include "replay/tape.h"

namespace tapedeck::bench {

inline constexpr int64_t kStart = 1'700'000'000'000'000'000;

inline Instrument BenchInstrument() {
  Instrument in;
  in.symbol = "BTCUSDT";
  in.base = "BTC";
  in.quote = "USDT";
  in.price_scale = 2;
  in.qty_scale = 3;
  return in;
}

// The generator of both tapes, seeded the same for both.
struct TapeRng : bench::XorShift64 {
  TapeRng() : XorShift64(0x9E3779B97F4A7C15ULL) {}
};

inline absl::Status Fail(const std::string& what, const absl::Status& s) {
  return absl::Status(s.code(), what + ": " + std::string(s.message()));
}

// n trades, 100 us apart, a random walk in cents; local_ts = exchange_ts (historical trade files
// carry one time stamp).
inline absl::Status WriteTradesTape(const std::string& path, uint64_t n) {
  auto w = replay::TapeWriter::Create(path, {BenchInstrument()});
  if (!w.ok()) return Fail(path, w.status());
  std::vector<Event> buf;
  buf.reserve(1 << 16);
  TapeRng rng;
  int64_t price = 6'000'000;
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t r = rng.Next();
    price += static_cast<int64_t>(r % 21) - 10;
    const Timestamp ts(kStart + static_cast<int64_t>(i) * 100'000);
    Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), ts, ts);
    e.trade.price = Price(price);
    e.trade.qty = Qty(1 + static_cast<int64_t>((r >> 8) % 500));
    e.trade.trade_id = i + 1;
    e.trade.aggressor = (r & 0x100000) != 0 ? Side::kBuy : Side::kSell;
    buf.push_back(e);
    if (buf.size() == buf.capacity()) {
      if (auto s = (*w)->Append(buf); !s.ok()) return s;
      buf.clear();
    }
  }
  if (auto s = (*w)->Append(buf); !s.ok()) return s;
  return (*w)->Finish();
}

// n events of one instrument in messages 100 us apart: a 20-level-a-side snapshot first, then
// per message 1..4 level updates near the touch (the last flagged end-of-message), a quote when
// the top moved, and a trade every other message. Feed latency 5 ms (local_ts = exchange_ts +
// 5 ms), as captured data has. About 70% book levels, 15% quotes, 15% trades.
inline absl::Status WriteMixedTape(const std::string& path, uint64_t n) {
  auto w = replay::TapeWriter::Create(path, {BenchInstrument()});
  if (!w.ok()) return Fail(path, w.status());
  std::vector<Event> buf;
  buf.reserve(1 << 16);
  TapeRng rng;
  OrderBook book(Price(1));
  int64_t mid = 6'000'000;  // cents; bid = mid - 1, ask = mid + 1 at the start
  uint64_t written = 0;
  uint64_t update_id = 0;
  int64_t msg = 0;
  BookTop last_top{};
  auto push = [&](const Event& e) -> absl::Status {
    buf.push_back(e);
    ++written;
    if (buf.size() == buf.capacity()) {
      if (auto s = (*w)->Append(buf); !s.ok()) return s;
      buf.clear();
    }
    return absl::OkStatus();
  };
  auto level = [&](Timestamp ts, Side side, int64_t price, int64_t qty, uint8_t flags) {
    Event e = MakeEvent(EventKind::kBookLevel, InstrumentId(0), ts, ts + Duration::Millis(5));
    e.level.price = Price(price);
    e.level.qty = Qty(qty);
    e.level.side = side;
    e.level.update_id = ++update_id;
    e.level.flags = flags;
    (void)book.Apply(e.level);
    return e;
  };
  {
    const Timestamp ts(kStart);
    for (int i = 0; i < 20; ++i) {
      const uint8_t f = i == 0 ? kBookSnapshotBegin : 0;
      if (auto s = push(level(ts, Side::kBuy, mid - 1 - i, 1000 + i, f)); !s.ok()) return s;
    }
    for (int i = 0; i < 20; ++i) {
      const uint8_t f = i == 19 ? kBookEndOfMessage : 0;
      if (auto s = push(level(ts, Side::kSell, mid + 1 + i, 1000 + i, f)); !s.ok()) return s;
    }
  }
  while (written < n) {
    ++msg;
    const Timestamp ts(kStart + msg * 100'000);
    const uint64_t r = rng.Next();
    // The mid wanders a cent now and then; levels are set around it, never crossing it.
    // Invariant: bids <= mid - 1 < mid + 1 <= asks, so a move first empties the level that
    // the new mid lands on (it belonged to the side the mid moved into).
    if ((r & 15) == 0) {
      const bool up = (r & 16) != 0;
      mid += up ? 1 : -1;
      if (auto s = push(level(ts, up ? Side::kSell : Side::kBuy, mid, 0, 0)); !s.ok()) return s;
    }
    const int updates = 1 + static_cast<int>((r >> 5) % 4);
    for (int u = 0; u < updates && written < n; ++u) {
      const uint64_t q = rng.Next();
      const Side side = (q & 1) != 0 ? Side::kBuy : Side::kSell;
      const int64_t depth = static_cast<int64_t>((q >> 1) % 20);
      const int64_t price = side == Side::kBuy ? mid - 1 - depth : mid + 1 + depth;
      // One update in eight empties the level (it is refilled by later updates).
      const int64_t qty = ((q >> 8) & 7) == 0 ? 0 : 1 + static_cast<int64_t>((q >> 12) % 5000);
      const uint8_t f = u + 1 == updates ? kBookEndOfMessage : 0;
      if (auto s = push(level(ts, side, price, qty, f)); !s.ok()) return s;
    }
    const BookTop top = book.Top();
    if (written < n && (top.bid.raw != last_top.bid.raw || top.ask.raw != last_top.ask.raw ||
                        top.bid_qty.raw != last_top.bid_qty.raw ||
                        top.ask_qty.raw != last_top.ask_qty.raw)) {
      Event e = MakeEvent(EventKind::kQuote, InstrumentId(0), ts, ts + Duration::Millis(5));
      e.quote.bid = top.bid;
      e.quote.bid_qty = top.bid_qty;
      e.quote.ask = top.ask;
      e.quote.ask_qty = top.ask_qty;
      e.quote.update_id = update_id;
      if (auto s = push(e); !s.ok()) return s;
      last_top = top;
    }
    if (written < n && (msg & 1) == 0 && top.has_bid && top.has_ask) {
      Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), ts, ts + Duration::Millis(5));
      const bool buy = (r & 0x400) != 0;
      e.trade.price = buy ? top.ask : top.bid;
      e.trade.qty = Qty(1 + static_cast<int64_t>((r >> 12) % 200));
      e.trade.trade_id = static_cast<uint64_t>(msg);
      e.trade.aggressor = buy ? Side::kBuy : Side::kSell;
      if (auto s = push(e); !s.ok()) return s;
    }
  }
  if (auto s = (*w)->Append(buf); !s.ok()) return s;
  return (*w)->Finish();
}

inline absl::StatusOr<std::unique_ptr<replay::TapeSource>> OpenTape(const std::string& path) {
  auto tape = replay::Tape::Open(path, replay::TapeOpenOptions{.verify = false});
  if (!tape.ok()) return tape.status();
  return std::make_unique<replay::TapeSource>(std::move(*tape), std::vector<uint16_t>{});
}

}  // namespace tapedeck::bench

#endif  // TAPEDECK_BENCH_REPLAY_THROUGHPUT_TAPES_H_
