// Copyright 2026 The ContactLedger Authors.
//
// contactledger/ledger_view.h: the reads of a ledger, one interface.
//
// A LedgerView is what the questions are asked of: a whole ledger
// (contactledger/ledger.h) or one area's scoped view of it
// (contactledger/scope.h). Both implement it, and everything that reads
// takes one: `Tracer::Create` (contactledger/tracing.h), `Contacts`,
// `AuditTrail` (contactledger/scope.h), the report writers' callers. A
// function that only reads takes `const LedgerView&`; one that records takes
// `Ledger&` (or a ScopedLedger&).
//
// Every read answers "as the ledger knew it then" (docs/rules.md sections
// 1-2): `ReadOptions::known_at` limits it to the events recorded at or
// before that record time, `ReadOptions::sequence_limit` to the events
// numbered at or below it. Within that, the latest visible version of an
// entity applies and retracted events are ignored. Through a scoped view,
// reads are limited to the view's area as of the read's cut and outsiders
// appear by opaque id (contactledger/scope.h says exactly how).
//
// Example:
//
//   void PrintHousehold(const contactledger::LedgerView& view,
//                       absl::string_view household_id) {
//     absl::StatusOr<std::vector<std::string>> members =
//         view.HouseholdMembers(household_id, contactledger::ReadOptions());
//     ...
//   }
//
// Threading: every method may be called from any thread, concurrently with
// each other and with appends; each read sees a state between two appends.
// To make several reads agree while appends go on, pass the same
// `ReadOptions::sequence_limit` (e.g. `last_sequence_number()` read once).

#ifndef CONTACTLEDGER_LEDGER_VIEW_H_
#define CONTACTLEDGER_LEDGER_VIEW_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/options.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {

class Tracer;
struct QueryOptions;
struct ContactAtDistance;
struct AuditEntry;
namespace internal {
class LedgerState;
class ViewAccess;
}  // namespace internal

// An event body together with where it stands in the ledger.
template <typename Body>
struct Recorded {
  uint64_t sequence_number = 0;
  absl::Time record_time;
  Body body;
};

class LedgerView {
 public:
  virtual ~LedgerView();

  // The zone the ledger takes civil days in (docs/rules.md section 1); pass
  // it to the report writers (contactledger/report.h).
  virtual absl::TimeZone time_zone() const = 0;

  // The sequence number of the last event recorded; 0 when empty.
  virtual uint64_t last_sequence_number() const = 0;

  // The event with this sequence number, envelope included, as recorded
  // (NotFound when there is none or it is not visible to `options`;
  // retracted events are still returned).
  virtual absl::StatusOr<v1::LedgerEvent> GetEvent(
      uint64_t sequence_number, const ReadOptions& options) const = 0;
  absl::StatusOr<v1::LedgerEvent> GetEvent(uint64_t sequence_number) const {
    return GetEvent(sequence_number, ReadOptions());
  }

  // --- Areas, households and persons (latest visible version). ---
  // NotFound when the id has no visible version.
  virtual absl::StatusOr<v1::Area> GetArea(
      absl::string_view area_id, const ReadOptions& options) const = 0;
  virtual absl::StatusOr<v1::Household> GetHousehold(
      absl::string_view household_id, const ReadOptions& options) const = 0;
  virtual absl::StatusOr<v1::Person> GetPerson(
      absl::string_view person_id, const ReadOptions& options) const = 0;

  // The ids of the persons whose current national_id is `national_id`,
  // sorted (normally one; more means a registration error worth fixing).
  virtual std::vector<std::string> FindPersonsByNationalId(
      absl::string_view national_id, const ReadOptions& options) const = 0;

  // The ids of the persons whose current household is `household_id`,
  // sorted. NotFound when the household has no visible version.
  virtual absl::StatusOr<std::vector<std::string>> HouseholdMembers(
      absl::string_view household_id, const ReadOptions& options) const = 0;

  // The ids of the areas whose current parent is `area_id`, sorted.
  virtual absl::StatusOr<std::vector<std::string>> ChildAreas(
      absl::string_view area_id, const ReadOptions& options) const = 0;

  // The ids of the areas with no current parent (the counties), sorted: the
  // roots of the area tree, to start a walk with ChildAreas. Cost: one look
  // at each area recorded, never at the events. Through a scoped view
  // (contactledger/scope.h), the scope's own area: the root of what it
  // shows. Not pure: a view that does not override it answers from the
  // ledger's area table.
  virtual absl::StatusOr<std::vector<std::string>> TopLevelAreas(
      const ReadOptions& options) const;

  // `area_id` and every area below it, in depth-first order with siblings
  // sorted by id.
  virtual absl::StatusOr<std::vector<std::string>> AreaSubtree(
      absl::string_view area_id, const ReadOptions& options) const = 0;

  // The ids of the registered persons whose current area is in the subtree
  // of `area_id`, sorted. A person's area is the one their current version
  // names (`area_id`); a person recorded with a household and no area of
  // their own is in the household's current area, so moves with it. Both as
  // of the read's cut; this rule decides every answer by area (scopes,
  // roll-ups, roster areas).
  virtual absl::StatusOr<std::vector<std::string>> PersonsInArea(
      absl::string_view area_id, const ReadOptions& options) const = 0;

  // --- A person's history (registered or not). ---
  // Each returns NotFound when the person id never occurred in the ledger.

  // The visible exposures of `person_id` that overlap [from, to]
  // (start <= to and end >= from), ordered by start time, then sequence
  // number.
  virtual absl::StatusOr<std::vector<Recorded<v1::Exposure>>> ExposuresOf(
      absl::string_view person_id, absl::Time from, absl::Time to,
      const ReadOptions& options) const = 0;

  // The person's visible diagnoses, quarantine actions, health checks and
  // checkpoint passages, each ordered by event time, then sequence number.
  virtual absl::StatusOr<std::vector<Recorded<v1::Diagnosis>>> DiagnosesOf(
      absl::string_view person_id, const ReadOptions& options) const = 0;
  virtual absl::StatusOr<std::vector<Recorded<v1::QuarantineAction>>>
  QuarantineActionsOf(absl::string_view person_id,
                      const ReadOptions& options) const = 0;
  virtual absl::StatusOr<std::vector<Recorded<v1::HealthCheck>>> HealthChecksOf(
      absl::string_view person_id, const ReadOptions& options) const = 0;
  virtual absl::StatusOr<std::vector<Recorded<v1::CheckpointPassage>>>
  PassagesOf(absl::string_view person_id, const ReadOptions& options) const = 0;

 protected:
  LedgerView() = default;
  LedgerView(const LedgerView&) = delete;
  LedgerView& operator=(const LedgerView&) = delete;

 private:
  // How the library's queries reach a view (internal::ViewAccess): the
  // state it reads, and the questions a scoped view answers its own way.
  friend class internal::ViewAccess;
  virtual const internal::LedgerState& state() const = 0;
  virtual absl::StatusOr<std::unique_ptr<Tracer>> NewTracer(
      const QueryOptions& options) const;
  virtual absl::StatusOr<std::vector<ContactAtDistance>> FindContacts(
      absl::string_view person_id, int hops, absl::Time from, absl::Time to,
      const ReadOptions& read) const;
  virtual absl::StatusOr<std::vector<AuditEntry>> FindAuditTrail(
      absl::string_view person_id, const ReadOptions& read) const;
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_LEDGER_VIEW_H_
