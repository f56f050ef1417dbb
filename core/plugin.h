// The binary boundary of a run-time plugin: a shared library (built with tapedeck_add_plugin,
// docs/plugins.md) that adds strategies, latency models and queue models to the host's tables.
//
// A plugin exports exactly one C symbol, tapedeck_plugin_v1, returning a TapedeckPluginV1. The
// host (the tapedeck executable, or any program linking the libraries and built as a plugin
// host) loads it with core/plugin_loader.h: it checks the plugin ABI version and the build
// fingerprint first, then collects what the plugin registered, refuses the whole plugin when one
// name clashes, and only then adds everything to the tables. The interface behind the entry point
// is C++ (strategies are C++ objects, built-ins and plugins share one copy of core and of the
// tables, resolved from the host), so the fingerprint stands for everything that must match for
// those objects to be laid out alike: compiler, C++ standard library and its ABI, C++ standard,
// Abseil release and options.
//
// Inside a plugin (TAPEDECK_PLUGIN_BUILD, set by tapedeck_add_plugin) the usual registration
// statements beside the code (RegisterStrategy, core/strategy_registry.h; RegisterPluginLatencyModel
// and RegisterPluginQueueModel below) run at the plugin's static initialisation and only record;
// nothing reaches the host before the loader has checked the plugin.
#ifndef TAPEDECK_CORE_PLUGIN_H_
#define TAPEDECK_CORE_PLUGIN_H_

#include <string>
#include <utility>
#include <vector>
#include <version>  // _GLIBCXX_RELEASE, __GLIBCXX__, _GLIBCXX_USE_CXX11_ABI

#include "absl/base/config.h"  // ABSL_LTS_RELEASE_VERSION, ABSL_OPTION_* (absl/base/options.h)
#include "core/latency_model_registry.h"
#include "core/queue_model_registry.h"
#include "core/strategy_registry.h"
#include "core/version.h"

#define TAPEDECK_PLUGIN_STR2_(x) #x
#define TAPEDECK_PLUGIN_STR_(x) TAPEDECK_PLUGIN_STR2_(x)

#if defined(__clang__)
#define TAPEDECK_PLUGIN_COMPILER_ \
  "clang " TAPEDECK_PLUGIN_STR_(__clang_major__) "." TAPEDECK_PLUGIN_STR_(__clang_minor__)
#elif defined(__GNUC__)
#define TAPEDECK_PLUGIN_COMPILER_ \
  "gcc " TAPEDECK_PLUGIN_STR_(__GNUC__) "." TAPEDECK_PLUGIN_STR_(__GNUC_MINOR__)
#else
#define TAPEDECK_PLUGIN_COMPILER_ "unknown compiler"
#endif

#if defined(__GLIBCXX__)
#define TAPEDECK_PLUGIN_STDLIB_                                                     \
  "libstdc++ " TAPEDECK_PLUGIN_STR_(_GLIBCXX_RELEASE) " cxx11-abi " TAPEDECK_PLUGIN_STR_( \
      _GLIBCXX_USE_CXX11_ABI)
#elif defined(_LIBCPP_VERSION)
#define TAPEDECK_PLUGIN_STDLIB_ "libc++ " TAPEDECK_PLUGIN_STR_(_LIBCPP_VERSION)
#else
#define TAPEDECK_PLUGIN_STDLIB_ "unknown standard library"
#endif

// What must match between a plugin and its host, as text (compared whole; printed in the error
// when it does not match). Only macros, so that each side computes it at its own compile time.
#define TAPEDECK_BUILD_FINGERPRINT                                                  \
  TAPEDECK_PLUGIN_COMPILER_ ", " TAPEDECK_PLUGIN_STDLIB_                            \
  ", C++ " TAPEDECK_PLUGIN_STR_(__cplusplus) ", Abseil " TAPEDECK_PLUGIN_STR_(      \
      ABSL_LTS_RELEASE_VERSION) " options " TAPEDECK_PLUGIN_STR_(                   \
      ABSL_OPTION_USE_STD_ANY) TAPEDECK_PLUGIN_STR_(ABSL_OPTION_USE_STD_OPTIONAL)   \
      TAPEDECK_PLUGIN_STR_(ABSL_OPTION_USE_STD_STRING_VIEW)                         \
          TAPEDECK_PLUGIN_STR_(ABSL_OPTION_USE_STD_VARIANT)

namespace tapedeck {

// A latency model a plugin registers (the arguments of RegisterLatencyModel).
struct PluginLatencyModel {
  std::string name;
  std::vector<std::string> keys;
  LatencyParamsParser parse;
  bool needs_base = true;
};

// A queue model a plugin registers (the arguments of RegisterQueueModel).
struct PluginQueueModel {
  std::string name;
  std::vector<std::string> keys;
  QueueModelParser parse;
};

// Everything one plugin registers, handed to the loader in one piece.
struct PluginRegistrations {
  std::vector<StrategyInfo> strategies;
  std::vector<PluginLatencyModel> latency_models;
  std::vector<PluginQueueModel> queue_models;
};

}  // namespace tapedeck

extern "C" {

// What tapedeck_plugin_v1 returns. The first two fields keep their place in every later version,
// so that a loader can always read which version a plugin was built for.
struct TapedeckPluginV1 {
  int abi_version;          // tapedeck::kPluginAbiVersion of the SDK the plugin was built with
  const char* fingerprint;  // TAPEDECK_BUILD_FINGERPRINT of that build
  // Moves what the plugin registered into *out; called once, after both checks passed.
  void (*collect)(tapedeck::PluginRegistrations* out);
};

// The entry point's name, for dlsym.
#define TAPEDECK_PLUGIN_ENTRY_POINT "tapedeck_plugin_v1"

}  // extern "C"

#ifdef TAPEDECK_PLUGIN_BUILD
namespace tapedeck {

// The plugin's own record of its registrations, defined by the entry source tapedeck_add_plugin
// adds (cmake/tapedeck_plugin_entry.cc); hidden, so that every plugin has its own.
__attribute__((visibility("hidden"))) PluginRegistrations& PendingPluginRegistrations();

// In a plugin, registers a latency model once the loader has accepted the plugin; use as
// `[[maybe_unused]] const bool kRegistered = RegisterPluginLatencyModel(...);` beside the model.
inline bool RegisterPluginLatencyModel(std::string name, std::vector<std::string> keys,
                                       LatencyParamsParser parse, bool needs_base = true) {
  PendingPluginRegistrations().latency_models.push_back(
      {std::move(name), std::move(keys), std::move(parse), needs_base});
  return true;
}

// In a plugin, registers a queue model once the loader has accepted the plugin.
inline bool RegisterPluginQueueModel(std::string name, std::vector<std::string> keys,
                                     QueueModelParser parse) {
  PendingPluginRegistrations().queue_models.push_back(
      {std::move(name), std::move(keys), std::move(parse)});
  return true;
}

}  // namespace tapedeck
#endif  // TAPEDECK_PLUGIN_BUILD

#endif  // TAPEDECK_CORE_PLUGIN_H_
