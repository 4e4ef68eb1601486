# The consumer_pkg_config test (run with `cmake -D... -P`): the same program
# as consumer_find_package, built without CMake, the way a Makefile would:
#   1. installs the ContactLedger build CONTACTLEDGER_BUILD_DIR into
#      WORK_DIR/prefix,
#   2. asks pkg-config, with PKG_CONFIG_PATH=<prefix>/lib/pkgconfig, for
#      `--cflags --libs contactledger`,
#   3. compiles and links CONSUMER_SOURCE_DIR/main.cc with
#      `CXX -std=c++17 main.cc -o contactledger_consumer $(pkg-config ...)`,
#   4. runs it; it must exit 0.
# Any failing step stops the script with a FATAL_ERROR (the test fails).
#
# Inputs (-D): CONTACTLEDGER_BUILD_DIR, CONSUMER_SOURCE_DIR, WORK_DIR,
# PKG_CONFIG, CXX_COMPILER, and optionally CONFIG, VERSION (the version
# pkg-config must report), CXX_FLAGS, EXE_LINKER_FLAGS (taken from the
# ContactLedger build: a sanitizer build needs them in the consumer too).

cmake_minimum_required(VERSION 3.16)

foreach(var CONTACTLEDGER_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR PKG_CONFIG
    CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_pkg_config_test.cmake: -D${var}=... is required")
  endif()
endforeach()

set(prefix ${WORK_DIR}/prefix)

# Runs a command; stops with its output on failure; sets `output`.
function(run_step name)
  message(STATUS "consumer_pkg_config: ${name}: ${ARGN}")
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE result
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR
      "consumer_pkg_config: step '${name}' failed (${result})")
  endif()
  string(STRIP "${out}" out)
  set(output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install.
unset(ENV{DESTDIR})
set(config_args)
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()
run_step(install
  ${CMAKE_COMMAND} --install ${CONTACTLEDGER_BUILD_DIR} --prefix ${prefix}
  ${config_args})

# 2. pkg-config, looking in the prefix first. The .pc file goes to
# <libdir>/pkgconfig: lib/pkgconfig unless the build chose another libdir.
file(GLOB_RECURSE pc_files ${prefix}/*/contactledger.pc)
list(LENGTH pc_files pc_count)
if(NOT pc_count EQUAL 1)
  message(FATAL_ERROR
    "consumer_pkg_config: expected one contactledger.pc under ${prefix}, "
    "found ${pc_count}: ${pc_files}")
endif()
get_filename_component(pc_dir ${pc_files} DIRECTORY)
if(NOT EXISTS ${prefix}/lib/pkgconfig/contactledger.pc)
  message(WARNING "contactledger.pc is in ${pc_dir}, not ${prefix}/lib/pkgconfig")
endif()
set(ENV{PKG_CONFIG_PATH} ${pc_dir})

run_step(modversion ${PKG_CONFIG} --modversion contactledger)
if(VERSION AND NOT output STREQUAL VERSION)
  message(FATAL_ERROR "consumer_pkg_config: pkg-config reports version "
    "'${output}', the build is ${VERSION}")
endif()
run_step(flags ${PKG_CONFIG} --cflags --libs contactledger)
set(pkg_flags "${output}")
separate_arguments(pkg_flags UNIX_COMMAND "${pkg_flags}")
# The flags must lead to the prefix's headers and library, not to another
# install.
get_filename_component(real_prefix ${prefix} REALPATH)
foreach(want "I;contactledger/ledger.h" "L;libcontactledger.a")
  list(GET want 0 letter)
  list(GET want 1 file)
  set(found)
  foreach(flag ${pkg_flags})
    if(flag MATCHES "^-${letter}(.+)$")
      set(dir "${CMAKE_MATCH_1}")
      if(EXISTS "${dir}/${file}")
        get_filename_component(found "${dir}/${file}" REALPATH)
        break()
      endif()
    endif()
  endforeach()
  if(NOT found)
    message(FATAL_ERROR "consumer_pkg_config: no -${letter} directory in the "
      "pkg-config flags holds ${file}: ${pkg_flags}")
  endif()
  string(FIND "${found}" "${real_prefix}/" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR
      "consumer_pkg_config: pkg-config leads to ${found}, not under ${prefix}")
  endif()
endforeach()
if(NOT "-lcontactledger" IN_LIST pkg_flags)
  message(FATAL_ERROR "consumer_pkg_config: no -lcontactledger: ${pkg_flags}")
endif()

# 3. Compile and link, as `g++ main.cc $(pkg-config --cflags --libs ...)`.
separate_arguments(cxx_flags UNIX_COMMAND "${CXX_FLAGS}")
separate_arguments(linker_flags UNIX_COMMAND "${EXE_LINKER_FLAGS}")
set(program ${WORK_DIR}/contactledger_consumer)
run_step(compile
  ${CXX_COMPILER} -std=c++17 ${cxx_flags}
  ${CONSUMER_SOURCE_DIR}/main.cc -o ${program}
  ${pkg_flags} ${linker_flags})

# 4. Run.
run_step(run ${program})
if(NOT output MATCHES "ok$")
  message(FATAL_ERROR "consumer_pkg_config: the program did not print ok")
endif()

message(STATUS "consumer_pkg_config: passed")
