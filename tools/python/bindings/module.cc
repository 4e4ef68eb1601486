// Copyright 2026 The ContactLedger Authors.
//
// tools/python/bindings/module.cc: `contactledger._contactledger`, the
// pybind11 module under the Python package `contactledger`
// (tools/python/contactledger). It binds the public API only
// (include/contactledger): a Ledger (in memory, or a directory opened
// read-write or read-only), its appends, its reads, and the questions of a
// Tracer, Contacts and the synthetic county. The package's Python code
// turns Python values into what this module takes and documents the API;
// this module is not meant to be used directly.
//
// Conventions, so that the Python side can stay thin:
//   - Events and policies cross as serialized protobuf bytes (the Python
//     protobuf classes and these C++ ones are separate): C++ parses them.
//   - Instants cross as int64 microseconds since the Unix epoch (the
//     package checks that datetimes carry a zone); answers come back as the
//     records of records.h.
//   - A failed absl::Status becomes a Python exception built by
//     contactledger._errors.from_status(code_name, message), which carries
//     the code ("INVALID_ARGUMENT") and the library's message.
//   - The GIL is released around every call into the library, so other
//     Python threads run while the library works. A Handle may be used from
//     several threads; Close waits for the calls in flight.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/options.h"
#include "contactledger/synthetic.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "contactledger/v1/policy.pb.h"
#include "pybind11/pybind11.h"
#include "pybind11/stl.h"
#include "tools/python/bindings/records.h"

namespace py = pybind11;

namespace contactledger {
namespace python {
namespace {

// A failed status on its way to Python (see the translator in the module).
class StatusError : public std::exception {
 public:
  explicit StatusError(absl::Status status) : status_(std::move(status)) {}
  const char* what() const noexcept override {
    return "contactledger status error";
  }
  const absl::Status& status() const { return status_; }

