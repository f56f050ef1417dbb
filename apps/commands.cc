#include "apps/commands.h"

namespace tapedeck::apps {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"run", "backtest strategies on data files, tapes or the built-in scenario", &RunMain},
  };
  return kCommands;
}

}  // namespace tapedeck::apps
