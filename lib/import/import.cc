// Copyright 2026 The ContactLedger Authors.
//
// The CSV and JSON Lines importers of contactledger/import.h: reading a
// file within the ledger's limits, its CSV header and rows (each row made
// an event by lib/import/import_rows.h) or its JSON Lines, collecting every
// bad row; looking for an earlier import of the same bytes (FindImports);
// checking the events against the ledger without recording
// (lib/core/validator.h, for a dry run and to list every row the ledger
// refuses); then recording them with one AppendBatch, the first event
// stamped with the file's ImportSource, and mapping a ledger error back to
// the line (and column) it came from.

#include "contactledger/import.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "lib/core/validator.h"
#include "lib/import/csv.h"
#include "lib/import/import_rows.h"
#include "lib/state/reader.h"
#include "lib/util/sha256.h"
#include "lib/util/text.h"

namespace contactledger {
namespace {

using internal::CellResult;
using internal::ColumnOfField;
using internal::CsvReader;
using internal::CsvRecord;
using internal::ImportKindSpec;
using internal::ImportKindSpecOf;
using internal::ImportKindSpecs;
using internal::QuotedValue;
using internal::RowBuilder;
using internal::RowBuilderOf;
using internal::RowView;

std::string FileName(const ImportOptions& options, absl::string_view fallback) {
  if (!options.file_name.empty()) return options.file_name;
  return std::string(fallback);
}

// ---------------------------------------------------------------------------
// Bad rows.

// The bad rows of one file, up to a limit, and the one error that lists
// them.
class BadRows {
 public:
  // `csv`: the file's rows are data rows (CSV) rather than lines (JSONL).
  BadRows(size_t max_errors, bool csv)
      : max_(std::max<size_t>(max_errors, 1)), csv_(csv) {}

  // Whether no more may be added: the limit is reached and one more was
  // found (so there is no need to look further).
  bool over() const { return more_; }
  bool empty() const { return rows_.empty(); }
  size_t size() const { return rows_.size(); }

  // `text` says where and what: "line 4, column \"level\": unknown ...".
  void Add(int64_t line, std::string text) {
    if (rows_.size() >= max_) {
      more_ = true;
      return;
    }
    rows_.push_back({line, std::move(text)});
  }

  // InvalidArgument naming the file: the one bad row, or the count and one
  // row a line, by line number.
  absl::Status ToStatus(absl::string_view file_name) const {
    std::vector<Row> rows = rows_;
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      return a.line < b.line;
    });
    if (rows.size() == 1 && !more_) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ": ", rows[0].text));
    }
    const char* noun = csv_ ? "rows" : "lines";
    std::string message =
        more_ ? absl::StrCat(file_name, ": more than ", rows.size(), " bad ",
                             noun, ":")
              : absl::StrCat(file_name, ": ", rows.size(), " bad ", noun, ":");
    for (const Row& row : rows) absl::StrAppend(&message, "\n  ", row.text);
    if (more_) {
      absl::StrAppend(&message, "\n  ... and more (first ", rows.size(),
                      " shown)");
    }
    return absl::InvalidArgumentError(message);
  }

 private:
  struct Row {
    int64_t line;
    std::string text;
  };
  const size_t max_;
  const bool csv_;
  std::vector<Row> rows_;
  bool more_ = false;
};

// "line L, column \"c\": reason" for what the ledger said of the event on
// line L: `rest` is "field: reason", the field mapped to its CSV column
// when `kind` is set (JSON Lines keep the field: "line L: field: reason").
std::string LedgerErrorText(absl::string_view rest, int64_t line,
                            const ImportKind* kind) {
  if (kind != nullptr) {
    const size_t colon = rest.find(": ");
    if (colon != absl::string_view::npos) {
      const std::string column = ColumnOfField(*kind, rest.substr(0, colon));
      if (!column.empty()) {
        return absl::StrCat("line ", line, ", column \"", column,
                            "\": ", rest.substr(colon + 2));
      }
    }
  }
  return absl::StrCat("line ", line, ": ", rest);
}

