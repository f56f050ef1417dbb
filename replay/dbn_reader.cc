// The DBN reader's frame: opening, the record loop, instrument ids to run instruments, the
// summary. The record handlers are in dbn_mbo.cc and dbn_records.cc.
#include "replay/dbn_reader.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/status.h"
#include "replay/dbn_instruments.h"
#include "replay/dbn_reader_inl.h"

namespace tapedeck::replay {
using dbn_internal::kBatch;
using dbn_internal::kBatchMax;

const Event kZeroEvent = MakeEvent(EventKind::kTrade, InstrumentId(), Timestamp(), Timestamp());

std::string DbnStats::Summary() const {
  std::string out = absl::StrCat("records=", records, " events=", events,
                                 " definitions=", definitions, " skipped=", skipped);
  std::vector<std::string> kinds;
  for (size_t rtype = 0; rtype < skipped_by_rtype.size(); ++rtype) {
    if (skipped_by_rtype[rtype] == 0) continue;
    kinds.push_back(
        absl::StrCat(dbn::RTypeName(static_cast<uint8_t>(rtype)), " ", skipped_by_rtype[rtype]));
  }
  if (skipped_statistics > 0) kinds.push_back(absl::StrCat("statistics ", skipped_statistics));
  if (trades_without_side > 0) {
    kinds.push_back(absl::StrCat("trades without an aggressor side ", trades_without_side));
  }
  if (other_instruments > 0) {
    kinds.push_back(absl::StrCat("other instruments ", other_instruments));
  }
  if (!kinds.empty()) absl::StrAppend(&out, " (", absl::StrJoin(kinds, ", "), ")");
  absl::StrAppend(&out, " unknown_order_refs=", unknown_order_refs, " clears=", clears,
                  " snapshot_records=", snapshot_records, " ts_event_raised=", ts_event_raised,
                  " max_ts_raise_ns=", max_ts_raise_ns);
  return out;
}

absl::StatusOr<std::unique_ptr<DbnInput>> OpenDbnStream(const std::string& path,
                                                        dbn::Metadata* metadata) {
  const dbn::Content content = dbn::ClassifyFile(path);
  if (content == dbn::Content::kDbz) {
    return absl::InvalidArgumentError(absl::StrCat(
        path,
        ": a legacy DBZ file (Databento's format before DBN: metadata in a zstd skippable "
        "frame, then zstd records): not supported; convert it to DBN with Databento's dbn "
        "tool (dbn FILE.dbz --dbn --output FILE.dbn)"));
  }
  if (content == dbn::Content::kFragment || content == dbn::Content::kFragmentZstd) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": a ", std::string(dbn::ContentName(content)),
        " (DBN records without the metadata header that gives their version, schema and "
        "symbology): not supported; tapedeck reads DBN files with their metadata"));
  }
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<DbnInput> in, DbnInput::Open(path));
  if (!in->Ensure(dbn::kPreludeSize)) {
    TAPEDECK_RETURN_IF_ERROR(in->status());
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": ", in->available(), " bytes: not a DBN file (a DBN stream starts with an ",
        dbn::kPreludeSize, "-byte prelude)"));
  }
  const uint8_t* p = in->data();
  if (p[0] != 'D' || p[1] != 'B' || p[2] != 'N') {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": not a DBN file: ", in->zstd() ? "its zstd stream starts" : "it starts",
        " without the \"DBN\" magic"));
  }
  const int version = p[3];
  if (version < 1 || version > dbn::kMaxVersion) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": byte 3: DBN version ", version,
                                                   "; this reader reads versions 1 to ",
                                                   dbn::kMaxVersion));
  }
  const uint32_t length = dbn::Get<uint32_t>(p, 4);
  if (!in->Ensure(dbn::kPreludeSize + length)) {
    TAPEDECK_RETURN_IF_ERROR(in->status());
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": truncated: the metadata is ", length, " bytes from byte ", dbn::kPreludeSize,
        " but the file ends at byte ", in->offset() + in->available()));
  }
  absl::StatusOr<dbn::Metadata> m = dbn::ParseMetadata(
      std::string_view(reinterpret_cast<const char*>(in->data()) + dbn::kPreludeSize, length),
      version);
  if (!m.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", m.status().message()));
  *metadata = std::move(*m);
  in->Skip(dbn::kPreludeSize + length);
  return in;
}

