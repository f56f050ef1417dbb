#include "adapters/journal.h"

#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/json_reader.h"

namespace tapedeck::adapters {
namespace {

uint64_t Fnv1a(const unsigned char* p, size_t n, uint64_t h = 1469598103934665603ULL) {
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

uint64_t RecordChecksum(uint64_t index, const unsigned char* event64) {
  unsigned char idx[8];
  for (int i = 0; i < 8; ++i) idx[i] = static_cast<unsigned char>(index >> (8 * i));
  return Fnv1a(event64, 64, Fnv1a(idx, 8));
}

void PutU64(unsigned char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
uint64_t GetU64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
void PutU32(unsigned char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
uint32_t GetU32(const unsigned char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

constexpr size_t kKindOffset = offsetof(Event, kind);

// Version 1 journals carried venue status as a timer with id 0 (see journal.h).
Event FromVersion1(const Event& e) {
  if (e.kind != EventKind::kTimer || e.timer.timer_id != 0) return e;
  constexpr uint64_t kDisconnectedTag = 1, kConnectedTag = 2;
  if (e.timer.tag != kDisconnectedTag && e.timer.tag != kConnectedTag) return e;
  Event s = MakeEvent(EventKind::kVenueStatus, e.instrument, e.exchange_time(), e.local_time());
  s.source = e.source;
  s.venue.status =
      e.timer.tag == kConnectedTag ? VenueStatus::kConnected : VenueStatus::kDisconnected;
  return s;
}

}  // namespace

absl::StatusOr<std::unique_ptr<JournalWriter>> JournalWriter::Create(const std::string& path,
                                                                     const nlohmann::json& meta,
                                                                     int64_t flush_interval_ns) {
  std::unique_ptr<JournalWriter> w(new JournalWriter());
  w->path_ = path;
  w->flush_interval_ns_ = flush_interval_ns;
  w->file_ = std::fopen(path.c_str(), "wb");
  if (w->file_ == nullptr) return absl::InternalError(absl::StrCat(path, ": cannot create the journal"));
  std::setvbuf(w->file_, nullptr, _IOFBF, 1 << 16);
  const std::string text = meta.dump();
  unsigned char head[16];
  std::memcpy(head, kJournalMagic, 8);
  PutU32(head + 8, static_cast<uint32_t>(text.size()));
  PutU32(head + 12, 0);
  unsigned char sum[8];
  PutU64(sum, Fnv1a(reinterpret_cast<const unsigned char*>(text.data()), text.size()));
  if (std::fwrite(head, 1, 16, w->file_) != 16 ||
      std::fwrite(text.data(), 1, text.size(), w->file_) != text.size() ||
      std::fwrite(sum, 1, 8, w->file_) != 8 || std::fflush(w->file_) != 0) {
    return absl::InternalError(absl::StrCat(path, ": cannot write the journal header"));
  }
  return w;
}

JournalWriter::~JournalWriter() {
  if (file_ != nullptr) (void)Close();
}

void JournalWriter::Write(const unsigned char* record64) {
  unsigned char rec[kJournalRecordSize];
  std::memcpy(rec, record64, 64);
  PutU64(rec + 64, RecordChecksum(records_, rec));
  if (std::fwrite(rec, 1, sizeof(rec), file_) != sizeof(rec)) failed_ = true;
  ++records_;
}

void JournalWriter::Append(const Event& e, int64_t now_ns) {
  if (file_ == nullptr) return;
  unsigned char raw[64];
  std::memcpy(raw, &e, 64);
  Write(raw);
  if (now_ns - last_flush_ns_ >= flush_interval_ns_) {
    if (std::fflush(file_) != 0) failed_ = true;
    last_flush_ns_ = now_ns;
  }
}

void JournalWriter::AppendStop(Timestamp at, int64_t now_ns) {
  if (file_ == nullptr) return;
  Event e = MakeEvent(EventKind::kTimer, InstrumentId(), at, at);
  unsigned char raw[64];
  std::memcpy(raw, &e, 64);
  raw[kKindOffset] = kStopKind;
  Write(raw);
  if (std::fflush(file_) != 0) failed_ = true;
  last_flush_ns_ = now_ns;
}

absl::Status JournalWriter::Close() {
  if (file_ == nullptr) return absl::OkStatus();
  if (std::fflush(file_) != 0) failed_ = true;
  if (::fsync(::fileno(file_)) != 0) failed_ = true;
  if (std::fclose(file_) != 0) failed_ = true;
  file_ = nullptr;
  if (failed_) return absl::InternalError(absl::StrCat(path_, ": journal write failed"));
  return absl::OkStatus();
}

absl::StatusOr<JournalContents> ReadJournal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open the journal"));
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  if (data.size() < 24 || std::memcmp(p, kJournalMagic, 8) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": byte 0: not a tapedeck journal"));
  }
  const size_t meta_len = GetU32(p + 8);
  if (16 + meta_len + 8 > data.size()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": byte 8: journal header is cut"));
  }
  if (Fnv1a(p + 16, meta_len) != GetU64(p + 16 + meta_len)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": byte ", 16 + meta_len, ": journal header checksum mismatch"));
  }
  JournalContents out;
  // The header is JSON that tapedeck wrote: doubles may carry exponents (JsonNumbers::kData).
  if (absl::Status s = ParseJsonText(std::string_view(data).substr(16, meta_len),
                                     absl::StrCat(path, " (journal header at byte 16)"), &out.meta,
                                     JsonReadOptions{.numbers = JsonNumbers::kData});
      !s.ok()) {
    return s;
  }
  size_t off = 16 + meta_len + 8;
  uint64_t index = 0;
  while (off + kJournalRecordSize <= data.size()) {
    if (RecordChecksum(index, p + off) != GetU64(p + off + 64)) {
      if (off + 2 * kJournalRecordSize > data.size()) break;  // the torn last record
      return absl::DataLossError(
          absl::StrCat(path, ": byte ", off, ": journal record ", index, " checksum mismatch"));
    }
    if (p[off + kKindOffset] == kStopKind) {
      Event e;
      std::memcpy(static_cast<void*>(&e), p + off, 64);
      out.stopped = true;
      out.stop_ts = Timestamp(e.exchange_ts);
    } else if (p[off + kKindOffset] < kEventKindCount) {
      Event e;
      std::memcpy(static_cast<void*>(&e), p + off, 64);
      out.events.push_back(FromVersion1(e));
    } else {
      return absl::DataLossError(absl::StrCat(path, ": byte ", off + kKindOffset,
                                              ": unknown event kind ", p[off + kKindOffset]));
    }
    off += kJournalRecordSize;
    ++index;
  }
  out.torn_bytes = data.size() - off;
  return out;
}

