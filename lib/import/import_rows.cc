// Copyright 2026 The ContactLedger Authors.
//
// CSV rows to events (lib/import/import_rows.h): the kinds and their
// columns, the parsers of one cell (ids, enumerated values, times, days,
// numbers), and one builder per kind.

#include "lib/import/import_rows.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/timestamp.pb.h"
#include "lib/util/names.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace internal {

// ---------------------------------------------------------------------------
// Kinds and their columns.

const std::vector<ImportKindSpec>& ImportKindSpecs() {
  static const auto* specs = new std::vector<ImportKindSpec>{
      {ImportKind::kAreas,
       "areas",
       {{"area_id", true},
        {"parent_id", false},
        {"level", true},
        {"name", false}}},
      {ImportKind::kHouseholds,
       "households",
       {{"household_id", true},
        {"area_id", true},
        {"address", false},
        {"responsible_worker", false}}},
      {ImportKind::kPersons,
       "persons",
       {{"person_id", true},
        {"household_id", false},
        {"area_id", false},
        {"name", false},
        {"national_id", false},
        {"phone", false},
        {"birth_date", false},
        {"tags", false}}},
      {ImportKind::kExposures,
       "exposures",
       {{"person_a", true},
        {"person_b", true},
        {"start", true},
        {"end", true},
        {"setting", true}}},
      {ImportKind::kDiagnoses,
       "diagnoses",
       {{"person_id", true},
        {"status", true},
        {"onset", false},
        {"time", true}}},
      {ImportKind::kStays,
       "stays",
       {{"person_id", true},
        {"action", true},
        {"time", true},
        {"place", false}}},
      {ImportKind::kChecks,
       "checks",
       {{"person_id", true},
        {"time", true},
        {"temperature_c", true},
        {"symptoms", false},
        {"checked_by", false}}},
      {ImportKind::kPassages,
       "passages",
       {{"person_id", true},
        {"checkpoint_id", true},
        {"time", true},
        {"direction", true}}},
  };
  return *specs;
}

const ImportKindSpec& ImportKindSpecOf(ImportKind kind) {
  return ImportKindSpecs()[static_cast<size_t>(kind)];
}

