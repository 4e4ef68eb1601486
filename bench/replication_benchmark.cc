// Copyright 2026 The ContactLedger Authors.
//
// replication_benchmark: a county ledger replicated on NATS JetStream
// (issue 16, item 6), each figure beside its baseline measured in the same
// run, on a cluster the caller starts:
//
//   bash scripts/nats_cluster.sh start /tmp/bench-nats
//   export CONTACTLEDGER_NATS_URLS=$(cat /tmp/bench-nats/urls)
//   build/bench/replication_benchmark [--persons=N] [--lag_seconds=S]
//   bash scripts/nats_cluster.sh stop /tmp/bench-nats
//
// Without CONTACTLEDGER_NATS_URLS it says so and exits with status 2.
//
// Once, before the benchmarks: a synthetic county of --persons persons
// (default 200,000; GenerateSyntheticCounty, UTC+8, batches of 1,000, no
// sync) is appended to a durable ledger in a new directory under /tmp (or
// --dir) with a ledger id unique to the run ("bench-<pid>-<unix time>"),
// which stays open as the county's writer. No snapshot is ever written, so
// opening the directory replays its log.
//
// Benchmarks, in this order (each Iterations(1) unless said otherwise):
//   BM_LocalLogRead        baseline: reading the directory's logged batches
//                          (internal LoggedBatches, what the Shipper reads),
//                          events/s.
//   BM_Ship                Shipper::Create + Ship() of the whole county to
//                          a new stream (default max_message_bytes),
//                          events/s of Ship(); ship_over_log_read, and
//                          exposures_per_second against the target
//                          of 200,000.
//   BM_ShipWhileAppending  a writer thread appends batches of 1,000
//                          exposures as fast as it can for --append_seconds
//                          (default 3) while Ship() loops: shipped_per_second
//                          = events shipped / time from the first append
//                          until the stream held the last one, beside the
//                          appended events/s, and drain_s, the time from
//                          the writer's last append until the stream held
//                          it. First it times Shipper::Create resuming on
//                          the stream BM_Ship filled (resume_create_s: it
//                          checks the log's hash chain up to the stream's
//                          head); that shipper serves the later benchmarks.
//   BM_LocalReplay         baseline: Ledger::OpenReadOnly of the writer's
//                          directory (no snapshot: the log is replayed),
//                          events/s.
//   BM_FollowerApply       a fresh in-memory Follower Polls until it holds
//                          every shipped event, events/s;
//                          follower_over_local_replay (the target is
//                          >= 0.8).
//   BM_LagAtDrillRate      the writer appends one batch of 1,000 exposures
//                          every 100 ms (10,000 events/s) for
//                          --lag_seconds (default 10); a shipper thread
//                          ships in a loop, the follower of BM_FollowerApply
//                          Polls in a loop on another; lag per batch = wall
//                          time from its append returning to the follower
//                          having applied it: lag_mean_s, lag_p99_s,
//                          lag_max_s (target < 1 s), and the largest
//                          FollowerLag::behind seen (sampled every 0.5 s).
//   BM_Query_<Q>/<writer|follower>/round:<r>
//                          the queries of ledger_vs_sqlite through the
//                          public API, at 21:00 on the county's last day
//                          with china-2020, on the writer's ledger and on
//                          the follower's replica (caught up, the same
//                          events): Roster (Tracer::Create + Roster()),
//                          OpenLoops (Tracer::Create + OpenLoops()),
//                          VillageRollup (Tracer::Create + AreaRollup of
//                          every township), TwoHopAllCases (Contacts, 2
//                          hops, the 14 days before, of every case one
//                          after another). Before the follower's run both
//                          answer once; answers_agree says whether the
//                          answers have the same size (the program ends
//                          with status 1 when not). The follower's run
//                          reports follower_over_writer (wall time per
//                          query; the target is <= 1.2) and
//                          follower_over_writer_cpu (the benchmark thread's
//                          CPU time per query, less disturbed by other
//                          processes on a busy machine), each against the
//                          writer's run just before. The pairs
//                          run in --query_rounds rounds (default 3), one
//                          after another, so that a burst of load elsewhere
//                          hits one round; the table gives medians.
//
// At the end a table gives every figure beside its baseline and target.
// The stream is deleted at the end (js_DeleteStream), and the directory
// removed unless --dir was given. Flags: --persons=N, --cases=N (default
// 100), --append_seconds=S, --lag_seconds=S, --query_rounds=N, --dir=PATH,
// then the usual --benchmark_* flags (filtering out a baseline leaves its
// ratio at 0).

