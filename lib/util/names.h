// Copyright 2026 The ContactLedger Authors.
//
// lib/util/names.h: the one table of names for the schema's enums.
//
// The importers read these names (a CSV cell "centralized"), and the reports,
// the tracer's sentences and ledgerctl write them, so that what one writes
// the other reads. Each enum of contactledger/v1/ledger.proto that a person
// types or reads has a list of (name, value) pairs, in the schema's order;
// the *_UNSPECIFIED values have no name.
//
//   area level          county, township, village, grid
//   exposure setting    household, work, school, transport, gathering,
//                       healthcare, other
//   diagnosis status    suspected, confirmed, asymptomatic, recovered,
//                       deceased, cleared
//   quarantine action   start, end
//   quarantine place    hospital, centralized, home
//   passage direction   in, out
//
// Example:
//   NameOf(v1::QUARANTINE_PLACE_HOME)                   // "home"
//   NameOf(v1::QUARANTINE_PLACE_UNSPECIFIED)            // ""
//   int value;
//   ValueNamed(QuarantinePlaceNames(), "home", &value)  // true, value 3

#ifndef CONTACTLEDGER_LIB_UTIL_NAMES_H_
#define CONTACTLEDGER_LIB_UTIL_NAMES_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {
namespace internal {

// One named value of an enum.
struct NamedValue {
  absl::string_view name;
  int value;
};

// The named values of each enum, in the schema's order.
absl::Span<const NamedValue> AreaLevelNames();
absl::Span<const NamedValue> ExposureSettingNames();
absl::Span<const NamedValue> DiagnosisStatusNames();
absl::Span<const NamedValue> QuarantineActionNames();
absl::Span<const NamedValue> QuarantinePlaceNames();
absl::Span<const NamedValue> PassageDirectionNames();

// The name of `value` in `names`; "" when it has none (UNSPECIFIED, or a
// value the schema does not know).
absl::string_view NameIn(absl::Span<const NamedValue> names, int value);

// Sets *value to the value called `name` (exactly, case and all) and returns
// true; returns false, leaving *value alone, when no value has that name.
bool ValueNamed(absl::Span<const NamedValue> names, absl::string_view name,
                int* value);

// NameIn over the enum's own list: "" for UNSPECIFIED and unknown values.
absl::string_view NameOf(v1::AreaLevel level);
absl::string_view NameOf(v1::ExposureSetting setting);
absl::string_view NameOf(v1::DiagnosisStatus status);
absl::string_view NameOf(v1::QuarantineActionKind action);
absl::string_view NameOf(v1::QuarantinePlace place);
absl::string_view NameOf(v1::PassageDirection direction);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_UTIL_NAMES_H_
