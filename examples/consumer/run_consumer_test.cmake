# The consumer_find_package test (run with `cmake -D... -P`):
#   1. installs the ContactLedger build CONTACTLEDGER_BUILD_DIR into
#      WORK_DIR/prefix,
#   2. configures CONSUMER_SOURCE_DIR (a standalone project that does
#      find_package(ContactLedger REQUIRED)) with CMAKE_PREFIX_PATH set to it,
#   3. builds it, and
#   4. runs the program, which must exit 0.
# Any failing step stops the script with a FATAL_ERROR (the test fails).
#
# Inputs (-D): CONTACTLEDGER_BUILD_DIR, CONSUMER_SOURCE_DIR, WORK_DIR, and
# optionally CONFIG, GENERATOR, MAKE_PROGRAM, CXX_COMPILER, CXX_FLAGS,
# EXE_LINKER_FLAGS (taken from the ContactLedger build).

cmake_minimum_required(VERSION 3.16)

foreach(var CONTACTLEDGER_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer_test.cmake: -D${var}=... is required")
  endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/build)

# Runs a command; stops with its output on failure.
function(run_step name)
  message(STATUS "consumer_find_package: ${name}: ${ARGN}")
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
  message("${output}")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR
      "consumer_find_package: step '${name}' failed (${result})")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install. DESTDIR would put the files somewhere else than the prefix.
unset(ENV{DESTDIR})
set(config_args)
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()
run_step(install
  ${CMAKE_COMMAND} --install ${CONTACTLEDGER_BUILD_DIR} --prefix ${prefix}
  ${config_args})

foreach(file
    include/contactledger/ledger.h
    include/contactledger/v1/ledger.pb.h
    include/contactledger/v1/ledger.proto)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "consumer_find_package: ${file} was not installed")
  endif()
endforeach()

# 2. Configure the consumer against the prefix only.
set(configure_args
  -S ${CONSUMER_SOURCE_DIR}
  -B ${consumer_build}
  -DCMAKE_PREFIX_PATH=${prefix}
  -DCONTACTLEDGER_EXPECTED_PREFIX=${prefix}
  # Look nowhere else for ContactLedger itself.
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(GENERATOR)
  list(APPEND configure_args -G ${GENERATOR})
endif()
if(MAKE_PROGRAM)
  list(APPEND configure_args -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
if(CXX_COMPILER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(CXX_FLAGS)
  list(APPEND configure_args "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
endif()
if(EXE_LINKER_FLAGS)
  list(APPEND configure_args "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}")
endif()
if(CONFIG)
  list(APPEND configure_args -DCMAKE_BUILD_TYPE=${CONFIG})
endif()
run_step(configure ${CMAKE_COMMAND} ${configure_args})

# 3. Build.
run_step(build ${CMAKE_COMMAND} --build ${consumer_build} ${config_args})

# 4. Run. Multi-config generators put the program in a per-config folder.
set(program)
foreach(candidate
    ${consumer_build}/contactledger_consumer
    ${consumer_build}/${CONFIG}/contactledger_consumer
    ${consumer_build}/contactledger_consumer.exe
    ${consumer_build}/${CONFIG}/contactledger_consumer.exe)
  if(EXISTS ${candidate} AND NOT IS_DIRECTORY ${candidate})
    set(program ${candidate})
    break()
  endif()
endforeach()
if(NOT program)
  message(FATAL_ERROR
    "consumer_find_package: no contactledger_consumer in ${consumer_build}")
endif()
run_step(run ${program})

message(STATUS "consumer_find_package: passed")
