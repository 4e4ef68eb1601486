// Copyright 2026 The ContactLedger Authors.
//
// The county drill's event builders (events.h).

#include "county_drill/events.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/v1/ledger.pb.h"
#include "county_drill/county_time.h"

namespace county_drill {

namespace v1 = ::contactledger::v1;

v1::LedgerEvent PersonEvent(const v1::Person& person) {
  v1::LedgerEvent event;
  *event.mutable_person() = person;
  return event;
}

v1::LedgerEvent ExposureEvent(absl::string_view a, absl::string_view b,
                              absl::Time start, absl::Time end,
                              v1::ExposureSetting setting,
                              absl::string_view note) {
  v1::LedgerEvent event;
  v1::Exposure* exposure = event.mutable_exposure();
  exposure->set_person_a(std::string(a));
  exposure->set_person_b(std::string(b));
  SetTime(start, exposure->mutable_start());
  SetTime(end, exposure->mutable_end());
  exposure->set_setting(setting);
  exposure->set_note(std::string(note));
  return event;
}

v1::LedgerEvent DiagnosisEvent(absl::string_view person_id,
                               v1::DiagnosisStatus status, absl::Time time,
                               std::optional<absl::CivilDay> onset) {
  v1::LedgerEvent event;
  v1::Diagnosis* diagnosis = event.mutable_diagnosis();
  diagnosis->set_person_id(std::string(person_id));
  diagnosis->set_status(status);
  SetTime(time, diagnosis->mutable_time());
  if (onset.has_value()) *diagnosis->mutable_onset() = ToDate(*onset);
  return event;
}

v1::LedgerEvent StayStartEvent(absl::string_view person_id,
                               v1::QuarantinePlace place, absl::Time time) {
  v1::LedgerEvent event;
  v1::QuarantineAction* action = event.mutable_quarantine_action();
  action->set_person_id(std::string(person_id));
  action->set_action(v1::QUARANTINE_ACTION_KIND_START);
  action->set_place(place);
  SetTime(time, action->mutable_time());
  return event;
}

v1::LedgerEvent StayEndEvent(absl::string_view person_id, absl::Time time) {
  v1::LedgerEvent event;
  v1::QuarantineAction* action = event.mutable_quarantine_action();
  action->set_person_id(std::string(person_id));
  action->set_action(v1::QUARANTINE_ACTION_KIND_END);
  SetTime(time, action->mutable_time());
  return event;
}

v1::LedgerEvent CheckEvent(absl::string_view person_id, absl::Time time,
                           double temperature,
                           const std::vector<std::string>& symptoms,
                           absl::string_view checked_by) {
  v1::LedgerEvent event;
  v1::HealthCheck* check = event.mutable_health_check();
  check->set_person_id(std::string(person_id));
  SetTime(time, check->mutable_time());
  check->set_temperature_celsius(temperature);
  for (const std::string& s : symptoms) check->add_symptoms(s);
  check->set_checked_by(std::string(checked_by));
  return event;
}

v1::LedgerEvent PassageEvent(absl::string_view person_id,
                             absl::string_view checkpoint, absl::Time time,
                             v1::PassageDirection direction) {
  v1::LedgerEvent event;
  v1::CheckpointPassage* passage = event.mutable_checkpoint_passage();
  passage->set_person_id(std::string(person_id));
  passage->set_checkpoint_id(std::string(checkpoint));
  SetTime(time, passage->mutable_time());
  passage->set_direction(direction);
  return event;
}

void AddTag(v1::Person* person, absl::string_view tag) {
  if (HasTag(*person, tag)) return;
  person->add_tags(std::string(tag));
}

bool HasTag(const v1::Person& person, absl::string_view tag) {
  for (const std::string& t : person.tags()) {
    if (t == tag) return true;
  }
  return false;
}

}  // namespace county_drill
