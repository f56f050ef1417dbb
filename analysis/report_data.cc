#include "analysis/report_data.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/config.h"
#include "core/status.h"

namespace tapedeck::analysis {
namespace {

constexpr double kNsPerSec = 1e9;

// A CSV number; NaN when empty or not a number.
double ToD(std::string_view s) {
  if (s.empty()) return std::nan("");
  const std::string t(s);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  return end == t.c_str() ? std::nan("") : v;
}

std::string SchemaOf(const nlohmann::json& s) {
  return s.is_object() && s.contains("schema") && s["schema"].is_string()
             ? s["schema"].get<std::string>()
             : "";
}

}  // namespace

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<CsvTable> ReadCsv(const std::string& path, const RowFilter& keep) {
  // Read in chunks, never whole: equity.csv and prices.csv grow with the run's length over its
  // equity interval (hundreds of MB at 1 ms), and only the kept rows may take memory.
  std::ifstream f(path, std::ios::binary);
  if (!f) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  CsvTable t;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false, quote_pending = false;
  size_t line = 1, data_rows = 0;
  auto end_row = [&]() {
    row.push_back(std::move(field));
    field.clear();
    if (t.header.empty()) {
      t.header = std::move(row);
    } else if (!keep || keep(data_rows++, row)) {
      t.rows.push_back(std::move(row));
    }
    row.clear();
    any = false;
  };
  std::string chunk(size_t{1} << 20, '\0');
  while (f) {
    f.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const size_t n = static_cast<size_t>(f.gcount());
    for (size_t i = 0; i < n; ++i) {
      const char c = chunk[i];
      if (quote_pending) {  // a quote inside a quoted field: doubled, or the field's end
        quote_pending = false;
        if (c == '"') {
          field += '"';
          continue;
        }
        quoted = false;
      }
      if (quoted) {
        if (c == '"') {
          quote_pending = true;
        } else {
          if (c == '\n') ++line;
          field += c;
        }
        continue;
      }
      if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        row.push_back(std::move(field));
        field.clear();
        any = true;
      } else if (c == '\n') {
        end_row();
        ++line;
      } else if (c != '\r') {
        field += c;
        any = true;
      }
    }
  }
  if (quote_pending) quoted = false;
  if (quoted) return absl::DataLossError(absl::StrCat(path, ":", line, ": unterminated quote"));
  if (any || !field.empty()) end_row();
  if (t.header.empty()) return absl::DataLossError(absl::StrCat(path, ": empty file (no header)"));
  return t;
}

absl::StatusOr<uint64_t> CountCsvRows(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  uint64_t lines = 0;
  bool open_line = false;
  std::string chunk(size_t{1} << 20, '\0');
  while (f) {
    f.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const size_t n = static_cast<size_t>(f.gcount());
    lines += static_cast<uint64_t>(std::count(chunk.data(), chunk.data() + n, '\n'));
    if (n > 0) open_line = chunk[n - 1] != '\n';
  }
  if (open_line) ++lines;
  return lines > 0 ? lines - 1 : 0;  // the header is not a row
}

namespace {

// Of equity.csv's `n` rows in buckets of `k`: the indices of each bucket's lowest and highest
// equity, and the last row's, sorted.
absl::StatusOr<std::vector<uint64_t>> BucketExtremes(const std::string& path, uint64_t n,
                                                     uint64_t k) {
  std::ifstream f(path, std::ios::binary);
  std::string header;
  std::getline(f, header);
  size_t col = 0;
  for (size_t at = 0; at < header.size() && header.compare(at, 6, "equity") != 0; ++at) {
    if (header[at] == ',') ++col;
  }
  std::vector<uint64_t> keep;
  uint64_t lo_i = 0, hi_i = 0;
  double lo = 0, hi = 0;
  auto flush = [&] {
    keep.push_back(std::min(lo_i, hi_i));
    if (hi_i != lo_i) keep.push_back(std::max(lo_i, hi_i));
  };
  const RowFilter scan = [&](uint64_t i, const std::vector<std::string>& row) {
    const double v = col < row.size() ? std::strtod(row[col].c_str(), nullptr) : 0;
    if (i % k == 0) {
      if (i > 0) flush();
      lo = hi = v;
      lo_i = hi_i = i;
    } else if (v < lo) {
      lo = v;
      lo_i = i;
    } else if (v > hi) {
      hi = v;
      hi_i = i;
    }
    return false;  // nothing is held
  };
  TAPEDECK_RETURN_IF_ERROR(ReadCsv(path, scan).status());
  if (n > 0) flush();
  if (n > 0 && keep.back() != n - 1) keep.push_back(n - 1);
  return keep;
}

}  // namespace

