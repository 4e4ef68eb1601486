// Copyright 2026 The ContactLedger Authors.
//
// The CSV and JSON Lines importers of contactledger/import.h.

#include "contactledger/import.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "lib/import/csv.h"

namespace contactledger {
namespace {

using internal::CsvReader;
using internal::CsvRecord;

// ---------------------------------------------------------------------------
// Kinds and their columns.

struct KindSpec {
  ImportKind kind;
  const char* name;
  std::vector<ImportColumn> columns;
};

const std::vector<KindSpec>& Specs() {
  static const auto* specs = new std::vector<KindSpec>{
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

const KindSpec& SpecOf(ImportKind kind) {
  return Specs()[static_cast<size_t>(kind)];
}

// ---------------------------------------------------------------------------
// Enumerated values, spelled as in issue 4.

struct EnumValue {
  const char* text;
  int value;
};
using EnumTable = std::vector<EnumValue>;

const EnumTable& Levels() {
  static const auto* t = new EnumTable{
      {"county", v1::AREA_LEVEL_COUNTY},
      {"township", v1::AREA_LEVEL_TOWNSHIP},
      {"village", v1::AREA_LEVEL_VILLAGE},
      {"grid", v1::AREA_LEVEL_GRID},
  };
  return *t;
}
const EnumTable& Settings() {
  static const auto* t = new EnumTable{
      {"household", v1::EXPOSURE_SETTING_HOUSEHOLD},
      {"work", v1::EXPOSURE_SETTING_WORK},
      {"school", v1::EXPOSURE_SETTING_SCHOOL},
      {"transport", v1::EXPOSURE_SETTING_TRANSPORT},
      {"gathering", v1::EXPOSURE_SETTING_GATHERING},
      {"healthcare", v1::EXPOSURE_SETTING_HEALTHCARE},
      {"other", v1::EXPOSURE_SETTING_OTHER},
  };
  return *t;
}
const EnumTable& Statuses() {
  static const auto* t = new EnumTable{
      {"suspected", v1::DIAGNOSIS_STATUS_SUSPECTED},
      {"confirmed", v1::DIAGNOSIS_STATUS_CONFIRMED},
      {"asymptomatic", v1::DIAGNOSIS_STATUS_ASYMPTOMATIC},
      {"recovered", v1::DIAGNOSIS_STATUS_RECOVERED},
      {"deceased", v1::DIAGNOSIS_STATUS_DECEASED},
      {"cleared", v1::DIAGNOSIS_STATUS_CLEARED},
  };
  return *t;
}
const EnumTable& Actions() {
  static const auto* t = new EnumTable{
      {"start", v1::QUARANTINE_ACTION_KIND_START},
      {"end", v1::QUARANTINE_ACTION_KIND_END},
  };
  return *t;
}
const EnumTable& Places() {
  static const auto* t = new EnumTable{
      {"hospital", v1::QUARANTINE_PLACE_HOSPITAL},
      {"centralized", v1::QUARANTINE_PLACE_CENTRALIZED},
      {"home", v1::QUARANTINE_PLACE_HOME},
  };
  return *t;
}
const EnumTable& Directions() {
  static const auto* t = new EnumTable{
      {"in", v1::PASSAGE_DIRECTION_IN},
      {"out", v1::PASSAGE_DIRECTION_OUT},
  };
  return *t;
}

// ---------------------------------------------------------------------------
// One data row and the errors of its cells.

struct CellError {
  std::string column;
  std::string reason;
};
using CellResult = std::optional<CellError>;

CellError Fail(absl::string_view column, std::string reason) {
  return CellError{std::string(column), std::move(reason)};
}

std::string Quoted(absl::string_view value) {
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

class RowView {
 public:
  RowView(const absl::flat_hash_map<std::string, size_t>& index,
          const CsvRecord& record)
      : index_(index), record_(record) {}

  // The cell of `column`; empty when the header does not have the column.
  absl::string_view Get(absl::string_view column) const {
    auto it = index_.find(column);
    if (it == index_.end()) return absl::string_view();
    return record_.fields[it->second];
  }

 private:
  const absl::flat_hash_map<std::string, size_t>& index_;
  const CsvRecord& record_;
};

CellResult Id(const RowView& row, absl::string_view column, bool required,
              std::string* out) {
  absl::string_view value = row.Get(column);
  if (value.empty() && required) return Fail(column, "is required and empty");
  out->assign(value.data(), value.size());
  return std::nullopt;
}

CellResult Enum(const RowView& row, absl::string_view column,
                const EnumTable& table, bool required, int* out) {
  absl::string_view value = row.Get(column);
  *out = 0;
  if (value.empty()) {
    if (required) return Fail(column, "is required and empty");
    return std::nullopt;
  }
  for (const EnumValue& v : table) {
    if (value == v.text) {
      *out = v.value;
      return std::nullopt;
    }
  }
  std::vector<std::string> names;
  for (const EnumValue& v : table) names.push_back(v.text);
  return Fail(column,
              absl::StrCat("unknown value ", Quoted(value), " (expected ",
                           absl::StrJoin(names, "|"), ")"));
}

bool HasSurroundingSpace(absl::string_view value) {
  return !value.empty() && (absl::ascii_isspace(value.front()) ||
                            absl::ascii_isspace(value.back()));
}

// An RFC 3339 time with an offset, to the whole second.
std::optional<std::string> ParseRfc3339(absl::string_view value,
                                        absl::Time* out) {
  if (HasSurroundingSpace(value)) {
    return absl::StrCat(Quoted(value), " has spaces around it");
  }
  std::string error;
  // absl::ParseTime also takes "infinite-future" and "infinite-past".
  if (absl::StartsWith(value, "infinite") ||
      !absl::ParseTime(absl::RFC3339_full, value, out, &error)) {
    return absl::StrCat(Quoted(value),
                        " is not an RFC 3339 time with an offset (e.g. "
                        "2020-02-01T08:00:00+08:00)",
                        error.empty() ? "" : ": ", error);
  }
  if (*out != absl::FromUnixSeconds(absl::ToUnixSeconds(*out))) {
    return absl::StrCat(Quoted(value),
                        " has a fraction of a second; event times are kept to "
                        "the whole second");
  }
  return std::nullopt;
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* ts) {
  ts->set_seconds(absl::ToUnixSeconds(t));
  ts->set_nanos(0);
}

CellResult Time(const RowView& row, absl::string_view column,
                google::protobuf::Timestamp* out) {
  absl::string_view value = row.Get(column);
  if (value.empty()) return Fail(column, "is required and empty");
  absl::Time t;
  if (auto error = ParseRfc3339(value, &t)) return Fail(column, *error);
  SetTimestamp(t, out);
  return std::nullopt;
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

// A day, YYYY-MM-DD, or an RFC 3339 time taken as its civil day in `zone`.
// Leaves `out` unset when the cell is empty.
CellResult Day(const RowView& row, absl::string_view column,
               absl::TimeZone zone, v1::Date* out, bool* present) {
  absl::string_view value = row.Get(column);
  *present = false;
  if (value.empty()) return std::nullopt;
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
      return Fail(column, absl::StrCat(Quoted(value), " is not a real day"));
    }
  } else {
    absl::Time t;
    if (ParseRfc3339(value, &t)) {
      return Fail(column,
                  absl::StrCat(Quoted(value),
                               " is neither a day (YYYY-MM-DD) nor an RFC 3339 "
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
  if (auto e = Enum(row, "level", Levels(), true, &level)) return e;
  area->set_level(static_cast<v1::AreaLevel>(level));
  return Id(row, "name", false, area->mutable_name());
}

CellResult BuildHousehold(const RowView& row, absl::TimeZone,
                          v1::LedgerEvent* event) {
  v1::Household* h = event->mutable_household();
  if (auto e = Id(row, "household_id", true, h->mutable_id())) return e;
  if (auto e = Id(row, "area_id", true, h->mutable_area_id())) return e;
  if (auto e = Id(row, "address", false, h->mutable_address())) return e;
  return Id(row, "responsible_worker", false, h->mutable_responsible_worker());
}

CellResult BuildPerson(const RowView& row, absl::TimeZone zone,
                       v1::LedgerEvent* event) {
  v1::Person* p = event->mutable_person();
  if (auto e = Id(row, "person_id", true, p->mutable_id())) return e;
  if (auto e = Id(row, "household_id", false, p->mutable_household_id())) {
    return e;
  }
  if (auto e = Id(row, "area_id", false, p->mutable_area_id())) return e;
  if (auto e = Id(row, "name", false, p->mutable_name())) return e;
  if (auto e = Id(row, "national_id", false, p->mutable_national_id())) {
    return e;
  }
  if (auto e = Id(row, "phone", false, p->mutable_phone())) return e;
  bool has_birth_date = false;
  v1::Date birth_date;
  if (auto e = Day(row, "birth_date", zone, &birth_date, &has_birth_date)) {
    return e;
  }
  if (has_birth_date) *p->mutable_birth_date() = birth_date;
  absl::string_view tags = row.Get("tags");
  if (!tags.empty()) {
    for (absl::string_view tag : absl::StrSplit(tags, ';')) {
      if (tag.empty()) {
        return Fail("tags", absl::StrCat(Quoted(tags),
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
  if (auto e = Enum(row, "setting", Settings(), true, &setting)) return e;
  x->set_setting(static_cast<v1::ExposureSetting>(setting));
  return std::nullopt;
}

CellResult BuildDiagnosis(const RowView& row, absl::TimeZone zone,
                          v1::LedgerEvent* event) {
  v1::Diagnosis* d = event->mutable_diagnosis();
  if (auto e = Id(row, "person_id", true, d->mutable_person_id())) return e;
  int status = 0;
  if (auto e = Enum(row, "status", Statuses(), true, &status)) return e;
  d->set_status(static_cast<v1::DiagnosisStatus>(status));
  bool has_onset = false;
  v1::Date onset;
  if (auto e = Day(row, "onset", zone, &onset, &has_onset)) return e;
  if (has_onset) *d->mutable_onset() = onset;
  return Time(row, "time", d->mutable_time());
}

CellResult BuildStay(const RowView& row, absl::TimeZone,
                     v1::LedgerEvent* event) {
  v1::QuarantineAction* a = event->mutable_quarantine_action();
  if (auto e = Id(row, "person_id", true, a->mutable_person_id())) return e;
  int action = 0;
  if (auto e = Enum(row, "action", Actions(), true, &action)) return e;
  a->set_action(static_cast<v1::QuarantineActionKind>(action));
  if (auto e = Time(row, "time", a->mutable_time())) return e;
  int place = 0;
  if (auto e = Enum(row, "place", Places(), false, &place)) return e;
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
                absl::StrCat(Quoted(temperature),
                             " is not a decimal number (e.g. 37.5)"));
  }
  c->set_temperature_celsius(celsius);
  absl::string_view symptoms = row.Get("symptoms");
  if (symptoms == "true") {
    c->add_symptoms("symptoms");
  } else if (!symptoms.empty() && symptoms != "false") {
    return Fail("symptoms", absl::StrCat("unknown value ", Quoted(symptoms),
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
  if (auto e = Enum(row, "direction", Directions(), true, &direction)) return e;
  p->set_direction(static_cast<v1::PassageDirection>(direction));
  return std::nullopt;
}

using Builder = CellResult (*)(const RowView&, absl::TimeZone,
                               v1::LedgerEvent*);

Builder BuilderOf(ImportKind kind) {
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

// The CSV column a ledger validation error's field is about, or "".
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
  for (const ImportColumn& column : SpecOf(kind).columns) {
    if (column.name == field) return column.name;
  }
  return "";
}

std::string FileName(const ImportOptions& options, absl::string_view fallback) {
  if (!options.file_name.empty()) return options.file_name;
  return std::string(fallback);
}

// What AppendBatch said, with "event N of M (...): field: reason" mapped to
// the line (and, for CSV, the column) it came from.
absl::Status MapLedgerError(const absl::Status& status,
                            absl::string_view file_name,
                            const std::vector<int64_t>& lines,
                            const ImportKind* kind) {
  absl::string_view message = status.message();
  // "event " N " of " M " (" body "): " rest
  if (status.code() == absl::StatusCode::kInvalidArgument &&
      absl::ConsumePrefix(&message, "event ")) {
    const size_t of = message.find(" of ");
    const size_t close = message.find("): ");
    uint64_t index = 0;
    if (of != absl::string_view::npos && close != absl::string_view::npos &&
        absl::SimpleAtoi(message.substr(0, of), &index) && index >= 1 &&
        index <= lines.size()) {
      const int64_t line = lines[index - 1];
      absl::string_view rest = message.substr(close + 3);
      if (kind != nullptr) {
        const size_t colon = rest.find(": ");
        if (colon != absl::string_view::npos) {
          const std::string column =
              ColumnOfField(*kind, rest.substr(0, colon));
          if (!column.empty()) {
            return absl::InvalidArgumentError(
                absl::StrCat(file_name, ": line ", line, ", column \"", column,
                             "\": ", rest.substr(colon + 2)));
          }
        }
      }
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ": line ", line, ": ", rest));
    }
  }
  return absl::Status(status.code(),
                      absl::StrCat(file_name, ": ", status.message()));
}

// ImportOptions::progress is called every this many rows.
constexpr size_t kProgressRows = 4096;

ImportProgress Progress(uint64_t rows, uint64_t bytes_consumed,
                        absl::string_view text, bool recording) {
  ImportProgress progress;
  progress.rows = rows;
  progress.bytes_consumed = bytes_consumed;
  progress.bytes_total = text.size();
  progress.recording = recording;
  return progress;
}

// Limits (contactledger/ledger.h): every line of `text` within
// max_line_bytes (its line break not counted).
absl::Status CheckLineLengths(absl::string_view text, const Limits& limits,
                              absl::string_view file_name) {
  int64_t line = 1;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    const size_t next = end == absl::string_view::npos ? text.size() : end + 1;
    if (end == absl::string_view::npos) end = text.size();
    if (end > start && text[end - 1] == '\r') --end;
    if (end - start > limits.max_line_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          file_name, ": line ", line, " (byte offset ", start, ") is ",
          end - start, " bytes, more than the ", limits.max_line_bytes,
          " allowed (Limits::max_line_bytes)"));
    }
    start = next;
    ++line;
  }
  return absl::OkStatus();
}

// Limits: one more row than max_batch_events would make the one batch too
// large; say so at the row, before parsing the rest.
absl::Status TooManyRows(const Limits& limits, absl::string_view file_name,
                         int64_t line) {
  return absl::ResourceExhaustedError(absl::StrCat(
      file_name, ": line ", line, ": more than ", limits.max_batch_events,
      " events, the most one import records (Limits::max_batch_events: an "
      "import is one batch); split the file"));
}

// Limits: the size of a whole input.
absl::Status CheckInputSize(uint64_t bytes, const Limits& limits,
                            absl::string_view file_name) {
  if (bytes <= limits.max_import_bytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      file_name, ": ", bytes, " bytes, more than the ", limits.max_import_bytes,
      " an import may read (Limits::max_import_bytes)"));
}

// Parses and returns the events, and the line of each.
absl::StatusOr<std::vector<v1::LedgerEvent>> ParseCsvFile(
    ImportKind kind, absl::string_view text, absl::TimeZone zone,
    const ImportOptions& options, const Limits& limits,
    std::vector<int64_t>* lines) {
  const std::string file_name = FileName(options, "<input>");
  const KindSpec& spec = SpecOf(kind);
  const auto error = [&](absl::string_view message) {
    return absl::InvalidArgumentError(absl::StrCat(file_name, ": ", message));
  };
  if (absl::Status s = CheckInputSize(text.size(), limits, file_name);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLineLengths(text, limits, file_name); !s.ok()) {
    return s;
  }

  CsvReader reader(text);
  CsvRecord header;
  absl::StatusOr<bool> more = reader.Next(&header);
  if (!more.ok()) return error(more.status().message());
  if (!*more) {
    return error(absl::StrCat("no header row (", spec.name,
                              " files start "
                              "with a header naming their columns)"));
  }
  std::vector<std::string> names;
  for (const ImportColumn& column : spec.columns) {
    names.push_back(column.required ? column.name + "*" : column.name);
  }
  const std::string expected =
      absl::StrCat(" (", spec.name, " columns: ", absl::StrJoin(names, ", "),
                   "; * = required)");
  absl::flat_hash_map<std::string, size_t> index;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string& name = header.fields[i];
    bool known = false;
    for (const ImportColumn& column : spec.columns)
      known |= column.name == name;
    if (!known) {
      return error(absl::StrCat("line ", header.line, ", column ", Quoted(name),
                                ": unknown column", expected));
    }
    if (!index.emplace(name, i).second) {
      return error(absl::StrCat("line ", header.line, ", column ", Quoted(name),
                                ": the column appears twice"));
    }
  }
  for (const ImportColumn& column : spec.columns) {
    if (column.required && !index.contains(column.name)) {
      return error(absl::StrCat("line ", header.line,
                                ": missing required column ",
                                Quoted(column.name), expected));
    }
  }

  const Builder build = BuilderOf(kind);
  std::vector<v1::LedgerEvent> events;
  lines->clear();
  CsvRecord record;
  while (true) {
    more = reader.Next(&record);
    if (!more.ok()) return error(more.status().message());
    if (!*more) break;
    if (events.size() >= limits.max_batch_events) {
      return TooManyRows(limits, file_name, record.line);
    }
    if (record.fields.size() != header.fields.size()) {
      return error(absl::StrCat("line ", record.line, ": ",
                                record.fields.size(), " field",
                                record.fields.size() == 1 ? "" : "s",
                                ", but the header has ", header.fields.size()));
    }
    v1::LedgerEvent& event = events.emplace_back();
    if (!options.actor.empty()) event.set_actor(options.actor);
    if (CellResult e = build(RowView(index, record), zone, &event)) {
      return error(absl::StrCat("line ", record.line, ", column ",
                                Quoted(e->column), ": ", e->reason));
    }
    lines->push_back(record.line);
    if (options.progress && events.size() % kProgressRows == 0) {
      options.progress(Progress(events.size(), reader.offset(), text, false));
    }
  }
  return events;
}

absl::StatusOr<std::vector<v1::LedgerEvent>> ParseJsonlFile(
    absl::string_view text, const ImportOptions& options, const Limits& limits,
    std::vector<int64_t>* lines) {
  const std::string file_name = FileName(options, "<input>");
  if (absl::Status s = CheckInputSize(text.size(), limits, file_name);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLineLengths(text, limits, file_name); !s.ok()) {
    return s;
  }
  if (absl::Status utf8 = internal::ValidateUtf8(text); !utf8.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": ", utf8.message()));
  }
  std::vector<v1::LedgerEvent> events;
  lines->clear();
  google::protobuf::util::JsonParseOptions parse_options;
  parse_options.ignore_unknown_fields = false;
  int64_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    absl::ConsumeSuffix(&line, "\r");
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    if (events.size() >= limits.max_batch_events) {
      return TooManyRows(limits, file_name, line_number);
    }
    v1::LedgerEvent& event = events.emplace_back();
    const auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(line.data(), line.size()), &event,
        parse_options);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ": line ", line_number,
                       ": not a LedgerEvent in protobuf JSON: ",
                       std::string(status.message())));
    }
    if (event.body_case() == v1::LedgerEvent::BODY_NOT_SET) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ": line ", line_number,
                       ": the event has no body (area, household, person, "
                       "exposure, diagnosis, quarantine_action, health_check, "
                       "checkpoint_passage or retraction)"));
    }
    if (!options.actor.empty() && event.actor().empty()) {
      event.set_actor(options.actor);
    }
    lines->push_back(line_number);
    if (options.progress && events.size() % kProgressRows == 0) {
      options.progress(Progress(
          events.size(), line.data() + line.size() - text.data(), text, false));
    }
  }
  return events;
}

