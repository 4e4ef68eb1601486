// Copyright 2026 The ContactLedger Authors.
//
// The CSV importer (contactledger/import.h) and its RFC 4180 reader
// (lib/import/csv.h).
//
// Input: a kind byte, then the CSV text. The byte's value modulo 8 picks the
// kind in ImportKindNames() order, so the digits '0'..'7' spell areas,
// households, persons, exposures, diagnoses, stays, checks, passages.
//
// Checks:
//   - CsvToEvents and ImportCsv (into a ledger holding the areas, households
//     and persons the import tests refer to) agree; a failed import is
//     InvalidArgument naming the file and a line and records nothing; a
//     successful one records exactly the parsed rows, which read back as
//     parsed (fuzz/fuzz_util.h, CheckImport);
//   - the reader: whatever it accepts, written back with every field quoted,
//     reads back to the same records.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "contactledger/import.h"
#include "fuzz/fuzz_util.h"
#include "lib/import/csv.h"

namespace {

std::string Quote(const std::string& field) {
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::vector<std::vector<std::string>> Fields(
    const std::vector<contactledger::internal::CsvRecord>& records) {
  std::vector<std::vector<std::string>> out;
  for (const auto& r : records) out.push_back(r.fields);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace contactledger;        // NOLINT
  using namespace contactledger::fuzz;  // NOLINT
  if (size < 1) return 0;
  const auto kind = static_cast<ImportKind>(data[0] % 8);
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1,
                               size - 1);

  ImportOptions options;
  options.file_name = "fuzz.csv";
  options.actor = "fuzzer";
  std::unique_ptr<Ledger> ledger = ImportBaseLedger();
  const std::vector<std::string> before = RecordedEvents(*ledger);
  const absl::StatusOr<std::vector<v1::LedgerEvent>> parsed =
      CsvToEvents(kind, text, ledger->time_zone(), options);
  const absl::StatusOr<ImportSummary> imported =
      ImportCsv(*ledger, kind, text, options);
  CheckImport(*ledger, before, parsed, imported, options.file_name);

  absl::StatusOr<std::vector<internal::CsvRecord>> records =
      internal::ParseCsv(text);
  if (records.ok()) {
    std::string written;
    for (const internal::CsvRecord& record : *records) {
      for (size_t i = 0; i < record.fields.size(); ++i) {
        absl::StrAppend(&written, i > 0 ? "," : "", Quote(record.fields[i]));
      }
      written.push_back('\n');
    }
    absl::StatusOr<std::vector<internal::CsvRecord>> again =
        internal::ParseCsv(written);
    FUZZ_CHECK(again.ok(), absl::StrCat("written back, the CSV does not read: ",
                                        again.status().ToString()));
    FUZZ_CHECK(Fields(*again) == Fields(*records),
               "written back, the CSV reads differently");
  } else {
    FUZZ_CHECK(absl::StartsWith(records.status().message(), "line "),
               absl::StrCat("a CSV error names no line: ",
                            records.status().ToString()));
  }
  return 0;
}