#include <nats/nats.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/replication.h"
#include "contactledger/synthetic.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "lib/core/logged_batches.h"

namespace contactledger {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the calling thread, in seconds.
double ThreadCpuSeconds() {
  timespec t;
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

// Flags.
int64_t g_persons = 200000;
int g_cases = 100;
double g_append_seconds = 3;
double g_lag_seconds = 10;
int g_query_rounds = 3;
std::string g_dir;
bool g_remove_dir = false;
std::vector<std::string> g_servers;

[[noreturn]] void Die(const absl::Status& status, absl::string_view what) {
  std::fprintf(stderr, "replication_benchmark: %s: %s\n",
               std::string(what).c_str(), status.ToString().c_str());
  std::exit(1);
}

// ---------------------------------------------------------------------------
// The county, its writer, and what the benchmarks measured (for the ratios
// and the table at the end).

struct Figures {
  double log_read_eps = 0;
  double ship_eps = 0;
  double ship_exposures_eps = 0;
  double ship_while_appending_eps = 0;
  double appended_eps = 0;
  double drain_s = 0;
  double replay_eps = 0;
  double follower_eps = 0;
  double lag_mean_s = 0;
  double lag_p99_s = 0;
  double lag_max_s = 0;
  double behind_max_s = 0;
  int64_t lag_batches = 0;
  // Seconds per query: wall and CPU time, on the writer and the follower.
  // Round -> seconds. Google Benchmark calls a benchmark function several
  // times (to size its iteration count); the last call's is the reported
  // one, and the one kept.
  struct QueryTimes {
    std::map<int, double> writer;
    std::map<int, double> follower;
    std::map<int, double> writer_cpu;
    std::map<int, double> follower_cpu;
  };
  std::map<std::string, QueryTimes> queries;
};

struct County {
  std::string dir;
  std::string ledger_id;
  std::unique_ptr<Ledger> writer;
  SyntheticCountySummary summary;
  int64_t at = 0;  // the query moment, Unix seconds
  // The shipper the benchmarks after BM_ShipWhileAppending share (a new one
  // checks the hash chain of the whole log against the stream).
  std::unique_ptr<Shipper> shipper;
  std::unique_ptr<Follower> follower;
  double load_s = 0;
  Figures figures;
};
County* g_county = nullptr;
bool g_answers_differ = false;

NatsOptions Nats() {
  NatsOptions nats;
  nats.servers = g_servers;
  return nats;
}

void LoadCounty() {
  auto county = std::make_unique<County>();
  county->ledger_id =
      absl::StrCat("bench-", ::getpid(), "-", absl::ToUnixSeconds(absl::Now()));
  county->dir = absl::StrCat(g_dir, "/", county->ledger_id);
  LedgerOptions options;
  options.ledger_id = county->ledger_id;
  options.time_zone = absl::FixedTimeZone(8 * 3600);
  absl::StatusOr<std::unique_ptr<Ledger>> writer =
      Ledger::Open(options, county->dir);
  if (!writer.ok()) Die(writer.status(), "opening the writer's ledger");
  county->writer = std::move(*writer);

  SyntheticCountyOptions synthetic;
  synthetic.persons = g_persons;
  synthetic.cases = g_cases;
  synthetic.time_zone = absl::FixedTimeZone(8 * 3600);
  const Clock::time_point start = Clock::now();
  Ledger* ledger = county->writer.get();
  absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
      synthetic, [ledger](std::vector<v1::LedgerEvent>& batch) {
        return ledger->AppendBatch(batch).status();
      });
  if (!summary.ok()) Die(summary.status(), "generating the county");
  county->load_s = SecondsSince(start);
  county->summary = std::move(*summary);
  county->at = absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilHour(synthetic.first_day + (synthetic.days - 1)) + 21,
      synthetic.time_zone));
  std::fprintf(
      stderr,
      "county: %lld persons, %lld exposures, %llu events in %s "
      "(ledger id %s), loaded in %.1f s\n",
      static_cast<long long>(county->summary.persons),
      static_cast<long long>(county->summary.exposures),
      static_cast<unsigned long long>(county->writer->last_sequence_number()),
      county->dir.c_str(), county->ledger_id.c_str(), county->load_s);
  g_county = county.release();
}

