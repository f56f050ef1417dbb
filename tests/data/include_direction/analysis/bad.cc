// analysis may use core and runner, not adapters.
#include "adapters/fix_sim.h"
#include "runner/backtest.h"
