// ScopedLedger: a view of a Ledger bound to an area and an actor. See
// contactledger/scope.h.
//
// Every read first works out, under a LedgerReader, the cut it sees and the
// view's subtree at that cut (cached per cut: a cut never changes), checks
// the ids it was given, and pins the cut (sequence_limit) for the Ledger's
// own read that follows, so that both see the same state. The ledger's lock
// is never held across a call into the Ledger's public methods.

#include <algorithm>
#include <mutex>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "contactledger/scope.h"
#include "lib/core/validator.h"
#include "lib/index/tables.h"
#include "lib/query/contacts_walk.h"
#include "lib/query/tracer_filter.h"
#include "lib/scope/opaque_ids.h"
#include "lib/scope/scope_index.h"
#include "lib/scope/scoped_answers.h"
#include "lib/scope/write_check.h"
#include "lib/state/reader.h"

namespace contactledger {

using internal::kNoId;
using internal::LedgerReader;
using internal::NotInScope;
using internal::ScopeAt;

namespace {

// How often a write is checked again when other appends keep coming in
// between its check and its turn.
constexpr int kWriteAttempts = 64;

}  // namespace

// What a view holds, and the scope of a read.
class ScopeCore {
 public:
  ScopeCore(Ledger& ledger, std::string area_id, std::string actor)
      : ledger_(ledger),
        area_id_(std::move(area_id)),
        actor_(std::move(actor)),
        opaque_(std::make_shared<internal::OpaqueIds>()) {}

  // A read's view of the ledger: the cut, the scope at it, and the read
  // options that pin the cut. Holds the ledger's lock shared.
  struct Read {
    Read(const ScopeCore& impl, const ReadOptions& options)
        : reader(impl.ledger_),
          cut(reader.CutFor(options)),
          scope(impl.ScopeFor(reader, cut)),
          pinned(options) {
      pinned.sequence_limit = cut.sequence;
    }
    LedgerReader reader;
    internal::Cut cut;
    std::shared_ptr<const ScopeAt> scope;
    ReadOptions pinned;
  };

  // The read options pinned at `options`' cut, after checking that person
  // `id` is in scope there.
  absl::StatusOr<ReadOptions> PinForPerson(absl::string_view id,
                                           const ReadOptions& options) const {
    Read read(*this, options);
    if (!read.scope->HasPerson(read.reader, id)) {
      return NotInScope("person", id, area_id_);
    }
    return read.pinned;
  }
  absl::StatusOr<ReadOptions> PinForArea(absl::string_view id,
                                         const ReadOptions& options) const {
    Read read(*this, options);
    if (!read.scope->HasArea(read.reader, id)) {
      return NotInScope("area", id, area_id_);
    }
    return read.pinned;
  }

  std::shared_ptr<const ScopeAt> ScopeFor(const LedgerReader& reader,
                                          const internal::Cut& cut) const {
    {
      std::lock_guard<std::mutex> lock(cache_mu_);
      if (cache_ != nullptr && cache_->cut().sequence == cut.sequence) {
        return cache_;
      }
    }
    auto scope = std::make_shared<const ScopeAt>(
        ScopeAt::Compute(reader, reader.areas().keys.Find(area_id_), cut));
    std::lock_guard<std::mutex> lock(cache_mu_);
    cache_ = scope;
    return scope;
  }

  // An exposure as the view shows it: a partner outside the scope as an
  // opaque id, its own id (the caller's reference, often built from the
  // partners' ids or phones) as the view's opaque id of that id, and no
  // note. `read` is at the exposure's cut.
  void Mask(const Read& read, v1::Exposure* exposure) const {
    const bool a = read.scope->HasPerson(read.reader, exposure->person_a());
    const bool b = read.scope->HasPerson(read.reader, exposure->person_b());
    if (a && b) return;
    if (!a) exposure->set_person_a(opaque_->Person(exposure->person_a()));
    if (!b) exposure->set_person_b(opaque_->Person(exposure->person_b()));
    if (!exposure->id().empty()) {
      exposure->set_id(opaque_->Exposure(exposure->id()));
    }
    exposure->clear_note();
  }

