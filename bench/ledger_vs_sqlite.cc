// Copyright 2026 The ContactLedger Authors.
//
// ledger_vs_sqlite: ContactLedger against an SQLite baseline on the same
// synthetic county, the same questions and the same answers (issue 5).
//
// Both engines are loaded once from GenerateSyntheticCounty with the same
// options and seed (--persons persons, --cases index cases, UTC+8): the
// ledger by AppendBatch of the generator's batches, SQLite by
// bench/sqlite_baseline.h (prepared INSERTs in one transaction, indexes built
// at the end). Only the time spent inside each engine is counted, not the
// generator's.
//
// Benchmarks, BM_<Query>_<Engine> with Engine ContactLedger or SQLite:
//   BulkLoad       (Iterations(1), manual time) loading the whole county.
//                  Counters: rss_bytes_per_person (resident-set growth over
//                  the load, from /proc/self/statm after malloc_trim, per
//                  registered person), stats_bytes_per_person
//                  (Ledger::Stats().memory_bytes) or sqlite_bytes_per_person
//                  (sqlite3_memory_used() growth).
//   CloseContacts  the close contacts of one case (docs/rules.md section 5,
//                  household rule), cycling through the cases.
//   TwoHop         everyone within 2 exposures of one case over the 14 days
//                  before `at`, cycling through the cases.
//   Roster100      the roster of all --cases cases.
//   VillageRollup  persons, households, active cases and close contacts of
//                  every village.
//   OpenLoops      every open loop (the eight kinds of docs/rules.md
//                  section 8).
// `at` is 21:00 on the county's last day; the policy is china-2020. Every
// benchmark reports rss_bytes_per_person of its engine too.
//
// Answers: once both engines are loaded, every answer is computed by both
// (CloseContacts and TwoHop for every case) and compared field by field
// (bench/tracing_answers.h). Each query benchmark reports `mismatches` (0
// when the engines agree; -1 before the check could run); differences are
// printed and make the program exit with status 1.
//
// At the end a table gives, per query, both times and SQLite/ContactLedger,
// with the targets: on stdout after the console table, or on stderr
// with --benchmark_format=json or csv, whose stdout is then only Google
// Benchmark's JSON or CSV. --benchmark_out and --benchmark_out_format write
// a file as with any Google Benchmark binary.
//
// Flags (taken out before benchmark::Initialize):
//   --persons=N               county size (default 1,000,000)
//   --cases=N                 index cases (default 100)
//   --sqlite_plain_indexes    exposure indexes on (person, start) only,
//                             instead of covering (person, start, end,
//                             partner)
//   --sqlite_explain          print SQLite's query plans after the load
// then the usual --benchmark_* flags; --benchmark_filter=ContactLedger runs
// the ledger alone (no SQLite load, no answer check).

#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bench/ledger_answers.h"
#include "bench/sqlite_baseline.h"
#include "bench/tracing_answers.h"
#include "benchmark/benchmark.h"
#include "contactledger/ledger.h"
#include "contactledger/synthetic.h"
#include "contactledger/tracing.h"

