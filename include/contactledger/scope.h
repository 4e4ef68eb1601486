// Copyright 2026 The ContactLedger Authors.
//
// contactledger/scope.h: scoped views of a ledger, and the audit trail.
//
// A ledger of who was near whom holds national ids and phone numbers; each
// worker should see and change only their own area. A ScopedLedger is a view
// of a Ledger bound to one area (a village worker's, a township office's) and
// one actor (the worker's name):
//
//   - It reads only the persons and households of the area's subtree. Reads
//     of anything else fail with PermissionDenied, worded the same whether
//     the id exists or not. Answers list only persons in scope; where an
//     outsider must appear (the case that a village's contact was exposed
//     to, the partner of an exposure, a link in a transmission chain) it
//     appears as an opaque id, "ext-" and 16 hex digits, and none of the
//     outsider's private fields (name, national id, phone, address, an
//     exposure's free-text note) ever leaves the view.
//   - It records only events about its area, each stamped with its actor:
//     any other write fails with PermissionDenied naming the event, the field
//     and the person or area, and records nothing of the batch.
//   - AuditTrail lists who recorded what about a person.
//
// Example:
//
//   absl::StatusOr<std::unique_ptr<contactledger::ScopedLedger>> view =
//       contactledger::ScopedLedger::Create(*ledger, "madiyi", "wang.li");
//   absl::StatusOr<uint64_t> seq = (*view)->Append(event);  // actor wang.li
//   if (absl::IsPermissionDenied(seq.status())) { ... outside madiyi ... }
//   // A Tracer answering for madiyi only:
//   absl::StatusOr<std::unique_ptr<contactledger::Tracer>> tracer =
//       contactledger::Tracer::Create(**view, query);
//   for (const contactledger::RosterEntry& e : (*tracer)->Roster()) ...
//   absl::StatusOr<std::vector<contactledger::AuditEntry>> trail =
//       contactledger::AuditTrail(**view, "p17", contactledger::ReadOptions());
//
// Who is in scope. A person is in scope of a read when, as of that read's
// cut (ReadOptions: known_at, sequence_limit), the person is registered and
// their current area (`area_id`, or their household's current area when
// they have none of their own; see LedgerView::PersonsInArea) is the view's
// area or below it. A household is in
// scope when its current area is; an area when it is the view's area or below
// it. So scope follows the record: a person who moved out is out of scope of
// reads after the move and in scope of reads before it. Persons referenced
// by events but never registered have no area and are in no view's scope:
// they appear only as opaque ids, and the `unregistered` open loop is for the
// unscoped Ledger (the county's data office) to close.
//
// What a write may touch. Each event of a batch is checked against the
// ledger as it stands plus the batch's earlier events, and the batch is
// recorded only if nothing was appended in between (see
// WriteOptions::expected_last_sequence; the view retries by itself):
//   Area         a new area or an existing one below the view's area, with its
//                parent in scope. The view's own area belongs to the level
//                above and cannot be changed through the view.
//   Household    its current area (if recorded) and its new area in scope.
//   Person       their current area (if registered), their new area and
//                their household (if any) in scope; a person with neither
//                area nor household is in no scope and cannot be recorded
//                through a view. Moving a person between two areas needs a
//                view holding both (or the Ledger).
//   Exposure     at least one of the two persons in scope: an exposure between
//                a village's person and an outsider is legitimately recorded
//                by that village's worker, since contact tracing crosses
//                village lines. The other person may be an outsider or not
//                registered anywhere.
//   Diagnosis, QuarantineAction, HealthCheck, CheckpointPassage
//                the person in scope. A person not yet registered anywhere
//                is in no scope: register them in the view's area first (an
//                earlier event of the same batch will do).
//   Retraction   the retracted event must be one the view could record now
//                (an exposure: one person in scope; a version of an area,
//                household or person: the entity in scope), and retracting
//                a version must not leave the entity outside the scope (its
//                previous version is then the current one). Scope is checked
//                first: a target not about the scope gets one uniform
//                refusal, "event N is not about a person, household or area
//                in the scope of this view", whether it is already
//                retracted, a retraction (about what it withdraws), lost or
//                beyond the last sequence number; only a target about the
//                scope gets the Ledger's own errors ("already retracted",
//                "is a retraction").
// A denied write reveals that an id is taken (ids are unique across the
// ledger), never where or by whom. The scope is checked first; events
// within it that the ledger itself rejects get the Ledger's InvalidArgument,
// as through Ledger::AppendBatch.
//
// Opaque ids are drawn at random the first time the view shows an outsider
// and kept for the view's life (and for the Tracers it created), so the same
// outsider has the same opaque id in every answer of one view; another view
// gives other ids. The id of an exposure with an outsider (Exposure.id, a
// caller's reference that may quote them) is shown the same way: as the
// view's opaque id of that id, the same in every answer of the view (an
// empty id stays empty). They cannot be turned back into the id: there is no
// key, only the view's private table.
//
// Thread safety: the view's methods may be called from several threads, as
// the Ledger's. The view does not own the Ledger, which must outlive it and
// the Tracers it creates. A view is a discipline for code that hands data to
// a worker (a server, ledgerctl --scope); code holding the Ledger itself can
// read everything.

