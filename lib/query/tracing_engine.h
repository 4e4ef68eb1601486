// The tracing computation of docs/rules.md sections 3-7 at one moment.
//
// ComputeTracing finds the index cases (section 3) from the diagnoses, their
// infectious windows from their stays (sections 4-5), their close contacts
// from their exposures and households (section 5), the secondary contacts
// (section 6), and who of them is in the roster with which `until` and place
// (section 7). It reads only the diagnoses and the neighbourhoods of the
// cases and close contacts. Persons are dense ids; times are Unix seconds.

#ifndef CONTACTLEDGER_LIB_QUERY_TRACING_ENGINE_H_
#define CONTACTLEDGER_LIB_QUERY_TRACING_ENGINE_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/policy.pb.h"
#include "lib/columns/block_pool.h"
#include "lib/index/event_index.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace internal {

inline constexpr int64_t kForever = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kNever = std::numeric_limits<int64_t>::min();

// What one computation sees: the ledger's tables, the read's cut, the moment
// `at` (Unix seconds) and the policy.
struct TracingContext {
  const LedgerReader& reader;
  Cut cut;
  int64_t at;
  const v1::Policy& policy;
};

struct Stay {
  int64_t start;
  int64_t end;  // kForever while open
  v1::QuarantinePlace place;
};

// Small lists, inlined for their usual sizes (a person has a stay or two;
// a household a few members).
using Stays = absl::InlinedVector<Stay, 2>;
using PersonIds = absl::InlinedVector<uint32_t, 8>;

// The person's stays from the quarantine actions timed at or before `at`.
Stays StaysOf(const TracingContext& c, uint32_t person);
// removal(X, m) of docs/rules.md section 4; kForever when not removed.
int64_t Removal(const Stays& stays, int64_t m);
// The stay open at m, if any.
const Stay* OpenStayAt(const Stays& stays, int64_t m);

// The household of the person's current version, or kNoId.
uint32_t HouseholdOf(const TracingContext& c, uint32_t person);
// The current members of a household.
PersonIds MembersOf(const TracingContext& c, uint32_t household);
// The person's current area, or kNoId.
uint32_t AreaOf(const TracingContext& c, uint32_t person);

// Calls f(row, partner, start, end) for the visible exposures of `person`
// that have started by `at` (end clipped to `at`), for callers that only
// want those overlapping [ws, we), i.e. start < we and end >= ws: rows whose
// zone lies wholly outside are skipped unread (ExposureTable::MayOverlap).
// f may still see rows outside the window and applies the exact test.
template <typename F>
void ForEachExposureIn(const TracingContext& c, uint32_t person, int64_t ws,
                       int64_t we, F f) {
  const ExposureTable& t = c.reader.exposures();
  const EventIndex& events = c.reader.events();
  const int64_t last_start = std::min(c.at, we == kNever ? kNever : we - 1);
  t.ForEachRowOf(person, [&](uint32_t row) {
    if (!t.MayOverlap(row, ws, last_start)) return;
    const int64_t start = t.start(row);
    if (start > c.at) return;
    if (!events.Visible(EventKind::kExposure, row, c.cut)) return;
    f(row, t.Partner(row, person), start,
      std::min(start + t.rows[row].seconds, c.at));
  });
}

// Calls f(row, partner, start, end) for each visible exposure of `person`
// that has started by `at`, with end clipped to `at`.
template <typename F>
void ForEachExposure(const TracingContext& c, uint32_t person, F f) {
  ForEachExposureIn(c, person, kNever, kForever, f);
}

// Days since 1970-01-01 of the civil day holding `seconds` in `zone`.
int64_t DayOf(int64_t seconds, const absl::TimeZone& zone);

// The civil day `day_number` days after 1970-01-01 (the inverse of the day
// numbers above), computed directly rather than by absl::CivilDay's
// addition, which steps through the calendar and showed in roster profiles.
absl::CivilDay CivilDayFromNumber(int64_t day_number);

enum class SourceRule {
  kExposure,
  kHousehold,
  kSecondaryExposure,
  kSecondaryHousehold
};
const char* SourceRuleName(SourceRule rule);

struct CaseInfo {
  v1::DiagnosisStatus status = v1::DIAGNOSIS_STATUS_UNSPECIFIED;
  bool active = false;
  int64_t onset = 0;
  int64_t diagnosis_time = 0;
  int64_t ws = 0;  // infectious window [ws, we)
  int64_t we = 0;
};

// Why a contact is one: a case (or close contact) and the exposures.
// Lists are inlined for their usual sizes (a source has a few exposures, a
// contact one source): a Tracer builds hundreds of them, and heap
// allocations scattered over a large heap cost more than their contents.
struct Source {
  uint32_t from = kNoId;
  SourceRule rule = SourceRule::kExposure;
  absl::InlinedVector<uint32_t, 4> exposure_rows;
  int64_t first = kForever;  // first qualifying moment
  int64_t last = kNever;     // last exposure
  int64_t overlap = 0;       // seconds
  bool continuous = false;
  int64_t required_since = kForever;
};

struct ContactInfo {
  Role role = Role::kCloseContact;
  absl::InlinedVector<Source, 2> sources;  // of the role
  // Derived for the roster (section 7).
  uint32_t source = kNoId;
  int64_t last = kNever;
  bool continuous = false;
  std::optional<int64_t> until_day;
  v1::QuarantinePlace place = v1::QUARANTINE_PLACE_UNSPECIFIED;
  int64_t required_since = kForever;
  bool in_roster = false;
  // For close contacts: P's window [f, removal(P, f)).
  int64_t window_start = kForever;
};

// A link between two index cases, for transmission chains.
struct CaseEdge {
  uint32_t from;
  uint32_t to;
  SourceRule rule;
  absl::InlinedVector<uint32_t, 4> exposure_rows;
};

// Its containers take their memory from the block pool (see block_pool.h):
// a Tracer computes one per query, and the pool recycles it for the next.
struct TracingResult {
  PooledHashMap<uint32_t, CaseInfo> cases;  // every index case
  PooledHashMap<uint32_t, ContactInfo> contacts;
  PooledVector<CaseEdge> case_edges;
  // Everyone in the roster: active cases and the contacts in it.
  PooledVector<uint32_t> roster;
};

TracingResult ComputeTracing(const TracingContext& c);

// The phase a contact is in on day `day` (section 7), or UNSPECIFIED past
// the last one.
v1::QuarantinePlace PhasePlace(
    const google::protobuf::RepeatedPtrField<v1::QuarantinePhase>& phases,
    int64_t last_day, int64_t day, bool continuous);
int64_t TotalDays(
    const google::protobuf::RepeatedPtrField<v1::QuarantinePhase>& phases);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_QUERY_TRACING_ENGINE_H_
