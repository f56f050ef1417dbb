// CHECK/DCHECK for invariants. Debian's Abseil (20220623) ships no absl/log, so no ABSL_DCHECK.
// Messages of invariants start with "Invariant: ".
#ifndef TAPEDECK_CORE_CHECK_H_
#define TAPEDECK_CORE_CHECK_H_

#include <cstdio>
#include <cstdlib>

#include "absl/base/optimization.h"

namespace tapedeck::internal {
[[noreturn]] inline void CheckFailed(const char* file, int line, const char* cond, const char* msg) {
  std::fprintf(stderr, "%s:%d: check failed: %s: %s\n", file, line, cond, msg);
  std::abort();
}
}  // namespace tapedeck::internal

// Soundness depends on it: checked in every build.
#define TAPEDECK_CHECK(cond, msg)                                                  \
  do {                                                                             \
    if (ABSL_PREDICT_FALSE(!(cond)))                                               \
      ::tapedeck::internal::CheckFailed(__FILE__, __LINE__, #cond, msg);           \
  } while (false)

#ifdef NDEBUG
#define TAPEDECK_DCHECK(cond, msg) \
  do {                             \
  } while (false && (cond))
#else
#define TAPEDECK_DCHECK(cond, msg) TAPEDECK_CHECK(cond, msg)
#endif

#endif  // TAPEDECK_CORE_CHECK_H_
