#include "core/config.h"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/decimal.h"
#include "core/json_reader.h"
#include "core/status.h"

namespace tapedeck {
namespace {

std::string TypeName(const nlohmann::json& j) { return j.type_name(); }

// "12", "-0.5", "+3.": a sign, digits and at most one point, with at least one digit.
bool IsPlainDecimal(std::string_view s) {
  size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digits = false, point = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      digits = true;
    } else if (s[i] == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digits;
}

struct Unit {
  std::string_view suffix;
  int64_t ns;
};
constexpr Unit kUnits[] = {{"ns", 1},
                           {"us", 1'000},
                           {"ms", 1'000'000},
                           {"s", 1'000'000'000},
                           {"m", 60'000'000'000},
                           {"h", 3'600'000'000'000},
                           {"d", 86'400'000'000'000}};

absl::Status DurationRangeError(std::string_view text) {
  return absl::OutOfRangeError(absl::StrCat("duration '", std::string(text),
                                            "' is beyond what int64 nanoseconds hold (about "
                                            "106751d, 292 years)"));
}

}  // namespace

absl::StatusOr<Duration> ParseDuration(std::string_view text) {
  for (const Unit& u : kUnits) {
    // "ms" must not be read as "m" + "s": try longer suffixes that end the text first.
    if (text.size() > u.suffix.size() && text.substr(text.size() - u.suffix.size()) == u.suffix) {
      std::string_view num = text.substr(0, text.size() - u.suffix.size());
      if (u.suffix == "s" && !num.empty() && (num.back() == 'm' || num.back() == 'u' || num.back() == 'n')) {
        continue;
      }
      // The count at 9 decimals, times the unit in ns, divided by 1e9: exact for whole ns.
      int64_t scaled = 0;
      if (!TryParseDecimal(num, 9, &scaled)) {
        if (ParseDecimal(num, 9).status().code() == absl::StatusCode::kOutOfRange) {
          return DurationRangeError(text);
        }
        return absl::InvalidArgumentError(
            absl::StrCat("not a duration: '", std::string(text), "' (examples: 250us, 1.5ms, 2s, 5m)"));
      }
      const Int128 ns = static_cast<Int128>(scaled) * u.ns;
      if (ns % 1'000'000'000 != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("duration '", std::string(text), "' is not a whole number of nanoseconds"));
      }
      const Int128 whole = ns / 1'000'000'000;
      if (whole > INT64_MAX || whole < INT64_MIN) return DurationRangeError(text);
      return Duration(static_cast<int64_t>(whole));
    }
  }
  if (text == "0") return Duration(0);
  int64_t ns = 0;
  if (TryParseInt(text, &ns)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "duration '", std::string(text), "' has no unit (write ", std::string(text), "ms, ",
        std::string(text), "s, ...: ns, us, ms, s, m, h, d)"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "not a duration: '", std::string(text), "' (a number with a unit: ns, us, ms, s, m, h, d)"));
}

absl::StatusOr<Timestamp> ParseTimestamp(std::string_view text) {
  int64_t ns = 0;
  if (TryParseInt(text, &ns)) return Timestamp(ns);
  // YYYY-MM-DDTHH:MM:SS[.fffffffff]Z
  const std::string s(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &consumed) != 6 ||
      consumed != 19) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a UTC time: '", s, "' (expected 2026-02-05T00:00:00Z or integer ns)"));
  }
  const absl::CivilSecond cs(y, mo, d, h, mi, sec);
  if (cs.year() != y || cs.month() != mo || cs.day() != d || cs.hour() != h || cs.minute() != mi ||
      cs.second() != sec) {
    return absl::InvalidArgumentError(absl::StrCat("not a valid date and time: '", s, "'"));
  }
  int64_t frac = 0;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    size_t end = pos + 1;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    if (end - pos - 1 > 9 || !TryParseDecimal(std::string_view(s).substr(pos, end - pos), 9, &frac)) {
      return absl::InvalidArgumentError(absl::StrCat("bad fraction of a second in '", s, "'"));
    }
    pos = end;
  }
  if (pos + 1 != s.size() || s[pos] != 'Z') {
    return absl::InvalidArgumentError(absl::StrCat("time '", s, "' must end in Z (UTC)"));
  }
  const int64_t secs = absl::ToUnixSeconds(absl::FromCivil(cs, absl::UTCTimeZone()));
  // In 128 bits: the first second of the range starts below INT64_MIN.
  const Int128 total = static_cast<Int128>(secs) * 1'000'000'000 + frac;
  if (total > INT64_MAX || total < INT64_MIN) {
    return absl::OutOfRangeError(absl::StrCat(
        "time '", s, "' is outside what int64 nanoseconds hold (", FormatTimestamp(Timestamp::Min()),
        " to ", FormatTimestamp(Timestamp::Max()), ")"));
  }
  return Timestamp(static_cast<int64_t>(total));
}

