// Copyright 2026 The ContactLedger Authors.
//
// Running the county drill again over a finished drill: verify the ledger
// (Ledger::Verify), reopen it (from its snapshot), print the final report and
// write the output files again.

#ifndef EXAMPLES_COUNTY_DRILL_REOPEN_H_
#define EXAMPLES_COUNTY_DRILL_REOPEN_H_

#include <filesystem>

namespace county_drill {

// Verifies and reopens the ledger in `ledger_dir`, prints the report of
// 8 February 22:00 with what changed since the evening before, and writes
// the files into `out_dir`. Returns the program's exit code: EXIT_FAILURE
// when the ledger is damaged.
int ReopenAndReport(const std::filesystem::path& out_dir,
                    const std::filesystem::path& ledger_dir);

}  // namespace county_drill

#endif  // EXAMPLES_COUNTY_DRILL_REOPEN_H_