absl::StatusOr<RunData> LoadRun(const std::string& dir) {
  RunData r;
  r.dir = dir;
  TAPEDECK_ASSIGN_OR_RETURN(r.summary, LoadRunSummary(dir));
  r.name = r.summary.label;
  // equity.csv and prices.csv share their timestamps (one equity row, one prices row per
  // instrument, at each): of a long equity.csv, the lowest and the highest row of each bucket of
  // k rows are read (a one-sample spike or dip stays visible), and the last, with the prices.csv
  // rows at them, so that no more than kMaxLoadedSamples are held whatever the equity interval.
  // Charts draw at most kMaxCurvePoints anyway; a run with fewer samples is read whole.
  TAPEDECK_ASSIGN_OR_RETURN(r.equity_rows, CountCsvRows(dir + "/equity.csv"));
  const uint64_t n = r.equity_rows;
  const uint64_t buckets = kMaxLoadedSamples / 2;
  const uint64_t k = n <= kMaxLoadedSamples ? 1 : (n + buckets - 1) / buckets;
  std::vector<uint64_t> kept;  // sorted row indices
  if (k > 1) {
    TAPEDECK_ASSIGN_OR_RETURN(kept, BucketExtremes(dir + "/equity.csv", n, k));
  }
  auto sampled = [&kept](uint64_t index) {
    return std::binary_search(kept.begin(), kept.end(), index);
  };
  RowFilter equity_keep;
  if (k > 1) {
    equity_keep = [sampled](uint64_t i, const std::vector<std::string>&) { return sampled(i); };
  }
  TAPEDECK_ASSIGN_OR_RETURN(r.equity, ReadCsv(dir + "/equity.csv", equity_keep));
  TAPEDECK_ASSIGN_OR_RETURN(r.fills, ReadCsv(dir + "/fills.csv"));
  if (std::filesystem::exists(dir + "/prices.csv")) {
    RowFilter prices_keep;
    if (k > 1) {
      // Rows of one timestamp are consecutive: the timestamp's index counts the changes of ts.
      prices_keep = [sampled, index = uint64_t{0}, ts = std::string(), first = true](
                        uint64_t, const std::vector<std::string>& row) mutable {
        const std::string& now = row.front();
        if (!first && now != ts) ++index;
        if (first || now != ts) ts = now;
        first = false;
        return sampled(index);
      };
    }
    TAPEDECK_ASSIGN_OR_RETURN(r.prices, ReadCsv(dir + "/prices.csv", prices_keep));
  }
  if (std::filesystem::exists(dir + "/round_trips.csv")) {
    TAPEDECK_ASSIGN_OR_RETURN(r.round_trips, ReadCsv(dir + "/round_trips.csv"));
  }
  if (std::filesystem::exists(dir + "/account.csv")) {
    TAPEDECK_ASSIGN_OR_RETURN(r.account, ReadCsv(dir + "/account.csv"));
  }
  return r;
}

absl::StatusOr<std::vector<std::string>> StrategyDirs(const std::string& dir) {
  nlohmann::json s;
  TAPEDECK_RETURN_IF_ERROR(LoadJsonFile(dir + "/summary.json", &s));
  const std::string schema = SchemaOf(s);
  if (schema == "tapedeck.summary/1") return std::vector<std::string>{dir};
  if (schema != "tapedeck.run/1") {
    return absl::InvalidArgumentError(absl::StrCat(
        dir, "/summary.json: schema: '", schema,
        "' is neither tapedeck.run/1 (a run directory) nor tapedeck.summary/1 (a strategy's)"));
  }
  std::vector<std::string> out;
  static const nlohmann::json kNull;
  const nlohmann::json& list = s.contains("strategies") ? s["strategies"] : kNull;
  if (!list.is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, "/summary.json: strategies: expected an array"));
  }
  for (const nlohmann::json& one : list) {
    const bool named = one.is_object() && one.contains("label") && one["label"].is_string();
    const std::string label = named ? one["label"].get<std::string>() : "";
    if (label.empty() || label.find('/') != std::string::npos || label == "..") {
      return absl::InvalidArgumentError(
          absl::StrCat(dir, "/summary.json: strategies: bad label '", label, "'"));
    }
    out.push_back(dir + "/" + label);
  }
  return out;
}

