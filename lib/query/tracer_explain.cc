// Copyright 2026 The ContactLedger Authors.
//
// Tracer::Explain(): why a person is, or is not, in the roster. The answer
// has one part per kind of person: an index case (its status and infectious
// window, docs/rules.md sections 3-4), a contact (its sources, sections 5-6,
// then its quarantine, section 7), or neither.

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/policy.pb.h"
#include "lib/query/tracer_state.h"
#include "lib/query/tracing_engine.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace {

using internal::CivilDayFromNumber;
using internal::ContactInfo;
using internal::FormatInstant;
using internal::kForever;
using internal::LedgerReader;

// An index case: its latest status, diagnosis and onset, its infectious
// window, and where it must be while active.
void ExplainCase(const internal::CaseInfo& info, const absl::TimeZone& zone,
                 Explanation* e) {
  e->role = Role::kCase;
  e->in_roster = info.active;
  e->notes.push_back(absl::StrCat(
      info.active ? "active" : "inactive", " index case: latest status ",
      internal::TracerStatusName(info.status), "; diagnosed ",
      FormatInstant(info.diagnosis_time, zone), "; onset ",
      FormatInstant(info.onset, zone)));
  e->notes.push_back(
      absl::StrCat("infectious window [", FormatInstant(info.ws, zone), ", ",
                   info.we == kForever ? std::string("not removed")
                                       : FormatInstant(info.we, zone),
                   ")"));
  if (info.active) e->notes.push_back("required place: hospital");
}

// The contact's sources with their exposures' sequence numbers, sorted by
// person id, then rule.
std::vector<Explanation::Source> SourcesOf(const LedgerReader& reader,
                                           const ContactInfo& contact) {
  std::vector<Explanation::Source> sources;
  for (const internal::Source& s : contact.sources) {
    Explanation::Source source;
    source.person_id = std::string(reader.persons().keys.Key(s.from));
    source.rule = internal::SourceRuleName(s.rule);
    for (uint32_t row : s.exposure_rows) {
      source.exposures.push_back(
          reader.events().SequenceOf(internal::EventKind::kExposure, row));
    }
    source.first = absl::FromUnixSeconds(s.first);
    source.last_exposure = absl::FromUnixSeconds(s.last);
    source.overlap = absl::Seconds(s.overlap);
    source.continuous = s.continuous;
    sources.push_back(std::move(source));
  }
  std::sort(sources.begin(), sources.end(),
            [](const Explanation::Source& a, const Explanation::Source& b) {
              return std::tie(a.person_id, a.rule) <
                     std::tie(b.person_id, b.rule);
            });
  return sources;
}

// The contact's quarantine: continuous while the source stays in the
// community, or the policy's phases counted from the day of the last
// exposure, with the day it ends.
void ExplainQuarantine(const LedgerReader& reader, const ContactInfo& contact,
                       const v1::Policy& policy, Explanation* e) {
  const absl::TimeZone& zone = reader.time_zone();
  if (contact.continuous) {
    e->notes.push_back(absl::StrCat("continuous: exposed while ",
                                    reader.persons().keys.Key(contact.source),
                                    " stays in the community; first phase: ",
                                    internal::TracerPlaceName(contact.place)));
    return;
  }
  const auto& phases = contact.role == Role::kCloseContact
                           ? policy.close_contact_phases()
                           : policy.secondary_contact_phases();
  e->until = CivilDayFromNumber(*contact.until_day);
  const int64_t day0 = internal::DayOf(contact.last, zone);
  int64_t end = 0;
  for (int i = 0; i < phases.size(); ++i) {
    const int64_t first = i == 0 ? day0 : day0 + end + 1;
    end += phases.Get(i).days();
    e->phases.push_back(Explanation::Phase{phases.Get(i).place(),
                                           CivilDayFromNumber(first),
                                           CivilDayFromNumber(day0 + end)});
  }
  if (!contact.in_roster) {
    e->notes.push_back(
        absl::StrCat("quarantine ended on ", absl::FormatCivilTime(*e->until)));
  }
}

// A close or secondary contact: its sources, its quarantine, and since when
// it has been required.
void ExplainContact(const LedgerReader& reader, const ContactInfo& contact,
                    const v1::Policy& policy, Explanation* e) {
  e->role = contact.role;
  e->in_roster = contact.in_roster;
  e->sources = SourcesOf(reader, contact);
  ExplainQuarantine(reader, contact, policy, e);
  e->notes.push_back(
      absl::StrCat("required since ",
                   FormatInstant(contact.required_since, reader.time_zone())));
}

}  // namespace

absl::StatusOr<Explanation> Tracer::Explain(absl::string_view person_id) const {
  if (state_->filter != nullptr) return state_->filter->Explain(person_id);
  LedgerReader reader(*state_->ledger);
  const uint32_t person = reader.persons().keys.Find(person_id);
  if (person == internal::kNoId) {
    return absl::NotFoundError(
        absl::StrCat("person '", person_id, "' never occurs in the ledger"));
  }
  const internal::TracingResult& result = state_->result;
  Explanation e;
  e.person_id = std::string(person_id);
  auto case_it = result.cases.find(person);
  auto contact_it = result.contacts.find(person);
  if (case_it != result.cases.end()) {
    ExplainCase(case_it->second, reader.time_zone(), &e);
  } else if (contact_it != result.contacts.end()) {
    ExplainContact(reader, contact_it->second, state_->policy(), &e);
  } else {
    e.notes.push_back(absl::StrCat(
        "not an index case and no qualifying exposure to an index case as of ",
        FormatInstant(state_->at, reader.time_zone())));
  }
  return e;
}

}  // namespace contactledger