std::string FormatTimestamp(Timestamp t) {
  int64_t secs = t.ns / 1'000'000'000;
  int64_t frac = t.ns % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    --secs;
  }
  const absl::CivilSecond cs = absl::ToCivilSecond(absl::FromUnixSeconds(secs), absl::UTCTimeZone());
  std::string out = absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d", cs.year(), cs.month(),
                                    cs.day(), cs.hour(), cs.minute(), cs.second());
  if (frac != 0) {
    std::string f = absl::StrFormat("%09d", frac);
    if (frac % 1'000'000 == 0) {
      f.resize(3);
    } else if (frac % 1'000 == 0) {
      f.resize(6);
    }
    out += "." + f;
  }
  return out + "Z";
}

absl::Status LoadConfigJson(const std::string& path, nlohmann::json* out) {
  return ReadJsonFile(path, out, JsonReadOptions{.numbers = JsonNumbers::kConfig});
}

absl::Status LoadJsonFile(const std::string& path, nlohmann::json* out) {
  return ReadJsonFile(path, out, JsonReadOptions{.numbers = JsonNumbers::kData});
}

std::string ResolveInputPath(std::string_view base_dir, std::string_view path) {
  if (base_dir.empty() || path.empty() || path.front() == '/') return std::string(path);
  return (std::filesystem::path(base_dir) / std::filesystem::path(path)).lexically_normal().string();
}

std::string ConfigDir(std::string_view path) {
  return std::filesystem::path(path).parent_path().string();
}

ConfigObject::ConfigObject(const nlohmann::json* json, std::string path)
    : json_(json), path_(std::move(path)) {}

absl::StatusOr<ConfigObject> ConfigObject::Of(const nlohmann::json* json, std::string path) {
  if (!json->is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(path.empty() ? "config" : path,
                                                   ": expected an object, got ", TypeName(*json)));
  }
  return ConfigObject(json, std::move(path));
}

bool ConfigObject::Has(std::string_view key) const { return json_->contains(std::string(key)); }

std::string ConfigObject::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : absl::StrCat(path_, ".", std::string(key));
}

const nlohmann::json* ConfigObject::Find(std::string_view key) {
  known_.emplace_back(key);
  auto it = json_->find(std::string(key));
  return it == json_->end() ? nullptr : &*it;
}

absl::Status ConfigObject::Error(std::string_view key, std::string_view what) const {
  return absl::InvalidArgumentError(absl::StrCat(PathOf(key), ": ", std::string(what)));
}

absl::Status ConfigObject::Missing(std::string_view key) const {
  return absl::InvalidArgumentError(absl::StrCat(PathOf(key), ": required key is missing"));
}

const nlohmann::json* ConfigObject::Raw(std::string_view key) { return Find(key); }

#define TAPEDECK_CONFIG_GET_(check, type_word)                            \
  const nlohmann::json* j = Find(key);                                    \
  if (j == nullptr) return required ? Missing(key) : absl::OkStatus();    \
  if (!(check)) {                                                         \
    return Error(key, absl::StrCat("expected ", type_word, ", got ", TypeName(*j))); \
  }

absl::Status ConfigObject::String(std::string_view key, std::string* out, bool required) {
  TAPEDECK_CONFIG_GET_(j->is_string(), "a string");
  *out = j->get<std::string>();
  return absl::OkStatus();
}

absl::Status ConfigObject::InputPath(std::string_view key, std::string* out, bool required) {
  TAPEDECK_CONFIG_GET_(j->is_string(), "a string (a file path)");
  const std::string written = j->get<std::string>();
  if (inputs_ == nullptr) {
    *out = written;
    return absl::OkStatus();
  }
  *out = ResolveInputPath(inputs_->base_dir, written);
  inputs_->read.emplace_back(PathOf(key), written);
  return absl::OkStatus();
}

absl::Status ConfigObject::Int(std::string_view key, int64_t* out, bool required) {
  TAPEDECK_CONFIG_GET_(j->is_number_integer(), "an integer");
  if (j->is_number_unsigned() && j->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return Error(key, absl::StrCat("integer ", j->get<uint64_t>(), " is out of range (at most ",
                                   INT64_MAX, ")"));
  }
  *out = j->get<int64_t>();
  return absl::OkStatus();
}

absl::Status ConfigObject::Int(std::string_view key, int* out, bool required) {
  int64_t v = *out;
  TAPEDECK_RETURN_IF_ERROR(Int(key, &v, required));
  if (v < INT32_MIN || v > INT32_MAX) return Error(key, "integer out of range");
  *out = static_cast<int>(v);
  return absl::OkStatus();
}

absl::Status ConfigObject::Bool(std::string_view key, bool* out, bool required) {
  TAPEDECK_CONFIG_GET_(j->is_boolean(), "true or false");
  *out = j->get<bool>();
  return absl::OkStatus();
}