 private:
  absl::Status status_;
};

template <typename T>
T Take(absl::StatusOr<T> value) {
  if (!value.ok()) throw StatusError(value.status());
  return *std::move(value);
}

// How the package names a policy: the default (china-2020), a preset's name,
// a serialized contactledger.v1.Policy, or a policy in protobuf text format
// or JSON (ParsePolicy; it may start from a preset with `base:`).
enum PolicyKind : int {
  kDefaultPolicy = 0,
  kPresetPolicy = 1,
  kSerializedPolicy = 2,
  kTextPolicy = 3,
};

absl::StatusOr<std::optional<v1::Policy>> ResolvePolicy(
    int kind, const std::string& value) {
  switch (kind) {
    case kDefaultPolicy:
      return std::optional<v1::Policy>();
    case kPresetPolicy: {
      absl::StatusOr<v1::Policy> preset = PolicyPreset(value);
      if (!preset.ok()) return preset.status();
      return std::optional<v1::Policy>(*std::move(preset));
    }
    case kSerializedPolicy: {
      v1::Policy policy;
      if (!policy.ParseFromString(value)) {
        return absl::InvalidArgumentError(
            "policy: not a serialized contactledger.v1.Policy");
      }
      return std::optional<v1::Policy>(std::move(policy));
    }
    case kTextPolicy: {
      absl::StatusOr<v1::Policy> parsed = ParsePolicy(value);
      if (!parsed.ok()) return parsed.status();
      return std::optional<v1::Policy>(*std::move(parsed));
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("policy: unknown kind ", kind));
}

absl::Time FromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }

// ReadOptions from the package's known_at (microseconds, or None: everything
// recorded) and sequence_limit (None: no limit).
ReadOptions Read(std::optional<int64_t> known_at_us,
                 std::optional<uint64_t> sequence_limit) {
  ReadOptions read;
  if (known_at_us.has_value()) read.known_at = FromMicros(*known_at_us);
  if (sequence_limit.has_value()) read.sequence_limit = *sequence_limit;
  return read;
}

// The arguments every Tracer question takes, converted while the GIL is
// held (pybind11 converts arguments before the call).
struct QueryArgs {
  int64_t at_us = 0;
  std::optional<int64_t> known_at_us;
  std::optional<uint64_t> sequence_limit;
  int policy_kind = kDefaultPolicy;
  std::string policy_value;
};

absl::StatusOr<std::unique_ptr<Tracer>> NewTracer(const Ledger& ledger,
                                                  const QueryArgs& args) {
  QueryOptions options;
  options.at = FromMicros(args.at_us);
  options.read = Read(args.known_at_us, args.sequence_limit);
  absl::StatusOr<std::optional<v1::Policy>> policy =
      ResolvePolicy(args.policy_kind, args.policy_value);
  if (!policy.ok()) return policy.status();
  options.policy = *std::move(policy);
  return Tracer::Create(ledger, options);
}

absl::StatusOr<absl::TimeZone> ZoneFrom(std::optional<std::string> name,
                                        std::optional<int> offset_seconds) {
  if (offset_seconds.has_value()) return absl::FixedTimeZone(*offset_seconds);
  if (!name.has_value()) return absl::UTCTimeZone();
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(*name, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("time_zone: unknown time zone '", *name, "'"));
  }
  return zone;
}

absl::StatusOr<IdentityRules> RulesFrom(const std::string& name) {
  if (name == "china") return IdentityRules::kChina;
  if (name == "none") return IdentityRules::kNone;
  return absl::InvalidArgumentError(absl::StrCat(
      "identity_rules: '", name, "' is neither 'china' nor 'none'"));
}

v1::LedgerEvent ParseEvent(const std::string& bytes, size_t index,
                           size_t count) {
  v1::LedgerEvent event;
  if (!event.ParseFromString(bytes)) {
    throw StatusError(absl::InvalidArgumentError(
        absl::StrCat("event ", index + 1, " of ", count,
                     ": not a serialized contactledger.v1.LedgerEvent")));
  }
  return event;
}

// An open ledger, shared by the Python threads that use it.
//
// Close() must not wait behind a stream of calls: libstdc++'s shared_mutex
// may let new readers in ahead of a waiting writer. So Close() first sets
// closing_, and a call that takes the shared lock after that refuses
// (FailedPrecondition) and lets go at once; Close() then waits only for the
// calls already inside. closed() reads closing_ and takes no lock, so it
// never blocks while holding the GIL.
class Handle {
 public:
  Handle(std::unique_ptr<Ledger> ledger, bool read_only)
      : ledger_(std::move(ledger)),
        zone_(ledger_->time_zone()),
        read_only_(read_only) {}

  // Runs `fn(ledger)` with the GIL released and the ledger kept open until
  // it returns. FailedPrecondition once the ledger is closed.
  template <typename Fn>
  auto Run(Fn fn) {
    py::gil_scoped_release release;
    std::shared_lock<std::shared_mutex> lock(mu_);
    if (closing_.load(std::memory_order_acquire) || ledger_ == nullptr) {
      throw StatusError(absl::FailedPreconditionError(
          "the ledger is closed (used after close() or its 'with' block)"));
    }
    return fn(*ledger_);
  }

  // Closes the ledger once the calls in flight have returned: a durable
  // ledger releases its directory. Calls that start after Close() began
  // raise FailedPrecondition. Closing twice does nothing. The GIL is
  // released while Close() waits and while the ledger is destroyed.
  void Close() {
    py::gil_scoped_release release;
    closing_.store(true, std::memory_order_release);
    std::unique_ptr<Ledger> closing;
    {
      std::unique_lock<std::shared_mutex> lock(mu_);
      closing = std::move(ledger_);
    }
    closing.reset();
  }

  bool closed() const { return closing_.load(std::memory_order_acquire); }

  const absl::TimeZone& zone() const { return zone_; }
  bool read_only() const { return read_only_; }