namespace {

class JournalSource final : public EventSource {
 public:
  JournalSource(std::string path, std::vector<Event> events)
      : path_(std::move(path)), events_(std::move(events)) {}
  absl::StatusOr<std::span<const Event>> NextBatch() override {
    if (done_) return std::span<const Event>();
    done_ = true;
    return std::span<const Event>(events_.data(), events_.size());
  }
  std::string Describe() const override { return path_; }
  int64_t SizeHint() const override { return static_cast<int64_t>(events_.size()); }

 private:
  std::string path_;
  std::vector<Event> events_;
  bool done_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<EventSource>> OpenJournalSource(const std::string& path) {
  absl::StatusOr<JournalContents> j = ReadJournal(path);
  if (!j.ok()) return j.status();
  std::vector<Event> market;
  for (const Event& e : j->events) {
    if (IsMarketData(e.kind)) market.push_back(e);
  }
  return std::unique_ptr<EventSource>(new JournalSource(path, std::move(market)));
}

bool LooksLikeJournal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[8] = {};
  in.read(magic, 8);
  return in && std::memcmp(magic, kJournalMagic, 8) == 0;
}

absl::Status JournalReplay::Run(const JournalContents& journal, Strategy& strategy,
                                const std::string& path) {
  int64_t start = 0;
  if (journal.meta.is_object() && journal.meta.contains("start_ns") &&
      journal.meta["start_ns"].is_number_integer()) {
    start = journal.meta["start_ns"].get<int64_t>();
  }
  host_.Start(strategy, Timestamp(start));
  const Context& ctx = host_.context();
  const size_t instruments = ctx.instruments().size();
  for (size_t i = 0; i < journal.events.size(); ++i) {
    const Event& e = journal.events[i];
    const bool carries_instrument = IsMarketData(e.kind) || IsOrderResponse(e.kind) ||
                                    e.kind == EventKind::kAccount;
    if (carries_instrument && e.instrument.value >= instruments) {
      return absl::DataLossError(absl::StrCat(path, ": journal event ", i, ": instrument id ",
                                              e.instrument.value, " is outside the journal's ",
                                              instruments, " instruments"));
    }
    if (IsOrderResponse(e.kind) && ctx.order(e.order.order_id) == nullptr) {
      return absl::DataLossError(absl::StrCat(
          path, ": journal event ", i, ": ", std::string(EventKindName(e.kind)), " for order ",
          e.order.order_id.value, ", which the replayed strategy did not send"));
    }
    host_.Deliver(strategy, e);
  }
  host_.Stop(strategy, journal.stopped ? journal.stop_ts : ctx.now());
  return absl::OkStatus();
}

std::string OrderLogText(std::span<const OrderLogEntry> log) {
  std::string out;
  for (const OrderLogEntry& o : log) {
    const OrderRequest& r = o.request;
    const char* action = o.action == RequestAction::kCancel   ? "cancel"
                         : o.action == RequestAction::kModify ? "modify"
                                                              : "order";
    absl::StrAppend(&out, o.ts.ns, ",", action, ",", r.id.value, ",",
                    r.instrument.value, ",", std::string(SideName(r.side)), ",",
                    std::string(OrderTypeName(r.type)), ",", std::string(TimeInForceName(r.tif)),
                    ",", r.price.raw, ",", r.qty.raw, ",", r.post_only ? 1 : 0, ",",
                    r.reduce_only ? 1 : 0, "\n");
  }
  return out;
}

}  // namespace tapedeck::adapters
