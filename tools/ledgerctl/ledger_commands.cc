// Copyright 2026 The ContactLedger Authors.
//
// The ledgerctl commands over a ledger directory as a whole (commands.h):
// init creates one, generate and import record events in it (import: one
// file or several, in the order of the kinds, each all or nothing, once
// per content unless --again, or only checked with --dry-run), verify checks
// every file, export prints every event as JSON Lines. retract is in
// retract_command.cc.

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
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

// What one FILE of `ledgerctl import DIR FILE...` is: CSV of a kind, or
// JSON Lines; and where it stood on the command line.
struct ImportInput {
  std::string path;  // "-": standard input
  std::optional<ImportKind> kind;
  size_t given = 0;
};

// Whether `path` names a CSV file by its extension (any case).
bool IsCsvPath(absl::string_view path) {
  return path.size() > 4 &&
         absl::AsciiStrToLower(path.substr(path.size() - 4)) == ".csv";
}

// The kind a CSV file's name says: persons.csv (any case) -> persons.
std::optional<ImportKind> KindOfFileName(absl::string_view path) {
  const size_t slash = path.find_last_of('/');
  absl::string_view base =
      slash == absl::string_view::npos ? path : path.substr(slash + 1);
  base.remove_suffix(4);  // ".csv"
  absl::StatusOr<ImportKind> kind =
      ParseImportKind(absl::AsciiStrToLower(base));
  if (!kind.ok()) return std::nullopt;
  return *kind;
}

// The FILEs of an import, each with its format, in the order they are
// recorded: CSV files by kind (areas first, passages last; files of one kind
// as given), then the JSON Lines files as given. Prints the usage error and
// returns 2 for a file whose format is unclear.
int ImportInputs(const Invocation& inv, std::vector<ImportInput>* inputs) {
  std::optional<ImportKind> kind;
  if (inv.Has("kind")) {
    absl::StatusOr<ImportKind> parsed = ParseImportKind(inv.Get("kind"));
    if (!parsed.ok()) return UsageError(inv, parsed.status().message());
    kind = *parsed;
  }
  const std::string kinds = absl::StrJoin(ImportKindNames(), ", ");
  bool stdin_given = false;
  for (size_t i = 1; i < inv.positionals.size(); ++i) {
    ImportInput input;
    input.path = inv.positionals[i];
    input.given = i;
    if (input.path == "-") {
      if (stdin_given) {
        return UsageError(inv, "standard input ('-') given twice");
      }
      stdin_given = true;
    }
    const bool jsonl_name = absl::EndsWithIgnoreCase(input.path, ".jsonl") ||
                            absl::EndsWithIgnoreCase(input.path, ".ndjson");
    if (kind.has_value()) {
      if (jsonl_name) {
        return UsageError(
            inv, absl::StrCat("--kind ", inv.Get("kind"),
                              " makes every FILE CSV, but '", input.path,
                              "' is JSON Lines by its name: import it "
                              "without --kind"));
      }
      input.kind = kind;
    } else if (IsCsvPath(input.path)) {
      input.kind = KindOfFileName(input.path);
      if (!input.kind.has_value()) {
        return UsageError(
            inv,
            absl::StrCat("'", input.path, "' is CSV: add --kind KIND (", kinds,
                         "), or name the file after its kind, e.g. "
                         "persons.csv"));
      }
    }
    inputs->push_back(std::move(input));
  }
  std::stable_sort(inputs->begin(), inputs->end(),
                   [](const ImportInput& a, const ImportInput& b) {
                     const int ka = a.kind ? static_cast<int>(*a.kind) : 100;
                     const int kb = b.kind ? static_cast<int>(*b.kind) : 100;
                     return ka < kb;
                   });
  return 0;
}

// Reads FILE (or standard input for "-") within Limits::max_import_bytes:
// a file by its size first, standard input by reading at most one byte
// more (the importer then refuses it).
absl::StatusOr<std::string> ReadImportInput(const std::string& file,
                                            uint64_t max_bytes) {
  std::string text;
  if (file == "-") {
    char buffer[1 << 16];
    while (text.size() <= max_bytes &&
           std::cin.read(buffer, sizeof(buffer)).gcount() > 0) {
      text.append(buffer, static_cast<size_t>(std::cin.gcount()));
    }
    return text;
  }
  absl::StatusOr<uint64_t> size = Env::Default()->GetFileSize(file);
  if (size.ok() && *size > max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(file, ": ", *size, " bytes, more than the ", max_bytes,
                     " an import may read (Limits::max_import_bytes)"));
  }
  absl::StatusOr<std::string> read = ReadFileToString(Env::Default(), file);
  if (!read.ok()) {
    return absl::Status(
        read.status().code(),
        absl::StrCat("cannot read '", file, "': ", read.status().message(),
                     " (check the path; '-' reads standard input)"));
  }
  return read;
}

std::string Events(uint64_t n) {
  return absl::StrCat(n, n == 1 ? " event" : " events");
}

// "already imported as events 1-7 on 2020-03-01T08:00:00+08:00
// (csv/areas.csv); nothing recorded (use --again to import it again)".
std::string AlreadyImported(const ImportRecord& earlier, absl::TimeZone zone) {
  return absl::StrCat(
      "already imported as ",
      earlier.first_sequence == earlier.last_sequence
          ? absl::StrCat("event ", earlier.first_sequence)
          : absl::StrCat("events ", earlier.first_sequence, "-",
                         earlier.last_sequence),
      " on ",
      absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", earlier.record_time, zone), " (",
      earlier.file_name,
      "); nothing recorded (use --again to import it again)");
}

std::string FileList(const std::vector<ImportInput>& inputs, size_t from,
                     size_t to) {
  std::vector<std::string> names;
  for (size_t i = from; i < to; ++i) names.push_back(inputs[i].path);
  return absl::StrJoin(names, ", ");
}

}  // namespace

