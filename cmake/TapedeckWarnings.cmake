# Warnings are set per target through this INTERFACE target, never through CMAKE_CXX_FLAGS.
add_library(tapedeck_warnings INTERFACE)
target_compile_options(tapedeck_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  # The venue's hot paths combine bools with | and & on purpose (no branch to mispredict:
  # core/matching_core.cc); clang's warning against it would stop the clang (sanitizer) build.
  $<$<CXX_COMPILER_ID:Clang>:-Wno-bitwise-instead-of-logical>
  # The embedded FIX dictionaries are string literals of 100-200 KB (adapters/fix_dictionary.cc);
  # both compilers take them, clang's -Wpedantic names the 64 KB the standard guarantees.
  $<$<CXX_COMPILER_ID:Clang>:-Wno-overlength-strings>
  $<$<BOOL:${TAPEDECK_WERROR}>:-Werror>)
