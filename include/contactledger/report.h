// Copyright 2026 The ContactLedger Authors.
//
// contactledger/report.h: the roster and the open loops as CSV and JSON text.
//
// The answers of a Tracer (contactledger/tracing.h) in the formats that
// `ledgerctl roster`, `ledgerctl loops` and the county drill write, for
// programs that hand them on to a spreadsheet, a script or a web page:
//
//   WriteRosterCsv / WriteRosterJson  one row per RosterEntry, columns
//     person_id, role, source, last_exposure, until, continuous, place
//   WriteLoopsCsv / WriteLoopsJson    one row per OpenLoop, columns
//     person_id, kind, since, detail
//
// Rows keep the order they are given in (a Tracer sorts them: the roster by
// person id, the loops by person id, kind and since).
//
// Values:
//   person_id, source  the ids as recorded
//   role           case | close_contact | secondary_contact (RoleName)
//   last_exposure, since
//                  RFC 3339 to the second with the offset of `zone`, e.g.
//                  2020-01-24T21:00:00+08:00 (pass the ledger's zone,
//                  RULES.md section 1); empty for an infinite time
//   until          the last day of quarantine, YYYY-MM-DD; empty for a
//                  continuous contact
//   continuous     true | false
//   place          hospital | centralized | home; empty when unspecified
//   kind           unplaced | unisolated_case | ... (LoopKindName)
//   detail         the loop's sentence
// A case's roster row has only person_id, role and place: its source,
// last_exposure, until and continuous are empty.
//
// CSV (RFC 4180): a header row naming the columns, then one line per row;
// fields separated by ',', every line ended by LF (not CR LF). A field that
// holds ',', '"', CR or LF is enclosed in '"' with each '"' doubled
// (CsvField); any other field is written as it is.
//
// JSON (RFC 8259): an array with one object per row and line, the fields in
// the CSV column order, an empty value as null and `continuous` a boolean
// (null for a case):
//
//   [
//     {"person_id": "p1", "role": "case", "source": null, ...},
//     {"person_id": "p3", "role": "close_contact", "source": "p1", ...}
//   ]
//
// and "[]" for no rows; each text ends with a line break. Strings are escaped
// by JsonString: '"' and '\' with a backslash, LF, CR and tab as \n, \r,
// \t, other control characters as \u00XX; everything else (UTF-8 included)
// is copied as it is.
//
// Example:
//
//   absl::StatusOr<contactledger::Tracer> tracer =
//       contactledger::Tracer::Create(*ledger, query);
//   std::cout << contactledger::WriteRosterCsv(tracer->Roster(),
//                                              ledger->options().time_zone);
//   // person_id,role,source,last_exposure,until,continuous,place
//   // p1,case,,,,,hospital
//   // p3,close_contact,p1,2020-01-24T21:00:00+08:00,2020-02-07,false,...
//
// All functions are pure and thread-safe.

#ifndef CONTACTLEDGER_REPORT_H_
#define CONTACTLEDGER_REPORT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {

// The roster as CSV: the header row, then one line per entry.
std::string WriteRosterCsv(absl::Span<const RosterEntry> roster,
                           absl::TimeZone zone);

// The roster as a JSON array of objects.
std::string WriteRosterJson(absl::Span<const RosterEntry> roster,
                            absl::TimeZone zone);

// The open loops as CSV: the header row, then one line per loop.
std::string WriteLoopsCsv(absl::Span<const OpenLoop> loops,
                          absl::TimeZone zone);

// The open loops as a JSON array of objects.
std::string WriteLoopsJson(absl::Span<const OpenLoop> loops,
                           absl::TimeZone zone);

// --- Building blocks, for other tables in the same formats. ---

// "hospital", "centralized", "home"; "" for QUARANTINE_PLACE_UNSPECIFIED
// (and any value the schema does not know).
absl::string_view QuarantinePlaceName(v1::QuarantinePlace place);

// One CSV field, quoted as above when it must be: CsvField("a,b") is
// "\"a,b\"", CsvField("say \"hi\"") is "\"say \"\"hi\"\"\"".
std::string CsvField(absl::string_view value);

// The fields quoted by CsvField, separated by ',', ended by LF.
std::string CsvRow(absl::Span<const std::string> fields);

// A JSON string literal, quotes included: JsonString("a\"b") is "\"a\\\"b\"".
std::string JsonString(absl::string_view value);

// A JSON array of already-encoded values laid out as above: "[", one item
// per line indented by two spaces, "]" and a line break; "[]\n" for none.
std::string JsonArray(absl::Span<const std::string> items);

// A Graphviz DOT ID for any text, quotes included: '"' and '\' escaped with a
// backslash, a line break as DOT's "\n" (a centred line break in a label),
// CR dropped. DotQuote("p1\ncase") is "\"p1\\ncase\"". Ids and labels of
// a DOT file written from ledger data must all go through it, so that an id
// holding a quote cannot end a label early.
std::string DotQuote(absl::string_view text);

}  // namespace contactledger

#endif  // CONTACTLEDGER_REPORT_H_