namespace contactledger {
namespace bench {
namespace {

int64_t g_persons = 1000000;
int g_cases = 100;
bool g_plain_indexes = false;
bool g_explain = false;

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

[[noreturn]] void Die(const absl::Status& status, const char* what) {
  std::fprintf(stderr, "ledger_vs_sqlite: %s: %s\n", what,
               status.ToString().c_str());
  std::exit(2);
}

int64_t ResidentBytes() {
  malloc_trim(0);
  FILE* file = std::fopen("/proc/self/statm", "r");
  if (file == nullptr) return 0;
  long long size = 0;
  long long resident = 0;
  const int read = std::fscanf(file, "%lld %lld", &size, &resident);
  std::fclose(file);
  if (read != 2) return 0;
  return resident * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

SyntheticCountyOptions CountyOptions() {
  SyntheticCountyOptions options;
  options.persons = g_persons;
  options.cases = g_cases;
  options.time_zone = absl::FixedTimeZone(8 * 3600);
  return options;
}

// The moment and rules every query uses: 21:00 on the last day, china-2020.
const TracingParams& Params() {
  static const TracingParams* params = [] {
    const SyntheticCountyOptions o = CountyOptions();
    const int64_t at = absl::ToUnixSeconds(absl::FromCivil(
        absl::CivilHour(o.first_day + (o.days - 1)) + 21, o.time_zone));
    absl::StatusOr<v1::Policy> policy = PolicyPreset("china-2020");
    if (!policy.ok()) Die(policy.status(), "policy");
    return new TracingParams(MakeTracingParams(at, 8 * 3600, *policy));
  }();
  return *params;
}
int64_t TwoHopFrom() { return Params().at - 14 * 86400; }

struct LedgerEngine {
  std::unique_ptr<Ledger> ledger;
  SyntheticCountySummary summary;
  double load_seconds = 0;
  int64_t rss_bytes = 0;
  int64_t stats_bytes = 0;
};

struct SqliteEngine {
  std::unique_ptr<SqliteBaseline> db;
  SyntheticCountySummary summary;
  double load_seconds = 0;
  int64_t rss_bytes = 0;
  int64_t sqlite_bytes = 0;
};

LedgerEngine* g_ledger = nullptr;
SqliteEngine* g_sqlite = nullptr;

// Built once, never destroyed (the process ends with them).
LedgerEngine& LedgerSide() {
  if (g_ledger != nullptr) return *g_ledger;
  auto* e = new LedgerEngine;
  const SyntheticCountyOptions options = CountyOptions();
  const int64_t rss_before = ResidentBytes();
  LedgerOptions ledger_options;
  ledger_options.time_zone = options.time_zone;
  e->ledger = Ledger::New(ledger_options);
  Clock::duration spent{};
  absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
      options, [&](std::vector<v1::LedgerEvent>& batch) {
        const Clock::time_point start = Clock::now();
        absl::Status s = e->ledger->AppendBatch(batch).status();
        spent += Clock::now() - start;
        return s;
      });
  if (!summary.ok()) Die(summary.status(), "loading the ledger");
  e->summary = *summary;
  e->load_seconds = Seconds(spent);
  e->rss_bytes = ResidentBytes() - rss_before;
  e->stats_bytes = static_cast<int64_t>(e->ledger->Stats().memory_bytes);
  g_ledger = e;
  return *e;
}

SqliteEngine& SqliteSide() {
  if (g_sqlite != nullptr) return *g_sqlite;
  auto* e = new SqliteEngine;
  const int64_t rss_before = ResidentBytes();
  const int64_t sqlite_before = SqliteBaseline::MemoryUsed();
  Clock::time_point start = Clock::now();
  SqliteOptions sqlite_options;
  sqlite_options.covering_exposure_indexes = !g_plain_indexes;
  absl::StatusOr<std::unique_ptr<SqliteBaseline>> db =
      SqliteBaseline::Create(sqlite_options);
  if (!db.ok()) Die(db.status(), "opening SQLite");
  e->db = std::move(*db);
  if (absl::Status s = e->db->BeginLoad(); !s.ok()) Die(s, "BEGIN");
  Clock::duration spent = Clock::now() - start;
  absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
      CountyOptions(), [&](std::vector<v1::LedgerEvent>& batch) {
        const Clock::time_point t = Clock::now();
        absl::Status s = e->db->Load(batch);
        spent += Clock::now() - t;
        return s;
      });
  if (!summary.ok()) Die(summary.status(), "loading SQLite");
  start = Clock::now();
  if (absl::Status s = e->db->FinishLoad(); !s.ok()) Die(s, "indexing SQLite");
  spent += Clock::now() - start;
  e->summary = *summary;
  e->load_seconds = Seconds(spent);
  e->rss_bytes = ResidentBytes() - rss_before;
  e->sqlite_bytes = SqliteBaseline::MemoryUsed() - sqlite_before;
  if (g_explain) {
    absl::StatusOr<std::string> plans = e->db->ExplainQueryPlans();
    if (!plans.ok()) Die(plans.status(), "EXPLAIN QUERY PLAN");
    std::fprintf(stderr, "%s", plans->c_str());
  }
  g_sqlite = e;
  return *e;
}

double PerPerson(int64_t bytes) {
  return static_cast<double>(bytes) / static_cast<double>(g_persons);
}

// --- The answer check. ---

enum Query {
  kCloseContacts,
  kTwoHop,
  kRoster100,
  kVillageRollup,
  kOpenLoops,
  kQueries
};
constexpr const char* kQueryNames[kQueries] = {
    "CloseContacts", "TwoHop", "Roster100", "VillageRollup", "OpenLoops"};
bool g_checked = false;
int g_mismatches[kQueries] = {};
int g_total_mismatches = 0;

template <typename T>
void Compare(Query q, const std::string& what,
             const absl::StatusOr<std::vector<T>>& ledger,
             const absl::StatusOr<std::vector<T>>& sqlite) {
  if (!ledger.ok()) Die(ledger.status(), what.c_str());
  if (!sqlite.ok()) Die(sqlite.status(), what.c_str());
  const std::string diff = Diff(*ledger, *sqlite);
  if (diff.empty()) return;
  ++g_mismatches[q];
  ++g_total_mismatches;
  std::fprintf(stderr, "ANSWERS DIFFER: %s: %s\n", what.c_str(), diff.c_str());
}

// Compares every answer once both engines are loaded.
void CheckAnswers() {
  if (g_checked || g_ledger == nullptr || g_sqlite == nullptr) return;
  g_checked = true;
  const Clock::time_point start = Clock::now();
  const Ledger& ledger = *g_ledger->ledger;
  SqliteBaseline& db = *g_sqlite->db;
  const TracingParams& p = Params();
  for (const std::string& c : g_ledger->summary.case_ids) {
    Compare(kCloseContacts, absl::StrCat("CloseContacts(", c, ")"),
            LedgerCloseContacts(ledger, c, p), db.CloseContactsOf(c, p));
    Compare(kTwoHop, absl::StrCat("TwoHop(", c, ")"),
            LedgerTwoHop(ledger, c, TwoHopFrom(), p.at),
            db.TwoHop(c, TwoHopFrom(), p.at));
  }
  Compare(kRoster100, "Roster", LedgerRoster(ledger, p), db.Roster(p));
  Compare(kVillageRollup, "VillageRollup",
          LedgerVillageRollup(ledger, p, g_ledger->summary.county_id),
          db.VillageRollup(p));
  Compare(kOpenLoops, "OpenLoops", LedgerOpenLoops(ledger, p), db.OpenLoops(p));
  std::fprintf(stderr, "answer check (%zu cases, every query): %s, %.1f s\n",
               g_ledger->summary.case_ids.size(),
               g_total_mismatches == 0 ? "identical" : "DIFFERENT",
               Seconds(Clock::now() - start));
}

void SetCheckCounter(benchmark::State& state, Query q) {
  CheckAnswers();
  state.counters["mismatches"] = g_checked ? g_mismatches[q] : -1;
}

// --- Benchmarks. ---

void BM_BulkLoad_ContactLedger(benchmark::State& state) {
  LedgerEngine& e = LedgerSide();
  for (auto _ : state) state.SetIterationTime(e.load_seconds);
  state.counters["rss_bytes_per_person"] = PerPerson(e.rss_bytes);
  state.counters["stats_bytes_per_person"] = PerPerson(e.stats_bytes);
  state.counters["exposures"] = static_cast<double>(e.summary.exposures);
  state.counters["persons"] = static_cast<double>(e.summary.persons);
}

void BM_BulkLoad_SQLite(benchmark::State& state) {
  SqliteEngine& e = SqliteSide();
  for (auto _ : state) state.SetIterationTime(e.load_seconds);
  state.counters["rss_bytes_per_person"] = PerPerson(e.rss_bytes);
  state.counters["sqlite_bytes_per_person"] = PerPerson(e.sqlite_bytes);
  state.counters["exposures"] = static_cast<double>(e.summary.exposures);
  state.counters["persons"] = static_cast<double>(e.summary.persons);
}

// Asks `ask(case_id)` for the cases in turn and records the answers' mean
// size under `per_case`.
template <typename Engine, typename Ask>
void EachCase(benchmark::State& state, const Engine& e, Query q,
              const char* per_case, Ask ask) {
  SetCheckCounter(state, q);
  const std::vector<std::string>& cases = e.summary.case_ids;
  size_t i = 0;
  int64_t found = 0;
  for (auto _ : state) {
    auto out = ask(cases[i++ % cases.size()]);
    if (!out.ok()) Die(out.status(), kQueryNames[q]);
    found += static_cast<int64_t>(out->size());
  }
  state.counters[per_case] =
      static_cast<double>(found) / static_cast<double>(state.iterations());
  state.counters["rss_bytes_per_person"] = PerPerson(e.rss_bytes);
}

// Asks `ask()` again and again and records the answer's size under `rows`.
template <typename Engine, typename Ask>
void Whole(benchmark::State& state, const Engine& e, Query q, const char* rows,
           Ask ask) {
  SetCheckCounter(state, q);
  size_t size = 0;
  for (auto _ : state) {
    auto out = ask();
    if (!out.ok()) Die(out.status(), kQueryNames[q]);
    size = out->size();
  }
  state.counters[rows] = static_cast<double>(size);
  state.counters["rss_bytes_per_person"] = PerPerson(e.rss_bytes);
}

void BM_CloseContacts_ContactLedger(benchmark::State& state) {
  LedgerEngine& e = LedgerSide();
  EachCase(state, e, kCloseContacts, "contacts_per_case",
           [&](const std::string& c) {
             return LedgerCloseContacts(*e.ledger, c, Params());
           });
}

void BM_CloseContacts_SQLite(benchmark::State& state) {
  SqliteEngine& e = SqliteSide();
  EachCase(
      state, e, kCloseContacts, "contacts_per_case",
      [&](const std::string& c) { return e.db->CloseContactsOf(c, Params()); });
}

void BM_TwoHop_ContactLedger(benchmark::State& state) {
  LedgerEngine& e = LedgerSide();
  EachCase(state, e, kTwoHop, "persons_per_case", [&](const std::string& c) {
    return LedgerTwoHop(*e.ledger, c, TwoHopFrom(), Params().at);
  });
}

void BM_TwoHop_SQLite(benchmark::State& state) {
  SqliteEngine& e = SqliteSide();
  EachCase(state, e, kTwoHop, "persons_per_case", [&](const std::string& c) {
    return e.db->TwoHop(c, TwoHopFrom(), Params().at);
  });
}

void BM_Roster100_ContactLedger(benchmark::State& state) {
  LedgerEngine& e = LedgerSide();
  Whole(state, e, kRoster100, "roster",
        [&] { return LedgerRoster(*e.ledger, Params()); });
}

void BM_Roster100_SQLite(benchmark::State& state) {
  SqliteEngine& e = SqliteSide();
  Whole(state, e, kRoster100, "roster", [&] { return e.db->Roster(Params()); });
}

void BM_VillageRollup_ContactLedger(benchmark::State& state) {
  LedgerEngine& e = LedgerSide();
  Whole(state, e, kVillageRollup, "villages", [&] {
    return LedgerVillageRollup(*e.ledger, Params(), e.summary.county_id);
  });
}

void BM_VillageRollup_SQLite(benchmark::State& state) {
  SqliteEngine& e = SqliteSide();
  Whole(state, e, kVillageRollup, "villages",
        [&] { return e.db->VillageRollup(Params()); });
}

void BM_OpenLoops_ContactLedger(benchmark::State& state) {
  LedgerEngine& e = LedgerSide();
  Whole(state, e, kOpenLoops, "loops",
        [&] { return LedgerOpenLoops(*e.ledger, Params()); });
}

void BM_OpenLoops_SQLite(benchmark::State& state) {
  SqliteEngine& e = SqliteSide();
  Whole(state, e, kOpenLoops, "loops",
        [&] { return e.db->OpenLoops(Params()); });
}

// --- The summary table. ---

// SQLite/ContactLedger per query, of real time (the benchmark's measure) and
// of CPU time (which a busy machine disturbs less), against the targets of
// issue 5, and the memory of both engines.
class RatioTable {
 public:
  // Keeps the mean times of the runs that measured something.
  void Add(const std::vector<benchmark::BenchmarkReporter::Run>& runs) {
    for (const benchmark::BenchmarkReporter::Run& run : runs) {
      if (run.run_type != benchmark::BenchmarkReporter::Run::RT_Iteration ||
          run.error_occurred || run.iterations == 0) {
        continue;
      }
      const double n = static_cast<double>(run.iterations);
      times_[run.run_name.function_name] = {run.real_accumulated_time / n,
                                            run.cpu_accumulated_time / n};
    }
  }