absl::StatusOr<ImportSummary> Record(Ledger* ledger,
                                     const std::vector<v1::LedgerEvent>& events,
                                     const std::vector<int64_t>& lines,
                                     const ImportOptions& options,
                                     absl::string_view file_name,
                                     const ImportKind* kind) {
  ImportSummary summary;
  summary.rows = events.size();
  absl::StatusOr<std::vector<uint64_t>> sequences =
      ledger->AppendBatch(events, options.write_options);
  if (!sequences.ok()) {
    return MapLedgerError(sequences.status(), file_name, lines, kind);
  }
  if (!sequences->empty()) {
    summary.first_sequence = sequences->front();
    summary.last_sequence = sequences->back();
  }
  return summary;
}

}  // namespace

std::vector<std::string> ImportKindNames() {
  std::vector<std::string> names;
  for (const KindSpec& spec : Specs()) names.push_back(spec.name);
  return names;
}

absl::string_view ImportKindName(ImportKind kind) { return SpecOf(kind).name; }

absl::StatusOr<ImportKind> ParseImportKind(absl::string_view name) {
  for (const KindSpec& spec : Specs()) {
    if (name == spec.name) return spec.kind;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown import kind ", Quoted(name), " (expected ",
                   absl::StrJoin(ImportKindNames(), "|"), ")"));
}