std::string QuotedValue(absl::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

absl::string_view TrimId(absl::string_view id) {
  // The spaces trimmed besides ASCII whitespace: U+00A0 NO-BREAK SPACE and
  // U+3000 IDEOGRAPHIC SPACE, in UTF-8.
  constexpr absl::string_view kNoBreak = "\xC2\xA0";
  constexpr absl::string_view kIdeographic = "\xE3\x80\x80";
  while (true) {
    const size_t before = id.size();
    id = absl::StripAsciiWhitespace(id);
    if (!absl::ConsumePrefix(&id, kNoBreak)) {
      absl::ConsumePrefix(&id, kIdeographic);
    }
    if (!absl::ConsumeSuffix(&id, kNoBreak)) {
      absl::ConsumeSuffix(&id, kIdeographic);
    }
    if (id.size() == before) return id;
  }
}

namespace {

// ---------------------------------------------------------------------------
// One cell. Enumerated values are spelled as in lib/util/names.h.

CellError Fail(absl::string_view column, std::string reason) {
  return CellError{std::string(column), std::move(reason)};
}

// An id: trimmed (TrimId), so that "q8 " is recorded as "q8".
CellResult Id(const RowView& row, absl::string_view column, bool required,
              std::string* out) {
  const absl::string_view cell = row.Get(column);
  const absl::string_view value = TrimId(cell);
  if (value.empty() && required) {
    return Fail(column, cell.empty() ? "is required and empty"
                                     : "is required and holds only spaces");
  }
  out->assign(value.data(), value.size());
  return std::nullopt;
}

// Any other text (a name, an address, a phone): taken as it is.
CellResult Text(const RowView& row, absl::string_view column,
                std::string* out) {
  const absl::string_view value = row.Get(column);
  out->assign(value.data(), value.size());
  return std::nullopt;
}

// An enumerated value, by its name in `names` (lib/util/names.h); 0 when
// the cell is empty.
CellResult Enum(const RowView& row, absl::string_view column,
                absl::Span<const NamedValue> names, bool required, int* out) {
  absl::string_view value = row.Get(column);
  *out = 0;
  if (value.empty()) {
    if (required) return Fail(column, "is required and empty");
    return std::nullopt;
  }
  if (ValueNamed(names, value, out)) return std::nullopt;
  return Fail(
      column,
      absl::StrCat("unknown value ", QuotedValue(value), " (expected ",
                   absl::StrJoin(names, "|",
                                 [](std::string* s, const NamedValue& v) {
                                   absl::StrAppend(s, v.name);
                                 }),
                   ")"));
}

bool HasSurroundingSpace(absl::string_view value) {
  return !value.empty() && (absl::ascii_isspace(value.front()) ||
                            absl::ascii_isspace(value.back()));
}

// An RFC 3339 time with an offset, to the whole second.
std::optional<std::string> ParseRfc3339(absl::string_view value,
                                        absl::Time* out) {
  if (HasSurroundingSpace(value)) {
    return absl::StrCat(QuotedValue(value), " has spaces around it");
  }
  std::string error;
  // absl::ParseTime also takes "infinite-future" and "infinite-past".
  if (absl::StartsWith(value, "infinite") ||
      !absl::ParseTime(absl::RFC3339_full, value, out, &error)) {
    return absl::StrCat(QuotedValue(value),
                        " is not an RFC 3339 time with an offset (e.g. "
                        "2020-02-01T08:00:00+08:00)",
                        error.empty() ? "" : ": ", error);
  }
  if (*out != absl::FromUnixSeconds(absl::ToUnixSeconds(*out))) {
    return absl::StrCat(QuotedValue(value),
                        " has a fraction of a second; event times are kept to "
                        "the whole second");
  }
  return std::nullopt;
}

CellResult Time(const RowView& row, absl::string_view column,
                google::protobuf::Timestamp* out) {
  absl::string_view value = row.Get(column);
  if (value.empty()) return Fail(column, "is required and empty");
  absl::Time t;
  if (auto error = ParseRfc3339(value, &t)) return Fail(column, *error);
  SetTimestampSeconds(absl::ToUnixSeconds(t), out);
  return std::nullopt;
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

// A day, YYYY-MM-DD, or an RFC 3339 time taken as its civil day in `zone`.
// Leaves `out` unset when the cell is empty. An error quotes the value only
// when `show_value` (not for a private field: a birth date is one).
CellResult Day(const RowView& row, absl::string_view column,
               absl::TimeZone zone, bool show_value, v1::Date* out,
               bool* present) {
  absl::string_view value = row.Get(column);
  *present = false;
  if (value.empty()) return std::nullopt;
  const std::string shown =
      show_value ? absl::StrCat(QuotedValue(value), " ") : std::string();
  absl::CivilDay day;
  if (value.size() == 10 && value[4] == '-' && value[7] == '-' &&
      AllDigits(value.substr(0, 4)) && AllDigits(value.substr(5, 2)) &&
      AllDigits(value.substr(8, 2))) {
    int y = 0, m = 0, d = 0;
    (void)absl::SimpleAtoi(value.substr(0, 4), &y);
    (void)absl::SimpleAtoi(value.substr(5, 2), &m);
    (void)absl::SimpleAtoi(value.substr(8, 2), &d);
    day = absl::CivilDay(y, m, d);
    if (y < 1 || day.year() != y || day.month() != m || day.day() != d) {
      return Fail(column, absl::StrCat(shown, "is not a real day"));
    }
  } else {
    absl::Time t;
    if (ParseRfc3339(value, &t)) {
      return Fail(column,
                  absl::StrCat(shown,
                               "is neither a day (YYYY-MM-DD) nor an RFC 3339 "
                               "time (e.g. 2020-02-01T08:00:00+08:00)"));
    }
    day = absl::ToCivilDay(t, zone);
  }
  out->set_year(static_cast<int32_t>(day.year()));
  out->set_month(day.month());
  out->set_day(day.day());
  *present = true;
  return std::nullopt;
}

// A plain decimal number: [+-]digits[.digits] or [+-].digits.
bool IsPlainDecimal(absl::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  const size_t dot = s.find('.');
  absl::string_view whole = s.substr(0, dot);
  absl::string_view fraction =
      dot == absl::string_view::npos ? absl::string_view() : s.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return false;
  if (dot != absl::string_view::npos && fraction.empty()) return false;
  return AllDigits(whole) && AllDigits(fraction);
}

// ---------------------------------------------------------------------------
// Row -> event, per kind.

CellResult BuildArea(const RowView& row, absl::TimeZone,
                     v1::LedgerEvent* event) {
  v1::Area* area = event->mutable_area();
  if (auto e = Id(row, "area_id", true, area->mutable_id())) return e;
  if (auto e = Id(row, "parent_id", false, area->mutable_parent_id())) return e;
  int level = 0;
  if (auto e = Enum(row, "level", AreaLevelNames(), true, &level)) return e;
  area->set_level(static_cast<v1::AreaLevel>(level));
  return Text(row, "name", area->mutable_name());
}

CellResult BuildHousehold(const RowView& row, absl::TimeZone,
                          v1::LedgerEvent* event) {
  v1::Household* h = event->mutable_household();
  if (auto e = Id(row, "household_id", true, h->mutable_id())) return e;
  if (auto e = Id(row, "area_id", true, h->mutable_area_id())) return e;
  if (auto e = Text(row, "address", h->mutable_address())) return e;
  return Text(row, "responsible_worker", h->mutable_responsible_worker());
}

CellResult BuildPerson(const RowView& row, absl::TimeZone zone,
                       v1::LedgerEvent* event) {
  v1::Person* p = event->mutable_person();
  if (auto e = Id(row, "person_id", true, p->mutable_id())) return e;
  if (auto e = Id(row, "household_id", false, p->mutable_household_id())) {
    return e;
  }
  if (auto e = Id(row, "area_id", false, p->mutable_area_id())) return e;
  if (auto e = Text(row, "name", p->mutable_name())) return e;
  if (auto e = Id(row, "national_id", false, p->mutable_national_id())) {
    return e;
  }
  if (auto e = Text(row, "phone", p->mutable_phone())) return e;
  bool has_birth_date = false;
  v1::Date birth_date;
  if (auto e = Day(row, "birth_date", zone, /*show_value=*/false, &birth_date,
                   &has_birth_date)) {
    return e;
  }
  if (has_birth_date) *p->mutable_birth_date() = birth_date;
  absl::string_view tags = row.Get("tags");
  if (!tags.empty()) {
    for (absl::string_view tag : absl::StrSplit(tags, ';')) {
      if (tag.empty()) {
        return Fail("tags", absl::StrCat(QuotedValue(tags),
                                         " has an empty tag (tags are "
                                         "separated by ';')"));
      }
      p->add_tags(std::string(tag));
    }
  }
  return std::nullopt;
}

CellResult BuildExposure(const RowView& row, absl::TimeZone,
                         v1::LedgerEvent* event) {
  v1::Exposure* x = event->mutable_exposure();
  if (auto e = Id(row, "person_a", true, x->mutable_person_a())) return e;
  if (auto e = Id(row, "person_b", true, x->mutable_person_b())) return e;
  if (auto e = Time(row, "start", x->mutable_start())) return e;
  if (auto e = Time(row, "end", x->mutable_end())) return e;
  int setting = 0;
  if (auto e = Enum(row, "setting", ExposureSettingNames(), true, &setting))
    return e;
  x->set_setting(static_cast<v1::ExposureSetting>(setting));
  return std::nullopt;
}

CellResult BuildDiagnosis(const RowView& row, absl::TimeZone zone,
                          v1::LedgerEvent* event) {
  v1::Diagnosis* d = event->mutable_diagnosis();
  if (auto e = Id(row, "person_id", true, d->mutable_person_id())) return e;
  int status = 0;
  if (auto e = Enum(row, "status", DiagnosisStatusNames(), true, &status))
    return e;
  d->set_status(static_cast<v1::DiagnosisStatus>(status));
  bool has_onset = false;
  v1::Date onset;
  if (auto e = Day(row, "onset", zone, /*show_value=*/true, &onset, &has_onset))
    return e;
  if (has_onset) *d->mutable_onset() = onset;
  return Time(row, "time", d->mutable_time());
}

CellResult BuildStay(const RowView& row, absl::TimeZone,
                     v1::LedgerEvent* event) {
  v1::QuarantineAction* a = event->mutable_quarantine_action();
  if (auto e = Id(row, "person_id", true, a->mutable_person_id())) return e;
  int action = 0;
  if (auto e = Enum(row, "action", QuarantineActionNames(), true, &action))
    return e;
  a->set_action(static_cast<v1::QuarantineActionKind>(action));
  if (auto e = Time(row, "time", a->mutable_time())) return e;
  int place = 0;
  if (auto e = Enum(row, "place", QuarantinePlaceNames(), false, &place))
    return e;
  if (action == v1::QUARANTINE_ACTION_KIND_START && place == 0) {
    return Fail("place",
                "is required for action start (hospital|centralized|home)");
  }
  if (action == v1::QUARANTINE_ACTION_KIND_END && place != 0) {
    return Fail("place", "must be empty for action end");
  }
  a->set_place(static_cast<v1::QuarantinePlace>(place));
  return std::nullopt;
}

CellResult BuildCheck(const RowView& row, absl::TimeZone,
                      v1::LedgerEvent* event) {
  v1::HealthCheck* c = event->mutable_health_check();
  if (auto e = Id(row, "person_id", true, c->mutable_person_id())) return e;
  if (auto e = Time(row, "time", c->mutable_time())) return e;
  absl::string_view temperature = row.Get("temperature_c");
  if (temperature.empty()) {
    return Fail("temperature_c", "is required and empty");
  }
  double celsius = 0;
  if (!IsPlainDecimal(temperature) ||
      !absl::SimpleAtod(temperature, &celsius) || !std::isfinite(celsius)) {
    return Fail("temperature_c",
                absl::StrCat(QuotedValue(temperature),
                             " is not a decimal number (e.g. 37.5)"));
  }
  c->set_temperature_celsius(celsius);
  absl::string_view symptoms = row.Get("symptoms");
  if (symptoms == "true") {
    c->add_symptoms("symptoms");
  } else if (!symptoms.empty() && symptoms != "false") {
    return Fail("symptoms",
                absl::StrCat("unknown value ", QuotedValue(symptoms),
                             " (expected true|false)"));
  }
  return Id(row, "checked_by", false, c->mutable_checked_by());
}

CellResult BuildPassage(const RowView& row, absl::TimeZone,
                        v1::LedgerEvent* event) {
  v1::CheckpointPassage* p = event->mutable_checkpoint_passage();
  if (auto e = Id(row, "person_id", true, p->mutable_person_id())) return e;
  if (auto e = Id(row, "checkpoint_id", true, p->mutable_checkpoint_id())) {
    return e;
  }
  if (auto e = Time(row, "time", p->mutable_time())) return e;
  int direction = 0;
  if (auto e =
          Enum(row, "direction", PassageDirectionNames(), true, &direction))
    return e;
  p->set_direction(static_cast<v1::PassageDirection>(direction));
  return std::nullopt;
}

}  // namespace

RowBuilder RowBuilderOf(ImportKind kind) {
  switch (kind) {
    case ImportKind::kAreas:
      return BuildArea;
    case ImportKind::kHouseholds:
      return BuildHousehold;
    case ImportKind::kPersons:
      return BuildPerson;
    case ImportKind::kExposures:
      return BuildExposure;
    case ImportKind::kDiagnoses:
      return BuildDiagnosis;
    case ImportKind::kStays:
      return BuildStay;
    case ImportKind::kChecks:
      return BuildCheck;
    case ImportKind::kPassages:
      return BuildPassage;
  }
  return BuildArea;
}

std::string ColumnOfField(ImportKind kind, absl::string_view field) {
  field = field.substr(0, field.find_first_of("[."));
  if (field == "id") {
    switch (kind) {
      case ImportKind::kAreas:
        return "area_id";
      case ImportKind::kHouseholds:
        return "household_id";
      case ImportKind::kPersons:
        return "person_id";
      default:
        return "";
    }
  }
  if (field == "temperature_celsius") return "temperature_c";
  for (const ImportColumn& column : ImportKindSpecOf(kind).columns) {
    if (column.name == field) return column.name;
  }
  return "";
}

}  // namespace internal
}  // namespace contactledger
