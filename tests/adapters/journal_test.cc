#include "adapters/journal.h"

#include <filesystem>

#include "absl/strings/str_cat.h"

#include "tests/test_util.h"

namespace tapedeck::adapters {
namespace {

using ::tapedeck::testing::IsOk;

Event Trade(int64_t ts, int64_t price) {
  Event e = MakeEvent(EventKind::kTrade, InstrumentId(0), Timestamp(ts), Timestamp(ts + 5));
  e.trade.price = Price(price);
  e.trade.qty = Qty(10);
  return e;
}

std::string WriteJournal(const std::string& dir, int n, bool stop) {
  const std::string path = dir + "/j.tdj";
  auto w = JournalWriter::Create(path, {{"start_ns", 1}}, 1'000'000);
  EXPECT_THAT(w, IsOk());
  for (int i = 0; i < n; ++i) (*w)->Append(Trade(100 + i, 1000 + i), i);
  if (stop) (*w)->AppendStop(Timestamp(999), n);
  EXPECT_THAT((*w)->Close(), IsOk());
  return path;
}

TEST(JournalTest, RoundTripsEveryEventByteForByte) {
  const std::string dir = ::tapedeck::testing::MakeTempDir("j");
  const std::string path = WriteJournal(dir, 50, true);
  absl::StatusOr<JournalContents> j = ReadJournal(path);
  ASSERT_THAT(j, IsOk());
  ASSERT_EQ(j->events.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    const Event want = Trade(100 + i, 1000 + i);
    EXPECT_EQ(std::memcmp(&j->events[static_cast<size_t>(i)], &want, sizeof(Event)), 0);
  }
  EXPECT_TRUE(j->stopped);
  EXPECT_EQ(j->stop_ts.ns, 999);
  EXPECT_EQ(j->torn_bytes, 0u);
  EXPECT_EQ(j->meta["start_ns"], 1);
}

TEST(JournalTest, ACutMidRecordReplaysUpToTheCut) {
  const std::string dir = ::tapedeck::testing::MakeTempDir("j");
  const std::string path = WriteJournal(dir, 50, false);
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size - kJournalRecordSize * 10 - 17);  // 10 records + a torn one
  absl::StatusOr<JournalContents> j = ReadJournal(path);
  ASSERT_THAT(j, IsOk());
  EXPECT_EQ(j->events.size(), 39u);
  EXPECT_EQ(j->torn_bytes, kJournalRecordSize - 17);
  EXPECT_FALSE(j->stopped);
}

TEST(JournalTest, AGarbledLastRecordIsATornTail) {
  const std::string dir = ::tapedeck::testing::MakeTempDir("j");
  const std::string path = WriteJournal(dir, 5, false);
  std::string bytes = ::tapedeck::testing::ReadFile(path);
  bytes[bytes.size() - 30] ^= 0x40;
  ::tapedeck::testing::WriteFile(path, bytes);
  absl::StatusOr<JournalContents> j = ReadJournal(path);
  ASSERT_THAT(j, IsOk());
  EXPECT_EQ(j->events.size(), 4u);
  EXPECT_EQ(j->torn_bytes, kJournalRecordSize);
}

TEST(JournalTest, CorruptionBeforeTheTailIsAnErrorWithTheByteOffset) {
  const std::string dir = ::tapedeck::testing::MakeTempDir("j");
  const std::string path = WriteJournal(dir, 5, false);
  std::string bytes = ::tapedeck::testing::ReadFile(path);
  const size_t first = bytes.size() - 5 * kJournalRecordSize;
  bytes[first + 3] ^= 1;
  ::tapedeck::testing::WriteFile(path, bytes);
  EXPECT_THAT(ReadJournal(path), ::tapedeck::testing::StatusIs(
                                     absl::StatusCode::kDataLoss,
                                     ::testing::HasSubstr("byte " + std::to_string(first))));
}

TEST(JournalTest, NotAJournalIsAnError) {
  const std::string dir = ::tapedeck::testing::MakeTempDir("j");
  ::tapedeck::testing::WriteFile(dir + "/x", "hello world, this is not a journal at all");
  EXPECT_FALSE(ReadJournal(dir + "/x").ok());
  EXPECT_FALSE(LooksLikeJournal(dir + "/x"));
}

TEST(JournalTest, SourceYieldsOnlyMarketData) {
  const std::string dir = ::tapedeck::testing::MakeTempDir("j");
  const std::string path = dir + "/j.tdj";
  auto w = JournalWriter::Create(path, nlohmann::json::object(), 0);
  ASSERT_THAT(w, IsOk());
  (*w)->Append(Trade(1, 10), 0);
  Event ack = MakeEvent(EventKind::kOrderAck, InstrumentId(0), Timestamp(2), Timestamp(2));
  ack.order.order_id = OrderId(1);
  (*w)->Append(ack, 0);
  (*w)->Append(Trade(3, 11), 0);
  ASSERT_THAT((*w)->Close(), IsOk());
  EXPECT_TRUE(LooksLikeJournal(path));
  auto src = OpenJournalSource(path);
  ASSERT_THAT(src, IsOk());
  auto batch = (*src)->NextBatch();
  ASSERT_THAT(batch, IsOk());
  EXPECT_EQ(batch->size(), 2u);
}

// Version 1 journals carried venue status as timers with id 0 (tag 1 disconnected, 2
// connected): they read back as kVenueStatus events, and a replay hands them to OnVenueStatus
// in their place; a real timer (never id 0) is left alone.
TEST(JournalTest, Version1StatusTimersReplayAsVenueStatus) {
  const std::string dir = ::tapedeck::testing::MakeTempDir("j");
  const std::string path = dir + "/v1.tdj";
  auto timer = [](int64_t ts, uint64_t id, uint64_t tag) {
    Event e = MakeEvent(EventKind::kTimer, InstrumentId(), Timestamp(ts), Timestamp(ts));
    e.timer.timer_id = id;
    e.timer.tag = tag;
    return e;
  };
  auto w = JournalWriter::Create(path, {{"version", 1}, {"start_ns", 1}}, 1'000'000);
  ASSERT_THAT(w, IsOk());
  (*w)->Append(timer(10, 0, 2), 0);
  (*w)->Append(Trade(20, 1000), 0);
  (*w)->Append(timer(30, 0, 1), 0);
  (*w)->Append(timer(40, 3, 2), 0);
  ASSERT_THAT((*w)->Close(), IsOk());
  absl::StatusOr<JournalContents> j = ReadJournal(path);
  ASSERT_THAT(j, IsOk());
  ASSERT_EQ(j->events.size(), 4u);
  EXPECT_EQ(j->events[0].kind, EventKind::kVenueStatus);
  EXPECT_EQ(j->events[0].venue.status, VenueStatus::kConnected);
  EXPECT_EQ(j->events[0].local_ts, 10);
  EXPECT_EQ(j->events[2].kind, EventKind::kVenueStatus);
  EXPECT_EQ(j->events[2].venue.status, VenueStatus::kDisconnected);
  EXPECT_EQ(j->events[3].kind, EventKind::kTimer);

  class Listener final : public Strategy {
   public:
    void OnVenueStatus(Context& ctx, VenueStatus s) override {
      absl::StrAppend(&log, "status ", std::string(VenueStatusName(s)), " ", ctx.now().ns, "\n");
    }
    void OnTimer(Context&, uint64_t id, uint64_t tag) override {
      absl::StrAppend(&log, "timer ", id, " ", tag, "\n");
    }
    void OnTrade(Context&, const Event&) override { absl::StrAppend(&log, "trade\n"); }
    std::string log;
  };
  InstrumentTable t;
  Instrument in;
  in.symbol = "AAA";
  ASSERT_THAT(t.Add(in), IsOk());
  Listener l;
  JournalReplay replay(t, Money(0));
  ASSERT_TRUE(replay.Run(*j, l).ok());
  EXPECT_EQ(l.log, "status connected 10\ntrade\nstatus disconnected 30\ntimer 3 2\n");
}

// A journal's checksums prove its bytes are those written; what they hold is checked on replay:
// a response to an order the strategy never sent (the context's invariant check used to abort)
// and an instrument outside the table are errors naming the record.
class NeverTrades final : public Strategy {};

TEST(JournalTest, ReplayRefusesEventsTheSessionCouldNotHaveDelivered) {
  const std::string dir = ::tapedeck::testing::MakeTempDir("j");
  InstrumentTable table;
  Instrument in;
  in.symbol = "BTCUSDT";
  in.price_scale = 2;
  in.qty_scale = 3;
  ASSERT_THAT(table.Add(in), IsOk());
  const std::string path = dir + "/bad.tdj";
  for (const bool fill : {true, false}) {
    auto w = JournalWriter::Create(path, {{"start_ns", 1}}, 1'000'000);
    ASSERT_THAT(w, IsOk());
    (*w)->Append(Trade(100, 1000), 0);
    Event e = fill ? MakeEvent(EventKind::kOrderFill, InstrumentId(0), Timestamp(101), Timestamp(102))
                   : Trade(101, 1000);
    if (fill) {
      e.order.order_id = OrderId(99);
      e.order.qty = Qty(1);
    } else {
      e.instrument = InstrumentId(3);
    }
    (*w)->Append(e, 0);
    ASSERT_THAT((*w)->Close(), IsOk());
    absl::StatusOr<JournalContents> j = ReadJournal(path);
    ASSERT_THAT(j, IsOk());
    JournalReplay replay(table, Money(100'000 * Money::kOne));
    NeverTrades strategy;
    EXPECT_THAT(replay.Run(*j, strategy, path),
                ::tapedeck::testing::StatusIs(
                    absl::StatusCode::kDataLoss,
                    ::testing::HasSubstr(fill ? path + ": journal event 1: order_fill for order 99, "
                                                       "which the replayed strategy did not send"
                                              : path + ": journal event 1: instrument id 3 is "
                                                       "outside the journal's 1 instruments")));
  }
}

}  // namespace
}  // namespace tapedeck::adapters
