// The tapedeck command line: one row per command. `tapedeck <command> --help` is each command's
// own help; `tapedeck --help` lists this table.
#ifndef TAPEDECK_APPS_COMMANDS_H_
#define TAPEDECK_APPS_COMMANDS_H_

#include <string>
#include <string_view>
#include <vector>

#include "runner/command_line.h"

namespace tapedeck::apps {

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `tapedeck --help`
  // argv[0] is the command's name; returns the process exit code.
  int (*main)(int argc, char** argv);
};

const std::vector<Command>& Commands();

// Exit codes shared by every command (runner/command_line.h).
using runner::kExitFailure;
using runner::kExitOk;
using runner::kExitUsage;
using runner::CommandLine;

// Each command, defined in its own file.
int RunMain(int argc, char** argv);
int ConvertMain(int argc, char** argv);  // convert_command.cc
int InspectMain(int argc, char** argv);  // inspect_command.cc
int FixsimMain(int argc, char** argv);   // fixsim_command.cc
int PaperMain(int argc, char** argv);    // paper_command.cc
int GenMain(int argc, char** argv);      // gen_command.cc
int ReportMain(int argc, char** argv);   // report_command.cc
int CompareMain(int argc, char** argv);  // compare_command.cc
int SweepMain(int argc, char** argv);       // sweep_command.cc
int SweepMergeMain(int argc, char** argv);  // sweep_command.cc
int StrategiesMain(int argc, char** argv);  // strategies_command.cc
int NewMain(int argc, char** argv);         // new_command.cc

// Loads the plugins of TAPEDECK_PLUGIN_PATH, then those given with --plugin (repeatable), in
// that order (core/plugin_loader.h); -1 when all loaded, else prints the error as
// "tapedeck <command>: ..." and returns kExitFailure. Every command that builds strategies or
// venues calls it before reading its config (whose "plugins" load next).
int LoadCommandPlugins(std::string_view command, const std::vector<std::string>& plugins);
// The embedded default run config (configs/default.json, compiled in): the 2026-02-05
// deleveraging scenario with both seed strategies.
const char* DefaultConfigJson();

}  // namespace tapedeck::apps

#endif  // TAPEDECK_APPS_COMMANDS_H_