  // Whether a recorded event is about the scope (see GetEvent in scope.h).
  // `target` is the retracted event, for a retraction.
  bool About(const Read& read, const v1::LedgerEvent& event,
             const v1::LedgerEvent* target) const {
    const ScopeAt& scope = *read.scope;
    const LedgerReader& r = read.reader;
    switch (event.body_case()) {
      case v1::LedgerEvent::kArea:
        return scope.HasArea(r, event.area().id());
      case v1::LedgerEvent::kHousehold:
        return scope.HasHousehold(r, event.household().id());
      case v1::LedgerEvent::kPerson:
        return scope.HasPerson(r, event.person().id());
      case v1::LedgerEvent::kExposure:
        return scope.HasPerson(r, event.exposure().person_a()) ||
               scope.HasPerson(r, event.exposure().person_b());
      case v1::LedgerEvent::kDiagnosis:
        return scope.HasPerson(r, event.diagnosis().person_id());
      case v1::LedgerEvent::kQuarantineAction:
        return scope.HasPerson(r, event.quarantine_action().person_id());
      case v1::LedgerEvent::kHealthCheck:
        return scope.HasPerson(r, event.health_check().person_id());
      case v1::LedgerEvent::kCheckpointPassage:
        return scope.HasPerson(r, event.checkpoint_passage().person_id());
      case v1::LedgerEvent::kRetraction:
        return target != nullptr && !target->has_retraction() &&
               About(read, *target, nullptr);
      case v1::LedgerEvent::BODY_NOT_SET:
        break;
    }
    return false;
  }

  Ledger& ledger_;
  const std::string area_id_;
  const std::string actor_;
  const std::shared_ptr<internal::OpaqueIds> opaque_;
  mutable std::mutex cache_mu_;
  mutable std::shared_ptr<const ScopeAt> cache_;  // guarded by cache_mu_
};

// The ScopedLedger that ScopedLedger::Create returns.
class ScopedView final : public ScopedLedger {
 public:
  explicit ScopedView(std::unique_ptr<ScopeCore> impl)
      : impl_(std::move(impl)) {}

  const std::string& area_id() const override { return impl_->area_id_; }
  const std::string& actor() const override { return impl_->actor_; }

  absl::TimeZone time_zone() const override {
    return impl_->ledger_.time_zone();
  }
  uint64_t last_sequence_number() const override {
    return impl_->ledger_.last_sequence_number();
  }
  absl::StatusOr<v1::LedgerEvent> GetEvent(
      uint64_t sequence_number, const ReadOptions& options) const override;
  absl::StatusOr<v1::Area> GetArea(absl::string_view area_id,
                                   const ReadOptions& options) const override;
  absl::StatusOr<v1::Household> GetHousehold(
      absl::string_view household_id,
      const ReadOptions& options) const override;
  absl::StatusOr<v1::Person> GetPerson(
      absl::string_view person_id, const ReadOptions& options) const override;
  std::vector<std::string> FindPersonsByNationalId(
      absl::string_view national_id, const ReadOptions& options) const override;
  absl::StatusOr<std::vector<std::string>> HouseholdMembers(
      absl::string_view household_id,
      const ReadOptions& options) const override;
  absl::StatusOr<std::vector<std::string>> ChildAreas(
      absl::string_view area_id, const ReadOptions& options) const override;
  absl::StatusOr<std::vector<std::string>> TopLevelAreas(
      const ReadOptions& options) const override;
  absl::StatusOr<std::vector<std::string>> AreaSubtree(
      absl::string_view area_id, const ReadOptions& options) const override;
  absl::StatusOr<std::vector<std::string>> PersonsInArea(
      absl::string_view area_id, const ReadOptions& options) const override;
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> ExposuresOf(
      absl::string_view person_id, absl::Time from, absl::Time to,
      const ReadOptions& options) const override;
  absl::StatusOr<std::vector<Recorded<v1::Diagnosis>>> DiagnosesOf(
      absl::string_view person_id, const ReadOptions& options) const override;
  absl::StatusOr<std::vector<Recorded<v1::QuarantineAction>>>
  QuarantineActionsOf(absl::string_view person_id,
                      const ReadOptions& options) const override;
  absl::StatusOr<std::vector<Recorded<v1::HealthCheck>>> HealthChecksOf(
      absl::string_view person_id, const ReadOptions& options) const override;
  absl::StatusOr<std::vector<Recorded<v1::CheckpointPassage>>> PassagesOf(
      absl::string_view person_id, const ReadOptions& options) const override;

 private:
  const internal::LedgerState& state() const override {
    return internal::ViewAccess::StateOf(impl_->ledger_);
  }
  absl::StatusOr<std::unique_ptr<Tracer>> NewTracer(
      const QueryOptions& options) const override;
  absl::StatusOr<std::vector<ContactAtDistance>> FindContacts(
      absl::string_view person_id, int hops, absl::Time from, absl::Time to,
      const ReadOptions& read) const override;
  absl::StatusOr<std::vector<AuditEntry>> FindAuditTrail(
      absl::string_view person_id, const ReadOptions& read) const override;
  absl::StatusOr<std::vector<uint64_t>> Record(
      absl::Span<const v1::LedgerEvent> events,
      const WriteOptions& write_options) override;

