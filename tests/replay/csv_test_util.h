// Helpers for the CSV reader tests: an instrument table and reading a whole source.
#ifndef TAPEDECK_TESTS_REPLAY_CSV_TEST_UTIL_H_
#define TAPEDECK_TESTS_REPLAY_CSV_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/event.h"
#include "core/instrument.h"
#include "replay/source_factory.h"

namespace tapedeck::testing {

inline Instrument MakeInstrument(const std::string& symbol, int price_scale, int qty_scale) {
  Instrument in;
  in.symbol = symbol;
  in.kind = InstrumentKind::kPerpetual;
  in.base = "BTC";
  in.quote = "USDT";
  in.price_scale = price_scale;
  in.qty_scale = qty_scale;
  return in;
}

// Opens `spec` (its format named or detected) and reads every event.
inline absl::StatusOr<std::vector<Event>> ReadAll(const replay::SourceSpec& spec,
                                                  const InstrumentTable& instruments) {
  absl::StatusOr<std::unique_ptr<EventSource>> source = replay::OpenSource(spec, instruments);
  if (!source.ok()) return source.status();
  std::vector<Event> events;
  while (true) {
    absl::StatusOr<std::span<const Event>> batch = (*source)->NextBatch();
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    events.insert(events.end(), batch->begin(), batch->end());
  }
  return events;
}

inline replay::SourceSpec Spec(const std::string& path, const std::string& format,
                               const std::string& instrument) {
  replay::SourceSpec spec;
  spec.path = path;
  spec.format = format;
  spec.instrument = instrument;
  spec.where = "sources[0]";
  return spec;
}

}  // namespace tapedeck::testing

#endif  // TAPEDECK_TESTS_REPLAY_CSV_TEST_UTIL_H_
