// Copyright 2026 The ContactLedger Authors.
//
// The enum name tables of lib/util/names.h.

#include "lib/util/names.h"

namespace contactledger {
namespace internal {
namespace {

constexpr NamedValue kAreaLevels[] = {
    {"county", v1::AREA_LEVEL_COUNTY},
    {"township", v1::AREA_LEVEL_TOWNSHIP},
    {"village", v1::AREA_LEVEL_VILLAGE},
    {"grid", v1::AREA_LEVEL_GRID},
};

constexpr NamedValue kExposureSettings[] = {
    {"household", v1::EXPOSURE_SETTING_HOUSEHOLD},
    {"work", v1::EXPOSURE_SETTING_WORK},
    {"school", v1::EXPOSURE_SETTING_SCHOOL},
    {"transport", v1::EXPOSURE_SETTING_TRANSPORT},
    {"gathering", v1::EXPOSURE_SETTING_GATHERING},
    {"healthcare", v1::EXPOSURE_SETTING_HEALTHCARE},
    {"other", v1::EXPOSURE_SETTING_OTHER},
};

constexpr NamedValue kDiagnosisStatuses[] = {
    {"suspected", v1::DIAGNOSIS_STATUS_SUSPECTED},
    {"confirmed", v1::DIAGNOSIS_STATUS_CONFIRMED},
    {"asymptomatic", v1::DIAGNOSIS_STATUS_ASYMPTOMATIC},
    {"recovered", v1::DIAGNOSIS_STATUS_RECOVERED},
    {"deceased", v1::DIAGNOSIS_STATUS_DECEASED},
    {"cleared", v1::DIAGNOSIS_STATUS_CLEARED},
};

constexpr NamedValue kQuarantineActions[] = {
    {"start", v1::QUARANTINE_ACTION_KIND_START},
    {"end", v1::QUARANTINE_ACTION_KIND_END},
};

constexpr NamedValue kQuarantinePlaces[] = {
    {"hospital", v1::QUARANTINE_PLACE_HOSPITAL},
    {"centralized", v1::QUARANTINE_PLACE_CENTRALIZED},
    {"home", v1::QUARANTINE_PLACE_HOME},
};

constexpr NamedValue kPassageDirections[] = {
    {"in", v1::PASSAGE_DIRECTION_IN},
    {"out", v1::PASSAGE_DIRECTION_OUT},
};

}  // namespace

absl::Span<const NamedValue> AreaLevelNames() { return kAreaLevels; }
absl::Span<const NamedValue> ExposureSettingNames() {
  return kExposureSettings;
}
absl::Span<const NamedValue> DiagnosisStatusNames() {
  return kDiagnosisStatuses;
}
absl::Span<const NamedValue> QuarantineActionNames() {
  return kQuarantineActions;
}
absl::Span<const NamedValue> QuarantinePlaceNames() {
  return kQuarantinePlaces;
}
absl::Span<const NamedValue> PassageDirectionNames() {
  return kPassageDirections;
}

absl::string_view NameIn(absl::Span<const NamedValue> names, int value) {
  for (const NamedValue& v : names) {
    if (v.value == value) return v.name;
  }
  return absl::string_view();
}

bool ValueNamed(absl::Span<const NamedValue> names, absl::string_view name,
                int* value) {
  for (const NamedValue& v : names) {
    if (v.name == name) {
      *value = v.value;
      return true;
    }
  }
  return false;
}

absl::string_view NameOf(v1::AreaLevel level) {
  return NameIn(kAreaLevels, level);
}
absl::string_view NameOf(v1::ExposureSetting setting) {
  return NameIn(kExposureSettings, setting);
}
absl::string_view NameOf(v1::DiagnosisStatus status) {
  return NameIn(kDiagnosisStatuses, status);
}
absl::string_view NameOf(v1::QuarantineActionKind action) {
  return NameIn(kQuarantineActions, action);
}
absl::string_view NameOf(v1::QuarantinePlace place) {
  return NameIn(kQuarantinePlaces, place);
}
absl::string_view NameOf(v1::PassageDirection direction) {
  return NameIn(kPassageDirections, direction);
}

}  // namespace internal
}  // namespace contactledger
