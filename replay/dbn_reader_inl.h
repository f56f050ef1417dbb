// The DBN reader's conversions and event building, inline: every record of an MBO file goes
// through them (bench/replay/dbn_decode.cc holds the reader to 1.5x zstd's own time). Their
// failure paths are out of line (dbn_mbo.cc). Included by the reader's .cc files only.
#ifndef TAPEDECK_REPLAY_DBN_READER_INL_H_
#define TAPEDECK_REPLAY_DBN_READER_INL_H_

#include <cstddef>
#include <cstring>

#include "absl/base/optimization.h"
#include "replay/dbn_reader.h"

namespace tapedeck::replay {

// An event of all zero bytes, padding included (dbn_reader.cc).
extern const Event kZeroEvent;

namespace dbn_internal {

// Events handed out per batch, ending at a venue event's end: enough that the virtual call
// costs nothing per event, few enough (64 KB) to stay in cache for the consumer.
inline constexpr size_t kBatch = 1024;
inline constexpr size_t kBatchMax = 8192;  // a batch ends here even inside a venue event
// How far ahead (bytes) the MBO path prefetches the order map: 8 records of 56 bytes, about
// the time a cache miss takes at this pace.
inline constexpr size_t kPrefetchAhead = 8 * 56;

constexpr int64_t Pow10Const(int n) { return n == 0 ? 1 : 10 * Pow10Const(n - 1); }

// p / D when p is a whole multiple of D. A constant divisor compiles to a multiplication.
template <int64_t D>
inline bool DivExact(int64_t p, int64_t* q) {
  *q = p / D;
  return *q * D == p;
}

// A 1e-9 price at 10^-(9 - shift): divided by 10^shift exactly, or multiplied (shift < 0).
inline bool Shift(int64_t p, int shift, int64_t* out) {
  switch (shift) {
    case 0: *out = p; return true;
    case 1: return DivExact<10>(p, out);
    case 2: return DivExact<100>(p, out);
    case 3: return DivExact<1'000>(p, out);
    case 4: return DivExact<10'000>(p, out);
    case 5: return DivExact<100'000>(p, out);
    case 6: return DivExact<1'000'000>(p, out);
    case 7: return DivExact<10'000'000>(p, out);
    case 8: return DivExact<100'000'000>(p, out);
    case 9: return DivExact<1'000'000'000>(p, out);
    case -1: return !__builtin_mul_overflow(p, int64_t{10}, out);
    case -2: return !__builtin_mul_overflow(p, int64_t{100}, out);
    case -3: return !__builtin_mul_overflow(p, int64_t{1'000}, out);
    default: return false;  // instrument scales stop at 12
  }
}

// DBN sides: A(sk), B(id), N(one).
inline bool SideOf(char c, Side* side) {
  *side = c == 'B' ? Side::kBuy : Side::kSell;
  return c == 'A' || c == 'B';
}

}  // namespace dbn_internal

inline bool DbnReader::Times(uint64_t ts_event, uint64_t ts_recv, int64_t* ex, int64_t* local) {
  if (ABSL_PREDICT_FALSE((ts_event | ts_recv) > uint64_t{INT64_MAX})) {
    return FailTimes(ts_event, ts_recv);
  }
  int64_t e = static_cast<int64_t>(ts_event);
  if (ABSL_PREDICT_FALSE(e < last_exchange_ts_)) e = Raise(e);
  last_exchange_ts_ = e;
  *ex = e;
  *local = static_cast<int64_t>(ts_recv);
  return true;
}

inline bool DbnReader::ToPrice(const Slot& s, int64_t dbn_price, const char* field, int64_t* out) {
  if (ABSL_PREDICT_TRUE(dbn_price != dbn::kUndefPrice &&
                        dbn_internal::Shift(dbn_price, s.price_shift, out))) {
    return true;
  }
  return FailPrice(s, dbn_price, field);
}

inline bool DbnReader::ToQty(const Slot& s, uint64_t size, const char* field, int64_t* out) {
  if (ABSL_PREDICT_TRUE(size <= uint64_t{INT64_MAX} &&
                        !__builtin_mul_overflow(static_cast<int64_t>(size), s.qty_unit, out))) {
    return true;
  }
  return FailQty(s, size, field);
}

// Sequences of one instrument must not go back, but 0 (none) and snapshot records are free.
inline bool DbnReader::Sequence(Slot& s, int family, uint32_t seq, uint8_t flags) {
  uint32_t& last = s.sequence[static_cast<size_t>(family)];
  if (ABSL_PREDICT_TRUE(seq >= last && (flags & dbn::kFlagSnapshot) == 0)) {
    last = seq;
    return true;
  }
  if (seq == 0 || (flags & dbn::kFlagSnapshot) != 0) return true;
  if (!options_.check_sequence) {
    last = seq;
    return true;
  }
  return FailSequence(s, seq, last);
}

inline Event& DbnReader::Push(EventKind kind, const Slot& s, int64_t ex, int64_t local) {
  if (ABSL_PREDICT_FALSE(n_events_ == events_.size())) GrowEvents();
  // Zero first, padding included: events compare and hash as bytes. A copy of a zero event
  // compiles to four vector moves where memset (of 64 bytes, here) is a call.
  Event& e = events_[n_events_++];
  e = kZeroEvent;
  e.exchange_ts = ex;
  e.local_ts = local;
  e.kind = kind;
  e.instrument = s.id;
  return e;
}

inline void DbnReader::OpenBook(Slot& s) {
  if (s.open_batch != batch_) {
    s.open_batch = batch_;
    ++open_books_;
  }
  s.open_event = n_events_ - 1;
}

// The L3 event, every one of its 64 bytes written as one of eight words (the layout is pinned
// by the static_asserts): half the stores of zeroing it and setting its fields one by one, on
// the path of every MBO record.
inline void DbnReader::PushL3(Slot& s, L3Action a, uint64_t id, Side side, int64_t price,
                              int64_t qty, int64_t ex, int64_t local) {
  static_assert(
      offsetof(Event, kind) == 16 && offsetof(Event, instrument) == 18 &&
          offsetof(Event, source) == 20 && offsetof(Event, l3) == 24 &&
          offsetof(L3OrderPayload, qty) == 8 && offsetof(L3OrderPayload, order_id) == 16 &&
          offsetof(L3OrderPayload, record) == 24 && offsetof(L3OrderPayload, side) == 28 &&
          offsetof(L3OrderPayload, action) == 29 && offsetof(L3OrderPayload, flags) == 30,
      "the words below follow Event's layout");
  if (ABSL_PREDICT_FALSE(n_events_ == events_.size())) GrowEvents();
  const uint64_t head = uint64_t{static_cast<uint8_t>(EventKind::kL3Order)} | uint64_t{s.id.value}
                                                                                  << 16;
  const uint64_t tail = uint64_t{static_cast<uint32_t>(record_index_)} |
                        uint64_t{static_cast<uint8_t>(side)} << 32 |
                        uint64_t{static_cast<uint8_t>(a)} << 40;
  const uint64_t zero = 0;
  char* d = reinterpret_cast<char*>(&events_[n_events_++]);
  std::memcpy(d, &ex, 8);
  std::memcpy(d + 8, &local, 8);
  std::memcpy(d + 16, &head, 8);
  std::memcpy(d + 24, &price, 8);
  std::memcpy(d + 32, &qty, 8);
  std::memcpy(d + 40, &id, 8);
  std::memcpy(d + 48, &tail, 8);
  std::memcpy(d + 56, &zero, 8);
  OpenBook(s);
}

inline void DbnReader::CloseBook(Slot& s) {
  if (s.open_batch != batch_) return;
  Event& e = events_[s.open_event];
  if (e.kind == EventKind::kL3Order) {
    e.l3.flags |= kBookEndOfMessage;
  } else {
    e.level.flags |= kBookEndOfMessage;
  }
  s.open_batch = 0;
  --open_books_;
}

}  // namespace tapedeck::replay

#endif  // TAPEDECK_REPLAY_DBN_READER_INL_H_
