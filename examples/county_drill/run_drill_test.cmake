# ctest example_county_drill: runs the county drill at a small scale into a
# fresh folder, checks that it wrote its files, then runs it again and checks
# that the second run reopens and verifies the ledger.
#
#   cmake -DDRILL=<county_drill> -DOUT=<scratch folder> -P run_drill_test.cmake

file(REMOVE_RECURSE "${OUT}")

execute_process(
  COMMAND "${DRILL}" --persons=20000 "--out=${OUT}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE first_output
  ERROR_VARIABLE first_error)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "county_drill exited with ${rc}:\n${first_output}\n${first_error}")
endif()
foreach(name roster.csv roster.json loops.csv chain.dot drill.done)
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
file(READ "${OUT}/roster.csv" roster)
string(FIND "${roster}" "person_id,role,source,last_exposure,until,continuous,place" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "roster.csv has the wrong header:\n${roster}")
endif()

execute_process(
  COMMAND "${DRILL}" --persons=20000 "--out=${OUT}"
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
message(STATUS "county_drill ran twice in ${OUT}")
