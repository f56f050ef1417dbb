#include "runner/fixsim_config.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "runner/sources.h"

namespace tapedeck::runner {
namespace {

constexpr char kMode[] = "fixsim";
constexpr char kNoShift[] = "market data goes out to the sessions as the venue sees it";

// Keys of the older fixsim shape, and the keys of the run schema the simulator cannot honour.
absl::Status CheckShape(ConfigObject& root) {
  for (const char* key : {"pace", "linger", "wait_for_sessions"}) {
    TAPEDECK_RETURN_IF_ERROR(MovedKey(root, key, absl::StrCat("fix.", key)));
  }
  TAPEDECK_RETURN_IF_ERROR(RefuseKey(root, "strategies", kMode,
                                     "strategies trade through the FIX sessions (tapedeck paper)"));
  TAPEDECK_RETURN_IF_ERROR(RefuseKey(
      root, "output", kMode, "the simulator writes no run outputs; each paper session does"));
  if (root.Has("venue")) {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject venue, root.Object("venue"));
    TAPEDECK_RETURN_IF_ERROR(RefuseKey(venue, "local_shift", kMode, kNoShift));
  }
  if (root.Has("sources")) {
    TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> sources, root.ObjectArray("sources"));
    for (const ConfigObject& s : sources) {
      TAPEDECK_RETURN_IF_ERROR(RefuseKey(s, "local_shift", kMode, kNoShift));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FixsimRunConfig> ParseFixsimConfig(const nlohmann::json& doc,
                                                  const std::string& origin) {
  FixsimRunConfig c;
  RunConfig& rc = c.run;
  rc.document = doc;
  rc.origin = origin;
  rc.inputs.base_dir = InputBaseDir(origin);
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject root, ConfigObject::Of(&doc, ""));
  root.set_inputs(&rc.inputs);
  TAPEDECK_RETURN_IF_ERROR(CheckShape(root));
  TAPEDECK_RETURN_IF_ERROR(section::Plugins(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Seed(root, std::nullopt, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Sources(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Instruments(root, &rc));
  // The network between the sessions and fixsim is real: latencies the config does not name
  // are 0 here (core/venue_driver.h runs those it names on venue time).
  rc.engine.venue.entry_latency = Duration();
  rc.engine.venue.response_latency = Duration();
  TAPEDECK_RETURN_IF_ERROR(section::Venue(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Account(root, &rc));
  TAPEDECK_RETURN_IF_ERROR(section::Window(root, &rc));
  {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject fix, root.Object("fix", /*required=*/true));
    TAPEDECK_RETURN_IF_ERROR(adapters::ParseFixSimSection(fix, &c.sim));
  }
  TAPEDECK_RETURN_IF_ERROR(root.Finish());
  c.sim.instruments = rc.instruments;
  c.sim.venue = rc.engine.venue;
  c.sim.venue.initial_cash = rc.engine.initial_cash;
  return c;
}

absl::StatusOr<FixsimRunConfig> LoadFixsimConfig(const std::string& path) {
  return LoadConfigFile<FixsimRunConfig>(
      path, [&](const nlohmann::json& doc) { return ParseFixsimConfig(doc, path); });
}

absl::StatusOr<std::unique_ptr<adapters::FixSim>> BuildFixSim(const FixsimRunConfig& config) {
  absl::StatusOr<std::vector<std::unique_ptr<EventSource>>> sources =
      OpenSources(config.run.sources, config.sim.instruments, config.run.window);
  if (!sources.ok()) return WithOrigin(config.run, sources.status());
  return adapters::FixSim::Create(config.sim, *std::move(sources));
}

}  // namespace tapedeck::runner
