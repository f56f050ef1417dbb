// The engine of the simulated venue, compiled once here (core/engine.h).
#include "core/engine.h"

#include "core/engine_impl.h"

namespace tapedeck {

template class BasicEngine<SimVenue>;

}  // namespace tapedeck
