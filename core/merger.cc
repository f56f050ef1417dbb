#include "core/merger.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace tapedeck {

Merger::Merger(std::vector<std::unique_ptr<EventSource>> sources)
    : sources_(std::move(sources)), cursors_(sources_.size()) {}

int64_t Merger::SizeHint() const {
  int64_t total = 0;
  for (const auto& s : sources_) {
    const int64_t n = s->SizeHint();
    if (n < 0) return -1;
    total += n;
  }
  return total;
}

int64_t Merger::InputBytesRead() const {
  int64_t total = 0;
  for (const auto& s : sources_) {
    const int64_t n = s->InputBytesRead();
    if (n < 0) return -1;
    total += n;
  }
  return total;
}

bool Merger::FetchBatch(uint16_t index) {
  Cursor& c = cursors_[index];
  absl::StatusOr<std::span<const Event>> batch = sources_[index]->NextBatch();
  if (!batch.ok()) {
    status_ = batch.status();
    return false;
  }
  c.batch = *batch;
  c.batch_pos = 0;
  c.source_done = c.batch.empty();
  return true;
}

bool Merger::Prepare(uint16_t index) {
  Cursor& c = cursors_[index];
  c.ready = {};
  c.ready_pos = 0;
  if (c.batch_pos == c.batch.size()) {
    if (c.source_done) return true;
    if (!FetchBatch(index)) return false;
    if (c.source_done) return true;
  }
  // Serve in place every run that is in rank order and ends inside the batch.
  const std::span<const Event> rest = c.batch.subspan(c.batch_pos);
  // The scan stops at the first event that goes back in time or ranks before its same-time
  // predecessor; `safe_end` is the start of the last time-stamp run seen, which may continue
  // in the next batch or is the inverted one.
  //
  // First, while time stamps strictly increase (trades-only data mostly does), each event
  // starts a time-stamp run of its own and there is no rank to compare: one branch an event,
  // which stays predicted.
  size_t i = 1;
  int64_t prev_ts = rest.front().exchange_ts;
  while (i < rest.size() && rest[i].exchange_ts > prev_ts) prev_ts = rest[i++].exchange_ts;
  size_t safe_end = i - 1;  // events [0, safe_end) of `rest` can be served in place
  uint8_t prev_rank = KindRank(rest[i - 1].kind);
  // From the first repeated time stamp on, without a branch on the data: whether two
  // neighbours share a time stamp is random in market data (the events of one message do), and
  // a branch on it mispredicts.
  for (; i < rest.size(); ++i) {
    const int64_t ts = rest[i].exchange_ts;
    const uint8_t rank = KindRank(rest[i].kind);
    const bool new_time = ts != prev_ts;
    safe_end = new_time ? i : safe_end;
    // Time goes back: end the span before this event, so that every ready span is in time
    // order and NextRun checks only a span's first event (the error is reported there).
    const bool back = ts < prev_ts;
    const bool inverted = !new_time & (rank < prev_rank);
    if (back | inverted) break;
    prev_ts = ts;
    prev_rank = rank;
  }
  if (safe_end > 0) {
    c.ready = rest.subspan(0, safe_end);
    c.batch_pos += safe_end;
    return true;
  }
  // The run at the front is out of rank order, or may continue in the next batch: copy the
  // whole run (across batches) and sort it by rank, stably.
  c.staged.clear();
  const int64_t ts = rest.front().exchange_ts;
  while (true) {
    while (c.batch_pos < c.batch.size() && c.batch[c.batch_pos].exchange_ts == ts) {
      c.staged.push_back(c.batch[c.batch_pos++]);
    }
    if (c.batch_pos < c.batch.size() || c.source_done) break;
    if (!FetchBatch(index)) return false;
    if (c.source_done) break;
  }
  // Stable insertion sort by kind rank: runs are short and nearly ordered (a trade line before
  // the depth lines of the same instant). Not std::stable_sort: libstdc++'s temporary buffer
  // ignores Event's 64-byte alignment (UBSan: misaligned store).
  for (size_t k = 1; k < c.staged.size(); ++k) {
    const Event e = c.staged[k];
    const uint8_t rank = KindRank(e.kind);
    size_t j = k;
    while (j > 0 && KindRank(c.staged[j - 1].kind) > rank) {
      c.staged[j] = c.staged[j - 1];
      --j;
    }
    c.staged[j] = e;
  }
  c.ready = std::span<const Event>(c.staged.data(), c.staged.size());
  return true;
}

