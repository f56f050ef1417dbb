#include "adapters/clordid.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "adapters/fix_codec.h"

namespace tapedeck::adapters {
namespace {

constexpr char kDigits36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr char kHex[] = "0123456789abcdef";
// Order ids take 15 hex digits (60 bits) of a UUID; the kind/replace count 3 (0 order, 1 cancel,
// n + 1 the n-th replace, so up to 4094 replaces of one order).
constexpr uint64_t kUuidIdMask = (uint64_t{1} << 60) - 1;
constexpr uint32_t kUuidMaxReplace = 0xffd;

std::string Hex(uint64_t v, int digits) {
  std::string s(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) s[static_cast<size_t>(i)] = kHex[v & 15];
  return s;
}

bool ParseHex(std::string_view s, uint64_t* out) {
  uint64_t v = 0;
  for (char c : s) {
    const char* p = std::char_traits<char>::find(kHex, 16, c);
    if (p == nullptr) return false;
    v = v << 4 | static_cast<uint64_t>(p - kHex);
  }
  *out = v;
  return true;
}

// "pppppppp-pppp-4kkk-8iii-iiiiiiiiiiii": p the 12-hex session prefix, version 4 and variant 8
// nibbles so that it reads as a UUID, k the request kind, i the order id.
std::string Uuid(const std::string& prefix, uint32_t kind, uint64_t id) {
  const std::string ids = Hex(id & kUuidIdMask, 15);
  return absl::StrCat(prefix.substr(0, 8), "-", prefix.substr(8, 4), "-4", Hex(kind, 3), "-8",
                      ids.substr(0, 3), "-", ids.substr(3));
}

OrderId ParseUuid(const std::string& prefix, std::string_view t) {
  if (t.size() != 36 || t.substr(0, 8) != std::string_view(prefix).substr(0, 8) ||
      t[8] != '-' || t.substr(9, 4) != std::string_view(prefix).substr(8, 4) || t[13] != '-' ||
      t[14] != '4' || t[18] != '-' || t[19] != '8' || t[23] != '-') {
    return OrderId();
  }
  uint64_t id = 0;
  if (!ParseHex(absl::StrCat(std::string(t.substr(20, 3)), std::string(t.substr(24))), &id) ||
      id == 0) {
    return OrderId();
  }
  return OrderId(id);
}

bool AllowedChar(ClOrdIdStyle style, char c) {
  const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (style == ClOrdIdStyle::kDashed) return alnum || c == '-' || c == '_';
  return c > ' ' && c < 127 && c != '|';
}

}  // namespace

std::string ClOrdIdScheme::Order(OrderId id) const {
  return style_ == ClOrdIdStyle::kUuid ? Uuid(prefix_, 0, id.value) : ClOrdIdOf(prefix_, id);
}

std::string ClOrdIdScheme::Cancel(OrderId id) const {
  if (style_ == ClOrdIdStyle::kUuid) return Uuid(prefix_, 1, id.value);
  return CancelClOrdIdOf(prefix_, id, style_ == ClOrdIdStyle::kDashed ? '-' : '.');
}

std::string ClOrdIdScheme::Modify(OrderId id, uint32_t n) const {
  if (style_ == ClOrdIdStyle::kUuid) return Uuid(prefix_, std::min(n, kUuidMaxReplace) + 1, id.value);
  return ModifyClOrdIdOf(prefix_, id, n, style_ == ClOrdIdStyle::kDashed ? '-' : '.');
}

OrderId ClOrdIdScheme::Parse(std::string_view text) const {
  if (style_ == ClOrdIdStyle::kUuid) return ParseUuid(prefix_, text);
  return ParseClOrdId(prefix_, text, style_ == ClOrdIdStyle::kDashed ? '-' : '.');
}

std::string NewSessionTag(int64_t wall_ns, std::string_view random) {
  uint64_t ms = static_cast<uint64_t>(wall_ns / 1'000'000);
  std::string t;
  while (ms > 0) {
    t.insert(t.begin(), kDigits36[ms % 36]);
    ms /= 36;
  }
  for (size_t i = 0; i < 2; ++i) {
    const unsigned char r = i < random.size() ? static_cast<unsigned char>(random[i]) : 0;
    t.push_back(kDigits36[r % 36]);
  }
  return t;
}

absl::StatusOr<ClOrdIdScheme> MakeClOrdIdScheme(const VenueProfile& profile,
                                                std::string_view base, std::string_view tag) {
  const ClOrdIdStyle style = profile.clordids;
  if (style == ClOrdIdStyle::kUuid) {
    // The tag's base-36 text folded into 48 bits: 12 hex digits.
    uint64_t h = 1469598103934665603ULL;
    for (char c : absl::StrCat(std::string(base), std::string(tag))) {
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return ClOrdIdScheme(style, Hex(h >> 16, 12));
  }
  for (char c : base) {
    if (!AllowedChar(style, c)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "clordid_prefix: '%c' is not allowed in %s's ClOrdIDs%s", c, std::string(profile.name),
          style == ClOrdIdStyle::kDashed ? " (letters, digits, '-' and '_' only)" : ""));
    }
  }
  const std::string prefix =
      absl::StrCat(std::string(base), std::string(tag), style == ClOrdIdStyle::kDashed ? "-" : ".");
  // The longest ClOrdID a session writes: the prefix, 12 digits of order id (10^12 orders)
  // and a replace suffix "-m999".
  if (prefix.size() + 12 + 5 > profile.clordid_max) {
    return absl::InvalidArgumentError(absl::StrCat(
        "clordid_prefix: too long for ", std::string(profile.name), " (ClOrdIDs of at most ",
        profile.clordid_max, " characters; the session tag takes ", tag.size() + 1, ")"));
  }
  return ClOrdIdScheme(style, prefix);
}

absl::Status RecordClOrdIdPrefix(const std::string& dir, int64_t start_ns,
                                 std::string_view prefix) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string path = absl::StrCat(dir, "/clordid_prefixes");
  std::ofstream out(path, std::ios::app);
  out << start_ns << ' ' << prefix << '\n';
  if (!out) return absl::InternalError(absl::StrCat(path, ": cannot append"));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ReadClOrdIdPrefixes(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/clordid_prefixes");
  std::ifstream in(path);
  std::vector<std::string> out;
  if (!in) return out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::vector<std::string> parts = absl::StrSplit(line, absl::MaxSplits(' ', 1));
    int64_t ns = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &ns) || parts[1].empty()) {
      return absl::DataLossError(absl::StrCat(path, ":", n, ": not '<start ns> <prefix>'"));
    }
    out.push_back(parts[1]);
  }
  return out;
}

}  // namespace tapedeck::adapters
