// runner may use everything but analysis and apps.
#include "adapters/fix_sim.h"
#include "replay/tape.h"
#include <vector>
