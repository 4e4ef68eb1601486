// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl restore (commands.h): rebuilds a ledger from `ledgerctl export`,
// every event with the sequence number, record time, actor and import source
// it was recorded with (Ledger::AppendRecorded), so that the copy answers
// "as known then" exactly as the original and exports the same lines.
//
// All or nothing: the ledger is built in a sibling directory DIR.restoring
// and renamed to DIR only once every event is recorded and synced, so a
// failed restore leaves no ledger behind.

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <istream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/privacy.h"
#include "contactledger/v1/ledger.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/open_ledger.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {
namespace {

// The record time of an exported event, for grouping.
int64_t RecordNanos(const v1::LedgerEvent& event) {
  return event.record_time().seconds() * 1000000000 +
         event.record_time().nanos();
}

// Parses line `number` of the export at `path` into *event, which must be
// the event numbered `expected`.
absl::Status ParseExportLine(const std::string& path, uint64_t number,
                             const std::string& text, uint64_t expected,
                             v1::LedgerEvent* event) {
  event->Clear();
  const auto status = google::protobuf::util::JsonStringToMessage(
      text, event, google::protobuf::util::JsonParseOptions());
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": line ", number, ": not a LedgerEvent in protobuf JSON: ",
        std::string(status.message())));
  }
  if (event->sequence_number() != expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": line ", number, ": sequence_number ", event->sequence_number(),
        ", expected ", expected,
        event->sequence_number() == 0
            ? " (restore reads `ledgerctl export`, whose lines carry "
              "sequence numbers and record times; to add events, use import)"
            : " (an export of a whole ledger numbers its events 1, 2, 3... "
              "with no gap; one made with --scope, or missing lost events, "
              "cannot be restored)"));
  }
  if (!event->has_record_time()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": line ", number, ": record_time: required in an export"));
  }
  return absl::OkStatus();
}

// Reads the export `in` (at `path`) line by line and records it into
// `ledger` batch by batch: runs of events that share a record time, of at
// most Limits::max_batch_events, where an imported batch (its first event's
// ImportSource names its size) is a batch of its own, as it was recorded.
// Holds one batch in memory at a time. Sets *events to the events recorded.
absl::Status Restore(std::istream& in, const std::string& path, Ledger& ledger,
                     uint64_t* events) {
  const size_t max_events = ledger.options().limits.max_batch_events;
  std::vector<v1::LedgerEvent> batch;
  uint64_t first_line = 0;
  uint64_t last_line = 0;
  auto flush = [&](bool sync) -> absl::Status {
    if (batch.empty()) return absl::OkStatus();
    WriteOptions write;
    write.sync = sync;
    if (absl::Status s = ledger.AppendRecorded(batch, write); !s.ok()) {
      return absl::Status(
          s.code(),
          absl::StrCat(path, ": lines ", first_line, "-", last_line,
                       " (events ", batch.front().sequence_number(), "-",
                       batch.back().sequence_number(), "): ", s.message()));
    }
    batch.clear();
    return absl::OkStatus();
  };
  std::string text;
  uint64_t number = 0;
  v1::LedgerEvent event;
  while (std::getline(in, text)) {
    ++number;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    if (absl::Status s =
            ParseExportLine(path, number, text, *events + 1, &event);
        !s.ok()) {
      return s;
    }
    if (!batch.empty()) {
      const v1::LedgerEvent& head = batch.front();
      const size_t limit =
          head.has_import_source() ? head.import_source().events() : max_events;
      if (event.has_import_source() ||
          RecordNanos(event) != RecordNanos(head) || batch.size() >= limit) {
        if (absl::Status s = flush(/*sync=*/false); !s.ok()) return s;
      }
    }
    if (batch.empty()) first_line = number;
    last_line = number;
    batch.push_back(std::move(event));
    ++*events;
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  if (*events == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": holds no event to restore"));
  }
  return flush(/*sync=*/true);
}

}  // namespace

int RunRestore(const Invocation& inv) {
  const std::string& dir = inv.dir();
  const std::string& file = inv.positionals[1];
  LedgerOptions options;
  if (int rc = SettingsFlags(inv, &options); rc != kExitOk) return rc;

  Env* env = Env::Default();
  if (env->FileExists(dir)) {
    absl::StatusOr<std::vector<std::string>> children = env->GetChildren(dir);
    if (!children.ok()) return Failed(inv, children.status());
    if (!children->empty()) {
      return Failed(inv, absl::StrCat("'", dir,
                                      "' is not empty: restore rebuilds a "
                                      "ledger only into a new or empty "
                                      "directory"));
    }
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return Failed(inv, absl::StrCat("no such file: ", file));

  const std::string building = absl::StrCat(dir, ".restoring");
  if (env->FileExists(building)) {
    return Failed(inv, absl::StrCat("'", building,
                                    "' exists (an earlier restore that did "
                                    "not finish?): remove it first"));
  }
  options.error_if_exists = true;
  absl::Status result;
  uint64_t events = 0;
  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(options, building);
    if (!ledger.ok()) return Failed(inv, OpenError(building, ledger.status()));
    result = Restore(in, file, **ledger, &events);
  }
  if (result.ok()) result = env->RenameFile(building, dir);
  if (!result.ok()) {
    // Nothing of a failed restore stays behind.
    if (absl::StatusOr<std::vector<std::string>> children =
            env->GetChildren(building);
        children.ok()) {
      for (const std::string& child : *children) {
        env->RemoveFile(absl::StrCat(building, "/", child)).IgnoreError();
      }
      std::remove(building.c_str());
    }
    return Failed(inv, result);
  }
  Print(absl::StrCat("restored ", events, " events (sequence 1-", events,
                     ") into ", dir, " (", SettingsText(options), ")\n"));
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
