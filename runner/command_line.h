// The one command-line parser of every `tapedeck` command, so that all of them accept the same
// shapes and fail the same way:
//   --name VALUE  or  --name=VALUE   an option with a value
//   --name                           a flag
//   anything else not starting '-'   a positional argument ("-" alone is one too: stdin/stdout)
//   -h, --help                       prints the command's usage to stdout, exit 0
// A bad command line prints "tapedeck <command>: <what is wrong>" and a pointer to --help on
// stderr, and the command exits with kExitUsage (2). Programs of their own (the bench binaries)
// use the same parser through CommandLine::Program.
#ifndef TAPEDECK_RUNNER_COMMAND_LINE_H_
#define TAPEDECK_RUNNER_COMMAND_LINE_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tapedeck::runner {

// What a command's parser declares: read by `tapedeck --bash-completion` and `tapedeck --man`
// from the commands themselves (CommandLine::DescribeInto), so that neither keeps a second list.
struct CommandLineSpec {
  std::string usage;  // --help's whole text (the extra part included)
  struct Option {
    std::string name;
    bool takes_value = false;
    bool is_count = false;  // a whole number: nothing to complete
  };
  std::vector<Option> options;
  bool positionals = false;  // takes positional arguments (files, directories)
};

// Exit codes shared by every command and program.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // bad input, bad config, a failed run
inline constexpr int kExitUsage = 2;    // bad command line

class CommandLine {
 public:
  // `usage` is printed by --help; `help_extra`, when set, writes more after it (a format table).
  CommandLine(std::string_view command, std::string_view usage,
              std::function<void(std::FILE*)> help_extra = {});
  // For a program that is not a `tapedeck` command: errors read "<program>: <what is wrong>" and
  // point to `<program> --help`.
  static CommandLine Program(std::string_view program, std::string_view usage);

  CommandLine& Flag(std::string_view name, bool* out);
  CommandLine& Value(std::string_view name, std::string* out);
  CommandLine& Value(std::string_view name, std::optional<std::string>* out);
  // An option that may be given several times; each value is appended, in order.
  CommandLine& Values(std::string_view name, std::vector<std::string>* out);
  // A whole number in [min, max], written as decimal digits.
  CommandLine& Count(std::string_view name, std::optional<uint64_t>* out, uint64_t min = 0,
                     uint64_t max = std::numeric_limits<uint64_t>::max());
  // Positional arguments, in order. Without this call a positional is an error.
  CommandLine& Positionals(std::vector<std::string>* out);

  // Returns -1 when the command should go on, else the exit code to return now.
  int Parse(int argc, char** argv);

  // While `spec` is set (not null), Parse stores the parser's declaration into *spec and returns
  // kExitOk without looking at argv: calling a command's main then describes the command.
  // Not thread-safe: for the program's documentation generators only.
  static void DescribeInto(CommandLineSpec* spec);

  // Reports a usage error found after Parse (a missing required option, two that exclude each
  // other) the same way Parse reports its own; returns kExitUsage.
  int Fail(std::string_view what) const;

 private:
  enum class Type { kFlag, kString, kOptionalString, kStrings, kCount };
  struct Spec {
    std::string name;
    Type type;
    void* out;
    uint64_t min = 0, max = 0;
  };

  const Spec* Find(std::string_view name) const;
  void Describe(CommandLineSpec* spec) const;
  bool Store(const Spec& spec, std::string_view value) const;

  std::string program_;  // "tapedeck <command>", or a program's own name
  std::string usage_;
  std::function<void(std::FILE*)> help_extra_;
  std::vector<Spec> specs_;
  std::vector<std::string>* positionals_ = nullptr;
};

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_COMMAND_LINE_H_