 private:
  std::shared_mutex mu_;
  std::atomic<bool> closing_{false};
  std::unique_ptr<Ledger> ledger_;
  const absl::TimeZone zone_;
  const bool read_only_;
};

std::unique_ptr<Handle> NewLedger(std::optional<std::string> zone_name,
                                  std::optional<int> offset_seconds,
                                  const std::string& identity_rules) {
  LedgerOptions options;
  options.time_zone = Take(ZoneFrom(zone_name, offset_seconds));
  options.identity_rules = Take(RulesFrom(identity_rules));
  return std::make_unique<Handle>(Ledger::New(options), false);
}

std::unique_ptr<Handle> OpenLedger(const std::string& directory, bool read_only,
                                   bool create_if_missing,
                                   std::optional<std::string> zone_name,
                                   std::optional<int> offset_seconds,
                                   std::optional<std::string> identity_rules) {
  LedgerOptions options;
  if (zone_name.has_value() || offset_seconds.has_value()) {
    options.time_zone = Take(ZoneFrom(zone_name, offset_seconds));
  }
  if (identity_rules.has_value()) {
    options.identity_rules = Take(RulesFrom(*identity_rules));
  }
  options.create_if_missing = create_if_missing;
  absl::StatusOr<std::unique_ptr<Ledger>> ledger;
  {
    py::gil_scoped_release release;
    ledger = read_only ? Ledger::OpenReadOnly(options, directory)
                       : Ledger::Open(options, directory);
  }
  return std::make_unique<Handle>(Take(std::move(ledger)), read_only);
}

uint64_t Append(Handle& handle, const py::bytes& event, bool sync) {
  const v1::LedgerEvent parsed = ParseEvent(std::string(event), 0, 1);
  WriteOptions write;
  write.sync = sync;
  return Take(
      handle.Run([&](Ledger& ledger) { return ledger.Append(parsed, write); }));
}

std::vector<uint64_t> AppendBatch(Handle& handle, const py::list& events,
                                  bool sync) {
  std::vector<v1::LedgerEvent> parsed;
  parsed.reserve(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    parsed.push_back(
        ParseEvent(events[i].cast<std::string>(), i, events.size()));
  }
  WriteOptions write;
  write.sync = sync;
  return Take(handle.Run(
      [&](Ledger& ledger) { return ledger.AppendBatch(parsed, write); }));
}

QueryArgs Args(int64_t at_us, std::optional<int64_t> known_at_us,
               std::optional<uint64_t> sequence_limit, int policy_kind,
               std::string policy_value) {
  return QueryArgs{at_us, known_at_us, sequence_limit, policy_kind,
                   std::move(policy_value)};
}

// The keyword arguments of every Tracer question, after its own.
#define CONTACTLEDGER_QUERY_ARGS                                               \
  py::arg("at_us"), py::arg("known_at_us") = py::none(),                       \
                    py::arg("sequence_limit") = py::none(),                    \
                    py::arg("policy_kind") = static_cast<int>(kDefaultPolicy), \
                    py::arg("policy_value") = ""

py::list Roster(Handle& handle, int64_t at_us,
                std::optional<int64_t> known_at_us,
                std::optional<uint64_t> sequence_limit, int policy_kind,
                std::string policy_value) {
  const QueryArgs args = Args(at_us, known_at_us, sequence_limit, policy_kind,
                              std::move(policy_value));
  std::vector<RosterEntry> roster = Take(handle.Run(
      [&](const Ledger& ledger) -> absl::StatusOr<std::vector<RosterEntry>> {
        absl::StatusOr<std::unique_ptr<Tracer>> tracer =
            NewTracer(ledger, args);
        if (!tracer.ok()) return tracer.status();
        return (*tracer)->Roster();
      }));
  return ToRoster(roster, handle.zone());
}

// Roster, timed in two parts with a steady clock: (rows, nanoseconds of the
// library's work (Tracer::Create and Roster), nanoseconds converting the
// rows into records). For bench/python_roster_bench.py only.
py::tuple RosterTimed(Handle& handle, int64_t at_us,
                      std::optional<int64_t> known_at_us,
                      std::optional<uint64_t> sequence_limit, int policy_kind,
                      std::string policy_value) {
  using Clock = std::chrono::steady_clock;
  const QueryArgs args = Args(at_us, known_at_us, sequence_limit, policy_kind,
                              std::move(policy_value));
  int64_t query_ns = 0;
  std::vector<RosterEntry> roster = Take(handle.Run(
      [&](const Ledger& ledger) -> absl::StatusOr<std::vector<RosterEntry>> {
        const Clock::time_point start = Clock::now();
        absl::StatusOr<std::unique_ptr<Tracer>> tracer =
            NewTracer(ledger, args);
        if (!tracer.ok()) return tracer.status();
        std::vector<RosterEntry> entries = (*tracer)->Roster();
        query_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       Clock::now() - start)
                       .count();
        return entries;
      }));
  const Clock::time_point start = Clock::now();
  py::list rows = ToRoster(roster, handle.zone());
  const int64_t convert_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start)
          .count();
  return py::make_tuple(std::move(rows), query_ns, convert_ns);
}

