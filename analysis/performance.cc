#include "analysis/performance.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tapedeck::analysis {
namespace {

constexpr double kNsPerDay = 86400e9;
constexpr double kNsPerYear = 365 * kNsPerDay;  // crypto trades every day (core/metrics.h)

absl::CivilMonth MonthOf(double ns) {
  const absl::Time t = absl::FromUnixNanos(static_cast<int64_t>(ns));
  return absl::CivilMonth(absl::ToCivilSecond(t, absl::UTCTimeZone()));
}

}  // namespace

std::vector<MonthReturn> MonthlyReturns(const std::vector<Pt>& equity) {
  std::vector<MonthReturn> out;
  double base = NAN, last = NAN;
  absl::CivilMonth month;
  bool open = false;
  auto close = [&] {
    if (open && base > 0) {
      out.push_back(MonthReturn{static_cast<int>(month.year()), month.month(), last / base - 1});
    }
  };
  for (const Pt& p : equity) {
    if (std::isnan(p.y)) continue;
    const absl::CivilMonth m = MonthOf(p.x);
    if (!open || m != month) {
      close();
      base = open ? last : p.y;
      month = m;
      open = true;
    }
    last = p.y;
  }
  close();
  return out;
}

std::vector<DrawdownPeriod> WorstDrawdowns(const std::vector<Pt>& equity, size_t n) {
  std::vector<DrawdownPeriod> all;
  bool have_peak = false, falling = false;
  DrawdownPeriod cur;
  for (const Pt& p : equity) {
    if (std::isnan(p.y)) continue;
    if (!have_peak || p.y >= cur.peak) {
      if (falling) {
        cur.recovery_x = p.x;
        all.push_back(cur);
        falling = false;
      }
      have_peak = true;
      cur = DrawdownPeriod{p.x, p.x, std::nullopt, p.y, p.y, 0};
      continue;
    }
    if (!falling || p.y < cur.trough) {
      cur.trough = p.y;
      cur.trough_x = p.x;
      cur.depth = cur.peak > 0 ? (cur.peak - cur.trough) / cur.peak : 0;
    }
    falling = true;
  }
  if (falling) all.push_back(cur);
  std::stable_sort(all.begin(), all.end(), [](const DrawdownPeriod& a, const DrawdownPeriod& b) {
    return a.depth > b.depth;
  });
  if (all.size() > n) all.resize(n);
  return all;
}

double RollingSharpeWindow(double span_ns) {
  static const double kWindowsDays[] = {90, 30, 7, 1, 0.25, 1.0 / 24};
  for (double days : kWindowsDays) {
    if (4 * days * kNsPerDay <= span_ns) return days * kNsPerDay;
  }
  return 0;
}

std::vector<Pt> RollingSharpe(const std::vector<Pt>& equity, double window_ns) {
  std::vector<Pt> pts;
  for (const Pt& p : equity) {
    if (!std::isnan(p.y)) pts.push_back(p);
  }
  std::vector<Pt> out;
  if (pts.size() < 2 || !(window_ns > 0)) return out;
  // returns[i] is the return into point i + 1; the window of point j holds the returns into
  // points whose time is after pts[j].x - window.
  std::vector<double> r(pts.size() - 1);
  for (size_t i = 0; i + 1 < pts.size(); ++i) {
    r[i] = pts[i].y > 0 ? pts[i + 1].y / pts[i].y - 1 : NAN;
  }
  size_t lo = 0;  // first point of the window (the returns start after it)
  for (size_t j = 1; j < pts.size(); ++j) {
    while (lo < j && pts[lo].x < pts[j].x - window_ns) ++lo;
    if (pts[j].x - pts.front().x < window_ns) continue;  // no whole window behind it yet
    const size_t n = j - lo;
    if (n < 3) continue;
    double sum = 0, sq = 0;
    for (size_t i = lo; i < j; ++i) sum += r[i];
    const double mean = sum / static_cast<double>(n);
    for (size_t i = lo; i < j; ++i) sq += (r[i] - mean) * (r[i] - mean);
    const double sd = std::sqrt(sq / static_cast<double>(n - 1));
    const double dt = (pts[j].x - pts[lo].x) / static_cast<double>(n);
    out.push_back(Pt{pts[j].x, sd > 0 && dt > 0 ? mean / sd * std::sqrt(kNsPerYear / dt) : NAN});
  }
  return out;
}

std::vector<Pt> BuyAndHold(const std::vector<Pt>& price, double initial) {
  std::vector<Pt> out;
  out.reserve(price.size());
  double first = NAN;
  for (const Pt& p : price) {
    if (std::isnan(first) && !std::isnan(p.y) && p.y > 0) first = p.y;
    out.push_back(Pt{p.x, std::isnan(first) || std::isnan(p.y) ? NAN : initial * p.y / first});
  }
  return out;
}

StepOverview SummariseSteps(const std::vector<Pt>& steps, double x0, double x1, size_t buckets) {
  StepOverview o;
  if (buckets == 0 || !(x1 > x0)) return o;
  const double width = (x1 - x0) / static_cast<double>(buckets);
  size_t i = 0;
  double value = NAN;  // the value in force at the bucket's start
  for (size_t b = 0; b < buckets; ++b) {
    const double b0 = x0 + width * static_cast<double>(b), b1 = b0 + width;
    while (i < steps.size() && steps[i].x <= b0) value = steps[i++].y;
    double weighted = 0, covered = 0, lo = value, hi = value, t = b0;
    for (; i < steps.size() && steps[i].x < b1; ++i) {
      if (!std::isnan(value)) {
        weighted += value * (steps[i].x - t);
        covered += steps[i].x - t;
      }
      t = steps[i].x;
      value = steps[i].y;
      lo = std::isnan(lo) ? value : std::min(lo, value);
      hi = std::isnan(hi) ? value : std::max(hi, value);
    }
    if (!std::isnan(value)) {
      weighted += value * (b1 - t);
      covered += b1 - t;
    }
    o.mean.push_back(Pt{b0, covered > 0 ? weighted / covered : NAN});
    o.low.push_back(Pt{b0, lo});
    o.high.push_back(Pt{b0, hi});
  }
  for (std::vector<Pt>* v : {&o.mean, &o.low, &o.high}) v->push_back(Pt{x1, v->back().y});
  return o;
}

}  // namespace tapedeck::analysis
