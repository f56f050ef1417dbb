#include "adapters/fix_codec.h"

#include "absl/strings/str_cat.h"
#include "core/decimal.h"

namespace tapedeck::adapters {
namespace {

// Days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
void CivilFromDays(int64_t z, int* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(yy + (*m <= 2 ? 1 : 0));
}

int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

bool Digits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

constexpr int64_t kNanosPerDay = 86'400'000'000'000;

// Writes `v` (>= 0) as `width` zero-padded digits ending before `end`. The formatters below
// build their text by hand: snprintf was most of the cost of a NewOrderSingle's TransactTime.
void PutDigits(char* end, int width, int64_t v) {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

// "YYYYMMDD" at out[0..8). Years of an int64 ns clock are 1677..2262: always four digits.
void PutFixDate(int64_t ns, char* out) {
  int y;
  unsigned m, d;
  CivilFromDays(FloorDiv(ns, kNanosPerDay), &y, &m, &d);
  PutDigits(out + 4, 4, y);
  PutDigits(out + 6, 2, m);
  PutDigits(out + 8, 2, d);
}

// "HH:MM:SS." then `frac_digits` digits of the second at out[0..9 + frac_digits).
void PutFixTime(int64_t ns, int frac_digits, char* out) {
  const int64_t t = ns - FloorDiv(ns, kNanosPerDay) * kNanosPerDay;
  const int64_t secs = t / 1'000'000'000;
  PutDigits(out + 2, 2, secs / 3600);
  out[2] = ':';
  PutDigits(out + 5, 2, secs / 60 % 60);
  out[5] = ':';
  PutDigits(out + 8, 2, secs % 60);
  out[8] = '.';
  PutDigits(out + 9 + frac_digits, frac_digits,
            t % 1'000'000'000 / Pow10(9 - frac_digits));
}

// Sets `tag` unless it already holds `v`: QuickFIX re-encodes a field's "tag=value" text after
// every set, and a reused message's side, symbol, types and often price stay the same.
void SetIfChanged(FIX::FieldMap* m, int tag, std::string_view v) {
  if (m->isSetField(tag) && m->getField(tag) == v) return;
  m->setField(tag, std::string(v));
}

}  // namespace

std::string FormatFixDate(int64_t ns) {
  std::string s(8, '\0');
  PutFixDate(ns, s.data());
  return s;
}

std::string FormatFixTime(int64_t ns) {
  std::string s(18, '\0');
  PutFixTime(ns, 9, s.data());
  return s;
}

std::string FormatFixTimestamp(int64_t ns) {
  std::string s(21, '\0');
  PutFixDate(ns, s.data());
  s[8] = '-';
  PutFixTime(ns, 3, s.data() + 9);
  return s;
}

bool ParseFixDateTime(std::string_view date, std::string_view time, int64_t* ns) {
  int64_t y, mo, d, h, mi, s;
  if (date.size() != 8 || !Digits(date, 0, 4, &y) || !Digits(date, 4, 2, &mo) ||
      !Digits(date, 6, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31) {
    return false;
  }
  if (time.size() < 8 || time[2] != ':' || time[5] != ':' || !Digits(time, 0, 2, &h) ||
      !Digits(time, 3, 2, &mi) || !Digits(time, 6, 2, &s) || h > 23 || mi > 59 || s > 60) {
    return false;
  }
  int64_t frac = 0;
  if (time.size() > 8) {
    const size_t n = time.size() - 9;
    if (time[8] != '.' || n == 0 || n > 9 || !Digits(time, 9, n, &frac)) return false;
    frac *= Pow10(9 - static_cast<int>(n));
  }
  const int64_t days = DaysFromCivil(static_cast<int>(y), static_cast<unsigned>(mo),
                                     static_cast<unsigned>(d));
  // Years 0000..9999 reach beyond int64 ns (1677..2262): checked, not wrapped.
  int64_t day_ns = 0, total = 0;
  if (__builtin_mul_overflow(days, kNanosPerDay, &day_ns) ||
      __builtin_add_overflow(day_ns, ((h * 60 + mi) * 60 + s) * 1'000'000'000 + frac, &total)) {
    return false;
  }
  *ns = total;
  return true;
}

bool ParseFixTimestamp(std::string_view text, int64_t* ns) {
  if (text.size() < 9 || text[8] != '-') return false;
  return ParseFixDateTime(text.substr(0, 8), text.substr(9), ns);
}

std::string ClOrdIdOf(std::string_view prefix, OrderId id) {
  return absl::StrCat(std::string(prefix), id.value);
}

std::string CancelClOrdIdOf(std::string_view prefix, OrderId id, char sep) {
  return absl::StrCat(std::string(prefix), id.value, std::string(1, sep), "c");
}

std::string ModifyClOrdIdOf(std::string_view prefix, OrderId id, uint32_t n, char sep) {
  return absl::StrCat(std::string(prefix), id.value, std::string(1, sep), "m", n);
}

OrderId ParseClOrdId(std::string_view prefix, std::string_view text, char sep) {
  if (text.substr(0, prefix.size()) != prefix) return OrderId();
  text.remove_prefix(prefix.size());
  const char cancel[2] = {sep, 'c'};
  const char modify[2] = {sep, 'm'};
  if (text.size() > 2 && text.substr(text.size() - 2) == std::string_view(cancel, 2)) {
    text.remove_suffix(2);
  } else if (const size_t m = text.rfind(std::string_view(modify, 2)); m != std::string_view::npos) {
    const std::string_view n = text.substr(m + 2);
    if (n.empty() || n.size() > 9 || n[0] == '0' ||
        n.find_first_not_of("0123456789") != std::string_view::npos) {
      return OrderId();
    }
    text = text.substr(0, m);
  }
  if (text.empty() || text.size() > 19 || text[0] == '0') return OrderId();
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return OrderId();
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return OrderId(v);
}

char FixSide(Side s) { return s == Side::kBuy ? '1' : '2'; }

bool ParseFixSide(std::string_view v, Side* out) {
  if (v == "1") {
    *out = Side::kBuy;
    return true;
  }
  if (v == "2" || v == "5" || v == "6") {  // sell, sell short, sell short exempt
    *out = Side::kSell;
    return true;
  }
  return false;
}

namespace {

// The fields a NewOrderSingle and an OrderCancelReplaceRequest share (all but MsgType and
// OrigClOrdID), into a message that is empty or holds an earlier one of the same type.
void SetOrderFields(const OrderRequest& r, const Instrument& in, std::string_view clordid,
                    int64_t now_ns, FIX::Message* msg) {
  msg->setField(tag::kClOrdID, std::string(clordid));
  SetIfChanged(msg, tag::kSymbol, in.symbol);
  const char side = FixSide(r.side);
  SetIfChanged(msg, tag::kSide, std::string_view(&side, 1));
  msg->setField(tag::kTransactTime, FormatFixTimestamp(now_ns));
  SetIfChanged(msg, tag::kOrderQty, FormatDecimal(r.qty.raw, in.qty_scale));
  SetIfChanged(msg, tag::kOrdType, r.type == OrderType::kMarket ? "1" : "2");
  // Optional fields are removed when absent: `msg` may still hold an earlier order's.
  if (r.type == OrderType::kLimit) {
    SetIfChanged(msg, tag::kPrice, FormatDecimal(r.price.raw, in.price_scale));
  } else {
    msg->removeField(tag::kPrice);
  }
  SetIfChanged(msg, tag::kTimeInForce,
               r.tif == TimeInForce::kIoc ? "3" : (r.tif == TimeInForce::kFok ? "4" : "1"));
  // ExecInst 6 = participate don't initiate (post-only), E = do not increase (reduce-only).
  if (r.post_only || r.reduce_only) {
    SetIfChanged(msg, tag::kExecInst, r.post_only ? (r.reduce_only ? "6 E" : "6") : "E");
  } else {
    msg->removeField(tag::kExecInst);
  }
}

}  // namespace

void BuildNewOrderSingle(const OrderRequest& r, const Instrument& in, std::string_view clordid,
                         int64_t now_ns, FIX::Message* msg) {
  SetIfChanged(&msg->getHeader(), tag::kMsgType, "D");
  SetOrderFields(r, in, clordid, now_ns, msg);
}

void BuildCancelRequest(const OrderRequest& r, const Instrument& in, std::string_view orig_clordid,
                        std::string_view clordid, int64_t now_ns, FIX::Message* msg) {
  SetIfChanged(&msg->getHeader(), tag::kMsgType, "F");
  msg->setField(tag::kOrigClOrdID, std::string(orig_clordid));
  msg->setField(tag::kClOrdID, std::string(clordid));
  SetIfChanged(msg, tag::kSymbol, in.symbol);
  const char side = FixSide(r.side);
  SetIfChanged(msg, tag::kSide, std::string_view(&side, 1));
  msg->setField(tag::kTransactTime, FormatFixTimestamp(now_ns));
  SetIfChanged(msg, tag::kOrderQty, FormatDecimal(r.qty.raw, in.qty_scale));
}

void BuildReplaceRequest(const OrderRequest& r, const Instrument& in, std::string_view orig_clordid,
                         std::string_view clordid, int64_t now_ns, FIX::Message* msg) {
  // The same fields as a NewOrderSingle (new price and quantity), plus OrigClOrdID.
  SetIfChanged(&msg->getHeader(), tag::kMsgType, "G");
  msg->setField(tag::kOrigClOrdID, std::string(orig_clordid));
  SetOrderFields(r, in, clordid, now_ns, msg);
}

void BuildStatusRequest(const OrderRequest& r, const Instrument& in, std::string_view clordid,
                        FIX::Message* msg) {
  msg->getHeader().setField(tag::kMsgType, "H");
  msg->setField(tag::kClOrdID, std::string(clordid));
  msg->setField(tag::kSymbol, in.symbol);
  msg->setField(tag::kSide, std::string(1, FixSide(r.side)));
}

int FixRejectCode(RejectReason r) {
  switch (r) {
    case RejectReason::kUnknownInstrument: return 1;
    case RejectReason::kInvalidQty: return 13;
    case RejectReason::kUnknownOrder: return 5;
    default: return 99;
  }
}

RejectReason RejectReasonOf(int code, std::string_view text) {
  switch (code) {
    case 1: return RejectReason::kUnknownInstrument;
    case 13: return RejectReason::kInvalidQty;
    case 5: return RejectReason::kUnknownOrder;
    default: break;
  }
  for (RejectReason r : {RejectReason::kInvalidPrice, RejectReason::kNoLiquidity,
                         RejectReason::kWouldCross, RejectReason::kUnknownOrder}) {
    if (text == RejectReasonName(r)) return r;
  }
  return RejectReason::kVenue;
}

bool GetDecimalField(const FIX::FieldMap& m, int t, int scale, int64_t* raw, std::string* error) {
  if (!m.isSetField(t)) return true;
  const std::string& text = m.getField(t);
  if (!TryParseDecimal(text, scale, raw)) {
    *error = absl::StrCat("tag ", t, ": '", text, "': ",
                          ParseDecimal(text, scale).status().message());
    return false;
  }
  return true;
}

}  // namespace tapedeck::adapters
