#include "core/plugin_loader.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/plugin.h"

namespace tapedeck {
namespace {

struct Loaded {
  std::mutex mu;
  std::vector<LoadedPlugin> plugins;
};

Loaded& State() {
  static Loaded* state = new Loaded();  // never destroyed: plugins are never unloaded either
  return *state;
}

// (Debian's Abseil has its own string_view, which StrCat wants: hence the std::string copies.)
absl::Status PluginError(std::string_view path, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("plugin ", std::string(path), ": ", std::string(what)));
}

// Closes a plugin that failed a check, after everything that points into its code is gone.
struct Handle {
  void* h = nullptr;
  ~Handle() {
    if (h != nullptr) dlclose(h);
  }
};

// Who registered `name` in the tables already: "a built-in strategy", "plugin P".
std::string Owner(const std::vector<LoadedPlugin>& plugins, const std::string& kind,
                  const std::string& name,
                  std::vector<std::string> LoadedPlugin::*list) {
  for (const LoadedPlugin& p : plugins) {
    const std::vector<std::string>& names = p.*list;
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return absl::StrCat("plugin ", p.path);
    }
  }
  return absl::StrCat("a built-in ", kind);
}

// The first name of `regs` that is taken (by the tables or earlier in `regs`), as an error.
absl::Status CheckNames(std::string_view path, const PluginRegistrations& regs,
                        const std::vector<LoadedPlugin>& plugins) {
  std::vector<std::string> seen;
  auto check = [&](const std::string& kind, const std::string& name, bool taken,
                   std::vector<std::string> LoadedPlugin::*list) -> absl::Status {
    if (name.empty()) return PluginError(path, absl::StrCat("registers a ", kind, " without a name"));
    const std::string key = absl::StrCat(kind, ":", name);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      return PluginError(path, absl::StrCat("registers the ", kind, " '", name, "' twice"));
    }
    seen.push_back(key);
    if (!taken) return absl::OkStatus();
    return PluginError(path, absl::StrCat(kind, " '", name, "' clashes with ",
                                          Owner(plugins, kind, name, list),
                                          "; nothing of this plugin was registered"));
  };
  for (const StrategyInfo& s : regs.strategies) {
    if (absl::Status st = check("strategy", s.name, FindStrategy(s.name) != nullptr,
                                &LoadedPlugin::strategies);
        !st.ok()) {
      return st;
    }
  }
  for (const PluginLatencyModel& m : regs.latency_models) {
    if (absl::Status st = check("latency model", m.name, FindLatencyModel(m.name) != nullptr,
                                &LoadedPlugin::latency_models);
        !st.ok()) {
      return st;
    }
  }
  for (const PluginQueueModel& m : regs.queue_models) {
    if (absl::Status st = check("queue model", m.name, FindQueueModel(m.name) != nullptr,
                                &LoadedPlugin::queue_models);
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

// The factory `create` of strategy `name`, with what it throws turned into an error naming the
// plugin and the strategy: an exception must not cross into the host's run.
StrategyFactory Guarded(std::string path, std::string name, StrategyFactory create) {
  return [path = std::move(path), name = std::move(name), create = std::move(create)](
             ConfigObject& params,
             const InstrumentTable& instruments) -> absl::StatusOr<std::unique_ptr<Strategy>> {
    try {
      return create(params, instruments);
    } catch (const std::exception& e) {
      return PluginError(path, absl::StrCat("strategy '", name, "' threw while being built: ",
                                            e.what()));
    } catch (...) {
      return PluginError(path, absl::StrCat("strategy '", name,
                                            "' threw while being built (not a std::exception)"));
    }
  };
}

// Adds what the plugin registered to the tables (its names checked already).
absl::Status Commit(const std::string& path, PluginRegistrations regs, LoadedPlugin* out) {
  for (PluginLatencyModel& m : regs.latency_models) {
    if (absl::Status s = RegisterLatencyModel(m.name, std::move(m.keys), std::move(m.parse),
                                              m.needs_base);
        !s.ok()) {
      return PluginError(path, std::string(s.message()));
    }
    out->latency_models.push_back(m.name);
  }
  for (PluginQueueModel& m : regs.queue_models) {
    if (absl::Status s = RegisterQueueModel(m.name, std::move(m.keys), std::move(m.parse));
        !s.ok()) {
      return PluginError(path, std::string(s.message()));
    }
    out->queue_models.push_back(m.name);
  }
  for (StrategyInfo& s : regs.strategies) {
    s.create = Guarded(path, s.name, std::move(s.create));
    out->strategies.push_back(s.name);
    if (absl::Status st = AddStrategy(std::move(s)); !st.ok()) return PluginError(path, std::string(st.message()));
  }
  return absl::OkStatus();
}

// The checks, then the commit; `plugins` is the list of loaded plugins (under the lock).
absl::Status Load(const std::string& path, std::vector<LoadedPlugin>& plugins) {
  Handle handle;
  handle.h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle.h == nullptr) {
    const char* why = dlerror();
    return PluginError(path, absl::StrCat("cannot be loaded: ", why != nullptr ? why : "?"));
  }
  using Entry = const TapedeckPluginV1* (*)();
  void* sym = dlsym(handle.h, TAPEDECK_PLUGIN_ENTRY_POINT);
  if (sym == nullptr) {
    return PluginError(path, "not a tapedeck plugin (it exports no " TAPEDECK_PLUGIN_ENTRY_POINT
                             "; build it with tapedeck_add_plugin)");
  }
  const TapedeckPluginV1* entry = reinterpret_cast<Entry>(sym)();
  if (entry == nullptr) return PluginError(path, TAPEDECK_PLUGIN_ENTRY_POINT " returned null");
  if (entry->abi_version != kPluginAbiVersion) {
    return PluginError(path, absl::StrCat("built for plugin ABI ", entry->abi_version,
                                          ", this tapedeck loads plugin ABI ", kPluginAbiVersion,
                                          "; rebuild the plugin against this tapedeck's SDK"));
  }
  const char* fingerprint = entry->fingerprint != nullptr ? entry->fingerprint : "";
  if (std::strcmp(fingerprint, TAPEDECK_BUILD_FINGERPRINT) != 0) {
    return PluginError(path, absl::StrCat("built with '", fingerprint, "', this tapedeck with '",
                                          TAPEDECK_BUILD_FINGERPRINT,
                                          "'; rebuild the plugin with the same compiler, standard "
                                          "library and Abseil"));
  }
  LoadedPlugin loaded;
  loaded.path = path;
  PluginRegistrations regs;
  entry->collect(&regs);
  if (absl::Status s = CheckNames(path, regs, plugins); !s.ok()) {
    regs = {};  // its factories point into the plugin's code: gone before the plugin closes
    return s;
  }
  // From here the tables may point into the plugin: it stays loaded for the life of the process.
  handle.h = nullptr;
  absl::Status committed = Commit(path, std::move(regs), &loaded);
  plugins.push_back(std::move(loaded));
  return committed;
}

}  // namespace

