#include "replay/binance_ws.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/status.h"
#include "replay/binance_ws_internal.h"
#include "simdjson.h"

namespace tapedeck::replay {

using binance_ws_internal::DuplicateKey;
using binance_ws_internal::Lower;

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

std::string Upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

}  // namespace

std::string BinanceWsStats::Summary() const {
  return absl::StrCat("lines=", lines, " snapshots=", snapshots,
                      " snapshots_skipped=", snapshots_skipped, " depth_messages=", depth_messages,
                      " depth_dropped=", depth_dropped, " levels=", levels, " quotes=", quotes,
                      " trades=", trades, " reference=", reference, " liquidations=", liquidations,
                      " gaps=", gaps, first_gap.empty() ? "" : absl::StrCat(" (first: ", first_gap, ")"),
                      " inferred_ts=", inferred_ts, " clamped=", clamped,
                      " max_clamp_ns=", max_clamp_ns);
}

BinanceWsReader::~BinanceWsReader() = default;

absl::StatusOr<std::unique_ptr<BinanceWsReader>> BinanceWsReader::Open(
    const std::string& path, const std::string& symbol, const InstrumentTable& instruments,
    BinanceWsOptions options) {
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, LineReader::Open(path));
  std::unique_ptr<BinanceWsReader> r(new BinanceWsReader());
  r->lines_ = std::move(lines);
  r->parser_ = std::make_unique<simdjson::dom::parser>();
  r->instruments_ = &instruments;
  r->options_ = options;
  r->symbol_ = symbol;
  r->window_ns_ = options.reorder_window.ns;
  if (!symbol.empty()) TAPEDECK_RETURN_IF_ERROR(r->ResolveInstrument(""));
  return r;
}

absl::Status BinanceWsReader::ResolveInstrument(std::string_view file_symbol) {
  if (instrument_.has_value()) return absl::OkStatus();
  if (!symbol_.empty()) {
    absl::StatusOr<InstrumentId> id = instruments_->Find(symbol_);
    if (!id.ok()) return absl::InvalidArgumentError(absl::StrCat(lines_->path(), ": instrument: ",
                                                                 id.status().message()));
    instrument_ = *id;
  } else if (!file_symbol.empty() && instruments_->Find(Upper(file_symbol)).ok()) {
    instrument_ = *instruments_->Find(Upper(file_symbol));
  } else if (instruments_->size() == 1) {
    instrument_ = InstrumentId(0);
  } else {
    return lines_->Error("instrument",
                         absl::StrCat("cannot tell the instrument of symbol '",
                                      std::string(file_symbol),
                                      "'; name it with \"instrument\" in the source"));
  }
  const Instrument& inst = instruments_->at(*instrument_);
  price_scale_ = inst.price_scale;
  qty_scale_ = inst.qty_scale;
  book_.emplace(inst.tick_size);
  return absl::OkStatus();
}

int64_t BinanceWsReader::SeenTs(int64_t exchange_ts) {
  if (max_seen_ts_ == INT64_MIN) {
    max_seen_ts_ = exchange_ts;
    for (Event& e : untimed_) {
      e.exchange_ts = exchange_ts;
      Emit(e);
    }
    untimed_.clear();
  }
  max_seen_ts_ = std::max(max_seen_ts_, exchange_ts);
  return exchange_ts;
}

int64_t BinanceWsReader::InferTs() {
  ++stats_.inferred_ts;
  return max_seen_ts_;
}

void BinanceWsReader::Emit(const Event& in) {
  Event e = in;
  if (e.exchange_ts == INT64_MIN) {  // no exchange time seen yet: wait for the first
    untimed_.push_back(e);
    return;
  }
  // Insert after every event with a time <= e's (stable), but never move a book level before
  // an earlier book level: the book must be rebuilt in file order.
  size_t pos = window_.size();
  const bool level = e.kind == EventKind::kBookLevel;
  while (pos > 0 && window_[pos - 1].exchange_ts > e.exchange_ts) {
    if (level && window_[pos - 1].kind == EventKind::kBookLevel) break;
    --pos;
  }
  int64_t floor = last_released_ts_;
  if (pos > 0) floor = std::max(floor, window_[pos - 1].exchange_ts);
  if (e.exchange_ts < floor) {
    ++stats_.clamped;
    stats_.max_clamp_ns = std::max(stats_.max_clamp_ns, floor - e.exchange_ts);
    e.exchange_ts = floor;
  }
  if (pos == window_.size()) {
    window_.push_back(e);
  } else {
    window_.insert(window_.begin() + static_cast<std::ptrdiff_t>(pos), e);
  }
}