// A batch of `n` exposures among the county's persons, in its last days.
std::vector<v1::LedgerEvent> ExposureBatch(size_t n, uint64_t* k) {
  std::vector<v1::LedgerEvent> batch(n);
  const int64_t persons = std::max<int64_t>(2, g_county->summary.persons);
  for (v1::LedgerEvent& event : batch) {
    const uint64_t i = (*k)++;
    const int64_t a = static_cast<int64_t>((i * 7919) % persons);
    const int64_t b = (a + 1 + static_cast<int64_t>(i % 97)) % persons;
    v1::Exposure* exposure = event.mutable_exposure();
    exposure->set_person_a(SyntheticPersonId(a));
    exposure->set_person_b(SyntheticPersonId(a == b ? (b + 1) % persons : b));
    const int64_t start =
        g_county->at - 3 * 86400 + static_cast<int64_t>(i % (2 * 86400));
    exposure->mutable_start()->set_seconds(start);
    exposure->mutable_end()->set_seconds(start + 1200);
    exposure->set_setting(v1::EXPOSURE_SETTING_WORK);
  }
  return batch;
}

std::unique_ptr<Shipper> NewShipper() {
  ShipOptions options;
  options.nats = Nats();
  absl::StatusOr<std::unique_ptr<Shipper>> shipper =
      Shipper::Create(g_county->dir, options);
  if (!shipper.ok()) Die(shipper.status(), "Shipper::Create");
  return std::move(*shipper);
}

// The shared shipper, made when missing.
Shipper* SharedShipper() {
  if (g_county->shipper == nullptr) g_county->shipper = NewShipper();
  return g_county->shipper.get();
}

// Ships until the stream holds the writer's last event.
void ShipAll(Shipper* shipper) {
  const uint64_t last = g_county->writer->last_sequence_number();
  while (shipper->head().last_event < last) {
    absl::StatusOr<ShipReport> report = shipper->Ship();
    if (!report.ok()) Die(report.status(), "Ship");
  }
}

// Polls the follower until it holds event `last`.
void FollowTo(Follower* follower, uint64_t last) {
  while (follower->ledger().last_sequence_number() < last) {
    absl::StatusOr<uint64_t> applied = follower->Poll(absl::Seconds(1));
    if (!applied.ok()) Die(applied.status(), "Follower::Poll");
  }
}

// ---------------------------------------------------------------------------
// 1. Shipping.

void BM_LocalLogRead(benchmark::State& state) {
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    internal::LoggedBatches batches(Env::Default(), g_county->dir, 1);
    internal::LoggedBatch batch;
    uint64_t events = 0;
    uint64_t bytes = 0;
    while (true) {
      absl::StatusOr<bool> more = batches.Next(&batch);
      if (!more.ok()) Die(more.status(), "LoggedBatches::Next");
      if (!*more) break;
      events += batch.last - batch.first + 1;
      bytes += batch.bytes.size();
    }
    const double s = SecondsSince(start);
    state.SetIterationTime(s);
    g_county->figures.log_read_eps = events / s;
    state.counters["events"] = static_cast<double>(events);
    state.counters["log_bytes"] = static_cast<double>(bytes);
    state.counters["events_per_second"] = events / s;
  }
}

void BM_Ship(benchmark::State& state) {
  for (auto _ : state) {
    const Clock::time_point create_start = Clock::now();
    std::unique_ptr<Shipper> shipper = NewShipper();
    const double create_s = SecondsSince(create_start);
    const Clock::time_point start = Clock::now();
    absl::StatusOr<ShipReport> report = shipper->Ship();
    const double s = SecondsSince(start);
    if (!report.ok()) Die(report.status(), "Ship");
    state.SetIterationTime(s);
    Figures& f = g_county->figures;
    f.ship_eps = report->events / s;
    // The exposures of the county, shipped at the same rate as the rest.
    f.ship_exposures_eps = g_county->summary.exposures / s;
    state.counters["create_s"] = create_s;
    state.counters["events"] = static_cast<double>(report->events);
    state.counters["messages"] = static_cast<double>(report->messages);
    state.counters["batches"] = static_cast<double>(report->batches);
    state.counters["events_per_second"] = f.ship_eps;
    state.counters["exposures_per_second"] = f.ship_exposures_eps;
    if (f.log_read_eps > 0) {
      state.counters["ship_over_log_read"] = f.ship_eps / f.log_read_eps;
    }
  }
}

