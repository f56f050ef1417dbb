#include "runner/command_line.h"

#include <stdio.h>

#include <cstdio>
#include <cstdlib>

namespace tapedeck::runner {

namespace {
CommandLineSpec* g_describe = nullptr;
}  // namespace

void CommandLine::DescribeInto(CommandLineSpec* spec) { g_describe = spec; }

CommandLine::CommandLine(std::string_view command, std::string_view usage,
                         std::function<void(std::FILE*)> help_extra)
    : program_("tapedeck " + std::string(command)),
      usage_(usage),
      help_extra_(std::move(help_extra)) {}

CommandLine CommandLine::Program(std::string_view program, std::string_view usage) {
  CommandLine cli({}, usage);
  cli.program_ = std::string(program);
  return cli;
}

CommandLine& CommandLine::Flag(std::string_view name, bool* out) {
  specs_.push_back(Spec{std::string(name), Type::kFlag, out});
  return *this;
}

CommandLine& CommandLine::Value(std::string_view name, std::string* out) {
  specs_.push_back(Spec{std::string(name), Type::kString, out});
  return *this;
}

CommandLine& CommandLine::Value(std::string_view name, std::optional<std::string>* out) {
  specs_.push_back(Spec{std::string(name), Type::kOptionalString, out});
  return *this;
}

CommandLine& CommandLine::Values(std::string_view name, std::vector<std::string>* out) {
  specs_.push_back(Spec{std::string(name), Type::kStrings, out});
  return *this;
}

CommandLine& CommandLine::Count(std::string_view name, std::optional<uint64_t>* out, uint64_t min,
                                uint64_t max) {
  specs_.push_back(Spec{std::string(name), Type::kCount, out, min, max});
  return *this;
}

CommandLine& CommandLine::Positionals(std::vector<std::string>* out) {
  positionals_ = out;
  return *this;
}

const CommandLine::Spec* CommandLine::Find(std::string_view name) const {
  for (const Spec& s : specs_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

bool CommandLine::Store(const Spec& spec, std::string_view value) const {
  switch (spec.type) {
    case Type::kFlag:
      *static_cast<bool*>(spec.out) = true;
      return true;
    case Type::kString:
      *static_cast<std::string*>(spec.out) = std::string(value);
      return true;
    case Type::kOptionalString:
      *static_cast<std::optional<std::string>*>(spec.out) = std::string(value);
      return true;
    case Type::kStrings:
      static_cast<std::vector<std::string>*>(spec.out)->emplace_back(value);
      return true;
    case Type::kCount: {
      // Digits only: no sign, no spaces, no "1e3"; overflow is an error, not a wrap.
      uint64_t v = 0;
      if (value.empty()) return false;
      for (const char c : value) {
        if (c < '0' || c > '9') return false;
        const auto digit = static_cast<uint64_t>(c - '0');
        if (v > (std::numeric_limits<uint64_t>::max() - digit) / 10) return false;
        v = v * 10 + digit;
      }
      if (v < spec.min || v > spec.max) return false;
      *static_cast<std::optional<uint64_t>*>(spec.out) = v;
      return true;
    }
  }
  return false;
}

void CommandLine::Describe(CommandLineSpec* spec) const {
  spec->usage = usage_;
  if (help_extra_) {
    char* text = nullptr;
    size_t size = 0;
    if (std::FILE* f = ::open_memstream(&text, &size); f != nullptr) {
      help_extra_(f);
      std::fclose(f);
      spec->usage.append(text, size);
      std::free(text);
    }
  }
  spec->options.clear();
  for (const Spec& s : specs_) {
    spec->options.push_back(
        CommandLineSpec::Option{s.name, s.type != Type::kFlag, s.type == Type::kCount});
  }
  spec->positionals = positionals_ != nullptr;
}

int CommandLine::Fail(std::string_view what) const {
  std::fprintf(stderr, "%s: %.*s\n(see `%s --help`)\n", program_.c_str(),
               static_cast<int>(what.size()), what.data(), program_.c_str());
  return kExitUsage;
}

int CommandLine::Parse(int argc, char** argv) {
  if (g_describe != nullptr) {
    Describe(g_describe);
    return kExitOk;
  }
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(usage_.c_str(), stdout);
      if (help_extra_) help_extra_(stdout);
      return kExitOk;
    }
    if (a.size() < 2 || a[0] != '-') {
      if (positionals_ == nullptr) {
        return Fail("unexpected argument '" + std::string(a) + "'");
      }
      positionals_->emplace_back(a);
      continue;
    }
    std::string_view name = a;
    std::optional<std::string_view> inline_value;
    if (const size_t eq = a.find('='); eq != std::string_view::npos) {
      name = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
    }
    const Spec* spec = Find(name);
    if (spec == nullptr) return Fail("unknown option '" + std::string(name) + "'");
    if (spec->type == Type::kFlag) {
      if (inline_value.has_value()) return Fail(spec->name + " takes no value");
      Store(*spec, {});
      continue;
    }
    std::string_view value;
    if (inline_value.has_value()) {
      value = *inline_value;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return Fail(spec->name + " needs a value");
    }
    if (!Store(*spec, value)) {
      std::string what = spec->name + ": '" + std::string(value) + "' is not a whole number";
      if (spec->max != std::numeric_limits<uint64_t>::max()) {
        what += " in [" + std::to_string(spec->min) + ", " + std::to_string(spec->max) + "]";
      } else if (spec->min != 0) {
        what += " of at least " + std::to_string(spec->min);
      }
      return Fail(what);
    }
  }
  return -1;
}

}  // namespace tapedeck::runner