  void Print(FILE* out) const {
    struct Target {
      const char* query;
      double ratio;
    };
    static constexpr Target kTargets[] = {
        {"CloseContacts", 20},  {"TwoHop", 20},    {"Roster100", 20},
        {"VillageRollup", 100}, {"OpenLoops", 10}, {"BulkLoad", 5}};
    std::fprintf(out, "\n%-14s %14s %14s %10s %10s %7s\n", "query",
                 "ContactLedger", "SQLite", "SQLite/CL", "(CPU)", "target");
    for (const Target& t : kTargets) {
      auto l = times_.find(absl::StrCat("BM_", t.query, "_ContactLedger"));
      auto s = times_.find(absl::StrCat("BM_", t.query, "_SQLite"));
      std::fprintf(out, "%-14s %14s %14s", t.query,
                   l == times_.end() ? "-" : Format(l->second.real).c_str(),
                   s == times_.end() ? "-" : Format(s->second.real).c_str());
      if (l != times_.end() && s != times_.end() && l->second.real > 0) {
        const double ratio = s->second.real / l->second.real;
        std::fprintf(out, " %9.1fx", ratio);
        if (t.query != std::string("BulkLoad") && l->second.cpu > 0) {
          std::fprintf(out, " %9.1fx", s->second.cpu / l->second.cpu);
        } else {
          std::fprintf(out, " %10s", "");
        }
        std::fprintf(out, " %6.0fx %s\n", t.ratio,
                     ratio >= t.ratio ? "met" : "MISSED");
      } else {
        std::fprintf(out, "\n");
      }
    }
    if (g_ledger != nullptr && g_sqlite != nullptr) {
      const double l = PerPerson(g_ledger->rss_bytes);
      const double s = PerPerson(g_sqlite->rss_bytes);
      std::fprintf(
          out,
          "%-14s %12.0f B %12.0f B %9.2fx %10s %7s %s  (CL/SQLite resident "
          "bytes per person; sqlite3_memory_used %.0f B)\n",
          "memory", l, s, l / s, "", "<=0.5x", l <= 0.5 * s ? "met" : "MISSED",
          PerPerson(g_sqlite->sqlite_bytes));
    }
    std::fflush(out);
  }

