// TapeSource: a tape as an EventSource for runs and convert (replay/tape.h).
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/status.h"
#include "replay/tape.h"
#include "replay/tape_records.h"

namespace tapedeck::replay {

absl::StatusOr<std::vector<uint16_t>> MapTapeInstruments(const std::string& path,
                                                         const std::vector<Instrument>& tape,
                                                         const InstrumentTable& run) {
  std::vector<uint16_t> map;
  if (run.size() == 0) return map;
  bool identity = true;
  for (const Instrument& in : tape) {
    absl::StatusOr<InstrumentId> id = run.Find(in.symbol);
    if (!id.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": the tape carries instrument '", in.symbol,
                       "', which the run's instruments do not name: ", id.status().message()));
    }
    const Instrument& mine = run.at(*id);
    if (mine.price_scale != in.price_scale || mine.qty_scale != in.qty_scale) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": instrument '", in.symbol, "': the tape has price_scale ", in.price_scale,
          " and qty_scale ", in.qty_scale, ", the run's instruments say price_scale ",
          mine.price_scale, " and qty_scale ", mine.qty_scale));
    }
    identity = identity && id->value == in.id.value;
    map.push_back(id->value);
  }
  if (identity) map.clear();
  return map;
}

// --- TapeSource -------------------------------------------------------------------------------

TapeSource::TapeSource(std::unique_ptr<Tape> tape, std::vector<uint16_t> instrument_map)
    : tape_(std::move(tape)),
      map_(std::move(instrument_map)),
      checker_(tape_->header().instruments.size()) {}

absl::StatusOr<std::span<const Event>> TapeSource::NextBatch() {
  const std::span<const Event> all = tape_->records();
  // The previous batch is no longer in use (the span is valid until this call).
  tape_->ReleaseBefore(pos_);
  const size_t n = static_cast<size_t>(std::min<uint64_t>(kBatchRecords, all.size() - pos_));
  std::span<const Event> batch = all.subspan(static_cast<size_t>(pos_), n);
  // Unverified (options.verify = false skips the checksum pass on open): each record is checked
  // here instead, so that no record outside its bounds (replay/tape_records.h) or out of time
  // order goes downstream. One branch-free pass over records that are about to be read anyway.
  if (!tape_->verified()) TAPEDECK_RETURN_IF_ERROR(tape_->CheckRecords(checker_, pos_, n));
  if (!map_.empty() && n > 0) {
    remapped_.assign(batch.begin(), batch.end());
    // Every id is inside the tape's table (checked), which the map covers.
    for (Event& e : remapped_) e.instrument = InstrumentId(map_[e.instrument.value]);
    batch = std::span<const Event>(remapped_.data(), n);
  }
  pos_ += n;
  return batch;
}

std::string TapeSource::Describe() const { return tape_->path(); }

int64_t TapeSource::SizeHint() const { return static_cast<int64_t>(tape_->header().record_count); }

int64_t TapeSource::InputBytesRead() const {
  return static_cast<int64_t>(tape_->header().header_size + pos_ * sizeof(Event));
}

absl::StatusOr<std::unique_ptr<EventSource>> OpenTapeSource(const SourceSpec& spec,
                                                            const InstrumentTable& instruments) {
  TapeOpenOptions options;
  if (!spec.options.is_null()) {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject o,
                              ConfigObject::Of(&spec.options, spec.where + ".options"));
    TAPEDECK_RETURN_IF_ERROR(o.Bool("verify", &options.verify));
    TAPEDECK_RETURN_IF_ERROR(o.Finish());
  }
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<Tape> tape, Tape::Open(spec.path, options));
  const std::vector<Instrument>& carried = tape->header().instruments;
  if (!spec.instrument.empty()) {
    bool found = false;
    for (const Instrument& in : carried) found = found || in.symbol == spec.instrument;
    if (!found) {
      return absl::InvalidArgumentError(absl::StrCat(spec.path, ": ", spec.where,
                                                     ".instrument: the tape carries no '",
                                                     spec.instrument, "'"));
    }
  }
  TAPEDECK_ASSIGN_OR_RETURN(std::vector<uint16_t> map,
                            MapTapeInstruments(spec.path, carried, instruments));
  return std::unique_ptr<EventSource>(new TapeSource(std::move(tape), std::move(map)));
}

bool DetectTapeHead(const std::vector<std::string>& head) {
  return !head.empty() && HasTapeMagic(head.front());
}

absl::StatusOr<std::vector<Instrument>> TapeSourceInstruments(const SourceSpec& spec) {
  return ReadTapeInstruments(spec.path);
}

}  // namespace tapedeck::replay