int RunInit(const Invocation& inv) {
  LedgerOptions options;
  if (int rc = SettingsFlags(inv, &options); rc != kExitOk) return rc;
  const std::string& dir = inv.dir();
  Env* env = Env::Default();
  if (HoldsLedger(dir)) {
    return Failed(inv, absl::StrCat("'", dir,
                                    "' is already a ledger; use it as it is, "
                                    "or give another directory"));
  }
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
  Print(absl::StrCat("initialized ledger ", dir, " (", SettingsText(options),
                     ")\n"));
  return kExitOk;
}

int RunImport(const Invocation& inv) {
  if (inv.Has("scope") && !inv.Has("actor")) {
    return UsageError(inv,
                      "--scope needs --actor NAME: the worker recording "
                      "through the area's view");
  }
  std::vector<ImportInput> inputs;
  if (int rc = ImportInputs(inv, &inputs); rc != 0) return rc;
  const bool dry_run = inv.Has("dry-run");
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &ledger); rc != 0) return rc;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenScope(inv, *ledger, &view); rc != 0) return rc;

  ImportOptions options;
  options.actor = inv.Has("actor") ? inv.Get("actor") : "ledgerctl";
  options.write_options.sync = true;
  options.again = inv.Has("again");
  options.dry_run = dry_run;
  if (view != nullptr) {
    // Through AREA's view: every event checked against its scope and
    // stamped with its actor.
    options.append = [&view](absl::Span<const v1::LedgerEvent> events,
                             const WriteOptions& write) {
      return view->AppendBatch(events, write);
    };
  }
  std::unique_ptr<Progress> progress;
  options.progress = [&progress](const ImportProgress& p) {
    if (progress == nullptr) return;
    if (p.recording) {
      progress->Say(absl::StrCat("recording ", Thousands(p.rows),
                                 p.rows == 1 ? " event" : " events"));
    } else {
      progress->Update(p.rows, p.bytes_consumed, p.bytes_total);
    }
  };
  ImportSession session(*ledger, options);
  const uint64_t max_bytes = ledger->options().limits.max_import_bytes;
  uint64_t would_record = 0;
  size_t bad_files = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ImportInput& input = inputs[i];
    const std::string name = input.path == "-" ? "<stdin>" : input.path;
    absl::StatusOr<ImportSummary> summary;
    absl::StatusOr<std::string> text = ReadImportInput(input.path, max_bytes);
    if (!text.ok()) {
      summary = text.status();
    } else {
      progress = std::make_unique<Progress>(name, "rows");
      summary = input.kind.has_value() ? session.Csv(*input.kind, *text, name)
                                       : session.Jsonl(*text, name);
      progress.reset();
    }
    if (!summary.ok()) {
      std::string message(summary.status().message());
      if (dry_run) {
        ++bad_files;
        PrintError(absl::StrCat("ledgerctl import: ", message));
        continue;
      }
      absl::StrAppend(&message, "\nNothing of ", name, " was recorded: ",
                      absl::IsInvalidArgument(summary.status())
                          ? "correct it and import the whole file again."
                          : "import it again once the cause is fixed.");
      if (i > 0) {
        absl::StrAppend(&message, "\nThe files before it stay recorded (",
                        FileList(inputs, 0, i), ").");
      }
      if (i + 1 < inputs.size()) {
        absl::StrAppend(&message, "\nThe files after it were not read (",
                        FileList(inputs, i + 1, inputs.size()), ").");
      }
      if (inputs.size() > 1) {
        absl::StrAppend(&message,
                        "\nRun the same command again once it is "
                        "corrected: files already imported are recognised "
                        "and skipped.");
      }
      return Failed(inv, message);
    }
    if (summary->already_imported.has_value()) {
      Print(absl::StrCat(
          name, ": ",
          AlreadyImported(*summary->already_imported, ledger->time_zone()),
          "\n"));
      continue;
    }
    if (dry_run) {
      would_record += summary->rows;
      Print(absl::StrCat(name, ": would record ", Events(summary->rows), "\n"));
      continue;
    }
    std::string recorded;
    if (summary->rows == 1) {
      recorded =
          absl::StrCat(" (sequence number ", summary->first_sequence, ")");
    } else if (summary->rows > 1) {
      recorded = absl::StrCat(" (sequence numbers ", summary->first_sequence,
                              "-", summary->last_sequence, ")");
    }
    Print(absl::StrCat("imported ", Events(summary->rows), " from ", name,
                       recorded, "\n"));
  }
  if (dry_run) {
    if (bad_files > 0) {
      return Failed(
          inv, absl::StrCat("dry run: ", bad_files, " of ", inputs.size(),
                            inputs.size() == 1 ? " file has" : " files have",
                            " bad rows (above); nothing recorded"));
    }
    Print(absl::StrCat("dry run: would record ", Events(would_record),
                       "; nothing recorded\n"));
  }
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
  if (const uint64_t held = ledger->last_sequence_number();
      held > 0 && !inv.Has("into-existing")) {
    return Failed(inv,
                  absl::StrCat("'", inv.dir(), "' already holds ", Events(held),
                               "; generate adds a synthetic county to a ledger "
                               "that holds events only with --into-existing "
                               "(or generate into a new directory: 'ledgerctl "
                               "init NEWDIR' first)"));
  }
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
                    file.records, file.snapshot ? " sections" : " records");
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
  if (int rc = OpenLedger(inv, &ledger, OpenMode::kReadOnly); rc != 0) {
    return rc;
  }
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