 private:
  struct Times {
    double real;
    double cpu;
  };
  static std::string Format(double seconds) {
    if (seconds >= 1) return absl::StrFormat("%.2f s", seconds);
    if (seconds >= 1e-3) return absl::StrFormat("%.3f ms", seconds * 1e3);
    return absl::StrFormat("%.2f us", seconds * 1e6);
  }
  std::map<std::string, Times> times_;
};

// The value --benchmark_format will have once benchmark::Initialize has
// read argv: as Google Benchmark reads it, the last --benchmark_format=X,
// else the environment's BENCHMARK_FORMAT, else "console". (Initialize
// itself refuses a value other than console, json or csv.)
std::string BenchmarkFormat(int argc, char** argv) {
  const char* env = std::getenv("BENCHMARK_FORMAT");
  std::string format = env != nullptr ? env : "console";
  constexpr absl::string_view kFlag = "--benchmark_format=";
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (absl::StartsWith(arg, kFlag)) {
      format = std::string(arg.substr(kFlag.size()));
    }
  }
  return format;
}

// Google Benchmark's display reporter for `format`: the console table
// (counters as columns, in colour on a terminal), JSON or CSV, on stdout.
std::unique_ptr<benchmark::BenchmarkReporter> DisplayReporter(
    const std::string& format) {
  if (format == "json") return std::make_unique<benchmark::JSONReporter>();
  if (format == "csv") {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    return std::make_unique<benchmark::CSVReporter>();
#pragma GCC diagnostic pop
  }
  return std::make_unique<benchmark::ConsoleReporter>(
      isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_ColorTabular
                            : benchmark::ConsoleReporter::OO_Tabular);
}

// Passes every report on to the display reporter of --benchmark_format and
// keeps the times for the ratio table, which it prints at the end: after
// the console table on stdout, or on stderr when stdout holds JSON or CSV
// (so that a script can read stdout as it is). --benchmark_out is Google
// Benchmark's own file reporter and sees the same runs.
class RatioReporter : public benchmark::BenchmarkReporter {
 public:
  explicit RatioReporter(const std::string& format)
      : display_(DisplayReporter(format)),
        table_out_(format == "console" ? stdout : stderr) {}

