// The table of input formats. Each reader adds its row here.
#include "replay/scenario.h"
#include "replay/source_factory.h"

namespace tapedeck::replay {

const std::vector<FormatInfo>& Formats() {
  static const std::vector<FormatInfo> kFormats = {
      {"scenario", "the seeded 2026-02-05 deleveraging scenario; path = parameters JSON or empty",
       nullptr, &OpenScenario, &ScenarioSourceInstruments},
  };
  return kFormats;
}

}  // namespace tapedeck::replay