// Splits "event K of M (body 'id'): rest" into K and rest.
bool ParseEventError(absl::string_view message, uint64_t* index,
                     absl::string_view* rest) {
  if (!absl::ConsumePrefix(&message, "event ")) return false;
  const size_t of = message.find(" of ");
  const size_t close = message.find("): ");
  if (of == absl::string_view::npos || close == absl::string_view::npos ||
      !absl::SimpleAtoi(message.substr(0, of), index)) {
    return false;
  }
  *rest = message.substr(close + 3);
  return true;
}

// ---------------------------------------------------------------------------
// Reading a file.

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

// A blank line of a CSV file: one empty field (an empty line), or only
// empty fields (a line of commas, as spreadsheets write for empty rows);
// spaces count as empty.
bool IsBlank(const CsvRecord& record) {
  for (const std::string& field : record.fields) {
    if (!absl::StripAsciiWhitespace(field).empty()) return false;
  }
  return true;
}

// The separator a header of one field seems to use instead of ',', if any.
const char* OtherSeparator(const CsvRecord& header) {
  for (const std::string& name : header.fields) {
    if (absl::StrContains(name, ';')) return "semicolon";
    if (absl::StrContains(name, '\t')) return "tab";
  }
  return nullptr;
}

// The position of each column of `header`, checked against the kind's
// columns: every name known, none twice, every required column there.
// InvalidArgument "line L, column \"c\": ..." otherwise.
absl::StatusOr<absl::flat_hash_map<std::string, size_t>> HeaderIndex(
    const ImportKindSpec& spec, const CsvRecord& header) {
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
    for (const ImportColumn& column : spec.columns) {
      known |= column.name == name;
    }
    if (!known) {
      if (const char* separator = OtherSeparator(header)) {
        return absl::InvalidArgumentError(
            absl::StrCat("line ", header.line, ": the file looks ", separator,
                         "-separated (header: ",
                         QuotedValue(absl::StrJoin(header.fields, ",")),
                         "); save it as CSV with commas", expected));
      }
      return absl::InvalidArgumentError(
          absl::StrCat("line ", header.line, ", column ", QuotedValue(name),
                       ": unknown column", expected));
    }
    if (!index.emplace(name, i).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", header.line, ", column ", QuotedValue(name),
                       ": the column appears twice"));
    }
  }
  for (const ImportColumn& column : spec.columns) {
    if (column.required && !index.contains(column.name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", header.line, ": missing required column ",
                       QuotedValue(column.name), expected));
    }
  }
  return index;
}

// A file's good rows as events, each with its line.
struct ParsedFile {
  std::vector<v1::LedgerEvent> events;
  std::vector<int64_t> lines;
};

// The line of a CSV reader error, "line L, column C: ...".
int64_t LineOf(absl::string_view message) {
  int64_t line = 0;
  if (absl::ConsumePrefix(&message, "line ")) {
    (void)absl::SimpleAtoi(message.substr(0, message.find(',')), &line);
  }
  return line;
}

// Parses a CSV file: its good rows into `parsed`, its bad ones into `bad`.
// An error of the file as a whole is returned (named by the file).
absl::Status ParseCsvFile(ImportKind kind, absl::string_view text,
                          absl::TimeZone zone, const ImportOptions& options,
                          const Limits& limits, absl::string_view file_name,
                          ParsedFile* parsed, BadRows* bad) {
  const ImportKindSpec& spec = ImportKindSpecOf(kind);
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
  absl::StatusOr<bool> more;
  do {  // blank lines before the header are skipped too
    more = reader.Next(&header);
    if (!more.ok()) return error(more.status().message());
  } while (*more && IsBlank(header));
  if (!*more) {
    return error(absl::StrCat("no header row (", spec.name,
                              " files start "
                              "with a header naming their columns)"));
  }
  absl::StatusOr<absl::flat_hash_map<std::string, size_t>> index =
      HeaderIndex(spec, header);
  if (!index.ok()) return error(index.status().message());

  const RowBuilder build = RowBuilderOf(kind);
  parsed->events.clear();
  parsed->lines.clear();
  uint64_t rows = 0;
  CsvRecord record;
  v1::LedgerEvent event;
  while (!bad->over()) {
    more = reader.Next(&record);
    if (!more.ok()) {
      // The reader cannot go on after a syntax error: the rows before it
      // stand, the rest is not read.
      bad->Add(LineOf(more.status().message()),
               std::string(more.status().message()));
      break;
    }
    if (!*more) break;
    if (IsBlank(record)) continue;
    if (rows >= limits.max_batch_events) {
      return TooManyRows(limits, file_name, record.line);
    }
    ++rows;
    if (record.fields.size() != header.fields.size()) {
      bad->Add(record.line,
               absl::StrCat("line ", record.line, ": ", record.fields.size(),
                            " field", record.fields.size() == 1 ? "" : "s",
                            ", but the header has ", header.fields.size()));
    } else {
      event.Clear();
      if (!options.actor.empty()) event.set_actor(options.actor);
      if (CellResult e = build(RowView(*index, record), zone, &event)) {
        bad->Add(record.line,
                 absl::StrCat("line ", record.line, ", column ",
                              QuotedValue(e->column), ": ", e->reason));
      } else {
        parsed->events.push_back(std::move(event));
        parsed->lines.push_back(record.line);
      }
    }
    if (options.progress && rows % kProgressRows == 0) {
      options.progress(Progress(rows, reader.offset(), text, false));
    }
  }
  return absl::OkStatus();
}