absl::StatusOr<bool> IsRunDir(const std::string& dir) {
  nlohmann::json s;
  TAPEDECK_RETURN_IF_ERROR(LoadJsonFile(dir + "/summary.json", &s));
  return SchemaOf(s) == "tapedeck.run/1";
}

// ---- Curves ----

std::vector<Pt> EquityPoints(const RunData& r) {
  std::vector<Pt> pts;
  const int ts = r.equity.Column("ts"), eq = r.equity.Column("equity");
  if (ts < 0 || eq < 0) return pts;
  pts.reserve(r.equity.rows.size() + 1);
  for (const auto& row : r.equity.rows) {
    if (row.size() <= static_cast<size_t>(std::max(ts, eq))) continue;
    pts.push_back(Pt{ToD(row[static_cast<size_t>(ts)]), ToD(row[static_cast<size_t>(eq)])});
  }
  return pts;
}

double InitialCash(const RunData& r) {
  return r.summary.Value(MetricId::kInitialCash).ToDouble().value_or(std::nan(""));
}

std::vector<Pt> EquityFromStart(const RunData& r, const std::vector<Pt>& equity, const Span& span) {
  const double initial = InitialCash(r);
  std::vector<Pt> out;
  out.reserve(equity.size() + 1);
  if (!std::isnan(initial) && (equity.empty() || equity.front().x > span.x0)) {
    out.push_back(Pt{span.x0, initial});
  }
  out.insert(out.end(), equity.begin(), equity.end());
  return out;
}

std::vector<Pt> DrawdownPoints(const std::vector<Pt>& eq, double initial) {
  std::vector<Pt> out;
  out.reserve(eq.size());
  double peak = std::isnan(initial) ? -INFINITY : initial;
  for (const Pt& p : eq) {
    if (std::isnan(p.y)) continue;
    peak = std::max(peak, p.y);
    out.push_back(Pt{p.x, peak > 0 ? (1.0 - p.y / peak) * 100.0 : 0.0});
  }
  return out;
}

Span TimeSpan(const RunData& r, const std::vector<Pt>& eq) {
  Span s;
  if (r.summary.end > r.summary.start) {
    s.x0 = static_cast<double>(r.summary.start.ns);
    s.x1 = static_cast<double>(r.summary.end.ns);
  } else if (!eq.empty()) {
    s.x0 = eq.front().x;
    s.x1 = eq.back().x;
  }
  if (!(s.x1 > s.x0)) s.x1 = s.x0 + kNsPerSec;
  return s;
}

std::vector<InstrumentSeries> PriceSeries(const RunData& r) {
  std::vector<InstrumentSeries> out;
  const CsvTable& t = r.prices;
  const int ts = t.Column("ts"), sym = t.Column("symbol"), last = t.Column("last_price"),
            mid = t.Column("mid_price"), pos = t.Column("position");
  if (ts < 0 || sym < 0 || last < 0 || mid < 0 || pos < 0) return out;
  std::map<std::string, size_t> index;
  for (const auto& row : t.rows) {
    if (row.size() < t.header.size()) continue;
    const std::string& s = row[static_cast<size_t>(sym)];
    auto [it, added] = index.emplace(s, out.size());
    if (added) {
      out.push_back(InstrumentSeries{});
      out.back().symbol = s;
    }
    InstrumentSeries& is = out[it->second];
    const double x = ToD(row[static_cast<size_t>(ts)]);
    double p = ToD(row[static_cast<size_t>(last)]);
    if (std::isnan(p)) p = ToD(row[static_cast<size_t>(mid)]);
    is.has_price = is.has_price || !std::isnan(p);
    is.price.push_back(Pt{x, p});
    double m = ToD(row[static_cast<size_t>(mid)]);
    if (std::isnan(m)) m = ToD(row[static_cast<size_t>(last)]);
    is.mid.push_back(Pt{x, m});
    const double q = ToD(row[static_cast<size_t>(pos)]);
    is.position.push_back(Pt{x, q});
  }
  const int fsym = r.fills.Column("symbol");
  if (fsym >= 0) {
    for (const auto& row : r.fills.rows) {
      if (row.size() <= static_cast<size_t>(fsym)) continue;
      auto it = index.find(row[static_cast<size_t>(fsym)]);
      if (it != index.end()) out[it->second].traded = true;
    }
  }
  return out;
}