absl::StatusOr<std::unique_ptr<DbnReader>> DbnReader::Open(const std::string& path,
                                                           const std::string& symbol,
                                                           const InstrumentTable& instruments,
                                                           DbnOptions options) {
  std::unique_ptr<DbnReader> r(new DbnReader());
  TAPEDECK_ASSIGN_OR_RETURN(r->input_, OpenDbnStream(path, &r->metadata_));
  r->instruments_ = instruments;
  r->forced_symbol_ = symbol;
  r->options_ = std::move(options);
  r->book_owner_.assign(instruments.size(), UINT32_MAX);
  for (size_t rtype = 0; rtype < r->expected_len_.size(); ++rtype) {
    const size_t size = dbn::RecordSize(static_cast<uint8_t>(rtype), r->metadata_.version);
    if (size != 0)
      r->expected_len_[rtype] = static_cast<uint16_t>(size + (r->metadata_.ts_out ? 8 : 0));
  }
  // Names of instrument ids: the metadata's symbology (when it maps to instrument ids) and the
  // definitions of options.definitions.
  if (r->metadata_.stype_out == dbn::kSTypeInstrumentId) {
    for (const dbn::SymbolMapping& m : r->metadata_.mappings) {
      for (const dbn::MappingInterval& iv : m.intervals) {
        uint32_t id = 0;
        if (!absl::SimpleAtoi(iv.symbol, &id)) continue;
        r->metadata_symbols_[id].push_back(Named{iv.start_date, iv.end_date, m.raw_symbol});
      }
    }
  }
  if (!r->options_.definitions.empty()) {
    TAPEDECK_ASSIGN_OR_RETURN(std::vector<DbnDefinition> defs,
                              ReadDbnDefinitions(r->options_.definitions));
    for (const DbnDefinition& d : defs) r->defined_symbols_[d.instrument_id] = d.raw_symbol;
  }
  r->events_.resize(kBatchMax + 64);
  return r;
}

DbnReader::~DbnReader() = default;

void DbnReader::GrowEvents() { events_.resize(2 * events_.size()); }

absl::Status DbnReader::Error(std::string_view what) const {
  // The input still points at the record being read: it moves on only after it.
  return absl::InvalidArgumentError(
      absl::StrCat(input_->path(), ": byte ", input_->offset(), " (record ", record_index_, ", ",
                   dbn::RTypeName(input_->data()[1]), "): ", std::string(what)));
}

absl::StatusOr<std::span<const Event>> DbnReader::NextBatch() {
  n_events_ = 0;
  ++batch_;
  open_books_ = 0;
  DbnInput& in = *input_;
  absl::Status status;
  bool at_end = false;
  while (!done_) {
    if (n_events_ >= kBatch && (open_books_ == 0 || n_events_ >= kBatchMax)) break;
    if (!in.Ensure(dbn::kHeaderSize)) {
      status = in.status();
      if (status.ok() && in.available() > 0) {
        status = absl::InvalidArgumentError(absl::StrCat(
            in.path(), ": byte ", in.offset(), ": truncated: the file ends ", in.available(),
            " bytes into a record (its header alone is ", dbn::kHeaderSize, ")"));
      }
      done_ = true;
      at_end = true;
      break;
    }
    const uint8_t* r = in.data();
    const size_t len = size_t{r[0]} * 4;
    ++record_index_;
    if (len < dbn::kHeaderSize) {
      status = Error(absl::StrCat("record length ", len, " bytes (length byte ", r[0],
                                  ") is shorter than the ", dbn::kHeaderSize,
                                  "-byte header: a corrupted record"));
      break;
    }
    if (const size_t want = expected_len_[r[1]]; want != 0 && len != want) {
      status = Error(absl::StrCat("record length ", len, " bytes, but a DBN v", metadata_.version,
                                  " ", dbn::RTypeName(r[1]), " record is ", want,
                                  " bytes: a corrupted length or rtype"));
      break;
    }
    if (!in.Ensure(len)) {
      status = in.status();
      if (status.ok()) {
        status = Error(absl::StrCat("truncated: the record is ", len, " bytes but the file ends ",
                                    in.available(), " bytes into it"));
      }
      break;
    }
    r = in.data();  // Ensure may have moved the window
    const uint8_t rtype = r[1];
    if (!Record(r)) {
      status = std::move(error_);
      break;
    }
    in.Skip(len);
    // The bulk of an MBO file: the next records of the same instrument, in a tight loop.
    if (rtype == dbn::kRTypeMbo && last_slot_ != nullptr && !last_slot_->skip && !MboRun()) {
      status = std::move(error_);
      break;
    }
  }
  if (!status.ok()) {
    stats_.records = static_cast<int64_t>(record_index_);
    done_ = true;
    return status;
  }
  stats_.records = static_cast<int64_t>(record_index_);
  stats_.events += static_cast<int64_t>(n_events_);
  if (at_end) Finish();
  return std::span<const Event>(events_.data(), n_events_);
}

