// Copyright 2026 The ContactLedger Authors.
//
// durability_benchmark: what durability costs, on the POSIX Env, in a
// directory under /tmp (or --dir).
//
//   BM_SyncAppend          one exposure per Append with WriteOptions::sync:
//                          every append waits for its own fdatasync.
//   BM_GroupCommitSync/threads:8
//                          8 threads appending one exposure each with sync at
//                          once: concurrent appends share an fsync (group
//                          commit). Counters: appends_per_fsync, and
//                          fsyncs_saved = appends - fsyncs.
//   BM_NoSyncAppend        one exposure per Append without sync (page cache).
//   BM_ReplayVsSnapshotOpen (Iterations(1))
//                          builds a county of --persons persons (default
//                          1,000,000) in persons/3 households with 10 x
//                          persons exposures (AppendBatch of 1000, no sync),
//                          closes it, and times
//                            replay_open_s: Ledger::Open replaying the log;
//                            snapshot_write_s: WriteSnapshot;
//                            snapshot_open_s: Ledger::Open from the snapshot;
//                          replay_over_snapshot_open = replay_open_s /
//                          snapshot_open_s (the target is >= 5). Both opens
//                          read files that are still in the page cache.
//
// items_per_second is appends (or, for the replay benchmark, events
// replayed) per second of real time. fsyncs are counted by wrapping
// Env::Default() and counting WritableFile::Sync calls (Sync is fdatasync).
//
// Flags: --persons=N, --dir=PATH (a directory to create the ledgers in;
// default: a new /tmp/contactledger-durability-XXXXXX, removed at the end),
// then the usual --benchmark_* flags. See bench/RESULTS.md.

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "benchmark/benchmark.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/privacy.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {
namespace {

constexpr int64_t kDefaultPersons = 1000000;
constexpr int64_t kExposuresPerPerson = 10;
constexpr int64_t kPersonsPerHousehold = 3;
constexpr int64_t kHouseholdsPerGrid = 150;
constexpr int64_t kVillages = 400;
constexpr int64_t kTownships = 20;
constexpr size_t kBatchSize = 1000;
// 2020-01-20 00:00:00 UTC.
constexpr int64_t kStartUnixSeconds = 1579478400;
constexpr int64_t kSpanSeconds = 30 * 86400;

int64_t g_persons = kDefaultPersons;
std::string g_dir;          // where the ledgers go
bool g_remove_dir = false;  // g_dir was made here: remove it at the end
std::atomic<int> g_ledger_count{0};

// SplitMix64: small, fast, the same everywhere.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t n) {
    return static_cast<int64_t>(
        (static_cast<unsigned __int128>(Next()) * static_cast<uint64_t>(n)) >>
        64);
  }

 private:
  uint64_t state_;
};

// ---------------------------------------------------------------------------
// Files.

// Forwards to Env::Default(), counting WritableFile::Sync calls.
class SyncCountingEnv : public EnvWrapper {
 public:
  SyncCountingEnv() : EnvWrapper(Env::Default()) {}

  int64_t syncs() const { return syncs_.load(); }

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) override {
    return Wrap(EnvWrapper::NewWritableFile(path));
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(
      const std::string& path) override {
    return Wrap(EnvWrapper::NewAppendableFile(path));
  }

 private:
  class File : public WritableFileWrapper {
   public:
    File(std::unique_ptr<WritableFile> base, std::atomic<int64_t>* syncs)
        : WritableFileWrapper(std::move(base)), syncs_(syncs) {}
    absl::Status Sync() override {
      syncs_->fetch_add(1, std::memory_order_relaxed);
      return WritableFileWrapper::Sync();
    }

   private:
    std::atomic<int64_t>* syncs_;
  };

  absl::StatusOr<std::unique_ptr<WritableFile>> Wrap(
      absl::StatusOr<std::unique_ptr<WritableFile>> file) {
    if (!file.ok()) return file.status();
    return std::unique_ptr<WritableFile>(new File(std::move(*file), &syncs_));
  }

  std::atomic<int64_t> syncs_{0};
};

// Removes `dir` and the files in it (ledger directories are flat).
void RemoveLedgerDir(const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names =
      Env::Default()->GetChildren(dir);
  if (names.ok()) {
    for (const std::string& name : *names) {
      Env::Default()->RemoveFile(absl::StrCat(dir, "/", name)).IgnoreError();
    }
  }
  ::rmdir(dir.c_str());
}

// A new, not yet existing ledger directory under g_dir.
std::string NewLedgerDir(absl::string_view what) {
  return absl::StrCat(g_dir, "/", what, "-", ::getpid(), "-",
                      g_ledger_count.fetch_add(1));
}

