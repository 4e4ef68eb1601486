// Copyright 2026 The ContactLedger Authors.
//
// contactledger/import.h: importing CSV and JSON Lines files into a ledger.
//
// The formats are those of `ledgerctl import`:
//
//   CSV: UTF-8, RFC 4180 quoting, a header row naming the
//   columns, in any order. One file holds one kind of record:
//
//     kind        columns (* = required column; the others may be left out
//                 of the header, and may be empty in a row)
//     areas       area_id*, parent_id, level*, name
//     households  household_id*, area_id*, address, responsible_worker
//     persons     person_id*, household_id, area_id, name, national_id,
//                 phone, birth_date, tags
//     exposures   person_a*, person_b*, start*, end*, setting*
//     diagnoses   person_id*, status*, onset, time*
//     stays       person_id*, action*, time*, place
//     checks      person_id*, time*, temperature_c*, symptoms, checked_by
//     passages    person_id*, checkpoint_id*, time*, direction*
//
//   A required column must have a value in every row. Values, spelled
//   exactly (lower case, no surrounding spaces):
//     level      county | township | village | grid
//     setting    household | work | school | transport | gathering |
//                healthcare | other
//     status     suspected | confirmed | asymptomatic | recovered |
//                deceased | cleared
//     action     start | end;  place: hospital | centralized | home, required
//                for start and empty for end
//     symptoms   true | false (empty: false). The CSV says only whether the
//                check found symptoms, not which: true is recorded as the
//                one symptom "symptoms" (HealthCheck.symptoms = ["symptoms"]).
//     direction  in | out
//     tags       tags separated by ';' (e.g. "returnee;from_wuhan")
//     temperature_c  a decimal number of degrees Celsius, e.g. 37.5
//   Times (start, end, time) are RFC 3339 with an offset, e.g.
//   2020-02-01T08:00:00+08:00, to the whole second (the ledger keeps event
//   times in whole seconds). `onset` and `birth_date` are a day,
//   `YYYY-MM-DD`, or an RFC 3339 time, whose civil day in the ledger's zone is
//   taken (docs/rules.md section 1).
//
//   JSON Lines: one `contactledger::v1::LedgerEvent` per line in protobuf's
//   JSON mapping (either field-name spelling); blank lines are skipped. The
//   envelope's sequence_number and record_time are ignored by the ledger.
//
// All or nothing: a file is parsed into events in full before anything is
// recorded, then recorded with one AppendBatch; one bad row records nothing.
// Errors are InvalidArgument naming the file, the line, the column and the
// reason, e.g.
//   areas.csv: line 4, column "level": unknown value "County" (expected
//   county|township|village|grid)
// Errors the ledger finds (an unknown parent area, an exposure of a person to
// themself) are mapped back to the row's line and column the same way.
//
// Limits: the whole file is held in memory, as text and as events, and is
// recorded as one batch, so the ledger's `Limits` (contactledger/ledger.h)
// bound it: a file over `max_import_bytes` (4 GiB) or with more rows than
// `max_batch_events` (10,000,000) gets ResourceExhausted, a line over
// `max_line_bytes` (64 KiB) InvalidArgument naming the line and its byte
// offset; a durable ledger also logs a batch as one record of at most
// 256 MiB (ResourceExhausted). Nothing is recorded then: split the file
// (each part is then all-or-nothing on its own). CsvToEvents and
// JsonlToEvents, which have no ledger, use the default Limits. Each value is
// held to the ledger's limits and identity rules (LedgerOptions), and an
// error maps back to its line and column, e.g.
//   persons.csv: line 2, column "national_id": check character is '4',
//   expected 'X'
//
// Progress: a long import can be followed through ImportOptions::progress
// (rows parsed, bytes of the input consumed, then the recording), as
// `ledgerctl import` does on a terminal.
//
// Example:
//
//   contactledger::ImportOptions options;
//   options.actor = "grid worker 12";
//   absl::StatusOr<contactledger::ImportSummary> summary =
//       contactledger::ImportCsvFile(*ledger,
//                                    contactledger::ImportKind::kExposures,
//                                    "exposures.csv", options);
//   if (!summary.ok()) {
//     // e.g. exposures.csv: line 4, column "end": ...; nothing recorded
//   } else {
//     // summary->rows events, sequence numbers summary->first_sequence to
//     // summary->last_sequence
//   }

