// QuickFIX belongs to adapters.
#include "quickfix/Session.h"
#include "simdjson.h"
