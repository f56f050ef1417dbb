// `tapedeck convert IN... --out X.tape`: reads any supported inputs, merges them in the total
// order of core/event_order.h and writes one tape (runner/convert.h).
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "apps/commands.h"
#include "replay/source_factory.h"
#include "runner/convert.h"
#include "runner/progress.h"

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
    "Shows a progress line on stderr when it is a terminal (bytes read of the inputs' total,\n"
    "%, MB/s, elapsed, ETA), then prints one line: events, bytes written, seconds,\n"
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
  runner::ConvertOptions options;
  bool quiet = false;
  CommandLine cli("convert", kConvertHelp, PrintFormats);
  cli.Value("--out", &options.out)
      .Value("--format", &options.format)
      .Value("--instrument", &options.instrument)
      .Value("--instruments", &options.instruments_file)
      .Flag("--quiet", &quiet)
      .Positionals(&options.inputs);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (options.inputs.empty()) return cli.Fail("no input files");
  if (options.out.empty()) return cli.Fail("--out X.tape is required");
  // Bytes read of the inputs' total when every input can tell, else the events written.
  runner::ProgressLine bytes("convert", runner::ProgressUnit::Bytes(), !quiet);
  runner::ProgressLine events("convert", runner::ProgressUnit::Count("events"), !quiet);
  if (bytes.active()) {
    options.progress = [&](const runner::ConvertProgress& p) {
      if (p.bytes_read >= 0) {
        bytes.Update(static_cast<uint64_t>(p.bytes_read), p.bytes_total,
                     absl::StrCat(p.events, " events"));
      } else {
        events.Update(p.events, 0);
      }
    };
  }
  absl::StatusOr<runner::ConvertStats> st = runner::ConvertToTape(options);
  bytes.Clear();
  events.Clear();
  if (!st.ok()) return Fail(st.status());
  const double secs = st->seconds;
  const size_t n = options.inputs.size();
  std::printf("convert: wrote %s: %llu events, %llu bytes, %.3f s, %.0f events/s, %.1f MB/s of "
              "input (%llu bytes in %zu file%s)\n",
              options.out.c_str(), static_cast<unsigned long long>(st->events),
              static_cast<unsigned long long>(st->tape_bytes), secs,
              secs > 0 ? static_cast<double>(st->events) / secs : 0.0,
              secs > 0 ? static_cast<double>(st->input_bytes) / secs / 1e6 : 0.0,
              static_cast<unsigned long long>(st->input_bytes), n, n == 1 ? "" : "s");
  return kExitOk;
}

}  // namespace tapedeck::apps