uint64_t DirectoryBytes(const std::string& dir, absl::string_view suffix) {
  uint64_t total = 0;
  absl::StatusOr<std::vector<std::string>> names =
      Env::Default()->GetChildren(dir);
  if (!names.ok()) return 0;
  for (const std::string& name : *names) {
    if (!absl::EndsWith(name, suffix)) continue;
    absl::StatusOr<uint64_t> size =
        Env::Default()->GetFileSize(absl::StrCat(dir, "/", name));
    if (size.ok()) total += *size;
  }
  return total;
}

// ---------------------------------------------------------------------------
// Appends of single exposures.

v1::LedgerEvent SmallExposure(int64_t k) {
  v1::LedgerEvent event;
  v1::Exposure* exposure = event.mutable_exposure();
  exposure->set_person_a(absl::StrCat("p", k % 1000));
  exposure->set_person_b(absl::StrCat("q", k % 997));
  const int64_t start = kStartUnixSeconds + k % kSpanSeconds;
  exposure->mutable_start()->set_seconds(start);
  exposure->mutable_end()->set_seconds(start + 900);
  exposure->set_setting(v1::EXPOSURE_SETTING_HOUSEHOLD);
  return event;
}

// Shared by the threads of one run of an append benchmark.
struct AppendFixture {
  SyncCountingEnv env;
  std::string dir;
  std::unique_ptr<Ledger> ledger;
  int64_t syncs_at_start = 0;
  uint64_t sequence_at_start = 0;
};
AppendFixture* g_fixture = nullptr;
std::string g_setup_error;

// Opens a fresh ledger for one run (on thread 0). On error, every thread
// skips the run inside its loop (so that all of them reach its barriers).
void SetUpAppends(absl::string_view what) {
  auto fixture = std::make_unique<AppendFixture>();
  fixture->dir = NewLedgerDir(what);
  LedgerOptions options;
  options.env = &fixture->env;
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(options, fixture->dir);
  if (!ledger.ok()) {
    g_setup_error = ledger.status().ToString();
    return;
  }
  fixture->ledger = std::move(*ledger);
  fixture->syncs_at_start = fixture->env.syncs();
  g_fixture = fixture.release();
}

void TearDownAppends(benchmark::State& state) {
  AppendFixture* fixture = g_fixture;
  g_fixture = nullptr;
  if (fixture == nullptr) return;
  const double appends =
      static_cast<double>(fixture->ledger->last_sequence_number());
  const double syncs =
      static_cast<double>(fixture->env.syncs() - fixture->syncs_at_start);
  state.counters["appends"] = appends;
  state.counters["fsyncs"] = syncs;
  if (syncs > 0) {
    state.counters["appends_per_fsync"] = appends / syncs;
    state.counters["fsyncs_saved"] = appends - syncs;
  }
  fixture->ledger.reset();
  RemoveLedgerDir(fixture->dir);
  delete fixture;
}

