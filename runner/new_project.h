// `tapedeck new strategy NAME [--dir DIR]`: writes DIR/NAME/, a strategy project of the user's
// own, built against the installed SDK (find_package(tapedeck)):
//
//   CMakeLists.txt        the strategy as a plugin (tapedeck_add_plugin) and its GoogleTest test
//   src/NAME.cc           one strategy, every callback present and commented, its parameters
//                         declared once, registered in one statement
//   configs/NAME.json     a run on the built-in scenario, loading the plugin
//   tests/NAME_test.cc    a unit test with the test kit (tapedeck::testing)
//   README.md             how to build, test and run it
//
// The files are written into a temporary folder beside DIR/NAME and renamed into place, so a
// failure leaves nothing half-written.
#ifndef TAPEDECK_RUNNER_NEW_PROJECT_H_
#define TAPEDECK_RUNNER_NEW_PROJECT_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tapedeck::runner {

// The project's files, relative path and content, for strategy `name` (not checked).
std::vector<std::pair<std::string, std::string>> NewStrategyFiles(std::string_view name);

// OK when `name` can name a new strategy: a C++ identifier (letters, digits, '_', not starting
// with a digit, not a keyword, not reserved) that no registered strategy has.
absl::Status CheckNewStrategyName(std::string_view name);

// Writes the project into `dir`/`name` (`dir` is created when missing); returns the project's
// path. An existing non-empty `dir`/`name` is an error, as is a bad name.
absl::StatusOr<std::string> NewStrategyProject(std::string_view name, const std::string& dir);

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_NEW_PROJECT_H_
