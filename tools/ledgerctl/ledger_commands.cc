// Copyright 2026 The ContactLedger Authors.
//
// The ledgerctl commands over a ledger directory as a whole (commands.h):
// init creates one, generate and import record events in it, verify checks
// every file, export prints every event as JSON Lines.

#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/import.h"
#include "contactledger/ledger.h"
#include "contactledger/ledger_view.h"
#include "contactledger/privacy.h"
#include "contactledger/scope.h"
#include "contactledger/synthetic.h"
#include "contactledger/v1/ledger.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/open_ledger.h"
#include "tools/ledgerctl/output.h"
#include "tools/ledgerctl/progress.h"

namespace contactledger {
namespace ledgerctl {
namespace {

// Imports through a scoped view (--scope): parses the file, then records it
// with the view's AppendBatch, which checks every event against the scope and
// stamps the view's actor on it. The view's and the ledger's errors name the
// event by its position: the file's N-th data row (CSV) or non-blank line
// (JSON Lines).
absl::StatusOr<ImportSummary> ImportThroughView(
    ScopedLedger& view, const std::optional<ImportKind>& kind,
    absl::string_view text, absl::TimeZone zone, const ImportOptions& options) {
  absl::StatusOr<std::vector<v1::LedgerEvent>> events =
      kind.has_value() ? CsvToEvents(*kind, text, zone, options)
                       : JsonlToEvents(text, options);
  if (!events.ok()) return events.status();
  if (options.progress) {
    ImportProgress recording;
    recording.rows = events->size();
    recording.bytes_consumed = recording.bytes_total = text.size();
    recording.recording = true;
    options.progress(recording);
  }
  absl::StatusOr<std::vector<uint64_t>> sequences =
      view.AppendBatch(*events, options.write_options);
  if (!sequences.ok()) {
    // "event K of M (...): ..." names the K-th data row or line.
    std::string where;
    absl::string_view message = sequences.status().message();
    uint64_t k = 0;
    if (absl::ConsumePrefix(&message, "event ") &&
        absl::SimpleAtoi(message.substr(0, message.find(' ')), &k)) {
      where = absl::StrCat(" (event ", k, " is the file's ",
                           kind.has_value() ? "data row " : "non-blank line ",
                           k, ")");
    }
    return absl::Status(sequences.status().code(),
                        absl::StrCat(options.file_name, ": ",
                                     sequences.status().message(), where));
  }
  ImportSummary summary;
  summary.rows = events->size();
  if (!sequences->empty()) {
    summary.first_sequence = sequences->front();
    summary.last_sequence = sequences->back();
  }
  return summary;
}

}  // namespace

int RunInit(const Invocation& inv) {
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
  const std::string& dir = inv.dir();
  Env* env = Env::Default();
  if (HoldsLedger(dir)) {
    return Failed(inv, absl::StrCat("'", dir,
                                    "' is already a ledger; use it as it is, "
                                    "or give another directory"));
  }
  LedgerOptions options;
  options.time_zone = zone;
  options.identity_rules = *rules;
  options.create_if_missing = true;
  options.error_if_exists = true;
  // Ledger::Open creates DIR, not its parents.
  const size_t slash = dir.find_last_of('/');
  const std::string parent = slash == std::string::npos ? ""
                             : slash == 0               ? "/"
                                                        : dir.substr(0, slash);
  if (!parent.empty() && !env->FileExists(parent)) {
    return Failed(inv, absl::StrCat("the parent directory '", parent,
                                    "' does not exist; create it first "
                                    "(mkdir -p ",
                                    parent, ")"));
  }
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(options, dir);
  if (!ledger.ok()) return Failed(inv, OpenError(dir, ledger.status()));
  Print(absl::StrCat("initialized ledger ", dir, " (time zone ", zone_name,
                     ", identity rules ", IdentityRulesName(*rules), ")\n"));
  return kExitOk;
}

int RunImport(const Invocation& inv) {
  if (inv.Has("scope") && !inv.Has("actor")) {
    return UsageError(inv,
                      "--scope needs --actor NAME: the worker recording "
                      "through the area's view");
  }
  std::optional<ImportKind> kind;
  if (inv.Has("kind")) {
    absl::StatusOr<ImportKind> parsed = ParseImportKind(inv.Get("kind"));
    if (!parsed.ok()) return UsageError(inv, parsed.status().message());
    kind = *parsed;
  }
  const std::string& file = inv.positionals[1];
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &ledger); rc != 0) return rc;

