// Copyright 2026 The ContactLedger Authors.
//
// tests/tracing_test_util.h: the small hand-built world and helpers shared by
// the tracing rule tests (tracing_cases_test.cc, tracing_contacts_test.cc,
// tracing_roster_test.cc, tracing_loops_test.cc).
//
// Every expectation in those tests is worked out by hand from
// docs/rules.md, the project's choices included. The per-preset values below
// are copied from the table of docs/rules.md section 9, never read from the
// library, so that a preset that drifts from the rules fails the tests.

#ifndef CONTACTLEDGER_TESTS_TRACING_TEST_UTIL_H_
#define CONTACTLEDGER_TESTS_TRACING_TEST_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "contactledger/v1/policy.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/duration.pb.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {

// Readable test output for the Tracer's answers.
inline void PrintTo(Role role, std::ostream* os) {
  switch (role) {
    case Role::kCase:
      *os << "case";
      return;
    case Role::kCloseContact:
      *os << "close_contact";
      return;
    case Role::kSecondaryContact:
      *os << "secondary_contact";
      return;
  }
  *os << "role(" << static_cast<int>(role) << ")";
}

inline void PrintTo(LoopKind kind, std::ostream* os) {
  static const char* const kNames[] = {
      "unplaced",          "unisolated_case",     "early_release",
      "missed_check",      "fever_not_escalated", "no_owner",
      "checkpoint_breach", "unregistered"};
  const int index = static_cast<int>(kind);
  if (index >= 0 && index < 8) {
    *os << kNames[index];
  } else {
    *os << "kind(" << index << ")";
  }
}

inline void PrintTo(const RosterEntry& entry, std::ostream* os) {
  *os << "{" << entry.person_id << " ";
  PrintTo(entry.role, os);
  *os << " source=" << entry.source << " last=" << entry.last_exposure
      << " until=";
  if (entry.until.has_value()) {
    *os << *entry.until;
  } else {
    *os << "none";
  }
  *os << " continuous=" << entry.continuous
      << " place=" << v1::QuarantinePlace_Name(entry.place)
      << " required_since=" << entry.required_since << "}";
}

inline void PrintTo(const OpenLoop& loop, std::ostream* os) {
  *os << "{" << loop.person_id << " ";
  PrintTo(loop.kind, os);
  *os << " since=" << loop.since << " detail=\"" << loop.detail << "\"}";
}

inline void PrintTo(const ContactAtDistance& contact, std::ostream* os) {
  *os << "{" << contact.person_id << ", " << contact.hops << "}";
}

inline void PrintTo(const Explanation::Source& source, std::ostream* os) {
  *os << "{" << source.person_id << " " << source.rule << " exposures=[";
  for (size_t i = 0; i < source.exposures.size(); ++i) {
    *os << (i ? "," : "") << source.exposures[i];
  }
  *os << "] first=" << source.first << " last=" << source.last_exposure
      << " overlap=" << source.overlap << " continuous=" << source.continuous
      << "}";
}

inline void PrintTo(const Explanation::Phase& phase, std::ostream* os) {
  *os << "{" << v1::QuarantinePlace_Name(phase.place) << " " << phase.first_day
      << ".." << phase.last_day << "}";
}

inline void PrintTo(const TransmissionChain::Edge& edge, std::ostream* os) {
  *os << "{" << edge.from << "->" << edge.to << " " << edge.rule << " [";
  for (size_t i = 0; i < edge.exposures.size(); ++i) {
    *os << (i ? "," : "") << edge.exposures[i];
  }
  *os << "]}";
}

