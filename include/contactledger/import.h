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
//   The kinds are listed in the order to import them: a household names an
//   area that must be recorded already (or earlier in the same file), a
//   person a household or area; the kinds after persons name persons, who
//   need not be registered but are best registered first. ImportKind and
//   ImportKindNames() follow this order, and `ledgerctl import DIR FILE...`
//   records several files in it.
//
//   A required column must have a value in every row. Ids (every *_id
//   column, person_a, person_b, checked_by) are trimmed: spaces, tabs and
//   line breaks around them, and the no-break (U+00A0) and ideographic
//   (U+3000) spaces spreadsheets leave there, are dropped, so "q8 " is
//   recorded as "q8"; an id of only spaces is empty. Other cells are taken
//   as they are. Values, spelled exactly (lower case, no surrounding
//   spaces):
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
//   Blank lines are skipped wherever they are, before the header too: an
//   empty line (LF or CRLF), or one of only commas and spaces, as a
//   spreadsheet writes for the empty rows under a table. Line numbers in
//   errors still count them. The separator is the comma: a header that holds
//   a ';' or a tab gets "the file looks semicolon-separated (header: ...);
//   save it as CSV with commas".
//
//   JSON Lines: one `contactledger::v1::LedgerEvent` per line in protobuf's
//   JSON mapping (either field-name spelling); blank lines are skipped. The
//   envelope's sequence_number, record_time and import_source are ignored
//   (the ledger assigns the first two, the import the third), and so is its
//   actor: every event gets ImportOptions::actor (a forged
//   "actor":"someone-else" is replaced; see keep_line_actors). The id fields
//   (Area.id and parent_id, Household.id and area_id, Person.id,
//   household_id, area_id and national_id, Exposure.id, person_a and
//   person_b, the person_id of the other bodies, HealthCheck.checked_by,
//   CheckpointPassage.checkpoint_id) are trimmed as in CSV. To put back an
//   export with its sequence numbers and record times, use
//   Ledger::AppendRecorded (`ledgerctl restore`), not an import.
//
// All or nothing: a file is parsed into events in full before anything is
// recorded, then recorded with one AppendBatch; one bad row records nothing.
//
// Imported once: every import stamps the first event of its batch with an
// ImportSource (contactledger/v1/ledger.proto): the file's name, the SHA-256
// of its bytes and the batch's size, which the ledger keeps. Before
// recording, an import looks for an earlier import of the same bytes
// (FindImports); if there is one whose events are not all retracted, it
// records nothing and returns OK with ImportSummary::already_imported set to
// it (unless ImportOptions::again). To undo an import, retract its events
// (Retraction bodies, in one batch: `ledgerctl retract DIR --import-of
// FILE`); the same file may then be imported again.
//
// Dry run: with ImportOptions::dry_run the file is parsed and checked against
// the ledger in full, as the append would check it, and nothing is recorded.
// ImportSession checks several files so, each against the ledger plus the
// files before it.
//
// Errors: parsing and the ledger's checks go on after a bad row, and the
// error is one InvalidArgument naming the file and listing every bad row
// found, up to ImportOptions::max_errors (100), by line, with the column and
// the reason:
//   persons.csv: 3 bad rows:
//     line 4, column "national_id": check character is '4', expected 'X'
//     line 9, column "household_id": no household 'h9' is recorded
//     line 12, column "birth_date": is not a real day
// ("more than 100 bad rows:" and a last line "... and more (first 100
// shown)" beyond the limit). A file with one bad row gets one line:
//   areas.csv: line 4, column "level": unknown value "County" (expected
//   county|township|village|grid)
// An error never quotes a private value that was refused: a bad birth_date
// names its column and the reason only, and protobuf's message for a JSON
// line that does not parse leaves out the value when it names national_id,
// phone or birth_date (`(person.national_id): invalid value (not shown: a
// private field) for type TYPE_STRING`) and has every run of 6 or more
// digits masked (`<18 digits>`). Other values (an unknown enum name, an
// onset) are quoted to help find them.
// Errors the ledger finds (an unknown parent area, an exposure of a person to
// themself) are mapped back to the row's line and column the same way. Rows
// after a bad one are checked as if the bad rows were not in the file, so a
// row that refers to a bad one (a household in a bad area row) is listed
// too. Errors in the file as a whole end the parse at once and are reported
// alone: no header, a header naming an unknown or repeated column or missing
// a required one, malformed UTF-8, and the limits below; so does a CSV
// syntax error (an unclosed quote, a stray quote), with the bad rows before
// it.
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
//   } else if (summary->already_imported) {
//     // the same bytes were recorded before, as events
//     // summary->already_imported->first_sequence to ...->last_sequence;
//     // nothing recorded now
//   } else {
//     // summary->rows events, sequence numbers summary->first_sequence to
//     // summary->last_sequence
//   }

