#include "replay/tape.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/event_order.h"
#include "core/merger.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/source_factory.h"
#include "tests/tape_util.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ResealTape;
using ::tapedeck::testing::StatusIs;
using ::testing::HasSubstr;

std::vector<Instrument> TwoInstruments() {
  Instrument a;
  a.symbol = "BTCUSDT";
  a.kind = InstrumentKind::kPerpetual;
  a.base = "BTC";
  a.quote = "USDT";
  a.price_scale = 1;
  a.qty_scale = 3;
  a.tick_size = Price(1);
  a.lot_size = Qty(1);
  a.maker_fee = Rate(20'000);
  a.taker_fee = Rate(50'000);
  Instrument b;
  b.symbol = "BTCUSD_240927";
  b.kind = InstrumentKind::kDatedFuture;
  b.base = "BTC";
  b.quote = "USD";
  b.price_scale = 1;
  b.qty_scale = 0;
  b.tick_size = Price(1);
  b.lot_size = Qty(1);
  b.contract_multiplier_e8 = 100'00000000;
  b.maker_fee = Rate(-5'000);
  b.taker_fee = Rate(50'000);
  b.expiry = Timestamp(1727424000'000000000);
  return {a, b};
}

// `n` events of every market-data kind, with distinct payloads and local_ts out of order.
std::vector<Event> MakeEvents(size_t n) {
  std::vector<Event> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t t = 1'723'161'600'000'000'000 + static_cast<int64_t>(i / 3) * 1'000;
    const auto kind = static_cast<EventKind>(i % 9);
    Event e = MakeEvent(kind, InstrumentId(static_cast<uint16_t>(i % 2)), Timestamp(t),
                        Timestamp(t + 1'270'000'000 - static_cast<int64_t>(i % 5) * 7));
    const auto k = static_cast<int64_t>(i);
    switch (kind) {
      case EventKind::kTrade:
      case EventKind::kLiquidation:
        e.trade = TradePayload{Price(600'000 + k), Qty(k % 17 + 1), 9'000'000'000ull + i,
                               i % 2 == 0 ? Side::kBuy : Side::kSell};
        break;
      case EventKind::kQuote:
        e.quote = QuotePayload{Price(600'000 + k), Qty(3), Price(600'001 + k), Qty(4), i * 11};
        break;
      case EventKind::kBookLevel:
        e.level.price = Price(599'000 + k);
        e.level.qty = Qty(k % 3);
        e.level.update_id = i;
        e.level.side = Side::kSell;
        e.level.flags = kBookEndOfMessage;
        break;
      case EventKind::kFundingRate:
        e.funding = FundingPayload{Rate(-1'234 + k), Timestamp(1'723'190'400'000'000'000)};
        break;
      case EventKind::kMarkPrice:
      case EventKind::kIndexPrice:
        e.price = PricePayload{Price(601'000 + k)};
        break;
      case EventKind::kOpenInterest:
        e.open_interest = OpenInterestPayload{Qty(77'000 + k)};
        break;
      default:
        e.bar = BarPayload{Price(1), Price(5), Price(0), Price(3), Qty(k)};
        break;
    }
    out.push_back(e);
  }
  return out;
}

std::string WriteTape(const std::string& path, const std::vector<Event>& events,
                      std::vector<Instrument> instruments = TwoInstruments()) {
  absl::StatusOr<std::unique_ptr<TapeWriter>> w = TapeWriter::Create(path, std::move(instruments));
  EXPECT_THAT(w, IsOk());
  if (!w.ok()) return path;
  EXPECT_THAT((*w)->Append(events), IsOk());
  EXPECT_THAT((*w)->Finish(), IsOk());
  return path;
}

std::string ReadAll(const std::string& path) { return tapedeck::testing::ReadFile(path); }
void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::vector<Event> Drain(EventSource* source) {
  std::vector<Event> out;
  while (true) {
    absl::StatusOr<std::span<const Event>> batch = source->NextBatch();
    EXPECT_THAT(batch, IsOk());
    if (!batch.ok() || batch->empty()) break;
    out.insert(out.end(), batch->begin(), batch->end());
  }
  return out;
}

void ExpectSameBytes(const std::vector<Event>& got, const std::vector<Event>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(std::memcmp(&got[i], &want[i], sizeof(Event)), 0) << "record " << i;
  }
}

TEST(TapeTest, RoundTripIsBitForBit) {
  const std::string dir = MakeTempDir("tape");
  const std::vector<Event> events = MakeEvents(10'000);  // several checksum blocks and batches
  const std::string path = WriteTape(dir + "/a.tape", events);

  absl::StatusOr<std::unique_ptr<Tape>> tape = Tape::Open(path);
  ASSERT_THAT(tape, IsOk());
  const TapeHeader& h = (*tape)->header();
  EXPECT_EQ(h.version, kTapeVersion);
  EXPECT_EQ(h.record_count, events.size());
  EXPECT_EQ(h.first_exchange_ts, events.front().exchange_ts);
  EXPECT_EQ(h.last_exchange_ts, events.back().exchange_ts);
  EXPECT_EQ(h.header_size % 64, 0u);
  EXPECT_EQ(std::filesystem::file_size(path), h.file_size());
  EXPECT_EQ(reinterpret_cast<uintptr_t>((*tape)->records().data()) % 64, 0u);
  ExpectSameBytes(std::vector<Event>((*tape)->records().begin(), (*tape)->records().end()), events);

  // Every instrument field survives.
  const std::vector<Instrument> want = TwoInstruments();
  ASSERT_EQ(h.instruments.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const Instrument& g = h.instruments[i];
    EXPECT_EQ(g.id.value, i);
    EXPECT_EQ(g.symbol, want[i].symbol);
    EXPECT_EQ(g.kind, want[i].kind);
    EXPECT_EQ(g.base, want[i].base);
    EXPECT_EQ(g.quote, want[i].quote);
    EXPECT_EQ(g.price_scale, want[i].price_scale);
    EXPECT_EQ(g.qty_scale, want[i].qty_scale);
    EXPECT_EQ(g.tick_size, want[i].tick_size);
    EXPECT_EQ(g.lot_size, want[i].lot_size);
    EXPECT_EQ(g.contract_multiplier_e8, want[i].contract_multiplier_e8);
    EXPECT_EQ(g.maker_fee, want[i].maker_fee);
    EXPECT_EQ(g.taker_fee, want[i].taker_fee);
    EXPECT_EQ(g.expiry, want[i].expiry);
  }
  // No temporary file is left beside the tape.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(TapeTest, SourceHandsOutTheMappingInBatches) {
  const std::string dir = MakeTempDir("tape");
  const std::vector<Event> events = MakeEvents(TapeSource::kBatchRecords * 2 + 5);
  const std::string path = WriteTape(dir + "/a.tape", events);
  SourceSpec spec;
  spec.path = path;
  absl::StatusOr<std::unique_ptr<EventSource>> source = OpenSource(spec, InstrumentTable());
  ASSERT_THAT(source, IsOk());
  EXPECT_EQ((*source)->SizeHint(), static_cast<int64_t>(events.size()));
  absl::StatusOr<std::span<const Event>> first = (*source)->NextBatch();
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->size(), TapeSource::kBatchRecords);
  const auto& tape = static_cast<TapeSource*>(source->get())->tape();
  EXPECT_EQ(first->data(), tape.records().data()) << "the batch is the mapping itself";
  std::vector<Event> got(first->begin(), first->end());
  const std::vector<Event> rest = Drain(source->get());
  got.insert(got.end(), rest.begin(), rest.end());
  ExpectSameBytes(got, events);
}

TEST(TapeTest, EmptyTapeOpensAndEndsAtOnce) {
  const std::string dir = MakeTempDir("tape");
  const std::string path = WriteTape(dir + "/empty.tape", {});
  absl::StatusOr<std::unique_ptr<Tape>> tape = Tape::Open(path);
  ASSERT_THAT(tape, IsOk());
  EXPECT_EQ((*tape)->header().record_count, 0u);
  EXPECT_EQ(std::filesystem::file_size(path), (*tape)->header().header_size);
  TapeSource source(std::move(*tape), {});
  EXPECT_TRUE(Drain(&source).empty());
}

TEST(TapeTest, DetectedFromContentAndItsInstrumentsAreReadable) {
  const std::string dir = MakeTempDir("tape");
  const std::string path = WriteTape(dir + "/data.bin", MakeEvents(10));
  absl::StatusOr<std::string> format = DetectFormat(path);
  ASSERT_THAT(format, IsOk());
  EXPECT_EQ(*format, "tape");
  absl::StatusOr<std::vector<Instrument>> instruments = ReadTapeInstruments(path);
  ASSERT_THAT(instruments, IsOk());
  ASSERT_EQ(instruments->size(), 2u);
  EXPECT_EQ((*instruments)[1].symbol, "BTCUSD_240927");
  SourceSpec spec;
  spec.path = path;
  absl::StatusOr<std::vector<Instrument>> via_factory = SourceInstruments(spec);
  ASSERT_THAT(via_factory, IsOk());
  EXPECT_EQ(via_factory->size(), 2u);
}

TEST(TapeTest, RunInstrumentsInAnotherOrderAreMappedBySymbol) {
  const std::string dir = MakeTempDir("tape");
  const std::vector<Event> events = MakeEvents(100);
  const std::string path = WriteTape(dir + "/a.tape", events);
  std::vector<Instrument> ins = TwoInstruments();
  InstrumentTable run;
  ASSERT_THAT(run.Add(ins[1]), IsOk());
  ASSERT_THAT(run.Add(ins[0]), IsOk());
  SourceSpec spec;
  spec.path = path;
  absl::StatusOr<std::unique_ptr<EventSource>> source = OpenTapeSource(spec, run);
  ASSERT_THAT(source, IsOk());
  const std::vector<Event> got = Drain(source->get());
  ASSERT_EQ(got.size(), events.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].instrument.value, 1 - events[i].instrument.value);
    EXPECT_EQ(got[i].exchange_ts, events[i].exchange_ts);
  }
}

TEST(TapeTest, RunInstrumentsMustAgreeOnScales) {
  const std::string dir = MakeTempDir("tape");
  const std::string path = WriteTape(dir + "/a.tape", MakeEvents(10));
  std::vector<Instrument> ins = TwoInstruments();
  ins[0].price_scale = 2;
  InstrumentTable run;
  for (const Instrument& in : ins) ASSERT_THAT(run.Add(in), IsOk());
  SourceSpec spec;
  spec.path = path;
  EXPECT_THAT(OpenTapeSource(spec, run),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("instrument 'BTCUSDT': the tape has price_scale 1 and qty_scale "
                                 "3, the run's instruments say price_scale 2 and qty_scale 3")));
  InstrumentTable other;
  Instrument eth = ins[0];
  eth.symbol = "ETHUSDT";
  ASSERT_THAT(other.Add(eth), IsOk());
  EXPECT_THAT(OpenTapeSource(spec, other),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the tape carries instrument 'BTCUSDT', which the run's "
                                 "instruments do not name")));
}

TEST(TapeTest, UnknownSourceOptionIsAnError) {
  const std::string dir = MakeTempDir("tape");
  const std::string path = WriteTape(dir + "/a.tape", MakeEvents(10));
  SourceSpec spec;
  spec.path = path;
  spec.options = nlohmann::json{{"verify", false}};
  EXPECT_THAT(OpenTapeSource(spec, InstrumentTable()), IsOk());
  spec.options = nlohmann::json{{"verfy", false}};
  EXPECT_THAT(OpenTapeSource(spec, InstrumentTable()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("verfy")));
}

// --- corruption: each names the path and the byte offset -----------------------------------

class TapeCorruptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("corrupt");
    path_ = WriteTape(dir_ + "/c.tape", MakeEvents(3000));  // three checksum blocks
    bytes_ = ReadAll(path_);
    absl::StatusOr<TapeHeader> h = ReadTapeHeader(path_);
    ASSERT_THAT(h, IsOk());
    header_ = *h;
  }
  absl::Status OpenStatus(const std::string& bytes, TapeOpenOptions options = {}) {
    WriteAll(path_, bytes);
    return Tape::Open(path_, options).status();
  }
  std::string Expect(uint64_t offset) const { return absl::StrCat(path_, ": byte offset ", offset, ": "); }

  std::string dir_, path_, bytes_;
  TapeHeader header_;
};

TEST_F(TapeCorruptionTest, TruncatedRecords) {
  const std::string cut = bytes_.substr(0, bytes_.size() - 100);
  EXPECT_THAT(OpenStatus(cut),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(Expect(cut.size()) + "truncated tape: the header says 3000 records")));
}

TEST_F(TapeCorruptionTest, TruncatedInsideTheHeader) {
  EXPECT_THAT(OpenStatus(bytes_.substr(0, 100)),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(Expect(100) + "truncated tape: the file ends inside the 128-byte")));
  EXPECT_THAT(OpenStatus(bytes_.substr(0, 130)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(Expect(130) + "truncated tape")));
}

TEST_F(TapeCorruptionTest, BadMagic) {
  std::string b = bytes_;
  b[3] = 'X';
  EXPECT_THAT(OpenStatus(b), StatusIs(absl::StatusCode::kDataLoss,
                                      HasSubstr(Expect(0) + "bad magic: not a tapedeck tape")));
  EXPECT_THAT(OpenStatus(""), StatusIs(absl::StatusCode::kDataLoss, HasSubstr(Expect(0))));
}

TEST_F(TapeCorruptionTest, UnknownVersion) {
  std::string b = bytes_;
  b[8] = 7;
  EXPECT_THAT(OpenStatus(b),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(Expect(8) + "unknown tape version 7 (this build reads version 1)")));
}

TEST_F(TapeCorruptionTest, CorruptedHeaderFailsItsChecksum) {
  std::string b = bytes_;
  b[kTapeFixedHeaderSize + 66] ^= 0x20;  // a letter of the first symbol
  EXPECT_THAT(OpenStatus(b), StatusIs(absl::StatusCode::kDataLoss,
                                      HasSubstr(Expect(80) + "header checksum mismatch")));
  b = bytes_;
  b[33] ^= 1;  // the record count
  EXPECT_THAT(OpenStatus(b), StatusIs(absl::StatusCode::kDataLoss,
                                      HasSubstr(Expect(80) + "header checksum mismatch")));
}

TEST_F(TapeCorruptionTest, FlippedByteInARecordNamesItsBlock) {
  std::string b = bytes_;
  const uint64_t record = 1500;  // in the second block: records 1024..2047
  const uint64_t at = header_.header_size + record * 64 + 27;
  b[at] ^= 0x01;
  const uint64_t block_begin = header_.header_size + 1024 * 64;
  EXPECT_THAT(OpenStatus(b),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat(Expect(block_begin),
                                              "record checksum mismatch in records 1024..2047 "
                                              "(bytes ", block_begin, "..", block_begin + 1024 * 64 - 1,
                                              ")"))));
  // Verification off (benchmarks) opens it anyway; header checks still run.
  EXPECT_THAT(OpenStatus(b, TapeOpenOptions{.verify = false}), IsOk());
}

TEST_F(TapeCorruptionTest, WrongChecksumInTheTable) {
  std::string b = bytes_;
  const uint64_t table = header_.header_size + 3000 * 64;
  b[table + 9] ^= 0x40;
  EXPECT_THAT(OpenStatus(b),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(Expect(table) + "the checksum table does not match")));
}

