#include "lib/core/validator.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/identity/identity.h"
#include "lib/util/text.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace internal {
namespace {

// Builds "field: reason" errors; the validator prefixes the event.
absl::Status FieldError(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

// A required id (its length and text are checked with the other strings).
absl::Status CheckId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return FieldError(field, "is required and empty");
  return absl::OkStatus();
}

// A string of an event against its limit and kind of text.
absl::Status CheckString(absl::string_view field, absl::string_view value,
                         size_t max_bytes, absl::string_view limit_name,
                         TextKind kind = TextKind::kLine) {
  if (value.size() > max_bytes) {
    return FieldError(field,
                      absl::StrFormat("is %d bytes, more than the %d allowed "
                                      "(Limits::%s)",
                                      value.size(), max_bytes, limit_name));
  }
  if (absl::Status s = CheckFieldText(value, kind); !s.ok()) {
    return FieldError(field, s.message());
  }
  return absl::OkStatus();
}

absl::Status CheckListSize(absl::string_view field, int size,
                           const Limits& limits) {
  if (static_cast<size_t>(size) > limits.max_list_entries) {
    return FieldError(field, absl::StrFormat("has %d entries, more than the %d "
                                             "allowed (Limits::"
                                             "max_list_entries)",
                                             size, limits.max_list_entries));
  }
  return absl::OkStatus();
}

absl::Status CheckTime(absl::string_view field, bool present,
                       const google::protobuf::Timestamp& ts) {
  if (!present) return FieldError(field, "is required and missing");
  if (ts.seconds() < kMinTimestampSeconds ||
      ts.seconds() > kMaxTimestampSeconds) {
    return FieldError(
        field,
        absl::StrFormat("seconds %d is outside years 1..9999", ts.seconds()));
  }
  if (ts.nanos() != 0) {
    return FieldError(field,
                      absl::StrFormat("has nanos %d; event instants are kept "
                                      "to the whole second",
                                      ts.nanos()));
  }
  return absl::OkStatus();
}

// A date that is not private (an onset, a travel entry's days): the error
// quotes it. A birth date is checked in CheckPerson.
absl::Status CheckDate(absl::string_view field, const v1::Date& date) {
  if (!IsValidDate(date)) {
    return FieldError(
        field, absl::StrFormat("%04d-%02d-%02d is not a real day", date.year(),
                               date.month(), date.day()));
  }
  return absl::OkStatus();
}

absl::Status CheckEnum(absl::string_view field, int value,
                       bool (*is_valid)(int), bool required) {
  if (!is_valid(value)) {
    return FieldError(field, absl::StrFormat("unknown value %d", value));
  }
  if (required && value == 0) {
    return FieldError(field, "is required and unspecified");
  }
  return absl::OkStatus();
}

absl::string_view LevelName(int level) {
  return v1::AreaLevel_Name(static_cast<v1::AreaLevel>(level));
}

// The entity id an error message should show, if the body has one.
std::string BodyId(const v1::LedgerEvent& event) {
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

// An id as an error message shows it: at most 64 bytes (cut at a character
// boundary, then "..."), with control, layout and malformed bytes escaped
// (\n, \t, \r, \xNN, \u{NNNN}), so that a hostile id can neither flood nor
// forge the lines of a log the message is written to.
std::string ShownId(absl::string_view id) {
  constexpr size_t kShown = 64;
  std::string out;
  size_t i = 0;
  while (i < id.size() && i < kShown) {
    const unsigned char c = static_cast<unsigned char>(id[i]);
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceAt(id, i);
    if (n == 0) {
      absl::StrAppend(&out, absl::StrFormat("\\x%02X", c));
      ++i;
      continue;
    }
    if (i + n > kShown) break;
    const uint32_t code = DecodeUtf8(id, i, n);
    if (code == '\n') {
      out += "\\n";
    } else if (code == '\t') {
      out += "\\t";
    } else if (code == '\r') {
      out += "\\r";
    } else if (CheckFieldText(id.substr(i, n), TextKind::kLine).ok()) {
      out.append(id.data() + i, n);
    } else {
      absl::StrAppend(&out, absl::StrFormat("\\u{%04X}", code));
    }
    i += n;
  }
  if (i < id.size()) out += "...";
  return out;
}

}  // namespace

const char* BodyName(const v1::LedgerEvent& event) {
  switch (event.body_case()) {
    case v1::LedgerEvent::kArea:
      return "area";
    case v1::LedgerEvent::kHousehold:
      return "household";
    case v1::LedgerEvent::kPerson:
      return "person";
    case v1::LedgerEvent::kExposure:
      return "exposure";
    case v1::LedgerEvent::kDiagnosis:
      return "diagnosis";
    case v1::LedgerEvent::kQuarantineAction:
      return "quarantine_action";
    case v1::LedgerEvent::kHealthCheck:
      return "health_check";
    case v1::LedgerEvent::kCheckpointPassage:
      return "checkpoint_passage";
    case v1::LedgerEvent::kRetraction:
      return "retraction";
    case v1::LedgerEvent::BODY_NOT_SET:
      break;
  }
  return "no body";
}

BatchValidator::BatchValidator(const AreaTable& areas,
                               const HouseholdTable& households,
                               const EventIndex& events, const Cut& now,
                               size_t batch_size, const LedgerOptions* options)
    : areas_(areas),
      households_(households),
      events_(events),
      now_(now),
      batch_size_(batch_size),
      options_(options) {}

absl::Status BatchValidator::Check(const v1::LedgerEvent& event) {
  if (options_ != nullptr && index_ == 0 &&
      batch_size_ > options_->limits.max_batch_events) {
    return absl::ResourceExhaustedError(
        absl::StrFormat("batch of %d events is more than the %d allowed "
                        "(Limits::max_batch_events); split it",
                        batch_size_, options_->limits.max_batch_events));
  }
  const uint64_t sequence = events_.last_sequence() + checked_ + 1;
  absl::Status status = CheckBody(event, sequence);
  if (!status.ok()) {
    const std::string id = ShownId(BodyId(event));
    return absl::InvalidArgumentError(absl::StrCat(
        "event ", index_ + 1, " of ", batch_size_, " (", BodyName(event),
        id.empty() ? "" : absl::StrCat(" '", id, "'"),
        "): ", status.message()));
  }
  if (event.has_area()) {
    batch_areas_[event.area().id()] = event.area().level();
  } else if (event.has_household()) {
    batch_households_.insert(event.household().id());
  } else if (event.has_retraction()) {
    batch_retracted_.insert(event.retraction().sequence_number());
  }
  batch_kinds_.push_back(KindOf(event));
  ++index_;
  ++checked_;
  return absl::OkStatus();
}

absl::Status BatchValidator::CheckStrings(const v1::LedgerEvent& event) const {
  const Limits& limits = options_->limits;
  const auto id = [&](absl::string_view field, const std::string& value) {
    return CheckString(field, value, limits.max_id_bytes, "max_id_bytes");
  };
  const auto name = [&](absl::string_view field, const std::string& value) {
    return CheckString(field, value, limits.max_name_bytes, "max_name_bytes");
  };
  const auto tag = [&](absl::string_view field, const std::string& value) {
    return CheckString(field, value, limits.max_tag_bytes, "max_tag_bytes");
  };
  const auto text = [&](absl::string_view field, const std::string& value) {
    return CheckString(field, value, limits.max_text_bytes, "max_text_bytes",
                       TextKind::kText);
  };
  if (auto s = id("actor", event.actor()); !s.ok()) return s;
  if (event.has_import_source()) {
    if (auto s =
            name("import_source.file_name", event.import_source().file_name());
        !s.ok()) {
      return s;
    }
  }
  switch (event.body_case()) {
    case v1::LedgerEvent::kArea: {
      const v1::Area& a = event.area();
      if (auto s = id("id", a.id()); !s.ok()) return s;
      if (auto s = id("parent_id", a.parent_id()); !s.ok()) return s;
      return name("name", a.name());
    }
    case v1::LedgerEvent::kHousehold: {
      const v1::Household& h = event.household();
      if (auto s = id("id", h.id()); !s.ok()) return s;
      if (auto s = id("area_id", h.area_id()); !s.ok()) return s;
      if (auto s = text("address", h.address()); !s.ok()) return s;
      return name("responsible_worker", h.responsible_worker());
    }
    case v1::LedgerEvent::kPerson: {
      const v1::Person& p = event.person();
      if (auto s = id("id", p.id()); !s.ok()) return s;
      if (auto s = name("name", p.name()); !s.ok()) return s;
      if (auto s = id("national_id", p.national_id()); !s.ok()) return s;
      if (auto s = id("phone", p.phone()); !s.ok()) return s;
      if (auto s = id("household_id", p.household_id()); !s.ok()) return s;
      if (auto s = id("area_id", p.area_id()); !s.ok()) return s;
      if (auto s = CheckListSize("tags", p.tags_size(), limits); !s.ok()) {
        return s;
      }
      for (int i = 0; i < p.tags_size(); ++i) {
        if (auto s = tag(absl::StrCat("tags[", i, "]"), p.tags(i)); !s.ok()) {
          return s;
        }
      }
      if (auto s =
              CheckListSize("travel_history", p.travel_history_size(), limits);
          !s.ok()) {
        return s;
      }
      for (int i = 0; i < p.travel_history_size(); ++i) {
        if (auto s = name(absl::StrCat("travel_history[", i, "].place"),
                          p.travel_history(i).place());
            !s.ok()) {
          return s;
        }
      }
      return absl::OkStatus();
    }
    case v1::LedgerEvent::kExposure: {
      const v1::Exposure& x = event.exposure();
      if (auto s = id("id", x.id()); !s.ok()) return s;
      if (auto s = id("person_a", x.person_a()); !s.ok()) return s;
      if (auto s = id("person_b", x.person_b()); !s.ok()) return s;
      return text("note", x.note());
    }
    case v1::LedgerEvent::kDiagnosis:
      return id("person_id", event.diagnosis().person_id());
    case v1::LedgerEvent::kQuarantineAction:
      return id("person_id", event.quarantine_action().person_id());
    case v1::LedgerEvent::kHealthCheck: {
      const v1::HealthCheck& c = event.health_check();
      if (auto s = id("person_id", c.person_id()); !s.ok()) return s;
      if (auto s = CheckListSize("symptoms", c.symptoms_size(), limits);
          !s.ok()) {
        return s;
      }
      for (int i = 0; i < c.symptoms_size(); ++i) {
        if (auto s = tag(absl::StrCat("symptoms[", i, "]"), c.symptoms(i));
            !s.ok()) {
          return s;
        }
      }
      return id("checked_by", c.checked_by());
    }
    case v1::LedgerEvent::kCheckpointPassage: {
      const v1::CheckpointPassage& p = event.checkpoint_passage();
      if (auto s = id("person_id", p.person_id()); !s.ok()) return s;
      return id("checkpoint_id", p.checkpoint_id());
    }
    case v1::LedgerEvent::kRetraction:
      return text("reason", event.retraction().reason());
    case v1::LedgerEvent::BODY_NOT_SET:
      break;
  }
  return absl::OkStatus();
}

absl::Status BatchValidator::CheckIdentity(const v1::Person& person) const {
  const IdentityRules rules =
      options_->identity_rules.value_or(IdentityRules::kChina);
  if (!person.national_id().empty()) {
    if (absl::Status s = CheckNationalId(person.national_id(), rules);
        !s.ok()) {
      return FieldError("national_id", s.message());
    }
    if (rules == IdentityRules::kChina && person.has_birth_date()) {
      const v1::Date& birth = person.birth_date();
      const std::string digits = absl::StrFormat("%04d%02d%02d", birth.year(),
                                                 birth.month(), birth.day());
      if (person.national_id().substr(6, 8) != digits) {
        return FieldError("national_id",
                          "the birth date in characters 7-14 differs from "
                          "birth_date");
      }
    }
  }
  if (!person.phone().empty()) {
    if (absl::Status s = CheckPhone(person.phone(), rules); !s.ok()) {
      return FieldError("phone", s.message());
    }
  }
  return absl::OkStatus();
}

absl::Status BatchValidator::CheckImportSource(
    const v1::ImportSource& source) const {
  if (index_ != 0) {
    return absl::InvalidArgumentError(
        "import_source: only the first event of a batch may carry one");
  }
  if (source.events() != batch_size_) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "import_source.events: %d, but the batch holds %d events",
        source.events(), batch_size_));
  }
  if (source.file_name().empty()) {
    return absl::InvalidArgumentError(
        "import_source.file_name: required (the imported file's name)");
  }
  const std::string& sha = source.sha256();
  const bool hex =
      sha.size() == 64 && std::all_of(sha.begin(), sha.end(), [](char c) {
        return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
      });
  if (!hex) {
    return absl::InvalidArgumentError(
        "import_source.sha256: must be 64 lower-case hex digits");
  }
  return absl::OkStatus();
}