  std::unique_ptr<ScopeCore> impl_;
};

absl::StatusOr<std::unique_ptr<ScopedLedger>> ScopedLedger::Create(
    Ledger& ledger, absl::string_view area_id, absl::string_view actor) {
  if (actor.empty()) {
    return absl::InvalidArgumentError(
        "actor: a scoped view needs the name of who records through it");
  }
  if (actor.size() > internal::kMaxIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("actor: is ", actor.size(), " bytes, more than the ",
                     internal::kMaxIdBytes, " allowed"));
  }
  {
    LedgerReader reader(ledger);
    const uint32_t area = reader.areas().keys.Find(area_id);
    if (area == kNoId ||
        internal::EffectiveVersion(reader.areas(), reader.events(), area,
                                   reader.events().FullCut()) == kNoId) {
      return absl::NotFoundError(
          absl::StrCat("area_id: no area '", area_id, "' is recorded"));
    }
  }
  return std::make_unique<ScopedView>(std::make_unique<ScopeCore>(
      ledger, std::string(area_id), std::string(actor)));
}

ScopedLedger::~ScopedLedger() = default;

// ---------------------------------------------------------------------------
// Writes.

absl::StatusOr<uint64_t> ScopedLedger::Append(
    const v1::LedgerEvent& event, const WriteOptions& write_options) {
  absl::StatusOr<std::vector<uint64_t>> sequences =
      AppendBatch(absl::MakeConstSpan(&event, 1), write_options);
  if (!sequences.ok()) return sequences.status();
  return sequences->front();
}

absl::StatusOr<std::vector<uint64_t>> ScopedLedger::AppendBatch(
    absl::Span<const v1::LedgerEvent> events,
    const WriteOptions& write_options) {
  return Record(events, write_options);
}

absl::StatusOr<std::vector<uint64_t>> ScopedView::Record(
    absl::Span<const v1::LedgerEvent> events,
    const WriteOptions& write_options) {
  if (events.empty()) return std::vector<uint64_t>();
  std::vector<v1::LedgerEvent> stamped(events.begin(), events.end());
  for (v1::LedgerEvent& event : stamped) event.set_actor(impl_->actor_);
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    WriteOptions options = write_options;
    {
      LedgerReader reader(impl_->ledger_);
      internal::WriteCheck check(reader, impl_->area_id_, stamped);
      if (write_options.expected_last_sequence.has_value() &&
          *write_options.expected_last_sequence != check.recorded()) {
        return absl::AbortedError(absl::StrCat(
            "the ledger's last sequence number is ", check.recorded(),
            ", not the ", *write_options.expected_last_sequence,
            " expected; nothing recorded"));
      }
      if (absl::Status status = check.CheckAll(); !status.ok()) return status;
      options.expected_last_sequence = check.recorded();
    }
    absl::StatusOr<std::vector<uint64_t>> sequences =
        impl_->ledger_.AppendBatch(stamped, options);
    // Aborted: something was appended between the check and the batch's
    // turn. Check again against the new state (unless the caller pinned it).
    if (!absl::IsAborted(sequences.status()) ||
        write_options.expected_last_sequence.has_value()) {
      return sequences;
    }
  }
  return absl::AbortedError(
      absl::StrCat("other appends kept changing the ledger while this batch's "
                   "scope was checked (",
                   kWriteAttempts, " attempts); nothing recorded, try again"));
}

// ---------------------------------------------------------------------------
// Reads.

absl::StatusOr<v1::LedgerEvent> ScopedView::GetEvent(
    uint64_t sequence_number, const ReadOptions& options) const {
  ReadOptions pinned;
  {
    ScopeCore::Read read(*impl_, options);
    pinned = read.pinned;
  }
  const absl::Status not_about = absl::PermissionDeniedError(absl::StrCat(
      "event ", sequence_number, " is not about the scope of this view (area '",
      impl_->area_id_, "'), or is not recorded as of the read"));
  if (sequence_number == 0 || sequence_number > pinned.sequence_limit) {
    return not_about;
  }
  absl::StatusOr<v1::LedgerEvent> event =
      impl_->ledger_.GetEvent(sequence_number);
  if (!event.ok()) return event.status();  // DataLoss for a lost event
  std::optional<v1::LedgerEvent> target;
  if (event->has_retraction()) {
    absl::StatusOr<v1::LedgerEvent> retracted =
        impl_->ledger_.GetEvent(event->retraction().sequence_number());
    if (retracted.ok()) target = std::move(*retracted);
  }
  ScopeCore::Read read(*impl_, pinned);
  if (!impl_->About(read, *event, target ? &*target : nullptr)) {
    return not_about;
  }
  if (event->has_exposure()) impl_->Mask(read, event->mutable_exposure());
  // A retraction of an exposure with an outsider: its reason is free text
  // that may quote them, like the exposure's note.
  if (target.has_value() && target->has_exposure()) {
    v1::Exposure masked = target->exposure();
    impl_->Mask(read, &masked);
    if (masked.person_a() != target->exposure().person_a() ||
        masked.person_b() != target->exposure().person_b()) {
      event->mutable_retraction()->clear_reason();
    }
  }
  return event;
}

