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

namespace contactledger {
namespace ledgerctl {
namespace {

// Ends the help of every command that takes --at (a Tracer query).
constexpr char kQueryDetails[] =
    "The query sees the events recorded at or before --known-at (default: "
    "all),\n"
    "and of their facts what happened at or before --at (docs/rules.md "
    "section 1).\n"
    "--policy takes a preset (china-2020, the default; china-2022, who-2020,\n"
    "cdc-2020) or a file holding a Policy in protobuf text format or JSON.\n"
    "Times are printed in RFC 3339 with the ledger's time zone offset, days "
    "as\n"
    "YYYY-MM-DD; CSV is RFC 4180 with LF line ends; JSON is an array with "
    "one\n"
    "object per row and the same fields (null for an empty one).\n"
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
    if (absl::string_view(flag.name) == "at") text += kQueryDetails;
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
  for (const Command& command : Commands()) {
    std::string left = absl::StrCat("  ", command.name);
    left.resize(12, ' ');
    absl::StrAppend(&text, left, command.summary, "\n");
  }
  absl::StrAppend(
      &text,
      "\nRun 'ledgerctl COMMAND --help' for a command's options and output.\n"
      "\n"
      "TIME is RFC 3339 with an offset, e.g. 2020-02-01T08:00:00+08:00.\n"
      "Exit status: 0 success; 1 bad input or a failed check; 2 bad usage.\n"
      "Errors go to standard error; on a terminal, 'import' and 'generate' "
      "also show\n"
      "their progress there.\n"
      "\n"
      "Examples:\n"
      "  ledgerctl init county --time-zone Asia/Shanghai\n"
      "  ledgerctl generate county --persons 20000\n"
      "  ledgerctl roster county --at 2020-02-01T12:00:00+08:00\n");
  return text;
}

const std::vector<Command>& Commands() {
  // A switch (no value) of every command that prints ledger data.
  static const FlagSpec kRedactFlag = {
      "redact", nullptr,
      "redact names, national ids and phone numbers in all output "
      "(contactledger/privacy.h)"};
  // Views bound to an area, and who records (contactledger/scope.h).
  static const FlagSpec kScopeFlag = {
      "scope", "AREA",
      "only AREA's subtree: outsiders as opaque ids (ext-...), writes "
      "outside refused"};
  static const FlagSpec kActorFlag = {
      "actor", "NAME",
      "who records: stamped on every event (default ledgerctl)"};
  static const std::vector<FlagSpec> kQueryFlags = {
      {"at", "TIME", "the moment the question is about (required)"},
      {"known-at", "TIME", "as the ledger knew it then (default: everything)"},
      {"policy", "NAME|FILE", "a preset or a policy file (default china-2020)"},
      {"format", "FORMAT", "output format"},
      kRedactFlag,
      kScopeFlag,
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
       "DIR --persons N [--seed S] [--cases K]",
       "record a synthetic county shaped like Yuanling (for trials)",
       {"DIR"},
       {{"persons", "N", "registered persons, 10 or more (required)"},
        {"seed", "S", "the generator's seed (default 2020)"},
        {"cases", "K", "index cases (default 5)"},
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
       "so far and the rate.\n",
       RunGenerate,
       "  ledgerctl generate county --persons 20000\n"},
      {"import",
       "DIR [--kind KIND] [--scope AREA --actor NAME] FILE",
       "record a CSV (with --kind) or JSON Lines file, all or nothing",
       {"DIR", "FILE"},
       {{"kind", "KIND",
         "areas|households|persons|exposures|diagnoses|stays|checks|"
         "passages"},
        kRedactFlag,
        kScopeFlag,
        kActorFlag},
       {},
       {},
       "With --kind, FILE is CSV: UTF-8, RFC 4180 quoting, a header row, "
       "columns in\n"
       "any order (* = required column; the others may be left out or "
       "empty):\n"
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
       "YYYY-MM-DD. Without --kind, FILE is JSON Lines: one LedgerEvent per "
       "line in\n"
       "protobuf JSON (as 'export' writes). FILE '-' reads standard input.\n"
       "A file with one bad row records nothing; the error names the file, "
       "line,\n"
       "column and reason (exit 1). Prints the sequence numbers recorded.\n"
       "On a terminal, standard error shows the rows parsed, the rate, the "
       "share of\n"
       "FILE read and the time left, then the recording.\n"
       "--actor NAME is recorded as every event's actor (default "
       "'ledgerctl'). With\n"
       "--scope AREA (and --actor, required then) the file is recorded "
       "through AREA's\n"
       "view: a row about a person, household or area outside AREA's subtree "
       "records\n"
       "nothing and exits 1, naming the row, field and id "
       "(contactledger/scope.h).\n",
       RunImport,
       "  ledgerctl import county --kind checks checks.csv\n"
       "  ledgerctl import county events.jsonl\n"},
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
       "at large) has no until, and its last_exposure is --at.\n\n",
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
       "no_owner|checkpoint_breach|unregistered.\n\n",
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
       "';'), or one row with empty source fields. JSON: one object with "
       "sources,\n"
       "phases and notes. Exit 1 for a person the ledger never saw.\n\n",
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
       "by area_id. Exit 1 for an unknown area.\n\n",
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
       "text (default): 'allowed' or 'refused', then ': ' and the reason.\n"
       "CSV: person_id,checkpoint_id,decision,reason. JSON: one object.\n"
       "Exit status: 0 allowed, 1 refused (or an error), 2 bad usage.\n\n",
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
        kScopeFlag},
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
       "[--format csv|dot]",
       "index cases linked through qualifying exposures",
       {"DIR"},
       kQueryFlags,
       {"at"},
       {"csv", "dot"},
       "CSV: chain,from,to,rule,exposures, one row per edge (exposures "
       "separated by\n"
       "';'); chains are numbered from 1, sorted by their first case; a case "
       "with no\n"
       "link is a chain with one row 'N,case,,,'. dot: a Graphviz digraph "
       "with one\n"
       "cluster per chain.\n\n",
       RunChains,
       "  ledgerctl chains county --at 2020-02-01T12:00:00+08:00 --format dot "
       "> chains.dot\n"},
      {"audit",
       "DIR --person ID [--known-at TIME] [--scope AREA] [--format csv|json]",
       "who recorded what about a person",
       {"DIR"},
       {{"person", "ID", "the person (required)"},
        {"known-at", "TIME",
         "as the ledger knew it then (default: "
         "everything)"},
        {"format", "FORMAT", "output format"},
        kRedactFlag,
        kScopeFlag},
       {"person"},
       {"csv", "json"},
       "Every event about the person, sorted by sequence number: its "
       "registrations\n"
       "and versions, exposures on either side, diagnoses, stays, checks, "
       "passages,\n"
       "and the retractions of any of these. CSV: sequence_number,"
       "record_time,actor,\n"
       "kind,retracted,retracted_by,retracts. record_time is RFC 3339 with "
       "the\n"
       "fraction of a second; kind is the event's body (person|exposure|"
       "diagnosis|\n"
       "quarantine_action|health_check|checkpoint_passage|retraction); "
       "retracted is\n"
       "true|false as of --known-at, retracted_by the retraction's sequence "
       "number;\n"
       "retracts, for a retraction, the event it withdraws. JSON is an array "
       "with one\n"
       "object per row and the same fields (null for an empty one).\n"
       "The trail holds the events recorded at or before --known-at "
       "(default: all),\n"
       "whatever their event times. With --scope AREA only a person of "
       "AREA's subtree\n"
       "(as of --known-at) may be asked about (contactledger/scope.h).\n"
       "Exit 1 for a person the ledger never saw, or (with --scope) one "
       "outside the\n"
       "scope.\n\n",
       RunAudit,
       "  ledgerctl audit county --person p00012248\n"},
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
        kRedactFlag,
        kScopeFlag},
       {},
       {"jsonl"},
       "One LedgerEvent per line in protobuf JSON (proto field names), in "
       "sequence\n"
       "order, envelope included; 'ledgerctl import DIR2 FILE' reads it "
       "back. Events\n"
       "lost to a damaged log are skipped with a warning on standard "
       "error.\n"
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
