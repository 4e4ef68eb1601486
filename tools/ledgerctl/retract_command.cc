// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl retract (commands.h): withdraws recorded events by appending
// Retraction events, in one atomic batch. Either the events named by
// sequence number (--seq N, repeated), or every event of an earlier import
// of a file's content (--import-of FILE, found by the SHA-256 of the file's
// bytes: contactledger/import.h, FindImports). Nothing is ever deleted: a
// retracted event stays in the record, and reads as of a time before the
// retraction still see it (--known-at).

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/import.h"
#include "contactledger/ledger.h"
#include "contactledger/ledger_view.h"
#include "contactledger/scope.h"
#include "contactledger/v1/ledger.pb.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/open_ledger.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {
namespace {

std::string Range(uint64_t first, uint64_t last) {
  return first == last ? absl::StrCat("event ", first)
                       : absl::StrCat("events ", first, "-", last);
}

// Sequence numbers as a short list: "3, 5, 9-12".
std::string SequenceList(const std::vector<uint64_t>& sequences) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < sequences.size();) {
    size_t j = i;
    while (j + 1 < sequences.size() && sequences[j + 1] == sequences[j] + 1) {
      ++j;
    }
    parts.push_back(j == i ? absl::StrCat(sequences[i])
                           : absl::StrCat(sequences[i], "-", sequences[j]));
    i = j + 1;
  }
  return absl::StrJoin(parts, ", ");
}

// What to retract, found from the flags; `what` says it for the output.
struct Targets {
  std::vector<uint64_t> sequences;  // in order, none retracted yet
  std::string what;
  std::string default_reason;
  std::vector<std::string> notes;  // printed before the result
};

// --seq N...: each event must exist, be visible (through --scope) and not
// be a retraction itself; those already retracted are skipped with a note.
int SeqTargets(const Invocation& inv, const Ledger& ledger,
               const LedgerView& reader, Targets* targets) {
  std::set<uint64_t> wanted;
  for (const std::string& value : inv.GetAll("seq")) {
    uint64_t seq = 0;
    if (!absl::SimpleAtoi(value, &seq) || seq == 0) {
      return UsageError(inv, absl::StrCat("--seq '", value,
                                          "' is not a sequence number (1 "
                                          "or more)"));
    }
    wanted.insert(seq);
  }
  const uint64_t last = ledger.last_sequence_number();
  for (uint64_t seq : wanted) {
    if (seq > last) {
      return Failed(inv, absl::StrCat("no event ", seq,
                                      " is recorded (the ledger's last is ",
                                      last, "); nothing retracted"));
    }
    absl::StatusOr<v1::LedgerEvent> event = reader.GetEvent(seq);
    if (!event.ok()) {
      return Failed(inv,
                    absl::StrCat("event ", seq, ": ", event.status().message(),
                                 "; nothing retracted"));
    }
    if (event->has_retraction()) {
      return Failed(
          inv, absl::StrCat("event ", seq, " is itself a retraction (of event ",
                            event->retraction().sequence_number(),
                            "): a retraction cannot be retracted; to bring "
                            "the withdrawn event back, record it again. "
                            "Nothing retracted"));
    }
    if (ledger.IsRetracted(seq, ReadOptions())) {
      targets->notes.push_back(
          absl::StrCat("event ", seq, " is already retracted; skipped"));
      continue;
    }
    targets->sequences.push_back(seq);
  }
  targets->what = SequenceList(targets->sequences);
  targets->what = absl::StrCat(
      targets->sequences.size() == 1 ? "event " : "events ", targets->what);
  return 0;
}

