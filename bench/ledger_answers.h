// Copyright 2026 The ContactLedger Authors.
//
// bench/ledger_answers.h: ContactLedger's answers to the ledger-versus-SQLite
// questions (bench/tracing_answers.h).
//
//   LedgerCloseContacts  one case's close contacts (docs/rules.md §5). The
//                        public API computes close contacts only for every
//                        case at once (Tracer::Create); this runs the
//                        engine's per-case step for one case, with the same
//                        internal functions ComputeTracing uses per case
//                        (lib/query/tracing_engine.h: StaysOf, Removal,
//                        ForEachExposure, HouseholdOf, MembersOf). The test
//                        checks it against Tracer::Explain.
//   LedgerTwoHop         contactledger::Contacts(ledger, person, 2, from, to).
//   LedgerRoster         Tracer::Create + Roster().
//   LedgerVillageRollup  Tracer::Create + AreaRollup(township) for every
//                        township under the county.
//   LedgerOpenLoops      Tracer::Create + OpenLoops().
//
// Each reads everything recorded (default ReadOptions).

#ifndef CONTACTLEDGER_BENCH_LEDGER_ANSWERS_H_
#define CONTACTLEDGER_BENCH_LEDGER_ANSWERS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bench/tracing_answers.h"
#include "contactledger/ledger.h"

namespace contactledger {
namespace bench {

// Empty when `case_id` is not an index case at p.at; NotFound when the
// person never occurs in the ledger.
absl::StatusOr<CloseContacts> LedgerCloseContacts(const Ledger& ledger,
                                                  absl::string_view case_id,
                                                  const TracingParams& p);

absl::StatusOr<HopContacts> LedgerTwoHop(const Ledger& ledger,
                                         absl::string_view person_id,
                                         int64_t from, int64_t to);

absl::StatusOr<RosterRows> LedgerRoster(const Ledger& ledger,
                                        const TracingParams& p);

absl::StatusOr<VillageRows> LedgerVillageRollup(const Ledger& ledger,
                                                const TracingParams& p,
                                                absl::string_view county_id);

absl::StatusOr<LoopRows> LedgerOpenLoops(const Ledger& ledger,
                                         const TracingParams& p);

}  // namespace bench
}  // namespace contactledger

#endif  // CONTACTLEDGER_BENCH_LEDGER_ANSWERS_H_
