#include "runner/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tapedeck::runner {
namespace {

// A count in the unit's words: "1.2M", "812", "312.4 MB".
std::string Amount(double v, ProgressUnit unit) {
  if (unit.bytes) {
    if (v >= 1e9) return absl::StrFormat("%.2f GB", v / 1e9);
    if (v >= 1e6) return absl::StrFormat("%.1f MB", v / 1e6);
    if (v >= 1e3) return absl::StrFormat("%.1f KB", v / 1e3);
    return absl::StrFormat("%.0f B", v);
  }
  if (v >= 1e9) return absl::StrFormat("%.2fG", v / 1e9);
  if (v >= 1e6) return absl::StrFormat("%.1fM", v / 1e6);
  if (v >= 1e4) return absl::StrFormat("%.1fk", v / 1e3);
  return absl::StrFormat("%.0f", v);
}

// A rate per second: large counts shortened as amounts, small ones with two decimals.
std::string Rate(double per_second, ProgressUnit unit) {
  if (unit.bytes) return Amount(per_second, unit) + "/s";
  const std::string n = per_second >= 100 ? Amount(per_second, unit)
                                          : absl::StrFormat("%.2f", per_second);
  return absl::StrCat(n, " ", std::string(unit.noun), "/s");
}

// Elapsed time before a rate or an ETA means anything (seconds).
constexpr double kMinElapsed = 0.05;
// Redraws at most this often (seconds): a terminal is not a log.
constexpr double kRedrawInterval = 0.2;

}  // namespace

std::string FormatClock(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  const auto s = static_cast<int64_t>(std::llround(seconds));
  if (s >= 3600) return absl::StrFormat("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

std::string FormatProgress(std::string_view label, uint64_t done, uint64_t total,
                           double elapsed_seconds, ProgressUnit unit, std::string_view extra) {
  const double d = static_cast<double>(done);
  std::string line = absl::StrCat(std::string(label), ": ", Amount(d, unit));
  if (total > 0) absl::StrAppend(&line, " of ", Amount(static_cast<double>(total), unit));
  if (!unit.noun.empty()) absl::StrAppend(&line, " ", std::string(unit.noun));
  if (total > 0) {
    absl::StrAppend(&line, absl::StrFormat("  %3.0f%%", 100.0 * d / static_cast<double>(total)));
  }
  const bool timed = elapsed_seconds >= kMinElapsed;
  if (timed) absl::StrAppend(&line, "  ", Rate(d / elapsed_seconds, unit));
  absl::StrAppend(&line, "  elapsed ", FormatClock(elapsed_seconds));
  if (timed && total > 0 && done > 0 && done <= total) {
    const double eta = elapsed_seconds * static_cast<double>(total - done) / d;
    absl::StrAppend(&line, "  ETA ", FormatClock(eta));
  }
  if (!extra.empty()) absl::StrAppend(&line, "  ", std::string(extra));
  return line;
}

bool ProgressWanted() {
  const char* ci = std::getenv("CI");
  return ::isatty(2) == 1 && (ci == nullptr || *ci == '\0');
}

ProgressLine::ProgressLine(std::string label, ProgressUnit unit, bool enabled)
    : label_(std::move(label)),
      unit_(unit),
      enabled_(enabled && ProgressWanted()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() { Clear(); }

void ProgressLine::Restart(std::string label) {
  label_ = std::move(label);
  start_ = std::chrono::steady_clock::now();
  last_draw_ = start_;
}

double ProgressLine::ElapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressLine::Update(uint64_t done, uint64_t total, std::string_view extra, bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && std::chrono::duration<double>(now - last_draw_).count() < kRedrawInterval) return;
  last_draw_ = now;
  const std::string line = FormatProgress(label_, done, total, ElapsedSeconds(), unit_, extra);
  // \033[K clears what a longer previous line left at the end.
  std::fprintf(stderr, "\r%s\033[K", line.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::Clear() {
  if (!shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace tapedeck::runner
