#include "core/json_reader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/decimal.h"

namespace tapedeck {
namespace {

using Json = nlohmann::json;

// nlohmann's SAX interface reports no positions, so the input iterator records how far the
// lexer has read. At a key the lexer has just read its closing quote; at a number it has read
// one character past it.
class TrackedIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackedIterator(const char* p, const char** high) : p_(p), high_(high) {}
  reference operator*() const { return *p_; }
  TrackedIterator& operator++() {
    *high_ = ++p_;
    return *this;
  }
  TrackedIterator operator++(int) {
    TrackedIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const TrackedIterator& other) const { return p_ == other.p_; }

 private:
  const char* p_;
  const char** high_;
};

// The decimal value of plain number text, as sign, integer digits and fraction digits without
// leading or trailing zeros; zero has no sign.
struct DecimalParts {
  bool negative = false;
  std::string_view whole;
  std::string_view frac;
  friend bool operator==(const DecimalParts&, const DecimalParts&) = default;
};

DecimalParts PartsOf(std::string_view s) {
  DecimalParts d;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    d.negative = s[0] == '-';
    s.remove_prefix(1);
  }
  const size_t point = s.find('.');
  d.whole = s.substr(0, point);
  d.frac = point == std::string_view::npos ? std::string_view() : s.substr(point + 1);
  while (!d.whole.empty() && d.whole.front() == '0') d.whole.remove_prefix(1);
  while (!d.frac.empty() && d.frac.back() == '0') d.frac.remove_suffix(1);
  if (d.whole.empty() && d.frac.empty()) d.negative = false;
  return d;
}