std::vector<ImportColumn> ImportColumns(ImportKind kind) {
  return SpecOf(kind).columns;
}

absl::StatusOr<std::vector<v1::LedgerEvent>> CsvToEvents(
    ImportKind kind, absl::string_view csv_text, absl::TimeZone zone,
    const ImportOptions& options) {
  std::vector<int64_t> lines;
  return ParseCsvFile(kind, csv_text, zone, options, Limits(), &lines);
}

absl::StatusOr<std::vector<v1::LedgerEvent>> JsonlToEvents(
    absl::string_view jsonl_text, const ImportOptions& options) {
  std::vector<int64_t> lines;
  return ParseJsonlFile(jsonl_text, options, Limits(), &lines);
}

absl::StatusOr<ImportSummary> ImportCsv(Ledger* ledger, ImportKind kind,
                                        absl::string_view csv_text,
                                        const ImportOptions& options) {
  std::vector<int64_t> lines;
  absl::StatusOr<std::vector<v1::LedgerEvent>> events =
      ParseCsvFile(kind, csv_text, ledger->options().time_zone, options,
                   ledger->options().limits, &lines);
  if (!events.ok()) return events.status();
  if (options.progress) {
    options.progress(Progress(events->size(), csv_text.size(), csv_text, true));
  }
  return Record(ledger, *events, lines, options, FileName(options, "<input>"),
                &kind);
}