absl::Status LoadPlugin(std::string_view path) {
  std::error_code ec;
  const std::filesystem::path file(path);
  if (!std::filesystem::exists(file, ec)) return PluginError(path, "no such file");
  const std::string canonical = std::filesystem::canonical(file, ec).string();
  if (ec) return PluginError(path, ec.message());
  Loaded& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  for (const LoadedPlugin& p : state.plugins) {
    if (p.path == canonical) return absl::OkStatus();
  }
  return Load(canonical, state.plugins);
}

absl::Status LoadPlugins(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    if (absl::Status s = LoadPlugin(p); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::vector<LoadedPlugin> LoadedPlugins() {
  Loaded& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  return state.plugins;
}

std::string StrategyPlugin(std::string_view name) {
  Loaded& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  for (const LoadedPlugin& p : state.plugins) {
    if (std::find(p.strategies.begin(), p.strategies.end(), name) != p.strategies.end()) {
      return p.path;
    }
  }
  return "";
}

absl::StatusOr<std::vector<std::string>> PluginSearchPath(std::string_view search_path,
                                                          std::string_view origin) {
  std::vector<std::string> out;
  const std::string text(search_path);
  for (const std::string& dir :
       std::vector<std::string>(absl::StrSplit(text, ':', absl::SkipEmpty()))) {
    std::error_code ec;
    if (!std::filesystem::is_directory(std::filesystem::path(dir), ec)) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(origin), ": ", dir, ": no such directory"));
    }
    std::vector<std::string> found;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(dir), ec)) {
      const std::string name = e.path().filename().string();
      if (e.is_regular_file() && name.size() > 6 && name.starts_with("lib") &&
          name.ends_with(".so")) {
        found.push_back(e.path().string());
      }
    }
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(origin), ": ", dir, ": ", ec.message()));
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

absl::Status LoadPluginsFromEnvironment() {
  const char* env = std::getenv("TAPEDECK_PLUGIN_PATH");
  if (env == nullptr) return absl::OkStatus();
  absl::StatusOr<std::vector<std::string>> paths = PluginSearchPath(env, "TAPEDECK_PLUGIN_PATH");
  if (!paths.ok()) return paths.status();
  return LoadPlugins(*paths);
}

}  // namespace tapedeck
