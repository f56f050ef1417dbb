// Loading run-time plugins (core/plugin.h) into this process: the tapedeck commands call it, and
// so can any program linking the libraries, provided its executable exports the libraries'
// symbols to the plugins it loads (docs/plugins.md: tapedeck_plugin_host in CMake).
//
// A plugin is loaded once per process (by its canonical path) and never unloaded: its strategies
// and models stay registered for the life of the process. Loading is all or nothing: a plugin
// that fails a check registers nothing and is closed again. Every error starts with
// "plugin PATH: ". Thread-safe, but the tables it fills are read without a lock, so load every
// plugin before runs start (the commands do, before any sweep worker starts).
#ifndef TAPEDECK_CORE_PLUGIN_LOADER_H_
#define TAPEDECK_CORE_PLUGIN_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tapedeck {

// One loaded plugin and what it registered, each list in the plugin's registration order.
struct LoadedPlugin {
  std::string path;  // canonical
  std::vector<std::string> strategies;
  std::vector<std::string> latency_models;
  std::vector<std::string> queue_models;
};

// Loads the plugin at `path`; OK at once when that file is loaded already.
absl::Status LoadPlugin(std::string_view path);
// Loads each in order, stopping at the first error.
absl::Status LoadPlugins(const std::vector<std::string>& paths);

// The plugins loaded so far, in load order.
std::vector<LoadedPlugin> LoadedPlugins();
// The path of the plugin that registered strategy `name`, or "" for a built-in or unknown name.
std::string StrategyPlugin(std::string_view name);

// The plugins named by a search path (TAPEDECK_PLUGIN_PATH's syntax: directories separated by
// ':', empty entries skipped): every regular file named lib*.so in each directory, directories
// in the order given and files in name order within one. A directory that does not exist is an
// error naming `origin` ("TAPEDECK_PLUGIN_PATH") and the directory.
absl::StatusOr<std::vector<std::string>> PluginSearchPath(std::string_view search_path,
                                                          std::string_view origin);

// Loads the plugins of the environment variable TAPEDECK_PLUGIN_PATH (none when it is unset).
absl::Status LoadPluginsFromEnvironment();

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_PLUGIN_LOADER_H_
