// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl's commands: the table of every command with its arguments, flags
// and help text (commands.cc), the help that `ledgerctl --help` and
// `ledgerctl COMMAND --help` print, and the function that runs each command:
//
//   ledger_commands.cc  init, generate, import, verify, export: making,
//                       filling, checking and dumping a ledger directory
//   query_commands.cc   roster, loops, explain, rollup, pass, chains: the
//                       questions a Tracer answers at --at under --policy
//   record_commands.cc  contacts, audit: what the record holds about a
//                       person, whatever the policy

#ifndef CONTACTLEDGER_TOOLS_LEDGERCTL_COMMANDS_H_
#define CONTACTLEDGER_TOOLS_LEDGERCTL_COMMANDS_H_

#include <string>
#include <vector>

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
int RunVerify(const Invocation& inv);
int RunExport(const Invocation& inv);
int RunRoster(const Invocation& inv);
int RunLoops(const Invocation& inv);
int RunExplain(const Invocation& inv);
int RunRollup(const Invocation& inv);
int RunPass(const Invocation& inv);
int RunChains(const Invocation& inv);
int RunContacts(const Invocation& inv);
int RunAudit(const Invocation& inv);

}  // namespace ledgerctl
}  // namespace contactledger

#endif  // CONTACTLEDGER_TOOLS_LEDGERCTL_COMMANDS_H_
