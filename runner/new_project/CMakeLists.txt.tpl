# @NAME@: a tapedeck strategy, built as a plugin that `tapedeck run` loads, and its unit test.
#
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=/where/tapedeck/is/installed
#   cmake --build build && ctest --test-dir build
#   tapedeck run configs/@NAME@.json
cmake_minimum_required(VERSION 3.25)
project(@NAME@ LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)  # the engine's own build; a plugin runs at its speed
endif()

find_package(tapedeck CONFIG REQUIRED)

# build/lib@NAME@.so, which configs/@NAME@.json names in "plugins".
tapedeck_add_plugin(@NAME@ SOURCES src/@NAME@.cc)

# The test compiles the strategy in and runs it through the engine with the test kit.
enable_testing()
find_package(GTest CONFIG REQUIRED)
add_executable(@NAME@_test tests/@NAME@_test.cc src/@NAME@.cc)
target_link_libraries(@NAME@_test PRIVATE tapedeck::sdk tapedeck::testing
  GTest::gtest GTest::gmock GTest::gtest_main)
include(GoogleTest)
gtest_discover_tests(@NAME@_test)
