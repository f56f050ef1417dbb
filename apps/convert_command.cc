// `tapedeck convert IN... --out X.tape`: reads any supported inputs, merges them in the total
// order of core/event_order.h and writes one tape.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "runner/command_line.h"
#include "apps/commands.h"
#include "core/merger.h"
#include "core/status.h"
#include "replay/binance_capture_instruments.h"
#include "replay/source_factory.h"
#include "runner/instruments.h"
#include "replay/tape.h"

namespace tapedeck::apps {
namespace {

constexpr const char* kConvertHelp =
    "usage: tapedeck convert IN... --out X.tape [--format F] [--instrument SYMBOL]\n"
    "                        [--instruments FILE.json] [--quiet]\n"
    "\n"
    "Reads every input (plain or gzip; the format is detected from the content unless --format\n"
    "names it), merges several inputs into one stream in tapedeck's total order (exchange time,\n"
    "then kind rank, then input position, then record position) and writes a tape: tapedeck's\n"
    "binary, checksummed, memory-mapped event file. The tape is written to a temporary name and\n"
    "renamed when complete.\n"
    "\n"
    "Instruments (each tape carries its instrument table):\n"
    "  --instruments FILE.json  a JSON array of instruments, or a run config with \"instruments\",\n"
    "                           each entry as in a run config: {\"symbol\", \"kind\", \"base\",\n"
    "                           \"quote\", \"price_scale\", \"qty_scale\", \"tick_size\", ...}\n"
    "  without it: tapes bring their own; a Binance websocket capture gets per-symbol defaults\n"
    "  whose scales are the most decimals its prices and quantities carry; other formats need\n"
    "  --instruments.\n"
    "  --instrument SYMBOL      the instrument of inputs whose rows name none (klines, CSVs);\n"
    "                           defaults to the only instrument when there is exactly one\n"
    "  --format F               the format of every input (see the list below)\n"
    "  --quiet                  no progress on stderr\n"
    "\n"
    "Prints progress to stderr on long inputs, then one line: events, bytes written, seconds,\n"
    "events/s and MB/s of input (file bytes as stored). Exit codes: 0 ok, 1 bad input, 2 bad\n"
    "command line.\n";

void PrintFormats(std::FILE* out) {
  std::fprintf(out, "\nformats:\n");
  for (const replay::FormatInfo& f : replay::Formats()) {
    std::fprintf(out, "  %-22.*s %.*s\n", static_cast<int>(f.name.size()), f.name.data(),
                 static_cast<int>(f.description.size()), f.description.data());
  }
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "tapedeck convert: %s\n", std::string(s.message()).c_str());
  return kExitFailure;
}

}  // namespace

