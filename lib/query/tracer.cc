// Copyright 2026 The ContactLedger Authors.
//
// contactledger::Tracer: creating one, and what its questions share. The
// questions themselves are in the other lib/query/tracer_*.cc files (see
// lib/query/tracer_state.h).

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/tracing.h"
#include "lib/query/tracer_filter.h"
#include "lib/query/tracer_state.h"
#include "lib/query/tracing_engine.h"
#include "lib/state/reader.h"
#include "lib/util/names.h"

namespace contactledger {

using internal::LedgerReader;

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kCase:
      return "case";
    case Role::kCloseContact:
      return "close_contact";
    case Role::kSecondaryContact:
      return "secondary_contact";
  }
  return "";
}

absl::string_view LoopKindName(LoopKind kind) {
  switch (kind) {
    case LoopKind::kUnplaced:
      return "unplaced";
    case LoopKind::kUnisolatedCase:
      return "unisolated_case";
    case LoopKind::kEarlyRelease:
      return "early_release";
    case LoopKind::kMissedCheck:
      return "missed_check";
    case LoopKind::kFeverNotEscalated:
      return "fever_not_escalated";
    case LoopKind::kNoOwner:
      return "no_owner";
    case LoopKind::kCheckpointBreach:
      return "checkpoint_breach";
    case LoopKind::kUnregistered:
      return "unregistered";
  }
  return "";
}

absl::string_view PassVerdictName(PassVerdict verdict) {
  switch (verdict) {
    case PassVerdict::kAllowed:
      return "allowed";
    case PassVerdict::kRefused:
      return "refused";
    case PassVerdict::kUnknownPerson:
      return "unknown_person";
  }
  return "";
}

// ---------------------------------------------------------------------------
// Creating a Tracer.

absl::StatusOr<std::unique_ptr<Tracer>> Tracer::Create(
    const LedgerView& view, const QueryOptions& options) {
  return internal::ViewAccess::NewTracer(view, options);
}

// A whole ledger's Tracer; a scoped view answers with its own.
absl::StatusOr<std::unique_ptr<Tracer>> LedgerView::NewTracer(
    const QueryOptions& options) const {
  return internal::TracerAccess::Compute(*this, options);
}

absl::StatusOr<std::unique_ptr<Tracer>> internal::TracerAccess::Compute(
    const LedgerView& ledger, const QueryOptions& options) {
  if (options.at == absl::InfinitePast() ||
      options.at == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError(
        "QueryOptions.at: a finite moment is required");
  }
  auto state = std::make_unique<Tracer::State>();
  state->ledger = &ledger;
  state->options = options;  // the one copy of the policy
  if (!state->options.policy.has_value()) {
    state->options.policy = *PolicyPreset("china-2020");
  }
  if (absl::Status s = ValidatePolicy(state->policy()); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("QueryOptions.policy: ", s.message()));
  }
  state->at = absl::ToUnixSeconds(options.at);
  LedgerReader reader(ledger);
  state->pinned.sequence_limit = reader.CutFor(options.read).sequence;
  state->result = internal::ComputeTracing(state->Context(reader));
  return std::unique_ptr<Tracer>(new Tracer(std::move(state)));
}

Tracer::Tracer(std::unique_ptr<State> state) : state_(std::move(state)) {}

std::unique_ptr<Tracer> internal::TracerAccess::Filtered(
    const LedgerView& ledger, const QueryOptions& options,
    std::unique_ptr<const TracerFilter> filter) {
  auto state = std::make_unique<Tracer::State>();
  state->ledger = &ledger;
  state->options = options;
  state->filter = std::move(filter);
  return std::unique_ptr<Tracer>(new Tracer(std::move(state)));
}

Tracer::~Tracer() = default;

const QueryOptions& Tracer::options() const { return state_->options; }

namespace internal {

// ---------------------------------------------------------------------------
// Shared by the questions.

absl::flat_hash_set<uint32_t> PersonsWithActions(const TracingContext& c) {
  const PersonEventTable& actions = c.reader.person_events(kQuarantineActions);
  const EventIndex& events = c.reader.events();
  const uint64_t rows =
      c.cut.rows[static_cast<int>(EventKind::kQuarantineAction)];
  absl::flat_hash_set<uint32_t> persons;
  for (uint32_t row = 0; row < rows; ++row) {
    if (actions.time[row] <= c.at &&
        events.Visible(EventKind::kQuarantineAction, row, c.cut)) {
      persons.insert(actions.person[row]);
    }
  }
  return persons;
}

std::string FormatInstant(int64_t seconds, const absl::TimeZone& zone) {
  return absl::FormatTime(absl::RFC3339_sec, absl::FromUnixSeconds(seconds),
                          zone);
}

absl::string_view TracerPlaceName(v1::QuarantinePlace place) {
  const absl::string_view name = NameOf(place);
  return name.empty() ? "none" : name;
}

absl::string_view TracerStatusName(v1::DiagnosisStatus status) {
  const absl::string_view name = NameOf(status);
  return name.empty() ? "unknown" : name;
}

// ---------------------------------------------------------------------------
// Records, decoded by the state.

v1::Household HouseholdRecordAt(const LedgerReader& reader, uint32_t version) {
  return reader.state().HouseholdBodyAt(version);
}

v1::Area AreaRecordAt(const LedgerReader& reader, uint32_t version) {
  return reader.state().AreaBodyAt(version);
}

v1::HealthCheck HealthCheckRecordAt(const LedgerReader& reader, uint32_t row) {
  return reader.state().PersonEventBodyAt<v1::HealthCheck>(kHealthChecks, row);
}

v1::CheckpointPassage PassageRecordAt(const LedgerReader& reader,
                                      uint32_t row) {
  return reader.state().PersonEventBodyAt<v1::CheckpointPassage>(kPassages,
                                                                 row);
}

}  // namespace internal
}  // namespace contactledger
