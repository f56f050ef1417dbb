#include "runner/new_project.h"

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "core/strategy_registry.h"
#include "runner/new_project_templates.h"

namespace tapedeck::runner {
namespace {

namespace fs = std::filesystem;

// C++20's keywords and alternative tokens: a strategy name becomes part of identifiers.
constexpr std::string_view kKeywords[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
    "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
    "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
    "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
    "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
    "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
    "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
    "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
    "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
    "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
    "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq"};

// "funding_carry" -> "FundingCarryStrategy": the class of the generated strategy (the suffix
// keeps it from meeting tapedeck's own names, `Strategy` among them).
std::string ClassName(std::string_view name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c;
    upper = false;
  }
  return out + "Strategy";
}

absl::Status WriteText(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return absl::InternalError(absl::StrCat(path.parent_path().string(), ": ", ec.message()));
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat(path.string(), ": write failed"));
  return absl::OkStatus();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> NewStrategyFiles(std::string_view name) {
  const std::vector<std::pair<std::string, std::string>> subst = {
      {"@NAME@", std::string(name)}, {"@CLASS@", ClassName(name)}};
  const std::string n(name);
  return {
      {"CMakeLists.txt", absl::StrReplaceAll(kCMakeListsTemplate, subst)},
      {"src/" + n + ".cc", absl::StrReplaceAll(kStrategyTemplate, subst)},
      {"configs/" + n + ".json", absl::StrReplaceAll(kConfigTemplate, subst)},
      {"tests/" + n + "_test.cc", absl::StrReplaceAll(kTestTemplate, subst)},
      {"README.md", absl::StrReplaceAll(kReadmeTemplate, subst)},
  };
}

absl::Status CheckNewStrategyName(std::string_view name) {
  const auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("strategy name '", std::string(name), "': ", std::string(why)));
  };
  if (name.empty()) return bad("empty");
  if (absl::ascii_isdigit(static_cast<unsigned char>(name[0]))) {
    return bad("not a C++ identifier (starts with a digit)");
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return bad(absl::StrCat("not a C++ identifier ('", std::string(1, c),
                              "': use letters, digits and '_')"));
    }
  }
  if (name[0] == '_' || name.find("__") != std::string_view::npos) {
    return bad("reserved in C++ (a leading '_' or a double '__')");
  }
  if (std::find(std::begin(kKeywords), std::end(kKeywords), name) != std::end(kKeywords)) {
    return bad("a C++ keyword");
  }
  if (FindStrategy(name) != nullptr) {
    return bad("a built-in strategy has that name (`tapedeck strategies` lists them)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> NewStrategyProject(std::string_view name, const std::string& dir) {
  if (absl::Status s = CheckNewStrategyName(name); !s.ok()) return s;
  const fs::path parent = dir.empty() ? fs::path(".") : fs::path(dir);
  const fs::path target = parent / std::string(name);
  std::error_code ec;
  if (fs::exists(target, ec)) {
    if (!fs::is_directory(target, ec)) {
      return absl::AlreadyExistsError(absl::StrCat(target.string(), ": exists and is not a folder"));
    }
    if (!fs::is_empty(target, ec)) {
      return absl::AlreadyExistsError(absl::StrCat(
          target.string(), ": exists and is not empty (choose another NAME or --dir)"));
    }
  }
  fs::create_directories(parent, ec);
  if (ec) return absl::InternalError(absl::StrCat(parent.string(), ": ", ec.message()));
  // Written beside the target, then renamed: the same file system, one atomic step.
  std::string temp = (parent / absl::StrCat(".", std::string(name), ".new-XXXXXX")).string();
  if (mkdtemp(temp.data()) == nullptr) {
    return absl::InternalError(absl::StrCat(parent.string(), ": cannot create a temporary folder"));
  }
  // mkdtemp makes it private (0700); a project folder is an ordinary one.
  fs::permissions(temp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec, ec);
  absl::Status written = absl::OkStatus();
  for (const auto& [rel, text] : NewStrategyFiles(name)) {
    written = WriteText(fs::path(temp) / rel, text);
    if (!written.ok()) break;
  }
  if (written.ok()) {
    fs::rename(temp, target, ec);  // replaces an empty folder
    if (ec) written = absl::InternalError(absl::StrCat(target.string(), ": ", ec.message()));
  }
  if (!written.ok()) {
    fs::remove_all(temp, ec);
    return written;
  }
  return target.string();
}

}  // namespace tapedeck::runner