absl::Status BatchValidator::CheckBody(const v1::LedgerEvent& event,
                                       uint64_t sequence) {
  if (options_ != nullptr) {
    if (absl::Status s = CheckStrings(event); !s.ok()) return s;
  }
  if (event.has_import_source()) {
    if (absl::Status s = CheckImportSource(event.import_source()); !s.ok()) {
      return s;
    }
  }
  switch (event.body_case()) {
    case v1::LedgerEvent::kArea:
      return CheckArea(event.area());
    case v1::LedgerEvent::kHousehold:
      return CheckHousehold(event.household());
    case v1::LedgerEvent::kPerson:
      return CheckPerson(event.person());
    case v1::LedgerEvent::kExposure:
      return CheckExposure(event.exposure());
    case v1::LedgerEvent::kDiagnosis:
      return CheckDiagnosis(event.diagnosis());
    case v1::LedgerEvent::kQuarantineAction:
      return CheckQuarantineAction(event.quarantine_action());
    case v1::LedgerEvent::kHealthCheck:
      return CheckHealthCheck(event.health_check());
    case v1::LedgerEvent::kCheckpointPassage:
      return CheckPassage(event.checkpoint_passage());
    case v1::LedgerEvent::kRetraction:
      return CheckRetraction(event.retraction(), sequence);
    case v1::LedgerEvent::BODY_NOT_SET:
      break;
  }
  return FieldError("body",
                    "is required: set exactly one of area, household, "
                    "person, exposure, diagnosis, quarantine_action, "
                    "health_check, checkpoint_passage, retraction");
}

