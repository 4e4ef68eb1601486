// Copyright 2026 The ContactLedger Authors.
//
// The county's evening ledger report, printed on stdout: what was recorded
// during the day, the roll-up by township (persons, cases, contacts, stays,
// open loops, checks), the open loops by kind, and what changed since the
// report of the day before.

#ifndef EXAMPLES_COUNTY_DRILL_DAILY_REPORT_H_
#define EXAMPLES_COUNTY_DRILL_DAILY_REPORT_H_

#include <cstdint>
#include <set>
#include <string>
#include <tuple>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"

namespace county_drill {

// What a report saw, for the next day's "what changed".
struct ReportView {
  std::set<std::string> roster;                           // person ids
  std::set<std::tuple<std::string, int, int64_t>> loops;  // person, kind, since
};

// What a report as of `at` would see, without printing it.
ReportView ViewAt(const contactledger::Ledger& ledger, absl::Time at);

// Prints the roll-up by township, the open loops and, when `before` is not
// null, the changes since `before`, all as of `at`; returns what it saw.
// `highlight`: township ids always shown; the others are shown when they
// have cases, contacts or stays in hospital or centralized quarantine, and
// folded into one line otherwise. `all_rows` shows every township.
ReportView PrintReport(const contactledger::Ledger& ledger, absl::Time at,
                       const std::set<std::string>& highlight, bool all_rows,
                       const ReportView* before);

// "recorded today: 9,773 events: 5,848 person records, ...": the difference
// between the ledger's statistics at the start and at the end of `day`.
// `missed_checks`: the scheduled health checks not done that day.
std::string RecordedToday(const contactledger::LedgerStats& start,
                          const contactledger::LedgerStats& end,
                          int64_t missed_checks, absl::CivilDay day);

}  // namespace county_drill

#endif  // EXAMPLES_COUNTY_DRILL_DAILY_REPORT_H_
