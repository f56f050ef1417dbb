# Building and hosting run-time plugins (docs/plugins.md). Used in the source tree and shipped
# in the installed CMake package (lib/cmake/tapedeck/), beside the entry source it compiles into
# every plugin.
set(TAPEDECK_PLUGIN_ENTRY_SOURCE "${CMAKE_CURRENT_LIST_DIR}/tapedeck_plugin_entry.cc"
    CACHE INTERNAL "The entry point compiled into every tapedeck plugin")

# tapedeck_add_plugin(NAME SOURCES a.cc b.cc ... [OUTPUT_NAME name])
# A shared module libNAME.so exporting only the entry point tapedeck_plugin_v1. It links no
# tapedeck library: core's symbols, and so its registries, come from the host that loads it.
function(tapedeck_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT_NAME" "SOURCES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "tapedeck_add_plugin(${name}): SOURCES is empty")
  endif()
  add_library(${name} MODULE ${arg_SOURCES} ${TAPEDECK_PLUGIN_ENTRY_SOURCE})
  target_link_libraries(${name} PRIVATE tapedeck::sdk)
  target_compile_definitions(${name} PRIVATE TAPEDECK_PLUGIN_BUILD)
  set_target_properties(${name} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    PREFIX "lib")
  if(arg_OUTPUT_NAME)
    set_target_properties(${name} PROPERTIES OUTPUT_NAME ${arg_OUTPUT_NAME})
  endif()
endfunction()

# tapedeck_plugin_host(TARGET): lets the executable TARGET load plugins. It exports its symbols
# to the plugins it loads (ENABLE_EXPORTS) and links all of tapedeck_core, so that every
# function the SDK headers declare is there for a plugin to call, used by the program or not.
function(tapedeck_plugin_host target)
  set_target_properties(${target} PROPERTIES ENABLE_EXPORTS ON)
  target_link_options(${target} PRIVATE
    "LINKER:--whole-archive" "$<TARGET_FILE:tapedeck::core>" "LINKER:--no-whole-archive")
endfunction()