// The roster's size only, converting nothing: the C++ side of
// bench/python_roster_bench.py, which times it against Roster.
uint64_t RosterSize(Handle& handle, int64_t at_us,
                    std::optional<int64_t> known_at_us,
                    std::optional<uint64_t> sequence_limit, int policy_kind,
                    std::string policy_value) {
  const QueryArgs args = Args(at_us, known_at_us, sequence_limit, policy_kind,
                              std::move(policy_value));
  return Take(handle.Run([&](const Ledger& ledger) -> absl::StatusOr<uint64_t> {
    absl::StatusOr<std::unique_ptr<Tracer>> tracer = NewTracer(ledger, args);
    if (!tracer.ok()) return tracer.status();
    return static_cast<uint64_t>((*tracer)->Roster().size());
  }));
}

py::list OpenLoops(Handle& handle, int64_t at_us,
                   std::optional<int64_t> known_at_us,
                   std::optional<uint64_t> sequence_limit, int policy_kind,
                   std::string policy_value) {
  const QueryArgs args = Args(at_us, known_at_us, sequence_limit, policy_kind,
                              std::move(policy_value));
  std::vector<OpenLoop> loops = Take(handle.Run(
      [&](const Ledger& ledger) -> absl::StatusOr<std::vector<OpenLoop>> {
        absl::StatusOr<std::unique_ptr<Tracer>> tracer =
            NewTracer(ledger, args);
        if (!tracer.ok()) return tracer.status();
        return (*tracer)->OpenLoops();
      }));
  return ToOpenLoops(loops, handle.zone());
}

py::object Explain(Handle& handle, const std::string& person_id, int64_t at_us,
                   std::optional<int64_t> known_at_us,
                   std::optional<uint64_t> sequence_limit, int policy_kind,
                   std::string policy_value) {
  const QueryArgs args = Args(at_us, known_at_us, sequence_limit, policy_kind,
                              std::move(policy_value));
  Explanation explanation =
      Take(handle.Run([&](const Ledger& ledger) -> absl::StatusOr<Explanation> {
        absl::StatusOr<std::unique_ptr<Tracer>> tracer =
            NewTracer(ledger, args);
        if (!tracer.ok()) return tracer.status();
        return (*tracer)->Explain(person_id);
      }));
  return ToExplanation(explanation, handle.zone());
}

py::list Rollup(Handle& handle, const std::string& area_id, int64_t at_us,
                std::optional<int64_t> known_at_us,
                std::optional<uint64_t> sequence_limit, int policy_kind,
                std::string policy_value) {
  const QueryArgs args = Args(at_us, known_at_us, sequence_limit, policy_kind,
                              std::move(policy_value));
  std::vector<AreaRollupRow> rows = Take(handle.Run(
      [&](const Ledger& ledger) -> absl::StatusOr<std::vector<AreaRollupRow>> {
        absl::StatusOr<std::unique_ptr<Tracer>> tracer =
            NewTracer(ledger, args);
        if (!tracer.ok()) return tracer.status();
        return (*tracer)->AreaRollup(area_id);
      }));
  return ToRollup(rows);
}

