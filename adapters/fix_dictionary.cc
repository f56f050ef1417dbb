#include "adapters/fix_dictionary.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tapedeck::adapters {
namespace {

constexpr char kFix44[] =
#include "adapters/fix/fix44_dictionary.inc"
    ;

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::string_view EmbeddedFix44Dictionary() { return std::string_view(kFix44, sizeof(kFix44) - 1); }

absl::StatusOr<std::string> EmbeddedFix44DictionaryPath() {
  const std::string_view text = EmbeddedFix44Dictionary();
  const char* tmp = std::getenv("TMPDIR");
  const std::string dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  const std::string path = absl::StrFormat("%s/tapedeck-FIX44-%016x.xml", dir, Fnv1a(text));
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

}  // namespace tapedeck::adapters