  // Limits::max_import_bytes, checked before reading: a file by its size,
  // standard input by reading at most one byte more (the importer then
  // refuses it).
  const uint64_t max_bytes = ledger->options().limits.max_import_bytes;
  std::string text;
  if (file == "-") {
    char buffer[1 << 16];
    while (text.size() <= max_bytes &&
           std::cin.read(buffer, sizeof(buffer)).gcount() > 0) {
      text.append(buffer, static_cast<size_t>(std::cin.gcount()));
    }
  } else {
    absl::StatusOr<uint64_t> size = Env::Default()->GetFileSize(file);
    if (size.ok() && *size > max_bytes) {
      return Failed(inv, absl::StrCat(file, ": ", *size,
                                      " bytes, more than the ", max_bytes,
                                      " an import may read "
                                      "(Limits::max_import_bytes)"));
    }
    absl::StatusOr<std::string> read = ReadFileToString(Env::Default(), file);
    if (!read.ok()) {
      return Failed(inv, absl::StrCat("cannot read '", file,
                                      "': ", read.status().message(),
                                      " (check the path; '-' reads standard "
                                      "input)"));
    }
    text = std::move(*read);
  }
  ImportOptions options;
  options.file_name = file == "-" ? "<stdin>" : file;
  options.actor = inv.Has("actor") ? inv.Get("actor") : "ledgerctl";
  options.write_options.sync = true;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenScope(inv, *ledger, &view); rc != 0) return rc;
  Progress progress(options.file_name, "rows");
  options.progress = [&progress](const ImportProgress& p) {
    if (p.recording) {
      progress.Say(absl::StrCat("recording ", Thousands(p.rows),
                                p.rows == 1 ? " event" : " events"));
    } else {
      progress.Update(p.rows, p.bytes_consumed, p.bytes_total);
    }
  };
  absl::StatusOr<ImportSummary> summary =
      view != nullptr
          ? ImportThroughView(*view, kind, text, ledger->time_zone(), options)
      : kind.has_value() ? ImportCsv(*ledger, *kind, text, options)
                         : ImportJsonl(*ledger, text, options);
  progress.Clear();
  if (!summary.ok()) {
    return Failed(
        inv, absl::StrCat(summary.status().message(), "\nNothing of ",
                          options.file_name, " was recorded: ",
                          absl::IsInvalidArgument(summary.status())
                              ? "correct it and import the whole file again."
                              : "import it again once the cause is fixed."));
  }
  std::string recorded;
  if (summary->rows == 1) {
    recorded = absl::StrCat(" (sequence number ", summary->first_sequence, ")");
  } else if (summary->rows > 1) {
    recorded = absl::StrCat(" (sequence numbers ", summary->first_sequence, "-",
                            summary->last_sequence, ")");
  }
  Print(absl::StrCat("imported ", summary->rows,
                     summary->rows == 1 ? " event" : " events", " from ",
                     options.file_name, recorded, "\n"));
  return kExitOk;
}