absl::StatusOr<ImportSummary> ImportJsonl(Ledger* ledger,
                                          absl::string_view jsonl_text,
                                          const ImportOptions& options) {
  std::vector<int64_t> lines;
  absl::StatusOr<std::vector<v1::LedgerEvent>> events =
      ParseJsonlFile(jsonl_text, options, ledger->options().limits, &lines);
  if (!events.ok()) return events.status();
  if (options.progress) {
    options.progress(
        Progress(events->size(), jsonl_text.size(), jsonl_text, true));
  }
  return Record(ledger, *events, lines, options, FileName(options, "<input>"),
                nullptr);
}

absl::StatusOr<ImportSummary> ImportCsvFile(Ledger* ledger, ImportKind kind,
                                            const std::string& path,
                                            const ImportOptions& options,
                                            Env* env) {
  if (env == nullptr) env = Env::Default();
  ImportOptions named = options;
  named.file_name = FileName(options, path);
  absl::StatusOr<uint64_t> size = env->GetFileSize(path);
  if (!size.ok()) return size.status();
  if (absl::Status s =
          CheckInputSize(*size, ledger->options().limits, named.file_name);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> text = ReadFileToString(env, path);
  if (!text.ok()) return text.status();
  return ImportCsv(ledger, kind, *text, named);
}

absl::StatusOr<ImportSummary> ImportJsonlFile(Ledger* ledger,
                                              const std::string& path,
                                              const ImportOptions& options,
                                              Env* env) {
  if (env == nullptr) env = Env::Default();
  ImportOptions named = options;
  named.file_name = FileName(options, path);
  absl::StatusOr<uint64_t> size = env->GetFileSize(path);
  if (!size.ok()) return size.status();
  if (absl::Status s =
          CheckInputSize(*size, ledger->options().limits, named.file_name);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> text = ReadFileToString(env, path);
  if (!text.ok()) return text.status();
  return ImportJsonl(ledger, *text, named);
}

}  // namespace contactledger