py::object MayPass(Handle& handle, const std::string& person_id,
                   const std::string& checkpoint_id, int64_t at_us,
                   std::optional<int64_t> known_at_us,
                   std::optional<uint64_t> sequence_limit, int policy_kind,
                   std::string policy_value) {
  const QueryArgs args = Args(at_us, known_at_us, sequence_limit, policy_kind,
                              std::move(policy_value));
  PassDecision decision = Take(
      handle.Run([&](const Ledger& ledger) -> absl::StatusOr<PassDecision> {
        absl::StatusOr<std::unique_ptr<Tracer>> tracer =
            NewTracer(ledger, args);
        if (!tracer.ok()) return tracer.status();
        return (*tracer)->MayPass(person_id, checkpoint_id);
      }));
  return ToPassDecision(person_id, checkpoint_id, decision);
}

py::list Chains(Handle& handle, int64_t at_us,
                std::optional<int64_t> known_at_us,
                std::optional<uint64_t> sequence_limit, int policy_kind,
                std::string policy_value) {
  const QueryArgs args = Args(at_us, known_at_us, sequence_limit, policy_kind,
                              std::move(policy_value));
  std::vector<TransmissionChain> chains =
      Take(handle.Run([&](const Ledger& ledger)
                          -> absl::StatusOr<std::vector<TransmissionChain>> {
        absl::StatusOr<std::unique_ptr<Tracer>> tracer =
            NewTracer(ledger, args);
        if (!tracer.ok()) return tracer.status();
        return (*tracer)->TransmissionChains();
      }));
  return ToChains(chains);
}

py::list FindContacts(Handle& handle, const std::string& person_id, int hops,
                      int64_t from_us, int64_t to_us,
                      std::optional<int64_t> known_at_us,
                      std::optional<uint64_t> sequence_limit) {
  const ReadOptions read = Read(known_at_us, sequence_limit);
  std::vector<ContactAtDistance> contacts =
      Take(handle.Run([&](const Ledger& ledger) {
        return Contacts(ledger, person_id, hops, FromMicros(from_us),
                        FromMicros(to_us), read);
      }));
  return ToContacts(contacts);
}

py::bytes GetEvent(Handle& handle, uint64_t sequence_number,
                   std::optional<int64_t> known_at_us,
                   std::optional<uint64_t> sequence_limit) {
  const ReadOptions read = Read(known_at_us, sequence_limit);
  const std::string bytes =
      Take(handle.Run([&](const Ledger& ledger) -> absl::StatusOr<std::string> {
        absl::StatusOr<v1::LedgerEvent> event =
            ledger.GetEvent(sequence_number, read);
        if (!event.ok()) return event.status();
        return event->SerializeAsString();
      }));
  return py::bytes(bytes);
}

py::dict Generate(Handle& handle, int64_t persons, int cases, uint64_t seed,
                  bool activity, int64_t batch_size) {
  SyntheticCountyOptions options;
  options.persons = persons;
  options.cases = cases;
  options.seed = seed;
  options.activity = activity;
  options.batch_size = static_cast<size_t>(batch_size);
  options.time_zone = handle.zone();
  SyntheticCountySummary summary = Take(handle.Run([&](Ledger& ledger) {
    return GenerateSyntheticCounty(options,
                                   [&](std::vector<v1::LedgerEvent>& batch) {
                                     return ledger.AppendBatch(batch).status();
                                   });
  }));
  py::dict out;
  out["areas"] = summary.areas;
  out["households"] = summary.households;
  out["persons"] = summary.persons;
  out["exposures"] = summary.exposures;
  out["diagnoses"] = summary.diagnoses;
  out["quarantine_actions"] = summary.quarantine_actions;
  out["health_checks"] = summary.health_checks;
  out["passages"] = summary.passages;
  out["county_id"] = summary.county_id;
  out["township_ids"] = summary.township_ids;
  out["case_ids"] = summary.case_ids;
  out["placed_contact_ids"] = summary.placed_contact_ids;
  return out;
}

