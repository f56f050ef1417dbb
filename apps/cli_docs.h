// The command line's documentation, generated from the command table (apps/commands.h) and from
// each command's own parser (runner::CommandLine::DescribeInto), so that it cannot drift from
// what the program accepts:
//   tapedeck --bash-completion   a bash completion script
//   tapedeck --man               the man page, tapedeck(1), in roff
#ifndef TAPEDECK_APPS_CLI_DOCS_H_
#define TAPEDECK_APPS_CLI_DOCS_H_

#include <string>
#include <vector>

#include "apps/commands.h"

namespace tapedeck::apps {

// One command as its parser declares it.
struct CommandDoc {
  const Command* command;
  runner::CommandLineSpec spec;
};

// Every command of the table, described by calling its main in describe mode.
std::vector<CommandDoc> DescribeCommands();

// The top-level help (`tapedeck --help`): what tapedeck is, the commands, the global options.
std::string TopLevelHelp();

// A bash completion script: commands, each command's options, files and directories for
// positional arguments and path-valued options, nothing for counts.
std::string BashCompletion();

// tapedeck(1) in roff (man -l): the top-level help and every command's --help text.
std::string ManPage();

}  // namespace tapedeck::apps

#endif  // TAPEDECK_APPS_CLI_DOCS_H_