void BinanceWsReader::Release(std::vector<Event>* out, bool all) {
  while (!window_.empty() &&
         (all || window_.front().exchange_ts < max_seen_ts_ - window_ns_)) {
    last_released_ts_ = window_.front().exchange_ts;
    out->push_back(window_.front());
    window_.pop_front();
  }
}

absl::Status BinanceWsReader::ReadMore(std::vector<Event>* out) {
  std::string_view line;
  // A few lines per call keep the batch loop cheap while bounding the events buffered.
  for (int i = 0; i < 64; ++i) {
    if (!lines_->Next(&line)) {
      TAPEDECK_RETURN_IF_ERROR(lines_->status());
      TAPEDECK_RETURN_IF_ERROR(Finalize());
      Release(out, /*all=*/true);
      Finish();
      return absl::OkStatus();
    }
    ++stats_.lines;
    if (line.empty()) continue;
    TAPEDECK_RETURN_IF_ERROR(ProcessLine(line));
  }
  Release(out, /*all=*/false);
  return absl::OkStatus();
}

absl::Status BinanceWsReader::Finalize() {
  if (finished_) return absl::OkStatus();
  finished_ = true;
  if (!held_.empty()) {
    if (!synced_ && stats_.snapshots == 0 && options_.gaps == BinanceWsOptions::Gaps::kFail) {
      return absl::InvalidArgumentError(absl::StrCat(
          lines_->path(), ":", held_.front().line, ": no REST snapshot line in the file: ",
          held_.size(), " depth updates have no book to apply to"));
    }
    stats_.depth_dropped += static_cast<int64_t>(held_.size());
    held_.clear();
    held_events_.clear();
  }
  // Records without an exchange time in a file with none at all: nothing to anchor them to.
  if (!untimed_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(lines_->path(), ": no record carries an exchange time (E or T)"));
  }
  return absl::OkStatus();
}

