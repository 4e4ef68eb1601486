// Copyright 2026 The ContactLedger Authors.
//
// fuzz/fuzz_util.h: what the libFuzzer targets share.
//
//   - FUZZ_CHECK: an invariant; a violation prints the reason and aborts, so
//     that libFuzzer reports the input as a crash.
//   - Turning an input into a ledger directory in an in-memory Env: split
//     into files at each file magic, name each file after the base sequence
//     in its header, and (optionally) repair every checksum so that mutations
//     reach past the CRC-32s into the records' contents.
//   - FuzzLedgerDirectory: Verify, then Open, that directory and check what
//     a durable ledger promises (fuzz/README.md lists the checks).
//   - A small scenario ledger for the policy target.

#ifndef CONTACTLEDGER_FUZZ_FUZZ_UTIL_H_
#define CONTACTLEDGER_FUZZ_FUZZ_UTIL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/import.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "lib/env/mem_env.h"

namespace contactledger {
namespace fuzz {

[[noreturn]] void CheckFailed(const char* file, int line, const char* condition,
                              const std::string& message);

// Aborts with `message` (a std::string expression) when `condition` fails.
#define FUZZ_CHECK(condition, message)                                   \
  do {                                                                   \
    if (!(condition)) {                                                  \
      ::contactledger::fuzz::CheckFailed(__FILE__, __LINE__, #condition, \
                                         (message));                     \
    }                                                                    \
  } while (false)

// Splits `data` before every occurrence of `magic` after its start: each part
// but perhaps the first starts with `magic`.
std::vector<std::string> SplitBefore(absl::string_view data,
                                     absl::string_view magic);

// The base sequence a file header names (bytes 12-19), or `fallback` when the
// file is too short to hold one.
uint64_t HeaderBaseSequence(absl::string_view file, uint64_t fallback);

// "<20-digit sequence><suffix>", as the ledger names its files.
std::string NumberedName(uint64_t sequence, absl::string_view suffix);

// Rewrites the header checksum and, record by record, each length and payload
// checksum of a framed record file (docs/log_format.md), as far as the
// records' lengths lead through the file.
void RepairChecksums(std::string* file);

// Options shared by the directory targets: a fixed clock and zone.
LedgerOptions FuzzLedgerOptions(Env* env, bool recover);

// Verifies and opens the ledger in `dir` (already written into `env`) and
// checks, aborting on a violation:
//   - Verify succeeds and changes no file;
//   - a failed Open names the directory, is DataLoss or FailedPrecondition,
//     and changes no file;
//   - a successful Open changes no file but the newest log, which it may only
//     cut short, and agrees with Verify;
//   - every event reads back (or is reported lost), every read of the
//     persons, areas and households named agrees with GetEvent, and the
//     tracer's questions answer;
//   - an append then gets the next sequence number, and reopening (from the
//     logs, then from a fresh snapshot) gives back exactly the same events.
void FuzzLedgerDirectory(internal::MemEnv* env, const std::string& dir,
                         bool recover);

// The ledger the importer targets import into: in memory, holding areas
// c1 > t1 > v1 > g1, households h1 and h2 in g1 and persons p1 and p2 (the
// references the import tests' fixtures make).
std::unique_ptr<Ledger> ImportBaseLedger();

// Checks one import (`imported`, into `ledger`, which held `before` events
// before it) against the parse of the same text (`parsed`): a parse error is
// the import's error too (which may list more bad rows: those the ledger
// refuses); a failed import is InvalidArgument (or ResourceExhausted) naming
// `file_name` and, for InvalidArgument, a line, and records nothing; a
// successful one records exactly the parsed events, in order, with
// consecutive sequence numbers, and they read back as parsed, the first one
// stamped with the import's source.
void CheckImport(const Ledger& ledger, const std::vector<std::string>& before,
                 const absl::StatusOr<std::vector<v1::LedgerEvent>>& parsed,
                 const absl::StatusOr<ImportSummary>& imported,
                 absl::string_view file_name);

// Every event of `ledger` as GetEvent gives it, serialised.
std::vector<std::string> RecordedEvents(const Ledger& ledger);

// A small in-memory ledger with cases, contacts, stays, checks and passages,
// and the moments worth asking about in it.
std::unique_ptr<Ledger> ScenarioLedger();
std::vector<absl::Time> ScenarioMoments();

// Runs every question of a Tracer over `ledger` at `at` under `policy` and
// checks the answers' documented order. The policy must be valid.
void AskTracer(const Ledger& ledger, absl::Time at,
               const std::optional<v1::Policy>& policy);

}  // namespace fuzz
}  // namespace contactledger

#endif  // CONTACTLEDGER_FUZZ_FUZZ_UTIL_H_