bool DbnReader::Record(const uint8_t* r) {
  const uint8_t rtype = r[1];
  Slot* s = last_slot_;
  // The run instrument of the record (nullptr: one outside the run, skipped).
  const auto slot = [&]() -> bool {
    if (ABSL_PREDICT_FALSE(s == nullptr ||
                           dbn::Get<uint32_t>(r, dbn::off::kInstrument) != last_id_) &&
        !SlotOf(r, &s)) {
      return false;
    }
    if (ABSL_PREDICT_FALSE(s->skip)) {
      ++stats_.other_instruments;
      ++stats_.skipped;
      s = nullptr;
    }
    return true;
  };
  switch (rtype) {
    case dbn::kRTypeMbo: return slot() && (s == nullptr || OnMbo(r, *s));
    case dbn::kRTypeMbp0:
    case dbn::kRTypeMbp1:
    case dbn::kRTypeMbp10:
    case dbn::kRTypeCmbp1: return slot() && (s == nullptr || OnMbp(r, *s, rtype));
    case dbn::kRTypeBbo1S:
    case dbn::kRTypeBbo1M:
    case dbn::kRTypeCbbo1S:
    case dbn::kRTypeCbbo1M:
    case dbn::kRTypeTcbbo: return slot() && (s == nullptr || OnBbo(r, *s, rtype));
    case dbn::kRTypeOhlcvDeprecated:
    case dbn::kRTypeOhlcv1S:
    case dbn::kRTypeOhlcv1M:
    case dbn::kRTypeOhlcv1H:
    case dbn::kRTypeOhlcv1D: {
      const int64_t interval = dbn::OhlcvInterval(rtype, metadata_.schema);
      if (interval == 0) {  // a deprecated ohlcv record in a file whose schema does not tell
        Skip(rtype);
        return true;
      }
      return slot() && (s == nullptr || OnOhlcv(r, *s, interval));
    }
    case dbn::kRTypeStatistics:
      if (!OpenInterest(r)) {
        ++stats_.skipped_statistics;
        ++stats_.skipped;
        return true;
      }
      return slot() && (s == nullptr || OnStatistics(r, *s));
    case dbn::kRTypeInstrumentDef: OnDefinition(r); return true;
    case dbn::kRTypeSymbolMapping: OnSymbolMapping(r); return true;
    default:
      Skip(rtype);  // status, imbalance, error, system, ohlcv-eod, rtypes this reader does not know
      return true;
  }
}

void DbnReader::Skip(uint8_t rtype) {
  ++stats_.skipped;
  ++stats_.skipped_by_rtype[rtype];
}

bool DbnReader::SlotOf(const uint8_t* r, Slot** s) {
  const uint32_t id = dbn::Get<uint32_t>(r, dbn::off::kInstrument);
  if (auto it = slots_.find(id); it != slots_.end()) {
    *s = it->second.get();
  } else {
    const uint64_t ts = dbn::Get<uint64_t>(r, dbn::off::kTsEvent);
    absl::StatusOr<Slot*> resolved =
        Resolve(id, static_cast<int64_t>(std::min<uint64_t>(ts, INT64_MAX)));
    if (!resolved.ok()) return Fail(resolved.status());
    *s = *resolved;
  }
  last_id_ = id;
  last_slot_ = *s;
  return true;
}

std::string DbnReader::SymbolOf(uint32_t dbn_id, int64_t ts_event) const {
  if (auto it = defined_symbols_.find(dbn_id); it != defined_symbols_.end()) return it->second;
  if (auto it = mapped_symbols_.find(dbn_id); it != mapped_symbols_.end()) return it->second;
  auto it = metadata_symbols_.find(dbn_id);
  if (it == metadata_symbols_.end()) return "";
  const std::vector<Named>& named = it->second;
  const bool one = std::all_of(named.begin(), named.end(),
                               [&](const Named& n) { return n.symbol == named.front().symbol; });
  if (one) return named.front().symbol;
  const uint32_t date = dbn::UtcDate(ts_event);
  for (const Named& n : named) {
    if (date >= n.start_date && date < n.end_date) return n.symbol;
  }
  return "";
}

