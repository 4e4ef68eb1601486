# Runs a benchmark program and checks that its standard output is exactly one
# JSON document with a non-empty "benchmarks" array, as a script reading
# --benchmark_format=json expects; with -DOUT_FILE=path, also that the file
# it wrote (--benchmark_out=path) is one. Python's json module does the
# checking: it refuses anything before or after the document.
#
#   cmake -DPYTHON=python3 [-DOUT_FILE=path] -P check_json_output.cmake --
#       program --benchmark_format=json [more arguments]
#
# (No argument may hold a ';': CMake would split it.)

set(command)
set(after_dashes FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_dashes)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_dashes TRUE)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "usage: cmake -DPYTHON=python3 -P check_json_output.cmake -- program args...")
endif()

if(OUT_FILE)
  file(REMOVE "${OUT_FILE}")  # so that a file left by an earlier run cannot pass
endif()

set(check "import json, sys; d = json.load(sys.stdin); assert d['benchmarks'], 'no benchmarks'")
execute_process(
  COMMAND ${command}
  COMMAND "${PYTHON}" -c "${check}"
  RESULTS_VARIABLE results)
list(GET results 0 program_result)
list(GET results 1 check_result)
if(NOT program_result EQUAL 0)
  message(FATAL_ERROR "${command}: exited with ${program_result}")
endif()
if(NOT check_result EQUAL 0)
  message(FATAL_ERROR "${command}: standard output is not one JSON document with benchmarks")
endif()

if(OUT_FILE)
  execute_process(
    COMMAND "${PYTHON}" -c "${check}"
    INPUT_FILE "${OUT_FILE}"
    RESULT_VARIABLE file_result)
  if(NOT file_result EQUAL 0)
    message(FATAL_ERROR "${OUT_FILE}: not one JSON document with benchmarks")
  endif()
endif()
