// Copyright 2026 The ContactLedger Authors.
//
// contactledger/tracing.h: the closed-loop questions, per docs/rules.md.
//
// A Tracer is a query object over a Ledger (the way S2 builds queries over an
// index): it is created for one moment `at`, one view of the record
// (`known_at`, `sequence_limit`) and one Policy, works out who the cases are
// and whom they exposed (docs/rules.md sections 3-6), and then answers:
//
//   Roster()            who must be quarantined, where, until when, and why
//                       (Roster(&entries) refills a vector the caller keeps)
//   OpenLoops()         where the loop is still open (section 8)
//   Explain(person)     why a person is, or is not, in the roster
//   AreaRollup(area)    how each child area of `area` stands
//   MayPass(person, checkpoint)   whether a person may pass now
//   TransmissionChains()          index cases linked by qualifying exposures
//
// and, independent of `at` and the policy, Contacts(): everyone within k hops
// over exposures in a time window; and AreaVersions(), HouseholdVersions()
// and PersonVersions(): who recorded each version of a record, and when.
//
// Every factory is a static function returning std::unique_ptr, in
// absl::StatusOr when it can fail: Ledger::New and Ledger::Open
// (contactledger/ledger.h), ScopedLedger::Create (contactledger/scope.h) and
// Tracer::Create.
//
// Example:
//
//   contactledger::QueryOptions options;
//   options.at = absl::FromCivil(absl::CivilMinute(2020, 2, 1, 8, 0), zone);
//   absl::StatusOr<std::unique_ptr<contactledger::Tracer>> tracer =
//       contactledger::Tracer::Create(*ledger, options);
//   if (!tracer.ok()) return tracer.status();
//   for (const contactledger::RosterEntry& entry : (*tracer)->Roster()) ...
//   std::string csv = contactledger::WriteLoopsCsv(  // contactledger/report.h
//       (*tracer)->OpenLoops(), ledger->options().time_zone);
//
// Which rule of docs/rules.md is implemented where, and which tests show it:
// docs/rules_as_implemented.md.
//
// Cost: creating a Tracer reads the diagnoses and, for each index case, its
// exposures, household and stays; it never scans the whole ledger. Roster()
// is then proportional to the roster; OpenLoops() also reads every stay,
// health check and passage recorded up to `at`, and the unregistered
// persons; AreaRollup() reads the persons of the area's subtree.
//
// Every answer is deterministic: lists are sorted as each method says.
//
// Thread safety: a Tracer is immutable after Create; its methods may be
// called from several threads. It pins the ledger's sequence number at
// creation, so appends made later are not seen. It must not outlive the
// ledger.

#ifndef CONTACTLEDGER_TRACING_H_
#define CONTACTLEDGER_TRACING_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger_view.h"
#include "contactledger/options.h"
#include "contactledger/v1/policy.pb.h"