#ifndef CONTACTLEDGER_IMPORT_H_
#define CONTACTLEDGER_IMPORT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
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
  // Names the input in error messages and in the ImportSource recorded.
  // Default: the path for the *File functions, "<input>" otherwise.
  std::string file_name;
  // Recorded as every event's actor, replacing the `actor` a JSON line
  // carries: a line cannot name who recorded it. Empty: the events are
  // recorded with no actor, a JSON line's own cleared too, unless
  // keep_line_actors. Optional (at most 128 bytes).
  std::string actor;
  // With an empty `actor` only: keep the `actor` each JSON line carries (for
  // a trusted file whose lines name their own writers). Ignored when `actor`
  // is set, and for CSV, which has no actor column. Default: false.
  bool keep_line_actors = false;
  // For the one AppendBatch.
  WriteOptions write_options;
  // Called on the importing thread every 4096 rows while parsing, and once
  // with `recording` set before the events are recorded (not after an error,
  // nor in a dry run). Optional; must not call back into the import.
  std::function<void(const ImportProgress&)> progress;
  // Import even when the same content (the same bytes: SHA-256) was
  // imported before and not all of its events are retracted. Default: false
  // (record nothing and set ImportSummary::already_imported).
  bool again = false;
  // Parse and check the whole file against the ledger, as the append would
  // check it, and record nothing: OK (with `rows`, the events it would
  // record) or the error an import would get, listing every bad row.
  // Default: false.
  bool dry_run = false;
  // The most bad rows one error lists (at least 1). Default: 100.
  size_t max_errors = 100;
  // Records the file's events in place of the ledger's AppendBatch. Optional;
  // e.g. a ScopedLedger's, so that the import is also held to its scope:
  //   options.append = [&view](absl::Span<const v1::LedgerEvent> events,
  //                            const WriteOptions& write) {
  //     return view.AppendBatch(events, write);
  //   };
  // An error naming "event K of M" is mapped back to the K-th event's line,
  // like the ledger's. A dry run does not call it (so it checks against the
  // ledger, not the scope).
  std::function<absl::StatusOr<std::vector<uint64_t>>(
      absl::Span<const v1::LedgerEvent>, const WriteOptions&)>
      append;
};

// An import the ledger remembers: a batch whose first event carries an
// ImportSource (contactledger/v1/ledger.proto).
struct ImportRecord {
  std::string file_name;
  std::string sha256;  // of the file's bytes, 64 lower-case hex digits
  uint64_t first_sequence = 0;
  uint64_t last_sequence = 0;
  absl::Time record_time;
  std::string actor;
};

struct ImportSummary {
  // Data rows (CSV) or non-blank lines (JSONL): the events recorded, or in a
  // dry run the events that would be. 0 with already_imported (the file is
  // not parsed then).
  uint64_t rows = 0;
  uint64_t first_sequence = 0;  // of the events recorded; 0 when none
  uint64_t last_sequence = 0;
  // SHA-256 of the file's bytes, 64 lower-case hex digits.
  std::string sha256;
  // Set when nothing was recorded because the same content was imported
  // before (and ImportOptions::again was not set): the newest such import
  // with events not retracted.
  std::optional<ImportRecord> already_imported;
};

// The imports of content whose SHA-256 is `sha256`, oldest first, as of
// `options` (through a scoped view, those whose first event it shows).
std::vector<ImportRecord> FindImports(const LedgerView& ledger,
                                      absl::string_view sha256,
                                      const ReadOptions& options = {});

// SHA-256 of `bytes` as 64 lower-case hex digits (FIPS 180-4): what an
// import records as ImportSource.sha256 for a file of these bytes, to look
// it up with FindImports.
std::string Sha256Hex(absl::string_view bytes);

// Parses without recording: the events a CSV file describes, one per data
// row, in order. `zone` is the ledger's zone (for onset and birth_date given
// as times).
absl::StatusOr<std::vector<v1::LedgerEvent>> CsvToEvents(
    ImportKind kind, absl::string_view csv_text, absl::TimeZone zone,
    const ImportOptions& options = {});

// Parses without recording: one event per non-blank line.
absl::StatusOr<std::vector<v1::LedgerEvent>> JsonlToEvents(
    absl::string_view jsonl_text, const ImportOptions& options = {});

// Parses and records a CSV file's events atomically (see the file comment:
// a file imported before, a dry run, the errors).
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

// Several files imported one after another into one ledger, each all or
// nothing, as `ledgerctl import DIR FILE...` does. What it adds to calling
// ImportCsv and ImportJsonl once per file: with ImportOptions::dry_run, each
// file is checked against the ledger plus the files the session checked
// before it, as if they had been recorded, so that households.csv may name
// the areas of areas.csv (a file found bad still lends its good rows to the
// files after it). A dry run assumes that nothing else appends to the ledger
// while the session lasts. Not thread-safe; `ledger` must outlive the
// session.
//
//   ImportSession session(*ledger, options);
//   absl::StatusOr<ImportSummary> areas =
//       session.Csv(ImportKind::kAreas, areas_text, "areas.csv");
//   absl::StatusOr<ImportSummary> households = session.Csv(
//       ImportKind::kHouseholds, households_text, "households.csv");
class ImportSession {
 public:
  // `options` apply to every file; each call names its own file instead of
  // options.file_name.
  ImportSession(Ledger& ledger, ImportOptions options);
  ~ImportSession();
  ImportSession(const ImportSession&) = delete;
  ImportSession& operator=(const ImportSession&) = delete;

  // As ImportCsv and ImportJsonl.
  absl::StatusOr<ImportSummary> Csv(ImportKind kind, absl::string_view csv_text,
                                    absl::string_view file_name);
  absl::StatusOr<ImportSummary> Jsonl(absl::string_view jsonl_text,
                                      absl::string_view file_name);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_IMPORT_H_