TEST_F(TapeCorruptionTest, TrailingBytes) {
  EXPECT_THAT(OpenStatus(bytes_ + "xyz"),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(Expect(bytes_.size()) + "3 unexpected bytes after the checksum table")));
}

TEST_F(TapeCorruptionTest, CorruptTapeFailsThroughTheFactoryToo) {
  std::string b = bytes_;
  b[header_.header_size + 5] ^= 0x10;
  WriteAll(path_, b);
  SourceSpec spec;
  spec.path = path_;
  EXPECT_THAT(OpenSource(spec, InstrumentTable()),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(Expect(header_.header_size))));
}

// A checksum proves bytes are those written, not that they make sense: records are checked for
// what they hold whether or not the checksums are verified.
TEST_F(TapeCorruptionTest, RecordsThatAreNotMarketDataAreRefusedWithValidChecksums) {
  const size_t record = 1500;
  const uint64_t at = header_.header_size + record * sizeof(Event);
  for (const int kind : {10, 11, 12, 13, 15, 9, 16, 17, 200}) {
    std::string b = bytes_;
    b[at + 16] = static_cast<char>(kind);
    ResealTape(&b);
    const std::string what =
        kind >= kEventKindCount ? absl::StrCat("unknown event kind ", kind)
                                : absl::StrCat("event kind ", kind, " (",
                                               std::string(EventKindName(static_cast<EventKind>(kind))),
                                               ") is not market data");
    EXPECT_THAT(OpenStatus(b), StatusIs(absl::StatusCode::kDataLoss,
                                        HasSubstr(Expect(at + 16) + "record 1500: " + what)))
        << kind;
    // Unverified: the source refuses it when it reaches that batch, before handing it out.
    absl::StatusOr<std::unique_ptr<Tape>> t = Tape::Open(path_, {.verify = false});
    ASSERT_THAT(t, IsOk());
    TapeSource source(std::move(*t), {});
    absl::StatusOr<std::span<const Event>> first = source.NextBatch();
    EXPECT_THAT(first, StatusIs(absl::StatusCode::kDataLoss, HasSubstr(Expect(at + 16))));
  }
}

