// The event model: one 64-byte, trivially copyable record for every kind of market data, venue
// response and timer, carrying both timestamps (contract 1 in DESIGN.md).
#ifndef TAPEDECK_CORE_EVENT_H_
#define TAPEDECK_CORE_EVENT_H_

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "core/types.h"

namespace tapedeck {

// Values are stable: they are written into tapes and journals. Append new kinds at the end and
// give them a rank in KindRank (core/event_order.h).
enum class EventKind : uint8_t {
  kTrade = 0,         // payload: trade
  kQuote = 1,         // payload: quote (best bid/offer)
  kBookLevel = 2,     // payload: level (one price level of an L2 book set to a new size)
  kFundingRate = 3,   // payload: funding
  kMarkPrice = 4,     // payload: price
  kIndexPrice = 5,    // payload: price
  kLiquidation = 6,   // payload: trade (a forced order printed by the venue)
  kOpenInterest = 7,  // payload: open_interest
  kBar = 8,           // payload: bar (OHLCV of a closed interval; exchange_ts = interval end)
  kTimer = 9,         // payload: timer
  kOrderAck = 10,     // payload: order
  kOrderFill = 11,    // payload: order (price/qty of this fill; fee)
  kOrderCancel = 12,  // payload: order (qty = quantity that was still open)
  kOrderReject = 13,  // payload: order (reason)
  kL3Order = 14,      // payload: l3 (one order of an order-level book added, reduced or removed)
  kOrderReplaced = 15,  // payload: order (a modify took effect: price and qty are the new ones)
  kAccount = 16,      // payload: account (funding, settlement, liquidation: see AccountAction)
  kVenueStatus = 17,  // payload: venue (the session or the market changed state: VenueStatus)
};
inline constexpr int kEventKindCount = 18;

std::string_view EventKindName(EventKind k);
bool IsMarketData(EventKind k);
bool IsOrderResponse(EventKind k);

// Flags on book-level events.
enum BookFlags : uint8_t {
  kBookSnapshotBegin = 1,  // first level of a snapshot: the receiver clears the book first
  kBookEndOfMessage = 2,   // last level of one venue message: the book is consistent after it
  // L3 only: an order inferred from a book snapshot rather than a message (its id is synthetic);
  // it predates every order seen in messages, so it queues at the front of its level.
  kBookInferred = 4,
};

enum class Liquidity : uint8_t { kNone = 0, kMaker = 1, kTaker = 2 };

enum class RejectReason : uint8_t {
  kNone = 0,
  kUnknownInstrument = 1,
  kInvalidQty = 2,
  kInvalidPrice = 3,
  kNoLiquidity = 4,       // a market order with no touch and no later trade before the data ended
  kUnknownOrder = 5,      // a cancel for an order that is already filled, cancelled or unknown
  kWouldCross = 6,        // post-only order that would take liquidity
  kVenue = 7,             // rejected by a remote venue; see its text
  kInsufficientMargin = 8,  // the order would take the account beyond its initial margin
  kInstrumentExpired = 9,   // a dated future at or after its expiry
};
std::string_view RejectReasonName(RejectReason r);

struct TradePayload {
  Price price;
  Qty qty;
  uint64_t trade_id;  // venue's id where it has one, else 0
  Side aggressor;     // side of the taker
};

struct QuotePayload {
  Price bid;
  Qty bid_qty;
  Price ask;
  Qty ask_qty;
  uint64_t update_id;  // venue's book update id where it has one (Binance `u`), else 0
};

struct LevelPayload {
  Price price;
  Qty qty;  // new total size at the level; 0 removes the level
  uint64_t update_id;
  Side side;
  uint8_t flags;  // BookFlags
};

// What an kL3Order event does to the order `order_id`.
enum class L3Action : uint8_t {
  kAdd = 0,      // a new order of `qty` at `price`, queued at the back of its level
  kCancel = 1,   // `qty` of the order cancelled; the order stays when some remains
  kDelete = 2,   // the order removed whole (`qty` is what the venue says remained)
  kExecute = 3,  // `qty` of the order traded against an aggressor; removed when none remains
};
std::string_view L3ActionName(L3Action a);

struct L3OrderPayload {
  Price price;
  Qty qty;
  uint64_t order_id;  // the venue's order id (unique among live orders of the instrument)
  uint32_t record;    // 1-based line of the source record (message) this event comes from
  Side side;          // side of the resting order
  L3Action action;
  uint8_t flags;      // BookFlags
};

struct FundingPayload {
  Rate rate;                 // rate for the funding interval ending at funding_ts
  Timestamp funding_ts;      // when it is paid
};

struct PricePayload {
  Price price;
};

struct OpenInterestPayload {
  Qty qty;
};

struct BarPayload {
  Price open;
  Price high;
  Price low;
  Price close;
  Qty volume;
};

struct TimerPayload {
  uint64_t timer_id;
  uint64_t tag;  // chosen by the strategy
};

struct OrderPayload {
  OrderId order_id;
  Price price;
  Qty qty;
  Money fee;
  Side side;
  Liquidity liquidity;
  RejectReason reason;
};

// What a kAccount event tells the strategy: a cash flow or a position change that the venue
// made on its own (not a fill of one of the strategy's orders).
enum class AccountAction : uint8_t {
  kFunding = 0,      // perpetual funding: `amount` received (negative: paid) on `qty` at `price`
  kSettlement = 1,   // a dated future expired: `qty` closed at the settlement `price`
  kLiquidation = 2,  // equity fell below maintenance: `qty` closed at `price`, `fee` charged
};
std::string_view AccountActionName(AccountAction a);

// What a kVenueStatus event tells the strategy (Strategy::OnVenueStatus). Values are stable: they
// are written into journals.
enum class VenueStatus : uint8_t {
  kConnected = 1,      // a FIX session logged on (again): requests reach the venue
  kDisconnected = 2,   // the session dropped: requests are rejected until the next kConnected
  kTradingHalted = 3,  // the venue halted trading (FIX TradingSessionStatus 340=1)
  kTradingResumed = 4, // trading is open again after a halt (340=2)
  kDataEnded = 5,      // no more market data: a backtest's last event, or the simulator's end
};
std::string_view VenueStatusName(VenueStatus s);

struct VenueStatusPayload {
  VenueStatus status;
};

struct AccountPayload {
  Money amount;  // cash received by the account (negative: paid), fees excluded
  Price price;   // mark price (funding), settlement price, or liquidation price
  Qty qty;       // signed position the action applied to (> 0 long)
  Money fee;     // liquidation fee (0 otherwise)
  AccountAction action;
};

struct alignas(64) Event {
  int64_t exchange_ts;  // ns since epoch: when the venue produced it
  int64_t local_ts;     // ns since epoch: when the strategy may see it
  EventKind kind;
  uint8_t reserved0;
  InstrumentId instrument;
  uint16_t source;      // index of the source in the run (set by the merger)
  uint16_t reserved1;
  union {
    TradePayload trade;
    QuotePayload quote;
    LevelPayload level;
    FundingPayload funding;
    PricePayload price;
    OpenInterestPayload open_interest;
    BarPayload bar;
    TimerPayload timer;
    OrderPayload order;
    L3OrderPayload l3;
    AccountPayload account;
    VenueStatusPayload venue;
  };

  // Zeroed header; the payload is set by the maker of the event (see MakeEvent).
  Event() noexcept
      : exchange_ts(0), local_ts(0), kind(EventKind::kTrade), reserved0(0), source(0),
        reserved1(0), trade() {}

  Timestamp exchange_time() const { return Timestamp(exchange_ts); }
  Timestamp local_time() const { return Timestamp(local_ts); }
};

static_assert(std::is_trivially_copyable_v<Event>, "events are copied as bytes");
static_assert(sizeof(Event) == 64, "one event per cache line");
static_assert(alignof(Event) == 64, "one event per cache line");
static_assert(sizeof(TradePayload) <= 40 && sizeof(QuotePayload) <= 40 &&
                  sizeof(LevelPayload) <= 40 && sizeof(BarPayload) <= 40 &&
                  sizeof(OrderPayload) <= 40 && sizeof(L3OrderPayload) <= 40 &&
                  sizeof(AccountPayload) <= 40,
              "payloads fit in the 40 bytes after the header");

// Zero-filled event with the header set; padding and unused payload bytes are zero so that
// events hash and compare as bytes.
Event MakeEvent(EventKind kind, InstrumentId instrument, Timestamp exchange_ts, Timestamp local_ts);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_EVENT_H_