absl::StatusOr<v1::Area> ScopedView::GetArea(absl::string_view area_id,
                                             const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForArea(area_id, options);
  if (!pinned.ok()) return pinned.status();
  return impl_->ledger_.GetArea(area_id, *pinned);
}

absl::StatusOr<v1::Household> ScopedView::GetHousehold(
    absl::string_view household_id, const ReadOptions& options) const {
  ReadOptions pinned;
  {
    ScopeCore::Read read(*impl_, options);
    if (!read.scope->HasHousehold(read.reader, household_id)) {
      return NotInScope("household", household_id, impl_->area_id_);
    }
    pinned = read.pinned;
  }
  return impl_->ledger_.GetHousehold(household_id, pinned);
}

absl::StatusOr<v1::Person> ScopedView::GetPerson(
    absl::string_view person_id, const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForPerson(person_id, options);
  if (!pinned.ok()) return pinned.status();
  return impl_->ledger_.GetPerson(person_id, *pinned);
}

std::vector<std::string> ScopedView::FindPersonsByNationalId(
    absl::string_view national_id, const ReadOptions& options) const {
  ReadOptions pinned;
  {
    ScopeCore::Read read(*impl_, options);
    pinned = read.pinned;
  }
  std::vector<std::string> found =
      impl_->ledger_.FindPersonsByNationalId(national_id, pinned);
  ScopeCore::Read read(*impl_, pinned);
  found.erase(std::remove_if(found.begin(), found.end(),
                             [&](const std::string& id) {
                               return !read.scope->HasPerson(read.reader, id);
                             }),
              found.end());
  return found;
}

absl::StatusOr<std::vector<std::string>> ScopedView::HouseholdMembers(
    absl::string_view household_id, const ReadOptions& options) const {
  ReadOptions pinned;
  {
    ScopeCore::Read read(*impl_, options);
    if (!read.scope->HasHousehold(read.reader, household_id)) {
      return NotInScope("household", household_id, impl_->area_id_);
    }
    pinned = read.pinned;
  }
  absl::StatusOr<std::vector<std::string>> members =
      impl_->ledger_.HouseholdMembers(household_id, pinned);
  if (!members.ok()) return members;
  ScopeCore::Read read(*impl_, pinned);
  members->erase(std::remove_if(members->begin(), members->end(),
                                [&](const std::string& id) {
                                  return !read.scope->HasPerson(read.reader,
                                                                id);
                                }),
                 members->end());
  return members;
}

absl::StatusOr<std::vector<std::string>> ScopedView::ChildAreas(
    absl::string_view area_id, const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForArea(area_id, options);
  if (!pinned.ok()) return pinned.status();
  return impl_->ledger_.ChildAreas(area_id, *pinned);
}

// The scope's own area, the root of what the view shows (none when the
// read's cut does not show it yet).
absl::StatusOr<std::vector<std::string>> ScopedView::TopLevelAreas(
    const ReadOptions& options) const {
  absl::StatusOr<v1::Area> area = GetArea(impl_->area_id_, options);
  if (absl::IsNotFound(area.status()) ||
      absl::IsPermissionDenied(area.status())) {
    return std::vector<std::string>();
  }
  if (!area.ok()) return area.status();
  return std::vector<std::string>{impl_->area_id_};
}

absl::StatusOr<std::vector<std::string>> ScopedView::AreaSubtree(
    absl::string_view area_id, const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForArea(area_id, options);
  if (!pinned.ok()) return pinned.status();
  return impl_->ledger_.AreaSubtree(area_id, *pinned);
}

absl::StatusOr<std::vector<std::string>> ScopedView::PersonsInArea(
    absl::string_view area_id, const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForArea(area_id, options);
  if (!pinned.ok()) return pinned.status();
  // Everyone whose area is in a subtree inside the scope is in scope.
  return impl_->ledger_.PersonsInArea(area_id, *pinned);
}