namespace contactledger {

namespace internal {
class TracerAccess;
}  // namespace internal

// --- Policies (docs/rules.md section 9). ---

// The names of the presets: "china-2020" (the default), "china-2022",
// "who-2020", "cdc-2020".
std::vector<std::string> PolicyPresetNames();

// A preset by name; NotFound for an unknown name (the message lists them).
absl::StatusOr<v1::Policy> PolicyPreset(absl::string_view name);

// Checks a policy: durations from 0 to 3650 days, at least one close-contact
// phase, every phase 1 day or more at a known place, a positive check
// interval, a fever threshold in 35.0-42.0 °C. InvalidArgument naming the
// field.
absl::Status ValidatePolicy(const v1::Policy& policy);

// Parses and validates a policy written as JSON (text starting with '{') or
// protobuf text format, in UTF-8. Errors name the line/column (text) or the
// JSON path.
//
// A policy may start from a preset: with `base` set (base: "china-2020"),
// the result is that preset with each field the text sets replaced by the
// text's value, then validated. A field is "set" when the text writes it,
// whatever its value, so a field can be overlaid back to zero or false
// (household_rule: false; min_exposure {} or "minExposure": "0s"); a
// repeated field the text writes replaces the preset's whole list (text
// format: one or more entries, or `secondary_contact_phases: []` for none;
// JSON: the array, [] for none). Without a `name`, the result is named
// after the base and the fields set, e.g. "china-2020+min_exposure"; its
// `base` keeps the preset's name. An unknown base is InvalidArgument
// listing the presets. For example, china-2020 with 15 minutes:
//
//   base: "china-2020"
//   min_exposure { seconds: 900 }
absl::StatusOr<v1::Policy> ParsePolicy(absl::string_view text);

// --- Query options and answers. ---

struct QueryOptions {
  // The moment the questions are about (docs/rules.md section 1). Required: the
  // default, InfinitePast, is rejected by Tracer::Create.
  absl::Time at = absl::InfinitePast();
  // Which part of the record is seen (known_at, sequence_limit).
  ReadOptions read;
  // Default: the china-2020 preset.
  std::optional<v1::Policy> policy;
};

enum class Role { kCase, kCloseContact, kSecondaryContact };
// "case", "close_contact", "secondary_contact".
absl::string_view RoleName(Role role);

// One person in the roster (docs/rules.md section 7).
struct RosterEntry {
  std::string person_id;
  Role role = Role::kCase;
  // Contacts: the case (or close contact) whose exposure is the latest.
  std::string source;
  // Contacts: the latest last exposure over the sources (for a continuous
  // household exposure, `at`).
  absl::Time last_exposure = absl::InfinitePast();
  // Contacts, not continuous: the last day of quarantine.
  std::optional<absl::CivilDay> until;
  // Contacts: the exposure goes on (household of a case still at large).
  bool continuous = false;
  // Where the person must be at `at`.
  v1::QuarantinePlace place = v1::QUARANTINE_PLACE_UNSPECIFIED;
  // When the person first had to be placed (cases: diagnosis time).
  absl::Time required_since = absl::InfinitePast();
};

enum class LoopKind {
  kUnplaced,
  kUnisolatedCase,
  kEarlyRelease,
  kMissedCheck,
  kFeverNotEscalated,
  kNoOwner,
  kCheckpointBreach,
  kUnregistered,
};
// "unplaced", "unisolated_case", ... as in docs/rules.md section 8.
absl::string_view LoopKindName(LoopKind kind);

// One open loop (docs/rules.md section 8).
struct OpenLoop {
  std::string person_id;
  LoopKind kind = LoopKind::kUnplaced;
  absl::Time since;
  std::string detail;
};

// Why a person is, or is not, in the roster.
struct Explanation {
  struct Source {
    std::string person_id;  // the case, or the close contact
    // "exposure" (section 5), "household" (section 5 household rule),
    // "secondary_exposure" or "secondary_household" (section 6).
    std::string rule;
    std::vector<uint64_t> exposures;  // qualifying exposures' sequence numbers
    absl::Time first = absl::InfinitePast();  // first qualifying moment
    absl::Time last_exposure = absl::InfinitePast();
    absl::Duration overlap;  // summed overlap of the exposures
    bool continuous = false;
  };
  std::string person_id;
  bool in_roster = false;
  std::optional<Role> role;
  std::vector<Source> sources;  // sorted by person_id, then rule
  std::optional<absl::CivilDay> until;
  // The quarantine phases with their first and last days.
  struct Phase {
    v1::QuarantinePlace place;
    absl::CivilDay first_day;
    absl::CivilDay last_day;
  };
  std::vector<Phase> phases;
  // Sentences, e.g. "active case: confirmed 2020-01-27T10:00:00+08:00".
  std::vector<std::string> notes;
};

// The area_id of the roll-up row of the persons with no area.
inline constexpr absl::string_view kUnassignedAreaId = "(unassigned)";

// One child area in a roll-up; or, in the roll-up of a top-level area (one
// with no parent), the row kUnassignedAreaId of the persons with no area:
// registered with neither area nor household, or never registered (named
// only by exposures and other events). Its `persons` counts the registered
// ones, its `households` is 0, and its other counts are theirs, so that the
// rows of such a roll-up add up to the ledger's (the roster's roles, the
// open loops). Its name is "persons with no area". It comes last, and only
// when one of its counts is not 0.
struct AreaRollupRow {
  std::string area_id;
  std::string name;
  uint64_t persons = 0;     // registered persons in the child's subtree
  uint64_t households = 0;  // households in the child's subtree
  uint64_t active_cases = 0;
  uint64_t close_contacts = 0;      // in the roster
  uint64_t secondary_contacts = 0;  // in the roster
  uint64_t in_hospital = 0;         // persons in an open stay, by place
  uint64_t in_centralized = 0;
  uint64_t at_home = 0;
  // Open loops by kind, indexed by LoopKind.
  std::vector<uint64_t> loops = std::vector<uint64_t>(8, 0);
  uint64_t checks_last_24h = 0;  // health checks in (at - 24 h, at]
};

// The answer at a checkpoint (Tracer::MayPass).
enum class PassVerdict {
  kAllowed,
  kRefused,
  // No visible event of the read names the person (no Person version,
  // exposure, diagnosis, stay, check or passage): a mistyped id, or someone
  // the ledger has never seen. Not allowed: the gate must find out who it is.
  kUnknownPerson,
};
// "allowed", "refused", "unknown_person".
absl::string_view PassVerdictName(PassVerdict verdict);

struct PassDecision {
  // verdict == PassVerdict::kAllowed.
  bool allowed = true;
  PassVerdict verdict = PassVerdict::kAllowed;
  // Why, in a sentence that names the stay, role or missing record.
  std::string reason;
};

struct ContactAtDistance {
  std::string person_id;
  int hops = 0;
};

struct TransmissionChain {
  struct Edge {
    std::string from;  // the case whose window the exposures qualify in
    std::string to;
    std::string rule;  // "exposure" or "household"
    std::vector<uint64_t> exposures;
  };
  std::vector<std::string> cases;  // sorted
  std::vector<Edge> edges;         // sorted by (from, to)
};

class Tracer {
 public:
  // Works out the cases and their contacts as `view` shows them: a whole
  // ledger, or a scoped view (whose Tracer keeps to its area and shows
  // outsiders by opaque id, contactledger/scope.h). InvalidArgument for a
  // missing `at` or an invalid policy. The Tracer reads `view` while it
  // answers: `view` must outlive it.
  static absl::StatusOr<std::unique_ptr<Tracer>> Create(
      const LedgerView& view, const QueryOptions& options);

  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;
  ~Tracer();