void BM_ShipWhileAppending(benchmark::State& state) {
  for (auto _ : state) {
    // A shipper resuming on the stream BM_Ship filled (as after a restart).
    const Clock::time_point create_start = Clock::now();
    g_county->shipper = NewShipper();
    state.counters["resume_create_s"] = SecondsSince(create_start);
    Shipper* shipper = g_county->shipper.get();
    ShipAll(shipper);  // whatever an earlier run left unshipped
    const uint64_t before = shipper->head().last_event;
    std::atomic<bool> writing{true};
    std::atomic<uint64_t> appended{0};
    Clock::time_point last_append;
    const Clock::time_point start = Clock::now();
    std::thread writer([&] {
      uint64_t k = 1;
      while (SecondsSince(start) < g_append_seconds) {
        std::vector<v1::LedgerEvent> batch = ExposureBatch(1000, &k);
        absl::StatusOr<std::vector<uint64_t>> sequences =
            g_county->writer->AppendBatch(batch);
        if (!sequences.ok()) Die(sequences.status(), "AppendBatch");
        appended.fetch_add(batch.size());
      }
      last_append = Clock::now();
      writing.store(false);
    });
    while (writing.load()) {
      absl::StatusOr<ShipReport> report = shipper->Ship();
      if (!report.ok()) Die(report.status(), "Ship");
      if (report->events == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
    writer.join();
    const double window_s =
        std::chrono::duration<double>(last_append - start).count();
    ShipAll(shipper);
    const double drain_s = SecondsSince(last_append);
    const double total_s = SecondsSince(start);
    state.SetIterationTime(total_s);
    Figures& f = g_county->figures;
    const uint64_t shipped = shipper->head().last_event - before;
    f.appended_eps = appended.load() / window_s;
    f.ship_while_appending_eps = shipped / total_s;
    f.drain_s = drain_s;
    state.counters["appended"] = static_cast<double>(appended.load());
    state.counters["appended_per_second"] = f.appended_eps;
    state.counters["shipped_per_second"] = f.ship_while_appending_eps;
    state.counters["drain_s"] = drain_s;
  }
}

// ---------------------------------------------------------------------------
// 2. Following.

void BM_LocalReplay(benchmark::State& state) {
  for (auto _ : state) {
    LedgerOptions options;
    const Clock::time_point start = Clock::now();
    absl::StatusOr<std::unique_ptr<Ledger>> reader =
        Ledger::OpenReadOnly(options, g_county->dir);
    const double s = SecondsSince(start);
    if (!reader.ok()) Die(reader.status(), "OpenReadOnly");
    state.SetIterationTime(s);
    const RecoveryReport& report = (*reader)->recovery_report();
    if (!report.snapshot_file.empty()) {
      state.SkipWithError("the directory has a snapshot: nothing to replay");
      break;
    }
    const double events =
        static_cast<double>((*reader)->last_sequence_number());
    g_county->figures.replay_eps = events / s;
    state.counters["events"] = events;
    state.counters["replayed_events"] =
        static_cast<double>(report.replayed_events);
    state.counters["events_per_second"] = events / s;
  }
}

void BM_FollowerApply(benchmark::State& state) {
  for (auto _ : state) {
    Shipper* shipper = SharedShipper();
    ShipAll(shipper);
    const uint64_t last = shipper->head().last_event;
    FollowOptions options;
    options.nats = Nats();
    const Clock::time_point start = Clock::now();
    absl::StatusOr<std::unique_ptr<Follower>> follower =
        Follower::Open(g_county->ledger_id, "", options);
    if (!follower.ok()) Die(follower.status(), "Follower::Open");
    FollowTo(follower->get(), last);
    const double s = SecondsSince(start);
    state.SetIterationTime(s);
    Figures& f = g_county->figures;
    f.follower_eps = last / s;
    state.counters["events"] = static_cast<double>(last);
    state.counters["events_per_second"] = f.follower_eps;
    if (f.replay_eps > 0) {
      state.counters["follower_over_local_replay"] =
          f.follower_eps / f.replay_eps;
    }
    g_county->follower = std::move(*follower);
  }
}

// ---------------------------------------------------------------------------
// 3. Lag at the drill's rate.

void BM_LagAtDrillRate(benchmark::State& state) {
  for (auto _ : state) {
    if (g_county->follower == nullptr) {
      state.SkipWithError("needs BM_FollowerApply's follower");
      break;
    }
    Follower* follower = g_county->follower.get();
    Shipper* shipper = SharedShipper();
    ShipAll(shipper);
    FollowTo(follower, shipper->head().last_event);

    std::mutex mu;
    std::deque<std::pair<uint64_t, Clock::time_point>> pending;  // last seq
    std::vector<double> lags;
    double behind_max_s = 0;
    std::atomic<bool> writing{true};
    std::atomic<bool> stop{false};
    const Clock::time_point start = Clock::now();

    std::thread writer([&] {
      uint64_t k = 1000000007;
      Clock::time_point next = start;
      while (SecondsSince(start) < g_lag_seconds) {
        std::this_thread::sleep_until(next);
        next += std::chrono::milliseconds(100);
        std::vector<v1::LedgerEvent> batch = ExposureBatch(1000, &k);
        absl::StatusOr<std::vector<uint64_t>> sequences =
            g_county->writer->AppendBatch(batch);
        if (!sequences.ok()) Die(sequences.status(), "AppendBatch");
        std::lock_guard<std::mutex> lock(mu);
        pending.emplace_back(sequences->back(), Clock::now());
      }
      writing.store(false);
    });
    std::thread shipping([&] {
      while (!stop.load()) {
        absl::StatusOr<ShipReport> report = shipper->Ship();
        if (!report.ok()) Die(report.status(), "Ship");
        if (report->events == 0) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
    });
    Clock::time_point last_sample = start;
    while (true) {
      absl::StatusOr<uint64_t> applied = follower->Poll(absl::Milliseconds(50));
      if (!applied.ok()) Die(applied.status(), "Follower::Poll");
      const Clock::time_point now = Clock::now();
      bool done;
      {
        std::lock_guard<std::mutex> lock(mu);
        while (!pending.empty() && pending.front().first <= *applied) {
          lags.push_back(
              std::chrono::duration<double>(now - pending.front().second)
                  .count());
          pending.pop_front();
        }
        done = !writing.load() && pending.empty();
      }
      if (done) break;
      if (now - last_sample >= std::chrono::milliseconds(500)) {
        last_sample = now;
        absl::StatusOr<FollowerLag> lag = follower->Lag();
        if (!lag.ok()) Die(lag.status(), "Follower::Lag");
        behind_max_s =
            std::max(behind_max_s, absl::ToDoubleSeconds(lag->behind));
      }
    }
    stop.store(true);
    writer.join();
    shipping.join();
    state.SetIterationTime(SecondsSince(start));

    Figures& f = g_county->figures;
    std::sort(lags.begin(), lags.end());
    double sum = 0;
    for (double lag : lags) sum += lag;
    f.lag_batches = static_cast<int64_t>(lags.size());
    if (!lags.empty()) {
      f.lag_mean_s = sum / lags.size();
      f.lag_p99_s = lags[std::min(lags.size() - 1, lags.size() * 99 / 100)];
      f.lag_max_s = lags.back();
    }
    f.behind_max_s = behind_max_s;
    state.counters["batches"] = static_cast<double>(f.lag_batches);
    state.counters["lag_mean_s"] = f.lag_mean_s;
    state.counters["lag_p99_s"] = f.lag_p99_s;
    state.counters["lag_max_s"] = f.lag_max_s;
    state.counters["behind_max_s"] = f.behind_max_s;
  }
}

// ---------------------------------------------------------------------------
// 4. Queries, writer and follower.

absl::StatusOr<std::unique_ptr<Tracer>> MakeTracer(const Ledger& ledger) {
  QueryOptions options;
  options.at = absl::FromUnixSeconds(g_county->at);
  absl::StatusOr<v1::Policy> policy = PolicyPreset("china-2020");
  if (!policy.ok()) return policy.status();
  options.policy = *policy;
  return Tracer::Create(ledger, options);
}

// Runs one query; returns the size of its answer.
using Query = std::function<size_t(const Ledger&, int64_t iteration)>;

size_t Roster(const Ledger& ledger, int64_t) {
  absl::StatusOr<std::unique_ptr<Tracer>> tracer = MakeTracer(ledger);
  if (!tracer.ok()) Die(tracer.status(), "Tracer::Create");
  return (*tracer)->Roster().size();
}

size_t OpenLoops(const Ledger& ledger, int64_t) {
  absl::StatusOr<std::unique_ptr<Tracer>> tracer = MakeTracer(ledger);
  if (!tracer.ok()) Die(tracer.status(), "Tracer::Create");
  return (*tracer)->OpenLoops().size();
}

size_t VillageRollup(const Ledger& ledger, int64_t) {
  absl::StatusOr<std::unique_ptr<Tracer>> tracer = MakeTracer(ledger);
  if (!tracer.ok()) Die(tracer.status(), "Tracer::Create");
  size_t rows = 0;
  for (const std::string& township : g_county->summary.township_ids) {
    absl::StatusOr<std::vector<AreaRollupRow>> rollup =
        (*tracer)->AreaRollup(township);
    if (!rollup.ok()) Die(rollup.status(), "AreaRollup");
    rows += rollup->size();
  }
  return rows;
}

// Contacts of every case in turn (so that the writer and the follower do
// the same work whatever their iteration counts): the time per query is
// that of all the cases together.
size_t TwoHopAllCases(const Ledger& ledger, int64_t) {
  size_t found = 0;
  for (const std::string& case_id : g_county->summary.case_ids) {
    absl::StatusOr<std::vector<ContactAtDistance>> contacts = Contacts(
        ledger, case_id, 2, absl::FromUnixSeconds(g_county->at - 14 * 86400),
        absl::FromUnixSeconds(g_county->at));
    if (!contacts.ok()) Die(contacts.status(), "Contacts");
    found += contacts->size();
  }
  return found;
}

void RunQuery(benchmark::State& state, const char* name, Query query,
              bool on_follower, int round) {
  if (on_follower && g_county->follower == nullptr) {
    state.SkipWithError("needs BM_FollowerApply's follower");
    return;
  }
  if (on_follower) {
    // The same events as the writer's, and the same answer's size.
    Shipper* shipper = SharedShipper();
    ShipAll(shipper);
    FollowTo(g_county->follower.get(), shipper->head().last_event);
    const size_t writer_answer = query(*g_county->writer, 0);
    const size_t follower_answer = query(g_county->follower->ledger(), 0);
    if (writer_answer != follower_answer) {
      std::fprintf(stderr,
                   "%s: the writer's answer has %zu rows, the "
                   "follower's %zu\n",
                   name, writer_answer, follower_answer);
      g_answers_differ = true;
    }
    state.counters["answers_agree"] = writer_answer == follower_answer;
  }
  const Ledger& ledger =
      on_follower ? g_county->follower->ledger() : *g_county->writer;
  int64_t iteration = 0;
  size_t answer = 0;
  const Clock::time_point start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  for (auto _ : state) {
    answer = query(ledger, iteration++);
    benchmark::DoNotOptimize(answer);
  }
  const double n = static_cast<double>(std::max<int64_t>(1, iteration));
  const double per_query = SecondsSince(start) / n;
  const double cpu_per_query = (ThreadCpuSeconds() - cpu_start) / n;
  state.counters["answer_size"] = static_cast<double>(answer);
  Figures::QueryTimes& times = g_county->figures.queries[name];
  if (on_follower) {
    times.follower[round] = per_query;
    times.follower_cpu[round] = cpu_per_query;
    // Against the writer's run just before (the same round).
    if (times.writer[round] > 0 && times.writer_cpu[round] > 0) {
      state.counters["follower_over_writer"] = per_query / times.writer[round];
      state.counters["follower_over_writer_cpu"] =
          cpu_per_query / times.writer_cpu[round];
    }
  } else {
    times.writer[round] = per_query;
    times.writer_cpu[round] = cpu_per_query;
  }
}

// ---------------------------------------------------------------------------
// The table, and the stream's removal.

double Median(const std::map<int, double>& by_round) {
  std::vector<double> values;
  for (const auto& [round, value] : by_round) values.push_back(value);
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

void PrintTable(std::FILE* out) {
  const Figures& f = g_county->figures;
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  absl::FPrintF(
      out,
      "\nReplication on NATS JetStream: %lld persons, %llu events "
      "at the end, ledger id %s\n",
      static_cast<long long>(g_county->summary.persons),
      static_cast<unsigned long long>(g_county->writer->last_sequence_number()),
      g_county->ledger_id);
  absl::FPrintF(out, "%-34s %14s %14s %8s  %s\n", "figure", "measured",
                "baseline", "ratio", "target");
  absl::FPrintF(out, "%-34s %14.0f %14.0f %8.2f  %s\n",
                "ship, events/s (vs log read)", f.ship_eps, f.log_read_eps,
                ratio(f.ship_eps, f.log_read_eps), "");
  absl::FPrintF(out, "%-34s %14.0f %14.0f %8.2f  %s\n",
                "ship, exposures/s (vs target)", f.ship_exposures_eps, 200000.0,
                ratio(f.ship_exposures_eps, 200000), ">= 200,000/s");
  absl::FPrintF(out, "%-34s %14.0f %14.0f %8.2f  %s\n",
                "ship while appending, events/s", f.ship_while_appending_eps,
                f.appended_eps,
                ratio(f.ship_while_appending_eps, f.appended_eps),
                "baseline: appended/s");
  absl::FPrintF(out, "%-34s %14.0f %14.0f %8.2f  %s\n",
                "follower apply, events/s", f.follower_eps, f.replay_eps,
                ratio(f.follower_eps, f.replay_eps), ">= 0.8 of local replay");
  absl::FPrintF(out,
                "%-34s mean %.3f s, p99 %.3f s, max %.3f s over %lld "
                "batches; max FollowerLag.behind %.3f s  (target < 1 s)\n",
                "lag at 1,000 events / 100 ms", f.lag_mean_s, f.lag_p99_s,
                f.lag_max_s, static_cast<long long>(f.lag_batches),
                f.behind_max_s);
  absl::FPrintF(out, "%-34s %14s %14s %8s %8s  %s\n",
                "query (median of rounds)", "follower", "writer", "f/w",
                "f/w cpu", "target f/w <= 1.2");
  for (const auto& [name, times] : f.queries) {
    std::map<int, double> wall_ratios;
    std::map<int, double> cpu_ratios;
    for (const auto& [round, follower] : times.follower) {
      const auto writer = times.writer.find(round);
      if (writer == times.writer.end()) continue;
      wall_ratios[round] = ratio(follower, writer->second);
      cpu_ratios[round] =
          ratio(times.follower_cpu.at(round), times.writer_cpu.at(round));
    }
    absl::FPrintF(out, "%-34s %12.4fms %12.4fms %8.2f %8.2f\n", name,
                  Median(times.follower) * 1e3, Median(times.writer) * 1e3,
                  Median(wall_ratios), Median(cpu_ratios));
  }
}

void DeleteStream(const std::string& ledger_id) {
  std::vector<const char*> servers;
  for (const std::string& server : g_servers) servers.push_back(server.c_str());
  natsOptions* options = nullptr;
  natsConnection* connection = nullptr;
  jsCtx* js = nullptr;
  natsStatus s = natsOptions_Create(&options);
  if (s == NATS_OK) {
    s = natsOptions_SetServers(options, servers.data(),
                               static_cast<int>(servers.size()));
  }
  if (s == NATS_OK) s = natsOptions_SetTimeout(options, 5000);
  if (s == NATS_OK) s = natsConnection_Connect(&connection, options);
  if (s == NATS_OK) s = natsConnection_JetStream(&js, connection, nullptr);
  jsErrCode code = static_cast<jsErrCode>(0);
  const std::string stream = LedgerStreamName(ledger_id);
  if (s == NATS_OK) s = js_DeleteStream(js, stream.c_str(), nullptr, &code);
  if (s == NATS_OK) {
    std::fprintf(stderr, "deleted stream %s\n", stream.c_str());
  } else {
    std::fprintf(stderr, "could not delete stream %s: %s (%d); it is left\n",
                 stream.c_str(), natsStatus_GetText(s), static_cast<int>(code));
  }
  jsCtx_Destroy(js);
  natsConnection_Destroy(connection);
  natsOptions_Destroy(options);
}

void RemoveDirectory(const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names =
      Env::Default()->GetChildren(dir);
  if (names.ok()) {
    for (const std::string& name : *names) {
      Env::Default()->RemoveFile(absl::StrCat(dir, "/", name)).IgnoreError();
    }
  }
  ::rmdir(dir.c_str());
}

void Register() {
  benchmark::RegisterBenchmark("BM_LocalLogRead", BM_LocalLogRead)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_Ship", BM_Ship)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_ShipWhileAppending", BM_ShipWhileAppending)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_LocalReplay", BM_LocalReplay)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_FollowerApply", BM_FollowerApply)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_LagAtDrillRate", BM_LagAtDrillRate)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  const std::pair<const char*, Query> queries[] = {
      {"Roster", Roster},
      {"OpenLoops", OpenLoops},
      {"VillageRollup", VillageRollup},
      {"TwoHopAllCases", TwoHopAllCases}};
  for (int round = 1; round <= g_query_rounds; ++round) {
    for (const auto& [name, query] : queries) {
      for (bool on_follower : {false, true}) {
        const char* name_copy = name;
        Query query_copy = query;
        benchmark::RegisterBenchmark(
            absl::StrCat("BM_Query_", name,
                         on_follower ? "/follower" : "/writer",
                         "/round:", round)
                .c_str(),
            [name_copy, query_copy, on_follower,
             round](benchmark::State& state) {
              RunQuery(state, name_copy, query_copy, on_follower, round);
            })
            ->Unit(benchmark::kMillisecond);
      }
    }
  }
}

// Takes --name=value out of argv; true when found.
bool TakeFlag(int* argc, char** argv, absl::string_view name,
              std::string* value) {
  const std::string prefix = absl::StrCat("--", name, "=");
  for (int i = 1; i < *argc; ++i) {
    if (absl::StartsWith(argv[i], prefix)) {
      *value = std::string(argv[i] + prefix.size());
      for (int j = i; j + 1 < *argc; ++j) argv[j] = argv[j + 1];
      --*argc;
      return true;
    }
  }
  return false;
}

}  // namespace
}  // namespace contactledger

