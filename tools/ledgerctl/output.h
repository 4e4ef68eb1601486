// Copyright 2026 The ContactLedger Authors.
//
// What ledgerctl writes to standard output and standard error, and its exit
// statuses.
//
// With --redact, everything written through Print and PrintError is redacted
// first (contactledger/privacy.h): the private values of the ledger's persons
// and anything shaped like a resident id or a phone number, whatever the
// command and format. main.cc sets a redactor that knows only those shapes
// before the command runs; OpenLedger (open_ledger.h) replaces it with one
// that has learnt the ledger's persons.

#ifndef CONTACTLEDGER_TOOLS_LEDGERCTL_OUTPUT_H_
#define CONTACTLEDGER_TOOLS_LEDGERCTL_OUTPUT_H_

#include "absl/strings/string_view.h"
#include "contactledger/privacy.h"

namespace contactledger {
namespace ledgerctl {

// Exit statuses: 0 success; 1 bad input or a failed check (an import error,
// a query error, verify finding damage, pass refusing); 2 bad usage (an
// unknown command or flag, a missing argument, a flag value that does not
// parse); 3 pass asked about a person the ledger does not know.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnknown = 3;

// Writes `text` to standard output, redacted when a redactor is set.
void Print(absl::string_view text);

// Writes `text` to standard error, redacted when a redactor is set, with a
// line break at the end if it has none. Standard output is flushed first, so
// that the two keep their order on a terminal.
void PrintError(absl::string_view text);

// The redactor Print and PrintError apply from now on; nullptr for none (the
// default). Not owned; it must outlive the program's output.
void SetOutputRedactor(const Redactor* redactor);

// The redactor set last, or nullptr: for output written by other means, e.g.
// an event redacted field by field before it is printed.
const Redactor* OutputRedactor();

}  // namespace ledgerctl
}  // namespace contactledger

#endif  // CONTACTLEDGER_TOOLS_LEDGERCTL_OUTPUT_H_
