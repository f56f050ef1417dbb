// A core header that reaches outward: the check must name it.
#include "runner/backtest.h"
#include "core/types.h"
