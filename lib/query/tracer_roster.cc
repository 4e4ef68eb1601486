// Copyright 2026 The ContactLedger Authors.
//
// Tracer::Roster() and Tracer::MayPass(): who must be quarantined, where and
// until when (docs/rules.md section 7), and whether a person may pass a
// checkpoint now.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/tracing.h"
#include "lib/query/id_order.h"
#include "lib/query/tracer_state.h"
#include "lib/query/tracing_engine.h"
#include "lib/state/reader.h"

namespace contactledger {

using internal::kNoId;
using internal::LedgerReader;
using internal::TracingContext;
using internal::TracingResult;

namespace {

// Sets every field of *entry to the person's roster entry (reusing the
// strings' memory).
void FillEntry(const TracingContext& c, const TracingResult& result,
               uint32_t person, RosterEntry* entry) {
  const auto& keys = c.reader.persons().keys;
  const absl::string_view id = keys.Key(person);
  entry->person_id.assign(id.data(), id.size());
  if (auto it = result.cases.find(person); it != result.cases.end()) {
    entry->role = Role::kCase;
    entry->source.clear();
    entry->last_exposure = absl::InfinitePast();
    entry->until.reset();
    entry->continuous = false;
    entry->place = v1::QUARANTINE_PLACE_HOSPITAL;
    entry->required_since = absl::FromUnixSeconds(it->second.diagnosis_time);
    return;
  }
  const internal::ContactInfo& contact = result.contacts.at(person);
  entry->role = contact.role;
  const absl::string_view source = keys.Key(contact.source);
  entry->source.assign(source.data(), source.size());
  entry->last_exposure = absl::FromUnixSeconds(contact.last);
  if (contact.until_day) {
    entry->until = internal::CivilDayFromNumber(*contact.until_day);
  } else {
    entry->until.reset();
  }
  entry->continuous = contact.continuous;
  entry->place = contact.place;
  entry->required_since = absl::FromUnixSeconds(contact.required_since);
}

// Why a contact in the roster may not pass `checkpoint_id`.
std::string ContactMustStay(const LedgerReader& reader,
                            const internal::ContactInfo& contact,
                            absl::string_view checkpoint_id) {
  return absl::StrCat(
      RoleName(contact.role), " of ", reader.persons().keys.Key(contact.source),
      contact.continuous
          ? std::string(", exposure continuing")
          : absl::StrCat(" until ",
                         absl::FormatCivilTime(
                             internal::CivilDayFromNumber(*contact.until_day))),
      ": must be at ", internal::TracerPlaceName(contact.place),
      " (checkpoint ", checkpoint_id, ")");
}

// Whether some event visible in c.cut names `person`: a Person version, an
// exposure on either side, or a diagnosis, quarantine action, health check
// or passage.
bool NamedInCut(const TracingContext& c, uint32_t person) {
  const internal::PersonTable& persons = c.reader.persons();
  const internal::EventIndex& events = c.reader.events();
  if (EffectiveVersion(persons, events, person, c.cut) != kNoId) return true;
  if (c.reader.exposures().AnyRowOf(person, [&](uint32_t row) {
        return events.Visible(internal::EventKind::kExposure, row, c.cut);
      })) {
    return true;
  }
  static constexpr internal::EventKind kListKinds[internal::kPersonLists] = {
      internal::EventKind::kDiagnosis, internal::EventKind::kQuarantineAction,
      internal::EventKind::kHealthCheck,
      internal::EventKind::kCheckpointPassage};
  for (int list = 0; list < internal::kPersonLists; ++list) {
    const internal::PersonEventTable& table =
        c.reader.person_events(static_cast<internal::PersonList>(list));
    for (uint32_t row = persons.ListHead(list, person); row != kNoId;
         row = table.next[row]) {
      if (events.Visible(kListKinds[list], row, c.cut)) return true;
    }
  }
  return false;
}

PassDecision Refused(std::string reason) {
  PassDecision decision;
  decision.allowed = false;
  decision.verdict = PassVerdict::kRefused;
  decision.reason = std::move(reason);
  return decision;
}

}  // namespace

std::vector<RosterEntry> Tracer::Roster() const {
  std::vector<RosterEntry> roster;
  Roster(&roster);
  return roster;
}

void Tracer::Roster(std::vector<RosterEntry>* out) const {
  if (state_->filter != nullptr) {
    *out = state_->filter->Roster();
    return;
  }
  LedgerReader reader(*state_->ledger);
  const TracingContext c = state_->Context(reader);
  // Sort the persons by id first, then fill each entry once, in order.
  internal::PooledVector<std::pair<int, uint32_t>> persons;
  persons.reserve(state_->result.roster.size());
  for (uint32_t person : state_->result.roster) persons.emplace_back(0, person);
  out->resize(persons.size());
  RosterEntry* entry = out->data();
  for (const internal::IdOrderEntry& e :
       internal::OrderById(reader.persons().keys, persons)) {
    FillEntry(c, state_->result, e.person, entry++);
  }
}

absl::StatusOr<PassDecision> Tracer::MayPass(
    absl::string_view person_id, absl::string_view checkpoint_id) const {
  if (state_->filter != nullptr) {
    return state_->filter->MayPass(person_id, checkpoint_id);
  }
  if (checkpoint_id.empty()) {
    return absl::InvalidArgumentError("checkpoint_id: is required and empty");
  }
  LedgerReader reader(*state_->ledger);
  const TracingContext c = state_->Context(reader);
  const uint32_t person = reader.persons().keys.Find(person_id);
  if (person == kNoId || !NamedInCut(c, person)) {
    PassDecision decision;
    decision.allowed = false;
    decision.verdict = PassVerdict::kUnknownPerson;
    decision.reason = absl::StrCat(
        "person '", person_id,
        "' is not in the ledger (no registration and no event names them "
        "in the record the query sees); ids are matched exactly, case and "
        "spaces included: check the id, or find out who this is before "
        "letting them pass");
    return decision;
  }
  const internal::Stays stays = internal::StaysOf(c, person);
  if (const internal::Stay* open = internal::OpenStayAt(stays, c.at)) {
    return Refused(absl::StrCat(
        "in a ", internal::TracerPlaceName(open->place), " stay since ",
        internal::FormatInstant(open->start, reader.time_zone())));
  }
  const TracingResult& result = state_->result;
  if (auto it = result.cases.find(person);
      it != result.cases.end() && it->second.active) {
    return Refused(absl::StrCat("active ",
                                internal::TracerStatusName(it->second.status),
                                " case: must be in hospital"));
  }
  if (auto it = result.contacts.find(person);
      it != result.contacts.end() && it->second.in_roster) {
    return Refused(ContactMustStay(reader, it->second, checkpoint_id));
  }
  PassDecision decision;
  decision.reason = "no open stay and not in the roster";
  return decision;
}

}  // namespace contactledger