int BatchValidator::AreaLevel(absl::string_view id) const {
  auto it = batch_areas_.find(id);
  if (it != batch_areas_.end()) return it->second;
  const uint32_t area = areas_.keys.Find(id);
  if (area == kNoId) return 0;
  if (EffectiveVersion(areas_, events_, area, now_) == kNoId) return 0;
  return areas_.level[area];
}

bool BatchValidator::HouseholdExists(absl::string_view id) const {
  if (batch_households_.contains(id)) return true;
  const uint32_t household = households_.keys.Find(id);
  return household != kNoId &&
         EffectiveVersion(households_, events_, household, now_) != kNoId;
}

absl::Status BatchValidator::CheckArea(const v1::Area& area) {
  if (auto s = CheckId("id", area.id()); !s.ok()) return s;
  if (auto s = CheckEnum("level", area.level(), v1::AreaLevel_IsValid, true);
      !s.ok()) {
    return s;
  }
  // A level is fixed per id, whether or not the earlier version is visible.
  int known_level = 0;
  if (auto it = batch_areas_.find(area.id()); it != batch_areas_.end()) {
    known_level = it->second;
  } else if (uint32_t id = areas_.keys.Find(area.id()); id != kNoId) {
    known_level = areas_.level[id];
  }
  if (known_level != 0 && known_level != area.level()) {
    return FieldError(
        "level", absl::StrCat("area was recorded as ", LevelName(known_level),
                              "; a level never "
                              "changes, got ",
                              LevelName(area.level())));
  }
  if (area.level() == v1::AREA_LEVEL_COUNTY) {
    if (!area.parent_id().empty()) {
      return FieldError(
          "parent_id",
          absl::StrCat("a county has no parent, got '", area.parent_id(), "'"));
    }
    return absl::OkStatus();
  }
  if (area.parent_id().empty()) {
    return FieldError("parent_id", absl::StrCat("is required for a ",
                                                LevelName(area.level())));
  }
  if (auto s = CheckId("parent_id", area.parent_id()); !s.ok()) return s;
  const int parent_level = AreaLevel(area.parent_id());
  if (parent_level == 0) {
    return FieldError("parent_id", absl::StrCat("no area '", area.parent_id(),
                                                "' is recorded"));
  }
  if (parent_level != area.level() - 1) {
    return FieldError(
        "parent_id", absl::StrCat("parent '", area.parent_id(), "' is a ",
                                  LevelName(parent_level), "; the parent of a ",
                                  LevelName(area.level()), " must be a ",
                                  LevelName(area.level() - 1)));
  }
  return absl::OkStatus();
}