py::dict Stats(Handle& handle) {
  const LedgerStats s =
      handle.Run([](const Ledger& ledger) { return ledger.Stats(); });
  py::dict out;
  out["events"] = s.events;
  out["areas"] = s.areas;
  out["households"] = s.households;
  out["persons"] = s.persons;
  out["person_versions"] = s.person_versions;
  out["exposures"] = s.exposures;
  out["diagnoses"] = s.diagnoses;
  out["quarantine_actions"] = s.quarantine_actions;
  out["health_checks"] = s.health_checks;
  out["checkpoint_passages"] = s.checkpoint_passages;
  out["retractions"] = s.retractions;
  out["memory_bytes"] = s.memory_bytes;
  return out;
}

// Defines the module's functions and types on `m`.
void DefineModule(py::module_& m) {
  m.doc() =
      "The C++ half of the contactledger package (tools/python): use the "
      "package, not this module.";
  AddRecordTypes(m);

  // The kinds of policy argument the questions take (policy_kind).
  m.attr("POLICY_DEFAULT") = static_cast<int>(kDefaultPolicy);
  m.attr("POLICY_PRESET") = static_cast<int>(kPresetPolicy);
  m.attr("POLICY_SERIALIZED") = static_cast<int>(kSerializedPolicy);
  m.attr("POLICY_TEXT") = static_cast<int>(kTextPolicy);

  py::register_exception_translator([](std::exception_ptr pending) {
    if (!pending) return;
    try {
      std::rethrow_exception(pending);
    } catch (const StatusError& error) {
      const absl::Status& status = error.status();
      // If contactledger._errors cannot build the exception (not importable,
      // or from_status raising), a RuntimeError with the status still tells
      // what failed, rather than std::terminate.
      try {
        py::object errors = py::module_::import("contactledger._errors");
        py::object exception =
            errors.attr("from_status")(absl::StatusCodeToString(status.code()),
                                       std::string(status.message()));
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())),
                        exception.ptr());
      } catch (const std::exception& failure) {
        PyErr_Clear();
        PyErr_SetString(PyExc_RuntimeError,
                        absl::StrCat(status.ToString(),
                                     " (contactledger."
                                     "_errors.from_status failed: ",
                                     failure.what(), ")")
                            .c_str());
      }
    }
  });

  m.def("policy_preset_names", [] {
    py::gil_scoped_release release;
    return PolicyPresetNames();
  });
  m.def(
      "policy_preset",
      [](const std::string& name) {
        std::string bytes;
        {
          py::gil_scoped_release release;
          bytes = Take(PolicyPreset(name)).SerializeAsString();
        }
        return py::bytes(bytes);
      },
      py::arg("name"));
  m.def(
      "parse_policy",
      [](const std::string& text) {
        std::string bytes;
        {
          py::gil_scoped_release release;
          bytes = Take(ParsePolicy(text)).SerializeAsString();
        }
        return py::bytes(bytes);
      },
      py::arg("text"));

  py::class_<Handle>(m, "Handle")
      .def_static("new", &NewLedger, py::arg("zone_name") = py::none(),
                  py::arg("offset_seconds") = py::none(),
                  py::arg("identity_rules") = "china")
      .def_static("open", &OpenLedger, py::arg("directory"),
                  py::arg("read_only") = false,
                  py::arg("create_if_missing") = true,
                  py::arg("zone_name") = py::none(),
                  py::arg("offset_seconds") = py::none(),
                  py::arg("identity_rules") = py::none())
      .def("close", &Handle::Close)
      .def_property_readonly("closed", &Handle::closed)
      .def_property_readonly("read_only", &Handle::read_only)
      .def_property_readonly("zone_name",
                             [](Handle& h) { return h.zone().name(); })
      .def(
          "local_datetime",
          [](Handle& h, int year, int month, int day, int hour, int minute,
             int second) {
            return ToDateTime(
                absl::FromCivil(
                    absl::CivilSecond(year, month, day, hour, minute, second),
                    h.zone()),
                h.zone());
          },
          py::arg("year"), py::arg("month"), py::arg("day"),
          py::arg("hour") = 0, py::arg("minute") = 0, py::arg("second") = 0)
      .def("last_sequence_number",
           [](Handle& h) {
             return h.Run(
                 [](const Ledger& l) { return l.last_sequence_number(); });
           })
      .def("ledger_id",
           [](Handle& h) {
             return h.Run([](const Ledger& l) { return l.ledger_id(); });
           })
      .def("append", &Append, py::arg("event"), py::arg("sync") = false)
      .def("append_batch", &AppendBatch, py::arg("events"),
           py::arg("sync") = false)
      .def("catch_up",
           [](Handle& h) {
             return Take(h.Run([](Ledger& l) { return l.CatchUp(); }));
           })
      .def("write_snapshot",
           [](Handle& h) {
             return Take(h.Run([](Ledger& l) { return l.WriteSnapshot(); }));
           })
      .def("stats", &Stats)
      .def("get_event", &GetEvent, py::arg("sequence_number"),
           py::arg("known_at_us") = py::none(),
           py::arg("sequence_limit") = py::none())
      .def(
          "unregistered_persons",
          [](Handle& h, std::optional<int64_t> known_at_us,
             std::optional<uint64_t> sequence_limit) {
            const ReadOptions read = Read(known_at_us, sequence_limit);
            return h.Run(
                [&](const Ledger& l) { return l.UnregisteredPersons(read); });
          },
          py::arg("known_at_us") = py::none(),
          py::arg("sequence_limit") = py::none())
      .def(
          "child_areas",
          [](Handle& h, const std::string& area_id,
             std::optional<int64_t> known_at_us,
             std::optional<uint64_t> sequence_limit) {
            const ReadOptions read = Read(known_at_us, sequence_limit);
            return Take(h.Run(
                [&](const Ledger& l) { return l.ChildAreas(area_id, read); }));
          },
          py::arg("area_id"), py::arg("known_at_us") = py::none(),
          py::arg("sequence_limit") = py::none())
      .def(
          "get_area",
          [](Handle& h, const std::string& area_id,
             std::optional<int64_t> known_at_us,
             std::optional<uint64_t> sequence_limit) {
            const ReadOptions read = Read(known_at_us, sequence_limit);
            const std::string bytes =
                Take(h.Run([&](const Ledger& l) -> absl::StatusOr<std::string> {
                  absl::StatusOr<v1::Area> area = l.GetArea(area_id, read);
                  if (!area.ok()) return area.status();
                  return area->SerializeAsString();
                }));
            return py::bytes(bytes);
          },
          py::arg("area_id"), py::arg("known_at_us") = py::none(),
          py::arg("sequence_limit") = py::none())
      .def("roster", &Roster, CONTACTLEDGER_QUERY_ARGS)
      // For bench/python_roster_bench.py only.
      .def("_roster_size", &RosterSize, CONTACTLEDGER_QUERY_ARGS)
      .def("_roster_timed", &RosterTimed, CONTACTLEDGER_QUERY_ARGS)
      .def("open_loops", &OpenLoops, CONTACTLEDGER_QUERY_ARGS)
      .def("explain", &Explain, py::arg("person_id"), CONTACTLEDGER_QUERY_ARGS)
      .def("rollup", &Rollup, py::arg("area_id"), CONTACTLEDGER_QUERY_ARGS)
      .def("may_pass", &MayPass, py::arg("person_id"), py::arg("checkpoint_id"),
           CONTACTLEDGER_QUERY_ARGS)
      .def("chains", &Chains, CONTACTLEDGER_QUERY_ARGS)
      .def("contacts", &FindContacts, py::arg("person_id"), py::arg("hops"),
           py::arg("from_us"), py::arg("to_us"),
           py::arg("known_at_us") = py::none(),
           py::arg("sequence_limit") = py::none())
      .def("generate_synthetic_county", &Generate, py::arg("persons"),
           py::arg("cases") = 5, py::arg("seed") = 2020,
           py::arg("activity") = true, py::arg("batch_size") = 1000);
}

#undef CONTACTLEDGER_QUERY_ARGS

}  // namespace
}  // namespace python
}  // namespace contactledger

PYBIND11_MODULE(_contactledger, m) { contactledger::python::DefineModule(m); }
