#include "adapters/fix_dictionary.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace tapedeck::adapters {
namespace {

struct Embedded {
  std::string_view file;  // "FIX44.xml"
  std::string_view text;
};

// const, not constexpr: clang evaluates the length of each (100-200 KB) literal step by step
// and stops at its constexpr step limit; the table is built once at start-up either way.
const Embedded kDictionaries[] = {
#include "adapters/fix/fix_dictionaries.inc"
};

std::string_view StemOf(std::string_view file) { return file.substr(0, file.rfind('.')); }

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

absl::StatusOr<std::string_view> EmbeddedDictionary(std::string_view name) {
  for (const Embedded& d : kDictionaries) {
    if (StemOf(d.file) == name) return d.text;
  }
  return absl::NotFoundError(absl::StrCat("no embedded FIX dictionary '", std::string(name),
                                          "' (embedded: ",
                                          absl::StrJoin(EmbeddedDictionaryNames(), ", "), ")"));
}

std::vector<std::string> EmbeddedDictionaryNames() {
  std::vector<std::string> names;
  for (const Embedded& d : kDictionaries) names.emplace_back(StemOf(d.file));
  return names;
}

absl::StatusOr<std::string> EmbeddedDictionaryPath(std::string_view name) {
  absl::StatusOr<std::string_view> found = EmbeddedDictionary(name);
  if (!found.ok()) return found.status();
  const std::string_view text = *found;
  const char* tmp = std::getenv("TMPDIR");
  const std::string dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  const std::string path =
      absl::StrFormat("%s/tapedeck-%s-%016x.xml", dir, std::string(name), Fnv1a(text));
  std::error_code ec;
  if (std::filesystem::file_size(path, ec) == text.size() && !ec) return path;
  const std::string part = absl::StrCat(path, ".", ::getpid(), ".part");
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return absl::InternalError(absl::StrCat(part, ": cannot write the FIX dictionary"));
  }
  std::filesystem::rename(part, path, ec);
  if (ec) {
    return absl::InternalError(absl::StrCat(path, ": cannot rename the FIX dictionary into place: ",
                                            ec.message()));
  }
  return path;
}

std::string_view EmbeddedFix44Dictionary() { return *EmbeddedDictionary("FIX44"); }

absl::StatusOr<std::string> EmbeddedFix44DictionaryPath() {
  return EmbeddedDictionaryPath("FIX44");
}

}  // namespace tapedeck::adapters
