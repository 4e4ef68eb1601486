// Copyright 2026 The ContactLedger Authors.
//
// lib/query/tracer_state.h: what the files of contactledger::Tracer share.
//
// A Tracer (contactledger/tracing.h) is split by question:
//   tracer.cc           Create, the State, the words of the tracer's
//                       sentences, and the record decoding the queries need
//   tracer_roster.cc    Roster() and MayPass()
//   tracer_loops.cc     OpenLoops(): one step per kind of open loop
//                       (docs/rules.md section 8)
//   tracer_explain.cc   Explain()
//   tracer_rollup.cc    AreaRollup() and the per-area tallies it sorts
//   tracer_chains.cc    TransmissionChains()
//   tracer_contacts.cc  Contacts(), the k-hop walk
// This header holds the State every Tracer keeps (the pinned cut, `at`, the
// policy and the TracingResult of lib/query/tracing_engine.h) and the
// helpers more than one of those files uses.

#ifndef CONTACTLEDGER_LIB_QUERY_TRACER_STATE_H_
#define CONTACTLEDGER_LIB_QUERY_TRACER_STATE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "contactledger/v1/policy.pb.h"
#include "lib/query/tracer_filter.h"
#include "lib/query/tracing_engine.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace internal {

// One open loop (OpenLoop with the person as a dense id and `since` in Unix
// seconds).
struct Loop {
  uint32_t person;
  LoopKind kind;
  int64_t since;
  std::string detail;
};

// Every open loop at c.at, sorted by person id, kind and since
// (tracer_loops.cc).
std::vector<Loop> FindOpenLoops(const TracingContext& c,
                                const TracingResult& result);

// One count of AreaRollup() besides persons and households, for a person in
// `area` (kNoId for a person with no area): `field` is a Field, or kLoops +
// the LoopKind.
struct RollupTally {
  enum Field : uint32_t {
    kActiveCase,
    kCloseContact,
    kSecondaryContact,
    kInHospital,
    kInCentralized,
    kAtHome,
    kCheckLast24h,
    kLoops,
  };
  uint32_t area;
  uint32_t field;
};

// The tallies of every person, with an area or not, given the open loops
// (tracer_rollup.cc).
std::vector<RollupTally> CountTallies(const TracingContext& c,
                                      const TracingResult& result,
                                      const std::vector<Loop>& loops);

// The persons with a visible quarantine action timed at or before c.at: the
// only ones who can have a stay open then.
absl::flat_hash_set<uint32_t> PersonsWithActions(const TracingContext& c);

// RFC 3339 to the second in `zone`.
std::string FormatInstant(int64_t seconds, const absl::TimeZone& zone);

// A place and a diagnosis status as the tracer's sentences write them: the
// names of lib/util/names.h, with "none" and "unknown" for a value that has
// no name.
absl::string_view TracerPlaceName(v1::QuarantinePlace place);
absl::string_view TracerStatusName(v1::DiagnosisStatus status);

// --- Record decoding. ---
// The queries read a few fields the columns do not hold from the records,
// decoded by the state (lib/state/ledger_state.h).

// The household record of version row `version` of the household table
// (only the body's own fields: id and area_id are columns).
v1::Household HouseholdRecordAt(const LedgerReader& reader, uint32_t version);
// The area record of version row `version` of the area table (likewise).
v1::Area AreaRecordAt(const LedgerReader& reader, uint32_t version);
// The health check of row `row` of the health check list.
v1::HealthCheck HealthCheckRecordAt(const LedgerReader& reader, uint32_t row);
// The checkpoint passage of row `row` of the passage list.
v1::CheckpointPassage PassageRecordAt(const LedgerReader& reader, uint32_t row);

}  // namespace internal

// What a Tracer keeps: created once by Tracer::Create (or, for a scoped
// view, by TracerAccess::Filtered), then only read, by any thread.
class Tracer::State {
 public:
  const LedgerView* ledger = nullptr;
  QueryOptions options;
  // The policy in force (options.policy, always set but in a filtered
  // tracer, which never asks).
  const v1::Policy& policy() const { return *options.policy; }
  ReadOptions pinned;  // the cut seen at creation
  int64_t at = 0;
  internal::TracingResult result;
  // Set for a scoped view's Tracer: every answer comes from it.
  std::unique_ptr<const internal::TracerFilter> filter;

  internal::TracingContext Context(const internal::LedgerReader& r) const {
    return internal::TracingContext{r, r.CutFor(pinned), at, policy()};
  }

  // The open loops, computed once per Tracer: OpenLoops() and every
  // AreaRollup() call share them (the answer depends only on the pinned
  // cut, `at` and the policy). Thread-safe.
  const std::vector<internal::Loop>& CachedLoops(
      const internal::TracingContext& c) const {
    std::call_once(loops_once_,
                   [&] { loops_ = internal::FindOpenLoops(c, result); });
    return loops_;
  }

  // The tallies of AreaRollup(), computed once per Tracer like the loops
  // and shared by every AreaRollup() call, which then only sorts them into
  // its rows. Thread-safe.
  const std::vector<internal::RollupTally>& CachedTallies(
      const internal::TracingContext& c) const {
    std::call_once(tallies_once_, [&] {
      tallies_ = internal::CountTallies(c, result, CachedLoops(c));
    });
    return tallies_;
  }

 private:
  mutable std::once_flag loops_once_;
  mutable std::vector<internal::Loop> loops_;
  mutable std::once_flag tallies_once_;
  mutable std::vector<internal::RollupTally> tallies_;
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_QUERY_TRACER_STATE_H_
