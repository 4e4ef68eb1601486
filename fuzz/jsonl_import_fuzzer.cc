// Copyright 2026 The ContactLedger Authors.
//
// The JSON Lines importer (contactledger/import.h).
//
// Input: the JSON Lines text (one contactledger.v1.LedgerEvent per line in
// protobuf's JSON mapping).
//
// Checks: JsonlToEvents and ImportJsonl (into a ledger holding the areas,
// households and persons the import tests refer to) agree; a failed import
// is InvalidArgument naming the file and a line and records nothing; a
// successful one records exactly the parsed lines, which read back as parsed
// (fuzz/fuzz_util.h, CheckImport).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "contactledger/import.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace contactledger;        // NOLINT
  using namespace contactledger::fuzz;  // NOLINT
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  ImportOptions options;
  options.file_name = "fuzz.jsonl";
  options.actor = "fuzzer";
  std::unique_ptr<Ledger> ledger = ImportBaseLedger();
  const std::vector<std::string> before = RecordedEvents(*ledger);
  const absl::StatusOr<std::vector<v1::LedgerEvent>> parsed =
      JsonlToEvents(text, options);
  const absl::StatusOr<ImportSummary> imported =
      ImportJsonl(*ledger, text, options);
  CheckImport(*ledger, before, parsed, imported, options.file_name);
  return 0;
}
