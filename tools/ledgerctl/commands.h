// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl's commands: the table of every command with its arguments, flags
// and help text (commands.cc), the help that `ledgerctl --help` and
// `ledgerctl COMMAND --help` print, and the function that runs each command:
//
//   ledger_commands.cc  init, generate, import, verify, export: making,
//                       filling, checking and dumping a ledger directory
//   retract_command.cc  retract: withdrawing events, one by one or a whole
//                       import
//   query_commands.cc   roster, loops, explain, rollup, pass, chains: the
//                       questions a Tracer answers at --at under --policy
//   record_commands.cc  contacts, audit: what the record holds about a
//                       person, whatever the policy
//   show_command.cc     show: one area, household or person with its
//                       versions
//   policy_commands.cc  policy show, and reading --policy
//   dashboard_command.cc  dashboard: the county dashboard as one HTML page

#ifndef CONTACTLEDGER_TOOLS_LEDGERCTL_COMMANDS_H_
#define CONTACTLEDGER_TOOLS_LEDGERCTL_COMMANDS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "contactledger/ledger.h"
#include "contactledger/ledger_view.h"
#include "contactledger/options.h"
#include "contactledger/scope.h"
#include "contactledger/v1/policy.pb.h"
#include "tools/ledgerctl/flags.h"

namespace contactledger {
namespace ledgerctl {

// Every command, in the order `ledgerctl --help` lists them.
const std::vector<Command>& Commands();

// The command called `name`, or nullptr.
const Command* FindCommand(const std::string& name);

// `ledgerctl --help`: the commands with their summaries, then examples.
std::string MainHelp();

// `ledgerctl COMMAND --help`: the usage line, the summary, the options, the
// details and the examples.
std::string CommandHelp(const Command& command);

// The commands. Each returns the exit status; the error, if any, is printed.
int RunInit(const Invocation& inv);
int RunGenerate(const Invocation& inv);
int RunImport(const Invocation& inv);
int RunRetract(const Invocation& inv);  // retract_command.cc
int RunVerify(const Invocation& inv);
int RunExport(const Invocation& inv);
int RunRestore(const Invocation& inv);
int RunRoster(const Invocation& inv);
int RunLoops(const Invocation& inv);
int RunExplain(const Invocation& inv);
int RunRollup(const Invocation& inv);
int RunPass(const Invocation& inv);
int RunChains(const Invocation& inv);
int RunDashboard(const Invocation& inv);  // dashboard_command.cc
int RunContacts(const Invocation& inv);
int RunAudit(const Invocation& inv);
int RunShow(const Invocation& inv);    // show_command.cc
int RunPolicy(const Invocation& inv);  // policy_commands.cc

// What --policy names (policy_commands.cc): a preset, or a file holding a
// Policy in protobuf text format or JSON, whole or as changes to a preset
// named by its `base` (ParsePolicy, contactledger/tracing.h). NotFound, with
// the presets listed, for a name that is neither a preset nor an existing
// file ("no such file: FILE" when it reads as a file name); another error,
// naming the file, for one that cannot be read or parsed.
absl::StatusOr<v1::Policy> LoadPolicyArgument(const std::string& value);

// Prints a note on standard error when `read.known_at` is before the first
// record of `ledger`: the read then sees nothing (query_commands.cc; every
// command that takes --known-at calls it).
void NoteIfBeforeFirstRecord(const Invocation& inv, const LedgerView& ledger,
                             const ReadOptions& read);

// What audit and show open (record_commands.cc): the ledger read-only, with
// the note on a --known-at before its first record (NoteIfBeforeFirstRecord
// of *read), and the --scope view (left empty without --scope); then it
// sets read->sequence_limit to the last sequence number, so that every read
// of the command sees the same events while a writer appends. Returns 0, or
// the exit status of the error it printed.
int OpenAtOneCut(const Invocation& inv, ReadOptions* read,
                 std::unique_ptr<Ledger>* ledger,
                 std::unique_ptr<ScopedLedger>* view);

}  // namespace ledgerctl
}  // namespace contactledger

#endif  // CONTACTLEDGER_TOOLS_LEDGERCTL_COMMANDS_H_
