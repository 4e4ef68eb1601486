// Copyright 2026 The ContactLedger Authors.
//
// The CSV and JSON Lines importers of contactledger/import.h: reading a
// file within the ledger's limits, its CSV header and rows (each row made
// an event by lib/import/import_rows.h) or its JSON Lines, then recording
// the events with one AppendBatch and mapping a ledger error back to the
// line (and column) it came from.

#include "contactledger/import.h"

#include <cstddef>
#include <cstdint>
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
#include "lib/import/csv.h"
#include "lib/import/import_rows.h"

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

// Parses and returns the events, and the line of each.
absl::StatusOr<std::vector<v1::LedgerEvent>> ParseCsvFile(
    ImportKind kind, absl::string_view text, absl::TimeZone zone,
    const ImportOptions& options, const Limits& limits,
    std::vector<int64_t>* lines) {
  const std::string file_name = FileName(options, "<input>");
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
  absl::StatusOr<bool> more = reader.Next(&header);
  if (!more.ok()) return error(more.status().message());
  if (!*more) {
    return error(absl::StrCat("no header row (", spec.name,
                              " files start "
                              "with a header naming their columns)"));
  }
  absl::StatusOr<absl::flat_hash_map<std::string, size_t>> index =
      HeaderIndex(spec, header);
  if (!index.ok()) return error(index.status().message());

  const RowBuilder build = RowBuilderOf(kind);
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
    if (CellResult e = build(RowView(*index, record), zone, &event)) {
      return error(absl::StrCat("line ", record.line, ", column ",
                                QuotedValue(e->column), ": ", e->reason));
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

absl::StatusOr<ImportSummary> ImportCsv(Ledger& ledger, ImportKind kind,
                                        absl::string_view csv_text,
                                        const ImportOptions& options) {
  std::vector<int64_t> lines;
  absl::StatusOr<std::vector<v1::LedgerEvent>> events =
      ParseCsvFile(kind, csv_text, ledger.time_zone(), options,
                   ledger.options().limits, &lines);
  if (!events.ok()) return events.status();
  if (options.progress) {
    options.progress(Progress(events->size(), csv_text.size(), csv_text, true));
  }
  return Record(&ledger, *events, lines, options, FileName(options, "<input>"),
                &kind);
}

absl::StatusOr<ImportSummary> ImportJsonl(Ledger& ledger,
                                          absl::string_view jsonl_text,
                                          const ImportOptions& options) {
  std::vector<int64_t> lines;
  absl::StatusOr<std::vector<v1::LedgerEvent>> events =
      ParseJsonlFile(jsonl_text, options, ledger.options().limits, &lines);
  if (!events.ok()) return events.status();
  if (options.progress) {
    options.progress(
        Progress(events->size(), jsonl_text.size(), jsonl_text, true));
  }
  return Record(&ledger, *events, lines, options, FileName(options, "<input>"),
                nullptr);
}

absl::StatusOr<ImportSummary> ImportCsvFile(Ledger& ledger, ImportKind kind,
                                            const std::string& path,
                                            const ImportOptions& options,
                                            Env* env) {
  if (env == nullptr) env = Env::Default();
  ImportOptions named = options;
  named.file_name = FileName(options, path);
  absl::StatusOr<uint64_t> size = env->GetFileSize(path);
  if (!size.ok()) return size.status();
  if (absl::Status s =
          CheckInputSize(*size, ledger.options().limits, named.file_name);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> text = ReadFileToString(env, path);
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
  absl::StatusOr<uint64_t> size = env->GetFileSize(path);
  if (!size.ok()) return size.status();
  if (absl::Status s =
          CheckInputSize(*size, ledger.options().limits, named.file_name);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> text = ReadFileToString(env, path);
  if (!text.ok()) return text.status();
  return ImportJsonl(ledger, *text, named);
}

}  // namespace contactledger
