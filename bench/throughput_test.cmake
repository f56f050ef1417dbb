# ctest's check of bench_throughput as a user runs it (bench/CMakeLists.txt):
#   cmake -DBIN=path/to/bench_throughput -DDIR=scratch/dir -P throughput_test.cmake
# The command line: --help, a bad number and an unknown option. Then a small run of every stage
# with --json, --dir and --keep, a second run that reuses the kept tapes, and a third with another
# --events that must write new ones. The harness itself exits 1 when the SMA stages disagree on
# the crossings they count, or floor_trading and engine_sma on their trading. No time is checked.
cmake_minimum_required(VERSION 3.19)

function(run expected_rc)
  execute_process(COMMAND ${BIN} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL expected_rc)
    message(FATAL_ERROR "bench_throughput ${ARGN}: exit ${rc}, expected ${expected_rc}\n"
                        "stdout:\n${out}\nstderr:\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

function(expect text pattern what)
  if(NOT text MATCHES "${pattern}")
    message(FATAL_ERROR "${what}: expected /${pattern}/ in:\n${text}")
  endif()
endfunction()

run(0 --help)
expect("${out}" "usage: bench_throughput \\[--events N\\]" "--help")
expect("${out}" "framework tax" "--help")
run(2 --events 12x)
expect("${err}" "bench_throughput: --events: '12x' is not a whole number of at least 1000"
       "a bad --events")
run(2 --repeat 0)
expect("${err}" "--repeat: '0' is not a whole number in \\[1, 1000\\]" "--repeat 0")
run(2 --event 5)
expect("${err}" "bench_throughput: unknown option '--event'" "an unknown option")
run(2 --dir ${DIR}/missing)
expect("${err}" "not a directory" "a missing --dir")

file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})
run(0 --events 20000 --repeat 1 --dir ${DIR} --keep --json ${DIR}/out.json)
expect("${err}" "writing two tapes of 20000 events" "the first run")
expect("${out}" "framework tax \\(floor / engine_sma" "the first run's table")
if(NOT out MATCHES "SMA trading: floor_trading ([0-9]+) fills.*engine_sma ([0-9]+) fills"
   OR NOT CMAKE_MATCH_1 EQUAL CMAKE_MATCH_2 OR CMAKE_MATCH_1 EQUAL 0)
  message(FATAL_ERROR "the first run's fills: ${out}")
endif()
file(READ ${DIR}/out.json json)
string(JSON stages LENGTH "${json}" stages)
if(NOT stages EQUAL 9)
  message(FATAL_ERROR "out.json: ${stages} stages, expected 9:\n${json}")
endif()
foreach(i RANGE 8)
  string(JSON name GET "${json}" stages ${i} name)
  string(JSON events GET "${json}" stages ${i} events)
  string(JSON rate GET "${json}" stages ${i} events_per_second)
  if(NOT events EQUAL 20000 OR rate LESS_EQUAL 0)
    message(FATAL_ERROR "out.json: stage ${name} saw ${events} events at ${rate}/s")
  endif()
endforeach()
string(JSON tax GET "${json}" framework_tax)
if(tax LESS_EQUAL 0)
  message(FATAL_ERROR "out.json: framework_tax ${tax}")
endif()

run(0 --events 20000 --repeat 1 --dir ${DIR} --keep)
expect("${err}" "reusing the two tapes of 20000 events" "a run on kept tapes")
run(0 --events 30000 --repeat 1 --dir ${DIR})
expect("${err}" "writing two tapes of 30000 events" "a run with another --events")
if(EXISTS ${DIR}/trades.tape OR EXISTS ${DIR}/mixed.tape)
  message(FATAL_ERROR "a run without --keep left its tapes in ${DIR}")
endif()
file(REMOVE_RECURSE ${DIR})