int main(int argc, char** argv) {
  namespace cl = contactledger;
  std::string value;
  bool ok = true;
  if (cl::TakeFlag(&argc, argv, "persons", &value)) {
    ok = ok && absl::SimpleAtoi(value, &cl::g_persons) && cl::g_persons > 0;
  }
  if (cl::TakeFlag(&argc, argv, "cases", &value)) {
    ok = ok && absl::SimpleAtoi(value, &cl::g_cases) && cl::g_cases > 0;
  }
  if (cl::TakeFlag(&argc, argv, "append_seconds", &value)) {
    ok = ok && absl::SimpleAtod(value, &cl::g_append_seconds);
  }
  if (cl::TakeFlag(&argc, argv, "query_rounds", &value)) {
    ok = ok && absl::SimpleAtoi(value, &cl::g_query_rounds) &&
         cl::g_query_rounds > 0;
  }
  if (cl::TakeFlag(&argc, argv, "lag_seconds", &value)) {
    ok = ok && absl::SimpleAtod(value, &cl::g_lag_seconds);
  }
  cl::TakeFlag(&argc, argv, "dir", &cl::g_dir);
  if (!ok) {
    std::fprintf(stderr, "replication_benchmark: bad flag value\n");
    return 2;
  }
  const char* urls = std::getenv("CONTACTLEDGER_NATS_URLS");
  if (urls == nullptr || *urls == '\0') {
    std::fprintf(
        stderr,
        "replication_benchmark: set CONTACTLEDGER_NATS_URLS to the client "
        "URLs of a NATS JetStream cluster (comma-separated), e.g.\n"
        "  bash scripts/nats_cluster.sh start /tmp/bench-nats\n"
        "  CONTACTLEDGER_NATS_URLS=$(cat /tmp/bench-nats/urls) %s\n",
        argv[0]);
    return 2;
  }
  for (absl::string_view url :
       absl::StrSplit(urls, ',', absl::SkipWhitespace())) {
    cl::g_servers.emplace_back(url);
  }

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  if (cl::g_dir.empty()) {
    char dir[] = "/tmp/contactledger-replication-XXXXXX";
    if (::mkdtemp(dir) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    cl::g_dir = dir;
    cl::g_remove_dir = true;
  }
  cl::LoadCounty();
  cl::Register();
  benchmark::RunSpecifiedBenchmarks();
  cl::PrintTable(stdout);
  cl::g_county->follower.reset();
  cl::g_county->shipper.reset();
  cl::g_county->writer.reset();
  cl::DeleteStream(cl::g_county->ledger_id);
  if (cl::g_remove_dir) {
    cl::RemoveDirectory(cl::g_county->dir);
    ::rmdir(cl::g_dir.c_str());
  }
  benchmark::Shutdown();
  return cl::g_answers_differ ? 1 : 0;
}
