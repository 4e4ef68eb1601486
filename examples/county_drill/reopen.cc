// Copyright 2026 The ContactLedger Authors.
//
// Running the county drill again (reopen.h): what Ledger::Verify found, file
// by file, then the reopened ledger's recovery, final report and files.

#include "county_drill/reopen.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "county_drill/county_time.h"
#include "county_drill/daily_report.h"
#include "county_drill/dashboard_page.h"
#include "county_drill/output_files.h"
#include "county_drill/support.h"

namespace county_drill {
namespace {

using ::contactledger::Ledger;

// Prints what Verify found; returns whether the ledger is sound.
bool PrintVerifyReport(const contactledger::VerifyReport& report,
                       const std::string& dir, absl::Time started) {
  std::cout << "Verify " << dir << ":\n";
  for (const contactledger::VerifyReport::File& f : report.files) {
    std::cout << "  " << f.name << ": " << Num(f.bytes) << " bytes";
    if (f.records > 0) std::cout << ", " << Num(f.records) << " records";
    if (f.first_sequence != 0) {
      std::cout << ", events " << Num(f.first_sequence) << "-"
                << Num(f.last_sequence);
    } else if (f.last_sequence != 0) {
      std::cout << ", state as of event " << Num(f.last_sequence);
    }
    std::cout << "\n";
  }
  for (const contactledger::DamagedRange& d : report.damage) {
    std::cout << "  " << (d.truncated_tail ? "cut-off tail" : "damage") << ": "
              << d.file << " at byte " << d.offset << ", " << d.length
              << " bytes: " << d.reason << "\n";
  }
  for (const std::string& problem : report.problems) {
    std::cout << "  problem: " << problem << "\n";
  }
  std::cout << "  " << Num(report.events) << " events, last sequence number "
            << Num(report.last_sequence) << ": "
            << (report.ok() ? "ok" : "DAMAGED")
            << absl::StrFormat(" (%.1f s)\n",
                               absl::ToDoubleSeconds(absl::Now() - started));
  return report.ok();
}

}  // namespace

int ReopenAndReport(const std::filesystem::path& out_dir,
                    const std::filesystem::path& ledger_dir) {
  const absl::Time started = absl::Now();
  contactledger::LedgerOptions options;
  options.time_zone = Zone();
  options.create_if_missing = false;
  const std::string dir = ledger_dir.string();

  std::cout << "The drill is already in " << dir
            << ": verifying and reopening it (--fresh starts over).\n\n";
  const contactledger::VerifyReport report =
      Unwrap(Ledger::Verify(options, dir), "Verify");
  if (!PrintVerifyReport(report, dir, started)) {
    std::cerr << "county_drill: the ledger in " << dir
              << " is damaged; run with --fresh to start over\n";
    return EXIT_FAILURE;
  }

  const absl::Time open_start = absl::Now();
  std::unique_ptr<Ledger> ledger =
      Unwrap(Ledger::Open(options, dir), "Ledger::Open");
  const contactledger::RecoveryReport& recovery = ledger->recovery_report();
  std::cout << "Reopened in "
            << absl::StrFormat("%.1f s",
                               absl::ToDoubleSeconds(absl::Now() - open_start))
            << ": "
            << (recovery.snapshot_file.empty()
                    ? std::string("no snapshot")
                    : absl::StrCat("snapshot ", recovery.snapshot_file,
                                   " (to event ",
                                   Num(recovery.snapshot_sequence), ")"))
            << ", " << Num(recovery.replayed_events)
            << " events replayed from the log\n";
  if (std::optional<DoneMarker> marker = ReadDoneMarker(out_dir / "drill.done");
      marker.has_value()) {
    if (marker->last_sequence != absl::StrCat(ledger->last_sequence_number())) {
      std::cout << "  note: the drill ended at event " << marker->last_sequence
                << ", the ledger holds " << ledger->last_sequence_number()
                << " (appended to since?)\n";
    }
  }

  const absl::Time at = At(kLastDay, kReportHour);
  std::cout << "\n== The county on 2020-02-08 at 22:00 (final report) "
            << std::string(28, '=') << "\n";
  // What changed on the last day: against the view of the evening before.
  const ReportView before = ViewAt(*ledger, At(kLastDay - 1, kReportHour));
  PrintReport(*ledger, at, {}, /*all_rows=*/true, &before);
  WriteDashboardPage(*ledger, at, out_dir);
  WriteOutputFiles(*ledger, at, out_dir);
  std::cout << absl::StrFormat("\nTime: %.1f s (%.1f s of CPU)\n",
                               absl::ToDoubleSeconds(absl::Now() - started),
                               CpuSeconds());
  return EXIT_SUCCESS;
}

}  // namespace county_drill
