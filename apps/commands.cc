#include "apps/commands.h"

namespace tapedeck::apps {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"run", "backtest strategies on data files, tapes or the built-in scenario", &RunMain},
      {"convert", "convert market-data files (merged in total order) into a tape", &ConvertMain},
      {"inspect", "verify a tape and print its header, counts, time span and events", &InspectMain},
      {"fixsim", "FIX 4.4 venue simulator: replays data to FIX sessions, matches their orders",
       &FixsimMain},
      {"gen", "write the seeded 2026-02-05 deleveraging scenario (or a family of them) as tapes",
       &GenMain},
      {"paper", "paper-trade a strategy through a FIX 4.4 venue, with a replayable journal",
       &PaperMain},
      {"report", "rebuild a run's HTML report (charts, metrics, round trips) from its outputs",
       &ReportMain},
      {"compare", "put several runs side by side: metrics table and overlaid equity curves",
       &CompareMain},
      {"sweep", "run a config over a grid of parameters (threads, shards), table by objective",
       &SweepMain},
      {"sweep-merge", "merge the results of sweep shards into one table", &SweepMergeMain},
      {"strategies", "list the strategies a config can name, with their parameters (--json)",
       &StrategiesMain},
      {"new", "write a strategy project of your own: `tapedeck new strategy NAME [--dir DIR]`",
       &NewMain},
  };
  return kCommands;
}

}  // namespace tapedeck::apps