EventKey Merger::KeyOf(uint16_t index) const {
  const Cursor& c = cursors_[index];
  const Event& e = c.ready[c.ready_pos];
  return EventKey{e.exchange_ts, KindRank(e.kind), index, c.sequence};
}

absl::Status Merger::Init() {
  if (sources_.size() > 0xFFF0) return absl::InvalidArgumentError("too many sources");
  for (size_t i = 0; i < sources_.size(); ++i) {
    if (!Prepare(static_cast<uint16_t>(i))) return status_;
    if (live(static_cast<uint16_t>(i))) heap_.push_back(static_cast<uint16_t>(i));
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
  if (unsettled_ && !Settle()) return false;
  if (heap_.empty()) return false;
  const uint16_t index = heap_[0];
  Cursor& c = cursors_[index];
  *out = c.ready[c.ready_pos];
  if (out->exchange_ts < c.last_ts) {
    status_ = absl::InvalidArgumentError(absl::StrCat(
        sources_[index]->Describe(), ": event ", c.sequence + 1, " goes back in time (exchange_ts ",
        out->exchange_ts, " after ", c.last_ts, ")"));
    heap_.clear();
    return false;
  }
  c.last_ts = out->exchange_ts;
  out->source = index;
  ++c.ready_pos;
  ++c.sequence;
  ++delivered_;
  if (c.ready_pos == c.ready.size()) {
    if (!Prepare(index)) {
      heap_.clear();
      return true;  // deliver this event; the next call returns false and status() tells why
    }
    if (!live(index)) {
      heap_[0] = heap_.back();
      heap_.pop_back();
    }
  }
  if (heap_.size() > 1) SiftDown(0);
  return true;
}

std::span<const Event> Merger::NextRun(uint16_t* source) {
  if (unsettled_ && !Settle()) return {};
  if (heap_.empty()) return {};
  const uint16_t index = heap_[0];
  Cursor& c = cursors_[index];
  *source = index;
  size_t end = c.ready.size();
  if (heap_.size() > 1) {
    // Stop before the first event that the runner-up source's next event precedes.
    const size_t l = 1, r = 2;
    const uint16_t second =
        (r < heap_.size() && KeyOf(heap_[r]) < KeyOf(heap_[l])) ? heap_[r] : heap_[l];
    const EventKey bound = KeyOf(second);
    end = c.ready_pos;
    uint64_t seq = c.sequence;
    while (end < c.ready.size()) {
      const Event& e = c.ready[end];
      if (!(EventKey{e.exchange_ts, KindRank(e.kind), index, seq} < bound)) break;
      ++end;
      ++seq;
    }
  }
  // Time order: a source going backwards is an error at the first bad event. Prepare ends
  // every ready span before such an event (a staged run shares one timestamp), so within a
  // span time never goes back and only the run's first event needs comparing with the last
  // one delivered: the good prefix went out in earlier runs, and this call reports the error.
  if (end > c.ready_pos) {
    if (c.ready[c.ready_pos].exchange_ts < c.last_ts) {
      status_ = absl::InvalidArgumentError(absl::StrCat(
          sources_[index]->Describe(), ": event ", c.sequence + 1,
          " goes back in time (exchange_ts ", c.ready[c.ready_pos].exchange_ts, " after ",
          c.last_ts, ")"));
      heap_.clear();
      return {};
    }
    c.last_ts = c.ready[end - 1].exchange_ts;
  }
  const std::span<const Event> run = c.ready.subspan(c.ready_pos, end - c.ready_pos);
  c.sequence += run.size();
  delivered_ += run.size();
  c.ready_pos = end;
  // Refilling the cursor now could invalidate `run` (a source reuses its batch buffer), so the
  // head is settled at the start of the next call instead.
  unsettled_ = true;
  return run;
}

bool Merger::Settle() {
  unsettled_ = false;
  if (heap_.empty()) return true;
  const uint16_t index = heap_[0];
  Cursor& c = cursors_[index];
  if (c.ready_pos == c.ready.size()) {
    if (!Prepare(index)) {
      heap_.clear();
      return false;
    }
    if (!live(index)) {
      heap_[0] = heap_.back();
      heap_.pop_back();
    }
  }
  if (heap_.size() > 1) SiftDown(0);
  return true;
}

}  // namespace tapedeck