absl::Status BatchValidator::CheckHousehold(const v1::Household& household) {
  if (auto s = CheckId("id", household.id()); !s.ok()) return s;
  if (auto s = CheckId("area_id", household.area_id()); !s.ok()) return s;
  if (AreaLevel(household.area_id()) == 0) {
    return FieldError("area_id", absl::StrCat("no area '", household.area_id(),
                                              "' is recorded"));
  }
  return absl::OkStatus();
}

absl::Status BatchValidator::CheckPerson(const v1::Person& person) {
  if (auto s = CheckId("id", person.id()); !s.ok()) return s;
  // A birth date is private (the hidden part of a national id): its error
  // names the field and the reason, never the day refused.
  if (person.has_birth_date() && !IsValidDate(person.birth_date())) {
    return FieldError("birth_date", "is not a real day");
  }
  if (options_ != nullptr) {
    if (auto s = CheckIdentity(person); !s.ok()) return s;
  }
  if (!person.household_id().empty()) {
    if (auto s = CheckId("household_id", person.household_id()); !s.ok()) {
      return s;
    }
    if (!HouseholdExists(person.household_id())) {
      return FieldError("household_id",
                        absl::StrCat("no household '", person.household_id(),
                                     "' is recorded"));
    }
  }
  if (!person.area_id().empty()) {
    if (auto s = CheckId("area_id", person.area_id()); !s.ok()) return s;
    if (AreaLevel(person.area_id()) == 0) {
      return FieldError("area_id", absl::StrCat("no area '", person.area_id(),
                                                "' is recorded"));
    }
  }
  for (int i = 0; i < person.tags_size(); ++i) {
    const std::string field = absl::StrCat("tags[", i, "]");
    if (person.tags(i).empty()) return FieldError(field, "is empty");
  }
  for (int i = 0; i < person.travel_history_size(); ++i) {
    const v1::TravelEntry& entry = person.travel_history(i);
    const std::string field = absl::StrCat("travel_history[", i, "]");
    if (entry.place().empty()) {
      return FieldError(absl::StrCat(field, ".place"), "is required and empty");
    }
    if (entry.has_from()) {
      if (auto s = CheckDate(absl::StrCat(field, ".from"), entry.from());
          !s.ok()) {
        return s;
      }
    }
    if (entry.has_to()) {
      if (auto s = CheckDate(absl::StrCat(field, ".to"), entry.to()); !s.ok()) {
        return s;
      }
    }
    if (entry.has_from() && entry.has_to() &&
        DateToDays(entry.from()) > DateToDays(entry.to())) {
      return FieldError(absl::StrCat(field, ".to"), "is before from");
    }
  }
  return absl::OkStatus();
}

