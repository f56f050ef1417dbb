#include "runner/convert.h"

#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/merger.h"
#include "core/status.h"
#include "replay/binance_capture_instruments.h"
#include "replay/source_factory.h"
#include "replay/tape.h"
#include "runner/instruments.h"

namespace tapedeck::runner {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The instruments of the tape: the file's, else the inputs' own or inferred ones.
absl::StatusOr<InstrumentTable> TapeInstruments(const ConvertOptions& options,
                                                const std::vector<replay::SourceSpec>& specs) {
  InstrumentMerger merger;
  if (!options.instruments_file.empty()) {
    TAPEDECK_ASSIGN_OR_RETURN(std::vector<Instrument> file,
                              LoadInstrumentsFile(options.instruments_file));
    TAPEDECK_RETURN_IF_ERROR(merger.Add(options.instruments_file, std::move(file)));
    return merger.Take();
  }
  for (const replay::SourceSpec& spec : specs) {
    TAPEDECK_ASSIGN_OR_RETURN(std::vector<Instrument> own, replay::SourceInstruments(spec));
    if (own.empty()) {
      TAPEDECK_ASSIGN_OR_RETURN(own, replay::BinanceCaptureInstruments(spec.path));
    }
    if (absl::Status s = merger.Add(spec.where, std::move(own)); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat(s.message(), "; pass --instruments FILE.json"));
    }
  }
  if (merger.table().size() == 0) {
    return absl::InvalidArgumentError(
        "the inputs define no instruments; pass --instruments FILE.json (a tape records the "
        "scales of its instruments)");
  }
  return merger.Take();
}

// Merges `sources` into `writer`, 4096 events at a time, reporting progress after each batch.
absl::StatusOr<uint64_t> Copy(Merger& merger, replay::TapeWriter& writer,
                              const ConvertOptions& options, uint64_t bytes_total) {
  std::vector<Event> batch;
  batch.reserve(4096);
  Event e;
  ConvertProgress p;
  p.bytes_total = bytes_total;
  while (merger.Next(&e)) {
    batch.push_back(e);
    if (batch.size() < batch.capacity()) continue;
    TAPEDECK_RETURN_IF_ERROR(writer.Append(batch));
    p.events += batch.size();
    batch.clear();
    if (options.progress) {
      p.bytes_read = merger.InputBytesRead();
      options.progress(p);
    }
  }
  TAPEDECK_RETURN_IF_ERROR(merger.status());
  TAPEDECK_RETURN_IF_ERROR(writer.Append(batch));
  return p.events + batch.size();
}

}  // namespace

absl::StatusOr<ConvertStats> ConvertToTape(const ConvertOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ConvertStats stats;
  std::vector<replay::SourceSpec> specs;
  for (size_t i = 0; i < options.inputs.size(); ++i) {
    replay::SourceSpec spec;
    spec.path = options.inputs[i];
    spec.format = options.format;
    spec.instrument = options.instrument;
    spec.where = absl::StrCat("input ", i + 1, " (", options.inputs[i], ")");
    struct stat st;
    if (::stat(spec.path.c_str(), &st) != 0) {
      return absl::NotFoundError(absl::StrCat(spec.path, ": cannot open"));
    }
    stats.input_bytes += static_cast<uint64_t>(st.st_size);
    specs.push_back(std::move(spec));
  }
  TAPEDECK_ASSIGN_OR_RETURN(const InstrumentTable table, TapeInstruments(options, specs));
  if (options.instrument.empty() && table.size() == 1) {
    for (replay::SourceSpec& spec : specs) spec.instrument = table.all().front().symbol;
  }
  std::vector<std::unique_ptr<EventSource>> sources;
  for (const replay::SourceSpec& spec : specs) {
    TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<EventSource> s, replay::OpenSource(spec, table));
    sources.push_back(std::move(s));
  }
  Merger merger(std::move(sources));
  TAPEDECK_RETURN_IF_ERROR(merger.Init());
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<replay::TapeWriter> writer,
                            replay::TapeWriter::Create(options.out, table.all()));
  TAPEDECK_ASSIGN_OR_RETURN(stats.events, Copy(merger, *writer, options, stats.input_bytes));
  TAPEDECK_RETURN_IF_ERROR(writer->Finish());
  struct stat written;
  if (::stat(options.out.c_str(), &written) == 0) {
    stats.tape_bytes = static_cast<uint64_t>(written.st_size);
  }
  stats.seconds = SecondsSince(start);
  return stats;
}

}  // namespace tapedeck::runner