// `text` with every run of 6 or more ASCII digits (a national id, a phone
// number, a birth date written as one number) replaced by "<N digits>".
std::string MaskDigitRuns(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t end = i;
    while (end < text.size() && absl::ascii_isdigit(text[end])) ++end;
    if (end - i >= 6) {
      absl::StrAppend(&out, "<", end - i, " digits>");
    } else {
      out.append(text.data() + i, std::max(end, i + 1) - i);
    }
    i = std::max(end, i + 1);
  }
  return out;
}

// Protobuf's message for a line that does not parse, without the private
// values it may quote (contactledger/import.h, "Errors"): when it names a
// private field (national_id, phone, birth_date, in either spelling), the
// value between "invalid value " and " for type " is left out; and any run
// of 6 or more digits is masked wherever it is.
std::string JsonParseMessage(absl::string_view message) {
  std::string text(message);
  static constexpr absl::string_view kPrivate[] = {
      "national_id", "nationalId", "phone", "birth_date", "birthDate"};
  bool names_private = false;
  for (absl::string_view name : kPrivate) {
    if (absl::StrContains(text, name)) names_private = true;
  }
  static constexpr absl::string_view kValue = "invalid value ";
  static constexpr absl::string_view kType = " for type ";
  const size_t value = absl::string_view(text).find(kValue);
  if (names_private && value != std::string::npos) {
    const size_t start = value + kValue.size();
    const size_t type = absl::string_view(text).find(kType, start);
    text.replace(start,
                 type == std::string::npos ? std::string::npos : type - start,
                 "(not shown: a private field)");
  }
  return MaskDigitRuns(text);
}

// Whether a line that is not JSON looks like a CSV header or row.
bool LooksLikeCsv(absl::string_view line) {
  line = absl::StripAsciiWhitespace(line);
  return !line.empty() && line.front() != '{' && line.front() != '[' &&
         absl::StrContains(line, ',');
}

// Trims the id fields of a JSON Lines event (contactledger/import.h).
void TrimIds(v1::LedgerEvent* event) {
  const auto trim = [](std::string* id) {
    const absl::string_view trimmed = internal::TrimId(*id);
    if (trimmed.size() != id->size()) *id = std::string(trimmed);
  };
  switch (event->body_case()) {
    case v1::LedgerEvent::kArea: {
      v1::Area* a = event->mutable_area();
      trim(a->mutable_id());
      trim(a->mutable_parent_id());
      break;
    }
    case v1::LedgerEvent::kHousehold: {
      v1::Household* h = event->mutable_household();
      trim(h->mutable_id());
      trim(h->mutable_area_id());
      break;
    }
    case v1::LedgerEvent::kPerson: {
      v1::Person* p = event->mutable_person();
      trim(p->mutable_id());
      trim(p->mutable_household_id());
      trim(p->mutable_area_id());
      trim(p->mutable_national_id());
      break;
    }
    case v1::LedgerEvent::kExposure: {
      v1::Exposure* x = event->mutable_exposure();
      trim(x->mutable_id());
      trim(x->mutable_person_a());
      trim(x->mutable_person_b());
      break;
    }
    case v1::LedgerEvent::kDiagnosis:
      trim(event->mutable_diagnosis()->mutable_person_id());
      break;
    case v1::LedgerEvent::kQuarantineAction:
      trim(event->mutable_quarantine_action()->mutable_person_id());
      break;
    case v1::LedgerEvent::kHealthCheck: {
      v1::HealthCheck* c = event->mutable_health_check();
      trim(c->mutable_person_id());
      trim(c->mutable_checked_by());
      break;
    }
    case v1::LedgerEvent::kCheckpointPassage: {
      v1::CheckpointPassage* p = event->mutable_checkpoint_passage();
      trim(p->mutable_person_id());
      trim(p->mutable_checkpoint_id());
      break;
    }
    case v1::LedgerEvent::kRetraction:
    case v1::LedgerEvent::BODY_NOT_SET:
      break;
  }
}

