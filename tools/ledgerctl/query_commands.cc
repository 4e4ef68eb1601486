// Copyright 2026 The ContactLedger Authors.
//
// The ledgerctl queries over a Tracer (commands.h): roster, loops, explain,
// rollup, pass and chains. Each reads --at, --known-at and --policy, opens
// the ledger (through the --scope view when given), asks the Tracer one
// question and prints the answer with a writer of contactledger/report.h in
// the --format asked for. Also the note every command taking --known-at
// prints when it is before the first record.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "contactledger/ledger_view.h"
#include "contactledger/report.h"
#include "contactledger/tracing.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/open_ledger.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {
namespace {

// OpenForQuery, then the note on a --known-at before the first record.
int Open(const Invocation& inv, QueryContext* ctx) {
  if (int rc = OpenForQuery(inv, ctx); rc != 0) return rc;
  NoteIfBeforeFirstRecord(inv, *ctx->ledger, ctx->options.read);
  return 0;
}

}  // namespace

void NoteIfBeforeFirstRecord(const Invocation& inv, const LedgerView& ledger,
                             const ReadOptions& read) {
  if (read.known_at == absl::InfiniteFuture()) return;
  const std::string prefix =
      absl::StrCat("ledgerctl ", inv.command->name, ": note: --known-at ",
                   inv.Get("known-at"));
  if (ledger.last_sequence_number() == 0) {
    PrintError(absl::StrCat(prefix, ": the ledger holds no record at all"));
    return;
  }
  absl::StatusOr<v1::LedgerEvent> first = ledger.GetEvent(1, ReadOptions());
  if (!first.ok()) return;  // lost to damage: no note rather than a wrong one
  const absl::Time recorded =
      absl::FromUnixSeconds(first->record_time().seconds()) +
      absl::Nanoseconds(first->record_time().nanos());
  if (read.known_at < recorded) {
    PrintError(absl::StrCat(
        prefix, " is before the first record (",
        absl::FormatTime(absl::RFC3339_full, recorded, ledger.time_zone()),
        "): the ledger knew nothing then"));
  }
}

int RunRoster(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = Open(inv, &ctx); rc != 0) return rc;
  std::unique_ptr<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  const std::vector<RosterEntry> roster = tracer->Roster();
  Print(ctx.format == "json" ? WriteRosterJson(roster, ctx.zone())
                             : WriteRosterCsv(roster, ctx.zone()));
  return kExitOk;
}

int RunLoops(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = Open(inv, &ctx); rc != 0) return rc;
  std::unique_ptr<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  const std::vector<OpenLoop> loops = tracer->OpenLoops();
  Print(ctx.format == "json" ? WriteLoopsJson(loops, ctx.zone())
                             : WriteLoopsCsv(loops, ctx.zone()));
  return kExitOk;
}

int RunExplain(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = Open(inv, &ctx); rc != 0) return rc;
  std::unique_ptr<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  absl::StatusOr<Explanation> explained = tracer->Explain(inv.Get("person"));
  if (!explained.ok()) {
    return Failed(inv, UnknownIdError(inv, explained.status()));
  }
  if (ctx.format == "json") {
    Print(WriteExplanationJson(*explained, ctx.zone()));
  } else if (ctx.format == "csv") {
    Print(WriteExplanationCsv(*explained, ctx.zone()));
  } else {
    Print(WriteExplanationText(*explained, ctx.zone()));
  }
  return kExitOk;
}

int RunRollup(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = Open(inv, &ctx); rc != 0) return rc;
  std::unique_ptr<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  absl::StatusOr<std::vector<AreaRollupRow>> rows =
      tracer->AreaRollup(inv.Get("area"));
  if (!rows.ok()) return Failed(inv, UnknownIdError(inv, rows.status()));
  Print(ctx.format == "json" ? WriteAreaRollupJson(*rows)
                             : WriteAreaRollupCsv(*rows));
  return kExitOk;
}

int RunPass(const Invocation& inv) {
  if (inv.Get("checkpoint").empty()) {
    return UsageError(
        inv, "--checkpoint is empty; give the checkpoint's id, e.g. gate-3");
  }
  QueryContext ctx;
  if (int rc = Open(inv, &ctx); rc != 0) return rc;
  std::unique_ptr<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  const std::string person = inv.Get("person");
  const std::string checkpoint = inv.Get("checkpoint");
  absl::StatusOr<PassDecision> decision = tracer->MayPass(person, checkpoint);
  if (!decision.ok()) return Failed(inv, decision.status());
  if (ctx.format == "json") {
    Print(WritePassDecisionJson(person, checkpoint, *decision));
  } else if (ctx.format == "csv") {
    Print(WritePassDecisionCsv(person, checkpoint, *decision));
  } else {
    Print(WritePassDecisionText(*decision));
  }
  // The exit status is the answer, for scripts at a gate.
  switch (decision->verdict) {
    case PassVerdict::kAllowed:
      return kExitOk;
    case PassVerdict::kUnknownPerson:
      return kExitUnknown;
    case PassVerdict::kRefused:
      break;
  }
  return kExitFailed;
}

int RunChains(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = Open(inv, &ctx); rc != 0) return rc;
  std::unique_ptr<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  const std::vector<TransmissionChain> chains = tracer->TransmissionChains();
  if (ctx.format == "dot") {
    Print(WriteTransmissionChainsDot(chains));
  } else if (ctx.format == "json") {
    Print(WriteTransmissionChainsJson(chains));
  } else {
    Print(WriteTransmissionChainsCsv(chains));
  }
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
