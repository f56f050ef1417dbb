# Warnings are set per target through this INTERFACE target, never through CMAKE_CXX_FLAGS.
add_library(tapedeck_warnings INTERFACE)
target_compile_options(tapedeck_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  $<$<BOOL:${TAPEDECK_WERROR}>:-Werror>)
