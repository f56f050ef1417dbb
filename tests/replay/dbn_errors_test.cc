// Bad DBN input: every error names the file and the byte offset of the record in the DBN
// stream, never a crash; and what the options change.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replay/dbn_reader.h"
#include "replay/source_factory.h"
#include "tests/replay/dbn_test_util.h"
#include "tests/test_util.h"

namespace tapedeck::replay {
namespace {

using ::tapedeck::testing::Bytes;
using ::tapedeck::testing::DbnFixtureInstruments;
using ::tapedeck::testing::IsOk;
using ::tapedeck::testing::MakeTempDir;
using ::tapedeck::testing::ReadAll;
using ::tapedeck::testing::ReadFile;
using ::tapedeck::testing::StatusIs;
using ::tapedeck::testing::WriteEsDbn;
using ::tapedeck::testing::WriteFile;
using ::testing::HasSubstr;

constexpr uint64_t kT0 = 1'609'160'400'000'000'000;
constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

std::vector<uint8_t> Add(uint64_t id, int64_t price_e9, uint32_t size, uint64_t ts = kT0,
                         uint32_t sequence = 7, uint32_t instrument = 5482) {
  DbnMbo m;
  m.instrument_id = instrument;
  m.ts_event = ts;
  m.ts_recv = ts + 1000;
  m.order_id = id;
  m.price = price_e9;
  m.size = size;
  m.sequence = sequence;
  return Bytes(EncodeMbo(m));
}

std::vector<uint8_t> Trade(char side, uint64_t ts = kT0) {
  DbnTrade t;
  t.instrument_id = 5482;
  t.ts_event = ts;
  t.ts_recv = ts + 1000;
  t.price = 3'720'250'000'000;
  t.size = 2;
  t.side = side;
  return Bytes(EncodeTrade(t));
}

absl::StatusOr<std::vector<Event>> Read(const std::string& path, DbnOptions options = {},
                                        DbnStats* stats = nullptr, std::string symbol = "") {
  absl::StatusOr<std::unique_ptr<DbnReader>> r =
      DbnReader::Open(path, symbol, DbnFixtureInstruments(), options);
  if (!r.ok()) return r.status();
  absl::StatusOr<std::vector<Event>> events = ReadAll(**r);
  if (stats != nullptr) *stats = (*r)->stats();
  return events;
}

// The offset of the n-th (0-based) 56-byte record of a file written by WriteEsDbn.
uint64_t RecordOffset(const std::string& path, int n) {
  const std::string bytes = ReadFile(path);
  const uint32_t metadata = dbn::Get<uint32_t>(reinterpret_cast<const uint8_t*>(bytes.data()), 4);
  return dbn::kPreludeSize + metadata + 56u * static_cast<uint64_t>(n);
}

TEST(DbnErrorsTest, ATruncatedFileNamesTheByteOffsetOfTheCutRecord) {
  const std::string dir = MakeTempDir("dbn_errors");
  const std::string path = WriteEsDbn(
      dir + "/t.dbn",
      {Add(1, 3'720'000'000'000, 1), Add(2, 3'720'000'000'000, 1), Add(3, 3'720'000'000'000, 1)});
  const uint64_t third = RecordOffset(path, 2);
  std::filesystem::resize_file(path, third + 20);
  EXPECT_THAT(
      Read(path),
      StatusIs(kInvalid, HasSubstr(absl::StrCat(path, ": byte ", third,
                                                " (record 3, mbo): truncated: the record is 56 "
                                                "bytes but the file ends 20 bytes into it"))));
  std::filesystem::resize_file(path, third + 5);  // not even a whole header
  EXPECT_THAT(Read(path),
              StatusIs(kInvalid, HasSubstr(absl::StrCat(": byte ", third, ": truncated"))));
  std::filesystem::resize_file(path, 30);  // inside the metadata
  EXPECT_THAT(Read(path), StatusIs(kInvalid, HasSubstr("truncated: the metadata is")));
}

// A corrupt metadata length of 4 GB in a small file: the reader grows its buffer only as bytes
// arrive (replay/dbn_input.cc), so this is "truncated", not a 4 GB allocation (found by fuzzing).
TEST(DbnErrorsTest, AMetadataLengthBeyondTheFileIsTruncatedNotAllocated) {
  const std::string dir = MakeTempDir("dbn_errors");
  const std::string path = WriteEsDbn(dir + "/m.dbn", {Add(1, 3'720'000'000'000, 1)});
  std::string bytes = ReadFile(path);
  for (int i = 4; i < 8; ++i) bytes[static_cast<size_t>(i)] = '\xff';  // u32 LE at byte 4
  WriteFile(path, bytes);
  EXPECT_THAT(Read(path), StatusIs(kInvalid, HasSubstr("truncated: the metadata is")));
}

TEST(DbnErrorsTest, ATruncatedZstdStreamIsAnError) {
  const std::string dir = MakeTempDir("dbn_errors");
  std::vector<std::vector<uint8_t>> records;
  for (uint64_t i = 1; i <= 2000; ++i) {
    records.push_back(Add(i, 3'720'000'000'000 + static_cast<int64_t>(i % 7) * 250'000'000, 1));
  }
  const std::string path = WriteEsDbn(dir + "/t.dbn.zst", records, 3);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 9);
  EXPECT_THAT(Read(path),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("truncated zstd stream: the file ends inside a frame")));
}

