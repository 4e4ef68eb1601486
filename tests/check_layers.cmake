# ctest layers: checks the folder graph of lib/ against the layer table of
# cmake/ContactLedgerLayers.cmake.
#
#   cmake -DSOURCE_DIR=<repository> -P tests/check_layers.cmake
#
# Fails, naming the file and line, when
#   - a folder of lib/ is not in the table, or a layer has no folder;
#   - a layer names as a dependency a layer that is not below it (a cycle or
#     an upward edge);
#   - a file of lib/<folder>/ includes "lib/<other>/..." where <other> is
#     neither <folder> nor below it (directly or through its dependencies).
# The build enforces the last rule too (each layer compiles against its own
# include root); this check also covers headers no .cc includes, and prints
# the graph.

include(${SOURCE_DIR}/cmake/ContactLedgerLayers.cmake)

set(problems "")
set(seen "")
foreach(layer ${CONTACTLEDGER_LAYERS})
  set(closure ${layer})
  foreach(dep ${CONTACTLEDGER_LAYER_DEPS_${layer}})
    list(FIND seen ${dep} at)
    if(at EQUAL -1)
      string(APPEND problems
        "layer '${layer}' depends on '${dep}', which is not below it\n")
    endif()
    list(APPEND closure ${dep} ${closure_${dep}})
  endforeach()
  list(REMOVE_DUPLICATES closure)
  set(closure_${layer} ${closure})
  list(APPEND seen ${layer})
  if(NOT IS_DIRECTORY ${SOURCE_DIR}/lib/${layer})
    string(APPEND problems "layer '${layer}' has no folder lib/${layer}\n")
  endif()
  string(REPLACE ";" " " deps "${CONTACTLEDGER_LAYER_DEPS_${layer}}")
  message(STATUS "${layer} -> ${deps}")
endforeach()

file(GLOB folders RELATIVE ${SOURCE_DIR}/lib ${SOURCE_DIR}/lib/*)
foreach(folder ${folders})
  if(NOT IS_DIRECTORY ${SOURCE_DIR}/lib/${folder})
    continue()
  endif()
  list(FIND CONTACTLEDGER_LAYERS ${folder} at)
  if(at EQUAL -1)
    string(APPEND problems
      "lib/${folder} is not a layer of cmake/ContactLedgerLayers.cmake\n")
    continue()
  endif()
  file(GLOB files RELATIVE ${SOURCE_DIR}
    ${SOURCE_DIR}/lib/${folder}/*.h ${SOURCE_DIR}/lib/${folder}/*.cc)
  foreach(file ${files})
    file(STRINGS ${SOURCE_DIR}/${file} lines)
    set(line_number 0)
    foreach(line IN LISTS lines)
      math(EXPR line_number "${line_number} + 1")
      if(line MATCHES "^#include \"lib/([a-z_]+)/")
        set(target ${CMAKE_MATCH_1})
        list(FIND closure_${folder} ${target} at)
        if(at EQUAL -1)
          string(APPEND problems
            "${file}:${line_number}: lib/${folder} includes lib/${target}, "
            "which is not below it\n")
        endif()
      endif()
    endforeach()
  endforeach()
endforeach()

if(NOT problems STREQUAL "")
  message(FATAL_ERROR "the folder graph of lib/ breaks its layers:\n${problems}")
endif()
message(STATUS "lib/: every include goes down the layer table")
