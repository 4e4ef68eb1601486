// Copyright 2026 The ContactLedger Authors.
//
// The county dashboard the drill leaves beside its other files:
// OUT/dashboard.html, one self-contained HTML page (contactledger/dashboard.h)
// of the county as of a moment, written again each evening of the story so
// that the last evening's page remains.

#ifndef EXAMPLES_COUNTY_DRILL_DASHBOARD_PAGE_H_
#define EXAMPLES_COUNTY_DRILL_DASHBOARD_PAGE_H_

#include <cstdint>
#include <filesystem>

#include "absl/time/time.h"
#include "contactledger/ledger.h"

namespace county_drill {

// Writes `out_dir`/dashboard.html for the county "yl" as the ledger answers
// at `at` (known_at = at, as the evening report), charting the 14 days up to
// `at`'s day. The page replaces the last one only once it is complete (a
// temporary file named with the process id, renamed over it). Returns its size
// in bytes; exits when it cannot be written.
uint64_t WriteDashboardPage(const contactledger::Ledger& ledger, absl::Time at,
                            const std::filesystem::path& out_dir);

}  // namespace county_drill

#endif  // EXAMPLES_COUNTY_DRILL_DASHBOARD_PAGE_H_
