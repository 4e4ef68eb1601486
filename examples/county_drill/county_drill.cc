// Copyright 2026 The ContactLedger Authors.
//
// County drill: the first weeks of COVID-19 in a county shaped like Yuanling,
// Hunan (docs/field_practice.md), replayed day by day into a durable ledger.
// This file holds the program: its flags, the choice between a new drill and
// a finished one, opening the ledger, the replay and the files at the end.
//
//   county_drill [--persons=600000] [--out=./drill-output] [--seed=2020]
//                [--fresh]
//
// What it does:
//   1. Opens (or creates) the ledger in OUT/ledger, in the Asia/Shanghai zone.
//   2. Loads a synthetic county (contactledger::GenerateSyntheticCounty, with
//      no cases of its own): the household register (areas, households,
//      persons, recorded on the morning of 22 January) and the contacts the
//      grid workers record: about 6.5 exposures per person from 22 January to
//      7 February, each day's recorded the next morning (synthetic_feed.h).
//   3. Replays the story from 22 January to 8 February 2020, one day at a
//      time, with record times that follow it (story.h): carpet screening,
//      one case confirmed on the 27th, its close contacts named by the ledger
//      and placed, checks twice a day, a fever escalated and one not, a
//      checkpoint breach, a re-screening that finds people nobody had
//      registered, the case discharged cured on 5 February.
//   4. Every evening it prints the county's ledger report (daily_report.h):
//      the roll-up by township, the open loops by kind, and what changed
//      since the day before.
//   5. At the end it writes into OUT (output_files.h): roster.csv and
//      roster.json (the columns of `ledgerctl roster`), loops.csv, chain.dot
//      (the case, its close contacts and their contacts, for Graphviz) and
//      chain.svg when `dot` is installed; then a snapshot, so that the next
//      open is quick. dashboard.html, the county dashboard in one HTML page
//      (dashboard_page.h), is written each evening; the last remains.
//
// Run it again and it reopens the ledger in OUT/ledger, verifies it
// (Ledger::Verify), prints the final report and writes the files again
// (reopen.h). --fresh starts over.
//
// Build and run it with `bash scripts/run-example.sh`.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "county_drill/county_time.h"
#include "county_drill/daily_report.h"
#include "county_drill/dashboard_page.h"
#include "county_drill/output_files.h"
#include "county_drill/reopen.h"
#include "county_drill/story.h"
#include "county_drill/support.h"

ABSL_FLAG(int64_t, persons, 600000,
          "people in the synthetic county (at least 10000)");
ABSL_FLAG(std::string, out, "./drill-output",
          "output folder: the ledger goes to OUT/ledger, the roster, loops "
          "and chain drawing beside it");
ABSL_FLAG(uint64_t, seed, 2020, "seed of the synthetic county");
ABSL_FLAG(bool, fresh, false,
          "start over even when OUT/ledger already holds the drill");

