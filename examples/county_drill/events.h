// Copyright 2026 The ContactLedger Authors.
//
// The ledger events the county drill records, built from plain values: a
// person's record, an exposure, a diagnosis, the start and end of a stay, a
// health check and a checkpoint passage; and the tags of a person record.
// The actor is set when the event is recorded (Story::Add).

#ifndef EXAMPLES_COUNTY_DRILL_EVENTS_H_
#define EXAMPLES_COUNTY_DRILL_EVENTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/v1/ledger.pb.h"

namespace county_drill {

contactledger::v1::LedgerEvent PersonEvent(
    const contactledger::v1::Person& person);

contactledger::v1::LedgerEvent ExposureEvent(
    absl::string_view a, absl::string_view b, absl::Time start, absl::Time end,
    contactledger::v1::ExposureSetting setting, absl::string_view note);

// `onset`: the first day of symptoms, when known.
contactledger::v1::LedgerEvent DiagnosisEvent(
    absl::string_view person_id, contactledger::v1::DiagnosisStatus status,
    absl::Time time, std::optional<absl::CivilDay> onset = {});

contactledger::v1::LedgerEvent StayStartEvent(
    absl::string_view person_id, contactledger::v1::QuarantinePlace place,
    absl::Time time);

contactledger::v1::LedgerEvent StayEndEvent(absl::string_view person_id,
                                            absl::Time time);

contactledger::v1::LedgerEvent CheckEvent(
    absl::string_view person_id, absl::Time time, double temperature,
    const std::vector<std::string>& symptoms, absl::string_view checked_by);

contactledger::v1::LedgerEvent PassageEvent(
    absl::string_view person_id, absl::string_view checkpoint, absl::Time time,
    contactledger::v1::PassageDirection direction);

// Adds `tag` to `person` unless it is there already.
void AddTag(contactledger::v1::Person* person, absl::string_view tag);
bool HasTag(const contactledger::v1::Person& person, absl::string_view tag);

}  // namespace county_drill

#endif  // EXAMPLES_COUNTY_DRILL_EVENTS_H_