// Parses a JSON Lines file as ParseCsvFile does a CSV file.
absl::Status ParseJsonlFile(absl::string_view text,
                            const ImportOptions& options, const Limits& limits,
                            absl::string_view file_name, ParsedFile* parsed,
                            BadRows* bad) {
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
  parsed->events.clear();
  parsed->lines.clear();
  google::protobuf::util::JsonParseOptions parse_options;
  parse_options.ignore_unknown_fields = false;
  int64_t line_number = 0;
  uint64_t rows = 0;
  bool first = true;
  v1::LedgerEvent event;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (bad->over()) break;
    ++line_number;
    absl::ConsumeSuffix(&line, "\r");
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    if (rows >= limits.max_batch_events) {
      return TooManyRows(limits, file_name, line_number);
    }
    ++rows;
    const bool first_line = first;
    first = false;
    event.Clear();
    const auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(line.data(), line.size()), &event,
        parse_options);
    if (!status.ok()) {
      if (first_line && LooksLikeCsv(line)) {
        // A CSV file given as JSON Lines (a kind forgotten): one error for
        // the file, not one per row.
        return absl::InvalidArgumentError(absl::StrCat(
            file_name, ": line ", line_number,
            ": not a LedgerEvent in protobuf JSON; the file looks like CSV "
            "(first line ",
            MaskDigitRuns(QuotedValue(line.substr(0, 80))),
            "): import it as CSV of its kind (",
            absl::StrJoin(ImportKindNames(), ", "), ")"));
      }
      bad->Add(line_number,
               absl::StrCat("line ", line_number,
                            ": not a LedgerEvent in protobuf JSON: ",
                            JsonParseMessage(std::string(status.message()))));
    } else if (event.body_case() == v1::LedgerEvent::BODY_NOT_SET) {
      bad->Add(line_number,
               absl::StrCat("line ", line_number,
                            ": the event has no body (area, household, "
                            "person, exposure, diagnosis, quarantine_action, "
                            "health_check, checkpoint_passage or "
                            "retraction)"));
    } else {
      // The ledger assigns the envelope's numbers; the import its source.
      event.clear_sequence_number();
      event.clear_record_time();
      event.clear_import_source();
      TrimIds(&event);
      // The import's actor replaces the line's own (import.h, "Actors").
      if (!options.keep_line_actors || !options.actor.empty()) {
        event.set_actor(options.actor);
      }
      parsed->events.push_back(std::move(event));
      parsed->lines.push_back(line_number);
    }
    if (options.progress && rows % kProgressRows == 0) {
      options.progress(
          Progress(rows, line.data() + line.size() - text.data(), text, false));
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Checking against the ledger, and recording.

// The file's name as an ImportSource holds it: within the ledger's
// max_name_bytes and one line of text. A name that is not is written in
// ASCII (other bytes as '?') and, if still too long, cut to its end.
std::string SourceName(absl::string_view file_name, const Limits& limits) {
  if (!file_name.empty() && file_name.size() <= limits.max_name_bytes &&
      internal::CheckFieldText(file_name, internal::TextKind::kLine).ok()) {
    return std::string(file_name);
  }
  std::string ascii;
  for (char c : file_name) {
    const unsigned char u = static_cast<unsigned char>(c);
    ascii.push_back(u >= 0x20 && u < 0x7F ? c : '?');
  }
  if (ascii.empty()) ascii = "<input>";
  const size_t max = std::max<size_t>(limits.max_name_bytes, 4);
  if (ascii.size() > max) ascii = "..." + ascii.substr(ascii.size() - max + 3);
  return ascii;
}

void Stamp(const std::string& source_name, const std::string& sha256,
           std::vector<v1::LedgerEvent>* events) {
  if (events->empty()) return;
  v1::ImportSource* source = events->front().mutable_import_source();
  source->set_file_name(source_name);
  source->set_sha256(sha256);
  source->set_events(events->size());
}

// Checks `parsed` against the ledger as an append would, recording nothing:
// each event the ledger refuses goes to `bad`, and the events after it are
// checked as if it were not there (a failed BatchValidator::Check leaves the
// validator as it was before the event). `*validator`, when set, is the one
// of a dry-run session, which knows the files checked before; otherwise one
// is made for this file and kept there. ResourceExhausted (the batch too
// large) is returned.
absl::Status CheckAgainstLedger(
    const Ledger& ledger, const ParsedFile& parsed, const ImportKind* kind,
    absl::string_view file_name,
    std::unique_ptr<internal::BatchValidator>* validator, BadRows* bad) {
  internal::LedgerReader reader(ledger);
  if (*validator == nullptr) {
    *validator = std::make_unique<internal::BatchValidator>(
        reader.areas(), reader.households(), reader.events(),
        reader.events().FullCut(), parsed.events.size(), &ledger.options());
  }
  (*validator)->BeginBatch(parsed.events.size());
  for (size_t i = 0; i < parsed.events.size() && !bad->over(); ++i) {
    const absl::Status status = (*validator)->Check(parsed.events[i]);
    if (status.ok()) continue;
    if (!absl::IsInvalidArgument(status)) {
      return absl::Status(status.code(),
                          absl::StrCat(file_name, ": ", status.message()));
    }
    uint64_t index = 0;
    absl::string_view rest = status.message();
    ParseEventError(status.message(), &index, &rest);
    bad->Add(parsed.lines[i], LedgerErrorText(rest, parsed.lines[i], kind));
  }
  return absl::OkStatus();
}

// The newest import of `sha256` with an event not retracted, if any.
std::optional<ImportRecord> LiveImport(const Ledger& ledger,
                                       absl::string_view sha256) {
  std::vector<ImportRecord> imports = FindImports(ledger, sha256);
  for (auto it = imports.rbegin(); it != imports.rend(); ++it) {
    for (uint64_t s = it->first_sequence; s <= it->last_sequence; ++s) {
      if (!ledger.IsRetracted(s, ReadOptions())) return *it;
    }
  }
  return std::nullopt;
}

// Appends guarded by the ledger's last sequence number before the import
// gives up the guard: so that two imports of the same bytes at the same
// moment do not both record it, without starving an import on a ledger
// that others keep appending to.
constexpr int kGuardedAppends = 3;

}  // namespace