#ifndef CONTACTLEDGER_SCOPE_H_
#define CONTACTLEDGER_SCOPE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {

// One event of a person's audit trail.
struct AuditEntry {
  uint64_t sequence_number = 0;
  absl::Time record_time;
  // Who recorded it (LedgerEvent.actor); empty when nobody was named.
  std::string actor;
  // What it is: kPerson (a registration or a new version), kExposure (either
  // side), kDiagnosis, kQuarantineAction, kHealthCheck, kCheckpointPassage,
  // or kRetraction (of one of the person's events).
  v1::LedgerEvent::BodyCase kind = v1::LedgerEvent::BODY_NOT_SET;
  // Retracted as of the read, and by which event (0 when not).
  bool retracted = false;
  uint64_t retracted_by = 0;
  // For a retraction: the event it withdraws.
  uint64_t retracts = 0;
};

// "person", "exposure", ... : the LedgerEvent body field's name for `kind`.
absl::string_view AuditKindName(v1::LedgerEvent::BodyCase kind);

// Every event about `person_id` visible in `read` (its cut, retracted events
// included and marked): its versions, its exposures on either side, its
// diagnoses, quarantine actions, health checks and checkpoint passages, and
// the retractions of any of these; sorted by sequence number. NotFound when
// the person id never occurs in the ledger.
absl::StatusOr<std::vector<AuditEntry>> AuditTrail(
    const LedgerView& view, absl::string_view person_id,
    const ReadOptions& read = ReadOptions());

// One area's view of a ledger, recording as one actor. It is a LedgerView:
// its reads, and Tracer::Create, Contacts and AuditTrail over it, keep to the
// scope as of each read's cut. A read of anything not in scope (or that does
// not exist) is PermissionDenied, worded the same either way. Beyond that:
//   GetEvent               the event if it is about the scope: an area,
//                          household or person in scope, an exposure with at
//                          least one person in scope (the other shown as an
//                          opaque id, the exposure's own id as an opaque id
//                          and its note cleared), an event of a person
//                          in scope, or a retraction of such an event (its
//                          reason cleared when it withdraws an exposure with
//                          an outsider); PermissionDenied otherwise, or for
//                          an event after the read's cut.
//   FindPersonsByNationalId, HouseholdMembers, PersonsInArea
//                          only the persons in scope.
//   ExposuresOf            a partner outside the scope as an opaque id, the
//                          exposure's id (a caller's reference that may quote
//                          them) as an opaque id and its note (free text
//                          that may quote them) cleared.
//   AuditTrail             every event about a person in scope, including
//                          exposures recorded by other areas' workers (with
//                          their actors) but not their partners.
//   Contacts               of a person in scope; the walk goes on only
//                          from persons in scope (as of the read's cut) and
//                          stops at the scope's edge: an outsider it reaches
//                          is listed by opaque id with their hops, but whom
//                          they met is not (not even a villager met only
//                          through them), so a walk never shows the size or
//                          shape of the ledger beyond the scope; sorted by
//                          hops, then id.
//   Tracer::Create         works out cases and contacts over the whole
//                          ledger, as it must (a village's contact may have
//                          been exposed to a case elsewhere), and answers for
//                          the scope only, as of its read: Roster() and
//                          OpenLoops() only persons in scope, a source outside
//                          as an opaque id (in the fields and in the loop
//                          details); Explain() and MayPass() PermissionDenied
//                          for a person not in scope, sources outside as
//                          opaque ids; AreaRollup() PermissionDenied for an
//                          area not in scope; TransmissionChains() the chains
//                          with at least one case in scope, the other cases
//                          as opaque ids. That Tracer shares the view's
//                          opaque ids and may outlive the view (not the
//                          ledger).
class ScopedLedger : public LedgerView {
 public:
  // A view of `ledger` (not owned; must outlive the view) bound to the
  // subtree of `area_id`, recording as `actor`. InvalidArgument for an empty
  // actor (or one longer than 128 bytes); NotFound when `area_id` has no
  // visible version in the ledger now.
  static absl::StatusOr<std::unique_ptr<ScopedLedger>> Create(
      Ledger& ledger, absl::string_view area_id, absl::string_view actor);

  ~ScopedLedger() override;

  virtual const std::string& area_id() const = 0;
  virtual const std::string& actor() const = 0;

  // --- Writes: as Ledger::Append / AppendBatch, all or nothing. ---
  // Every event's actor is set to the view's actor (whatever the caller put
  // there is replaced). PermissionDenied, naming the event (its position in
  // the batch and its body), the field and the person or area, when an event
  // touches anything outside the scope (see "What a write may touch").
  absl::StatusOr<uint64_t> Append(const v1::LedgerEvent& event,
                                  const WriteOptions& write_options = {});
  absl::StatusOr<std::vector<uint64_t>> AppendBatch(
      absl::Span<const v1::LedgerEvent> events,
      const WriteOptions& write_options = {});

 protected:
  ScopedLedger() = default;

 private:
  // Append and AppendBatch: checked against the scope, then recorded by
  // compare-and-append.
  virtual absl::StatusOr<std::vector<uint64_t>> Record(
      absl::Span<const v1::LedgerEvent> events,
      const WriteOptions& write_options) = 0;
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_SCOPE_H_
