// Copyright 2026 The ContactLedger Authors.
//
// Opening the ledger, its scoped view, the policy and the Tracer of a
// ledgerctl command (open_ledger.h).

#include "tools/ledgerctl/open_ledger.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/privacy.h"
#include "contactledger/scope.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/policy.pb.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {
namespace {

// Fails (1) unless inv.dir() holds a ledger: a MANIFEST (or old settings
// file), the LOCK file, a log or a snapshot. Opening an empty or unrelated
// directory would otherwise start a new ledger in it.
int CheckLedgerDirectory(const Invocation& inv) {
  const std::string& dir = inv.dir();
  absl::StatusOr<std::vector<std::string>> names =
      Env::Default()->GetChildren(dir);
  if (!names.ok()) {
    return Failed(
        inv, absl::StrCat("cannot list '", dir, "': ", names.status().message(),
                          " (give the ledger's directory)"));
  }
  for (const std::string& name : *names) {
    if (IsLedgerMarker(name) || name == "LOCK" ||
        absl::EndsWith(name, ".log") || absl::EndsWith(name, ".snapshot")) {
      return 0;
    }
  }
  return Failed(inv, absl::StrCat("'", dir,
                                  "' holds no ledger (no MANIFEST, log or "
                                  "snapshot file); check the path, or create "
                                  "one with 'ledgerctl init ",
                                  dir, "'"));
}

// Reads --policy: a preset name or a file holding a policy.
int PolicyFlag(const Invocation& inv, std::optional<v1::Policy>* out) {
  if (!inv.Has("policy")) return 0;
  // A preset or a policy file (LoadPolicyArgument, policy_commands.cc).
  absl::StatusOr<v1::Policy> policy = LoadPolicyArgument(inv.Get("policy"));
  if (!policy.ok()) {
    const std::string message =
        absl::StrCat("--policy: ", policy.status().message());
    return absl::IsNotFound(policy.status()) ? UsageError(inv, message)
                                             : Failed(inv, message);
  }
  *out = *std::move(policy);
  return 0;
}

}  // namespace

bool IsLedgerMarker(absl::string_view file_name) {
  return file_name == "MANIFEST" || file_name == "LEDGERCTL";
}

bool HoldsLedger(const std::string& dir) {
  Env* env = Env::Default();
  return env->FileExists(dir + "/MANIFEST") ||
         env->FileExists(dir + "/LEDGERCTL");
}

int SettingsFlags(const Invocation& inv, LedgerOptions* options) {
  const std::string zone_name =
      inv.Has("time-zone") ? inv.Get("time-zone") : "UTC";
  absl::TimeZone zone;
  if (zone_name.empty() || !absl::LoadTimeZone(zone_name, &zone)) {
    return UsageError(
        inv, absl::StrCat("unknown time zone '", zone_name,
                          "': use an IANA name such as UTC or Asia/Shanghai "
                          "(Debian keeps them in the tzdata package)"));
  }
  absl::StatusOr<IdentityRules> rules = ParseIdentityRules(
      inv.Has("identity-rules") ? inv.Get("identity-rules") : "china");
  if (!rules.ok()) return UsageError(inv, rules.status().message());
  options->time_zone = zone;
  options->identity_rules = *rules;
  return kExitOk;
}

std::string SettingsText(const LedgerOptions& options) {
  return absl::StrCat(
      "time zone ", options.time_zone.value_or(absl::UTCTimeZone()).name(),
      ", identity rules ",
      IdentityRulesName(
          options.identity_rules.value_or(IdentityRules::kChina)));
}

std::string OpenError(const std::string& dir, const absl::Status& status) {
  if (absl::IsFailedPrecondition(status) &&
      absl::StrContains(status.message(), "in use")) {
    return absl::StrCat(status.message(),
                        "; wait for the other ledgerctl or program that has "
                        "it open for writing to finish, then run the command "
                        "again (commands that only read run beside it)");
  }
  if (absl::IsDataLoss(status)) {
    return absl::StrCat(status.message(), "; run 'ledgerctl verify ", dir,
                        "' to see the damage, and keep a copy of the "
                        "directory before anything writes to it");
  }
  return std::string(status.message());
}

int OpenLedger(const Invocation& inv, std::unique_ptr<Ledger>* ledger,
               OpenMode mode) {
  const std::string& dir = inv.dir();
  if (!Env::Default()->FileExists(dir)) {
    return Failed(
        inv, absl::StrCat("no ledger directory '", dir,
                          "' (create one with 'ledgerctl init ", dir, "')"));
  }
  if (int rc = CheckLedgerDirectory(inv); rc != 0) return rc;
  // The directory's MANIFEST says its time zone and identity rules.
  LedgerOptions options;
  options.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<Ledger>> opened =
      mode == OpenMode::kReadOnly ? Ledger::OpenReadOnly(options, dir)
                                  : Ledger::Open(options, dir);
  if (!opened.ok()) return Failed(inv, OpenError(dir, opened.status()));
  *ledger = std::move(*opened);
  if (inv.Has("redact")) {
    // Learn every person's name, national id and phone (main.cc set up a
    // redactor that knows none yet).
    static Redactor* redactor = new Redactor();
    if (absl::Status s = redactor->LearnLedger(**ledger); !s.ok()) {
      return Failed(inv, s);
    }
    SetOutputRedactor(redactor);
  }
  return 0;
}

int OpenScope(const Invocation& inv, Ledger& ledger,
              std::unique_ptr<ScopedLedger>* view) {
  if (!inv.Has("scope")) return 0;
  const std::string actor = inv.Has("actor") ? inv.Get("actor") : "ledgerctl";
  absl::StatusOr<std::unique_ptr<ScopedLedger>> created =
      ScopedLedger::Create(ledger, inv.Get("scope"), actor);
  if (!created.ok()) {
    return Failed(inv, absl::StrCat("--scope: ", created.status().message()));
  }
  *view = std::move(*created);
  return 0;
}

int OpenForQuery(const Invocation& inv, QueryContext* ctx) {
  ctx->format = FormatOf(inv);
  if (int rc = TimeFlag(inv, "at", &ctx->options.at); rc != 0) return rc;
  if (inv.Has("known-at")) {
    if (int rc = TimeFlag(inv, "known-at", &ctx->options.read.known_at);
        rc != 0) {
      return rc;
    }
  }
  if (int rc = PolicyFlag(inv, &ctx->options.policy); rc != 0) return rc;
  if (int rc = OpenLedger(inv, &ctx->ledger, OpenMode::kReadOnly); rc != 0) {
    return rc;
  }
  return OpenScope(inv, *ctx->ledger, &ctx->view);
}

int MakeTracer(const Invocation& inv, const QueryContext& ctx,
               std::unique_ptr<Tracer>* tracer) {
  absl::StatusOr<std::unique_ptr<Tracer>> created =
      Tracer::Create(ctx.reader(), ctx.options);
  if (!created.ok()) return Failed(inv, created.status());
  *tracer = *std::move(created);
  return 0;
}

std::string UnknownIdError(const Invocation& inv, const absl::Status& status) {
  if (!absl::IsNotFound(status)) return std::string(status.message());
  return absl::StrCat(status.message(),
                      " (ids are matched exactly, case included; 'ledgerctl "
                      "export ",
                      inv.dir(), "' lists every event with its ids)");
}

}  // namespace ledgerctl
}  // namespace contactledger