// ---------------------------------------------------------------------------
// The session: one file at a time.

struct ImportSession::State {
  State(Ledger& ledger, ImportOptions options)
      : ledger(ledger), options(std::move(options)) {}

  absl::StatusOr<ImportSummary> Import(const ImportKind* kind,
                                       absl::string_view text,
                                       absl::string_view file_name);

  Ledger& ledger;
  const ImportOptions options;
  // A dry run's: knows the events of the files checked so far.
  std::unique_ptr<internal::BatchValidator> dry_run_validator;
};

absl::StatusOr<ImportSummary> ImportSession::State::Import(
    const ImportKind* kind, absl::string_view text,
    absl::string_view file_name) {
  const Limits& limits = ledger.options().limits;
  if (absl::Status s = CheckInputSize(text.size(), limits, file_name);
      !s.ok()) {
    return s;
  }
  ImportSummary summary;
  summary.sha256 = internal::Sha256Hex(text);
  // The ledger's last sequence number when it was last looked at for an
  // earlier import of the same bytes.
  uint64_t looked_at = ledger.last_sequence_number();
  if (!options.again) {
    summary.already_imported = LiveImport(ledger, summary.sha256);
    if (summary.already_imported.has_value()) return summary;
  }

  ParsedFile parsed;
  BadRows bad(options.max_errors, kind != nullptr);
  const absl::Status fatal =
      kind != nullptr
          ? ParseCsvFile(*kind, text, ledger.time_zone(), options, limits,
                         file_name, &parsed, &bad)
          : ParseJsonlFile(text, options, limits, file_name, &parsed, &bad);
  if (!fatal.ok()) return fatal;
  Stamp(SourceName(file_name, limits), summary.sha256, &parsed.events);
  summary.rows = parsed.events.size();

  // A dry run, or a file with bad rows: the ledger's checks too, so that the
  // error lists every bad row.
  if (options.dry_run || !bad.empty()) {
    std::unique_ptr<internal::BatchValidator> own;
    if (!bad.over()) {
      if (absl::Status s = CheckAgainstLedger(
              ledger, parsed, kind, file_name,
              options.dry_run ? &dry_run_validator : &own, &bad);
          !s.ok()) {
        return s;
      }
    }
    if (!bad.empty()) return bad.ToStatus(file_name);
    return summary;  // a dry run that found nothing wrong
  }

  if (options.progress) {
    options.progress(Progress(parsed.events.size(), text.size(), text, true));
  }
  absl::StatusOr<std::vector<uint64_t>> sequences;
  for (int attempt = 0;; ++attempt) {
    WriteOptions write = options.write_options;
    const bool guarded = !options.append && !options.again &&
                         !write.expected_last_sequence.has_value() &&
                         attempt < kGuardedAppends;
    if (guarded) {
      // Appended only if nothing was recorded since the ledger was looked
      // at; look again if something was.
      const uint64_t last = ledger.last_sequence_number();
      write.expected_last_sequence = last;
      if (last != looked_at) {
        looked_at = last;
        summary.already_imported = LiveImport(ledger, summary.sha256);
        if (summary.already_imported.has_value()) {
          summary.rows = 0;
          return summary;
        }
      }
    }
    sequences = options.append ? options.append(parsed.events, write)
                               : ledger.AppendBatch(parsed.events, write);
    if (guarded && absl::IsAborted(sequences.status())) continue;
    break;
  }
  if (!sequences.ok()) {
    const absl::Status& status = sequences.status();
    uint64_t index = 0;
    absl::string_view rest;
    if (!ParseEventError(status.message(), &index, &rest) || index < 1 ||
        index > parsed.lines.size()) {
      return absl::Status(status.code(),
                          absl::StrCat(file_name, ": ", status.message()));
    }
    const int64_t line = parsed.lines[index - 1];
    if (!absl::IsInvalidArgument(status)) {
      // E.g. a scoped view's PermissionDenied: its message as it is.
      return absl::Status(
          status.code(),
          absl::StrCat(file_name, ": line ", line, ": ", status.message(),
                       " (event ", index, " is the file's ",
                       kind != nullptr ? "data row " : "non-blank line ", index,
                       ")"));
    }
    // List every row the ledger refuses, not only the first.
    std::unique_ptr<internal::BatchValidator> own;
    if (absl::Status s =
            CheckAgainstLedger(ledger, parsed, kind, file_name, &own, &bad);
        !s.ok()) {
      return s;
    }
    if (!bad.empty()) return bad.ToStatus(file_name);
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": ", LedgerErrorText(rest, line, kind)));
  }
  if (!sequences->empty()) {
    summary.first_sequence = sequences->front();
    summary.last_sequence = sequences->back();
  }
  return summary;
}

