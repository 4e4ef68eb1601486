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
  PassDecision decision;
  const uint32_t person = reader.persons().keys.Find(person_id);
  if (person == kNoId) {
    decision.reason = absl::StrCat("person '", person_id,
                                   "' is not in the ledger: no stay and not "
                                   "in the roster");
    return decision;
  }
  const internal::Stays stays = internal::StaysOf(c, person);
  if (const internal::Stay* open = internal::OpenStayAt(stays, c.at)) {
    decision.allowed = false;
    decision.reason = absl::StrCat(
        "in a ", internal::TracerPlaceName(open->place), " stay since ",
        internal::FormatInstant(open->start, reader.time_zone()));
    return decision;
  }
  const TracingResult& result = state_->result;
  if (auto it = result.cases.find(person);
      it != result.cases.end() && it->second.active) {
    decision.allowed = false;
    decision.reason =
        absl::StrCat("active ", internal::TracerStatusName(it->second.status),
                     " case: must be in hospital");
    return decision;
  }
  if (auto it = result.contacts.find(person);
      it != result.contacts.end() && it->second.in_roster) {
    decision.allowed = false;
    decision.reason = ContactMustStay(reader, it->second, checkpoint_id);
    return decision;
  }
  decision.reason = "no open stay and not in the roster";
  return decision;
}

}  // namespace contactledger
