// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl: the command-line tool over a ledger directory. Its interface is
// a contract for scripts and tests; `ledgerctl --help` and `ledgerctl
// COMMAND --help` print it. In short:
//
//   ledgerctl init     DIR [--time-zone ZONE] [--identity-rules china|none]
//   ledgerctl generate DIR --persons N [--seed S] [--cases K] [--into-existing]
//   ledgerctl import   DIR [--kind KIND] [--dry-run] [--again] FILE...
//   ledgerctl retract  DIR (--seq N... | --import-of FILE) [--reason TEXT]
//   ledgerctl roster   DIR --at TIME [--known-at TIME] [--policy NAME|FILE]
//                          [--format csv|json]
//   ledgerctl loops    DIR --at TIME [same options]
//   ledgerctl explain  DIR --person ID --at TIME [same options]
//   ledgerctl rollup   DIR --area ID --at TIME [same options]
//   ledgerctl pass     DIR --person ID --checkpoint ID --at TIME [same options]
//   ledgerctl contacts DIR --person ID --hops K --from TIME --to TIME
//                          [--format csv|json]
//   ledgerctl chains   DIR --at TIME [--known-at TIME] [--policy NAME|FILE]
//                          [--format csv|json|dot]
//   ledgerctl audit    DIR --person ID [--known-at TIME] [--format csv|json]
//   ledgerctl show     DIR (--area ID | --household ID | --person ID)
//                          [--at TIME] [--known-at TIME] [--format text|json]
//   ledgerctl policy   show NAME|FILE
//   ledgerctl verify   DIR
//   ledgerctl export   DIR [--format jsonl]
//   ledgerctl restore  DIR FILE.jsonl --time-zone ZONE
//
// Every command that prints ledger data takes --redact (output.h); the
// queries, contacts, audit, show, import, retract and export take --scope
// AREA (contactledger/scope.h). Commands that only read open the ledger
// read-only (Ledger::OpenReadOnly), beside a program writing to it. Exit
// status: 0 success, 1 bad input or a failed check, 2 bad usage, 3 an
// unknown person at `pass` (output.h).
//
// The program in files:
//   main.cc          this: picks the command and runs it
//   flags.h          the parser of the command line and its usage errors
//   commands.h       the command table and help text (commands.cc), and the
//                    commands: ledger_commands.cc, query_commands.cc,
//                    record_commands.cc
//   open_ledger.h    the ledger, scoped view, policy and Tracer a command
//                    opens
//   progress.h       the progress line of import and generate
//   output.h         standard output and error, through --redact
// The answers are written by contactledger/report.h.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "contactledger/privacy.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {
namespace {

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    PrintError(MainHelp());
    return kExitUsage;
  }
  const std::string& name = args[0];
  if (name == "--help" || name == "-h" || name == "help") {
    if (name == "help" && args.size() == 2) {
      const Command* command = FindCommand(args[1]);
      if (command == nullptr) {
        return UsageError(nullptr,
                          absl::StrCat("unknown command '", args[1], "'"));
      }
      Print(CommandHelp(*command));
      return kExitOk;
    }
    Print(MainHelp());
    return kExitOk;
  }
  const Command* command = FindCommand(name);
  if (command == nullptr) {
    return UsageError(nullptr, absl::StrCat("unknown command '", name, "'"));
  }
  Invocation inv;
  switch (ParseArguments(
      *command, std::vector<std::string>(args.begin() + 1, args.end()), &inv)) {
    case Parsed::kHelp:
      Print(CommandHelp(*command));
      return kExitOk;
    case Parsed::kBadUsage:
      return kExitUsage;
    case Parsed::kRun:
      break;
  }
  // --redact: redact from the first line written; OpenLedger then teaches
  // the redactor the ledger's persons.
  static const Redactor* const kPatternsOnly = new Redactor();
  if (inv.Has("redact")) SetOutputRedactor(kPatternsOnly);
  const int status = command->run(inv);
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    PrintError(absl::StrCat("ledgerctl ", command->name,
                            ": error writing standard output (is the disk "
                            "full, or was the reading end of the pipe "
                            "closed?)"));
    return kExitFailed;
  }
  return status;
}

}  // namespace
}  // namespace ledgerctl
}  // namespace contactledger

int main(int argc, char** argv) {
  return contactledger::ledgerctl::Main(argc, argv);
}