int ConvertMain(int argc, char** argv) {
  std::vector<std::string> inputs;
  std::string out, format, instrument, instruments_file;
  bool quiet = false;
  CommandLine cli("convert", kConvertHelp, [] { PrintFormats(stdout); });
  cli.Value("--out", &out)
      .Value("--format", &format)
      .Value("--instrument", &instrument)
      .Value("--instruments", &instruments_file)
      .Flag("--quiet", &quiet)
      .Positionals(&inputs);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (inputs.empty()) return cli.Fail("no input files");
  if (out.empty()) return cli.Fail("--out X.tape is required");

  const auto start = std::chrono::steady_clock::now();
  std::vector<replay::SourceSpec> specs;
  uint64_t input_bytes = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    replay::SourceSpec spec;
    spec.path = inputs[i];
    spec.format = format;
    spec.instrument = instrument;
    spec.where = absl::StrCat("input ", i + 1, " (", inputs[i], ")");
    struct stat st;
    if (::stat(inputs[i].c_str(), &st) != 0) {
      return Fail(absl::NotFoundError(absl::StrCat(inputs[i], ": cannot open")));
    }
    input_bytes += static_cast<uint64_t>(st.st_size);
    specs.push_back(std::move(spec));
  }

  runner::InstrumentMerger instruments;
  if (!instruments_file.empty()) {
    absl::StatusOr<std::vector<Instrument>> file = runner::LoadInstrumentsFile(instruments_file);
    if (!file.ok()) return Fail(file.status());
    if (absl::Status s = instruments.Add(instruments_file, std::move(*file)); !s.ok()) return Fail(s);
  } else {
    for (const replay::SourceSpec& spec : specs) {
      absl::StatusOr<std::vector<Instrument>> own = replay::SourceInstruments(spec);
      if (!own.ok()) return Fail(own.status());
      if (own->empty()) {
        own = replay::BinanceCaptureInstruments(spec.path);
        if (!own.ok()) return Fail(own.status());
      }
      if (absl::Status s = instruments.Add(spec.where, std::move(*own)); !s.ok()) {
        return Fail(absl::Status(s.code(), absl::StrCat(s.message(), "; pass --instruments FILE.json")));
      }
    }
    if (instruments.table().size() == 0) {
      return Fail(absl::InvalidArgumentError(
          "the inputs define no instruments; pass --instruments FILE.json (a tape records the "
          "scales of its instruments)"));
    }
  }
  const InstrumentTable table = instruments.Take();
  if (instrument.empty() && table.size() == 1) {
    for (replay::SourceSpec& spec : specs) spec.instrument = table.all().front().symbol;
  }

  std::vector<std::unique_ptr<EventSource>> sources;
  for (const replay::SourceSpec& spec : specs) {
    absl::StatusOr<std::unique_ptr<EventSource>> s = replay::OpenSource(spec, table);
    if (!s.ok()) return Fail(s.status());
    sources.push_back(std::move(*s));
  }
  Merger merger(std::move(sources));
  if (absl::Status s = merger.Init(); !s.ok()) return Fail(s);
  absl::StatusOr<std::unique_ptr<replay::TapeWriter>> writer =
      replay::TapeWriter::Create(out, table.all());
  if (!writer.ok()) return Fail(writer.status());

  std::vector<Event> batch;
  batch.reserve(4096);
  Event e;
  auto last_report = start;
  uint64_t count = 0;
  while (merger.Next(&e)) {
    batch.push_back(e);
    if (batch.size() == batch.capacity()) {
      if (absl::Status s = (*writer)->Append(batch); !s.ok()) return Fail(s);
      count += batch.size();
      batch.clear();
      if (!quiet && count % (1u << 20) == 0) {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_report >= std::chrono::seconds(1)) {
          last_report = now;
          const double secs = std::chrono::duration<double>(now - start).count();
          std::fprintf(stderr, "convert: %llu events, %.1f M events/s\n",
                       static_cast<unsigned long long>(count), static_cast<double>(count) / secs / 1e6);
        }
      }
    }
  }
  if (!merger.status().ok()) return Fail(merger.status());
  if (absl::Status s = (*writer)->Append(batch); !s.ok()) return Fail(s);
  count += batch.size();
  if (absl::Status s = (*writer)->Finish(); !s.ok()) return Fail(s);
  struct stat written;
  const uint64_t bytes =
      ::stat(out.c_str(), &written) == 0 ? static_cast<uint64_t>(written.st_size) : 0;
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("convert: wrote %s: %llu events, %llu bytes, %.3f s, %.0f events/s, %.1f MB/s of input "
              "(%llu bytes in %zu file%s)\n",
              out.c_str(), static_cast<unsigned long long>(count),
              static_cast<unsigned long long>(bytes), secs,
              secs > 0 ? static_cast<double>(count) / secs : 0.0,
              secs > 0 ? static_cast<double>(input_bytes) / secs / 1e6 : 0.0,
              static_cast<unsigned long long>(input_bytes), inputs.size(),
              inputs.size() == 1 ? "" : "s");
  return kExitOk;
}

}  // namespace tapedeck::apps