TEST(DbnErrorsTest, ACorruptedRecordLengthNamesTheByteOffset) {
  const std::string dir = MakeTempDir("dbn_errors");
  const std::string path =
      WriteEsDbn(dir + "/c.dbn", {Add(1, 3'720'000'000'000, 1), Add(2, 3'720'000'000'000, 1)});
  const uint64_t second = RecordOffset(path, 1);
  std::string bytes = ReadFile(path);
  bytes[second] = 0;  // length byte
  WriteFile(path, bytes);
  EXPECT_THAT(
      Read(path),
      StatusIs(kInvalid, HasSubstr(absl::StrCat(": byte ", second,
                                                " (record 2, mbo): record length 0 bytes (length "
                                                "byte 0) is shorter than the 16-byte header"))));
  bytes[second] = 15;  // 60 bytes
  WriteFile(path, bytes);
  EXPECT_THAT(
      Read(path),
      StatusIs(kInvalid, HasSubstr(absl::StrCat(": byte ", second,
                                                " (record 2, mbo): record length 60 bytes, but a "
                                                "DBN v3 mbo record is 56 bytes"))));
}

TEST(DbnErrorsTest, APriceThatDoesNotFitTheScaleNamesTheByteOffset) {
  const std::string dir = MakeTempDir("dbn_errors");
  // 3720.125: finer than ESH1's two decimals.
  const std::string path =
      WriteEsDbn(dir + "/p.dbn", {Add(1, 3'720'000'000'000, 1), Add(2, 3'720'125'000'000, 1)});
  EXPECT_THAT(
      Read(path),
      StatusIs(kInvalid, HasSubstr(absl::StrCat(": byte ", RecordOffset(path, 1),
                                                " (record 2, mbo): price 3720.125000000 does "
                                                "not fit 'ESH1''s price scale 2"))));
}

TEST(DbnErrorsTest, ASequenceGoingBackIsAnErrorUnlessTheCheckIsOff) {
  const std::string dir = MakeTempDir("dbn_errors");
  const std::string path = WriteEsDbn(
      dir + "/s.dbn", {Add(1, 3'720'000'000'000, 1, kT0, 9), Add(2, 3'720'000'000'000, 1, kT0, 8)});
  EXPECT_THAT(Read(path), StatusIs(kInvalid, HasSubstr("sequence 8 goes back (the previous "
                                                       "record of 'ESH1' had 9)")));
  DbnOptions off;
  off.check_sequence = false;
  EXPECT_THAT(Read(path, off), IsOk());
}

TEST(DbnErrorsTest, TradesWithoutAnAggressorAreSkippedAndCountedOrAnError) {
  const std::string dir = MakeTempDir("dbn_errors");
  const std::string path = WriteEsDbn(dir + "/n.dbn", {Trade('A'), Trade('N'), Trade('B')}, 0,
                                      static_cast<uint16_t>(dbn::Schema::kTrades));
  DbnStats stats;
  absl::StatusOr<std::vector<Event>> events = Read(path, {}, &stats);
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].trade.aggressor, Side::kSell);
  EXPECT_EQ((*events)[1].trade.aggressor, Side::kBuy);
  EXPECT_EQ(stats.trades_without_side, 1);
  DbnOptions strict;
  strict.skip_unknown_side = false;
  EXPECT_THAT(Read(path, strict), StatusIs(kInvalid, HasSubstr("(record 2, trades): a trade with "
                                                               "side 'N' (no aggressor)")));
}