namespace county_drill {
namespace {

namespace fs = ::std::filesystem;

using ::contactledger::Ledger;

// The county needs its 23 townships.
constexpr int64_t kMinPersons = 10'000;
constexpr int64_t kMaxPersons = 50'000'000;

struct DrillConfig {
  int64_t persons = 600000;
  uint64_t seed = 2020;
  fs::path out;         // --out
  fs::path ledger_dir;  // OUT/ledger
};

// A new drill: replays the story into a new ledger, prints the final report,
// writes the files and a snapshot, and says where everything is.
int RunNewDrill(const DrillConfig& config) {
  const CountyZoneInfo& zone = CountyZone();
  std::cout << "ContactLedger county drill: a county shaped like Yuanling, "
               "Hunan, "
            << Num(config.persons) << " people, 2020-01-22 to 2020-02-08 in "
            << (zone.named ? "Asia/Shanghai" : "UTC+08:00")
            << "\nLedger: " << config.ledger_dir.string() << "\n\n";
  StoryClock clock;
  contactledger::LedgerOptions options;
  options.clock = &clock;
  options.time_zone = zone.zone;
  options.error_if_exists = true;
  std::unique_ptr<Ledger> ledger =
      Unwrap(Ledger::Open(options, config.ledger_dir.string()), "Ledger::Open");

  Story story(ledger.get(), &clock, config.persons, config.seed);
  // Each evening's dashboard replaces the one before: the last remains.
  absl::Duration dashboard_time;
  story.set_evening_hook([&](absl::Time evening) {
    const absl::Time start = absl::Now();
    WriteDashboardPage(*ledger, evening, config.out);
    dashboard_time += absl::Now() - start;
  });
  const absl::Time started = absl::Now();
  story.Replay();
  const absl::Duration replay = absl::Now() - started;

  std::cout << "\n== The county on 2020-02-08 at 22:00, every township "
            << std::string(27, '=') << "\n";
  const absl::Time at = At(kLastDay, kReportHour);
  const absl::Time final_start = absl::Now();
  PrintReport(*ledger, at, story.highlight(), /*all_rows=*/true, nullptr);
  WriteOutputFiles(*ledger, at, config.out);
  const absl::Duration outputs = absl::Now() - final_start;

  const absl::Time snapshot_start = absl::Now();
  const uint64_t covered = Unwrap(ledger->WriteSnapshot(), "WriteSnapshot");
  const absl::Duration snapshot = absl::Now() - snapshot_start;
  WriteDoneMarker(config.out / "drill.done", config.persons, config.seed,
                  covered);

  const contactledger::LedgerStats stats = ledger->Stats();
  std::cout << "\nLedger " << config.ledger_dir.string() << ": "
            << Num(stats.events) << " events (" << Num(stats.exposures)
            << " exposures, " << Num(story.exposures_not_recorded())
            << " not recorded: the person was in quarantine), "
            << Num(stats.memory_bytes >> 20) << " MiB in memory; snapshot at "
            << "sequence " << Num(covered) << "\n";
  std::cout << absl::StrFormat(
      "Time: %.1f s in all (%.1f s of CPU): replay %.1f s (appending the "
      "synthetic exposures %.1f s, daily reports %.1f s, of which the "
      "dashboard pages %.1f s), final report and files %.1f s, snapshot "
      "%.1f s\n",
      absl::ToDoubleSeconds(absl::Now() - started), CpuSeconds(),
      absl::ToDoubleSeconds(replay), absl::ToDoubleSeconds(story.append_time()),
      absl::ToDoubleSeconds(story.report_time()),
      absl::ToDoubleSeconds(dashboard_time), absl::ToDoubleSeconds(outputs),
      absl::ToDoubleSeconds(snapshot));
  const std::string dir = config.ledger_dir.string();
  std::cout << "\nRun it again to reopen and verify the ledger. Ask it more "
               "with ledgerctl, e.g.\n  ledgerctl explain "
            << dir << " --person " << story.case_id()
            << " --at 2020-01-27T14:00:00+08:00\n  ledgerctl loops " << dir
            << " --at 2020-02-01T22:00:00+08:00 --known-at "
               "2020-02-01T22:00:00+08:00\n";
  return EXIT_SUCCESS;
}

// Whether OUT holds a finished drill with the same options, to reopen.
bool FinishedDrillIn(const DrillConfig& config) {
  if (absl::GetFlag(FLAGS_fresh) || !fs::exists(config.ledger_dir)) {
    return false;
  }
  const std::optional<DoneMarker> marker =
      ReadDoneMarker(config.out / "drill.done");
  if (marker.has_value() && marker->persons == absl::StrCat(config.persons) &&
      marker->seed == absl::StrCat(config.seed)) {
    return true;
  }
  std::cout << "note: " << config.ledger_dir.string()
            << (marker.has_value() ? " holds a drill with other options"
                                   : " holds an unfinished drill")
            << "; starting over\n";
  return false;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "replays the first weeks of COVID-19 in a synthetic county shaped like "
      "Yuanling into a durable ContactLedger and prints its daily report.\n"
      "  county_drill [--persons=600000] [--out=./drill-output] [--seed=2020] "
      "[--fresh]");
  absl::ParseCommandLine(argc, argv);
  DrillConfig config;
  config.persons = absl::GetFlag(FLAGS_persons);
  config.seed = absl::GetFlag(FLAGS_seed);
  config.out = fs::path(absl::GetFlag(FLAGS_out));
  config.ledger_dir = config.out / "ledger";
  if (config.persons < kMinPersons || config.persons > kMaxPersons) {
    std::cerr << "county_drill: --persons must be 10,000 to 50,000,000 (the "
                 "county needs its 23 townships)\n";
    return 2;
  }
  std::error_code ec;
  fs::create_directories(config.out, ec);
  if (ec) {
    std::cerr << "county_drill: cannot create " << config.out << ": "
              << ec.message() << "\n";
    return EXIT_FAILURE;
  }
  CountyZone();  // loads the zone, with a note on stderr when it cannot

  if (FinishedDrillIn(config)) {
    return ReopenAndReport(config.out, config.ledger_dir);
  }
  fs::remove(config.out / "drill.done", ec);
  fs::remove_all(config.ledger_dir, ec);
  if (ec) {
    std::cerr << "county_drill: cannot remove " << config.ledger_dir << ": "
              << ec.message() << "\n";
    return EXIT_FAILURE;
  }
  return RunNewDrill(config);
}

}  // namespace
}  // namespace county_drill

int main(int argc, char** argv) { return county_drill::Main(argc, argv); }
