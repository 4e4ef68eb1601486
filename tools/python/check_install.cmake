# The test python_install: `cmake --install` of the component `python` into a
# fresh prefix puts the package contactledger (its Python sources, the
# extension and the schema's modules) in PREFIX/SITE, and the interpreter
# imports it from there, not from the build tree, and answers a question;
# tools/python/contactledger_reader.py (READER) reads a ledger directory the
# installed package wrote, with the installed schema modules alone.
#
#   cmake -DBUILD_DIR=... -DPREFIX=... -DSITE=... -DPYTHON=... -DREADER=... \
#     -P check_install.cmake

foreach(var BUILD_DIR PREFIX SITE PYTHON READER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_install.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE ${PREFIX})
execute_process(
  COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
    --component python
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()

set(site ${PREFIX}/${SITE})
foreach(file contactledger/__init__.py contactledger/v1/ledger_pb2.py
             contactledger/v1/policy_pb2.py contactledger/v1/storage_pb2.py
             contactledger/v1/replication_pb2.py)
  if(NOT EXISTS ${site}/${file})
    message(FATAL_ERROR "not installed: ${site}/${file}")
  endif()
endforeach()
file(GLOB extension ${site}/contactledger/_contactledger*)
if(NOT extension)
  message(FATAL_ERROR "the extension module is not installed in "
                      "${site}/contactledger")
endif()

# Run from the prefix, with only the installed site on PYTHONPATH (-s: no
# user site), so that the build tree cannot be what is imported.
set(script [=[
import datetime, os, sys
import contactledger
here = os.path.realpath(contactledger.__file__)
want = os.path.realpath(sys.argv[1])
assert here.startswith(want + os.sep), (here, want)
CST = datetime.timezone(datetime.timedelta(hours=8))
ledger = contactledger.Ledger.new(time_zone=CST)
with ledger:
    ledger.append_batch([
        {"area": {"id": "c", "level": "AREA_LEVEL_COUNTY"}},
        {"exposure": {"personA": "p1", "personB": "p2",
                      "start": "2020-01-24T10:00:00Z",
                      "end": "2020-01-24T11:00:00Z",
                      "setting": "EXPOSURE_SETTING_GATHERING"}},
        {"diagnosis": {"personId": "p1", "status": "DIAGNOSIS_STATUS_CONFIRMED",
                       "time": "2020-01-25T10:00:00Z"}},
    ])
    rows = ledger.roster(at=datetime.datetime(2020, 1, 26, 12, tzinfo=CST))
    got = [(r.person_id, r.role, r.until) for r in rows]
    assert got == [("p1", "case", None),
                   ("p2", "close_contact", datetime.date(2020, 2, 7))], got
# A ledger directory for contactledger_reader.py to read below.
with contactledger.open(os.path.join(os.getcwd(), "ledger"),
                        time_zone=CST) as ledger:
    ledger.append({"area": {"id": "c", "level": "AREA_LEVEL_COUNTY"}})
    ledger.append({"area": {"id": "t", "level": "AREA_LEVEL_TOWNSHIP",
                            "parentId": "c"}})
print("installed package OK:", here)
]=])
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${site} PYTHONDONTWRITEBYTECODE=1
    ${PYTHON} -s -c "${script}" ${site}
  WORKING_DIRECTORY ${PREFIX}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed package does not import or answer (${rc})")
endif()

# contactledger_reader.py with only the installed site on PYTHONPATH: it
# imports contactledger.v1.ledger_pb2 and storage_pb2 from the package.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${site} PYTHONDONTWRITEBYTECODE=1
    ${PYTHON} -s ${READER} ledger ${PREFIX}/ledger
  WORKING_DIRECTORY ${PREFIX}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "contactledger_reader.py cannot read a ledger with the "
                      "installed package (${rc}):\n${out}${err}")
endif()
if(NOT out MATCHES "last sequence number: 2")
  message(FATAL_ERROR "contactledger_reader.py read the wrong ledger:\n${out}")
endif()
message(STATUS "contactledger_reader.py with the installed package OK")
