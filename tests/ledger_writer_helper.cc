// Copyright 2026 The ContactLedger Authors.
//
// ledger_writer_helper: a program that holds a ledger directory open for
// writing (Ledger::Open, so its LOCK is held) and appends batches slowly,
// for the tests that run readers beside a writer in another process
// (tools/ledgerctl/readers_test.sh).
//
//   ledger_writer_helper DIR [--batches N] [--batch-size K]
//       [--interval-ms M] [--snapshot-every S]
//       [--retention keep|archive|remove] [--ready FILE]
//
// It records the county "writer-county" once (when the ledger has no such
// area), then batch after batch of K persons ("writer-<n>-<i>": n the last
// sequence number before the batch, i = 0..K-1; placed in writer-county),
// M milliseconds apart, N batches (0, the default: until killed), with a
// snapshot after every S-th (0, the default: none), keeping, archiving or
// removing the logs it covers. Once the ledger is open and the county recorded
// it writes FILE (by a rename, so that FILE appears whole) holding
// "last_sequence=<number>". Exit status: 0 after N batches; 1 when anything
// fails (the error on stderr); 2 for bad usage.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "contactledger/ledger.h"
#include "contactledger/options.h"
#include "contactledger/v1/ledger.pb.h"

namespace {

int Usage(const std::string& why) {
  std::fprintf(stderr,
               "ledger_writer_helper: %s\nusage: ledger_writer_helper DIR "
               "[--batches N] [--batch-size K] [--interval-ms M] "
               "[--snapshot-every S] [--retention keep|archive|remove] "
               "[--ready FILE]\n",
               why.c_str());
  return 2;
}

int Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "ledger_writer_helper: %s: %s\n", what.c_str(),
               status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  namespace cl = ::contactledger;
  std::string dir;
  std::string ready;
  int64_t batches = 0;
  int64_t batch_size = 5;
  int64_t interval_ms = 50;
  int64_t snapshot_every = 0;
  cl::LedgerOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      if (!dir.empty()) return Usage("more than one directory");
      dir = arg;
      continue;
    }
    if (i + 1 >= argc) return Usage(arg + " needs a value");
    const std::string value = argv[++i];
    int64_t* number = arg == "--batches"          ? &batches
                      : arg == "--batch-size"     ? &batch_size
                      : arg == "--interval-ms"    ? &interval_ms
                      : arg == "--snapshot-every" ? &snapshot_every
                                                  : nullptr;
    if (number != nullptr) {
      if (!absl::SimpleAtoi(value, number) || *number < 0) {
        return Usage(arg + " '" + value + "' is not a count");
      }
    } else if (arg == "--ready") {
      ready = value;
    } else if (arg == "--retention") {
      if (value == "keep") {
        options.log_retention = cl::LogRetention::kKeep;
      } else if (value == "archive") {
        options.log_retention = cl::LogRetention::kArchive;
      } else if (value == "remove") {
        options.log_retention = cl::LogRetention::kRemove;
      } else {
        return Usage("--retention '" + value +
                     "' is not keep, archive or remove");
      }
    } else {
      return Usage("unknown flag " + arg);
    }
  }
  if (dir.empty()) return Usage("no directory");
  if (batch_size < 1) return Usage("--batch-size must be at least 1");

  absl::StatusOr<std::unique_ptr<cl::Ledger>> ledger =
      cl::Ledger::Open(options, dir);
  if (!ledger.ok()) return Fail("Ledger::Open", ledger.status());
  if (!(*ledger)->GetArea("writer-county", cl::ReadOptions()).ok()) {
    cl::v1::LedgerEvent county;
    county.set_actor("writer");
    county.mutable_area()->set_id("writer-county");
    county.mutable_area()->set_level(cl::v1::AREA_LEVEL_COUNTY);
    county.mutable_area()->set_name("Writer County");
    if (absl::StatusOr<uint64_t> s = (*ledger)->Append(county); !s.ok()) {
      return Fail("recording writer-county", s.status());
    }
  }
  if (!ready.empty()) {
    const std::string temp = ready + ".tmp";
    {
      std::ofstream out(temp);
      out << "last_sequence=" << (*ledger)->last_sequence_number() << "\n";
      if (!out) return Fail("writing " + temp, absl::InternalError("failed"));
    }
    if (std::rename(temp.c_str(), ready.c_str()) != 0) {
      return Fail("renaming " + temp, absl::InternalError("failed"));
    }
  }
  for (int64_t b = 1; batches == 0 || b <= batches; ++b) {
    std::vector<cl::v1::LedgerEvent> batch(static_cast<size_t>(batch_size));
    for (int64_t i = 0; i < batch_size; ++i) {
      cl::v1::LedgerEvent& event = batch[static_cast<size_t>(i)];
      event.set_actor("writer");
      event.mutable_person()->set_id(
          absl::StrCat("writer-", (*ledger)->last_sequence_number(), "-", i));
      event.mutable_person()->set_name("Writer Person");
      event.mutable_person()->set_area_id("writer-county");
    }
    if (absl::Status s = (*ledger)->AppendBatch(batch).status(); !s.ok()) {
      return Fail(absl::StrCat("batch ", b), s);
    }
    if (snapshot_every > 0 && b % snapshot_every == 0) {
      if (absl::Status s = (*ledger)->WriteSnapshot().status(); !s.ok()) {
        return Fail("WriteSnapshot", s);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
  return 0;
}
