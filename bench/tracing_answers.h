// Copyright 2026 The ContactLedger Authors.
//
// bench/tracing_answers.h: the questions the ledger-versus-SQLite benchmark
// asks both engines, and the answers in one engine-neutral form, so that the
// test (bench/ledger_vs_sqlite_test.cc) and the benchmark
// (bench/ledger_vs_sqlite.cc) can check that ContactLedger
// (bench/ledger_answers.h) and the SQLite baseline (bench/sqlite_baseline.h)
// agree, field by field.
//
// Times are Unix seconds; days are civil days since 1970-01-01 in the
// county's zone, which must be a fixed UTC offset (the synthetic county's
// UTC+8) so that SQL can compute them as (t + offset) / 86400.

#ifndef CONTACTLEDGER_BENCH_TRACING_ANSWERS_H_
#define CONTACTLEDGER_BENCH_TRACING_ANSWERS_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "contactledger/tracing.h"
#include "contactledger/v1/policy.pb.h"

namespace contactledger {
namespace bench {

inline constexpr int64_t kForever = std::numeric_limits<int64_t>::max();

// The moment and the rules of every query. Built from a v1::Policy by
// MakeTracingParams; only what the two engines need.
struct TracingParams {
  int64_t at = 0;          // the query moment
  int64_t utc_offset = 0;  // the zone's fixed offset, seconds east of UTC
  v1::Policy policy;       // the policy the ledger's Tracer gets
  // The same policy in plain numbers, for SQL.
  int64_t lookback = 0;
  int64_t min_exposure = 0;
  bool household_rule = true;
  int64_t close_contact_days = 0;  // all close-contact phases together
  int64_t placement_deadline = 0;
  int64_t check_interval = 0;
  double fever_threshold_celsius = 0;
  int64_t escalation_deadline = 0;
};

// `policy` must have no secondary contacts (china-2020, who-2020, cdc-2020)
// and must not trace suspected cases: the SQLite baseline computes only
// close contacts of confirmed/asymptomatic/recovered/deceased cases.
TracingParams MakeTracingParams(int64_t at, int64_t utc_offset,
                                const v1::Policy& policy);

// A close contact of one case (docs/rules.md section 5).
struct CloseContact {
  std::string person_id;
  int64_t first = 0;  // first qualifying moment
  int64_t last = 0;   // last exposure
  bool continuous = false;
  bool operator==(const CloseContact& o) const {
    return std::tie(person_id, first, last, continuous) ==
           std::tie(o.person_id, o.first, o.last, o.continuous);
  }
};
// Sorted by person_id. Empty when the person is not an index case at `at`.
using CloseContacts = std::vector<CloseContact>;

// Contacts() with 2 hops: (person_id, hops), sorted by hops, then person_id.
struct HopContact {
  std::string person_id;
  int hops = 0;
  bool operator==(const HopContact& o) const {
    return person_id == o.person_id && hops == o.hops;
  }
};
using HopContacts = std::vector<HopContact>;

// One roster entry (docs/rules.md §7); for cases only person_id, role and
// required_since (the diagnosis time) are set.
struct RosterRow {
  std::string person_id;
  Role role = Role::kCase;
  std::string source;
  int64_t last = 0;
  int64_t until_day = 0;  // 0 for cases and continuous contacts
  bool continuous = false;
  int64_t required_since = 0;
  bool operator==(const RosterRow& o) const {
    return std::tie(person_id, role, source, last, until_day, continuous,
                    required_since) == std::tie(o.person_id, o.role, o.source,
                                                o.last, o.until_day,
                                                o.continuous, o.required_since);
  }
};
using RosterRows = std::vector<RosterRow>;  // sorted by person_id

// One village of the roll-up.
struct VillageRow {
  std::string area_id;
  uint64_t persons = 0;
  uint64_t households = 0;
  uint64_t active_cases = 0;
  uint64_t close_contacts = 0;
  bool operator==(const VillageRow& o) const {
    return std::tie(area_id, persons, households, active_cases,
                    close_contacts) == std::tie(o.area_id, o.persons,
                                                o.households, o.active_cases,
                                                o.close_contacts);
  }
};
using VillageRows = std::vector<VillageRow>;  // sorted by area_id

// One open loop (docs/rules.md section 8), without its detail text.
struct LoopRow {
  std::string person_id;
  LoopKind kind = LoopKind::kUnplaced;
  int64_t since = 0;
  bool operator==(const LoopRow& o) const {
    return std::tie(person_id, kind, since) ==
           std::tie(o.person_id, o.kind, o.since);
  }
  bool operator<(const LoopRow& o) const {
    return std::tie(person_id, kind, since) <
           std::tie(o.person_id, o.kind, o.since);
  }
};
using LoopRows = std::vector<LoopRow>;  // sorted by person_id, kind, since

std::ostream& operator<<(std::ostream& os, const CloseContact& c);
std::ostream& operator<<(std::ostream& os, const HopContact& c);
std::ostream& operator<<(std::ostream& os, const RosterRow& r);
std::ostream& operator<<(std::ostream& os, const VillageRow& r);
std::ostream& operator<<(std::ostream& os, const LoopRow& r);

// "" when a == b; otherwise a few lines naming the sizes and the first
// differing positions.
template <typename T>
std::string Diff(const std::vector<T>& a, const std::vector<T>& b,
                 const char* a_name = "ContactLedger",
                 const char* b_name = "SQLite") {
  if (a == b) return "";
  std::ostringstream out;
  out << a_name << ": " << a.size() << " rows, " << b_name << ": " << b.size()
      << " rows";
  int shown = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) && shown < 5; ++i) {
    if (i < a.size() && i < b.size() && a[i] == b[i]) continue;
    out << "\n  [" << i << "] " << a_name << ": ";
    if (i < a.size()) out << a[i];
    out << "\n  [" << i << "] " << b_name << ": ";
    if (i < b.size()) out << b[i];
    ++shown;
  }
  return out.str();
}

}  // namespace bench
}  // namespace contactledger

#endif  // CONTACTLEDGER_BENCH_TRACING_ANSWERS_H_