  // docs/rules.md section 7, sorted by person_id.
  std::vector<RosterEntry> Roster() const;
  // The same, replacing the contents of *out and reusing its memory: for a
  // caller that asks for rosters again and again (a dashboard, a drill).
  void Roster(std::vector<RosterEntry>* out) const;

  // docs/rules.md section 8, sorted by person_id, kind, since.
  std::vector<OpenLoop> OpenLoops() const;

  // NotFound when the person id never occurs in the ledger.
  absl::StatusOr<Explanation> Explain(absl::string_view person_id) const;

  // One row per child of `area_id`, sorted by area id; for a top-level area
  // then the row kUnassignedAreaId when it counts anything (AreaRollupRow).
  // NotFound for an unknown area.
  absl::StatusOr<std::vector<AreaRollupRow>> AreaRollup(
      absl::string_view area_id) const;

  // Refused while the person has a stay open or is in the roster; the reason
  // says which. A person id that no visible event of the Tracer's read names
  // is PassVerdict::kUnknownPerson (not allowed). Ids are matched exactly:
  // "P01" is not "p01", nor is "p01 ". InvalidArgument for an empty
  // checkpoint id.
  absl::StatusOr<PassDecision> MayPass(absl::string_view person_id,
                                       absl::string_view checkpoint_id) const;

  // Index cases linked through qualifying exposures (or the household rule),
  // sorted by their first case id. A case with no link is a chain of one.
  std::vector<TransmissionChain> TransmissionChains() const;

  const QueryOptions& options() const;

 private:
  friend class internal::TracerAccess;  // scoped views (contactledger/scope.h)
  class State;
  explicit Tracer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// --- The versions of a record. ---

// One version of an area, household or person: the event that recorded it.
struct RecordVersion {
  uint64_t sequence_number = 0;
  absl::Time record_time;
  // Who recorded it (LedgerEvent.actor); empty when nobody was named.
  std::string actor;
  // Retracted as of the read, and by which event (0 when not).
  bool retracted = false;
  uint64_t retracted_by = 0;
};

// The versions of the area, household or person `id` recorded in `read`'s
// cut, oldest first, retracted ones included and marked; the current one
// (LedgerView::GetArea and the others) is the last not retracted. NotFound
// when the id has no version in the cut. Through a scoped view,
// PermissionDenied unless the record is in scope, as the view's GetArea,
// GetHousehold and GetPerson answer. Cost: proportional to the record's
// versions.
absl::StatusOr<std::vector<RecordVersion>> AreaVersions(
    const LedgerView& view, absl::string_view id,
    const ReadOptions& read = ReadOptions());
absl::StatusOr<std::vector<RecordVersion>> HouseholdVersions(
    const LedgerView& view, absl::string_view id,
    const ReadOptions& read = ReadOptions());
absl::StatusOr<std::vector<RecordVersion>> PersonVersions(
    const LedgerView& view, absl::string_view id,
    const ReadOptions& read = ReadOptions());

// Everyone within `hops` exposures of `person_id`, over the exposures that
// overlap [from, to] and are visible in `read`; the person itself excluded.
// Sorted by hops, then person_id. NotFound for an unknown person,
// InvalidArgument for hops < 1 or from > to. Through a scoped view, the
// walk goes on only from persons in scope: the outsiders met are listed by
// opaque id, their own contacts are not (contactledger/scope.h).
absl::StatusOr<std::vector<ContactAtDistance>> Contacts(
    const LedgerView& view, absl::string_view person_id, int hops,
    absl::Time from, absl::Time to, const ReadOptions& read = ReadOptions());

}  // namespace contactledger

#endif  // CONTACTLEDGER_TRACING_H_
