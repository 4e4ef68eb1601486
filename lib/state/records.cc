// LedgerState's decoding: rows of the columns back into the records they
// came from, and the event of a sequence number.

#include <algorithm>
#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/state/ledger_state.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace internal {

namespace {

// Parses `bytes` into `message`; the bytes were written by this process.
template <typename Message>
Message Parse(absl::string_view bytes) {
  Message message;
  message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  return message;
}

}  // namespace

v1::Retraction LedgerState::RetractionAt(uint64_t row) const {
  return Parse<v1::Retraction>(retraction_blobs_.Get(retraction_blob_[row]));
}

v1::Area LedgerState::AreaBodyAt(uint32_t row) const {
  return Parse<v1::Area>(areas_.blobs.Get(areas_.v_blob[row]));
}

v1::Household LedgerState::HouseholdBodyAt(uint32_t row) const {
  return Parse<v1::Household>(households_.blobs.Get(households_.v_blob[row]));
}

template <typename Body>
Body LedgerState::PersonEventBodyAt(PersonList list, uint32_t row) const {
  const PersonEventTable& t = person_events_[list];
  return Parse<Body>(t.blobs.Get(t.blob[row]));
}

v1::Area LedgerState::AreaAt(uint32_t row) const {
  v1::Area area = AreaBodyAt(row);
  area.set_id(std::string(areas_.keys.Key(areas_.v_entity[row])));
  if (areas_.v_parent[row] != kNoId) {
    area.set_parent_id(std::string(areas_.keys.Key(areas_.v_parent[row])));
  }
  return area;
}

v1::Household LedgerState::HouseholdAt(uint32_t row) const {
  const HouseholdTable& t = households_;
  v1::Household household = HouseholdBodyAt(row);
  household.set_id(std::string(t.keys.Key(t.v_entity[row])));
  household.set_area_id(std::string(areas_.keys.Key(t.v_area[row])));
  return household;
}

v1::Person LedgerState::PersonAt(uint32_t row) const {
  const PersonTable& t = persons_;
  v1::Person person = Parse<v1::Person>(t.blobs.Get(t.v_blob[row]));
  person.set_id(std::string(t.keys.Key(t.v_entity[row])));
  if (t.v_household[row] != kNoId) {
    person.set_household_id(
        std::string(households_.keys.Key(t.v_household[row])));
  }
  if (t.v_national_id[row] != kNoId) {
    person.set_national_id(
        std::string(t.national_ids.Key(t.v_national_id[row])));
  }
  return person;
}

v1::Exposure LedgerState::ExposureAt(uint32_t row) const {
  const ExposureTable& t = exposures_;
  v1::Exposure exposure;
  if (auto it = t.extra.find(row); it != t.extra.end()) {
    exposure = Parse<v1::Exposure>(t.blobs.Get(it->second));
  }
  exposure.set_person_a(std::string(persons_.keys.Key(t.rows[row].person_a)));
  exposure.set_person_b(std::string(persons_.keys.Key(t.rows[row].person_b)));
  SetTimestampSeconds(t.start(row), exposure.mutable_start());
  SetTimestampSeconds(t.end(row), exposure.mutable_end());
  exposure.set_setting(static_cast<v1::ExposureSetting>(t.setting[row]));
  return exposure;
}

template <typename Body>
Body LedgerState::PersonEventAt(PersonList list, uint32_t row) const {
  Body body = PersonEventBodyAt<Body>(list, row);
  body.set_person_id(
      std::string(persons_.keys.Key(person_events_[list].person[row])));
  return body;
}

absl::StatusOr<v1::LedgerEvent> LedgerState::EventAt(uint64_t sequence) const {
  if (sequence == 0 || sequence > events_.last_sequence()) {
    return absl::NotFoundError(absl::StrCat("no event ", sequence,
                                            " (the ledger's last is ",
                                            events_.last_sequence(), ")"));
  }
  v1::LedgerEvent event;
  event.set_sequence_number(sequence);
  SetTimestamp(events_.RecordTimeOf(sequence), event.mutable_record_time());
  event.set_actor(std::string(events_.ActorOf(sequence)));
  if (v1::ImportSource source; events_.ImportAt(sequence, &source)) {
    *event.mutable_import_source() = std::move(source);
  }
  const uint64_t row64 = events_.RowOf(sequence);
  const uint32_t row = static_cast<uint32_t>(row64);
  switch (events_.KindOf(sequence)) {
    case EventKind::kArea:
      *event.mutable_area() = AreaAt(row);
      break;
    case EventKind::kHousehold:
      *event.mutable_household() = HouseholdAt(row);
      break;
    case EventKind::kPerson:
      *event.mutable_person() = PersonAt(row);
      break;
    case EventKind::kExposure:
      *event.mutable_exposure() = ExposureAt(row);
      break;
    case EventKind::kDiagnosis:
      *event.mutable_diagnosis() =
          PersonEventAt<v1::Diagnosis>(kDiagnoses, row);
      break;
    case EventKind::kQuarantineAction:
      *event.mutable_quarantine_action() =
          PersonEventAt<v1::QuarantineAction>(kQuarantineActions, row);
      break;
    case EventKind::kHealthCheck:
      *event.mutable_health_check() =
          PersonEventAt<v1::HealthCheck>(kHealthChecks, row);
      break;
    case EventKind::kCheckpointPassage:
      *event.mutable_checkpoint_passage() =
          PersonEventAt<v1::CheckpointPassage>(kPassages, row);
      break;
    case EventKind::kRetraction:
      *event.mutable_retraction() = RetractionAt(row64);
      break;
    case EventKind::kLost:
      return absl::DataLossError(absl::StrCat(
          "event ", sequence, " was lost to log damage skipped on recovery"));
  }
  return event;
}

template v1::HealthCheck LedgerState::PersonEventBodyAt<v1::HealthCheck>(
    PersonList, uint32_t) const;
template v1::CheckpointPassage
    LedgerState::PersonEventBodyAt<v1::CheckpointPassage>(PersonList,
                                                          uint32_t) const;
template v1::Diagnosis LedgerState::PersonEventAt<v1::Diagnosis>(
    PersonList, uint32_t) const;
template v1::QuarantineAction LedgerState::PersonEventAt<v1::QuarantineAction>(
    PersonList, uint32_t) const;
template v1::HealthCheck LedgerState::PersonEventAt<v1::HealthCheck>(
    PersonList, uint32_t) const;
template v1::CheckpointPassage
    LedgerState::PersonEventAt<v1::CheckpointPassage>(PersonList,
                                                      uint32_t) const;

}  // namespace internal
}  // namespace contactledger
