// The tapedeck command line: one row per command. `tapedeck <command> --help` is each command's
// own help; `tapedeck --help` lists this table.
#ifndef TAPEDECK_APPS_COMMANDS_H_
#define TAPEDECK_APPS_COMMANDS_H_

#include <string_view>
#include <vector>

namespace tapedeck::apps {

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `tapedeck --help`
  // argv[0] is the command's name; returns the process exit code.
  int (*main)(int argc, char** argv);
};

const std::vector<Command>& Commands();

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // bad input, bad config, a failed run
inline constexpr int kExitUsage = 2;    // bad command line

// Each command, defined in its own file.
int RunMain(int argc, char** argv);

}  // namespace tapedeck::apps

#endif  // TAPEDECK_APPS_COMMANDS_H_
