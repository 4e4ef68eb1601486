// Copyright 2026 The ContactLedger Authors.
//
// The ledgerctl reads of what the record holds about one person, whatever
// the policy (commands.h): contacts (everyone within K hops over the
// exposures of a window) and audit (who recorded what about the person, and
// what each event said). Both go through the --scope view when given.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/ledger_view.h"
#include "contactledger/privacy.h"
#include "contactledger/report.h"
#include "contactledger/scope.h"
#include "contactledger/tracing.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/open_ledger.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {
namespace {

// What each event of `trail` said (AuditEventDetail), read through `view`.
// A person version is compared with the one that was current when it was
// recorded: the latest earlier version not retracted before it. With
// --redact, both are redacted before they are described.
absl::StatusOr<std::vector<std::string>> AuditDetails(
    const LedgerView& view, absl::string_view person,
    const std::vector<AuditEntry>& trail, const ReadOptions& read) {
  const Redactor* redactor = OutputRedactor();
  struct Version {
    uint64_t retracted_by;  // 0 when not
    v1::Person person;      // as shown
  };
  std::vector<Version> versions;
  std::vector<std::string> details;
  details.reserve(trail.size());
  for (const AuditEntry& entry : trail) {
    absl::StatusOr<v1::LedgerEvent> event =
        view.GetEvent(entry.sequence_number, read);
    if (!event.ok()) {
      // An event lost to a damaged log, or one the view does not show.
      details.emplace_back();
      continue;
    }
    if (redactor != nullptr) redactor->Redact(&*event);
    const v1::Person* previous = nullptr;
    if (event->has_person()) {
      for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
        if (it->retracted_by == 0 || it->retracted_by > entry.sequence_number) {
          previous = &it->person;
          break;
        }
      }
    }
    details.push_back(
        AuditEventDetail(*event, person, previous, view.time_zone()));
    if (event->has_person()) {
      versions.push_back(Version{entry.retracted_by, event->person()});
    }
  }
  return details;
}

}  // namespace

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
  if (int rc = OpenLedger(inv, &ledger, OpenMode::kReadOnly); rc != 0) {
    return rc;
  }
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

int OpenAtOneCut(const Invocation& inv, ReadOptions* read,
                 std::unique_ptr<Ledger>* ledger,
                 std::unique_ptr<ScopedLedger>* view) {
  if (int rc = OpenLedger(inv, ledger, OpenMode::kReadOnly); rc != 0) {
    return rc;
  }
  NoteIfBeforeFirstRecord(inv, **ledger, *read);
  if (int rc = OpenScope(inv, **ledger, view); rc != 0) return rc;
  // One cut for every read the command makes.
  read->sequence_limit = (*ledger)->last_sequence_number();
  return 0;
}

int RunAudit(const Invocation& inv) {
  const std::string format = FormatOf(inv);
  ReadOptions read;
  if (inv.Has("known-at")) {
    if (int rc = TimeFlag(inv, "known-at", &read.known_at); rc != 0) return rc;
  }
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenAtOneCut(inv, &read, &ledger, &view); rc != 0) return rc;
  const LedgerView& reader = ReaderOf(*ledger, view);
  const std::string person = inv.Get("person");
  absl::StatusOr<std::vector<AuditEntry>> trail =
      AuditTrail(reader, person, read);
  if (!trail.ok()) return Failed(inv, UnknownIdError(inv, trail.status()));
  absl::StatusOr<std::vector<std::string>> details =
      AuditDetails(reader, person, *trail, read);
  if (!details.ok()) return Failed(inv, details.status());
  Print(format == "json"
            ? WriteAuditTrailJson(*trail, *details, ledger->time_zone())
            : WriteAuditTrailCsv(*trail, *details, ledger->time_zone()));
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
