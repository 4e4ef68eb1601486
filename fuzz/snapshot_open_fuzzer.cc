// Copyright 2026 The ContactLedger Authors.
//
// Opening a ledger directory that holds a snapshot through the public API:
// Ledger::Verify and Ledger::Open on an in-memory Env, so that the snapshot
// is loaded into the tables (lib/columns/snapshot_io.h, the column list in
// lib/core/durability.cc) and the logs after it are replayed on top.
//
// Input: a flags byte, then the snapshot, then the logs.
//   bit 0  do NOT repair the checksums (by default every header, length and
//          payload checksum is rewritten first, so that mutations reach the
//          sections' contents: the snapshot's columns)
//   bit 1  LedgerOptions::recover_damaged
// The rest is split before each "CLEDGLOG" (a log's magic): the first part is
// the snapshot, named after the base sequence in its header (an empty first
// part: no snapshot); the others are logs, named the same way (at most 8).
//
// Checks: FuzzLedgerDirectory (fuzz/fuzz_util.h).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "fuzz/fuzz_util.h"
#include "lib/env/mem_env.h"
#include "lib/log/record_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace contactledger;        // NOLINT
  using namespace contactledger::fuzz;  // NOLINT
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  std::vector<std::string> parts = SplitBefore(rest, internal::kLogMagic);
  if (parts.size() > 9) return 0;
  if (parts.front().empty()) parts.erase(parts.begin());

  const std::string dir = "/ledger";
  internal::MemEnv env;
  FUZZ_CHECK(env.CreateDir(dir).ok(), "CreateDir");
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string& file = parts[i];
    if (!(flags & 1)) RepairChecksums(&file);
    const bool log = absl::StartsWith(file, internal::kLogMagic);
    const std::string name = NumberedName(HeaderBaseSequence(file, log ? 1 : 0),
                                          log ? ".log" : ".snapshot");
    FUZZ_CHECK(env.SetContents(dir + "/" + name, file).ok(), "SetContents");
  }
  FuzzLedgerDirectory(&env, dir, /*recover=*/(flags & 2) != 0);
  return 0;
}