absl::Status BinanceWsReader::ProcessLine(std::string_view line) {
  const size_t space = line.find(' ');
  int64_t local_ts = 0;
  if (space == std::string_view::npos || !TryParseInt(line.substr(0, space), &local_ts)) {
    return lines_->Error("", "expected `<local receive time in ns> <JSON>`");
  }
  const std::string_view json = line.substr(space + 1);
  padded_.resize(json.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(padded_.data(), json.data(), json.size());
  element doc;
  if (auto err = parser_->parse(padded_.data(), json.size(), false).get(doc); err) {
    return lines_->Error("", absl::StrCat("malformed JSON: ", simdjson::error_message(err)));
  }
  object root;
  if (doc.get(root) != simdjson::SUCCESS) return lines_->Error("", "malformed JSON: not an object");
  std::string_view dup;
  if (DuplicateKey(root, &dup)) {
    return lines_->Error(std::string(dup), "the key appears twice in the message");
  }
  element stream_el;
  if (root["stream"].get(stream_el) != simdjson::SUCCESS) {
    if (root["lastUpdateId"].error() == simdjson::SUCCESS) return OnSnapshot(doc, local_ts);
    return lines_->Error("", "neither a combined-stream message (\"stream\") nor a depth snapshot "
                             "(\"lastUpdateId\")");
  }
  std::string_view stream;
  if (stream_el.get(stream) != simdjson::SUCCESS) return lines_->Error("stream", "not a string");
  element data;
  if (root["data"].get(data) != simdjson::SUCCESS || !data.is_object()) {
    return lines_->Error("data", "missing or not an object");
  }
  if (DuplicateKey(data.get_object().value_unsafe(), &dup)) {
    return lines_->Error(absl::StrCat("data.", std::string(dup)), "the key appears twice in the message");
  }
  const size_t at = stream.find('@');
  if (at == std::string_view::npos) {
    return lines_->Error("stream", absl::StrCat("unknown stream '", std::string(stream), "'"));
  }
  const std::string_view sym = stream.substr(0, at);
  const std::string_view kind = stream.substr(at + 1);
  if (file_symbol_.empty()) {
    file_symbol_ = Lower(sym);
  } else if (Lower(sym) != file_symbol_) {
    return lines_->Error("stream", absl::StrCat("'", std::string(stream), "' is for another symbol than ",
                                                file_symbol_, " (one capture file, one symbol)"));
  }
  TAPEDECK_RETURN_IF_ERROR(ResolveInstrument(sym));

  std::string_view e_type;
  const bool has_e = data["e"].get(e_type) == simdjson::SUCCESS;
  auto expect = [&](std::string_view want) -> absl::Status {
    if (has_e && e_type != want) {
      return lines_->Error("data.e", absl::StrCat("unknown event type '", std::string(e_type),
                                                  "' on stream '", std::string(stream), "'"));
    }
    return absl::OkStatus();
  };
  if (kind == "depth" || kind.starts_with("depth@")) {
    if (!has_e) return lines_->Error("data.e", "missing on a depth stream (a partial-depth stream "
                                               "is not supported)");
    TAPEDECK_RETURN_IF_ERROR(expect("depthUpdate"));
    return OnDepth(data, local_ts);
  }
  if (kind == "bookTicker") {
    TAPEDECK_RETURN_IF_ERROR(expect("bookTicker"));
    return OnBookTicker(data, local_ts);
  }
  if (kind == "trade") {
    TAPEDECK_RETURN_IF_ERROR(expect("trade"));
    return OnTrade(data, local_ts, false);
  }
  if (kind == "aggTrade") {
    TAPEDECK_RETURN_IF_ERROR(expect("aggTrade"));
    return OnTrade(data, local_ts, true);
  }
  if (kind == "markPrice" || kind.starts_with("markPrice@")) {
    TAPEDECK_RETURN_IF_ERROR(expect("markPriceUpdate"));
    return OnMarkPrice(data, local_ts);
  }
  if (kind == "forceOrder") {
    TAPEDECK_RETURN_IF_ERROR(expect("forceOrder"));
    return OnForceOrder(data, local_ts);
  }
  return lines_->Error("stream", absl::StrCat("unknown stream '", std::string(stream),
                                              "' (known: depth, bookTicker, trade, aggTrade, "
                                              "markPrice, forceOrder)"));
}

// --- format registration ---------------------------------------------------------------------

bool DetectBinanceWs(const std::vector<std::string>& head) {
  bool framed = !head.empty();
  bool stream = false;
  for (const std::string& line : head) {
    size_t i = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
    if (i == 0 || i + 1 >= line.size() || line[i] != ' ' || line[i + 1] != '{') framed = false;
    if (line.find("{\"stream\":") != std::string::npos) stream = true;
  }
  return framed && stream;
}

absl::StatusOr<std::unique_ptr<EventSource>> OpenBinanceWs(const SourceSpec& spec,
                                                           const InstrumentTable& instruments) {
  BinanceWsOptions options;
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject opts,
                            ConfigObject::Of(&spec.options, spec.where + ".options"));
  std::string gaps = "fail";
  TAPEDECK_RETURN_IF_ERROR(opts.Enum("gaps", {"fail", "resync"}, &gaps));
  options.gaps = gaps == "resync" ? BinanceWsOptions::Gaps::kResync : BinanceWsOptions::Gaps::kFail;
  TAPEDECK_RETURN_IF_ERROR(opts.DurationValue("reorder_window", &options.reorder_window));
  if (options.reorder_window.ns < 0) {
    return opts.Error("reorder_window", "must not be negative");
  }
  TAPEDECK_RETURN_IF_ERROR(opts.Finish());
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<BinanceWsReader> r,
                            BinanceWsReader::Open(spec.path, spec.instrument, instruments, options));
  return std::unique_ptr<EventSource>(std::move(r));
}

}  // namespace tapedeck::replay