// The shortest spelling, without exponent, that reads back as `v` (what ConfigObject::Decimal
// reads a number through).
std::string ShortestFixed(double v) {
  char buf[512];  // the longest fixed spelling of a double is about 330 characters
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

// Builds the DOM from SAX events, as nlohmann's own DOM parser does, with the checks above.
class DomBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  DomBuilder(std::string_view text, const char** high, JsonReadOptions options, Json* root)
      : text_(text), high_(high), options_(options), root_(root) {}

  bool null() { return Put(Json(nullptr)) != nullptr; }
  bool boolean(bool v) { return Put(Json(v)) != nullptr; }
  bool number_integer(number_integer_t v) { return Put(Json(v)) != nullptr; }
  bool number_unsigned(number_unsigned_t v) { return Put(Json(v)) != nullptr; }
  bool number_float(number_float_t v, const string_t& lexeme) {
    if (options_.numbers == JsonNumbers::kConfig && !CheckConfigNumber(v, lexeme)) return false;
    return Put(Json(v)) != nullptr;
  }
  bool string(string_t& s) { return Put(Json(std::move(s))) != nullptr; }
  bool binary(binary_t&) { return Fail(Offset(), "binary values are not JSON"); }
  bool start_object(std::size_t) { return Open(Json::object()); }
  bool start_array(std::size_t) { return Open(Json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(string_t& k) {
    // The key has just been read: the offset is that of its closing quote.
    const size_t at = Offset() - 1;
    Frame& f = frames_.back();
    const auto [it, inserted] = f.keys.try_emplace(k, at);
    if (!inserted) {
      return Fail(at, absl::StrCat("duplicate key \"", k, "\" (first at ", Where(it->second),
                                   "); each key may appear once in an object"));
    }
    key_ = std::move(k);
    return true;
  }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::json::exception& ex) {
    if (ex.id == 406) {  // out_of_range: a number beyond the range of a double, named at its start
      return Fail(position - std::min(position, last_token.size()),
                  absl::StrCat("number out of the range of a double: ", WithoutPrefix(ex.what())));
    }
    return Fail(position, absl::StrCat("invalid JSON: ", WithoutPrefix(ex.what())));
  }

  bool failed() const { return failed_; }
  size_t error_offset() const { return error_offset_; }
  const std::string& error() const { return error_; }

  // "byte N (line L, column C)" of an offset into the text.
  std::string Where(size_t offset) const {
    offset = std::min(offset, text_.size());
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < offset; ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    return absl::StrCat("byte ", offset, " (line ", line, ", column ", offset - line_start + 1, ")");
  }

 private:
  struct Frame {
    Json* value;
    absl::flat_hash_map<std::string, size_t> keys;  // objects: each key's offset, for messages
  };

  size_t Offset() const { return static_cast<size_t>(*high_ - text_.data()); }

  // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." ->
  // "syntax error ..." (the position is given in our own words).
  static std::string WithoutPrefix(std::string_view what) {
    if (const size_t b = what.find("] "); b != std::string_view::npos) what.remove_prefix(b + 2);
    if (what.starts_with("parse error at line")) {
      if (const size_t c = what.find(": "); c != std::string_view::npos) what.remove_prefix(c + 2);
    }
    return std::string(what);
  }

  bool Fail(size_t offset, std::string what) {
    if (!failed_) {
      failed_ = true;
      error_offset_ = offset;
      error_ = std::move(what);
    }
    return false;
  }

  // The lexer has read one character past the number unless the number ends the text.
  size_t NumberStart(const std::string& lexeme) const {
    const size_t end = Offset();
    if (end < lexeme.size()) return 0;
    if (end >= lexeme.size() + 1 && text_.substr(end - lexeme.size() - 1, lexeme.size()) == lexeme) {
      return end - lexeme.size() - 1;
    }
    return end - lexeme.size();
  }

  bool CheckConfigNumber(double v, const std::string& lexeme) {
    if (lexeme.find_first_of("eE") != std::string::npos) {
      const std::string plain = SpellWithoutExponent(lexeme);
      return Fail(NumberStart(lexeme),
                  absl::StrCat(lexeme, ": exponent notation is not accepted in configs; write the "
                                       "number out",
                               plain.empty() ? "" : absl::StrCat(" (", plain, ")")));
    }
    const std::string shortest = ShortestFixed(v);
    if (PartsOf(shortest) != PartsOf(lexeme)) {
      return Fail(NumberStart(lexeme),
                  absl::StrCat(lexeme, ": more digits than a JSON number holds exactly (it would "
                                       "be read as ", shortest, "); write it as a string, \"",
                               lexeme, "\", where an exact decimal is expected"));
    }
    return true;
  }

  // Places `v` in the open container (or as the root); the placed value, nullptr after an error.
  Json* Put(Json v) {
    if (frames_.empty()) {
      *root_ = std::move(v);
      return root_;
    }
    Json* parent = frames_.back().value;
    if (parent->is_array()) {
      parent->push_back(std::move(v));
      return &parent->back();
    }
    Json& slot = (*parent)[key_];
    slot = std::move(v);
    return &slot;
  }

  bool Open(Json container) {
    if (static_cast<int>(frames_.size()) >= options_.max_depth) {
      return Fail(Offset() - 1, absl::StrCat("nested deeper than ", options_.max_depth, " levels"));
    }
    Json* placed = Put(std::move(container));
    frames_.push_back(Frame{placed, {}});
    return true;
  }

  bool Close() {
    frames_.pop_back();
    return true;
  }

  std::string_view text_;
  const char** high_;
  JsonReadOptions options_;
  Json* root_;
  std::vector<Frame> frames_;
  std::string key_;
  bool failed_ = false;
  size_t error_offset_ = 0;
  std::string error_;
};

}  // namespace

absl::Status ParseJsonText(std::string_view text, std::string_view origin, nlohmann::json* out,
                           JsonReadOptions options) {
  const char* high = text.data();
  Json root;
  DomBuilder builder(text, &high, options, &root);
  const TrackedIterator begin(text.data(), &high);
  const TrackedIterator end(text.data() + text.size(), &high);
  bool ok = false;
  try {
    ok = Json::sax_parse(begin, end, &builder);
  } catch (const nlohmann::json::exception& e) {
    // sax_parse reports errors through the handler; this is only a guard.
    return absl::InvalidArgumentError(absl::StrCat(std::string(origin), ": ", builder.Where(
                                          static_cast<size_t>(high - text.data())),
                                      ": invalid JSON: ", e.what()));
  }
  if (!ok || builder.failed()) {
    const std::string what = builder.failed() ? builder.error() : "invalid JSON";
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(origin), ": ", builder.Where(builder.error_offset()), ": ", what));
  }
  *out = std::move(root);
  return absl::OkStatus();
}

absl::Status ReadJsonFile(const std::string& path, nlohmann::json* out, JsonReadOptions options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory, not a JSON file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read failed"));
  return ParseJsonText(ss.str(), path, out, options);
}

}  // namespace tapedeck
