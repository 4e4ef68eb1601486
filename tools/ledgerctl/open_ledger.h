// Copyright 2026 The ContactLedger Authors.
//
// What a ledgerctl command opens before it does its work: the ledger in its
// directory (whose MANIFEST holds the time zone and identity rules `init`
// gave; docs/log_format.md), the view of one
// area for --scope, the policy of --policy, and a Tracer for the queries.
// Each function prints its own error (flags.h: UsageError, Failed) and
// returns the exit status, 0 when the command may go on.

#ifndef CONTACTLEDGER_TOOLS_LEDGERCTL_OPEN_LEDGER_H_
#define CONTACTLEDGER_TOOLS_LEDGERCTL_OPEN_LEDGER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/ledger_view.h"
#include "contactledger/scope.h"
#include "contactledger/tracing.h"
#include "tools/ledgerctl/flags.h"

namespace contactledger {
namespace ledgerctl {

// Whether `file_name`, an entry of a directory, marks the directory as a
// ledger's: its MANIFEST, or the LEDGERCTL settings file ledgerctl kept
// before manifests.
bool IsLedgerMarker(absl::string_view file_name);

// Whether `dir` holds a ledger's MANIFEST or old settings file.
bool HoldsLedger(const std::string& dir);

// --time-zone ZONE (default UTC) and --identity-rules china|none (default
// china), the settings of a new ledger (init, restore), into *options.
// Returns 0, or prints the usage error and returns kExitUsage.
int SettingsFlags(const Invocation& inv, LedgerOptions* options);

// "time zone ZONE, identity rules RULES" of options set by SettingsFlags.
std::string SettingsText(const LedgerOptions& options);

// What Ledger::Open said about `dir`, with what to do about it.
std::string OpenError(const std::string& dir, const absl::Status& status);

// How a command opens the ledger (docs/log_format.md, "Readers beside a
// writer").
enum class OpenMode {
  // For a command that only reads (the queries, contacts, audit, export,
  // show): Ledger::OpenReadOnly, which takes no lock and writes nothing, so
  // the command runs beside a program that has the ledger open for writing
  // (and beside other readers), and on a directory it may not write. It
  // sees the ledger as of the last whole batch when it opens.
  kReadOnly,
  // For a command that records (init, generate, import, retract, restore):
  // Ledger::Open, which locks the directory; it fails while another writer
  // has it open.
  kReadWrite,
};

// Opens the existing ledger in inv.dir() with the settings its MANIFEST
// holds, read-only or for writing as `mode` says: the default, kReadWrite,
// is what a command that records needs; a command that only reads passes
// kReadOnly. Fails (1)
// for a missing directory, one that holds no ledger, or an error of
// Ledger::Open or OpenReadOnly. With --redact, the output redactor learns the
// ledger's persons.
int OpenLedger(const Invocation& inv, std::unique_ptr<Ledger>* ledger,
               OpenMode mode = OpenMode::kReadWrite);

// --scope AREA (and --actor NAME, default "ledgerctl"): the view of `ledger`
// bound to the area; leaves *view empty when --scope is not given. Fails
// (1) for an unknown area.
int OpenScope(const Invocation& inv, Ledger& ledger,
              std::unique_ptr<ScopedLedger>* view);

// What the questions are asked of: the --scope view when there is one, else
// the whole ledger.
inline const LedgerView& ReaderOf(const Ledger& ledger,
                                  const std::unique_ptr<ScopedLedger>& view) {
  if (view != nullptr) return *view;
  return ledger;
}

// What every query over a Tracer shares.
struct QueryContext {
  std::unique_ptr<Ledger> ledger;
  QueryOptions options;  // --at, --known-at, --policy
  std::string format;    // --format, or the command's default
  // With --scope: the view every answer goes through.
  std::unique_ptr<ScopedLedger> view;

  // The view, or the whole ledger.
  const LedgerView& reader() const { return ReaderOf(*ledger, view); }
  // The ledger's time zone, in which answers are written.
  absl::TimeZone zone() const { return ledger->time_zone(); }
};

// Reads --at, --known-at, --policy and --format, then opens the ledger
// read-only (a query only reads) and the --scope view. 2 for a bad flag
// value, 1 for any other failure.
int OpenForQuery(const Invocation& inv, QueryContext* ctx);

// Creates the Tracer of ctx's query over ctx.reader().
int MakeTracer(const Invocation& inv, const QueryContext& ctx,
               std::unique_ptr<Tracer>* tracer);

// A person or area the ledger does not know (NotFound), with what to do
// about it; any other status's message as it is.
std::string UnknownIdError(const Invocation& inv, const absl::Status& status);

}  // namespace ledgerctl
}  // namespace contactledger

#endif  // CONTACTLEDGER_TOOLS_LEDGERCTL_OPEN_LEDGER_H_
