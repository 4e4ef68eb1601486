// Copyright 2026 The ContactLedger Authors.
//
// The ledgerctl queries over a Tracer (commands.h): roster, loops, explain,
// rollup, pass and chains. Each reads --at, --known-at and --policy, opens
// the ledger (through the --scope view when given), asks the Tracer one
// question and prints the answer with a writer of contactledger/report.h in
// the --format asked for.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "contactledger/report.h"
#include "contactledger/tracing.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/open_ledger.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {

int RunRoster(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
  std::unique_ptr<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  const std::vector<RosterEntry> roster = tracer->Roster();
  Print(ctx.format == "json" ? WriteRosterJson(roster, ctx.zone())
                             : WriteRosterCsv(roster, ctx.zone()));
  return kExitOk;
}

int RunLoops(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
  std::unique_ptr<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  const std::vector<OpenLoop> loops = tracer->OpenLoops();
  Print(ctx.format == "json" ? WriteLoopsJson(loops, ctx.zone())
                             : WriteLoopsCsv(loops, ctx.zone()));
  return kExitOk;
}

int RunExplain(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
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
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
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
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
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
  return decision->allowed ? kExitOk : kExitFailed;
}

int RunChains(const Invocation& inv) {
  QueryContext ctx;
  if (int rc = OpenForQuery(inv, &ctx); rc != 0) return rc;
  std::unique_ptr<Tracer> tracer;
  if (int rc = MakeTracer(inv, ctx, &tracer); rc != 0) return rc;
  const std::vector<TransmissionChain> chains = tracer->TransmissionChains();
  Print(ctx.format == "dot" ? WriteTransmissionChainsDot(chains)
                            : WriteTransmissionChainsCsv(chains));
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