ImportSession::ImportSession(Ledger& ledger, ImportOptions options)
    : state_(std::make_unique<State>(ledger, std::move(options))) {}

ImportSession::~ImportSession() = default;

absl::StatusOr<ImportSummary> ImportSession::Csv(ImportKind kind,
                                                 absl::string_view csv_text,
                                                 absl::string_view file_name) {
  return state_->Import(&kind, csv_text, file_name);
}

absl::StatusOr<ImportSummary> ImportSession::Jsonl(
    absl::string_view jsonl_text, absl::string_view file_name) {
  return state_->Import(nullptr, jsonl_text, file_name);
}

// ---------------------------------------------------------------------------
// The functions of contactledger/import.h.

std::vector<std::string> ImportKindNames() {
  std::vector<std::string> names;
  for (const ImportKindSpec& spec : ImportKindSpecs()) {
    names.push_back(spec.name);
  }
  return names;
}

absl::string_view ImportKindName(ImportKind kind) {
  return ImportKindSpecOf(kind).name;
}

absl::StatusOr<ImportKind> ParseImportKind(absl::string_view name) {
  for (const ImportKindSpec& spec : ImportKindSpecs()) {
    if (name == spec.name) return spec.kind;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown import kind ", QuotedValue(name), " (expected ",
                   absl::StrJoin(ImportKindNames(), "|"), ")"));
}

