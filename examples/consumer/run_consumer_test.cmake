# The consumer_find_package test (run with `cmake -D... -P`):
#   1. installs the ContactLedger build CONTACTLEDGER_BUILD_DIR into
#      WORK_DIR/prefix,
#   2. configures CONSUMER_SOURCE_DIR (a standalone project that does
#      find_package(ContactLedger REQUIRED)) with CMAKE_PREFIX_PATH set to it,
#   3. builds it, and with it the C++ program of README.md's section "Using
#      it from CMake" (taken from the README, so that what the README shows
#      is what is tested), and
#   4. runs both programs, which must exit 0; the README's must print the
#      roster its comment says.
# Any failing step stops the script with a FATAL_ERROR (the test fails).
#
# Inputs (-D): CONTACTLEDGER_BUILD_DIR, CONSUMER_SOURCE_DIR, WORK_DIR, and
# optionally README (default: the README.md two folders above
# CONSUMER_SOURCE_DIR), CONFIG, GENERATOR, MAKE_PROGRAM, CXX_COMPILER,
# CXX_FLAGS, EXE_LINKER_FLAGS (taken from the ContactLedger build).

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

# The README's program: the ```cpp block of its section "Using it from
# CMake" (from the section's heading to the next "## " heading).
if(NOT README)
  get_filename_component(README "${CONSUMER_SOURCE_DIR}/../../README.md"
    ABSOLUTE)
endif()
file(READ "${README}" readme_text)
string(FIND "${readme_text}" "\n## Using it from CMake\n" section_at)
if(section_at EQUAL -1)
  message(FATAL_ERROR
    "consumer_find_package: ${README} has no section \"Using it from CMake\"")
endif()
math(EXPR section_at "${section_at} + 1")
string(SUBSTRING "${readme_text}" ${section_at} -1 section)
string(FIND "${section}" "\n## " section_end)
if(NOT section_end EQUAL -1)
  string(SUBSTRING "${section}" 0 ${section_end} section)
endif()
string(FIND "${section}" "\n```cpp\n" code_at)
if(code_at EQUAL -1)
  message(FATAL_ERROR
    "consumer_find_package: README.md's \"Using it from CMake\" has no "
    "```cpp block")
endif()
math(EXPR code_at "${code_at} + 8")
string(SUBSTRING "${section}" ${code_at} -1 code)
string(FIND "${code}" "\n```" code_end)
string(SUBSTRING "${code}" 0 ${code_end} code)
set(readme_program ${WORK_DIR}/readme_program.cc)
file(WRITE ${readme_program} "${code}\n")

# 2. Configure the consumer against the prefix only.
set(configure_args
  -S ${CONSUMER_SOURCE_DIR}
  -B ${consumer_build}
  -DCMAKE_PREFIX_PATH=${prefix}
  -DCONTACTLEDGER_EXPECTED_PREFIX=${prefix}
  -DCONTACTLEDGER_README_PROGRAM=${readme_program}
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

# The README's program prints the roster its last comment says.
get_filename_component(program_dir ${program} DIRECTORY)
get_filename_component(program_ext ${program} EXT)
set(readme_binary ${program_dir}/contactledger_readme_program${program_ext})
execute_process(COMMAND ${readme_binary}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
message("${output}${error}")
if(NOT result EQUAL 0 OR NOT output STREQUAL "p1 case\np2 close_contact\n")
  message(FATAL_ERROR
    "consumer_find_package: README.md's program (${readme_program}) exited "
    "${result} printing '${output}', expected 'p1 case' and "
    "'p2 close_contact'")
endif()

message(STATUS "consumer_find_package: passed")
