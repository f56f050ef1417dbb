# The installed SDK (docs/plugins.md): `cmake --install build --prefix P` puts the public headers
# under P/include/tapedeck, tapedeck_core under P/lib, the CMake package under
# P/lib/cmake/tapedeck (find_package(tapedeck CONFIG)) and P/lib/pkgconfig/tapedeck.pc.
include(CMakePackageConfigHelpers)

# The strategy-facing API and exactly what it includes (tests/sdk checks that each compiles on
# its own against the prefix). Everything else stays private.
set(TAPEDECK_PUBLIC_HEADERS
  config.h context.h decimal.h event.h huge_page.h instrument.h large_vector.h latency_model.h
  latency_model_registry.h latency_recording.h market_view.h order.h params.h plugin.h
  portfolio.h queue_model.h queue_model_registry.h records.h sizing.h status.h strategy.h
  strategy_registry.h strategy_report.h trade_run.h types.h)
# And what the test kit's installed headers (testkit/strategy_test.h: the engine behind
# tapedeck::testing) include besides.
list(APPEND TAPEDECK_PUBLIC_HEADERS
  engine.h event_order.h exchange_side.h l3_book.h l3_queue.h matching_core.h merger.h
  order_book.h ring_queue.h sim_venue.h sim_venue_config.h source.h strategy_host.h
  venue_account.h venue_model.h)
list(TRANSFORM TAPEDECK_PUBLIC_HEADERS PREPEND ${PROJECT_SOURCE_DIR}/core/)
set(_include ${CMAKE_INSTALL_INCLUDEDIR}/tapedeck)
set(_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/tapedeck)
install(FILES ${TAPEDECK_PUBLIC_HEADERS} ${PROJECT_BINARY_DIR}/generated/core/version.h
        DESTINATION ${_include}/core)

# The export set tapedeck-targets, namespace tapedeck::; the test kit (testkit/) adds
# tapedeck::testing to it.
install(TARGETS tapedeck_core tapedeck_sdk EXPORT tapedeck-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${_include})
install(EXPORT tapedeck-targets NAMESPACE tapedeck:: DESTINATION ${_cmakedir})

# Compatibility: a release of the same major version (of the same minor while the major is 0,
# as semantic versioning has it), and a plugin loads only into a tapedeck of its plugin ABI
# version (core/version.h; the loader checks it).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_compat SameMinorVersion)
else()
  set(_compat SameMajorVersion)
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tapedeckConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sdk/tapedeckConfig.cmake INSTALL_DESTINATION ${_cmakedir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sdk/tapedeckConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${_compat})
configure_file(${PROJECT_SOURCE_DIR}/cmake/tapedeck.pc.in ${PROJECT_BINARY_DIR}/sdk/tapedeck.pc
  @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sdk/tapedeckConfig.cmake
              ${PROJECT_BINARY_DIR}/sdk/tapedeckConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/TapedeckPlugin.cmake
              ${PROJECT_SOURCE_DIR}/cmake/tapedeck_plugin_entry.cc
        DESTINATION ${_cmakedir})
install(FILES ${PROJECT_BINARY_DIR}/sdk/tapedeck.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
