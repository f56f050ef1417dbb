#include "core/merger.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace tapedeck {

Merger::Merger(std::vector<std::unique_ptr<EventSource>> sources)
    : sources_(std::move(sources)), heads_(sources_.size()) {}

int64_t Merger::SizeHint() const {
  int64_t total = 0;
  for (const auto& s : sources_) {
    const int64_t n = s->SizeHint();
    if (n < 0) return -1;
    total += n;
  }
  return total;
}

bool Merger::Refill(uint16_t index) {
  Head& h = heads_[index];
  absl::StatusOr<std::span<const Event>> batch = sources_[index]->NextBatch();
  if (!batch.ok()) {
    status_ = batch.status();
    return false;
  }
  h.batch = *batch;
  h.pos = 0;
  h.done = h.batch.empty();
  return true;
}

EventKey Merger::KeyOf(uint16_t index) const {
  const Head& h = heads_[index];
  const Event& e = h.batch[h.pos];
  return EventKey{e.exchange_ts, KindRank(e.kind), index, h.sequence};
}

absl::Status Merger::Init() {
  if (sources_.size() > 0xFFF0) return absl::InvalidArgumentError("too many sources");
  for (size_t i = 0; i < sources_.size(); ++i) {
    if (!Refill(static_cast<uint16_t>(i))) return status_;
    if (!heads_[i].done) heap_.push_back(static_cast<uint16_t>(i));
  }
  for (size_t i = heap_.size() / 2; i-- > 0;) SiftDown(i);
  return absl::OkStatus();
}

void Merger::SiftDown(size_t i) {
  const size_t n = heap_.size();
  while (true) {
    size_t smallest = i;
    const size_t l = 2 * i + 1;
    const size_t r = l + 1;
    if (l < n && KeyOf(heap_[l]) < KeyOf(heap_[smallest])) smallest = l;
    if (r < n && KeyOf(heap_[r]) < KeyOf(heap_[smallest])) smallest = r;
    if (smallest == i) return;
    std::swap(heap_[i], heap_[smallest]);
    i = smallest;
  }
}

bool Merger::Next(Event* out) {
  if (heap_.empty()) return false;
  const uint16_t index = heap_[0];
  Head& h = heads_[index];
  *out = h.batch[h.pos];
  if (out->exchange_ts < h.last_ts) {
    status_ = absl::InvalidArgumentError(absl::StrCat(
        sources_[index]->Describe(), ": event ", h.sequence + 1, " goes back in time (exchange_ts ",
        out->exchange_ts, " after ", h.last_ts, ")"));
    heap_.clear();
    return false;
  }
  h.last_ts = out->exchange_ts;
  out->source = index;
  ++h.pos;
  ++h.sequence;
  ++delivered_;
  if (h.pos == h.batch.size()) {
    h.batch = {};
    h.pos = 0;
    if (!Refill(index)) {
      heap_.clear();
      return true;  // deliver this event; the caller sees the error on the next call via status()
    }
    if (h.done) {
      heap_[0] = heap_.back();
      heap_.pop_back();
    }
  }
  if (heap_.size() > 1) SiftDown(0);
  return true;
}

}  // namespace tapedeck