TEST(DbnErrorsTest, RecordsOfInstrumentsOutsideTheRunAreAnErrorOrSkipped) {
  const std::string dir = MakeTempDir("dbn_errors");
  replay::DbnMetadataSpec meta;
  meta.symbols = {{"ESH1", 5482, 20201228, 20201229}, {"ESM1", 9999, 20201228, 20201229}};
  const std::string path = dir + "/o.dbn";
  auto w = DbnWriter::Create(path, meta, 0);
  ASSERT_THAT(w, IsOk());
  ASSERT_THAT((*w)->Append(Add(1, 3'720'000'000'000, 1)), IsOk());
  ASSERT_THAT((*w)->Append(Add(2, 3'700'000'000'000, 1, kT0, 7, 9999)), IsOk());
  ASSERT_THAT((*w)->Finish(), IsOk());
  EXPECT_THAT(Read(path), StatusIs(kInvalid, HasSubstr("'ESM1' (instrument id 9999) is not among "
                                                       "the run's instruments")));
  DbnOptions skip;
  skip.skip_other_instruments = true;
  DbnStats stats;
  absl::StatusOr<std::vector<Event>> events = Read(path, skip, &stats);
  ASSERT_THAT(events, IsOk());
  EXPECT_EQ(events->size(), 1u);
  EXPECT_EQ(stats.other_instruments, 1);
  // A source naming one instrument must hold one instrument id.
  EXPECT_THAT(Read(path, {}, nullptr, "ESH1"),
              StatusIs(kInvalid, HasSubstr("records of instrument ids 5482 and 9999, but the "
                                           "source names one instrument")));
}

TEST(DbnErrorsTest, ExchangeTimeGoingBackIsRaisedAndCounted) {
  const std::string dir = MakeTempDir("dbn_errors");
  const std::string path = WriteEsDbn(dir + "/ts.dbn", {Add(1, 3'720'000'000'000, 1, kT0 + 500),
                                                        Add(2, 3'720'000'000'000, 1, kT0)});
  DbnStats stats;
  absl::StatusOr<std::vector<Event>> events = Read(path, {}, &stats);
  ASSERT_THAT(events, IsOk());
  EXPECT_EQ((*events)[1].exchange_ts, static_cast<int64_t>(kT0) + 500);
  EXPECT_EQ((*events)[1].local_ts, static_cast<int64_t>(kT0) + 1000);
  EXPECT_EQ(stats.ts_event_raised, 1);
  EXPECT_EQ(stats.max_ts_raise_ns, 500);
}

TEST(DbnErrorsTest, InconsistentOrdersAreErrors) {
  const std::string dir = MakeTempDir("dbn_errors");
  const std::string twice =
      WriteEsDbn(dir + "/twice.dbn", {Add(1, 3'720'000'000'000, 1), Add(1, 3'720'000'000'000, 1)});
  EXPECT_THAT(Read(twice), StatusIs(kInvalid, HasSubstr("add of order 1, which is live")));
  DbnMbo cancel;
  cancel.instrument_id = 5482;
  cancel.ts_event = kT0;
  cancel.ts_recv = kT0;
  cancel.order_id = 1;
  cancel.price = 3'720'000'000'000;
  cancel.size = 5;
  cancel.action = 'C';
  const std::string over =
      WriteEsDbn(dir + "/over.dbn", {Add(1, 3'720'000'000'000, 1), Bytes(EncodeMbo(cancel))});
  EXPECT_THAT(Read(over), StatusIs(kInvalid, HasSubstr("cancel of 5 (raw) of order 1, which has "
                                                       "1 left")));
}

TEST(DbnErrorsTest, NotDbnVersionsAndOptionsAreClearErrors) {
  const std::string dir = MakeTempDir("dbn_errors");
  const std::string empty = dir + "/empty.dbn";
  WriteFile(empty, "");
  EXPECT_THAT(Read(empty), StatusIs(kInvalid, HasSubstr("not a DBN file")));
  const std::string text = dir + "/text.dbn";
  WriteFile(text, "ts,price,qty,side\n1,2,3,buy\n");
  EXPECT_THAT(Read(text), StatusIs(kInvalid, HasSubstr("without the \"DBN\" magic")));
  const std::string v4 = WriteEsDbn(dir + "/v4.dbn", {Add(1, 3'720'000'000'000, 1)});
  std::string bytes = ReadFile(v4);
  bytes[3] = 4;
  WriteFile(v4, bytes);
  EXPECT_THAT(Read(v4), StatusIs(kInvalid, HasSubstr("byte 3: DBN version 4; this reader reads "
                                                     "versions 1 to 3")));
  SourceSpec spec;
  spec.path = empty;
  spec.format = "dbn";
  spec.where = "sources[0]";
  spec.options = {{"unknown_side", "maybe"}};
  EXPECT_THAT(OpenSource(spec, DbnFixtureInstruments()),
              StatusIs(kInvalid, HasSubstr("sources[0].options.unknown_side")));
  spec.options = {{"definition", "x"}};
  EXPECT_THAT(OpenSource(spec, DbnFixtureInstruments()),
              StatusIs(kInvalid, HasSubstr("definition")));
}

}  // namespace
}  // namespace tapedeck::replay
