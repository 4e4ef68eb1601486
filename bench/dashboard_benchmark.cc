// Copyright 2026 The ContactLedger Authors.
//
// dashboard_benchmark: how long the county dashboard takes
// (contactledger/dashboard.h, issue 17: under 2 s for the drill's county of
// 600,000 persons), next to a baseline measured in the same run: the
// answers `ledgerctl roster`, `loops` and `rollup` write as CSV for the same
// moment, which is what a county office would otherwise read.
//
// The county is the synthetic one of contactledger/synthetic.h (Yuanling's
// shape, 5 index cases with their contacts placed, checks and passages) in
// an in-memory ledger; loading it is not timed. The moment is 2020-02-01
// 22:00 (UTC+8), inside the generated month, and the page charts 14 days.
//
//   BM_DashboardPage    GatherDashboard + WriteDashboardHtml: the whole page
//   BM_DashboardGather  GatherDashboard alone (the Tracers)
//   BM_DashboardWrite   WriteDashboardHtml alone, of data gathered once
//   BM_CsvBaseline      one Tracer, its roster, open loops and the county's
//                       roll-up, written with WriteRosterCsv, WriteLoopsCsv
//                       and WriteAreaRollupCsv
//
// Flags: --persons=N (default 600,000), --threads=N (the dashboard's day
// threads, default 2), then Google Benchmark's own. bench/RESULTS.md has
// the figures and the command.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "contactledger/dashboard.h"
#include "contactledger/ledger.h"
#include "contactledger/report.h"
#include "contactledger/synthetic.h"
#include "contactledger/tracing.h"

namespace contactledger {
namespace {

int64_t g_persons = 600000;
int g_threads = 2;

const absl::TimeZone kZone = absl::FixedTimeZone(8 * 3600);

struct County {
  std::unique_ptr<Ledger> ledger;
  SyntheticCountySummary summary;
  double load_seconds = 0;
};

// The county, built on first use and kept for every benchmark.
const County& TheCounty() {
  static const County* county = [] {
    auto* c = new County;
    LedgerOptions options;
    options.time_zone = kZone;
    c->ledger = Ledger::New(options);
    SyntheticCountyOptions synthetic;
    synthetic.persons = g_persons;
    synthetic.time_zone = kZone;
    const absl::Time started = absl::Now();
    absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
        synthetic, [&](std::vector<v1::LedgerEvent>& batch) {
          return c->ledger->AppendBatch(batch).status();
        });
    if (!summary.ok()) {
      std::fprintf(stderr, "dashboard_benchmark: the county: %s\n",
                   summary.status().ToString().c_str());
      std::exit(1);
    }
    c->summary = *std::move(summary);
    c->load_seconds = absl::ToDoubleSeconds(absl::Now() - started);
    return c;
  }();
  return *county;
}

QueryOptions Moment() {
  QueryOptions query;
  query.at = absl::FromCivil(absl::CivilHour(2020, 2, 1, 22), kZone);
  return query;
}

DashboardOptions PageOptions() {
  DashboardOptions options;
  options.query = Moment();
  options.area_id = TheCounty().summary.county_id;
  options.days = 14;
  options.threads = g_threads;
  return options;
}

void Counters(benchmark::State& state, const DashboardData& data,
              size_t bytes) {
  state.counters["persons"] = static_cast<double>(g_persons);
  state.counters["page_bytes"] = static_cast<double>(bytes);
  state.counters["roster"] = static_cast<double>(data.roster.size());
  state.counters["loops"] = static_cast<double>(data.loops.size());
  state.counters["areas"] = static_cast<double>(data.areas.size());
  state.counters["load_s"] = TheCounty().load_seconds;
}

void BM_DashboardPage(benchmark::State& state) {
  const County& county = TheCounty();
  const DashboardOptions options = PageOptions();
  DashboardData last;
  size_t bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<DashboardData> data =
        GatherDashboard(*county.ledger, options);
    if (!data.ok()) {
      state.SkipWithError(data.status().ToString().c_str());
      return;
    }
    const std::string page = WriteDashboardHtml(*data);
    benchmark::DoNotOptimize(page.data());
    bytes = page.size();
    last = *std::move(data);
  }
  Counters(state, last, bytes);
}

