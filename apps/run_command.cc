#include "apps/commands.h"

namespace tapedeck::apps {

int RunMain(int, char**) { return kExitFailure; }

}  // namespace tapedeck::apps
