// Copyright 2026 The ContactLedger Authors.
//
// tools/python/bindings/records.h: the answers of the library as Python
// records, for the `contactledger` Python package (tools/python).
//
// Each answer row becomes a struct sequence (the C type behind
// `os.stat_result`): an immutable tuple with named, readable fields and a
// repr such as contactledger.RosterEntry(person_id='p3', role=...). They are
// made in C++ because a roster of a county has hundreds of rows and the
// package must stay close to the library's own speed (bench/python_*).
//
// Values cross as Python types: ids and names as str (an empty optional id
// as None), instants as timezone-aware datetime.datetime in the ledger's
// zone (None for an infinite one), civil days as datetime.date, durations as
// datetime.timedelta, enums by the names of contactledger/report.h and
// contactledger/tracing.h ("close_contact", "centralized", ...).
//
// Every function here needs the GIL.

#ifndef CONTACTLEDGER_TOOLS_PYTHON_BINDINGS_RECORDS_H_
#define CONTACTLEDGER_TOOLS_PYTHON_BINDINGS_RECORDS_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/tracing.h"
#include "pybind11/pybind11.h"

namespace contactledger {
namespace python {

// Creates the record types and adds them to `module` (RosterEntry,
// OpenLoop, AreaRollupRow, ContactAtDistance, ChainEdge, TransmissionChain,
// ExplanationSource, QuarantinePhase, Explanation, PassDecision). Call once,
// from the module's init.
void AddRecordTypes(pybind11::module_& module);

// Time values.
pybind11::object ToDateTime(absl::Time time, const absl::TimeZone& zone);
pybind11::object ToDate(absl::CivilDay day);

// The answers.
pybind11::list ToRoster(const std::vector<RosterEntry>& roster,
                        const absl::TimeZone& zone);
pybind11::list ToOpenLoops(const std::vector<OpenLoop>& loops,
                           const absl::TimeZone& zone);
pybind11::list ToRollup(const std::vector<AreaRollupRow>& rows);
pybind11::list ToContacts(const std::vector<ContactAtDistance>& contacts);
pybind11::list ToChains(const std::vector<TransmissionChain>& chains);
pybind11::object ToExplanation(const Explanation& explanation,
                               const absl::TimeZone& zone);
pybind11::object ToPassDecision(const std::string& person_id,
                                const std::string& checkpoint_id,
                                const PassDecision& decision);

}  // namespace python
}  // namespace contactledger

#endif  // CONTACTLEDGER_TOOLS_PYTHON_BINDINGS_RECORDS_H_