std::string Ordinal(size_t n) {
  const size_t tens = n % 100, ones = n % 10;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) suffix = ones == 1 ? "st" : ones == 2 ? "nd" : ones == 3 ? "rd" : "th";
  return absl::StrCat(n, suffix);
}

std::vector<Marker> FillMarkers(const RunData& r, const std::string& symbol, std::string* note) {
  std::vector<Marker> out;
  const CsvTable& f = r.fills;
  const int ts = f.Column("local_ts"), sym = f.Column("symbol"), side = f.Column("side"),
            px = f.Column("price"), qty = f.Column("qty");
  if (ts < 0 || sym < 0 || side < 0 || px < 0 || qty < 0) return out;
  auto at = [](const std::vector<std::string>& row, int col) -> const std::string& {
    return row[static_cast<size_t>(col)];
  };
  // Each side on its own: thinning both together keeps every k-th fill, which drops a whole
  // side when buys and sells alternate.
  std::vector<const std::vector<std::string>*> sides[2];
  for (const auto& row : f.rows) {
    if (row.size() >= f.header.size() && at(row, sym) == symbol) {
      sides[at(row, side) == "buy" ? 0 : 1].push_back(&row);
    }
  }
  size_t every[2];
  for (int k = 0; k < 2; ++k) {
    every[k] = std::max<size_t>(1, (sides[k].size() + kMaxMarkersPerSide - 1) / kMaxMarkersPerSide);
    for (size_t i = 0; i < sides[k].size(); i += every[k]) {
      const auto& row = *sides[k][i];
      const double t = ToD(at(row, ts));
      out.push_back(Marker{t, ToD(at(row, px)), k == 0,
                           absl::StrCat(k == 0 ? "buy " : "sell ", at(row, qty), " @ ",
                                        at(row, px), "  ",
                                        FormatTimestamp(Timestamp(static_cast<int64_t>(t))))});
    }
  }
  // In time order (buys before sells at one time), so the page is the same for the same files.
  std::stable_sort(out.begin(), out.end(), [](const Marker& a, const Marker& b) { return a.x < b.x; });
  auto part = [&](int k, const char* noun) {
    return every[k] > 1 ? absl::StrCat("every ", Ordinal(every[k]), " of ", sides[k].size(), " ", noun)
                        : absl::StrCat(sides[k].size(), " ", noun);
  };
  *note = absl::StrCat(part(0, "buys"), ", ", part(1, "sells"),
                       every[0] > 1 || every[1] > 1 ? " shown" : "");
  return out;
}

std::vector<Pt> PositionSteps(const RunData& r, const std::string& symbol, double x0) {
  // (time, change) from the fills, and the venue's closes as changes that flatten.
  struct Change {
    double x;
    double qty;      // signed change
    bool to_zero;    // a settlement or liquidation: flat afterwards
  };
  std::vector<Change> changes;
  const CsvTable& f = r.fills;
  const int ts = f.Column("local_ts"), sym = f.Column("symbol"), side = f.Column("side"),
            qty = f.Column("qty");
  if (ts >= 0 && sym >= 0 && side >= 0 && qty >= 0) {
    for (const auto& row : f.rows) {
      if (row.size() < f.header.size() || row[static_cast<size_t>(sym)] != symbol) continue;
      const double q = ToD(row[static_cast<size_t>(qty)]);
      changes.push_back(Change{ToD(row[static_cast<size_t>(ts)]),
                               row[static_cast<size_t>(side)] == "buy" ? q : -q, false});
    }
  }
  const CsvTable& a = r.account;
  const int ats = a.Column("local_ts"), asym = a.Column("symbol"), act = a.Column("action");
  if (ats >= 0 && asym >= 0 && act >= 0) {
    for (const auto& row : a.rows) {
      if (row.size() < a.header.size() || row[static_cast<size_t>(asym)] != symbol) continue;
      const std::string& what = row[static_cast<size_t>(act)];
      if (what == "settlement" || what == "liquidation") {
        changes.push_back(Change{ToD(row[static_cast<size_t>(ats)]), 0, true});
      }
    }
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change& l, const Change& rr) { return l.x < rr.x; });
  std::vector<Pt> out = {Pt{x0, 0}};
  double pos = 0;
  for (const Change& c : changes) {
    pos = c.to_zero ? 0 : pos + c.qty;
    if (out.back().x == c.x) {
      out.back().y = pos;  // several fills at one time: the position after the last
    } else {
      out.push_back(Pt{c.x, pos});
    }
  }
  return out;
}

}  // namespace tapedeck::analysis
