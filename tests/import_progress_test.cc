// Copyright 2026 The ContactLedger Authors.
//
// Tests of ImportOptions::progress (contactledger/import.h), which
// `ledgerctl import` draws on a terminal: called every 4096 rows while a
// file is parsed, with the rows so far and the bytes of the input up to the
// last of them, then once with `recording` set before the one AppendBatch;
// never with `recording` when the file has a bad row, nor in a dry run.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "contactledger/import.h"
#include "contactledger/ledger.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace contactledger {
namespace {

using ::testing::ElementsAre;
using ::testing::FieldsAre;

// An exposures CSV with `rows` data rows; `ends[i]` is the byte offset just
// after data row i + 1 (its line break included).
std::string ExposuresCsv(int rows, std::vector<uint64_t>* ends) {
  std::string csv = "person_a,person_b,start,end,setting\n";
  for (int i = 0; i < rows; ++i) {
    absl::StrAppend(&csv, absl::StrFormat("p%d,q%d,2020-01-20T08:00:00+08:00,"
                                          "2020-01-20T09:00:00+08:00,work\n",
                                          i, i));
    ends->push_back(csv.size());
  }
  return csv;
}

std::vector<ImportProgress> Import(Ledger* ledger, absl::string_view text,
                                   bool csv, absl::Status* status) {
  std::vector<ImportProgress> calls;
  ImportOptions options;
  options.progress = [&calls](const ImportProgress& p) { calls.push_back(p); };
  absl::StatusOr<ImportSummary> summary =
      csv ? ImportCsv(*ledger, ImportKind::kExposures, text, options)
          : ImportJsonl(*ledger, text, options);
  *status = summary.status();
  return calls;
}

TEST(ImportProgressTest, CsvReportsEvery4096RowsThenTheRecording) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  std::vector<uint64_t> ends;
  const std::string csv = ExposuresCsv(10000, &ends);
  absl::Status status;
  std::vector<ImportProgress> calls = Import(ledger.get(), csv, true, &status);
  ASSERT_TRUE(status.ok()) << status;
  const uint64_t total = csv.size();
  EXPECT_THAT(calls, ElementsAre(FieldsAre(4096u, ends[4095], total, false),
                                 FieldsAre(8192u, ends[8191], total, false),
                                 FieldsAre(10000u, total, total, true)));
  EXPECT_EQ(ledger->last_sequence_number(), 10000u);
}

TEST(ImportProgressTest, JsonlReportsEvery4096EventsThenTheRecording) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  std::string jsonl;
  uint64_t end_of_4096th = 0;
  for (int i = 0; i < 5000; ++i) {
    absl::StrAppend(&jsonl, "{\"area\": {\"id\": \"c", i,
                    "\", \"level\": \"AREA_LEVEL_COUNTY\"}}\n");
    if (i == 4095) end_of_4096th = jsonl.size() - 1;  // before the '\n'
    if (i == 99) jsonl += "\n";  // a blank line is no event
  }
  absl::Status status;
  std::vector<ImportProgress> calls =
      Import(ledger.get(), jsonl, false, &status);
  ASSERT_TRUE(status.ok()) << status;
  const uint64_t total = jsonl.size();
  EXPECT_THAT(calls, ElementsAre(FieldsAre(4096u, end_of_4096th, total, false),
                                 FieldsAre(5000u, total, total, true)));
}

TEST(ImportProgressTest, BadLastRowMeansNoRecordingReport) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  std::vector<uint64_t> ends;
  std::string csv = ExposuresCsv(6000, &ends);
  csv += "p1,q1,2020-01-20T08:00:00+08:00,2020-01-20T09:00:00+08:00,office\n";
  absl::Status status;
  std::vector<ImportProgress> calls = Import(ledger.get(), csv, true, &status);
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), ::testing::HasSubstr("line 6002"));
  EXPECT_THAT(calls,
              ElementsAre(FieldsAre(4096u, ends[4095], csv.size(), false)));
  EXPECT_EQ(ledger->last_sequence_number(), 0u);
}

// Parsing goes on after a bad row (to list every one), and so do the
// reports; the bad row counts as a row parsed.
TEST(ImportProgressTest, BadEarlyRowDoesNotStopTheReports) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  std::vector<uint64_t> ends;
  std::string csv = ExposuresCsv(6000, &ends);
  const std::string bad =
      "p1,q1,2020-01-20T08:00:00+08:00,2020-01-20T09:00:00+08:00,office\n";
  const size_t after_first_row = ends[0];
  csv.insert(after_first_row, bad);
  absl::Status status;
  std::vector<ImportProgress> calls = Import(ledger.get(), csv, true, &status);
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), ::testing::HasSubstr("line 3"));
  // The 4096th row is data row 4095 of ExposuresCsv, moved by the bad row.
  EXPECT_THAT(calls, ElementsAre(FieldsAre(4096u, ends[4094] + bad.size(),
                                           csv.size(), false)));
  EXPECT_EQ(ledger->last_sequence_number(), 0u);
}

TEST(ImportProgressTest, DryRunIsNeverRecording) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  std::vector<uint64_t> ends;
  const std::string csv = ExposuresCsv(5000, &ends);
  std::vector<ImportProgress> calls;
  ImportOptions options;
  options.dry_run = true;
  options.progress = [&calls](const ImportProgress& p) { calls.push_back(p); };
  absl::StatusOr<ImportSummary> summary =
      ImportCsv(*ledger, ImportKind::kExposures, csv, options);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows, 5000u);
  EXPECT_THAT(calls,
              ElementsAre(FieldsAre(4096u, ends[4095], csv.size(), false)));
  EXPECT_EQ(ledger->last_sequence_number(), 0u);
}

TEST(ImportProgressTest, SmallFileIsReportedOnceWhenRecorded) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  std::vector<uint64_t> ends;
  const std::string csv = ExposuresCsv(3, &ends);
  absl::Status status;
  std::vector<ImportProgress> calls = Import(ledger.get(), csv, true, &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(calls, ElementsAre(FieldsAre(3u, csv.size(), csv.size(), true)));
}

}  // namespace
}  // namespace contactledger