#ifndef CONTACTLEDGER_IMPORT_H_
#define CONTACTLEDGER_IMPORT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {

enum class ImportKind {
  kAreas,
  kHouseholds,
  kPersons,
  kExposures,
  kDiagnoses,
  kStays,
  kChecks,
  kPassages,
};

// "areas", "households", "persons", "exposures", "diagnoses", "stays",
// "checks", "passages", in that order.
std::vector<std::string> ImportKindNames();
absl::string_view ImportKindName(ImportKind kind);
// InvalidArgument (listing the kinds) for an unknown name.
absl::StatusOr<ImportKind> ParseImportKind(absl::string_view name);

// The CSV columns of a kind, in the order of the table above.
struct ImportColumn {
  std::string name;
  bool required = false;
};
std::vector<ImportColumn> ImportColumns(ImportKind kind);

// How far an import has got, for a progress display.
struct ImportProgress {
  uint64_t rows = 0;            // data rows (CSV) or events (JSONL) parsed
  uint64_t bytes_consumed = 0;  // of the input text, up to the last row
  uint64_t bytes_total = 0;     // the input text's size
  // Parsing is done and the `rows` events are being recorded (the one
  // AppendBatch, which reports nothing until it returns).
  bool recording = false;
};

struct ImportOptions {
  // Names the input in error messages. Default: the path for the *File
  // functions, "<input>" otherwise.
  std::string file_name;
  // Recorded as every event's actor. Optional (at most 128 bytes).
  std::string actor;
  // For the one AppendBatch.
  WriteOptions write_options;
  // Called on the importing thread every 4096 rows while parsing, and once
  // with `recording` set before the events are recorded (not after an error
  // found while parsing). Optional; must not call back into the import.
  std::function<void(const ImportProgress&)> progress;
};

struct ImportSummary {
  uint64_t rows = 0;            // data rows (CSV) or non-blank lines (JSONL)
  uint64_t first_sequence = 0;  // of the events recorded; 0 when none
  uint64_t last_sequence = 0;
};

// Parses without recording: the events a CSV file describes, one per data
// row, in order. `zone` is the ledger's zone (for onset and birth_date given
// as times).
absl::StatusOr<std::vector<v1::LedgerEvent>> CsvToEvents(
    ImportKind kind, absl::string_view csv_text, absl::TimeZone zone,
    const ImportOptions& options = {});

// Parses without recording: one event per non-blank line.
absl::StatusOr<std::vector<v1::LedgerEvent>> JsonlToEvents(
    absl::string_view jsonl_text, const ImportOptions& options = {});

// Parses and records a CSV file's events atomically.
absl::StatusOr<ImportSummary> ImportCsv(Ledger& ledger, ImportKind kind,
                                        absl::string_view csv_text,
                                        const ImportOptions& options = {});

// Parses and records a JSON Lines file's events atomically.
absl::StatusOr<ImportSummary> ImportJsonl(Ledger& ledger,
                                          absl::string_view jsonl_text,
                                          const ImportOptions& options = {});

// The same, reading the file at `path` through `env` (Env::Default() when
// null).
absl::StatusOr<ImportSummary> ImportCsvFile(Ledger& ledger, ImportKind kind,
                                            const std::string& path,
                                            const ImportOptions& options = {},
                                            Env* env = nullptr);
absl::StatusOr<ImportSummary> ImportJsonlFile(Ledger& ledger,
                                              const std::string& path,
                                              const ImportOptions& options = {},
                                              Env* env = nullptr);

}  // namespace contactledger

#endif  // CONTACTLEDGER_IMPORT_H_