  bool ReportContext(const Context& context) override {
    return display_->ReportContext(context);
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    display_->ReportRuns(runs);
    table_.Add(runs);
  }

  void Finalize() override {
    display_->Finalize();
    std::fflush(stdout);  // the display's last lines before the table
    table_.Print(table_out_);
  }

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> display_;
  FILE* table_out_;
  RatioTable table_;
};

// Takes this program's flags out of argv. Returns false on a bad value.
bool ParseFlags(int* argc, char** argv) {
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    const char* arg = argv[i];
    auto number = [&](const char* prefix, int64_t min, int64_t* value) {
      const size_t n = std::strlen(prefix);
      if (std::strncmp(arg, prefix, n) != 0) return 0;
      char* end = nullptr;
      const long long v = std::strtoll(arg + n, &end, 10);
      if (end == arg + n || *end != '\0' || v < min) return -1;
      *value = v;
      return 1;
    };
    int64_t value = 0;
    int r = number("--persons=", 100, &value);
    if (r == 1) {
      g_persons = value;
      continue;
    }
    if (r == 0 && (r = number("--cases=", 1, &value)) == 1) {
      g_cases = static_cast<int>(value);
      continue;
    }
    if (r == -1) {
      std::fprintf(stderr, "ledger_vs_sqlite: bad flag %s\n", arg);
      return false;
    }
    if (std::strcmp(arg, "--sqlite_plain_indexes") == 0) {
      g_plain_indexes = true;
      continue;
    }
    if (std::strcmp(arg, "--sqlite_explain") == 0) {
      g_explain = true;
      continue;
    }
    argv[out++] = argv[i];
  }
  *argc = out;
  argv[out] = nullptr;
  return true;
}

}  // namespace
}  // namespace bench
}  // namespace contactledger