absl::StatusOr<DbnReader::Slot*> DbnReader::Resolve(uint32_t dbn_id, int64_t ts_event) {
  auto slot = std::make_unique<Slot>();
  slot->dbn_id = dbn_id;
  std::string symbol;
  if (!forced_symbol_.empty()) {
    if (!slot_order_.empty()) {
      return Error(absl::StrCat("records of instrument ids ", slot_order_.front(), " and ", dbn_id,
                                ", but the source names one instrument (\"instrument\": \"",
                                forced_symbol_, "\"); leave it out to map ids by symbol"));
    }
    symbol = forced_symbol_;
  } else {
    symbol = SymbolOf(dbn_id, ts_event);
    if (symbol.empty() && instruments_.size() == 1 && slot_order_.empty()) {
      symbol = instruments_.all().front().symbol;
    }
    if (symbol.empty()) {
      return Error(absl::StrCat("instrument id ", dbn_id,
                                " has no symbol: neither the metadata's symbology, nor "
                                "definitions, nor symbol mapping records name it, and the run has ",
                                instruments_.size(),
                                " instruments; name it with the source's \"instrument\" or give "
                                "its definitions (options.definitions)"));
    }
  }
  slot->symbol = symbol;
  absl::StatusOr<InstrumentId> found = instruments_.Find(symbol);
  if (!found.ok()) {
    if (!options_.skip_other_instruments) {
      return Error(absl::StrCat("'", symbol, "' (instrument id ", dbn_id,
                                ") is not among the run's instruments: ", found.status().message(),
                                "; add it, or set options.other_instruments to \"skip\""));
    }
    slot->skip = true;
  } else {
    const Instrument& in = instruments_.at(*found);
    slot->id = *found;
    slot->price_shift = 9 - in.price_scale;
    slot->qty_unit = Pow10(in.qty_scale);
  }
  Slot* p = slot.get();
  slots_.emplace(dbn_id, std::move(slot));
  slot_order_.push_back(dbn_id);
  return p;
}

bool DbnReader::ClaimBook(Slot& s, uint16_t publisher) {
  if (s.book_publisher >= 0) {
    return Fail(Error(absl::StrCat("'", s.symbol, "' has book records from publishers ",
                                   s.book_publisher, " and ", publisher,
                                   "; tapedeck keeps one book per instrument: split the file "
                                   "by publisher")));
  }
  uint32_t& owner = book_owner_[s.id.value];
  if (owner != UINT32_MAX && owner != s.dbn_id) {
    return Fail(Error(absl::StrCat("instrument ids ", owner, " and ", s.dbn_id, " both map to '",
                                   s.symbol, "', whose book can follow one of them")));
  }
  owner = s.dbn_id;
  s.book_publisher = publisher;
  return true;
}

void DbnReader::Finish() {
  const bool note =
      stats_.skipped > 0 || stats_.ts_event_raised > 0 || stats_.unknown_order_refs > 0;
  if (note) {
    // The user's account of what the file held that the events do not: printed once.
    std::fprintf(stderr, "tapedeck: %s: DBN v%d %s: %s\n", input_->path().c_str(),
                 metadata_.version, dbn::SchemaName(metadata_.schema).c_str(),
                 stats_.Summary().c_str());
  }
}

// --- format registration ---------------------------------------------------------------------

bool DetectDbnFile(const std::string& path) {
  return dbn::ClassifyFile(path) != dbn::Content::kNotDbn;
}

absl::StatusOr<DbnOptions> ParseDbnOptions(const SourceSpec& spec) {
  DbnOptions options;
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject opts,
                            ConfigObject::Of(&spec.options, spec.where + ".options"));
  TAPEDECK_RETURN_IF_ERROR(opts.String("definitions", &options.definitions));
  TAPEDECK_RETURN_IF_ERROR(opts.Bool("check_sequence", &options.check_sequence));
  std::string unknown_side = "skip", other = "error";
  TAPEDECK_RETURN_IF_ERROR(opts.Enum("unknown_side", {"skip", "error"}, &unknown_side));
  TAPEDECK_RETURN_IF_ERROR(opts.Enum("other_instruments", {"error", "skip"}, &other));
  TAPEDECK_RETURN_IF_ERROR(opts.Finish());
  options.skip_unknown_side = unknown_side == "skip";
  options.skip_other_instruments = other == "skip";
  return options;
}

absl::StatusOr<std::unique_ptr<EventSource>> OpenDbn(const SourceSpec& spec,
                                                     const InstrumentTable& instruments) {
  TAPEDECK_ASSIGN_OR_RETURN(DbnOptions options, ParseDbnOptions(spec));
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<DbnReader> r,
                            DbnReader::Open(spec.path, spec.instrument, instruments, options));
  return std::unique_ptr<EventSource>(std::move(r));
}

}  // namespace tapedeck::replay
