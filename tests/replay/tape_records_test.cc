// TapeRecordChecker's table pass against the record-by-record rules of TapeRecordOk: the same
// verdict on every record, the same first bad record and fault in a batch, whichever path runs.
#include "replay/tape_records.h"

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tapedeck::replay {
namespace {

using Path = TapeRecordChecker::Path;

constexpr size_t kInstruments = 3;

// A record of `kind` whose fields are all within bounds.
Event GoodRecord(EventKind kind, int64_t ts, std::mt19937_64& rng) {
  Event e = MakeEvent(kind, InstrumentId(static_cast<uint16_t>(rng() % kInstruments)),
                      Timestamp(ts), Timestamp(ts <= INT64_MAX - 5 ? ts + 5 : ts));
  const auto qty = [&] { return Qty(static_cast<int64_t>(rng() >> 1)); };
  const auto side = [&] { return static_cast<Side>(rng() % 2); };
  const auto flags = [&] { return static_cast<uint8_t>(rng() % 8); };
  switch (kind) {
    case EventKind::kTrade:
    case EventKind::kLiquidation:
      e.trade = TradePayload{Price(static_cast<int64_t>(rng())), qty(), rng(), side()};
      break;
    case EventKind::kQuote:
      e.quote = QuotePayload{Price(-7), qty(), Price(static_cast<int64_t>(rng())), qty(), rng()};
      break;
    case EventKind::kBookLevel:
      e.level = LevelPayload{Price(static_cast<int64_t>(rng())), qty(), rng(), side(), flags()};
      break;
    case EventKind::kOpenInterest:
      e.open_interest.qty = qty();
      break;
    case EventKind::kBar:
      e.bar = BarPayload{Price(1), Price(-2), Price(3), Price(4), qty()};
      break;
    case EventKind::kL3Order:
      e.l3 = L3OrderPayload{Price(static_cast<int64_t>(rng())), qty(), rng(),
                            static_cast<uint32_t>(rng()), side(),
                            static_cast<L3Action>(rng() % 4), flags()};
      break;
    default:
      e.funding = FundingPayload{Rate(static_cast<int64_t>(rng())), Timestamp(ts)};
      break;
  }
  return e;
}

// Records of every market-data kind, each with a few random bits of bytes 16..63 flipped in half
// of them, so that some leave their bounds (a kind, an id, a sign, a side, a flag) and some not.
std::vector<Event> RandomRecords(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const EventKind kinds[] = {EventKind::kTrade,        EventKind::kQuote,    EventKind::kBookLevel,
                             EventKind::kFundingRate,  EventKind::kMarkPrice, EventKind::kIndexPrice,
                             EventKind::kLiquidation,  EventKind::kOpenInterest, EventKind::kBar,
                             EventKind::kL3Order};
  std::vector<Event> out;
  for (size_t i = 0; i < n; ++i) {
    Event e = GoodRecord(kinds[rng() % std::size(kinds)], static_cast<int64_t>(i), rng);
    if (rng() % 2 == 0) {
      auto* bytes = reinterpret_cast<unsigned char*>(&e);
      for (uint64_t flips = 1 + rng() % 2; flips > 0; --flips) {
        bytes[16 + rng() % 48] ^= static_cast<unsigned char>(1u << (rng() % 8));
      }
    }
    out.push_back(e);
  }
  return out;
}

TEST(TapeRecordCheckerTest, AgreesWithTheRecordRulesOnEveryRecord) {
  const std::vector<Event> records = RandomRecords(200'000, 21);
  for (const Path path : {Path::kFastest, Path::kScalar}) {
    TapeRecordChecker checker(kInstruments, path);
    size_t bad = 0;
    for (size_t i = 0; i < records.size(); ++i) {
      const TapeCheckResult r = checker.Check(std::span<const Event>(&records[i], 1));
      const bool ok = TapeRecordOk(records[i], kInstruments);
      ASSERT_EQ(r.fault, ok ? TapeCheckFault::kNone : TapeCheckFault::kBounds)
          << "record " << i << " kind " << static_cast<int>(records[i].kind) << " path "
          << static_cast<int>(path);
      bad += ok ? 0 : 1;
    }
    // Both outcomes are well represented.
    EXPECT_GT(bad, records.size() / 40);
    EXPECT_LT(bad, records.size() / 2);
  }
}

TEST(TapeRecordCheckerTest, NamesTheFirstBadRecordOfABatch) {
  std::vector<Event> records = RandomRecords(20'000, 33);
  std::vector<size_t> expected;
  {
    TapeRecordChecker reference(kInstruments, Path::kScalar);
    size_t at = 0;
    while (at < records.size()) {
      const TapeCheckResult r = reference.Check(std::span<const Event>(records).subspan(at));
      if (r.fault == TapeCheckFault::kNone) break;
      expected.push_back(at + r.index);
      at += r.index + 1;
    }
  }
  ASSERT_GT(expected.size(), 100u);
  for (const Path path : {Path::kFastest, Path::kScalar}) {
    TapeRecordChecker checker(kInstruments, path);
    size_t at = 0;
    for (const size_t want : expected) {
      const TapeCheckResult r = checker.Check(std::span<const Event>(records).subspan(at));
      ASSERT_EQ(at + r.index, want);
      ASSERT_EQ(r.fault, TapeCheckFault::kBounds);
      at = want + 1;
    }
    EXPECT_EQ(checker.Check(std::span<const Event>(records).subspan(at)).fault,
              TapeCheckFault::kNone);
  }
}

TEST(TapeRecordCheckerTest, TimeOrderWithinAndAcrossBatches) {
  std::mt19937_64 rng(7);
  std::vector<Event> records;
  const int64_t times[] = {INT64_MIN, -5, -5, 0, 1, 1, INT64_MAX, INT64_MAX};
  for (const int64_t t : times) records.push_back(GoodRecord(EventKind::kTrade, t, rng));
  for (const Path path : {Path::kFastest, Path::kScalar}) {
    TapeRecordChecker checker(kInstruments, path);
    EXPECT_EQ(checker.Check(std::span<const Event>(records).first(5)).fault,
              TapeCheckFault::kNone);
    EXPECT_EQ(checker.Check(std::span<const Event>(records).subspan(5)).fault,
              TapeCheckFault::kNone);
    // The next batch starts before the last record checked.
    std::vector<Event> later(6, GoodRecord(EventKind::kQuote, INT64_MAX, rng));
    later[4].exchange_ts = INT64_MAX - 1;
    const TapeCheckResult r = checker.Check(later);
    EXPECT_EQ(r.index, 4u);
    EXPECT_EQ(r.fault, TapeCheckFault::kBackwards);
  }
  for (const Path path : {Path::kFastest, Path::kScalar}) {
    // A bad record before a time going backwards is the one named, and the other way round.
    std::vector<Event> batch;
    for (int64_t t = 0; t < 9; ++t) batch.push_back(GoodRecord(EventKind::kTrade, t * 10, rng));
    batch[6].exchange_ts = 1;
    batch[3].instrument = InstrumentId(kInstruments);
    TapeRecordChecker checker(kInstruments, path);
    TapeCheckResult r = checker.Check(batch);
    EXPECT_EQ(r.index, 3u);
    EXPECT_EQ(r.fault, TapeCheckFault::kBounds);
    batch[3].instrument = InstrumentId(kInstruments - 1);
    batch[7].kind = EventKind::kOrderFill;
    r = TapeRecordChecker(kInstruments, path).Check(batch);
    EXPECT_EQ(r.index, 6u);
    EXPECT_EQ(r.fault, TapeCheckFault::kBackwards);
  }
}

TEST(TapeRecordCheckerTest, AnEmptyInstrumentTableAdmitsNoRecord) {
  std::mt19937_64 rng(1);
  const std::vector<Event> one = {GoodRecord(EventKind::kMarkPrice, 1, rng)};
  TapeRecordChecker checker(0);
  EXPECT_EQ(checker.Check(one).fault, TapeCheckFault::kBounds);
  EXPECT_EQ(checker.Check({}).fault, TapeCheckFault::kNone);
}

TEST(TapeRecordCheckerTest, UsesTheTablePassWhereTheCpuHasIt) {
  // Informational: the equivalence tests above cover both paths on this machine when it does.
  const TapeRecordChecker checker(kInstruments);
  RecordProperty("vectorized", checker.vectorized() ? "yes" : "no");
  EXPECT_FALSE(TapeRecordChecker(kInstruments, Path::kScalar).vectorized());
}

}  // namespace
}  // namespace tapedeck::replay
