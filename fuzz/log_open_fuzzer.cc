// Copyright 2026 The ContactLedger Authors.
//
// Opening a ledger directory of logs through the public API: Ledger::Verify
// and Ledger::Open on an in-memory Env, so that the whole recovery path runs
// (header, framing, clean ends, EventBatch parsing, sequence and record-time
// checks, validation and application of every logged event, cutting the
// tail, continuing the newest log).
//
// Input: a flags byte, then the logs.
//   bit 0  repair every checksum first (fuzz/fuzz_util.h), so that mutations
//          reach the records' contents
//   bit 1  LedgerOptions::recover_damaged
// The rest is split before each "CLEDGLOG" (a log's magic) into at most 8
// files, each named after the base sequence in its header, as the ledger
// names its logs.
//
// Checks: FuzzLedgerDirectory (fuzz/fuzz_util.h).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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
  std::vector<std::string> logs = SplitBefore(rest, internal::kLogMagic);
  if (logs.size() > 8) return 0;

  const std::string dir = "/ledger";
  internal::MemEnv env;
  FUZZ_CHECK(env.CreateDir(dir).ok(), "CreateDir");
  for (std::string& log : logs) {
    if (flags & 1) RepairChecksums(&log);
    const std::string name = NumberedName(HeaderBaseSequence(log, 1), ".log");
    FUZZ_CHECK(env.SetContents(dir + "/" + name, log).ok(), "SetContents");
  }
  FuzzLedgerDirectory(&env, dir, /*recover=*/(flags & 2) != 0);
  return 0;
}