int main(int argc, char** argv) {
  namespace b = contactledger::bench;
  if (!b::ParseFlags(&argc, argv)) return 2;
  benchmark::RegisterBenchmark("BM_BulkLoad_ContactLedger",
                               b::BM_BulkLoad_ContactLedger)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  benchmark::RegisterBenchmark("BM_BulkLoad_SQLite", b::BM_BulkLoad_SQLite)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  using Fn = void (*)(benchmark::State&);
  const std::pair<const char*, Fn> queries[] = {
      {"BM_CloseContacts_ContactLedger", b::BM_CloseContacts_ContactLedger},
      {"BM_CloseContacts_SQLite", b::BM_CloseContacts_SQLite},
      {"BM_TwoHop_ContactLedger", b::BM_TwoHop_ContactLedger},
      {"BM_TwoHop_SQLite", b::BM_TwoHop_SQLite},
      {"BM_Roster100_ContactLedger", b::BM_Roster100_ContactLedger},
      {"BM_Roster100_SQLite", b::BM_Roster100_SQLite},
      {"BM_VillageRollup_ContactLedger", b::BM_VillageRollup_ContactLedger},
      {"BM_VillageRollup_SQLite", b::BM_VillageRollup_SQLite},
      {"BM_OpenLoops_ContactLedger", b::BM_OpenLoops_ContactLedger},
      {"BM_OpenLoops_SQLite", b::BM_OpenLoops_SQLite},
  };
  for (const auto& [name, fn] : queries) {
    benchmark::RegisterBenchmark(name, fn)->Unit(benchmark::kMicrosecond);
  }
  const std::string format = b::BenchmarkFormat(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  b::RatioReporter reporter(format);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  b::CheckAnswers();  // when the filter ran both engines but no query
  benchmark::Shutdown();
  if (b::g_ledger == nullptr || b::g_sqlite == nullptr) {
    std::fprintf(stderr, "answer check skipped: only one engine was loaded\n");
  }
  return b::g_total_mismatches == 0 ? 0 : 1;
}