absl::Status ConfigObject::Double(std::string_view key, double* out, bool required) {
  TAPEDECK_CONFIG_GET_(j->is_number() || j->is_string(), "a number");
  if (j->is_number()) {
    *out = j->get<double>();
    return absl::OkStatus();
  }
  // A decimal string in the syntax of configs (sign, digits, point; no exponent), then the
  // nearest double.
  const std::string& text = j->get_ref<const std::string&>();
  if (!IsPlainDecimal(text)) {
    absl::StatusOr<int64_t> why = ParseDecimal(text, 0);
    return Error(key, why.ok() ? absl::StrCat("not a number: '", text, "'")
                               : std::string(why.status().message()));
  }
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  const std::from_chars_result r = std::from_chars(begin, text.data() + text.size(), *out);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    return Error(key, absl::StrCat("'", text, "' is out of the range of a double"));
  }
  return absl::OkStatus();
}

absl::Status ConfigObject::Decimal(std::string_view key, int scale, int64_t* out, bool required) {
  TAPEDECK_CONFIG_GET_(j->is_number() || j->is_string(), "a decimal number or string");
  std::string text;
  if (j->is_string()) {
    text = j->get<std::string>();
  } else if (j->is_number_integer()) {
    text = std::to_string(j->get<int64_t>());
  } else {
    // Fixed notation: 0.00001 must not come back as 1e-05.
    char buf[512];
    const auto r = std::to_chars(buf, buf + sizeof(buf), j->get<double>(), std::chars_format::fixed);
    text.assign(buf, r.ptr);
  }
  absl::StatusOr<int64_t> v = ParseDecimal(text, scale);
  if (!v.ok()) return Error(key, std::string(v.status().message()));
  *out = *v;
  return absl::OkStatus();
}

absl::Status ConfigObject::DurationValue(std::string_view key, Duration* out, bool required) {
  TAPEDECK_CONFIG_GET_(j->is_string() || j->is_number_integer(), "a duration (\"1ms\", \"5m\")");
  // A bare number is refused like a unitless string ("5": 5 what?); 0 needs no unit.
  absl::StatusOr<Duration> d = ParseDuration(j->is_string() ? j->get<std::string>() : j->dump());
  if (!d.ok()) return Error(key, std::string(d.status().message()));
  *out = *d;
  return absl::OkStatus();
}

absl::Status ConfigObject::TimestampValue(std::string_view key, Timestamp* out, bool required) {
  TAPEDECK_CONFIG_GET_(j->is_string() || j->is_number_integer(), "a UTC time or integer ns");
  absl::StatusOr<Timestamp> t =
      j->is_string() ? ParseTimestamp(j->get<std::string>()) : Timestamp(j->get<int64_t>());
  if (!t.ok()) return Error(key, std::string(t.status().message()));
  *out = *t;
  return absl::OkStatus();
}

absl::Status ConfigObject::Enum(std::string_view key, const std::vector<std::string>& allowed,
                                std::string* out, bool required) {
  TAPEDECK_CONFIG_GET_(j->is_string(), "a string");
  const std::string v = j->get<std::string>();
  for (const std::string& a : allowed) {
    if (a == v) {
      *out = v;
      return absl::OkStatus();
    }
  }
  return Error(key, absl::StrCat("'", v, "' is not one of: ", absl::StrJoin(allowed, ", ")));
}

absl::StatusOr<ConfigObject> ConfigObject::Object(std::string_view key, bool required) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json* j = Find(key);
  ConfigObject child(j == nullptr ? &kEmpty : j, PathOf(key));
  child.inputs_ = inputs_;
  if (j == nullptr) {
    if (required) return Missing(key);
    return child;
  }
  if (!j->is_object()) return Error(key, absl::StrCat("expected an object, got ", TypeName(*j)));
  return child;
}

absl::StatusOr<std::vector<ConfigObject>> ConfigObject::ObjectArray(std::string_view key,
                                                                    bool required) {
  std::vector<ConfigObject> out;
  const nlohmann::json* j = Find(key);
  if (j == nullptr) {
    if (required) return Missing(key);
    return out;
  }
  if (!j->is_array()) return Error(key, absl::StrCat("expected an array, got ", TypeName(*j)));
  for (size_t i = 0; i < j->size(); ++i) {
    const std::string p = absl::StrCat(PathOf(key), "[", i, "]");
    if (!(*j)[i].is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat(p, ": expected an object, got ", TypeName((*j)[i])));
    }
    out.emplace_back(&(*j)[i], p).inputs_ = inputs_;
  }
  return out;
}

absl::Status ConfigObject::Finish() const {
  std::vector<std::string> unknown;
  for (auto it = json_->begin(); it != json_->end(); ++it) {
    bool found = false;
    for (const std::string& k : known_) found = found || k == it.key();
    if (!found) unknown.push_back(PathOf(it.key()));
  }
  if (unknown.empty()) return absl::OkStatus();
  std::vector<std::string> allowed = known_;
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  return absl::InvalidArgumentError(absl::StrCat("unknown key ", absl::StrJoin(unknown, ", "),
                                                 " (allowed here: ", absl::StrJoin(allowed, ", "), ")"));
}

}  // namespace tapedeck
