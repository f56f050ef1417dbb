// The entry point of a tapedeck plugin, compiled into every plugin by tapedeck_add_plugin
// (cmake/TapedeckPlugin.cmake): the plugin's registrations, kept from its static initialisation
// until the loader has checked the ABI version and the fingerprint (core/plugin.h).
#include <utility>

#include "core/plugin.h"

#ifndef TAPEDECK_PLUGIN_BUILD
#error "build plugins with tapedeck_add_plugin, which defines TAPEDECK_PLUGIN_BUILD"
#endif

namespace tapedeck {

PluginRegistrations& PendingPluginRegistrations() {
  static PluginRegistrations pending;
  return pending;
}

void DeferPluginStrategy(StrategyInfo info) {
  PendingPluginRegistrations().strategies.push_back(std::move(info));
}

}  // namespace tapedeck

namespace {

void Collect(tapedeck::PluginRegistrations* out) {
  *out = std::move(tapedeck::PendingPluginRegistrations());
  tapedeck::PendingPluginRegistrations() = {};
}

const TapedeckPluginV1 kEntry{tapedeck::kPluginAbiVersion, TAPEDECK_BUILD_FINGERPRINT, &Collect};

}  // namespace

extern "C" __attribute__((visibility("default"))) const TapedeckPluginV1* tapedeck_plugin_v1() {
  return &kEntry;
}