absl::Status BatchValidator::CheckExposure(const v1::Exposure& exposure) {
  if (auto s = CheckId("person_a", exposure.person_a()); !s.ok()) return s;
  if (auto s = CheckId("person_b", exposure.person_b()); !s.ok()) return s;
  if (exposure.person_a() == exposure.person_b()) {
    return FieldError("person_b",
                      absl::StrCat("a person cannot be exposed to themself ('",
                                   exposure.person_a(), "')"));
  }
  if (auto s = CheckTime("start", exposure.has_start(), exposure.start());
      !s.ok()) {
    return s;
  }
  if (auto s = CheckTime("end", exposure.has_end(), exposure.end()); !s.ok()) {
    return s;
  }
  const int64_t start = exposure.start().seconds();
  const int64_t end = exposure.end().seconds();
  if (start > end) {
    return FieldError(
        "end", absl::StrFormat("start (%d) is after end (%d)", start, end));
  }
  if (end - start > int64_t{0xffffffff}) {
    return FieldError("end", "an exposure may last at most 2^32-1 seconds");
  }
  return CheckEnum("setting", exposure.setting(), v1::ExposureSetting_IsValid,
                   true);
}

absl::Status BatchValidator::CheckDiagnosis(const v1::Diagnosis& diagnosis) {
  if (auto s = CheckId("person_id", diagnosis.person_id()); !s.ok()) return s;
  if (auto s = CheckEnum("status", diagnosis.status(),
                         v1::DiagnosisStatus_IsValid, true);
      !s.ok()) {
    return s;
  }
  if (diagnosis.has_onset()) {
    if (auto s = CheckDate("onset", diagnosis.onset()); !s.ok()) return s;
  }
  return CheckTime("time", diagnosis.has_time(), diagnosis.time());
}

