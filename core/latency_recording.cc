#include "core/latency_recording.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/decimal.h"

namespace tapedeck {

absl::StatusOr<LatencyAlign> ParseLatencyAlign(std::string_view name) {
  if (name == "start") return LatencyAlign::kStart;
  if (name == "absolute") return LatencyAlign::kAbsolute;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown align '", std::string(name), "' (allowed: start, absolute)"));
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const LatencyRecording>> ParseLatencyRecording(
    std::string_view text, const std::string& path) {
  static constexpr const char* kColumns[3] = {"request_ns", "exchange_ns", "response_ns"};
  auto rec = std::make_shared<LatencyRecording>();
  rec->path = path;
  bool header = false;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto error = [&](const std::string& what) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line_no, ": ", what));
    };
    std::string_view fields[3];
    size_t n = 0;
    std::string_view rest = line;
    while (true) {
      const size_t comma = rest.find(',');
      if (n < 3) fields[n] = Trim(rest.substr(0, comma));
      ++n;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (!header) {
      if (n != 3 || fields[0] != kColumns[0] || fields[1] != kColumns[1] ||
          fields[2] != kColumns[2]) {
        return error("expected the header request_ns,exchange_ns,response_ns");
      }
      header = true;
      continue;
    }
    if (n != 3) {
      return error(absl::StrCat("expected 3 fields (request_ns,exchange_ns,response_ns), got ", n));
    }
    int64_t v[3];
    for (int i = 0; i < 3; ++i) {
      if (!TryParseInt(fields[i], &v[i])) {
        return error(absl::StrCat(kColumns[i], " '", std::string(fields[i]),
                                  "' is not an integer of nanoseconds"));
      }
      if (v[i] < 0) return error(absl::StrCat(kColumns[i], " must be >= 0"));
    }
    if (v[1] < v[0]) {
      return error(absl::StrCat("exchange_ns ", v[1], " is before request_ns ", v[0]));
    }
    if (v[2] < v[1]) {
      return error(absl::StrCat("response_ns ", v[2], " is before exchange_ns ", v[1]));
    }
    if (!rec->time.empty() && v[0] < rec->time.back()) {
      return error(absl::StrCat("request_ns ", v[0], " is before the previous row's ",
                                rec->time.back(), " (rows must be in time order)"));
    }
    rec->time.push_back(v[0]);
    rec->entry.push_back(v[1] - v[0]);
    rec->response.push_back(v[2] - v[1]);
  }
  if (!header) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": empty; expected the header request_ns,exchange_ns,response_ns"));
  }
  if (rec->time.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", line_no, ": no rows after the header"));
  }
  return std::shared_ptr<const LatencyRecording>(std::move(rec));
}

absl::StatusOr<std::shared_ptr<const LatencyRecording>> LoadLatencyRecording(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open the latency file"));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  return ParseLatencyRecording(text.str(), path);
}

int64_t InterpolateLatency(const std::vector<int64_t>& time, const std::vector<int64_t>& value,
                           int64_t t, size_t* cursor) {
  const size_t n = time.size();
  if (n == 0) return 0;
  if (t <= time.front()) return value.front();
  if (t >= time.back()) return value.back();
  // Find i with time[i] <= t < time[i + 1] (exists: time[0] < t < time[n - 1]).
  size_t i = *cursor < n - 1 ? *cursor : 0;
  if (!(time[i] <= t && t < time[i + 1])) {
    if (i + 2 < n && time[i + 1] <= t && t < time[i + 2]) {
      ++i;
    } else {
      i = static_cast<size_t>(std::upper_bound(time.begin(), time.end(), t) - time.begin()) - 1;
    }
  }
  *cursor = i;
  const int64_t t0 = time[i], t1 = time[i + 1];
  const int64_t v0 = value[i], v1 = value[i + 1];
  // t0 <= t < t1, so t1 > t0. The division truncates toward zero, i.e. toward v0.
  const Int128 step = static_cast<Int128>(v1 - v0) * (t - t0) / (t1 - t0);
  return v0 + static_cast<int64_t>(step);
}

}  // namespace tapedeck