// verify: false skips the checksums, never the bounds: an instrument id outside the table was a
// heap-buffer-overflow write downstream.
TEST_F(TapeCorruptionTest, InstrumentOutsideTheTableIsRefusedVerifiedOrNot) {
  const uint64_t at = header_.header_size + 2999 * sizeof(Event);
  std::string b = bytes_;
  b[at + 18] = 7;  // instrument id 7 of a 2-instrument table
  EXPECT_THAT(OpenStatus(b, {.verify = false}), IsOk());
  absl::StatusOr<std::unique_ptr<Tape>> t = Tape::Open(path_, {.verify = false});
  ASSERT_THAT(t, IsOk());
  TapeSource source(std::move(*t), {});
  absl::Status status;
  for (int i = 0; i < 3 && status.ok(); ++i) status = source.NextBatch().status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss,
                               HasSubstr(Expect(at + 18) + "record 2999: instrument id 7 is "
                                                           "outside the tape's table of 2 "
                                                           "instruments")));
  ResealTape(&b);
  EXPECT_THAT(OpenStatus(b), StatusIs(absl::StatusCode::kDataLoss, HasSubstr(Expect(at + 18))));
}

TEST_F(TapeCorruptionTest, FieldsOutsideTheirRangesAreRefused) {
  struct Case {
    size_t record;  // MakeEvents: kind = record % 9
    size_t offset;
    int64_t value;
    size_t width;
    const char* what;
  };
  const Case cases[] = {
      {0, 32, -5, 8, "quantity -5 is negative"},           // trade qty
      {0, 48, 2, 1, "aggressor 2 is not a side"},          // trade aggressor
      {1, 48, -1, 8, "ask quantity -1 is negative"},       // quote ask_qty
      {2, 48, 9, 1, "side 9 is not a side"},               // level side
      {2, 49, 0x40, 1, "book flags 0x40 include unknown"},  // level flags
      {7, 24, -3, 8, "open interest -3 is negative"},
      {8, 56, -1, 8, "bar volume -1 is negative"},
  };
  for (const Case& c : cases) {
    std::string b = bytes_;
    const uint64_t at = header_.header_size + c.record * sizeof(Event);
    std::memcpy(b.data() + at + c.offset, &c.value, c.width);
    ResealTape(&b);
    EXPECT_THAT(OpenStatus(b), StatusIs(absl::StatusCode::kDataLoss,
                                        HasSubstr(Expect(at + c.offset) + absl::StrCat(
                                            "record ", c.record, ": ", c.what))))
        << c.what;
  }
}