namespace testutil {

// ---------------------------------------------------------------------------
// docs/rules.md section 9, by hand.

using Phases = std::vector<std::pair<v1::QuarantinePlace, int>>;

struct PresetTable {
  std::string name;
  absl::Duration lookback;
  Phases close_phases;
  Phases secondary_phases;  // empty: secondary contacts are not traced
  bool household_rule;
  absl::Duration min_exposure;
  bool trace_suspected;
  absl::Duration check_interval;
  double fever_threshold;
  absl::Duration placement_deadline;
  absl::Duration escalation_deadline;
};

inline void PrintTo(const PresetTable& table, std::ostream* os) {
  *os << table.name;
}

inline const std::vector<PresetTable>& PresetTables() {
  constexpr v1::QuarantinePlace kCentralized = v1::QUARANTINE_PLACE_CENTRALIZED;
  constexpr v1::QuarantinePlace kHome = v1::QUARANTINE_PLACE_HOME;
  static const std::vector<PresetTable>* const tables =
      new std::vector<PresetTable>{
          {"china-2020",
           absl::Hours(48),
           {{kCentralized, 14}},
           {},
           true,
           absl::ZeroDuration(),
           false,
           absl::Hours(12),
           37.3,
           absl::Hours(24),
           absl::Hours(2)},
          {"china-2022",
           absl::Hours(48),
           {{kCentralized, 7}, {kHome, 3}},
           {{kHome, 7}},
           true,
           absl::ZeroDuration(),
           false,
           absl::Hours(12),
           37.3,
           absl::Hours(24),
           absl::Hours(2)},
          {"who-2020",
           absl::Hours(48),
           {{kHome, 14}},
           {},
           true,
           absl::Minutes(15),
           false,
           absl::Hours(24),
           38.0,
           absl::Hours(24),
           absl::Hours(24)},
          {"cdc-2020",
           absl::Hours(48),
           {{kHome, 14}},
           {},
           true,
           absl::Minutes(15),
           false,
           absl::Hours(24),
           38.0,
           absl::Hours(24),
           absl::Hours(24)},
      };
  return *tables;
}

inline const PresetTable& PresetTableNamed(absl::string_view name) {
  for (const PresetTable& table : PresetTables()) {
    if (table.name == name) return table;
  }
  ADD_FAILURE() << "no preset table " << name;
  return PresetTables().front();
}

// "china-2020" -> "china_2020" for gtest parameter names.
inline std::string PresetParamName(
    const ::testing::TestParamInfo<PresetTable>& info) {
  std::string name = info.param.name;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

inline int TotalDays(const Phases& phases) {
  int total = 0;
  for (const auto& phase : phases) total += phase.second;
  return total;
}

// The place for day d = civil_day(at) - civil_day(last_exposure) (docs/rules.md
// section 7): d <= 0 is the first phase, days 1.. are counted through the
// phases, and past the last phase there is none (UNSPECIFIED).
inline v1::QuarantinePlace PlaceOnDay(const Phases& phases, int d) {
  if (phases.empty()) return v1::QUARANTINE_PLACE_UNSPECIFIED;
  if (d <= 0) return phases.front().first;
  int last_day = 0;
  for (const auto& phase : phases) {
    last_day += phase.second;
    if (d <= last_day) return phase.first;
  }
  return v1::QUARANTINE_PLACE_UNSPECIFIED;
}

inline absl::Duration FromProtoDuration(
    const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) +
         absl::Nanoseconds(duration.nanos());
}

inline google::protobuf::Duration ToProtoDuration(absl::Duration duration) {
  google::protobuf::Duration proto;
  const int64_t seconds =
      absl::IDivDuration(duration, absl::Seconds(1), &duration);
  proto.set_seconds(seconds);
  proto.set_nanos(static_cast<int32_t>(duration / absl::Nanoseconds(1)));
  return proto;
}

// A preset that must exist.
inline v1::Policy MustPreset(absl::string_view name) {
  absl::StatusOr<v1::Policy> policy = PolicyPreset(name);
  EXPECT_TRUE(policy.ok()) << name << ": " << policy.status();
  return policy.ok() ? *policy : v1::Policy();
}

// ---------------------------------------------------------------------------
// Answers.

inline std::optional<RosterEntry> FindEntry(const Tracer& tracer,
                                            absl::string_view person_id) {
  for (const RosterEntry& entry : tracer.Roster()) {
    if (entry.person_id == person_id) return entry;
  }
  return std::nullopt;
}

inline std::vector<std::string> RosterIds(const Tracer& tracer) {
  std::vector<std::string> ids;
  for (const RosterEntry& entry : tracer.Roster()) {
    ids.push_back(entry.person_id);
  }
  return ids;
}

// The `since` of every open loop of one person and kind, in answer order.
inline std::vector<absl::Time> LoopSinces(const Tracer& tracer,
                                          absl::string_view person_id,
                                          LoopKind kind) {
  std::vector<absl::Time> sinces;
  for (const OpenLoop& loop : tracer.OpenLoops()) {
    if (loop.person_id == person_id && loop.kind == kind) {
      sinces.push_back(loop.since);
    }
  }
  return sinces;
}

// The kinds of every open loop of one person, in answer order.
inline std::vector<LoopKind> LoopKindsOf(const Tracer& tracer,
                                         absl::string_view person_id) {
  std::vector<LoopKind> kinds;
  for (const OpenLoop& loop : tracer.OpenLoops()) {
    if (loop.person_id == person_id) kinds.push_back(loop.kind);
  }
  return kinds;
}

// Asserts the role, source, last exposure, until, continuity, place and
// required_since of a roster entry (only the fields that are given).
struct ExpectedEntry {
  Role role = Role::kCloseContact;
  std::optional<std::string> source;
  std::optional<absl::Time> last_exposure;
  std::optional<absl::CivilDay> until;  // checked when `check_until`
  bool check_until = false;
  std::optional<bool> continuous;
  std::optional<v1::QuarantinePlace> place;
  std::optional<absl::Time> required_since;
};

inline void ExpectEntry(const Tracer& tracer, absl::string_view person_id,
                        const ExpectedEntry& expected) {
  std::optional<RosterEntry> entry = FindEntry(tracer, person_id);
  ASSERT_TRUE(entry.has_value()) << person_id << " is not in the roster";
  SCOPED_TRACE(::testing::PrintToString(*entry));
  EXPECT_EQ(entry->role, expected.role);
  if (expected.source) {
    EXPECT_EQ(entry->source, *expected.source);
  }
  if (expected.last_exposure) {
    EXPECT_EQ(entry->last_exposure, *expected.last_exposure);
  }
  if (expected.check_until) {
    EXPECT_EQ(entry->until, expected.until);
  }
  if (expected.continuous) {
    EXPECT_EQ(entry->continuous, *expected.continuous);
  }
  if (expected.place) {
    EXPECT_EQ(v1::QuarantinePlace_Name(entry->place),
              v1::QuarantinePlace_Name(*expected.place));
  }
  if (expected.required_since) {
    EXPECT_EQ(entry->required_since, *expected.required_since);
  }
}

// A close contact that is not continuous, with the given source, last
// exposure and until day.
inline ExpectedEntry Contact(const std::string& source, absl::Time last,
                             absl::CivilDay until) {
  ExpectedEntry expected;
  expected.role = Role::kCloseContact;
  expected.source = source;
  expected.last_exposure = last;
  expected.until = until;
  expected.check_until = true;
  expected.continuous = false;
  return expected;
}

// A continuous close contact: no until; its last exposure is
// min(we, at) = `at` (docs/rules.md section 5: "for the household rule,
// min(we, at)"; section 7 takes the latest over the sources).
inline ExpectedEntry ContinuousContact(const std::string& source,
                                       absl::Time at) {
  ExpectedEntry expected;
  expected.role = Role::kCloseContact;
  expected.source = source;
  expected.last_exposure = at;
  expected.until = std::nullopt;
  expected.check_until = true;
  expected.continuous = true;
  return expected;
}

inline ExpectedEntry Secondary(ExpectedEntry expected) {
  expected.role = Role::kSecondaryContact;
  return expected;
}

// An active case: hospital, required since its diagnosis time, no until.
inline ExpectedEntry ActiveCase(absl::Time diagnosis_time) {
  ExpectedEntry expected;
  expected.role = Role::kCase;
  expected.until = std::nullopt;
  expected.check_until = true;
  expected.place = v1::QUARANTINE_PLACE_HOSPITAL;
  expected.required_since = diagnosis_time;
  return expected;
}

// ---------------------------------------------------------------------------
// The world.
//
// Record times: the fake clock stands at DefaultStartTime() (2020-01-20
// 08:00 UTC) unless a test moves it with AddAt; the world is recorded then.
//
//   county "c"
//     township "t"
//       village "v1" ("Upper Village"): households h1 (worker w1),
//                                        h2 (worker w2)
//       village "v2" ("Lower Village"): households h3 (no worker),
//                                        h4 (worker w4)
//
// Persons are registered by each test. The standard index case is c1 in h1:
// confirmed 2020-01-27 10:00 UTC with onset 2020-01-25, so
//   ws(c1) = 01-25 00:00 - 2 d = 2020-01-23 00:00 (every preset: 2 days).

class TracingTest : public LedgerTestBase {
 protected:
  explicit TracingTest(absl::TimeZone zone = absl::UTCTimeZone()) {
    LedgerOptions options;
    options.clock = &clock_;
    options.time_zone = zone;
    ledger_ = Ledger::New(options);
    AddBatch({MakeCounty("c"), MakeTownship("t", "c"),
              MakeArea("v1", v1::AREA_LEVEL_VILLAGE, "t", "Upper Village"),
              MakeArea("v2", v1::AREA_LEVEL_VILLAGE, "t", "Lower Village"),
              MakeHousehold("h1", "v1", "w1"), MakeHousehold("h2", "v1", "w2"),
              MakeHousehold("h3", "v2", ""), MakeHousehold("h4", "v2", "w4")});
  }

