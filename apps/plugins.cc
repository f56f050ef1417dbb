// Loading the plugins a command line and the environment name (core/plugin_loader.h).
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "apps/commands.h"
#include "core/plugin_loader.h"

namespace tapedeck::apps {

int LoadCommandPlugins(std::string_view command, const std::vector<std::string>& plugins) {
  absl::Status s = LoadPluginsFromEnvironment();
  if (s.ok()) s = LoadPlugins(plugins);
  if (s.ok()) return -1;
  std::fprintf(stderr, "tapedeck %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               std::string(s.message()).c_str());
  return kExitFailure;
}

}  // namespace tapedeck::apps