void BM_DashboardGather(benchmark::State& state) {
  const County& county = TheCounty();
  const DashboardOptions options = PageOptions();
  for (auto _ : state) {
    absl::StatusOr<DashboardData> data =
        GatherDashboard(*county.ledger, options);
    if (!data.ok()) {
      state.SkipWithError(data.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(data->days.data());
  }
}

void BM_DashboardWrite(benchmark::State& state) {
  const County& county = TheCounty();
  absl::StatusOr<DashboardData> data =
      GatherDashboard(*county.ledger, PageOptions());
  if (!data.ok()) {
    state.SkipWithError(data.status().ToString().c_str());
    return;
  }
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string page = WriteDashboardHtml(*data);
    benchmark::DoNotOptimize(page.data());
    bytes = page.size();
  }
  Counters(state, *data, bytes);
}

void BM_CsvBaseline(benchmark::State& state) {
  const County& county = TheCounty();
  const QueryOptions query = Moment();
  size_t bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<std::unique_ptr<Tracer>> tracer =
        Tracer::Create(*county.ledger, query);
    if (!tracer.ok()) {
      state.SkipWithError(tracer.status().ToString().c_str());
      return;
    }
    const std::string roster = WriteRosterCsv((*tracer)->Roster(), kZone);
    const std::string loops = WriteLoopsCsv((*tracer)->OpenLoops(), kZone);
    absl::StatusOr<std::vector<AreaRollupRow>> rows =
        (*tracer)->AreaRollup(county.summary.county_id);
    if (!rows.ok()) {
      state.SkipWithError(rows.status().ToString().c_str());
      return;
    }
    const std::string rollup = WriteAreaRollupCsv(*rows);
    bytes = roster.size() + loops.size() + rollup.size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["csv_bytes"] = static_cast<double>(bytes);
}

// Takes --persons=N and --threads=N out of argv. False on a bad value.
bool ParseOwnFlags(int* argc, char** argv) {
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    const char* arg = argv[i];
    long long* target = nullptr;
    long long value = 0;
    const char* text = nullptr;
    if (std::strncmp(arg, "--persons=", 10) == 0) {
      text = arg + 10;
    } else if (std::strncmp(arg, "--threads=", 10) == 0) {
      text = arg + 10;
    } else {
      argv[kept++] = argv[i];
      continue;
    }
    char* end = nullptr;
    value = std::strtoll(text, &end, 10);
    target = &value;
    if (end == text || *end != '\0') {
      std::fprintf(stderr, "dashboard_benchmark: bad value in %s\n", arg);
      return false;
    }
    if (arg[2] == 'p') {
      if (*target < 10000) {
        std::fprintf(stderr,
                     "dashboard_benchmark: --persons must be 10000 or more "
                     "(the county needs its townships)\n");
        return false;
      }
      g_persons = *target;
    } else {
      if (*target < 1 || *target > 64) {
        std::fprintf(stderr, "dashboard_benchmark: --threads must be 1-64\n");
        return false;
      }
      g_threads = static_cast<int>(*target);
    }
  }
  *argc = kept;
  return true;
}

}  // namespace
}  // namespace contactledger

int main(int argc, char** argv) {
  if (!contactledger::ParseOwnFlags(&argc, argv)) return 2;
  benchmark::RegisterBenchmark("BM_DashboardPage",
                               contactledger::BM_DashboardPage)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_DashboardGather",
                               contactledger::BM_DashboardGather)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_DashboardWrite",
                               contactledger::BM_DashboardWrite)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_CsvBaseline", contactledger::BM_CsvBaseline)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