absl::Status BatchValidator::CheckQuarantineAction(
    const v1::QuarantineAction& action) {
  if (auto s = CheckId("person_id", action.person_id()); !s.ok()) return s;
  if (auto s = CheckEnum("action", action.action(),
                         v1::QuarantineActionKind_IsValid, true);
      !s.ok()) {
    return s;
  }
  const bool is_start = action.action() == v1::QUARANTINE_ACTION_KIND_START;
  if (auto s = CheckEnum("place", action.place(), v1::QuarantinePlace_IsValid,
                         is_start);
      !s.ok()) {
    return s;
  }
  if (!is_start && action.place() != v1::QUARANTINE_PLACE_UNSPECIFIED) {
    return FieldError("place", "must be unspecified for an END action");
  }
  return CheckTime("time", action.has_time(), action.time());
}

absl::Status BatchValidator::CheckHealthCheck(const v1::HealthCheck& check) {
  if (auto s = CheckId("person_id", check.person_id()); !s.ok()) return s;
  if (auto s = CheckTime("time", check.has_time(), check.time()); !s.ok()) {
    return s;
  }
  const double t = check.temperature_celsius();
  if (!(t >= 30.0 && t <= 45.0)) {
    return FieldError("temperature_celsius",
                      absl::StrFormat("%g is outside 30.0..45.0 °C", t));
  }
  for (int i = 0; i < check.symptoms_size(); ++i) {
    if (check.symptoms(i).empty()) {
      return FieldError(absl::StrCat("symptoms[", i, "]"), "is empty");
    }
  }
  return absl::OkStatus();
}

absl::Status BatchValidator::CheckPassage(
    const v1::CheckpointPassage& passage) {
  if (auto s = CheckId("person_id", passage.person_id()); !s.ok()) return s;
  if (auto s = CheckId("checkpoint_id", passage.checkpoint_id()); !s.ok()) {
    return s;
  }
  if (auto s = CheckTime("time", passage.has_time(), passage.time()); !s.ok()) {
    return s;
  }
  return CheckEnum("direction", passage.direction(),
                   v1::PassageDirection_IsValid, true);
}

absl::Status BatchValidator::CheckRetraction(const v1::Retraction& retraction,
                                             uint64_t sequence) {
  const uint64_t target = retraction.sequence_number();
  if (target == 0 || target >= sequence) {
    return FieldError("sequence_number",
                      absl::StrFormat("no event %d precedes this one (the "
                                      "ledger's last is %d)",
                                      target, sequence - 1));
  }
  const uint64_t recorded = events_.last_sequence();
  const EventKind kind = target <= recorded
                             ? events_.KindOf(target)
                             : batch_kinds_[target - recorded - 1];
  if (kind == EventKind::kLost) {
    return FieldError(
        "sequence_number",
        absl::StrFormat("event %d was lost to log damage", target));
  }
  if (kind == EventKind::kRetraction) {
    return FieldError("sequence_number",
                      absl::StrFormat("event %d is a retraction; retractions "
                                      "cannot be retracted",
                                      target));
  }
  const uint64_t by =
      target <= recorded ? events_.RetractedBy(target) : uint64_t{0};
  if (by != 0 || batch_retracted_.contains(target)) {
    return FieldError(
        "sequence_number",
        absl::StrFormat("event %d is already retracted%s", target,
                        by != 0 ? absl::StrFormat(" (by event %d)", by) : ""));
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace contactledger
