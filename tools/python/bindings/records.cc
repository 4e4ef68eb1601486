// Copyright 2026 The ContactLedger Authors.
//
// tools/python/bindings/records.cc: the library's answers as Python struct
// sequences (records.h says what each value becomes).

#include "tools/python/bindings/records.h"

// datetime.h is CPython's C API of the datetime module; pybind11.h above
// brings Python.h first, as it must.
#include <datetime.h>
#include <structseq.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "contactledger/report.h"

namespace py = pybind11;

namespace contactledger {
namespace python {
namespace {

// The record types, made once by AddRecordTypes.
PyTypeObject* roster_entry_type = nullptr;
PyTypeObject* open_loop_type = nullptr;
PyTypeObject* rollup_row_type = nullptr;
PyTypeObject* contact_type = nullptr;
PyTypeObject* chain_edge_type = nullptr;
PyTypeObject* chain_type = nullptr;
PyTypeObject* source_type = nullptr;
PyTypeObject* phase_type = nullptr;
PyTypeObject* explanation_type = nullptr;
PyTypeObject* pass_type = nullptr;

// A struct sequence type named contactledger.NAME with these fields, all
// visible as items and attributes. The descriptions live as long as the
// process (the type keeps pointers into them).
PyTypeObject* NewRecordType(py::module_& module, const char* name,
                            const char* doc,
                            const std::vector<std::string>& fields) {
  auto* names = new std::vector<std::string>(fields);
  auto* descs = new std::vector<PyStructSequence_Field>();
  for (const std::string& field : *names) {
    descs->push_back({field.c_str(), nullptr});
  }
  descs->push_back({nullptr, nullptr});
  auto* qualified = new std::string(std::string("contactledger.") + name);
  auto* desc = new PyStructSequence_Desc{qualified->c_str(), doc, descs->data(),
                                         static_cast<int>(names->size())};
  PyTypeObject* type = PyStructSequence_NewType(desc);
  if (type == nullptr) throw py::error_already_set();
  module.add_object(name, py::reinterpret_borrow<py::object>(
                              reinterpret_cast<PyObject*>(type)));
  return type;
}

// A new record of `type` holding `values` in order.
py::object Record(PyTypeObject* type,
                  std::initializer_list<py::object> values) {
  // A struct sequence is a tuple subtype whose fields are its items; ours
  // are all visible, so it is allocated as a tuple of that type and length
  // (as tuple's own tp_new does for a subtype). PyStructSequence_New would
  // look up the type's field counts in its dict for every record.
  const Py_ssize_t size = static_cast<Py_ssize_t>(values.size());
  PyObject* record = type->tp_alloc(type, size);
  if (record == nullptr) throw py::error_already_set();
  Py_ssize_t i = 0;
  for (const py::object& value : values) {
    PyTuple_SET_ITEM(record, i++, value.inc_ref().ptr());
  }
  return py::reinterpret_steal<py::object>(record);
}

py::object Str(absl::string_view text) {
  PyObject* str = PyUnicode_DecodeUTF8(
      text.data(), static_cast<Py_ssize_t>(text.size()), "surrogateescape");
  if (str == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(str);
}

py::object Int(uint64_t value) {
  return py::reinterpret_steal<py::object>(PyLong_FromUnsignedLongLong(value));
}

py::object Bool(bool value) { return py::bool_(value); }

py::object Ids(const std::vector<std::string>& ids) {
  py::tuple out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) out[i] = Str(ids[i]);
  return std::move(out);
}

py::object Numbers(const std::vector<uint64_t>& numbers) {
  py::tuple out(numbers.size());
  for (size_t i = 0; i < numbers.size(); ++i) out[i] = Int(numbers[i]);
  return std::move(out);
}

// The names of the small enums as Python strings, made once per value and
// shared (a vector indexed by the value: they are small and dense).
py::object Cached(std::vector<py::object>& cache, int key,
                  absl::string_view name) {
  if (key < 0) return Str(name);
  if (static_cast<size_t>(key) >= cache.size()) cache.resize(key + 1);
  py::object& value = cache[key];
  if (!value) value = name.empty() ? py::none() : Str(name);
  return value;
}

py::object RoleStr(Role role) {
  static auto* cache = new std::vector<py::object>();
  return Cached(*cache, static_cast<int>(role), RoleName(role));
}

py::object PlaceStr(v1::QuarantinePlace place) {
  static auto* cache = new std::vector<py::object>();
  return Cached(*cache, static_cast<int>(place), QuarantinePlaceName(place));
}

py::object KindStr(LoopKind kind) {
  static auto* cache = new std::vector<py::object>();
  return Cached(*cache, static_cast<int>(kind), LoopKindName(kind));
}

// datetime.timezone for a UTC offset in seconds, made once per offset.
PyObject* TimeZoneFor(int offset_seconds) {
  static auto* cache = new std::map<int, PyObject*>();
  auto it = cache->find(offset_seconds);
  if (it != cache->end()) return it->second;
  PyObject* zone;
  if (offset_seconds == 0) {
    zone = PyDateTime_TimeZone_UTC;
    Py_INCREF(zone);
  } else {
    PyObject* delta = PyDelta_FromDSU(0, offset_seconds, 0);
    if (delta == nullptr) throw py::error_already_set();
    zone = PyTimeZone_FromOffset(delta);
    Py_DECREF(delta);
    if (zone == nullptr) throw py::error_already_set();
  }
  cache->emplace(offset_seconds, zone);  // kept for the process
  return zone;
}

py::object Duration(absl::Duration duration) {
  const int64_t micros = absl::ToInt64Microseconds(duration);
  const int64_t days = micros / (int64_t{86400} * 1000000);
  const int64_t rest = micros - days * int64_t{86400} * 1000000;
  PyObject* delta =
      PyDelta_FromDSU(static_cast<int>(days), static_cast<int>(rest / 1000000),
                      static_cast<int>(rest % 1000000));
  if (delta == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(delta);
}

py::object OptionalDate(const std::optional<absl::CivilDay>& day) {
  return day.has_value() ? ToDate(*day) : py::none();
}

// Holds Python's cyclic garbage collector off while one answer's rows are
// made: they are tuples of immutable values that cannot form cycles, and a
// roster of hundreds of rows would otherwise set off several collections of
// the young generation on the way (each allocation of a container counts
// towards the next).
class NoCollection {
 public:
  NoCollection() : was_enabled_(PyGC_Disable()) {}
  ~NoCollection() {
    if (was_enabled_) PyGC_Enable();
  }
  NoCollection(const NoCollection&) = delete;
  NoCollection& operator=(const NoCollection&) = delete;

 private:
  const int was_enabled_;
};

// The values of one answer's rows. Instants, days and source ids repeat
// across the rows of an answer (the cases, their diagnosis times, the
// "until" days), and Python's datetimes, dates and strings are immutable, so
// each distinct one is made once per answer and shared by its rows: most of
// the cost of a roster's rows is otherwise in making datetimes.
class Values {
 public:
  explicit Values(const absl::TimeZone& zone) : zone_(zone) {}

  py::object Time(absl::Time time) {
    if (time == absl::InfiniteFuture() || time == absl::InfinitePast()) {
      return py::none();
    }
    py::object& value = times_[absl::ToUnixMicros(time)];
    if (!value) value = ToDateTime(time, zone_);
    return value;
  }

  py::object Day(const std::optional<absl::CivilDay>& day) {
    if (!day.has_value()) return py::none();
    py::object& value = days_[*day];
    if (!value) value = ToDate(*day);
    return value;
  }

  // An id that may be empty (None).
  py::object Id(const std::string& id) {
    if (id.empty()) return py::none();
    py::object& value = ids_[id];
    if (!value) value = Str(id);
    return value;
  }

 private:
  const absl::TimeZone& zone_;
  absl::flat_hash_map<int64_t, py::object> times_;
  absl::flat_hash_map<absl::CivilDay, py::object> days_;
  absl::flat_hash_map<std::string, py::object> ids_;
};

py::object EdgeRecord(const TransmissionChain::Edge& edge) {
  return Record(chain_edge_type, {Str(edge.from), Str(edge.to), Str(edge.rule),
                                  Numbers(edge.exposures)});
}

}  // namespace

void AddRecordTypes(py::module_& module) {
  PyDateTime_IMPORT;
  if (PyDateTimeAPI == nullptr) throw py::error_already_set();
  roster_entry_type =
      NewRecordType(module, "RosterEntry",
                    "One person in the roster (docs/rules.md section 7).",
                    {"person_id", "role", "source", "last_exposure", "until",
                     "continuous", "place", "required_since"});
  open_loop_type = NewRecordType(module, "OpenLoop",
                                 "One open loop (docs/rules.md section 8).",
                                 {"person_id", "kind", "since", "detail"});
  std::vector<std::string> rollup_fields = {"area_id",
                                            "name",
                                            "persons",
                                            "households",
                                            "active_cases",
                                            "close_contacts",
                                            "secondary_contacts",
                                            "in_hospital",
                                            "in_centralized",
                                            "at_home"};
  for (int kind = 0; kind < 8; ++kind) {
    rollup_fields.emplace_back(LoopKindName(static_cast<LoopKind>(kind)));
  }
  rollup_fields.emplace_back("checks_last_24h");
  rollup_row_type = NewRecordType(
      module, "AreaRollupRow",
      "One child area in a roll-up; the open loops by kind, one field each.",
      rollup_fields);
  contact_type =
      NewRecordType(module, "ContactAtDistance",
                    "A person within `hops` exposures.", {"person_id", "hops"});
  chain_edge_type = NewRecordType(
      module, "ChainEdge",
      "A link of a transmission chain: source infected target by rule.",
      {"source", "target", "rule", "exposures"});
  chain_type = NewRecordType(module, "TransmissionChain",
                             "Index cases linked by qualifying exposures.",
                             {"chain", "cases", "edges"});
  source_type = NewRecordType(module, "ExplanationSource",
                              "Why a person is a contact: one source.",
                              {"person_id", "rule", "exposures", "first",
                               "last_exposure", "overlap", "continuous"});
  phase_type = NewRecordType(module, "QuarantinePhase",
                             "A quarantine phase with its first and last day.",
                             {"place", "first_day", "last_day"});
  explanation_type = NewRecordType(module, "Explanation",
                                   "Why a person is, or is not, in the roster.",
                                   {"person_id", "in_roster", "role", "sources",
                                    "until", "phases", "notes"});
  pass_type = NewRecordType(
      module, "PassDecision", "Whether a person may pass a checkpoint.",
      {"person_id", "checkpoint_id", "allowed", "verdict", "reason"});
}

py::object ToDateTime(absl::Time time, const absl::TimeZone& zone) {
  if (time == absl::InfiniteFuture() || time == absl::InfinitePast()) {
    return py::none();
  }
  const absl::TimeZone::CivilInfo info = zone.At(time);
  const int micros =
      static_cast<int>(absl::ToInt64Microseconds(info.subsecond));
  PyObject* datetime = PyDateTimeAPI->DateTime_FromDateAndTime(
      static_cast<int>(info.cs.year()), info.cs.month(), info.cs.day(),
      info.cs.hour(), info.cs.minute(), info.cs.second(), micros,
      TimeZoneFor(info.offset), PyDateTimeAPI->DateTimeType);
  if (datetime == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(datetime);
}

py::object ToDate(absl::CivilDay day) {
  PyObject* date =
      PyDate_FromDate(static_cast<int>(day.year()), day.month(), day.day());
  if (date == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(date);
}

py::list ToRoster(const std::vector<RosterEntry>& roster,
                  const absl::TimeZone& zone) {
  NoCollection no_collection;
  Values values(zone);
  py::list out(roster.size());
  for (size_t i = 0; i < roster.size(); ++i) {
    const RosterEntry& e = roster[i];
    // A case has only its id, role, place and required_since (report.h).
    const bool is_case = e.role == Role::kCase;
    out[i] = Record(roster_entry_type,
                    {Str(e.person_id), RoleStr(e.role), values.Id(e.source),
                     values.Time(e.last_exposure), values.Day(e.until),
                     is_case ? py::none() : Bool(e.continuous),
                     PlaceStr(e.place), values.Time(e.required_since)});
  }
  return out;
}

py::list ToOpenLoops(const std::vector<OpenLoop>& loops,
                     const absl::TimeZone& zone) {
  NoCollection no_collection;
  Values values(zone);
  py::list out(loops.size());
  for (size_t i = 0; i < loops.size(); ++i) {
    const OpenLoop& loop = loops[i];
    out[i] =
        Record(open_loop_type, {Str(loop.person_id), KindStr(loop.kind),
                                values.Time(loop.since), Str(loop.detail)});
  }
  return out;
}

py::list ToRollup(const std::vector<AreaRollupRow>& rows) {
  py::list out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const AreaRollupRow& r = rows[i];
    auto loop = [&](int kind) {
      return Int(static_cast<size_t>(kind) < r.loops.size() ? r.loops[kind]
                                                            : 0);
    };
    out[i] = Record(
        rollup_row_type,
        {Str(r.area_id), Str(r.name), Int(r.persons), Int(r.households),
         Int(r.active_cases), Int(r.close_contacts), Int(r.secondary_contacts),
         Int(r.in_hospital), Int(r.in_centralized), Int(r.at_home), loop(0),
         loop(1), loop(2), loop(3), loop(4), loop(5), loop(6), loop(7),
         Int(r.checks_last_24h)});
  }
  return out;
}

py::list ToContacts(const std::vector<ContactAtDistance>& contacts) {
  py::list out(contacts.size());
  for (size_t i = 0; i < contacts.size(); ++i) {
    out[i] =
        Record(contact_type, {Str(contacts[i].person_id),
                              Int(static_cast<uint64_t>(contacts[i].hops))});
  }
  return out;
}

py::list ToChains(const std::vector<TransmissionChain>& chains) {
  py::list out(chains.size());
  for (size_t i = 0; i < chains.size(); ++i) {
    py::tuple edges(chains[i].edges.size());
    for (size_t j = 0; j < chains[i].edges.size(); ++j) {
      edges[j] = EdgeRecord(chains[i].edges[j]);
    }
    out[i] = Record(chain_type,
                    {Int(i + 1), Ids(chains[i].cases), std::move(edges)});
  }
  return out;
}

py::object ToExplanation(const Explanation& explanation,
                         const absl::TimeZone& zone) {
  py::tuple sources(explanation.sources.size());
  for (size_t i = 0; i < explanation.sources.size(); ++i) {
    const Explanation::Source& s = explanation.sources[i];
    sources[i] =
        Record(source_type,
               {Str(s.person_id), Str(s.rule), Numbers(s.exposures),
                ToDateTime(s.first, zone), ToDateTime(s.last_exposure, zone),
                Duration(s.overlap), Bool(s.continuous)});
  }
  py::tuple phases(explanation.phases.size());
  for (size_t i = 0; i < explanation.phases.size(); ++i) {
    const Explanation::Phase& p = explanation.phases[i];
    phases[i] = Record(phase_type, {PlaceStr(p.place), ToDate(p.first_day),
                                    ToDate(p.last_day)});
  }
  return Record(
      explanation_type,
      {Str(explanation.person_id), Bool(explanation.in_roster),
       explanation.role.has_value() ? RoleStr(*explanation.role) : py::none(),
       std::move(sources), OptionalDate(explanation.until), std::move(phases),
       Ids(explanation.notes)});
}

py::object ToPassDecision(const std::string& person_id,
                          const std::string& checkpoint_id,
                          const PassDecision& decision) {
  return Record(pass_type,
                {Str(person_id), Str(checkpoint_id), Bool(decision.allowed),
                 Str(PassVerdictName(decision.verdict)), Str(decision.reason)});
}

}  // namespace python
}  // namespace contactledger
