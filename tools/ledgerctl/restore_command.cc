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

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
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

// One exported event and the line it came from.
struct Line {
  uint64_t number = 0;
  v1::LedgerEvent event;
};

// The record time of an exported event, for grouping.
int64_t RecordNanos(const v1::LedgerEvent& event) {
  return event.record_time().seconds() * 1000000000 +
         event.record_time().nanos();
}

// Splits the export into the batches to record: runs of events that share
// a record time, of at most `max_events`, where an imported batch (its
// first event's ImportSource names its size) is a batch of its own, as
// it was recorded.
std::vector<std::pair<size_t, size_t>> Batches(const std::vector<Line>& lines,
                                               size_t max_events) {
  std::vector<std::pair<size_t, size_t>> batches;  // [begin, end)
  const size_t n = lines.size();
  size_t begin = 0;
  while (begin < n) {
    const v1::LedgerEvent& first = lines[begin].event;
    const size_t limit =
        first.has_import_source()
            ? std::min<uint64_t>(n, begin + first.import_source().events())
            : std::min(n, begin + max_events);
    size_t end = begin + 1;
    while (end < limit && !lines[end].event.has_import_source() &&
           RecordNanos(lines[end].event) == RecordNanos(first)) {
      ++end;
    }
    batches.emplace_back(begin, end);
    begin = end;
  }
  return batches;
}

// Reads the export: one LedgerEvent per non-blank line, numbered 1, 2, 3...
int ReadExport(const Invocation& inv, const std::string& path,
               std::vector<Line>* lines) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Failed(inv, absl::StrCat("no such file: ", path));
  google::protobuf::util::JsonParseOptions parse;
  std::string text;
  uint64_t number = 0;
  uint64_t expected = 1;
  while (std::getline(in, text)) {
    ++number;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    Line line;
    line.number = number;
    const auto status =
        google::protobuf::util::JsonStringToMessage(text, &line.event, parse);
    if (!status.ok()) {
      return Failed(inv, absl::StrCat(path, ": line ", number,
                                      ": not a LedgerEvent in protobuf JSON: ",
                                      std::string(status.message())));
    }
    if (line.event.sequence_number() != expected) {
      return Failed(
          inv,
          absl::StrCat(
              path, ": line ", number, ": sequence_number ",
              line.event.sequence_number(), ", expected ", expected,
              line.event.sequence_number() == 0
                  ? " (restore reads `ledgerctl export`, whose lines carry "
                    "sequence numbers and record times; to add events, use "
                    "import)"
                  : " (an export of a whole ledger numbers its events 1, 2, "
                    "3... with no gap; one made with --scope, or missing "
                    "lost events, cannot be restored)"));
    }
    if (!line.event.has_record_time()) {
      return Failed(inv, absl::StrCat(path, ": line ", number,
                                      ": record_time: required in an export"));
    }
    ++expected;
    lines->push_back(std::move(line));
  }
  if (in.bad()) return Failed(inv, absl::StrCat(path, ": read error"));
  return kExitOk;
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
  std::vector<Line> lines;
  if (int rc = ReadExport(inv, file, &lines); rc != kExitOk) return rc;
  if (lines.empty()) {
    return Failed(inv, absl::StrCat(file, ": holds no event to restore"));
  }

  const std::string building = absl::StrCat(dir, ".restoring");
  if (env->FileExists(building)) {
    return Failed(inv, absl::StrCat("'", building,
                                    "' exists (an earlier restore that did "
                                    "not finish?): remove it first"));
  }
  options.error_if_exists = true;
  absl::Status result;
  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(options, building);
    if (!ledger.ok()) return Failed(inv, OpenError(building, ledger.status()));
    const auto batches =
        Batches(lines, (*ledger)->options().limits.max_batch_events);
    std::vector<v1::LedgerEvent> batch;
    for (size_t b = 0; b < batches.size() && result.ok(); ++b) {
      const auto [begin, end] = batches[b];
      batch.clear();
      for (size_t i = begin; i < end; ++i) batch.push_back(lines[i].event);
      WriteOptions write;
      write.sync = b + 1 == batches.size();
      absl::Status status = (*ledger)->AppendRecorded(batch, write);
      if (!status.ok()) {
        result =
            absl::Status(status.code(),
                         absl::StrCat(file, ": lines ", lines[begin].number,
                                      "-", lines[end - 1].number, " (events ",
                                      lines[begin].event.sequence_number(), "-",
                                      lines[end - 1].event.sequence_number(),
                                      "): ", status.message()));
      }
    }
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
  Print(absl::StrCat("restored ", lines.size(), " events (sequence 1-",
                     lines.back().event.sequence_number(), ") into ", dir, " (",
                     SettingsText(options), ")\n"));
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
