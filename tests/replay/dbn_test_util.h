// What the DBN reader's tests share: the fixtures' instruments, reading a source to the end.
#ifndef TAPEDECK_TESTS_REPLAY_DBN_TEST_UTIL_H_
#define TAPEDECK_TESTS_REPLAY_DBN_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/source.h"
#include "replay/dbn_encoder.h"
#include "tests/test_util.h"

namespace tapedeck::testing {

// ../shared/data/dbn_fixtures/<name>: Databento's own test files (databento/dbn, tests/data).
inline std::string DbnFixture(const std::string& name) {
  return SharedData("dbn_fixtures/" + name);
}

// The fixtures' instruments: CME's ESH1 (quarter-point ticks) and Nasdaq's MSFT and SPOT.
inline InstrumentTable DbnFixtureInstruments() {
  InstrumentTable t;
  Instrument es;
  es.symbol = "ESH1";
  es.kind = InstrumentKind::kDatedFuture;
  es.price_scale = 2;
  es.qty_scale = 0;
  es.tick_size = Price(25);
  es.contract_multiplier_e8 = 50 * 100'000'000LL;
  es.expiry = Timestamp(1'616'160'600'000'000'000);
  (void)t.Add(es);
  for (const char* stock : {"MSFT", "SPOT"}) {
    Instrument in;
    in.symbol = stock;
    in.price_scale = 4;
    in.qty_scale = 0;
    (void)t.Add(in);
  }
  return t;
}

// Every event of `source` until its end, or its error.
inline absl::StatusOr<std::vector<Event>> ReadAll(EventSource& source) {
  std::vector<Event> out;
  while (true) {
    absl::StatusOr<std::span<const Event>> batch = source.NextBatch();
    if (!batch.ok()) return batch.status();
    if (batch->empty()) return out;
    out.insert(out.end(), batch->begin(), batch->end());
  }
}

// A DBN v3 file of `records` for instrument id 5482 named ESH1 on 2020-12-28.
inline std::string WriteEsDbn(const std::string& path,
                              const std::vector<std::vector<uint8_t>>& records, int zstd_level = 0,
                              uint16_t schema = 0) {
  replay::DbnMetadataSpec meta;
  meta.schema = schema;
  meta.start = 1'609'113'600'000'000'000;
  meta.symbols.push_back({"ESH1", 5482, 20201228, 20201229});
  auto w = replay::DbnWriter::Create(path, meta, zstd_level);
  EXPECT_THAT(w, IsOk());
  if (!w.ok()) return path;
  for (const auto& r : records) EXPECT_THAT((*w)->Append(r), IsOk());
  EXPECT_THAT((*w)->Finish(), IsOk());
  return path;
}

template <size_t N>
std::vector<uint8_t> Bytes(const std::array<uint8_t, N>& a) {
  return std::vector<uint8_t>(a.begin(), a.end());
}

}  // namespace tapedeck::testing

#endif  // TAPEDECK_TESTS_REPLAY_DBN_TEST_UTIL_H_
