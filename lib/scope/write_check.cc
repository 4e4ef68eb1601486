// WriteCheck: the scope rules for writes through a view. See write_check.h
// and contactledger/scope.h ("What a write may touch").

#include "lib/scope/write_check.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lib/core/validator.h"
#include "lib/index/tables.h"

namespace contactledger {
namespace internal {

namespace {

// The id an error message shows for an event (as the ledger's validator).
std::string BodyIdOf(const v1::LedgerEvent& event) {
  switch (event.body_case()) {
    case v1::LedgerEvent::kArea:
      return event.area().id();
    case v1::LedgerEvent::kHousehold:
      return event.household().id();
    case v1::LedgerEvent::kPerson:
      return event.person().id();
    case v1::LedgerEvent::kExposure:
      return event.exposure().id();
    case v1::LedgerEvent::kDiagnosis:
      return event.diagnosis().person_id();
    case v1::LedgerEvent::kQuarantineAction:
      return event.quarantine_action().person_id();
    case v1::LedgerEvent::kHealthCheck:
      return event.health_check().person_id();
    case v1::LedgerEvent::kCheckpointPassage:
      return event.checkpoint_passage().person_id();
    default:
      return "";
  }
}

// The person of a person-keyed event body, or "".
const std::string& PersonOf(const v1::LedgerEvent& event) {
  switch (event.body_case()) {
    case v1::LedgerEvent::kDiagnosis:
      return event.diagnosis().person_id();
    case v1::LedgerEvent::kQuarantineAction:
      return event.quarantine_action().person_id();
    case v1::LedgerEvent::kHealthCheck:
      return event.health_check().person_id();
    case v1::LedgerEvent::kCheckpointPassage:
      return event.checkpoint_passage().person_id();
    default:
      return v1::LedgerEvent::default_instance().actor();  // ""
  }
}

PersonList ListOf(EventKind kind) {
  switch (kind) {
    case EventKind::kDiagnosis:
      return kDiagnoses;
    case EventKind::kQuarantineAction:
      return kQuarantineActions;
    case EventKind::kHealthCheck:
      return kHealthChecks;
    default:
      return kPassages;
  }
}

}  // namespace

WriteCheck::WriteCheck(const LedgerReader& reader, absl::string_view root,
                       absl::Span<const v1::LedgerEvent> batch)
    : reader_(reader),
      now_(reader.events().FullCut()),
      recorded_(reader.events().last_sequence()),
      root_(root),
      batch_(batch) {}

absl::Status WriteCheck::CheckAll() {
  for (size_t i = 0; i < batch_.size(); ++i) {
    if (absl::Status status = Check(i); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status WriteCheck::Denied(size_t index, absl::string_view field,
                                absl::string_view reason) const {
  const v1::LedgerEvent& event = batch_[index];
  const std::string id = BodyIdOf(event);
  return absl::PermissionDeniedError(absl::StrCat(
      "event ", index + 1, " of ", batch_.size(), " (", BodyName(event),
      id.empty() ? "" : absl::StrCat(" '", id, "'"), "): ", field, ": ", reason,
      "; nothing recorded"));
}

std::optional<std::string> WriteCheck::TablePlacement(
    Entity entity, absl::string_view id) const {
  const EventIndex& events = reader_.events();
  // The newest version visible now and not retracted by the batch.
  auto newest = [&](const auto& table) -> uint32_t {
    const uint32_t dense = table.keys.Find(id);
    if (dense == kNoId) return kNoId;
    using Table = std::decay_t<decltype(table)>;
    uint32_t row = table.latest[dense];
    while (row != kNoId &&
           (!events.Visible(Table::kKind, row, now_) ||
            retracted_.contains(events.SequenceOf(Table::kKind, row)))) {
      row = table.v_prev[row];
    }
    return row;
  };
  switch (entity) {
    case kAreaEntity: {
      const AreaTable& areas = reader_.areas();
      const uint32_t row = newest(areas);
      if (row == kNoId) return std::nullopt;
      const uint32_t parent = areas.v_parent[row];
      return parent == kNoId ? std::string()
                             : std::string(areas.keys.Key(parent));
    }
    case kHouseholdEntity: {
      const HouseholdTable& households = reader_.households();
      const uint32_t row = newest(households);
      if (row == kNoId) return std::nullopt;
      return std::string(reader_.areas().keys.Key(households.v_area[row]));
    }
    case kPersonEntity: {
      const PersonTable& persons = reader_.persons();
      const uint32_t row = newest(persons);
      if (row == kNoId) return std::nullopt;
      const uint32_t area = persons.v_area[row];
      if (area != kNoId) return std::string(reader_.areas().keys.Key(area));
      const uint32_t household = persons.v_household[row];
      if (household == kNoId) return std::string();
      // In the household's area as the batch so far leaves it.
      return Placement(kHouseholdEntity,
                       reader_.households().keys.Key(household))
          .value_or("");
    }
  }
  return std::nullopt;
}

std::optional<std::string> WriteCheck::Placement(Entity entity,
                                                 absl::string_view id) const {
  auto it = versions_[entity].find(id);
  if (it != versions_[entity].end() && !it->second.empty()) {
    const BatchVersion& newest = it->second.back();
    if (!newest.via_household) return newest.placement;
    return Placement(kHouseholdEntity, newest.placement).value_or("");
  }
  return TablePlacement(entity, id);
}

bool WriteCheck::AreaInScope(absl::string_view id) const {
  if (id.empty() || !Placement(kAreaEntity, root_).has_value()) return false;
  std::string current(id);
  // The tree has four levels; the bound only guards against a damaged one.
  for (int depth = 0; depth < 16; ++depth) {
    if (current == root_) return true;
    std::optional<std::string> parent = Placement(kAreaEntity, current);
    if (!parent.has_value() || parent->empty()) return false;
    current = std::move(*parent);
  }
  return false;
}

bool WriteCheck::PersonInScope(absl::string_view id) const {
  const std::optional<std::string> area = Placement(kPersonEntity, id);
  return area.has_value() && AreaInScope(*area);
}

absl::Status WriteCheck::Check(size_t index) {
  const v1::LedgerEvent& event = batch_[index];
  const uint64_t sequence = recorded_ + index + 1;
  const std::string scope =
      absl::StrCat("the scope of this view (area '", root_, "')");
  switch (event.body_case()) {
    case v1::LedgerEvent::kArea: {
      const v1::Area& area = event.area();
      if (area.id().empty()) break;  // the ledger rejects it
      if (area.id() == root_) {
        return Denied(index, "id",
                      absl::StrCat("area '", root_,
                                   "' is this view's own area; the level "
                                   "above records it"));
      }
      if (Placement(kAreaEntity, area.id()).has_value() &&
          !AreaInScope(area.id())) {
        return Denied(
            index, "id",
            absl::StrCat("area '", area.id(), "' is outside ", scope));
      }
      if (area.parent_id().empty()) {
        return Denied(index, "parent_id",
                      absl::StrCat("an area with no parent (a county) is "
                                   "outside ",
                                   scope));
      }
      if (!AreaInScope(area.parent_id())) {
        return Denied(
            index, "parent_id",
            absl::StrCat("area '", area.parent_id(), "' is outside ", scope));
      }
      versions_[kAreaEntity][area.id()].push_back(
          BatchVersion{sequence, area.parent_id()});
      break;
    }
    case v1::LedgerEvent::kHousehold: {
      const v1::Household& household = event.household();
      if (household.id().empty() || household.area_id().empty()) break;
      const std::optional<std::string> current =
          Placement(kHouseholdEntity, household.id());
      if (current.has_value() && !AreaInScope(*current)) {
        return Denied(index, "id",
                      absl::StrCat("household '", household.id(),
                                   "' is recorded in an area outside ", scope,
                                   "; moving it needs a view holding both "
                                   "areas"));
      }
      if (!AreaInScope(household.area_id())) {
        return Denied(index, "area_id",
                      absl::StrCat("area '", household.area_id(),
                                   "' is outside ", scope));
      }
      versions_[kHouseholdEntity][household.id()].push_back(
          BatchVersion{sequence, household.area_id()});
      break;
    }
    case v1::LedgerEvent::kPerson: {
      const v1::Person& person = event.person();
      if (person.id().empty()) break;
      const std::optional<std::string> current =
          Placement(kPersonEntity, person.id());
      if (current.has_value() && !AreaInScope(*current)) {
        return Denied(index, "id",
                      absl::StrCat("person '", person.id(),
                                   "' is already registered outside ", scope,
                                   "; moving a person between areas needs a "
                                   "view holding both"));
      }
      if (!person.household_id().empty()) {
        const std::optional<std::string> household =
            Placement(kHouseholdEntity, person.household_id());
        if (!household.has_value()) break;  // the ledger rejects it
        if (!AreaInScope(*household)) {
          return Denied(index, "household_id",
                        absl::StrCat("household '", person.household_id(),
                                     "' is outside ", scope));
        }
      }
      const bool via_household =
          person.area_id().empty() && !person.household_id().empty();
      const std::string area =
          via_household
              ? Placement(kHouseholdEntity, person.household_id()).value_or("")
              : person.area_id();
      if (area.empty()) {
        return Denied(index, "area_id",
                      absl::StrCat("person '", person.id(),
                                   "' has neither area_id nor household_id, "
                                   "so is outside every scope; give the area "
                                   "(within ",
                                   scope, ")"));
      }
      if (!AreaInScope(area)) {
        return Denied(index, "area_id",
                      absl::StrCat("area '", area, "' is outside ", scope));
      }
      versions_[kPersonEntity][person.id()].push_back(
          BatchVersion{sequence, via_household ? person.household_id() : area,
                       via_household});
      break;
    }
    case v1::LedgerEvent::kExposure: {
      const v1::Exposure& exposure = event.exposure();
      if (exposure.person_a().empty() || exposure.person_b().empty()) break;
      if (!PersonInScope(exposure.person_a()) &&
          !PersonInScope(exposure.person_b())) {
        return Denied(
            index, "person_a",
            absl::StrCat("neither '", exposure.person_a(), "' nor '",
                         exposure.person_b(), "' is a person registered in ",
                         scope, " (one of them must be)"));
      }
      break;
    }
    case v1::LedgerEvent::kDiagnosis:
    case v1::LedgerEvent::kQuarantineAction:
    case v1::LedgerEvent::kHealthCheck:
    case v1::LedgerEvent::kCheckpointPassage: {
      const std::string& person = PersonOf(event);
      if (person.empty()) break;
      if (!PersonInScope(person)) {
        return Denied(
            index, "person_id",
            absl::StrCat("'", person, "' is not a person registered in ", scope,
                         " (register them there first)"));
      }
      break;
    }
    case v1::LedgerEvent::kRetraction:
      return CheckRetraction(index, event.retraction().sequence_number());
    case v1::LedgerEvent::BODY_NOT_SET:
      break;
  }
  return absl::OkStatus();
}

absl::Status WriteCheck::CheckRetraction(size_t index, uint64_t target) {
  const uint64_t sequence = recorded_ + index + 1;
  // No target at all: the ledger's own error, which tells nothing of any
  // event.
  if (target == 0) return absl::OkStatus();
  // Every target outside the scope gets this one refusal, whatever it is (an
  // event of another area, a retraction of one, one already retracted, a
  // lost one, or none recorded before this event), so that probing sequence
  // numbers through a view maps nothing outside it. Only targets about the
  // scope reach the ledger's own, more specific errors.
  const absl::Status not_about = Denied(
      index, "sequence_number",
      absl::StrCat("event ", target,
                   " is not about a person, household or area in the scope "
                   "of this view (area '",
                   root_, "')"));
  if (target >= sequence) return not_about;
  // Retracted by an earlier event of this batch, which found it in scope:
  // the ledger rejects it.
  if (retracted_.contains(target)) return absl::OkStatus();
  const EventIndex& events = reader_.events();
  if (target <= recorded_) {
    const EventKind kind = events.KindOf(target);
    if (kind == EventKind::kLost) return not_about;
    // A retraction is about what it withdraws (as GetEvent shows it).
    const uint64_t about = kind == EventKind::kRetraction
                               ? reader_.state()
                                     .RetractionAt(events.RowOf(target))
                                     .sequence_number()
                               : target;
    if (!RecordedInScope(about)) return not_about;
    // In scope, but a retraction or retracted already: the ledger's error.
    if (kind == EventKind::kRetraction || events.RetractedBy(target) != 0) {
      return absl::OkStatus();
    }
    std::optional<std::pair<Entity, std::string>> entity = EntityOf(target);
    if (entity.has_value()) {
      return CheckEntityRetraction(index, entity->first, entity->second,
                                   target);
    }
    retracted_.insert(target);
    return absl::OkStatus();
  }
  // An event of this batch (it passed these checks itself).
  const v1::LedgerEvent& earlier = batch_[target - recorded_ - 1];
  switch (earlier.body_case()) {
    case v1::LedgerEvent::kArea:
      return CheckEntityRetraction(index, kAreaEntity, earlier.area().id(),
                                   target);
    case v1::LedgerEvent::kHousehold:
      return CheckEntityRetraction(index, kHouseholdEntity,
                                   earlier.household().id(), target);
    case v1::LedgerEvent::kPerson:
      return CheckEntityRetraction(index, kPersonEntity, earlier.person().id(),
                                   target);
    case v1::LedgerEvent::kExposure:
      if (!PersonInScope(earlier.exposure().person_a()) &&
          !PersonInScope(earlier.exposure().person_b())) {
        return not_about;
      }
      break;
    case v1::LedgerEvent::kRetraction:
      return absl::OkStatus();  // the ledger rejects it
    default:
      if (!PersonInScope(PersonOf(earlier))) return not_about;
      break;
  }
  retracted_.insert(target);
  return absl::OkStatus();
}

std::optional<std::pair<WriteCheck::Entity, std::string>> WriteCheck::EntityOf(
    uint64_t sequence) const {
  const EventIndex& events = reader_.events();
  const uint32_t row = static_cast<uint32_t>(events.RowOf(sequence));
  switch (events.KindOf(sequence)) {
    case EventKind::kArea:
      return std::make_pair(
          kAreaEntity,
          std::string(reader_.areas().keys.Key(reader_.areas().v_entity[row])));
    case EventKind::kHousehold:
      return std::make_pair(kHouseholdEntity,
                            std::string(reader_.households().keys.Key(
                                reader_.households().v_entity[row])));
    case EventKind::kPerson:
      return std::make_pair(kPersonEntity,
                            std::string(reader_.persons().keys.Key(
                                reader_.persons().v_entity[row])));
    default:
      return std::nullopt;
  }
}

bool WriteCheck::RecordedInScope(uint64_t sequence) const {
  const EventIndex& events = reader_.events();
  const EventKind kind = events.KindOf(sequence);
  if (kind == EventKind::kLost || kind == EventKind::kRetraction) return false;
  if (std::optional<std::pair<Entity, std::string>> entity = EntityOf(sequence);
      entity.has_value()) {
    return EntityInScope(entity->first, entity->second);
  }
  const uint32_t row = static_cast<uint32_t>(events.RowOf(sequence));
  const auto& person_keys = reader_.persons().keys;
  if (kind == EventKind::kExposure) {
    const ExposureTable& exposures = reader_.exposures();
    return PersonInScope(person_keys.Key(exposures.rows[row].person_a)) ||
           PersonInScope(person_keys.Key(exposures.rows[row].person_b));
  }
  const PersonEventTable& table = reader_.person_events(ListOf(kind));
  return PersonInScope(person_keys.Key(table.person[row]));
}

bool WriteCheck::EntityInScope(Entity entity, absl::string_view id) const {
  switch (entity) {
    case kAreaEntity:
      return id != root_ && AreaInScope(id);
    case kHouseholdEntity: {
      const std::optional<std::string> area = Placement(entity, id);
      return area.has_value() && AreaInScope(*area);
    }
    case kPersonEntity:
      return PersonInScope(id);
  }
  return false;
}

absl::Status WriteCheck::CheckEntityRetraction(size_t index, Entity entity,
                                               absl::string_view id,
                                               uint64_t target) {
  auto in_scope = [&] { return EntityInScope(entity, id); };
  const char* noun = entity == kAreaEntity        ? "area"
                     : entity == kHouseholdEntity ? "household"
                                                  : "person";
  if (!in_scope()) {
    return Denied(index, "sequence_number",
                  absl::StrCat("event ", target,
                               " is not about a person, household or area in "
                               "the scope of this view (area '",
                               root_, "')"));
  }
  // Retract it, then look at the version that is current after it.
  retracted_.insert(target);
  auto it = versions_[entity].find(id);
  if (it != versions_[entity].end()) {
    BatchVersions& versions = it->second;
    versions.erase(std::remove_if(versions.begin(), versions.end(),
                                  [&](const BatchVersion& v) {
                                    return v.sequence == target;
                                  }),
                   versions.end());
  }
  if (Placement(entity, id).has_value() && !in_scope()) {
    return Denied(
        index, "sequence_number",
        absl::StrCat("retracting event ", target, " would leave ", noun, " '",
                     id, "' outside the scope of this view (area '", root_,
                     "'): its previous version is there"));
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace contactledger