// --import-of FILE: the newest import of FILE's bytes with events not
// retracted; its events but those retracted already and those that are
// retractions themselves.
int ImportTargets(const Invocation& inv, const Ledger& ledger,
                  const LedgerView& reader, Targets* targets) {
  const std::string file = inv.Get("import-of");
  const uint64_t max_bytes = ledger.options().limits.max_import_bytes;
  absl::StatusOr<uint64_t> size = Env::Default()->GetFileSize(file);
  if (size.ok() && *size > max_bytes) {
    return Failed(inv, absl::StrCat(file, ": ", *size, " bytes, more than ",
                                    "any import may have read"));
  }
  absl::StatusOr<std::string> text = ReadFileToString(Env::Default(), file);
  if (!text.ok()) {
    return Failed(inv, absl::StrCat("cannot read '", file,
                                    "': ", text.status().message()));
  }
  const std::string sha256 = Sha256Hex(*text);
  const std::vector<ImportRecord> imports = FindImports(reader, sha256);
  if (imports.empty()) {
    return Failed(
        inv, absl::StrCat("no import of ", file, "'s content is recorded",
                          " in '", inv.dir(), "' (SHA-256 ",
                          sha256.substr(0, 12), "...); nothing retracted"));
  }
  const ImportRecord* chosen = nullptr;
  for (auto it = imports.rbegin(); it != imports.rend() && !chosen; ++it) {
    for (uint64_t s = it->first_sequence; s <= it->last_sequence; ++s) {
      if (!ledger.IsRetracted(s, ReadOptions())) {
        chosen = &*it;
        break;
      }
    }
  }
  const absl::TimeZone zone = ledger.time_zone();
  const auto describe = [&](const ImportRecord& r) {
    return absl::StrCat(
        "the import of ", r.file_name, " (",
        Range(r.first_sequence, r.last_sequence), " on ",
        absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", r.record_time, zone), ")");
  };
  if (chosen == nullptr) {
    targets->notes.push_back(absl::StrCat(
        "every event of ", describe(imports.back()), " is retracted already"));
    return 0;
  }
  uint64_t retractions = 0;
  for (uint64_t s = chosen->first_sequence; s <= chosen->last_sequence; ++s) {
    if (ledger.IsRetracted(s, ReadOptions())) continue;
    absl::StatusOr<v1::LedgerEvent> event = reader.GetEvent(s);
    if (!event.ok()) {
      return Failed(
          inv, absl::StrCat("event ", s, " of ", describe(*chosen), ": ",
                            event.status().message(), "; nothing retracted"));
    }
    if (event->has_retraction()) {
      ++retractions;
      continue;
    }
    targets->sequences.push_back(s);
  }
  targets->what = describe(*chosen);
  targets->default_reason =
      absl::StrCat("undo of the import of ", chosen->file_name, " (",
                   Range(chosen->first_sequence, chosen->last_sequence), ")");
  if (retractions > 0) {
    targets->notes.push_back(
        absl::StrCat(retractions, retractions == 1 ? " event" : " events",
                     " of ", describe(*chosen),
                     retractions == 1 ? " is a retraction" : " are retractions",
                     " and cannot be retracted; left as recorded"));
  }
  size_t live_imports = 0;
  for (const ImportRecord& r : imports) {
    for (uint64_t s = r.first_sequence; s <= r.last_sequence; ++s) {
      if (!ledger.IsRetracted(s, ReadOptions())) {
        ++live_imports;
        break;
      }
    }
  }
  if (live_imports > 1) {
    targets->notes.push_back(absl::StrCat(
        file, " was imported ", live_imports,
        " times (--again); the newest import is retracted, run the command "
        "again to retract the one before"));
  }
  return 0;
}

}  // namespace

int RunRetract(const Invocation& inv) {
  const bool by_seq = inv.Has("seq");
  const bool by_import = inv.Has("import-of");
  if (by_seq == by_import) {
    return UsageError(inv, by_seq ? "give --seq or --import-of, not both"
                                  : "give --seq N (one or more) or "
                                    "--import-of FILE");
  }
  if (inv.Has("scope") && !inv.Has("actor")) {
    return UsageError(inv,
                      "--scope needs --actor NAME: the worker recording "
                      "through the area's view");
  }
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &ledger); rc != 0) return rc;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenScope(inv, *ledger, &view); rc != 0) return rc;
  const LedgerView& reader = ReaderOf(*ledger, view);

  Targets targets;
  if (int rc = by_seq ? SeqTargets(inv, *ledger, reader, &targets)
                      : ImportTargets(inv, *ledger, reader, &targets);
      rc != 0) {
    return rc;
  }
  for (const std::string& note : targets.notes) {
    Print(absl::StrCat(note, "\n"));
  }
  if (targets.sequences.empty()) {
    Print("nothing to retract; nothing recorded\n");
    return kExitOk;
  }

  const std::string reason =
      inv.Has("reason") ? inv.Get("reason") : targets.default_reason;
  const std::string actor = inv.Has("actor") ? inv.Get("actor") : "ledgerctl";
  std::vector<v1::LedgerEvent> batch(targets.sequences.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i].set_actor(actor);
    v1::Retraction* retraction = batch[i].mutable_retraction();
    retraction->set_sequence_number(targets.sequences[i]);
    if (!reason.empty()) retraction->set_reason(reason);
  }
  WriteOptions write;
  write.sync = true;
  absl::StatusOr<std::vector<uint64_t>> recorded =
      view != nullptr ? view->AppendBatch(batch, write)
                      : ledger->AppendBatch(batch, write);
  if (!recorded.ok()) {
    return Failed(inv, absl::StrCat(recorded.status().message(),
                                    "\nNothing was retracted."));
  }
  Print(absl::StrCat("retracted ", targets.sequences.size(),
                     targets.sequences.size() == 1 ? " event" : " events",
                     by_import ? absl::StrCat(" of ", targets.what)
                               : absl::StrCat(" (", targets.what, ")"),
                     " as ", Range(recorded->front(), recorded->back()), "\n"));
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