absl::StatusOr<std::vector<Recorded<v1::Exposure>>> ScopedView::ExposuresOf(
    absl::string_view person_id, absl::Time from, absl::Time to,
    const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForPerson(person_id, options);
  if (!pinned.ok()) return pinned.status();
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
      impl_->ledger_.ExposuresOf(person_id, from, to, *pinned);
  if (!exposures.ok()) return exposures;
  ScopeCore::Read read(*impl_, *pinned);
  for (Recorded<v1::Exposure>& exposure : *exposures) {
    impl_->Mask(read, &exposure.body);
  }
  return exposures;
}

absl::StatusOr<std::vector<Recorded<v1::Diagnosis>>> ScopedView::DiagnosesOf(
    absl::string_view person_id, const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForPerson(person_id, options);
  if (!pinned.ok()) return pinned.status();
  return impl_->ledger_.DiagnosesOf(person_id, *pinned);
}

absl::StatusOr<std::vector<Recorded<v1::QuarantineAction>>>
ScopedView::QuarantineActionsOf(absl::string_view person_id,
                                const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForPerson(person_id, options);
  if (!pinned.ok()) return pinned.status();
  return impl_->ledger_.QuarantineActionsOf(person_id, *pinned);
}

absl::StatusOr<std::vector<Recorded<v1::HealthCheck>>>
ScopedView::HealthChecksOf(absl::string_view person_id,
                           const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForPerson(person_id, options);
  if (!pinned.ok()) return pinned.status();
  return impl_->ledger_.HealthChecksOf(person_id, *pinned);
}

absl::StatusOr<std::vector<Recorded<v1::CheckpointPassage>>>
ScopedView::PassagesOf(absl::string_view person_id,
                       const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForPerson(person_id, options);
  if (!pinned.ok()) return pinned.status();
  return impl_->ledger_.PassagesOf(person_id, *pinned);
}

absl::StatusOr<std::vector<AuditEntry>> ScopedView::FindAuditTrail(
    absl::string_view person_id, const ReadOptions& options) const {
  absl::StatusOr<ReadOptions> pinned = impl_->PinForPerson(person_id, options);
  if (!pinned.ok()) return pinned.status();
  return contactledger::AuditTrail(impl_->ledger_, person_id, *pinned);
}

// The walk goes on only from persons in scope, under the one read (its lock
// held once): an outsider is listed by opaque id, but whom they met is not
// the scope's to learn.
absl::StatusOr<std::vector<ContactAtDistance>> ScopedView::FindContacts(
    absl::string_view person_id, int hops, absl::Time from, absl::Time to,
    const ReadOptions& options) const {
  ScopeCore::Read read(*impl_, options);
  const ScopeAt& scope = *read.scope;
  if (!scope.HasPerson(read.reader, person_id)) {
    return NotInScope("person", person_id, impl_->area_id_);
  }
  absl::StatusOr<std::vector<ContactAtDistance>> contacts =
      internal::WalkContacts(read.reader, read.cut, person_id, hops, from, to,
                             [&](uint32_t person) {
                               return scope.HasPerson(read.reader, person);
                             });
  if (!contacts.ok()) return contacts;
  for (ContactAtDistance& contact : *contacts) {
    if (!scope.HasPerson(read.reader, contact.person_id)) {
      contact.person_id = impl_->opaque_->Person(contact.person_id);
    }
  }
  std::sort(contacts->begin(), contacts->end(),
            [](const ContactAtDistance& a, const ContactAtDistance& b) {
              return std::tie(a.hops, a.person_id) <
                     std::tie(b.hops, b.person_id);
            });
  return contacts;
}

absl::StatusOr<std::unique_ptr<Tracer>> ScopedView::NewTracer(
    const QueryOptions& options) const {
  QueryOptions inner_options = options;
  {
    ScopeCore::Read read(*impl_, options.read);
    inner_options.read = read.pinned;
  }
  absl::StatusOr<std::unique_ptr<Tracer>> inner =
      Tracer::Create(impl_->ledger_, inner_options);
  if (!inner.ok()) return inner.status();
  // The inner Tracer's options (the policy filled in), with the caller's read.
  QueryOptions outer_options = (*inner)->options();
  outer_options.read = options.read;
  internal::ViewContext view;
  view.ledger = &impl_->ledger_;
  view.area_id = impl_->area_id_;
  view.opaque = impl_->opaque_;
  return internal::TracerAccess::Filtered(
      impl_->ledger_, outer_options,
      internal::NewScopedAnswers(view, std::move(*inner), inner_options.read));
}

}  // namespace contactledger
