// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl's command table and help text (commands.h): for each command its
// synopsis, summary, positional arguments, flags, required flags, formats,
// details and examples, and the help pages built from them. The table is the
// tool's contract with scripts and tests; tools/ledgerctl/e2e_test.sh runs
// the examples.

#include "tools/ledgerctl/commands.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/replication_commands.h"

namespace contactledger {
namespace ledgerctl {
namespace {

// Ends the help of every command that takes --at (a Tracer query).
constexpr char kQueryDetails[] =
    "The query sees the events recorded at or before --known-at (default: "
    "all; a\n"
    "note on standard error says when that is before the first record), and "
    "of their\n"
    "facts what happened at or before --at (docs/rules.md section 1).\n"
    "--policy takes a preset (china-2020, the default; china-2022, "
    "who-2020,\n"
    "cdc-2020) or a file holding a Policy in protobuf text format or JSON: "
    "whole, or\n"
    "'base: \"PRESET\"' and only the fields to change ('ledgerctl policy "
    "show PRESET'\n"
    "prints one to start from).\n"
    "Ids are matched exactly, case included; blanks around --person, "
    "--checkpoint\n"
    "and --area are trimmed, with a note on standard error.\n"
    "Times are printed in RFC 3339 with the ledger's time zone offset, days "
    "as\n"
    "YYYY-MM-DD; CSV is RFC 4180 with LF line ends.\n"
    "With --scope AREA the answers hold only the persons of AREA's subtree "
    "(as of\n"
    "--known-at); anyone else they must name appears as an opaque id, "
    "ext- and 16\n"
    "hex digits (new ones each run), and asking about them exits 1\n"
    "(contactledger/scope.h).\n";

}  // namespace

std::string CommandHelp(const Command& command) {
  std::string text = absl::StrCat(CommandUsage(command), "\n", command.summary,
                                  "\n\nOptions:\n");
  for (const FlagSpec& flag : command.flags) {
    std::string left = flag.value == nullptr
                           ? absl::StrCat("  --", flag.name)
                           : absl::StrCat("  --", flag.name, " ", flag.value);
    if (left.size() < 24) left.resize(24, ' ');
    std::string help = flag.help;
    if (absl::string_view(flag.name) == "format" && !command.formats.empty()) {
      help = absl::StrCat(absl::StrJoin(command.formats, "|"), " (default ",
                          command.formats[0], ")");
    }
    absl::StrAppend(&text, left, " ", help, "\n");
  }
  absl::StrAppend(&text, "  --help                 print this help\n\n",
                  command.details);
  // The notes on --at, --known-at and --policy, for the commands that take
  // them all (audit takes only --known-at and says so itself).
  for (const FlagSpec& flag : command.flags) {
    if (absl::string_view(flag.name) == "policy") text += kQueryDetails;
  }
  if (command.examples != nullptr) {
    const bool several = absl::StrContains(
        absl::string_view(command.examples).substr(1), "\n  ledgerctl ");
    absl::StrAppend(&text, absl::EndsWith(text, "\n\n") ? "" : "\n",
                    several ? "Examples:\n" : "Example:\n", command.examples);
  }
  return text;
}

std::string MainHelp() {
  std::string text =
      "usage: ledgerctl COMMAND DIR [options]\n"
      "\n"
      "ledgerctl keeps a contact-tracing ledger in the directory DIR and "
      "answers the\n"
      "closed-loop questions of docs/rules.md over it.\n\n"
      "Commands:\n";
  // The replica commands after the others, in a group of their own.
  for (const bool replica : {false, true}) {
    if (replica) {
      text +=
          "\nReplicas on NATS JetStream (docs/replication.md; ship, follow "
          "and promote\nneed a ledgerctl built with libnats):\n";
    }
    for (const Command& command : Commands()) {
      if (IsReplicaCommand(command.name) != replica) continue;
      std::string left = absl::StrCat("  ", command.name);
      left.resize(12, ' ');
      absl::StrAppend(&text, left, command.summary, "\n");
    }
  }
  absl::StrAppend(
      &text,
      "\nRun 'ledgerctl COMMAND --help' for a command's options and output.\n"
      "\n"
      "TIME is RFC 3339 with an offset, e.g. 2020-02-01T08:00:00+08:00.\n"
      "Exit status: 0 success; 1 bad input or a failed check; 2 bad usage;\n"
      "3 'pass' for a person the ledger does not know.\n"
      "Commands that only read open DIR read-only: they run beside a program\n"
      "that is writing to it, and on a directory they may not write.\n"
      "Errors go to standard error; on a terminal, 'import' and 'generate' "
      "also show\n"
      "their progress there.\n"
      "\n"
      "Filling a ledger: import CSV files in the order of their kinds, "
      "areas,\n"
      "households, persons, exposures, diagnoses, stays, checks, passages "
      "(a household\n"
      "names an area, a person a household); 'ledgerctl import DIR FILE...' "
      "records\n"
      "several files in that order, each all or nothing. 'import --dry-run' "
      "checks\n"
      "files and lists every bad row without recording. A file imported "
      "before is\n"
      "not recorded again; 'ledgerctl retract DIR --import-of FILE' undoes "
      "an import,\n"
      "'ledgerctl retract DIR --seq N' one event.\n"
      "\n"
      "Examples:\n"
      "  ledgerctl init county --time-zone Asia/Shanghai\n"
      "  ledgerctl generate county --persons 20000\n"
      "  ledgerctl roster county --at 2020-02-01T12:00:00+08:00\n");
  return text;
}

const std::vector<Command>& Commands() {
  // A switch (no value) of every command that prints ledger data: what the
  // output redactor masks (tools/ledgerctl/output.h, contactledger/privacy.h).
  static const FlagSpec kRedactFlag = {
      "redact", nullptr,
      "mask the ledger's persons' names, national ids and phone numbers, its "
      "households' addresses and responsible workers, and any number long "
      "enough to hold a resident id or phone number, wherever printed "
      "(contactledger/privacy.h)"};
  // The same for the commands that print records whole, which are also
  // redacted field by field (Redactor::Redact).
  static const FlagSpec kRedactRecordsFlag = {
      "redact", nullptr,
      "mask names, national ids, phone numbers, addresses and responsible "
      "workers as everywhere, and in the records printed also leave out "
      "birth dates (contactledger/privacy.h)"};
  // Views bound to an area, and who records (contactledger/scope.h).
  static const FlagSpec kScopeFlag = {
      "scope", "AREA",
      "only AREA's subtree: outsiders as opaque ids (ext-...), writes "
      "outside refused"};
  // The same for the commands that only read.
  static const FlagSpec kScopeReadFlag = {
      "scope", "AREA",
      "read as AREA's worker: only AREA's subtree, others as opaque ids "
      "(ext-...); asking about one outside exits 1"};
  // --nats of the replica commands (replication_commands.h).
  static const FlagSpec kNatsFlag = {
      "nats", "URLS",
      "the NATS cluster's client URLs, comma-separated: "
      "nats://HOST:PORT,... (required)"};
  static const FlagSpec kActorFlag = {
      "actor", "NAME",
      "who records: stamped on every event (default ledgerctl)"};
  static const std::vector<FlagSpec> kQueryFlags = {
      {"at", "TIME", "the moment the question is about (required)"},
      {"known-at", "TIME", "as the ledger knew it then (default: everything)"},
      {"policy", "NAME|FILE", "a preset or a policy file (default china-2020)"},
      {"format", "FORMAT", "output format"},
      kRedactFlag,
      kScopeReadFlag,
  };
  const auto with = [](std::vector<FlagSpec> extra) {
    std::vector<FlagSpec> flags = std::move(extra);
    flags.insert(flags.end(), kQueryFlags.begin(), kQueryFlags.end());
    return flags;
  };
  static const auto* commands = new std::vector<Command>{
      {"init",
       "DIR [--time-zone ZONE] [--identity-rules china|none]",
       "create a ledger directory",
       {"DIR"},
       {{"time-zone", "ZONE",
         "the ledger's time zone, e.g. Asia/Shanghai (default UTC)"},
        {"identity-rules", "RULES",
         "china (default): national ids per GB 11643-1999 and Chinese "
         "phone numbers; none: any text"}},
       {},
       {},
       "Creates DIR (its parent must exist) and an empty ledger in it. The "
       "time zone,\n"
       "in which civil days (onset dates, 'until') are taken, is kept in the "
       "ledger's\n"
       "DIR/MANIFEST (docs/log_format.md) and used by every later command "
       "and every\n"
       "program that opens DIR, and so are the identity rules that appends "
       "and imports\n"
       "check Person national_id and phone against "
       "(contactledger/privacy.h).\n"
       "Fails (exit 1) when DIR already holds a ledger; exit 2 for an "
       "unknown time zone\n"
       "or rules.\n",
       RunInit,
       "  ledgerctl init county --time-zone Asia/Shanghai\n"},
      {"generate",
       "DIR --persons N [--seed S] [--cases K] [--into-existing]",
       "record a synthetic county shaped like Yuanling (for trials)",
       {"DIR"},
       {{"persons", "N", "registered persons, 10 or more (required)"},
        {"seed", "S", "the generator's seed (default 2020)"},
        {"cases", "K", "index cases (default 5)"},
        {"into-existing", nullptr,
         "add the county to a ledger that already holds events"},
        kActorFlag},
       {"persons"},
       {},
       "Appends a deterministic synthetic county (contactledger/synthetic.h) "
       "to the\n"
       "ledger in DIR, which 'ledgerctl init' created: 23 township-level "
       "areas, about\n"
       "404 villages per 600,000 persons, grids of 150 households, about "
       "6.5 exposures\n"
       "per person over 30 days from 2020-01-10, K cases with their contacts "
       "placed,\n"
       "checks and passages. On a terminal, standard error shows the "
       "events recorded\n"
       "so far and the rate.\n"
       "DIR must hold no events yet: a ledger that holds any (real data, "
       "or a county\n"
       "generated before) is refused (exit 1), unless --into-existing asks "
       "to add the\n"
       "synthetic county to it.\n",
       RunGenerate,
       "  ledgerctl generate county --persons 20000\n"},
      {"import",
       "DIR [--kind KIND] [--dry-run] [--again] [--scope AREA --actor NAME] "
       "FILE...",
       "record CSV and JSON Lines files, each all or nothing and once",
       {"DIR", "FILE"},
       {{"kind", "KIND",
         "every FILE is CSV of KIND: areas|households|persons|exposures|"
         "diagnoses|stays|checks|passages"},
        {"dry-run", nullptr,
         "check every FILE against the ledger, list every bad row, record "
         "nothing"},
        {"again", nullptr,
         "import a FILE even if the same content was imported before"},
        kRedactFlag,
        kScopeFlag,
        kActorFlag},
       {},
       {},
       "A CSV FILE: UTF-8, RFC 4180 quoting, a header row, columns in any "
       "order\n"
       "(* = required column; the others may be left out or empty):\n"
       "  areas       area_id*,parent_id,level*,name  "
       "(level county|township|village|grid)\n"
       "  households  household_id*,area_id*,address,responsible_worker\n"
       "  persons     person_id*,household_id,area_id,name,national_id,phone,"
       "birth_date,tags\n"
       "              (tags separated by ';')\n"
       "  exposures   person_a*,person_b*,start*,end*,setting*\n"
       "              (setting household|work|school|transport|gathering|"
       "healthcare|other)\n"
       "  diagnoses   person_id*,status*,onset,time*\n"
       "              (status suspected|confirmed|asymptomatic|recovered|"
       "deceased|cleared)\n"
       "  stays       person_id*,action*,time*,place  (action start|end; "
       "place\n"
       "              hospital|centralized|home for start, empty for end)\n"
       "  checks      person_id*,time*,temperature_c*,symptoms,checked_by\n"
       "              (symptoms true|false; true is recorded as the symptom "
       "\"symptoms\")\n"
       "  passages    person_id*,checkpoint_id*,time*,direction*  "
       "(direction in|out)\n"
       "Times are RFC 3339 with an offset, whole seconds; onset and "
       "birth_date may be\n"
       "YYYY-MM-DD. Ids (*_id, person_a, person_b, checked_by) are trimmed "
       "of the spaces\n"
       "around them. Blank lines (empty, or only commas) are skipped. The "
       "separator is\n"
       "the comma: save a semicolon- or tab-separated file as CSV with "
       "commas.\n"
       "Which FILE is what: with --kind KIND every FILE is CSV of KIND. "
       "Without it, a\n"
       "FILE named KIND.csv (e.g. persons.csv, in any directory) is CSV of "
       "that kind,\n"
       "any other .csv FILE needs --kind, and every other FILE is JSON "
       "Lines: one\n"
       "LedgerEvent per line in protobuf JSON. FILE '-' reads standard "
       "input.\n"
       "Order: the files are recorded in the order of the kinds above, "
       "areas first,\n"
       "passages last, whatever the order given (a household names an "
       "area, a person\n"
       "a household, and so on), then the JSON Lines files in the order "
       "given.\n"
       "All or nothing: a file with a bad row records nothing; the error "
       "names the file\n"
       "and lists every bad row (up to 100) by line, column and reason "
       "(exit 1). With\n"
       "several files, the import stops at the first bad one: the files "
       "before it stay\n"
       "recorded, those after it are not read. Run the same command again "
       "once it is\n"
       "corrected: files imported already are skipped.\n"
       "Once: a FILE whose content (the same bytes) was imported before, "
       "and not\n"
       "retracted, records nothing: 'already imported as events N-M on DATE "
       "(FILE);\n"
       "nothing recorded' (exit 0). --again imports it anyway.\n"
       "--dry-run checks every FILE in full against the ledger (each as if "
       "the files\n"
       "before it were recorded), lists every bad row (up to 100 a file) and "
       "records\n"
       "nothing: exit 1 if any file is bad, else 0 with 'would record N "
       "events'.\n"
       "Undo: 'ledgerctl retract DIR --import-of FILE' retracts every event "
       "of the\n"
       "import of FILE's content; FILE may then be imported again.\n"
       "Prints the sequence numbers recorded. On a terminal, standard error "
       "shows the\n"
       "rows parsed, the rate, the share of FILE read and the time left, "
       "then the\n"
       "recording.\n"
       "--actor NAME is recorded as every event's actor (default "
       "'ledgerctl'). With\n"
       "--scope AREA (and --actor, required then) the files are recorded "
       "through AREA's\n"
       "view: a row about a person, household or area outside AREA's subtree "
       "records\n"
       "nothing and exits 1, naming the row, field and id "
       "(contactledger/scope.h);\n"
       "a dry run checks against the ledger, not the scope.\n"
       "To put back an export as it was, record times included, use "
       "'ledgerctl restore'.\n",
       RunImport,
       "  ledgerctl import county --dry-run --kind checks checks.csv\n"
       "  ledgerctl import county --kind checks checks.csv\n"
       "  ledgerctl import county events.jsonl\n",
       /*last_positional_repeats=*/true},
      {"retract",
       "DIR (--seq N [--seq N ...] | --import-of FILE) [--reason TEXT] "
       "[--actor NAME] [--scope AREA]",
       "withdraw recorded events, or a whole import, in one batch",
       {"DIR"},
       {{"seq", "N",
         "the sequence number of an event to retract (repeat for more)", true},
        {"import-of", "FILE",
         "every event of the earlier import of FILE's content"},
        {"reason", "TEXT", "why, recorded in each retraction"},
        kRedactFlag,
        kScopeFlag,
        kActorFlag},
       {},
       {},
       "Records one Retraction per event, all in one batch (all or "
       "nothing). A\n"
       "retracted event stays in the record: the queries no longer see it, "
       "while a read\n"
       "with --known-at before the retraction still does, and 'ledgerctl "
       "audit' shows\n"
       "both.\n"
       "--seq N: the events by sequence number (as 'import' prints them, "
       "or 'audit' and\n"
       "'export' show them). An event that is itself a retraction cannot be "
       "retracted\n"
       "(exit 1): to bring back what it withdrew, record that event again. "
       "An event\n"
       "retracted already is skipped, with a note.\n"
       "--import-of FILE: the import of FILE's content (the same bytes, "
       "found by their\n"
       "SHA-256): retracts its events but those retracted already and those "
       "that are\n"
       "retractions themselves. The reason defaults to 'undo of the import "
       "of FILE\n"
       "(events N-M)'. If FILE was imported more than once (--again), the "
       "newest import\n"
       "is retracted; run the command again for the one before. FILE may "
       "then be\n"
       "imported again.\n"
       "Prints what it retracted and the sequence numbers of the "
       "retractions. Exit 1\n"
       "for an event or an import that is not recorded, 0 with 'nothing to "
       "retract'\n"
       "when everything is retracted already. With --scope AREA (and "
       "--actor) the\n"
       "retractions are recorded through AREA's view: an event about "
       "anything outside\n"
       "AREA's subtree exits 1 (contactledger/scope.h).\n",
       RunRetract,
       "  ledgerctl retract county --import-of events.jsonl\n"},
      {"roster",
       "DIR --at TIME [--known-at TIME] [--policy NAME|FILE] "
       "[--format csv|json]",
       "who must be quarantined, where and until when (docs/rules.md "
       "section 7)",
       {"DIR"},
       kQueryFlags,
       {"at"},
       {"csv", "json"},
       "CSV: person_id,role,source,last_exposure,until,continuous,place, "
       "sorted by\n"
       "person_id. role is case|close_contact|secondary_contact; source is "
       "the case\n"
       "(or close contact) of the latest exposure; last_exposure RFC 3339; "
       "until the\n"
       "last day of quarantine (YYYY-MM-DD); continuous true|false; place "
       "the place\n"
       "required at --at (hospital|centralized|home). A case has only "
       "person_id, role\n"
       "and place. A continuous contact (still exposed: a household "
       "member of a case\n"
       "at large) has no until, and its last_exposure is --at.\n"
       "JSON: an array with one object per row, the CSV's fields in order "
       "(null for an\n"
       "empty one; continuous a boolean).\n\n",
       RunRoster,
       "  ledgerctl roster county --at 2020-02-01T12:00:00+08:00 --policy "
       "china-2022\n"},
      {"loops",
       "DIR --at TIME [--known-at TIME] [--policy NAME|FILE] "
       "[--format csv|json]",
       "where the loop is still open (docs/rules.md section 8)",
       {"DIR"},
       kQueryFlags,
       {"at"},
       {"csv", "json"},
       "CSV: person_id,kind,since,detail, sorted by person_id, kind, since. "
       "kind is\n"
       "unplaced|unisolated_case|early_release|missed_check|"
       "fever_not_escalated|\n"
       "no_owner|checkpoint_breach|unregistered.\n"
       "JSON: an array with one object per row, the CSV's fields in order.\n\n",
       RunLoops,
       "  ledgerctl loops county --at 2020-02-01T12:00:00+08:00 --format "
       "json\n"},
      {"explain",
       "DIR --person ID --at TIME [--known-at TIME] "
       "[--policy NAME|FILE] [--format text|csv|json]",
       "why a person is, or is not, in the roster",
       {"DIR"},
       with({{"person", "ID", "the person (required)"}}),
       {"person", "at"},
       {"text", "csv", "json"},
       "text (default): the role, until, phases, each source with the rule "
       "and the\n"
       "sequence numbers of its qualifying exposures, and notes.\n"
       "CSV: person_id,in_roster,role,source,rule,exposures,first,"
       "last_exposure,\n"
       "overlap_seconds,continuous,until, one row per source (exposures "
       "separated by\n"
       "';'), or one row with empty source fields.\n"
       "JSON: one object (not an array): person_id, in_roster, role, until, "
       "and the\n"
       "arrays sources, phases and notes.\n"
       "Exit 1 for a person the ledger never saw.\n\n",
       RunExplain,
       "  ledgerctl explain county --person p00012247 --at "
       "2020-02-01T12:00:00+08:00\n"},
      {"rollup",
       "DIR --area ID --at TIME [--known-at TIME] "
       "[--policy NAME|FILE] [--format csv|json]",
       "how each child area of an area stands",
       {"DIR"},
       with({{"area", "ID", "the parent area (required)"}}),
       {"area", "at"},
       {"csv", "json"},
       "CSV: area_id,name,persons,households,active_cases,close_contacts,\n"
       "secondary_contacts,in_hospital,in_centralized,at_home, one count per "
       "loop kind\n"
       "(unplaced ... unregistered), checks_last_24h; one row per child "
       "area, sorted\n"
       "by area_id. For a top-level area (a county) a last row, area_id "
       "'(unassigned)',\n"
       "counts the persons with no area (registered with neither area nor "
       "household,\n"
       "or never registered) when it counts anything, so that the rows add "
       "up to the\n"
       "roster and the open loops. JSON: an array with one object per row, "
       "the CSV's\n"
       "fields in order. Exit 1 for an unknown area.\n\n",
       RunRollup,
       "  ledgerctl rollup county --area yl --at 2020-02-01T12:00:00+08:00\n"},
      {"pass",
       "DIR --person ID --checkpoint ID --at TIME [--known-at TIME] "
       "[--policy NAME|FILE] [--format text|csv|json]",
       "whether a person may pass a checkpoint",
       {"DIR"},
       with({{"person", "ID", "the person (required)"},
             {"checkpoint", "ID", "the checkpoint (required)"}}),
       {"person", "checkpoint", "at"},
       {"text", "csv", "json"},
       "text (default): 'allowed', 'refused' or 'unknown person', then ': ' "
       "and the\n"
       "reason. CSV: person_id,checkpoint_id,decision,reason, decision "
       "allowed|refused|\n"
       "unknown_person. JSON: one object (not an array): person_id, "
       "checkpoint_id,\n"
       "allowed (true only when allowed), verdict (as decision), reason.\n"
       "A person named by no record the query sees (no registration, "
       "exposure, diagnosis,\n"
       "stay, check or passage) is an unknown person, not allowed: 'P01' is "
       "not 'p01'.\n"
       "Exit status: 0 allowed, 1 refused (or an error), 2 bad usage, 3 "
       "unknown person.\n\n",
       RunPass,
       "  ledgerctl pass county --person p00012247 --checkpoint yl-t01-cp1 "
       "--at 2020-02-01T12:00:00+08:00\n"},
      {"contacts",
       "DIR --person ID --hops K --from TIME --to TIME "
       "[--format csv|json]",
       "everyone within K hops over exposures overlapping a window",
       {"DIR"},
       {{"person", "ID", "the person (required)"},
        {"hops", "K", "the largest hop distance, 1 or more (required)"},
        {"from", "TIME", "the window's start (required)"},
        {"to", "TIME", "the window's end (required)"},
        {"format", "FORMAT", "csv (default) or json"},
        kRedactFlag,
        kScopeReadFlag},
       {"person", "hops", "from", "to"},
       {"csv", "json"},
       "Follows every recorded exposure (not retracted) with start <= --to "
       "and\n"
       "end >= --from, whatever the policy. CSV: person_id,hops, sorted by "
       "hops, then\n"
       "person_id; the person itself is not listed. Exit 1 for a person the "
       "ledger\n"
       "never saw.\n",
       RunContacts,
       "  ledgerctl contacts county --person p00012248 --hops 2 --from "
       "2020-01-23T00:00:00+08:00 --to 2020-01-27T12:00:00+08:00\n"},
      {"chains",
       "DIR --at TIME [--known-at TIME] [--policy NAME|FILE] "
       "[--format csv|json|dot]",
       "index cases linked through qualifying exposures",
       {"DIR"},
       kQueryFlags,
       {"at"},
       {"csv", "json", "dot"},
       "CSV: chain,from,to,rule,exposures, one row per edge (exposures "
       "separated by\n"
       "';'); chains are numbered from 1, sorted by their first case; a case "
       "with no\n"
       "link is a chain with one row 'N,case,,,'. JSON: an array with one "
       "object per\n"
       "chain: chain (its number), cases, and edges (from, to, rule, "
       "exposures).\n"
       "dot: a Graphviz digraph with one cluster per chain.\n\n",
       RunChains,
       "  ledgerctl chains county --at 2020-02-01T12:00:00+08:00 --format dot "
       "> chains.dot\n"},
      {"dashboard",
       "DIR --at TIME --out FILE.html [--days N] [--area ID] [--known-at "
       "TIME] [--policy NAME|FILE]",
       "write the county dashboard: one self-contained HTML page",
       {"DIR"},
       {{"at", "TIME", "the moment the page is about (required)"},
        {"out", "FILE",
         "the page to write, e.g. dashboard.html (required; replaced if it "
         "exists)"},
        {"days", "N", "days in the charts, 1-366 (default 14)"},
        {"area", "ID",
         "the area to roll up (default: the --scope area, else the ledger's "
         "one area with no parent)"},
        {"max-listed", "N",
         "the most people listed per table and chains drawn (default 500; "
         "the counts are always whole)"},
        {"known-at", "TIME",
         "as the ledger knew it then (default: everything)"},
        {"policy", "NAME|FILE",
         "a preset or a policy file (default china-2020)"},
        kRedactFlag,
        kScopeReadFlag},
       {"at", "out"},
       {},
       "Writes one HTML page (contactledger/dashboard.h) that needs no "
       "network, script,\n"
       "font or image from elsewhere: it opens from a USB stick on an "
       "offline PC. It\n"
       "shows, as of --at: the roll-up of the area by child area, each with "
       "a drill-down\n"
       "to its own children (as 'rollup'); the open loops by kind with the "
       "people in\n"
       "each (as 'loops'); the roster with place and until (as 'roster'); "
       "the\n"
       "transmission chains drawn as SVG (as 'chains'); and charts with a "
       "table of the\n"
       "roster size, active cases and open loops on each of the last --days "
       "days, each\n"
       "day at its last instant in the ledger's zone (the last day at "
       "--at). Names and\n"
       "areas are shown beside the people listed. Every text is escaped; a "
       "Content-\n"
       "Security-Policy forbids any fetch. With --redact the page is "
       "redacted as any\n"
       "output is. Prints 'wrote FILE: N bytes; ...'. Exit 1 for an unknown "
       "area, a\n"
       "ledger with no area or a FILE that cannot be written; 2 for bad "
       "flags.\n\n",
       RunDashboard,
       "  ledgerctl dashboard county --at 2020-02-01T12:00:00+08:00 --out "
       "dashboard.html\n"},
      {"audit",
       "DIR --person ID [--known-at TIME] [--scope AREA] [--format csv|json]",
       "who recorded what about a person",
       {"DIR"},
       {{"person", "ID", "the person (required)"},
        {"known-at", "TIME",
         "as the ledger knew it then (default: "
         "everything)"},
        {"format", "FORMAT", "output format"},
        kRedactRecordsFlag,
        kScopeReadFlag},
       {"person"},
       {"csv", "json"},
       "Every event about the person, sorted by sequence number: its "
       "registrations\n"
       "and versions, exposures on either side, diagnoses, stays, checks, "
       "passages,\n"
       "and the retractions of any of these. CSV: sequence_number,"
       "record_time,actor,\n"
       "kind,retracted,retracted_by,retracts,detail. record_time is RFC 3339 "
       "with the\n"
       "fraction of a second; kind is the event's body (person|exposure|"
       "diagnosis|\n"
       "quarantine_action|health_check|checkpoint_passage|retraction); "
       "retracted is\n"
       "true|false as of --known-at, retracted_by the retraction's sequence "
       "number;\n"
       "retracts, for a retraction, the event it withdraws. detail is what the "
       "event\n"
       "said: a person version what it registered or changed ('changed: "
       "phone A -> B'),\n"
       "an exposure the partner, start, end and setting, a diagnosis the "
       "status, time\n"
       "and onset, a stay its action, place and time, a check the "
       "temperature,\n"
       "symptoms and checker, a passage the direction and checkpoint, a "
       "retraction\n"
       "the event and reason (contactledger/report.h, AuditEventDetail).\n"
       "JSON is an array with one object per row and the same fields (null "
       "for an\n"
       "empty one).\n"
       "The trail holds the events recorded at or before --known-at "
       "(default: all),\n"
       "whatever their event times (a note on standard error says when that "
       "is before\n"
       "the first record). With --scope AREA only a person of AREA's "
       "subtree\n"
       "(as of --known-at) may be asked about (contactledger/scope.h).\n"
       "Exit 1 for a person the ledger never saw, or (with --scope) one "
       "outside the\n"
       "scope.\n\n",
       RunAudit,
       "  ledgerctl audit county --person p00012248\n"},
      {"show",
       "DIR (--area ID | --household ID | --person ID) [--at TIME] "
       "[--known-at TIME] [--format text|json]",
       "one area, household or person, with its versions",
       {"DIR"},
       {{"area", "ID", "the area"},
        {"household", "ID", "the household"},
        {"person", "ID", "the person (registered or not)"},
        {"at", "TIME",
         "a person's diagnosis and stay as of then (default: the latest "
         "recorded)"},
        {"known-at", "TIME",
         "as the ledger knew it then (default: everything)"},
        {"format", "FORMAT", "output format"},
        kRedactRecordsFlag,
        kScopeReadFlag},
       {},
       {"text", "json"},
       "Prints the record as the ledger knew it (its current version as of "
       "--known-at),\n"
       "the records around it, and every version recorded by then: its "
       "sequence\n"
       "number, record time (with the fraction of a second), actor, and "
       "whether it is\n"
       "retracted (and by which event). An area shows its parent and "
       "children, a\n"
       "household its area and members, a person their household and area, "
       "their\n"
       "latest diagnosis and open stay (at --at) and how many events of "
       "each kind name\n"
       "them; a person named by events but never registered has no fields "
       "or versions.\n"
       "text (default): 'KIND ID', then '  FIELD: VALUE', '  RELATION: IDS', "
       "'  note: ...'\n"
       "and 'versions:'. JSON: one object: kind, id, fields, related, notes, "
       "versions.\n"
       "Give exactly one of --area, --household and --person; blanks around "
       "the id are\n"
       "trimmed. With --scope AREA only a record in AREA's subtree (as of "
       "--known-at)\n"
       "may be shown (contactledger/scope.h). Times are in the ledger's "
       "time zone; a note\n"
       "on standard error says when --known-at is before the first record. "
       "Exit 1 for\n"
       "an id the ledger does not know (as of --known-at), or (with --scope) "
       "one outside\n"
       "the scope.\n",
       RunShow,
       "  ledgerctl show county --person p00012247\n"
       "  ledgerctl show county --area yl --format json\n"},
      {"policy",
       "show NAME|FILE",
       "print a policy preset (or a policy file) to copy and edit",
       {"SUBCOMMAND", "NAME"},
       {},
       {},
       {},
       "'policy show NAME' prints the preset NAME (china-2020, china-2022, "
       "who-2020,\n"
       "cdc-2020) as a contactledger.v1.Policy in protobuf text format, "
       "after comment\n"
       "lines that say how to use it: save it to a file, edit it, and give "
       "the file to\n"
       "--policy. A policy file may also hold only the fields to change, "
       "after a line\n"
       "'base: \"PRESET\"' naming the preset they change (docs/rules.md "
       "section 9).\n"
       "'policy show FILE' prints what --policy FILE would apply, base "
       "resolved.\n"
       "Takes no DIR. Exit 2 for a name that is neither a preset nor a file, "
       "1 for a\n"
       "file that is not a valid policy.\n",
       RunPolicy,
       "  ledgerctl policy show china-2020\n"},
      {"verify",
       "DIR",
       "check every file of the ledger without changing it",
       {"DIR"},
       {kRedactFlag},
       {},
       {},
       "Prints each file with its records and events, any damage and "
       "problems, and\n"
       "'ok' or 'damaged'. Exit 0 when ok (a cut-off log tail is ok), 1 "
       "otherwise.\n",
       RunVerify,
       "  ledgerctl verify county\n"},
      {"export",
       "DIR [--format jsonl]",
       "print every event as JSON Lines",
       {"DIR"},
       {{"format", "FORMAT", "jsonl (the default and only format)"},
        kRedactRecordsFlag,
        kScopeReadFlag},
       {},
       {"jsonl"},
       "One LedgerEvent per line in protobuf JSON (proto field names), in "
       "sequence\n"
       "order, envelope included (sequence number, record time, actor, "
       "import source).\n"
       "'ledgerctl restore DIR2 FILE' reads it back as it was, sequence "
       "numbers and\n"
       "record times included; 'ledgerctl import DIR2 FILE' would record "
       "its events\n"
       "anew, with new sequence numbers and record times. Events lost to a "
       "damaged\n"
       "log are skipped with a warning on standard error.\n"
       "With --redact, each person's name keeps its first character, a "
       "national id its\n"
       "first 6 and last 4, a phone its first 3 and last 4 digits, a "
       "household's address\n"
       "and worker their first character; birth dates are left out; ids "
       "and notes\n"
       "quoting any of these are redacted too. Such an export is for "
       "reading, not for\n"
       "importing back.\n",
       RunExport,
       "  ledgerctl export county > county.jsonl\n"},
      {"restore",
       "DIR FILE.jsonl --time-zone ZONE [--identity-rules china|none]",
       "rebuild a ledger from an export, record times included",
       {"DIR", "FILE"},
       {{"time-zone", "ZONE",
         "the exported ledger's time zone, e.g. Asia/Shanghai (required: "
         "an export does not say it)"},
        {"identity-rules", "RULES",
         "the exported ledger's identity rules: china (default) or none"}},
       {"time-zone"},
       {},
       "Rebuilds the ledger that 'ledgerctl export' printed, event for "
       "event: each keeps\n"
       "its sequence number, record time, actor and import source, so the "
       "copy answers\n"
       "every question as the original did, --known-at included, and its "
       "export is the\n"
       "same file. DIR must be new or empty; the ledger is built in "
       "DIR.restoring and\n"
       "renamed to DIR only when every event is recorded and synced, so a "
       "failed restore\n"
       "leaves nothing. Exit 1 naming the line for a line that is not an "
       "exported event,\n"
       "a gap in the sequence numbers (an export made with --scope, or one "
       "missing events\n"
       "lost to damage), a redacted export (its values fail the checks), or "
       "an event the\n"
       "ledger refuses. To add events to a ledger, use import.\n",
       RunRestore,
       "  ledgerctl restore county-copy county.jsonl --time-zone "
       "Asia/Shanghai\n"},
      {"ship",
       "DIR --nats URLS [--once] [--interval DURATION] [--lease DURATION]",
       "publish DIR's log to its ledger's stream, for replicas",
       {"DIR"},
       {kNatsFlag,
        {"once", nullptr, "ship what the log holds, then exit"},
        {"interval", "DURATION",
         "between two looks at the log, e.g. 500ms or 2s (default 200ms)"},
        {"lease", "DURATION",
         "how long the writer's lease lasts unless renewed (default 10s): "
         "after it, a replica may be promoted"}},
       {"nats"},
       {},
       "Publishes the batches of the ledger in DIR, in order, to the stream "
       "LEDGER_<id> of\n"
       "its ledger id ('ledgerctl status DIR' prints it), creating the "
       "stream when missing\n"
       "(3 replicas). It reads DIR's MANIFEST and logs only, so it runs "
       "beside the program\n"
       "that writes to DIR. Each message is published once whatever "
       "fails, and a stream\n"
       "that holds events this log does not, or another directory's "
       "batches under the\n"
       "same id, is refused with both heads named and nothing published "
       "(docs/replication.md).\n"
       "Prints one line per round that shipped something: 'shipped events "
       "A-B in N\n"
       "messages (stream LEDGER_<id>: M messages, last event B)'. With "
       "--once it ships\n"
       "what the log holds and exits 0 ('nothing to ship (...)' when the "
       "stream has it\n"
       "all). Without it, it looks at the log again every --interval until "
       "SIGINT or\n"
       "SIGTERM, then finishes the round it is in and exits 0. Exit 1 on "
       "any error (the\n"
       "cluster unreachable past 30 s, a refused stream): run it again, it "
       "resumes where\n"
       "the stream ends.\n",
       RunShip,
       "  ledgerctl ship county --nats "
       "nats://10.0.0.1:4222,nats://10.0.0.2:4222,nats://10.0.0.3:4222 "
       "--once\n"},
      {"follow",
       "DIR --nats URLS --ledger ID [--once]",
       "keep a read-only replica of ledger ID in DIR, from its stream",
       {"DIR"},
       {kNatsFlag,
        {"ledger", "ID",
         "the ledger id to follow, as 'ledgerctl status' prints it at the "
         "writer (required)"},
        {"once", nullptr, "apply what the stream holds, then exit"}},
       {"nats", "ledger"},
       {},
       "Applies the stream LEDGER_<ID> in order to the replica in DIR "
       "(created when\n"
       "missing, with the writer's time zone and identity rules), checking "
       "each message's\n"
       "ledger id, sequence numbers and hash chain first; a replica that "
       "exists goes on\n"
       "from its own last event. Every reading command (roster, export, "
       "...) works on\n"
       "DIR, also while follow runs. Record only at the writer: DIR's "
       "MANIFEST marks it a\n"
       "replica, and every recording command refuses it until 'ledgerctl "
       "promote'.\n"
       "Prints 'applied events A-B (replica at event B, stream at event S: "
       "N events\n"
       "behind)' for what each poll applied, and on exit, when it applied "
       "anything,\n"
       "writes a snapshot of the replica ('snapshot of the replica at event "
       "B written').\n"
       "With --once it applies until the end of the stream and exits 0. "
       "Without it, it\n"
       "waits for more until SIGINT or SIGTERM, then exits 0. Exit 1 when "
       "the stream does\n"
       "not exist (nothing of ID was shipped: check --ledger), DIR holds "
       "another ledger\n"
       "or another history, a message fails its checks (nothing of it is "
       "applied), or\n"
       "(--once) nothing more arrives for 30 s while the stream says it "
       "holds more.\n",
       RunFollow,
       "  ledgerctl follow replica --nats "
       "nats://10.0.0.1:4222,nats://10.0.0.2:4222,nats://10.0.0.3:4222 "
       "--ledger 7c1e0f3a9b2d4c6e8f0a1b2c3d4e5f60 --once\n"},
      {"promote",
       "DIR --nats URLS",
       "make the replica in DIR the writer, once its writer's lease lapsed",
       {"DIR"},
       {kNatsFlag},
       {"nats"},
       {},
       "Fail-over: applies everything the stream of DIR's ledger holds, "
       "checks that the\n"
       "writer's lease (renewed by its 'ledgerctl ship') has lapsed, clears "
       "DIR's replica\n"
       "mark and takes the lease: DIR is then the ledger's writer, going on "
       "from the last\n"
       "event shipped. Prints 'promoted DIR: the writer of ledger ID from "
       "event N (...)'.\n"
       "Run 'ledgerctl ship DIR --nats URLS' at once after it to keep the "
       "lease (10 s).\n"
       "The old writer, if it comes back, is fenced: its ship fails, and "
       "what it never\n"
       "shipped stays in its own log only (docs/replication.md says how to "
       "reconcile it).\n"
       "Exit 1 while the lease is held (naming the holder and until when), "
       "when DIR is\n"
       "not a replica, or the cluster does not answer.\n",
       RunPromote,
       "  ledgerctl promote replica --nats "
       "nats://10.0.0.1:4222,nats://10.0.0.2:4222,nats://10.0.0.3:4222\n"},
      {"status",
       "DIR [--nats URLS]",
       "a ledger's id and last event, and with --nats its stream's",
       {"DIR"},
       {{"nats", "URLS",
         "also the ledger's stream on this cluster, and the lag"}},
       {},
       {},
       "Prints 'KEY: VALUE' lines: directory, ledger id, role ('writer', or "
       "'replica (...)'),\n"
       "last event, last record time (RFC 3339 in the ledger's time zone, "
       "'-' for none).\n"
       "With --nats "
       "also 'stream:'\n"
       "(LEDGER_<id> with its messages and last event, or 'does not "
       "exist'), 'stream\n"
       "record time:', and 'lag:', one of 'log ahead of the stream by N "
       "events (not\n"
       "shipped yet)' (a writer's directory), 'stream ahead of this "
       "directory by N\n"
       "events' (a replica behind) or 'none (...)'. It compares last events "
       "only; ship\n"
       "and follow check the whole chain. Opens DIR read-only. Exit 1 when "
       "the cluster\n"
       "does not answer.\n",
       RunStatus,
       "  ledgerctl status county\n"},
  };
  return *commands;
}

const Command* FindCommand(const std::string& name) {
  for (const Command& command : Commands()) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

}  // namespace ledgerctl
}  // namespace contactledger