TEST_F(TapeCorruptionTest, UnverifiedRecordsOutOfTimeOrderAreRefused) {
  std::string b = bytes_;
  const uint64_t at = header_.header_size + 2000 * sizeof(Event);
  const int64_t early = 5;
  std::memcpy(b.data() + at, &early, 8);
  absl::StatusOr<std::unique_ptr<Tape>> t = (WriteAll(path_, b), Tape::Open(path_, {.verify = false}));
  ASSERT_THAT(t, IsOk());
  TapeSource source(std::move(*t), {});
  absl::Status status;
  for (int i = 0; i < 3 && status.ok(); ++i) status = source.NextBatch().status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss,
                               HasSubstr(Expect(at) + "record 2000: exchange_ts goes backwards")));
}

// --- the writer --------------------------------------------------------------------------

TEST(TapeWriterTest, RefusesEventsThatAreNotMarketData) {
  const std::string dir = MakeTempDir("writer");
  std::vector<Event> events = MakeEvents(3);
  events[2].kind = EventKind::kOrderFill;
  absl::StatusOr<std::unique_ptr<TapeWriter>> w = TapeWriter::Create(dir + "/x.tape", TwoInstruments());
  ASSERT_THAT(w, IsOk());
  EXPECT_THAT((*w)->Append(events),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("record 2: event kind 11 (order_fill) is not market data")));
}