void RunAppends(benchmark::State& state, bool sync) {
  WriteOptions write_options;
  write_options.sync = sync;
  int64_t k = state.thread_index() * 1000003;
  for (auto _ : state) {
    // g_fixture is set before, and read only inside, the loop, whose start
    // is a barrier for all threads.
    if (g_fixture == nullptr) {
      state.SkipWithError(g_setup_error.c_str());
      break;
    }
    absl::StatusOr<uint64_t> sequence =
        g_fixture->ledger->Append(SmallExposure(k++), write_options);
    if (!sequence.ok()) {
      state.SkipWithError(sequence.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// (a) Every append synced on its own.
void BM_SyncAppend(benchmark::State& state) {
  SetUpAppends("sync");
  RunAppends(state, /*sync=*/true);
  TearDownAppends(state);
}

// (b) 8 threads, each appending with sync: group commit.
void BM_GroupCommitSync(benchmark::State& state) {
  if (state.thread_index() == 0) SetUpAppends("group");
  RunAppends(state, /*sync=*/true);
  if (state.thread_index() == 0) TearDownAppends(state);
}

// (c) No sync.
void BM_NoSyncAppend(benchmark::State& state) {
  SetUpAppends("nosync");
  RunAppends(state, /*sync=*/false);
  TearDownAppends(state);
}

// ---------------------------------------------------------------------------
// (d) + (e): replay versus snapshot load.

// The synthetic county (as in append_benchmark, simplified): area tree,
// households of 3 persons in grids of 150 households, exposures 35% within
// a household, 50% within the grid, 15% anywhere.
struct County {
  explicit County(int64_t persons)
      : persons(persons),
        households((persons + kPersonsPerHousehold - 1) / kPersonsPerHousehold),
        grids((households + kHouseholdsPerGrid - 1) / kHouseholdsPerGrid),
        villages(std::min(kVillages, grids)),
        townships(std::min(kTownships, villages)),
        exposures(kExposuresPerPerson * persons) {}
  int64_t persons;
  int64_t households;
  int64_t grids;
  int64_t villages;
  int64_t townships;
  int64_t exposures;
};

void SetId(std::string* out, const char* prefix, int64_t n, int width) {
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%0*lld", width,
                static_cast<long long>(n));
  out->assign(prefix);
  out->append(digits);
}

std::vector<v1::LedgerEvent> AreaEvents(const County& county) {
  std::vector<v1::LedgerEvent> events;
  auto add = [&events](v1::AreaLevel level, const std::string& id,
                       const std::string& parent) {
    events.emplace_back();
    v1::Area* area = events.back().mutable_area();
    area->set_level(level);
    area->set_id(id);
    area->set_parent_id(parent);
  };
  add(v1::AREA_LEVEL_COUNTY, "county", "");
  std::string id;
  std::string parent;
  for (int64_t t = 0; t < county.townships; ++t) {
    SetId(&id, "town-", t, 2);
    add(v1::AREA_LEVEL_TOWNSHIP, id, "county");
  }
  for (int64_t v = 0; v < county.villages; ++v) {
    SetId(&id, "vil-", v, 3);
    SetId(&parent, "town-", v * county.townships / county.villages, 2);
    add(v1::AREA_LEVEL_VILLAGE, id, parent);
  }
  for (int64_t g = 0; g < county.grids; ++g) {
    SetId(&id, "grid-", g, 5);
    SetId(&parent, "vil-", g * county.villages / county.grids, 3);
    add(v1::AREA_LEVEL_GRID, id, parent);
  }
  return events;
}

void FillHousehold(int64_t h, v1::LedgerEvent* event) {
  v1::Household* household = event->mutable_household();
  SetId(household->mutable_id(), "hh-", h, 7);
  SetId(household->mutable_area_id(), "grid-", h / kHouseholdsPerGrid, 5);
  SetId(household->mutable_address(), "No. ", h % 1000 + 1, 1);
  household->mutable_address()->append(" Bench Road");
  SetId(household->mutable_responsible_worker(), "worker-",
        h / kHouseholdsPerGrid * 3 + h % 3, 5);
}

void FillPerson(int64_t p, Random& random, v1::LedgerEvent* event) {
  v1::Person* person = event->mutable_person();
  SetId(person->mutable_id(), "p", p, 8);
  SetId(person->mutable_name(), "Name ", p, 1);
  const int year = 1930 + static_cast<int>(random.Below(90));
  const int month = 1 + static_cast<int>(random.Below(12));
  const int day = 1 + static_cast<int>(random.Below(28));
  v1::Date* birth = person->mutable_birth_date();
  birth->set_year(year);
  birth->set_month(month);
  birth->set_day(day);
  char national_id[32];
  std::snprintf(national_id, sizeof(national_id), "431222%04d%02d%02d%03d",
                year, month, day, static_cast<int>(p % 1000));
  // The GB 11643-1999 check character: appends hold national ids to it.
  std::string id = national_id;
  id.push_back(ResidentIdCheckCharacter(id));
  person->set_national_id(id);
  SetId(person->mutable_phone(), "138", p, 8);
  SetId(person->mutable_household_id(), "hh-", p / kPersonsPerHousehold, 7);
}

void FillExposure(const County& county, int64_t k, Random& random,
                  v1::LedgerEvent* event) {
  v1::Exposure* exposure = event->mutable_exposure();
  const int64_t a = random.Below(county.persons);
  int64_t b = a;
  v1::ExposureSetting setting = v1::EXPOSURE_SETTING_OTHER;
  const int64_t kind = random.Below(100);
  if (kind < 35) {
    const int64_t first = a / kPersonsPerHousehold * kPersonsPerHousehold;
    const int64_t size = std::min(kPersonsPerHousehold, county.persons - first);
    if (size > 1) b = first + (a - first + 1 + random.Below(size - 1)) % size;
    setting = v1::EXPOSURE_SETTING_HOUSEHOLD;
  } else if (kind < 85) {
    const int64_t per_grid = kHouseholdsPerGrid * kPersonsPerHousehold;
    const int64_t first = a / per_grid * per_grid;
    const int64_t size = std::min(per_grid, county.persons - first);
    if (size > 1) b = first + (a - first + 1 + random.Below(size - 1)) % size;
    setting = v1::EXPOSURE_SETTING_WORK;
  } else {
    b = random.Below(county.persons);
    setting = v1::EXPOSURE_SETTING_TRANSPORT;
  }
  if (b == a) b = (a + 1) % county.persons;
  SetId(exposure->mutable_person_a(), "p", a, 8);
  SetId(exposure->mutable_person_b(), "p", b, 8);
  const int64_t nominal =
      kStartUnixSeconds + static_cast<int64_t>(static_cast<double>(k) /
                                               county.exposures * kSpanSeconds);
  const int64_t start =
      std::max(kStartUnixSeconds, nominal - random.Below(6 * 3600));
  exposure->mutable_start()->set_seconds(start);
  exposure->mutable_end()->set_seconds(start + 60 +
                                       random.Below(2 * 3600 - 60 + 1));
  exposure->set_setting(setting);
}

// Appends `count` events made by `fill(index, event)` in batches, no sync.
template <typename Fill>
absl::Status AppendInBatches(Ledger& ledger, int64_t count, Fill fill) {
  std::vector<v1::LedgerEvent> batch(kBatchSize);
  for (int64_t begin = 0; begin < count;
       begin += static_cast<int64_t>(kBatchSize)) {
    const size_t size = static_cast<size_t>(
        std::min<int64_t>(static_cast<int64_t>(kBatchSize), count - begin));
    for (size_t i = 0; i < size; ++i) {
      fill(begin + static_cast<int64_t>(i), &batch[i]);
    }
    absl::StatusOr<std::vector<uint64_t>> sequences =
        ledger.AppendBatch(absl::MakeConstSpan(batch.data(), size));
    if (!sequences.ok()) return sequences.status();
  }
  return absl::OkStatus();
}

absl::Status BuildCounty(const County& county, const std::string& dir) {
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(LedgerOptions(), dir);
  if (!ledger.ok()) return ledger.status();
  const std::vector<v1::LedgerEvent> areas = AreaEvents(county);
  for (size_t begin = 0; begin < areas.size(); begin += kBatchSize) {
    const size_t size = std::min(kBatchSize, areas.size() - begin);
    absl::StatusOr<std::vector<uint64_t>> sequences =
        (*ledger)->AppendBatch(absl::MakeConstSpan(&areas[begin], size));
    if (!sequences.ok()) return sequences.status();
  }
  Random random(0x5eed2020c0de1234ULL);
  absl::Status status = AppendInBatches(
      **ledger, county.households,
      [](int64_t h, v1::LedgerEvent* e) { FillHousehold(h, e); });
  if (!status.ok()) return status;
  status = AppendInBatches(
      **ledger, county.persons,
      [&random](int64_t p, v1::LedgerEvent* e) { FillPerson(p, random, e); });
  if (!status.ok()) return status;
  return AppendInBatches(**ledger, county.exposures,
                         [&](int64_t k, v1::LedgerEvent* e) {
                           FillExposure(county, k, random, e);
                         });
}

using SteadyClock = std::chrono::steady_clock;
double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// Opens `dir`, timing it.
absl::StatusOr<std::unique_ptr<Ledger>> TimedOpen(const std::string& dir,
                                                  double* seconds) {
  const SteadyClock::time_point start = SteadyClock::now();
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(LedgerOptions(), dir);
  *seconds = SecondsSince(start);
  return ledger;
}

void BM_ReplayVsSnapshotOpen(benchmark::State& state) {
  const County county(state.range(0));
  for (auto _ : state) {
    const std::string dir = NewLedgerDir("county");
    auto fail = [&](const absl::Status& status, absl::string_view step) {
      state.SkipWithError(absl::StrCat(step, ": ", status.ToString()).c_str());
      RemoveLedgerDir(dir);
    };
    const SteadyClock::time_point build_start = SteadyClock::now();
    if (absl::Status s = BuildCounty(county, dir); !s.ok()) {
      return fail(s, "build");
    }
    const double build_seconds = SecondsSince(build_start);
    const uint64_t log_bytes = DirectoryBytes(dir, ".log");

    // (d) Full replay of the log.
    double replay_seconds = 0;
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        TimedOpen(dir, &replay_seconds);
    if (!ledger.ok()) return fail(ledger.status(), "replay open");
    const uint64_t events = (*ledger)->last_sequence_number();
    const uint64_t replayed = (*ledger)->recovery_report().replayed_events;
    const LedgerStats stats = (*ledger)->Stats();

    // (e) Snapshot, close, open from the snapshot.
    const SteadyClock::time_point snapshot_start = SteadyClock::now();
    absl::StatusOr<uint64_t> covered = (*ledger)->WriteSnapshot();
    const double snapshot_write_seconds = SecondsSince(snapshot_start);
    if (!covered.ok()) return fail(covered.status(), "WriteSnapshot");
    ledger->reset();
    const uint64_t snapshot_bytes = DirectoryBytes(dir, ".snapshot");
    double snapshot_open_seconds = 0;
    ledger = TimedOpen(dir, &snapshot_open_seconds);
    if (!ledger.ok()) return fail(ledger.status(), "snapshot open");
    const LedgerStats loaded = (*ledger)->Stats();
    if ((*ledger)->last_sequence_number() != events ||
        (*ledger)->recovery_report().replayed_events != 0 ||
        loaded.persons != stats.persons ||
        loaded.exposures != stats.exposures || replayed != events ||
        stats.exposures != static_cast<uint64_t>(county.exposures)) {
      return fail(absl::InternalError(absl::StrCat(
                      "state differs: events ", events, " replayed ", replayed,
                      " after snapshot ", (*ledger)->last_sequence_number(),
                      " exposures ", stats.exposures, "/", loaded.exposures)),
                  "check");
    }
    ledger->reset();
    RemoveLedgerDir(dir);

    state.SetIterationTime(replay_seconds);
    const double n = static_cast<double>(events);
    state.counters["persons"] = static_cast<double>(county.persons);
    state.counters["events"] = n;
    state.counters["build_s"] = build_seconds;
    state.counters["log_MiB"] = static_cast<double>(log_bytes) / (1 << 20);
    state.counters["replay_open_s"] = replay_seconds;
    state.counters["replay_events_per_s"] = n / replay_seconds;
    state.counters["snapshot_write_s"] = snapshot_write_seconds;
    state.counters["snapshot_MiB"] =
        static_cast<double>(snapshot_bytes) / (1 << 20);
    state.counters["snapshot_open_s"] = snapshot_open_seconds;
    state.counters["snapshot_events_per_s"] = n / snapshot_open_seconds;
    state.counters["replay_over_snapshot_open"] =
        replay_seconds / snapshot_open_seconds;
    state.counters["memory_MiB"] =
        static_cast<double>(stats.memory_bytes) / (1 << 20);
  }
}

// ---------------------------------------------------------------------------
// Flags.

// Takes --persons=N and --dir=PATH out of argv. Returns false on a bad value.
bool ParseFlags(int* argc, char** argv) {
  constexpr char kPersons[] = "--persons=";
  constexpr char kDir[] = "--dir=";
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp(argv[i], kPersons, sizeof(kPersons) - 1) == 0) {
      const char* value = argv[i] + sizeof(kPersons) - 1;
      char* end = nullptr;
      const long long persons = std::strtoll(value, &end, 10);
      if (end == value || *end != '\0' || persons < 2) {
        std::fprintf(stderr, "bad %s'%s': want an integer >= 2\n", kPersons,
                     value);
        return false;
      }
      g_persons = persons;
    } else if (std::strncmp(argv[i], kDir, sizeof(kDir) - 1) == 0) {
      g_dir = argv[i] + sizeof(kDir) - 1;
      if (g_dir.empty()) {
        std::fprintf(stderr, "bad %s: want a directory\n", kDir);
        return false;
      }
    } else {
      argv[out++] = argv[i];
    }
  }
  *argc = out;
  argv[out] = nullptr;
  if (g_dir.empty()) {
    std::string pattern = "/tmp/contactledger-durability-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      return false;
    }
    g_dir = pattern;
    g_remove_dir = true;
  } else if (::mkdir(g_dir.c_str(), 0755) != 0 && errno != EEXIST) {
    std::perror(g_dir.c_str());
    return false;
  }
  return true;
}

}  // namespace
}  // namespace contactledger

int main(int argc, char** argv) {
  using contactledger::g_persons;
  if (!contactledger::ParseFlags(&argc, argv)) return 2;
  benchmark::RegisterBenchmark("BM_SyncAppend", contactledger::BM_SyncAppend)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_GroupCommitSync",
                               contactledger::BM_GroupCommitSync)
      ->Threads(8)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_NoSyncAppend",
                               contactledger::BM_NoSyncAppend)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_ReplayVsSnapshotOpen",
                               contactledger::BM_ReplayVsSnapshotOpen)
      ->Arg(g_persons)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("ledger_dir", contactledger::g_dir);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (contactledger::g_remove_dir) ::rmdir(contactledger::g_dir.c_str());
  return 0;
}
