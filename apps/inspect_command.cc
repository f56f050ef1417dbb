// `tapedeck inspect X.tape`: the header, the instruments, counts by kind, the time span and the
// first and last events of a tape, after verifying its checksums.
#include <cinttypes>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "apps/commands.h"
#include "core/config.h"
#include "core/decimal.h"
#include "replay/tape.h"

namespace tapedeck::apps {
namespace {

constexpr const char* kInspectHelp =
    "usage: tapedeck inspect X.tape [--events N] [--no-verify]\n"
    "\n"
    "Verifies the tape's checksums, then prints its header (format version, sizes, checksums),\n"
    "its instrument table with scales, the record count, the count of events of each kind, the\n"
    "time span (UTC, exchange and local time), and the first and last N events (default 5), one\n"
    "per line with prices and quantities at their instrument's scale.\n"
    "\n"
    "  X.tape        a tape written by `tapedeck convert` or `tapedeck gen`\n"
    "  --events N    how many events to print at each end (default 5; 0: none)\n"
    "  --no-verify   skip the record checksum pass (header and size checks still run)\n"
    "\n"
    "A truncated or corrupted tape is an error naming the byte offset. Exit codes: 0 ok, 1 bad\n"
    "or corrupted tape, 2 bad command line.\n";

std::string Dec(int64_t raw, int scale) { return FormatDecimal(raw, scale); }

std::string Describe(const Event& e, const std::vector<Instrument>& instruments) {
  int ps = 0, qs = 0;
  std::string symbol = absl::StrCat("#", e.instrument.value);
  if (e.instrument.value < instruments.size()) {
    const Instrument& in = instruments[e.instrument.value];
    ps = in.price_scale;
    qs = in.qty_scale;
    symbol = in.symbol;
  }
  std::string out = absl::StrCat(FormatTimestamp(e.exchange_time()), " local ",
                                 FormatTimestamp(e.local_time()), " src ", e.source, " ", symbol,
                                 " ", std::string(EventKindName(e.kind)));
  switch (e.kind) {
    case EventKind::kTrade:
    case EventKind::kLiquidation:
      absl::StrAppend(&out, " ", SideName(e.trade.aggressor), " ", Dec(e.trade.qty.raw, qs), " @ ",
                      Dec(e.trade.price.raw, ps), " id ", e.trade.trade_id);
      break;
    case EventKind::kQuote:
      absl::StrAppend(&out, " bid ", Dec(e.quote.bid_qty.raw, qs), " @ ", Dec(e.quote.bid.raw, ps),
                      " ask ", Dec(e.quote.ask_qty.raw, qs), " @ ", Dec(e.quote.ask.raw, ps),
                      " u ", e.quote.update_id);
      break;
    case EventKind::kBookLevel:
      absl::StrAppend(&out, " ", e.level.side == Side::kBuy ? "bid" : "ask", " ",
                      Dec(e.level.price.raw, ps), " = ", Dec(e.level.qty.raw, qs), " u ",
                      e.level.update_id,
                      (e.level.flags & kBookSnapshotBegin) != 0 ? " snapshot-begin" : "",
                      (e.level.flags & kBookEndOfMessage) != 0 ? " end-of-message" : "");
      break;
    case EventKind::kFundingRate:
      absl::StrAppend(&out, " rate ", Dec(e.funding.rate.raw, Rate::kScale), " paid ",
                      FormatTimestamp(e.funding.funding_ts));
      break;
    case EventKind::kMarkPrice:
    case EventKind::kIndexPrice:
      absl::StrAppend(&out, " ", Dec(e.price.price.raw, ps));
      break;
    case EventKind::kOpenInterest:
      absl::StrAppend(&out, " ", Dec(e.open_interest.qty.raw, qs));
      break;
    case EventKind::kBar:
      absl::StrAppend(&out, " o ", Dec(e.bar.open.raw, ps), " h ", Dec(e.bar.high.raw, ps), " l ",
                      Dec(e.bar.low.raw, ps), " c ", Dec(e.bar.close.raw, ps), " v ",
                      Dec(e.bar.volume.raw, qs));
      break;
    case EventKind::kL3Order:
      absl::StrAppend(&out, " ", std::string(L3ActionName(e.l3.action)), " order ", e.l3.order_id,
                      " ", e.l3.side == Side::kBuy ? "bid" : "ask", " ", Dec(e.l3.qty.raw, qs),
                      " @ ", Dec(e.l3.price.raw, ps), " record ", e.l3.record,
                      (e.l3.flags & kBookInferred) != 0 ? " inferred" : "",
                      (e.l3.flags & kBookSnapshotBegin) != 0 ? " snapshot-begin" : "");
      break;
    default: {
      // Kinds without a market-data payload here: the raw payload words.
      const auto* words = reinterpret_cast<const unsigned char*>(&e) + 24;
      absl::StrAppend(&out, " payload");
      for (int w = 0; w < 5; ++w) {
        uint64_t v = 0;
        for (int b = 7; b >= 0; --b) v = (v << 8) | words[w * 8 + b];
        absl::StrAppend(&out, absl::StrFormat(" %016x", v));
      }
      break;
    }
  }
  return out;
}

}  // namespace

int InspectMain(int argc, char** argv) {
  std::vector<std::string> paths;
  std::optional<uint64_t> events;
  bool no_verify = false;
  CommandLine cli("inspect", kInspectHelp);
  cli.Count("--events", &events).Flag("--no-verify", &no_verify).Positionals(&paths);
  if (int rc = cli.Parse(argc, argv); rc >= 0) return rc;
  if (paths.empty()) return cli.Fail("no tape given");
  if (paths.size() > 1) return cli.Fail("one tape at a time");
  const std::string& path = paths[0];
  const int64_t n_events = static_cast<int64_t>(events.value_or(5));
  replay::TapeOpenOptions options;
  options.verify = !no_verify;

  absl::StatusOr<std::unique_ptr<replay::Tape>> tape = replay::Tape::Open(path, options);
  if (!tape.ok()) {
    std::fprintf(stderr, "tapedeck inspect: %s\n", std::string(tape.status().message()).c_str());
    return kExitFailure;
  }
  const replay::TapeHeader& h = (*tape)->header();
  const std::span<const Event> records = (*tape)->records();
  std::printf("tape %s\n", path.c_str());
  std::printf("  format version %u, flags 0x%x, header %u bytes, record %zu bytes, file %" PRIu64
              " bytes\n",
              h.version, h.flags, h.header_size, sizeof(Event), h.file_size());
  std::printf("  header checksum %016" PRIx64 ", records checksum %016" PRIx64 " (%s)\n",
              h.header_checksum, h.records_checksum, options.verify ? "verified" : "not verified");
  std::printf("instruments: %zu\n", h.instruments.size());
  for (const Instrument& in : h.instruments) {
    std::printf("  [%u] %s %s base %s quote %s price_scale %d qty_scale %d tick %s lot %s "
                "multiplier %s maker_fee %s taker_fee %s%s\n",
                in.id.value, in.symbol.c_str(), std::string(InstrumentKindName(in.kind)).c_str(),
                in.base.empty() ? "-" : in.base.c_str(), in.quote.empty() ? "-" : in.quote.c_str(),
                in.price_scale, in.qty_scale, Dec(in.tick_size.raw, in.price_scale).c_str(),
                Dec(in.lot_size.raw, in.qty_scale).c_str(), Dec(in.contract_multiplier_e8, 8).c_str(),
                Dec(in.maker_fee.raw, Rate::kScale).c_str(), Dec(in.taker_fee.raw, Rate::kScale).c_str(),
                in.expiry.ns != 0 ? absl::StrCat(" expiry ", FormatTimestamp(in.expiry)).c_str() : "");
  }
  std::printf("records: %" PRIu64 "\n", h.record_count);
  if (h.record_count > 0) {
    std::printf("time span (exchange): %s .. %s (%s s)\n",
                FormatTimestamp(Timestamp(h.first_exchange_ts)).c_str(),
                FormatTimestamp(Timestamp(h.last_exchange_ts)).c_str(),
                FormatDecimal(h.last_exchange_ts - h.first_exchange_ts, 9).c_str());
    std::printf("time span (local):    %s .. %s\n", FormatTimestamp(Timestamp(h.min_local_ts)).c_str(),
                FormatTimestamp(Timestamp(h.max_local_ts)).c_str());
  }
  std::vector<uint64_t> counts(256, 0);
  for (size_t i = 0; i < records.size(); ++i) {
    ++counts[static_cast<uint8_t>(records[i].kind)];
    if (i % 65536 == 0) (*tape)->ReleaseBefore(i);  // resident memory stays flat on big tapes
  }
  std::printf("events by kind:\n");
  for (size_t k = 0; k < counts.size(); ++k) {
    if (counts[k] == 0) continue;
    std::printf("  %-14s %" PRIu64 "\n", std::string(EventKindName(static_cast<EventKind>(k))).c_str(),
                counts[k]);
  }
  const uint64_t n = static_cast<uint64_t>(n_events);
  const uint64_t total = records.size();
  if (n > 0 && total > 0) {
    const uint64_t head = std::min(n, total);
    std::printf("first %" PRIu64 " events:\n", head);
    for (uint64_t i = 0; i < head; ++i) {
      std::printf("  %s\n", Describe(records[i], h.instruments).c_str());
    }
    const uint64_t tail_begin = total > n ? total - n : 0;
    std::printf("last %" PRIu64 " events:\n", total - tail_begin);
    for (uint64_t i = tail_begin; i < total; ++i) {
      std::printf("  %s\n", Describe(records[i], h.instruments).c_str());
    }
  }
  return kExitOk;
}

}  // namespace tapedeck::apps