  // The standard case's times (UTC ledger).
  static absl::Time Diag() { return At(2020, 1, 27, 10); }
  static absl::Time Ws() { return At(2020, 1, 23); }
  static absl::Time Hosp() { return At(2020, 1, 27, 12); }

  uint64_t Register(const std::string& id, const std::string& household = "",
                    const std::string& area = "") {
    return Add(MakePerson(id, household, area));
  }
  uint64_t Expose(const std::string& a, const std::string& b, absl::Time start,
                  absl::Time end) {
    return Add(MakeExposure(a, b, start, end, v1::EXPOSURE_SETTING_OTHER));
  }
  uint64_t Diagnose(
      const std::string& person, absl::Time time,
      v1::DiagnosisStatus status = v1::DIAGNOSIS_STATUS_CONFIRMED) {
    return Add(MakeDiagnosis(person, time, status));
  }
  uint64_t DiagnoseWithOnset(
      const std::string& person, absl::Time time, absl::CivilDay onset,
      v1::DiagnosisStatus status = v1::DIAGNOSIS_STATUS_CONFIRMED) {
    v1::LedgerEvent event = MakeDiagnosis(person, time, status);
    *event.mutable_diagnosis()->mutable_onset() =
        MakeDate(static_cast<int>(onset.year()), onset.month(), onset.day());
    return Add(event);
  }
  // Confirmed 2020-01-27 10:00 with onset 2020-01-25: ws = 2020-01-23 00:00.
  uint64_t StandardCase(const std::string& person) {
    return DiagnoseWithOnset(person, Diag(), absl::CivilDay(2020, 1, 25));
  }
  uint64_t Start(const std::string& person, absl::Time time,
                 v1::QuarantinePlace place) {
    return Add(MakeQuarantineStart(person, time, place));
  }
  uint64_t End(const std::string& person, absl::Time time) {
    return Add(MakeQuarantineEnd(person, time));
  }
  uint64_t Check(const std::string& person, absl::Time time,
                 double temperature = 36.6,
                 const std::vector<std::string>& symptoms = {}) {
    v1::LedgerEvent event = MakeHealthCheck(person, time, temperature);
    for (const std::string& symptom : symptoms) {
      event.mutable_health_check()->add_symptoms(symptom);
    }
    return Add(event);
  }
  uint64_t Pass(const std::string& person, absl::Time time,
                const std::string& checkpoint = "gate-1") {
    return Add(MakePassage(person, checkpoint, time));
  }