int RunGenerate(const Invocation& inv) {
  SyntheticCountyOptions options;
  int64_t persons = 0;
  if (!absl::SimpleAtoi(inv.Get("persons"), &persons) || persons < 10) {
    return UsageError(inv, absl::StrCat("--persons '", inv.Get("persons"),
                                        "' is not a count of 10 or more"));
  }
  options.persons = persons;
  if (inv.Has("seed") && !absl::SimpleAtoi(inv.Get("seed"), &options.seed)) {
    return UsageError(
        inv, absl::StrCat("--seed '", inv.Get("seed"), "' is not a number"));
  }
  if (inv.Has("cases") &&
      (!absl::SimpleAtoi(inv.Get("cases"), &options.cases) ||
       options.cases < 0)) {
    return UsageError(
        inv, absl::StrCat("--cases '", inv.Get("cases"), "' is not a count"));
  }
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &ledger); rc != 0) return rc;
  options.time_zone = ledger->time_zone();
  options.batch_size = 10000;
  const absl::Time started = absl::Now();
  Progress progress(inv.dir(), "events");
  uint64_t events = 0;
  absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
      options, [&](std::vector<v1::LedgerEvent>& batch) {
        if (inv.Has("actor")) {
          for (v1::LedgerEvent& event : batch)
            event.set_actor(inv.Get("actor"));
        }
        absl::Status appended = ledger->AppendBatch(batch).status();
        events += batch.size();
        progress.Update(events);
        return appended;
      });
  progress.Clear();
  if (!summary.ok()) {
    return Failed(inv, absl::StrCat(summary.status().message(),
                                    " (the batches before this one stay "
                                    "recorded: generate into a new directory, "
                                    "'ledgerctl init NEWDIR' first)"));
  }
  Print(absl::StrFormat(
      "generated %d areas, %d households, %d persons, %d exposures, "
      "%d diagnoses, %d quarantine actions, %d health checks, %d passages "
      "in %.1f s\n",
      summary->areas, summary->households, summary->persons, summary->exposures,
      summary->diagnoses, summary->quarantine_actions, summary->health_checks,
      summary->passages, absl::ToDoubleSeconds(absl::Now() - started)));
  return kExitOk;
}

int RunVerify(const Invocation& inv) {
  const std::string& dir = inv.dir();
  if (!Env::Default()->FileExists(dir)) {
    return Failed(
        inv, absl::StrCat("no ledger directory '", dir, "' (check the path)"));
  }
  absl::StatusOr<VerifyReport> report = Ledger::Verify(LedgerOptions(), dir);
  if (!report.ok()) return Failed(inv, report.status());
  std::string out;
  for (const VerifyReport::File& file : report->files) {
    absl::StrAppend(&out, "file ", file.name, ": ", file.bytes, " bytes, ",
                    file.records, " records");
    if (file.first_sequence != 0) {
      absl::StrAppend(&out, ", events ", file.first_sequence, "-",
                      file.last_sequence);
    }
    out += "\n";
  }
  absl::StrAppend(&out, "events: ", report->events, "\n",
                  "last sequence number: ", report->last_sequence, "\n");
  for (const DamagedRange& damage : report->damage) {
    absl::StrAppend(&out, damage.truncated_tail ? "cut-off tail" : "damage",
                    ": ", damage.file, " at byte ", damage.offset, ", ",
                    damage.length, " bytes: ", damage.reason, "\n");
  }
  for (const std::string& problem : report->problems) {
    absl::StrAppend(&out, "problem: ", problem, "\n");
  }
  absl::StrAppend(&out, report->ok() ? "ok\n" : "damaged\n");
  Print(out);
  if (!report->ok()) {
    return Failed(inv, absl::StrCat("'", dir,
                                    "' is damaged (see above): keep a copy of "
                                    "the directory before anything writes to "
                                    "it; the other commands refuse to open it "
                                    "until the damage is dealt with"));
  }
  return kExitOk;
}

int RunExport(const Invocation& inv) {
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &ledger); rc != 0) return rc;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenScope(inv, *ledger, &view); rc != 0) return rc;
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  const LedgerView& reader = ReaderOf(*ledger, view);
  const uint64_t last = ledger->last_sequence_number();
  std::string out;
  for (uint64_t s = 1; s <= last; ++s) {
    absl::StatusOr<v1::LedgerEvent> event = reader.GetEvent(s);
    // With --scope, only the events about the scope (outsiders masked).
    if (view != nullptr && absl::IsPermissionDenied(event.status())) continue;
    if (absl::IsNotFound(event.status())) {
      PrintError(absl::StrCat("ledgerctl export: warning: event ", s,
                              " is lost (a damaged log range); skipped"));
      continue;
    }
    if (!event.ok()) return Failed(inv, event.status());
    if (const Redactor* redactor = OutputRedactor(); redactor != nullptr) {
      redactor->Redact(&*event);
    }
    std::string line;
    const auto status =
        google::protobuf::util::MessageToJsonString(*event, &line, print);
    if (!status.ok()) {
      return Failed(
          inv, absl::StrCat("event ", s, ": ", std::string(status.message())));
    }
    absl::StrAppend(&out, line, "\n");
    if (out.size() > (1 << 20)) {
      Print(out);
      out.clear();
    }
  }
  Print(out);
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