TEST(TapeWriterTest, RejectsEventsOutOfOrderAndLeavesNoFile) {
  const std::string dir = MakeTempDir("writer");
  const std::string path = dir + "/x.tape";
  std::vector<Event> events = MakeEvents(10);
  std::swap(events[2], events[7]);
  {
    absl::StatusOr<std::unique_ptr<TapeWriter>> w = TapeWriter::Create(path, TwoInstruments());
    ASSERT_THAT(w, IsOk());
    EXPECT_THAT((*w)->Append(events),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("record 3: exchange_ts 1723161600000001000 is before the "
                                   "previous record's 1723161600000002000")));
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(TapeWriterTest, RejectsAnInstrumentOutsideTheTable) {
  const std::string dir = MakeTempDir("writer");
  std::vector<Event> events = MakeEvents(3);
  events[1].instrument = InstrumentId(5);
  absl::StatusOr<std::unique_ptr<TapeWriter>> w = TapeWriter::Create(dir + "/x.tape", TwoInstruments());
  ASSERT_THAT(w, IsOk());
  EXPECT_THAT((*w)->Append(events), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("record 1: instrument id 5 is outside")));
}

TEST(TapeWriterTest, UnfinishedWriterLeavesNoFile) {
  const std::string dir = MakeTempDir("writer");
  {
    absl::StatusOr<std::unique_ptr<TapeWriter>> w = TapeWriter::Create(dir + "/x.tape", TwoInstruments());
    ASSERT_THAT(w, IsOk());
    ASSERT_THAT((*w)->Append(MakeEvents(5)), IsOk());
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

// Records reach the file in writes that end on 2 MiB offsets (the page cache then keeps the tape
// in 2 MiB folios): nothing after the header until the record that ends at 2 MiB, then exactly
// 2 MiB.
TEST(TapeWriterTest, WritesEndOnTwoMebibyteOffsets) {
  const std::string dir = MakeTempDir("writer");
  absl::StatusOr<std::unique_ptr<TapeWriter>> w = TapeWriter::Create(dir + "/x.tape", TwoInstruments());
  ASSERT_THAT(w, IsOk());
  std::vector<std::filesystem::path> files(std::filesystem::directory_iterator(dir), {});
  ASSERT_EQ(files.size(), 1u);  // the temporary file the writer writes into
  const uint64_t header = std::filesystem::file_size(files[0]);
  constexpr uint64_t kTwoMiB = uint64_t{2} << 20;
  ASSERT_EQ(header % sizeof(Event), 0u);
  const uint64_t to_boundary = (kTwoMiB - header) / sizeof(Event);
  const std::vector<Event> events = MakeEvents(to_boundary + 1);
  ASSERT_THAT((*w)->Append(std::span<const Event>(events).first(to_boundary - 1)), IsOk());
  EXPECT_EQ(std::filesystem::file_size(files[0]), header);
  ASSERT_THAT((*w)->Append(events[to_boundary - 1]), IsOk());
  EXPECT_EQ(std::filesystem::file_size(files[0]), kTwoMiB);
  ASSERT_THAT((*w)->Append(events[to_boundary]), IsOk());
  EXPECT_EQ(std::filesystem::file_size(files[0]), kTwoMiB);
  ASSERT_THAT((*w)->Finish(), IsOk());
  absl::StatusOr<std::unique_ptr<Tape>> tape = Tape::Open(dir + "/x.tape");
  ASSERT_THAT(tape, IsOk());
  ASSERT_EQ((*tape)->records().size(), events.size());
  EXPECT_EQ(std::memcmp((*tape)->records().data(), events.data(), events.size() * sizeof(Event)), 0);
}

// The mapping asks for sequential read-ahead and for 2 MiB folios from disk.
TEST(TapeTest, MappingCarriesTheReadAheadAndHugePageAdvice) {
  const std::string path = MakeTempDir("advice") + "/x.tape";
  {
    absl::StatusOr<std::unique_ptr<TapeWriter>> w = TapeWriter::Create(path, TwoInstruments());
    ASSERT_THAT(w, IsOk());
    ASSERT_THAT((*w)->Append(MakeEvents(100)), IsOk());
    ASSERT_THAT((*w)->Finish(), IsOk());
  }
  absl::StatusOr<std::unique_ptr<Tape>> tape = Tape::Open(path);
  ASSERT_THAT(tape, IsOk());
  const std::string flags = ::tapedeck::testing::VmFlagsOf((*tape)->records().data());
  EXPECT_NE(flags.find(" sr"), std::string::npos) << flags;
  if (::tapedeck::testing::HaveTransparentHugePages()) {
    EXPECT_NE(flags.find(" hg"), std::string::npos) << flags;
  }
}

TEST(TapeHashTest, EveryByteMatters) {
  std::vector<unsigned char> data(256, 0);
  const uint64_t base = TapeHash(data.data(), data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      data[i] ^= static_cast<unsigned char>(1 << bit);
      EXPECT_NE(TapeHash(data.data(), data.size()), base) << i << ":" << bit;
      data[i] ^= static_cast<unsigned char>(1 << bit);
    }
  }
  EXPECT_NE(TapeHash(data.data(), 248), base) << "the length is hashed";
}

TEST(TapeTest, ReplaysThroughTheMerger) {
  const std::string dir = MakeTempDir("tape");
  const std::vector<Event> events = MakeEvents(5000);
  SourceSpec spec;
  spec.path = WriteTape(dir + "/a.tape", events);
  absl::StatusOr<std::unique_ptr<EventSource>> source = OpenSource(spec, InstrumentTable());
  ASSERT_THAT(source, IsOk());
  std::vector<std::unique_ptr<EventSource>> sources;
  sources.push_back(std::move(*source));
  Merger merger(std::move(sources));
  ASSERT_THAT(merger.Init(), IsOk());
  std::vector<Event> got;
  Event e;
  while (merger.Next(&e)) got.push_back(e);
  EXPECT_THAT(merger.status(), IsOk());
  // The merger serves equal timestamps of one source in kind-rank order (event_order.h).
  std::vector<Event> want = events;
  std::stable_sort(want.begin(), want.end(), [](const Event& a, const Event& b) {
    return std::pair(a.exchange_ts, KindRank(a.kind)) < std::pair(b.exchange_ts, KindRank(b.kind));
  });
  ExpectSameBytes(got, want);
}

}  // namespace
}  // namespace tapedeck::replay
