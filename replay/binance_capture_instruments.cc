#include "replay/binance_capture_instruments.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "replay/line_reader.h"

namespace tapedeck::replay {

namespace {

// The most decimals seen, and the first line that had that many (for messages).
struct Decimals {
  int price = 0;
  int qty = 0;
  int64_t price_line = 0;
  int64_t qty_line = 0;
};

// Instrument scales go up to 12 (core/instrument.h); a capture needing more cannot be inferred.
constexpr int kMaxInferredScale = 12;

// Significant decimals of a decimal string ("61837.63000000" -> 2); -1 when not a decimal.
int SignificantDecimals(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  const size_t int_begin = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == int_begin && (i == s.size() || s[i] != '.')) return -1;
  if (i == s.size()) return 0;
  if (s[i] != '.') return -1;
  const size_t frac_begin = ++i;
  size_t last_nonzero = frac_begin;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (s[i] != '0') last_nonzero = i + 1;
    ++i;
  }
  if (i != s.size()) return -1;
  return static_cast<int>(last_nonzero - frac_begin);
}

bool IsPriceKey(std::string_view k) {
  return k == "p" || k == "b" || k == "a" || k == "i" || k == "P" || k == "ap" || k == "L";
}
bool IsQtyKey(std::string_view k) {
  return k == "q" || k == "B" || k == "A" || k == "l" || k == "z" || k == "Q";
}

// Walks the JSON text of one capture line and widens *d with every price and quantity string:
// values of the price/qty keys of Binance's streams, and [price, qty] pairs of depth arrays.
void ScanLine(std::string_view json, int64_t line, Decimals* d) {
  auto widen = [line](int n, int* scale, int64_t* at) {
    if (n > *scale) {
      *scale = n;
      *at = line;
    }
  };
  std::string_view last_key;
  char before = 0;  // the last non-space character before the current token
  char before_before = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == ' ') continue;
    if (c != '"') {
      before_before = before;
      before = c;
      continue;
    }
    size_t end = i + 1;
    while (end < json.size() && json[end] != '"') end += json[end] == '\\' ? 2u : 1u;
    const std::string_view str = json.substr(i + 1, std::min(end, json.size()) - i - 1);
    size_t next = end + 1;
    while (next < json.size() && json[next] == ' ') ++next;
    if (next < json.size() && json[next] == ':') {
      last_key = str;
    } else {
      const int n = SignificantDecimals(str);
      if (n >= 0) {
        if (before == ':' && IsPriceKey(last_key)) widen(n, &d->price, &d->price_line);
        if (before == ':' && IsQtyKey(last_key)) widen(n, &d->qty, &d->qty_line);
        if (before == '[') widen(n, &d->price, &d->price_line);                     // pair: price
        if (before == ',' && before_before == '"') widen(n, &d->qty, &d->qty_line);  // pair: qty
      }
    }
    before_before = before;
    before = '"';
    i = end;
  }
}

std::string_view ValueOf(std::string_view json, std::string_view key) {
  const std::string pattern = absl::StrCat("\"", std::string(key), "\":\"");
  const size_t at = json.find(pattern);
  if (at == std::string_view::npos) return {};
  const size_t begin = at + pattern.size();
  const size_t end = json.find('"', begin);
  if (end == std::string_view::npos) return {};
  return json.substr(begin, end - begin);
}

std::pair<std::string, std::string> SplitSymbol(std::string_view symbol) {
  std::string_view s = symbol.substr(0, symbol.find('_'));
  for (std::string_view q : {"FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USD", "BTC", "ETH", "BNB"}) {
    if (s.size() > q.size() && s.substr(s.size() - q.size()) == q) {
      return {std::string(s.substr(0, s.size() - q.size())), std::string(q)};
    }
  }
  return {std::string(s), ""};
}

}  // namespace

absl::StatusOr<std::vector<Instrument>> BinanceCaptureInstruments(const std::string& path) {
  TAPEDECK_ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader,
                            LineReader::Open(path));
  std::map<std::string, Decimals> by_symbol;  // ordered: instruments come out sorted by symbol
  Decimals unnamed;                           // REST snapshot lines name no symbol
  bool futures = false;
  bool coin_margined = false;
  std::string_view line;
  while (reader->Next(&line)) {
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    const bool shaped = space != std::string_view::npos && space > 0 &&
                        line.find_first_not_of("0123456789") == space && space + 1 < line.size() &&
                        line[space + 1] == '{';
    if (!shaped) {
      if (reader->line_number() <= 3) return std::vector<Instrument>();  // not a capture
      continue;
    }
    const std::string_view json = line.substr(space + 1);
    if (reader->line_number() <= 3 && json.find("\"stream\":\"") == std::string_view::npos &&
        json.find("\"lastUpdateId\"") == std::string_view::npos) {
      return std::vector<Instrument>();
    }
    const std::string_view symbol = ValueOf(json, "s");
    Decimals* d = symbol.empty() ? &unnamed : &by_symbol[std::string(symbol)];
    ScanLine(json, reader->line_number(), d);
    for (const auto& [scale, at, what] : {std::tuple(d->price, d->price_line, "price"),
                                          std::tuple(d->qty, d->qty_line, "quantity")}) {
      if (scale > kMaxInferredScale) {
        return absl::InvalidArgumentError(absl::StrCat(
            path, ":", at, ": a ", what, " with ", scale, " decimals: an instrument's scale is "
            "at most ", kMaxInferredScale, ", so the scales cannot be inferred from this "
            "capture; pass --instruments FILE.json"));
      }
    }
    if (!futures && (json.find("\"pu\":") != std::string_view::npos ||
                     json.find("\"ps\":") != std::string_view::npos ||
                     json.find("\"e\":\"bookTicker\"") != std::string_view::npos ||
                     json.find("\"e\":\"markPriceUpdate\"") != std::string_view::npos)) {
      futures = true;
    }
    if (json.find("\"ps\":") != std::string_view::npos) coin_margined = true;
  }
  TAPEDECK_RETURN_IF_ERROR(reader->status());
  if (by_symbol.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": a Binance capture that names no symbol; pass --instruments FILE.json"));
  }
  std::vector<Instrument> out;
  for (auto& [symbol, d] : by_symbol) {
    Instrument in;
    in.symbol = symbol;
    std::tie(in.base, in.quote) = SplitSymbol(symbol);
    const bool perp = symbol.find('_') == std::string::npos || symbol.ends_with("_PERP");
    if (!perp) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": ", symbol, " looks like a dated future, whose expiry the capture does not "
          "carry; pass --instruments FILE.json"));
    }
    in.kind = futures ? InstrumentKind::kPerpetual : InstrumentKind::kSpot;
    in.price_scale = std::max(d.price, unnamed.price);
    in.qty_scale = std::max(d.qty, unnamed.qty);
    in.tick_size = Price(1);
    in.lot_size = Qty(1);
    if (coin_margined || symbol.ends_with("_PERP")) {
      // COIN-M contracts are worth a fixed amount of USD: 100 for BTC, 10 for the others.
      in.contract_multiplier_e8 = (in.base == "BTC" ? 100 : 10) * 100'000'000ll;
    }
    in.maker_fee = futures ? Rate(20'000) : Rate(100'000);
    in.taker_fee = futures ? Rate(50'000) : Rate(100'000);
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace tapedeck::replay
