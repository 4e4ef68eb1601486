# ctest example_county_drill and example_county_drill_default_size: runs the
# county drill into a fresh folder, checks that it wrote its files and that
# roster.csv, roster.json, loops.csv and chain.dot are byte for byte the
# committed copies in GOLDEN; with RUN_TWICE, runs it again and checks that
# the second run reopens and verifies the ledger and writes the same files.
#
#   cmake -DDRILL=<county_drill> -DOUT=<scratch folder> -DGOLDEN=<folder>
#         [-DPERSONS=<n>] [-DRUN_TWICE=ON] -P run_drill_test.cmake
#
# Without PERSONS the drill runs at its default size.

foreach(var DRILL OUT GOLDEN)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_drill_test.cmake needs -D${var}=...")
  endif()
endforeach()

set(drill_args "--out=${OUT}")
if(DEFINED PERSONS AND NOT PERSONS STREQUAL "")
  list(PREPEND drill_args "--persons=${PERSONS}")
endif()
set(compared_files roster.csv roster.json loops.csv chain.dot)
find_program(DIFF_PROGRAM diff)

# Fails, naming every file of OUT that differs from its copy in GOLDEN (with
# `diff -u` when there is one). `run` says which run wrote them; `stderr` is
# what the drill printed there.
function(compare_with_golden run stderr)
  set(differing "")
  set(details "")
  foreach(name IN LISTS compared_files)
    set(expected "${GOLDEN}/${name}")
    set(actual "${OUT}/${name}")
    if(NOT EXISTS "${expected}")
      message(FATAL_ERROR "no golden copy ${expected}")
    endif()
    if(NOT EXISTS "${actual}")
      list(APPEND differing "${name}")
      string(APPEND details "\n--- ${name}: not written\n")
      continue()
    endif()
    file(SHA256 "${expected}" expected_hash)
    file(SHA256 "${actual}" actual_hash)
    if(expected_hash STREQUAL actual_hash)
      continue()
    endif()
    list(APPEND differing "${name}")
    string(APPEND details "\n--- ${name}: ${actual} differs from ${expected}\n")
    if(DIFF_PROGRAM)
      execute_process(
        COMMAND "${DIFF_PROGRAM}" -u "${expected}" "${actual}"
        OUTPUT_VARIABLE diff_output
        ERROR_VARIABLE diff_output)
      string(APPEND details "${diff_output}")
    endif()
  endforeach()
  if(differing)
    list(JOIN differing ", " differing_names)
    set(hint "")
    string(FIND "${stderr}" "no tz data" no_tz)
    if(NOT no_tz EQUAL -1)
      set(hint "\n(this system has no tz data for Asia/Shanghai, and the golden files were written with it: install tzdata)")
    endif()
    # The differences verbatim (FATAL_ERROR would re-wrap their lines), then
    # the verdict.
    message("${details}")
    message(FATAL_ERROR
      "county_drill (${run}) wrote files that are not byte-identical to the "
      "golden copies in ${GOLDEN}: ${differing_names} (the differences are "
      "above)${hint}")
  endif()
endfunction()

file(REMOVE_RECURSE "${OUT}")

execute_process(
  COMMAND "${DRILL}" ${drill_args}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE first_output
  ERROR_VARIABLE first_error)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "county_drill exited with ${rc}:\n${first_output}\n${first_error}")
endif()
foreach(name roster.csv roster.json loops.csv chain.dot dashboard.html drill.done)
  if(NOT EXISTS "${OUT}/${name}")
    message(FATAL_ERROR "county_drill did not write ${OUT}/${name}:\n${first_output}")
  endif()
endforeach()
if(NOT IS_DIRECTORY "${OUT}/ledger")
  message(FATAL_ERROR "county_drill left no ledger directory in ${OUT}")
endif()
foreach(text "== Sat 2020-02-08" "open loops:" "since the day before:")
  string(FIND "${first_output}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "county_drill printed no '${text}':\n${first_output}")
  endif()
endforeach()
compare_with_golden("first run" "${first_error}")

# dashboard.html (county_drill/dashboard_page.h): the last evening's page,
# whose roster and open loops are those of roster.csv and loops.csv, under a
# policy that forbids any fetch.
function(check_dashboard run)
  set(page "${OUT}/dashboard.html")
  if(NOT EXISTS "${page}")
    message(FATAL_ERROR "county_drill (${run}) wrote no ${page}")
  endif()
  file(GLOB leftovers "${OUT}/dashboard.html.tmp*")
  if(leftovers)
    message(FATAL_ERROR "county_drill (${run}) left a temporary page behind: "
                        "${leftovers}")
  endif()
  file(READ "${page}" html)
  # Rows: the line breaks of each file but the header's (details are one
  # line each, and may hold non-ASCII text, which file(STRINGS) would split).
  foreach(name roster loops)
    file(READ "${OUT}/${name}.csv" text)
    string(REGEX MATCHALL "\n" breaks "${text}")
    list(LENGTH breaks ${name}_count)
    math(EXPR ${name}_count "${${name}_count} - 1")
  endforeach()
  set(loop_count ${loops_count})
  foreach(text
      "<h2>Roster: ${roster_count}</h2>"
      "<h2>Open loops: ${loop_count}</h2>"
      "content=\"default-src &#39;none&#39;; "
      "<tr data-day=\"2020-02-08\"><td>2020-02-08</td><td><time datetime=\"2020-02-08T22:00:00+08:00\">")
    string(FIND "${html}" "${text}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "county_drill (${run}): ${page} has no '${text}'")
    endif()
  endforeach()
endfunction()
check_dashboard("first run")

if(RUN_TWICE)
  # The files are written again from the reopened ledger: remove them first,
  # so that a run that writes none cannot pass.
  foreach(name IN LISTS compared_files ITEMS dashboard.html)
    file(REMOVE "${OUT}/${name}")
  endforeach()
  execute_process(
    COMMAND "${DRILL}" ${drill_args}
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE second_output
    ERROR_VARIABLE second_error)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "county_drill (again) exited with ${rc}:\n${second_output}\n${second_error}")
  endif()
  string(FIND "${second_output}" ": ok" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the second run did not verify the ledger:\n${second_output}")
  endif()
  compare_with_golden("second run, reopened" "${second_error}")
  check_dashboard("second run, reopened")
  message(STATUS "county_drill ran twice in ${OUT}; its files match ${GOLDEN}")
else()
  message(STATUS "county_drill ran in ${OUT}; its files match ${GOLDEN}")
endif()