std::vector<ImportColumn> ImportColumns(ImportKind kind) {
  return ImportKindSpecOf(kind).columns;
}

std::string Sha256Hex(absl::string_view bytes) {
  return internal::Sha256Hex(bytes);
}

absl::StatusOr<std::vector<v1::LedgerEvent>> CsvToEvents(
    ImportKind kind, absl::string_view csv_text, absl::TimeZone zone,
    const ImportOptions& options) {
  const std::string file_name = FileName(options, "<input>");
  ParsedFile parsed;
  BadRows bad(options.max_errors, true);
  if (absl::Status s = ParseCsvFile(kind, csv_text, zone, options, Limits(),
                                    file_name, &parsed, &bad);
      !s.ok()) {
    return s;
  }
  if (!bad.empty()) return bad.ToStatus(file_name);
  return std::move(parsed.events);
}

absl::StatusOr<std::vector<v1::LedgerEvent>> JsonlToEvents(
    absl::string_view jsonl_text, const ImportOptions& options) {
  const std::string file_name = FileName(options, "<input>");
  ParsedFile parsed;
  BadRows bad(options.max_errors, false);
  if (absl::Status s = ParseJsonlFile(jsonl_text, options, Limits(), file_name,
                                      &parsed, &bad);
      !s.ok()) {
    return s;
  }
  if (!bad.empty()) return bad.ToStatus(file_name);
  return std::move(parsed.events);
}

absl::StatusOr<ImportSummary> ImportCsv(Ledger& ledger, ImportKind kind,
                                        absl::string_view csv_text,
                                        const ImportOptions& options) {
  ImportSession session(ledger, options);
  return session.Csv(kind, csv_text, FileName(options, "<input>"));
}

absl::StatusOr<ImportSummary> ImportJsonl(Ledger& ledger,
                                          absl::string_view jsonl_text,
                                          const ImportOptions& options) {
  ImportSession session(ledger, options);
  return session.Jsonl(jsonl_text, FileName(options, "<input>"));
}

namespace {

// Reads the file at `path` within the ledger's max_import_bytes.
absl::StatusOr<std::string> ReadImportFile(const Ledger& ledger, Env* env,
                                           const std::string& path,
                                           absl::string_view file_name) {
  absl::StatusOr<uint64_t> size = env->GetFileSize(path);
  if (!size.ok()) return size.status();
  if (absl::Status s =
          CheckInputSize(*size, ledger.options().limits, file_name);
      !s.ok()) {
    return s;
  }
  return ReadFileToString(env, path);
}

}  // namespace

absl::StatusOr<ImportSummary> ImportCsvFile(Ledger& ledger, ImportKind kind,
                                            const std::string& path,
                                            const ImportOptions& options,
                                            Env* env) {
  if (env == nullptr) env = Env::Default();
  ImportOptions named = options;
  named.file_name = FileName(options, path);
  absl::StatusOr<std::string> text =
      ReadImportFile(ledger, env, path, named.file_name);
  if (!text.ok()) return text.status();
  return ImportCsv(ledger, kind, *text, named);
}

absl::StatusOr<ImportSummary> ImportJsonlFile(Ledger& ledger,
                                              const std::string& path,
                                              const ImportOptions& options,
                                              Env* env) {
  if (env == nullptr) env = Env::Default();
  ImportOptions named = options;
  named.file_name = FileName(options, path);
  absl::StatusOr<std::string> text =
      ReadImportFile(ledger, env, path, named.file_name);
  if (!text.ok()) return text.status();
  return ImportJsonl(ledger, *text, named);
}

}  // namespace contactledger
