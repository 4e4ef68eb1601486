// Copyright 2026 The ContactLedger Authors.
//
// The ledgerctl reads of what the record holds about one person, whatever
// the policy (commands.h): contacts (everyone within K hops over the
// exposures of a window) and audit (who recorded what about the person).
// Both go through the --scope view when given.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/ledger_view.h"
#include "contactledger/report.h"
#include "contactledger/scope.h"
#include "contactledger/tracing.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/open_ledger.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {

int RunContacts(const Invocation& inv) {
  const std::string format = FormatOf(inv);
  int hops = 0;
  if (!absl::SimpleAtoi(inv.Get("hops"), &hops) || hops < 1) {
    return UsageError(inv, absl::StrCat("--hops '", inv.Get("hops"),
                                        "' is not a whole number of 1 or "
                                        "more"));
  }
  absl::Time from, to;
  if (int rc = TimeFlag(inv, "from", &from); rc != 0) return rc;
  if (int rc = TimeFlag(inv, "to", &to); rc != 0) return rc;
  if (from > to) {
    return UsageError(
        inv, absl::StrCat("--from ", inv.Get("from"), " is after --to ",
                          inv.Get("to"), "; swap them"));
  }
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &ledger); rc != 0) return rc;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenScope(inv, *ledger, &view); rc != 0) return rc;
  absl::StatusOr<std::vector<ContactAtDistance>> contacts =
      Contacts(ReaderOf(*ledger, view), inv.Get("person"), hops, from, to);
  if (!contacts.ok()) {
    return Failed(inv, UnknownIdError(inv, contacts.status()));
  }
  Print(format == "json" ? WriteContactsJson(*contacts)
                         : WriteContactsCsv(*contacts));
  return kExitOk;
}

int RunAudit(const Invocation& inv) {
  const std::string format = FormatOf(inv);
  ReadOptions read;
  if (inv.Has("known-at")) {
    if (int rc = TimeFlag(inv, "known-at", &read.known_at); rc != 0) return rc;
  }
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &ledger); rc != 0) return rc;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenScope(inv, *ledger, &view); rc != 0) return rc;
  const std::string person = inv.Get("person");
  absl::StatusOr<std::vector<AuditEntry>> trail =
      AuditTrail(ReaderOf(*ledger, view), person, read);
  if (!trail.ok()) return Failed(inv, UnknownIdError(inv, trail.status()));
  Print(format == "json" ? WriteAuditTrailJson(*trail, ledger->time_zone())
                         : WriteAuditTrailCsv(*trail, ledger->time_zone()));
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
