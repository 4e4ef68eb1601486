// Copyright 2026 The ContactLedger Authors.
//
// The county's evening ledger report (daily_report.h): the township table
// from Tracer::AreaRollup, the open loops from Tracer::OpenLoops, and the
// comparison with the day before.

#include "county_drill/daily_report.h"

#include <cstdint>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "county_drill/county_time.h"
#include "county_drill/support.h"

namespace county_drill {
namespace {

using ::contactledger::AreaRollupRow;
using ::contactledger::kUnassignedAreaId;
using ::contactledger::Ledger;
using ::contactledger::LoopKind;
using ::contactledger::OpenLoop;
using ::contactledger::RosterEntry;
using ::contactledger::Tracer;

// The number of LoopKind values.
constexpr int kLoopKinds = 8;

// "missed_check 5, checkpoint_breach 1", or "none".
std::string LoopCounts(const std::vector<int64_t>& counts) {
  std::vector<std::string> parts;
  for (int k = 0; k < kLoopKinds; ++k) {
    if (counts[k] == 0) continue;
    parts.push_back(absl::StrCat(
        contactledger::LoopKindName(static_cast<LoopKind>(k)), " ", counts[k]));
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

ReportView View(const std::vector<RosterEntry>& roster,
                const std::vector<OpenLoop>& loops) {
  ReportView view;
  for (const RosterEntry& e : roster) view.roster.insert(e.person_id);
  for (const OpenLoop& l : loops) {
    view.loops.emplace(l.person_id, static_cast<int>(l.kind),
                       absl::ToUnixSeconds(l.since));
  }
  return view;
}

// The ASCII part of an area name: "Madiyi Township 马底驿乡" -> "Madiyi
// Township" (table columns count bytes, and CJK glyphs are two cells wide).
std::string AsciiName(absl::string_view name) {
  size_t end = 0;
  while (end < name.size() && static_cast<unsigned char>(name[end]) < 0x80) {
    ++end;
  }
  std::string out(name.substr(0, end));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// One line of the township table: a township, the others folded, or the
// county.
struct TableLine {
  uint64_t persons = 0, cases = 0, close = 0, hospital = 0, centralized = 0,
           home = 0, loops = 0, checks = 0;

  void Add(const AreaRollupRow& r) {
    persons += r.persons;
    cases += r.active_cases;
    close += r.close_contacts;
    hospital += r.in_hospital;
    centralized += r.in_centralized;
    home += r.at_home;
    for (uint64_t n : r.loops) loops += n;
    checks += r.checks_last_24h;
  }
};

void PrintTableHeading() {
  std::cout << absl::StrFormat("  %-27s %9s %5s %6s %5s %6s %6s %6s %8s\n",
                               "township", "persons", "cases", "close", "hosp",
                               "centr", "home", "loops", "checks");
}

void PrintTableLine(absl::string_view label, const TableLine& l) {
  std::cout << absl::StrFormat("  %-27s %9s %5d %6d %5d %6d %6s %6s %8s\n",
                               label, Num(l.persons), l.cases, l.close,
                               l.hospital, l.centralized, Num(l.home),
                               Num(l.loops), Num(l.checks));
}

// "since the day before: roster 5 (+0 in, -0 out); loops +1 (...), -2 (...)".
void PrintChanges(const ReportView& before, const ReportView& now) {
  int64_t in = 0, out = 0;
  for (const std::string& id : now.roster) {
    if (before.roster.count(id) == 0) ++in;
  }
  for (const std::string& id : before.roster) {
    if (now.roster.count(id) == 0) ++out;
  }
  std::vector<int64_t> opened(kLoopKinds, 0), closed(kLoopKinds, 0);
  int64_t opened_total = 0, closed_total = 0;
  for (const auto& key : now.loops) {
    if (before.loops.count(key) == 0) {
      ++opened[std::get<1>(key)];
      ++opened_total;
    }
  }
  for (const auto& key : before.loops) {
    if (now.loops.count(key) == 0) {
      ++closed[std::get<1>(key)];
      ++closed_total;
    }
  }
  std::cout << "  since the day before: roster " << now.roster.size() << " (+"
            << in << " in, -" << out << " out); loops +" << opened_total;
  if (opened_total > 0) std::cout << " (" << LoopCounts(opened) << ")";
  std::cout << ", -" << closed_total;
  if (closed_total > 0) std::cout << " (" << LoopCounts(closed) << ")";
  std::cout << "\n";
}

}  // namespace

ReportView ViewAt(const Ledger& ledger, absl::Time at) {
  std::unique_ptr<Tracer> tracer =
      Unwrap(Tracer::Create(ledger, QueryAt(at)), "Tracer");
  return View(tracer->Roster(), tracer->OpenLoops());
}

ReportView PrintReport(const Ledger& ledger, absl::Time at,
                       const std::set<std::string>& highlight, bool all_rows,
                       const ReportView* before) {
  std::unique_ptr<Tracer> tracer =
      Unwrap(Tracer::Create(ledger, QueryAt(at)), "Tracer");
  const std::vector<RosterEntry> roster = tracer->Roster();
  const std::vector<OpenLoop> loops = tracer->OpenLoops();
  ReportView view = View(roster, loops);
  std::vector<int64_t> loop_counts(kLoopKinds, 0);
  for (const OpenLoop& l : loops) ++loop_counts[static_cast<int>(l.kind)];
  const std::vector<AreaRollupRow> rows =
      Unwrap(tracer->AreaRollup("yl"), "AreaRollup");

  PrintTableHeading();
  TableLine others, county;
  int folded = 0;
  for (const AreaRollupRow& r : rows) {
    const bool busy = r.active_cases + r.close_contacts + r.secondary_contacts +
                          r.in_hospital + r.in_centralized >
                      0;
    county.Add(r);
    if (r.area_id == kUnassignedAreaId) {
      // Persons with no area (unregistered): a line of their own, never
      // folded into the townships.
      if (busy) {
        TableLine row;
        row.Add(r);
        PrintTableLine("(no area)", row);
      }
      continue;
    }
    if (all_rows || busy || highlight.count(r.area_id) > 0) {
      TableLine row;
      row.Add(r);
      PrintTableLine(absl::StrCat(r.area_id, " ", AsciiName(r.name)), row);
    } else {
      ++folded;
      others.Add(r);
    }
  }
  if (folded > 0) {
    PrintTableLine(absl::StrCat(folded, " other townships"), others);
  }
  // The county's loops include those of no township (unregistered persons).
  county.loops = loops.size();
  PrintTableLine("county", county);
  std::cout << "  open loops: " << LoopCounts(loop_counts) << "\n";

  if (before != nullptr) PrintChanges(*before, view);
  return view;
}

std::string RecordedToday(const contactledger::LedgerStats& start,
                          const contactledger::LedgerStats& end,
                          int64_t missed_checks, absl::CivilDay day) {
  std::vector<std::string> parts;
  auto part = [&](uint64_t x, uint64_t y, absl::string_view what) {
    if (y > x) parts.push_back(absl::StrCat(Num(y - x), " ", what));
  };
  part(start.exposures, end.exposures,
       day == kFirstDay ? "exposures"
                        : absl::StrCat("exposures (of ", Md(day - 1), ")"));
  part(start.person_versions, end.person_versions,
       end.person_versions - start.person_versions == 1 ? "person record"
                                                        : "person records");
  part(start.health_checks, end.health_checks,
       missed_checks > 0 ? absl::StrCat("checks (", missed_checks, " missed)")
                         : "checks");
  part(start.quarantine_actions, end.quarantine_actions, "stay starts/ends");
  part(start.diagnoses, end.diagnoses,
       end.diagnoses - start.diagnoses == 1 ? "diagnosis" : "diagnoses");
  part(start.checkpoint_passages, end.checkpoint_passages, "passages");
  part(start.areas + start.households, end.areas + end.households,
       "areas/households");
  return absl::StrCat("recorded today: ", Num(end.events - start.events),
                      " events: ", absl::StrJoin(parts, ", "));
}

}  // namespace county_drill