  absl::StatusOr<std::unique_ptr<Tracer>> TraceWith(
      absl::Time at, const v1::Policy& policy,
      absl::Time known_at = absl::InfiniteFuture()) const {
    QueryOptions options;
    options.at = at;
    options.read.known_at = known_at;
    options.policy = policy;
    return Tracer::Create(*ledger_, options);
  }
  absl::StatusOr<std::unique_ptr<Tracer>> Trace(
      absl::Time at, absl::string_view preset = "china-2020",
      absl::Time known_at = absl::InfiniteFuture()) const {
    return TraceWith(at, MustPreset(preset), known_at);
  }
};

// A TracingTest run once per preset of docs/rules.md section 9.
class TracingPresetTest : public TracingTest,
                          public ::testing::WithParamInterface<PresetTable> {
 protected:
  const PresetTable& table() const { return GetParam(); }
  absl::StatusOr<std::unique_ptr<Tracer>> TraceP(absl::Time at) const {
    return Trace(at, table().name);
  }
  int CloseDays() const { return TotalDays(table().close_phases); }
  v1::QuarantinePlace FirstClosePlace() const {
    return table().close_phases.front().first;
  }
};

}  // namespace testutil
}  // namespace contactledger

#endif  // CONTACTLEDGER_TESTS_TRACING_TEST_UTIL_H_
