// Copyright 2026 The ContactLedger Authors.
//
// append_benchmark: how fast a ledger takes in a county's worth of records
// and how much memory they cost.
//
// One iteration builds, in a fresh ledger:
//   - an area tree: 1 county, 20 townships, 400 villages and one grid per
//     150 households (fewer townships and villages when there are fewer
//     grids);
//   - persons / 3 households (3 persons each), each in a grid;
//   - `persons` persons (id, name, national id, phone, birth date,
//     household);
//   - 10 x persons exposures between them: 35% within a household, 50%
//     within the same grid, 15% between any two persons; spread over 30 days
//     in roughly (not strictly) increasing start time, whole seconds.
// All of it is appended with AppendBatch in batches of 1000 events. The
// records are generated deterministically (fixed seed) into reused batch
// buffers between appends; only the AppendBatch calls are timed (manual
// time), generation is reported separately.
//
// Counters (see bench/RESULTS.md):
//   person_appends_per_s, household_appends_per_s, exposure_appends_per_s:
//     records / wall-clock seconds spent inside AppendBatch for that kind;
//   person_appends_per_cpu_s, exposure_appends_per_cpu_s: the same per
//     second of this thread's CPU time (steadier on a busy machine; assumes
//     AppendBatch does its work on the calling thread, as the in-memory
//     ledger does);
//   exposure_appends_per_s_with_generation: the same including the time
//     spent building the exposure protos;
//   rss_bytes_per_person: (RSS after areas, households and persons - RSS of
//     the empty ledger) / persons, from /proc/self/statm;
//   rss_bytes_per_exposure: (RSS after exposures - RSS after persons) /
//     exposures;
//   stats_bytes_per_person, stats_bytes_per_exposure: the same deltas of
//     Ledger::Stats().memory_bytes;
//   rss_bytes_per_household, stats_bytes_per_household: the part of the
//     per-person figures spent before the first person (areas and
//     households), divided by households;
//   person_body_bytes, exposure_body_bytes: the mean serialised size of the
//     Person and Exposure bodies appended, for scale.
//
// Flags: --persons=N (default 1000000; exposures = 10 x N), then the usual
// --benchmark_* flags.

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "benchmark/benchmark.h"
#include "contactledger/ledger.h"
#include "contactledger/privacy.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {
namespace {

constexpr int64_t kDefaultPersons = 1000000;
constexpr int64_t kExposuresPerPerson = 10;
constexpr int64_t kPersonsPerHousehold = 3;
constexpr int64_t kHouseholdsPerGrid = 150;
constexpr int64_t kMaxTownships = 20;
constexpr int64_t kMaxVillages = 400;
constexpr size_t kBatchSize = 1000;
constexpr uint64_t kSeed = 0x5eed2020c0de1234ULL;
// 2020-01-20 00:00:00 UTC.
constexpr int64_t kStartUnixSeconds = 1579478400;
constexpr int64_t kSpanSeconds = 30 * 86400;

int64_t g_persons = kDefaultPersons;

// SplitMix64: small, fast and the same on every platform (unlike the
// standard distributions).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0.
  int64_t Below(int64_t n) {
    return static_cast<int64_t>(
        (static_cast<unsigned __int128>(Next()) * static_cast<uint64_t>(n)) >>
        64);
  }

 private:
  uint64_t state_;
};

// Writes prefix + n zero-padded to `width` digits into *out, reusing its
// buffer.
void SetId(std::string* out, const char* prefix, int64_t n, int width) {
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%0*lld", width,
                static_cast<long long>(n));
  out->assign(prefix);
  out->append(digits);
}

int64_t ResidentBytes() {
  FILE* file = std::fopen("/proc/self/statm", "r");
  if (file == nullptr) return 0;
  long long size = 0;
  long long resident = 0;
  const int read = std::fscanf(file, "%lld %lld", &size, &resident);
  std::fclose(file);
  if (read != 2) return 0;
  return resident * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

// The shape of the synthetic county.
struct County {
  explicit County(int64_t persons)
      : persons(persons),
        households((persons + kPersonsPerHousehold - 1) / kPersonsPerHousehold),
        grids((households + kHouseholdsPerGrid - 1) / kHouseholdsPerGrid),
        villages(std::min(kMaxVillages, grids)),
        townships(std::min(kMaxTownships, villages)),
        exposures(kExposuresPerPerson * persons) {}

  int64_t VillageOfGrid(int64_t grid) const { return grid * villages / grids; }
  int64_t TownshipOfVillage(int64_t village) const {
    return village * townships / villages;
  }
  int64_t GridOfHousehold(int64_t household) const {
    return household / kHouseholdsPerGrid;
  }
  int64_t HouseholdOfPerson(int64_t person) const {
    return person / kPersonsPerHousehold;
  }

  int64_t persons;
  int64_t households;
  int64_t grids;
  int64_t villages;
  int64_t townships;
  int64_t exposures;
};

void SetCountyId(std::string* out) { out->assign("county"); }
void SetTownshipId(std::string* out, int64_t n) { SetId(out, "town-", n, 2); }
void SetVillageId(std::string* out, int64_t n) { SetId(out, "vil-", n, 3); }
void SetGridId(std::string* out, int64_t n) { SetId(out, "grid-", n, 5); }
void SetHouseholdId(std::string* out, int64_t n) { SetId(out, "hh-", n, 7); }
void SetPersonId(std::string* out, int64_t n) { SetId(out, "p", n, 8); }

std::vector<v1::LedgerEvent> AreaEvents(const County& county) {
  std::vector<v1::LedgerEvent> events;
  auto add = [&events](v1::AreaLevel level) {
    events.emplace_back();
    events.back().set_actor("bench");
    v1::Area* area = events.back().mutable_area();
    area->set_level(level);
    return area;
  };
  v1::Area* root = add(v1::AREA_LEVEL_COUNTY);
  SetCountyId(root->mutable_id());
  root->set_name("Bench County");
  for (int64_t t = 0; t < county.townships; ++t) {
    v1::Area* area = add(v1::AREA_LEVEL_TOWNSHIP);
    SetTownshipId(area->mutable_id(), t);
    SetCountyId(area->mutable_parent_id());
    area->set_name(absl::StrCat("Township ", t));
  }
  for (int64_t v = 0; v < county.villages; ++v) {
    v1::Area* area = add(v1::AREA_LEVEL_VILLAGE);
    SetVillageId(area->mutable_id(), v);
    SetTownshipId(area->mutable_parent_id(), county.TownshipOfVillage(v));
    area->set_name(absl::StrCat("Village ", v));
  }
  for (int64_t g = 0; g < county.grids; ++g) {
    v1::Area* area = add(v1::AREA_LEVEL_GRID);
    SetGridId(area->mutable_id(), g);
    SetVillageId(area->mutable_parent_id(), county.VillageOfGrid(g));
  }
  return events;
}

void FillHousehold(const County& county, int64_t h, v1::Household* household) {
  SetHouseholdId(household->mutable_id(), h);
  SetGridId(household->mutable_area_id(), county.GridOfHousehold(h));
  SetId(household->mutable_address(), "No. ", h % 1000 + 1, 1);
  household->mutable_address()->append(" Bench Road");
  SetId(household->mutable_responsible_worker(), "worker-",
        county.GridOfHousehold(h) * 3 + h % 3, 5);
}

void FillPerson(const County& county, int64_t p, Random& random,
                v1::Person* person) {
  SetPersonId(person->mutable_id(), p);
  SetId(person->mutable_name(), "Name ", p, 1);
  const int year = 1930 + static_cast<int>(random.Below(90));
  const int month = 1 + static_cast<int>(random.Below(12));
  const int day = 1 + static_cast<int>(random.Below(28));
  v1::Date* birth = person->mutable_birth_date();
  birth->set_year(year);
  birth->set_month(month);
  birth->set_day(day);
  // 18 characters: region (6), birth date (8), sequence (3), check (1).
  char national_id[32];
  std::snprintf(national_id, sizeof(national_id), "431222%04d%02d%02d%03d",
                year, month, day, static_cast<int>(p % 1000));
  // The GB 11643-1999 check character: appends hold national ids to it.
  std::string id = national_id;
  id.push_back(ResidentIdCheckCharacter(id));
  person->set_national_id(id);
  SetId(person->mutable_phone(), "138", p, 8);
  SetHouseholdId(person->mutable_household_id(), county.HouseholdOfPerson(p));
}

// Exposure k of county.exposures.
void FillExposure(const County& county, int64_t k, Random& random,
                  v1::Exposure* exposure) {
  const int64_t a = random.Below(county.persons);
  int64_t b = a;
  v1::ExposureSetting setting = v1::EXPOSURE_SETTING_OTHER;
  const int64_t kind = random.Below(100);
  if (kind < 35) {
    // Within the household.
    const int64_t first = county.HouseholdOfPerson(a) * kPersonsPerHousehold;
    const int64_t size = std::min(kPersonsPerHousehold, county.persons - first);
    if (size > 1) b = first + (a - first + 1 + random.Below(size - 1)) % size;
    setting = v1::EXPOSURE_SETTING_HOUSEHOLD;
  } else if (kind < 85) {
    // Within the grid.
    const int64_t grid = county.GridOfHousehold(county.HouseholdOfPerson(a));
    const int64_t first = grid * kHouseholdsPerGrid * kPersonsPerHousehold;
    const int64_t size = std::min(kHouseholdsPerGrid * kPersonsPerHousehold,
                                  county.persons - first);
    if (size > 1) b = first + (a - first + 1 + random.Below(size - 1)) % size;
    static constexpr v1::ExposureSetting kNear[] = {
        v1::EXPOSURE_SETTING_GATHERING, v1::EXPOSURE_SETTING_OTHER,
        v1::EXPOSURE_SETTING_SCHOOL, v1::EXPOSURE_SETTING_WORK};
    setting = kNear[random.Below(4)];
  } else {
    // Anywhere in the county.
    b = random.Below(county.persons);
    static constexpr v1::ExposureSetting kFar[] = {
        v1::EXPOSURE_SETTING_WORK, v1::EXPOSURE_SETTING_TRANSPORT,
        v1::EXPOSURE_SETTING_HEALTHCARE};
    setting = kFar[random.Below(3)];
  }
  if (b == a) b = (a + 1) % county.persons;
  SetPersonId(exposure->mutable_person_a(), a);
  SetPersonId(exposure->mutable_person_b(), b);
  // Roughly in time order: a nominal time moving with k, started up to 6 h
  // earlier; lasting 1 min to 2 h.
  const int64_t nominal =
      kStartUnixSeconds + static_cast<int64_t>(static_cast<double>(k) /
                                               county.exposures * kSpanSeconds);
  const int64_t start =
      std::max(kStartUnixSeconds, nominal - random.Below(6 * 3600));
  const int64_t end = start + 60 + random.Below(2 * 3600 - 60 + 1);
  exposure->mutable_start()->set_seconds(start);
  exposure->mutable_end()->set_seconds(end);
  exposure->set_setting(setting);
}

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the calling thread, in seconds. Unlike the wall clock it does
// not count time the thread spent descheduled on a busy machine.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         1e-9 * static_cast<double>(ts.tv_nsec);
}

// Time spent inside AppendBatch.
struct AppendTime {
  double wall = 0;  // steady clock
  double cpu = 0;   // this thread's CPU time
};

// Appends events [0, size) of `batch`; adds the time spent to *time.
absl::Status TimedAppend(Ledger& ledger,
                         const std::vector<v1::LedgerEvent>& batch, size_t size,
                         AppendTime* time) {
  const double cpu_start = ThreadCpuSeconds();
  const Clock::time_point start = Clock::now();
  absl::StatusOr<std::vector<uint64_t>> sequence_numbers =
      ledger.AppendBatch(absl::MakeConstSpan(batch.data(), size));
  time->wall += SecondsSince(start);
  time->cpu += ThreadCpuSeconds() - cpu_start;
  if (!sequence_numbers.ok()) return sequence_numbers.status();
  if (sequence_numbers->size() != size) {
    return absl::InternalError(absl::StrCat(
        sequence_numbers->size(), " sequence numbers for ", size, " events"));
  }
  return absl::OkStatus();
}

// Generates and appends `count` events in batches; `fill(index, event)` fills
// one event, reusing what the buffer held.
template <typename Fill>
absl::Status GenerateAndAppend(Ledger& ledger, int64_t count,
                               std::vector<v1::LedgerEvent>& batch, Fill fill,
                               AppendTime* append_time,
                               double* generate_seconds) {
  for (int64_t begin = 0; begin < count;
       begin += static_cast<int64_t>(kBatchSize)) {
    const size_t size = static_cast<size_t>(
        std::min<int64_t>(static_cast<int64_t>(kBatchSize), count - begin));
    const Clock::time_point generate_start = Clock::now();
    for (size_t i = 0; i < size; ++i) {
      fill(begin + static_cast<int64_t>(i), &batch[i]);
    }
    *generate_seconds += SecondsSince(generate_start);
    absl::Status status = TimedAppend(ledger, batch, size, append_time);
    if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat("batch at ", begin, ": ",
                                                      status.message()));
    }
  }
  return absl::OkStatus();
}

void BM_AppendCounty(benchmark::State& state) {
  const County county(state.range(0));
  for (auto _ : state) {
    Random random(kSeed);
    // Batch buffers, allocated before the baseline so they are not counted.
    std::vector<v1::LedgerEvent> households(kBatchSize);
    std::vector<v1::LedgerEvent> persons(kBatchSize);
    std::vector<v1::LedgerEvent> exposures(kBatchSize);
    for (size_t i = 0; i < kBatchSize; ++i) {
      FillHousehold(county, 0, households[i].mutable_household());
      FillPerson(county, 0, random, persons[i].mutable_person());
      FillExposure(county, 0, random, exposures[i].mutable_exposure());
    }
    std::vector<v1::LedgerEvent> areas = AreaEvents(county);
    random = Random(kSeed);

    std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
    const uint64_t stats_empty = ledger->Stats().memory_bytes;
    const int64_t rss_empty = ResidentBytes();

    AppendTime area_time;
    AppendTime household_time;
    AppendTime person_time;
    AppendTime exposure_time;

    double generate_seconds = 0;
    double exposure_generate_seconds = 0;
    double person_body_bytes = 0;
    double exposure_body_bytes = 0;

    absl::Status status;
    for (size_t begin = 0; status.ok() && begin < areas.size();
         begin += kBatchSize) {
      const size_t size = std::min(kBatchSize, areas.size() - begin);
      std::vector<v1::LedgerEvent> batch(areas.begin() + begin,
                                         areas.begin() + begin + size);
      status = TimedAppend(*ledger, batch, size, &area_time);
    }
    if (status.ok()) {
      status = GenerateAndAppend(
          *ledger, county.households, households,
          [&](int64_t h, v1::LedgerEvent* event) {
            FillHousehold(county, h, event->mutable_household());
          },
          &household_time, &generate_seconds);
    }
    const int64_t rss_households = ResidentBytes();
    const uint64_t stats_households = ledger->Stats().memory_bytes;
    if (status.ok()) {
      status = GenerateAndAppend(
          *ledger, county.persons, persons,
          [&](int64_t p, v1::LedgerEvent* event) {
            FillPerson(county, p, random, event->mutable_person());
            person_body_bytes +=
                static_cast<double>(event->person().ByteSizeLong());
          },
          &person_time, &generate_seconds);
    }
    const int64_t rss_persons = ResidentBytes();
    const uint64_t stats_persons = ledger->Stats().memory_bytes;
    if (status.ok()) {
      status = GenerateAndAppend(
          *ledger, county.exposures, exposures,
          [&](int64_t k, v1::LedgerEvent* event) {
            FillExposure(county, k, random, event->mutable_exposure());
            exposure_body_bytes +=
                static_cast<double>(event->exposure().ByteSizeLong());
          },
          &exposure_time, &exposure_generate_seconds);
    }
    const int64_t rss_exposures = ResidentBytes();
    const LedgerStats stats = ledger->Stats();
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      break;
    }
    if (stats.persons != static_cast<uint64_t>(county.persons) ||
        stats.households != static_cast<uint64_t>(county.households) ||
        stats.exposures != static_cast<uint64_t>(county.exposures) ||
        stats.areas != areas.size()) {
      state.SkipWithError(absl::StrCat("Stats() disagree: persons ",
                                       stats.persons, " households ",
                                       stats.households, " exposures ",
                                       stats.exposures, " areas ", stats.areas)
                              .c_str());
      break;
    }
    state.SetIterationTime(area_time.wall + household_time.wall +
                           person_time.wall + exposure_time.wall);

    const double n_persons = static_cast<double>(county.persons);
    const double n_exposures = static_cast<double>(county.exposures);
    state.counters["persons"] = n_persons;
    state.counters["households"] = static_cast<double>(county.households);
    state.counters["exposures"] = n_exposures;
    state.counters["areas"] = static_cast<double>(areas.size());
    state.counters["person_appends_per_s"] = n_persons / person_time.wall;
    state.counters["person_appends_per_cpu_s"] = n_persons / person_time.cpu;
    state.counters["household_appends_per_s"] =
        static_cast<double>(county.households) / household_time.wall;
    state.counters["exposure_appends_per_s"] = n_exposures / exposure_time.wall;
    state.counters["exposure_appends_per_cpu_s"] =
        n_exposures / exposure_time.cpu;
    state.counters["exposure_appends_per_s_with_generation"] =
        n_exposures / (exposure_time.wall + exposure_generate_seconds);
    state.counters["exposure_generate_s"] = exposure_generate_seconds;
    state.counters["exposure_append_s"] = exposure_time.wall;
    state.counters["exposure_append_cpu_s"] = exposure_time.cpu;
    state.counters["person_append_s"] = person_time.wall;
    state.counters["rss_bytes_per_person"] =
        static_cast<double>(rss_persons - rss_empty) / n_persons;
    state.counters["rss_bytes_per_exposure"] =
        static_cast<double>(rss_exposures - rss_persons) / n_exposures;
    state.counters["rss_bytes_per_household"] =
        static_cast<double>(rss_households - rss_empty) /
        static_cast<double>(county.households);
    state.counters["stats_bytes_per_household"] =
        static_cast<double>(stats_households - stats_empty) /
        static_cast<double>(county.households);
    state.counters["stats_bytes_per_person"] =
        static_cast<double>(stats_persons - stats_empty) / n_persons;
    state.counters["stats_bytes_per_exposure"] =
        static_cast<double>(stats.memory_bytes - stats_persons) / n_exposures;
    state.counters["rss_end_MiB"] =
        static_cast<double>(rss_exposures) / (1024.0 * 1024.0);
    state.counters["person_body_bytes"] = person_body_bytes / n_persons;
    state.counters["exposure_body_bytes"] = exposure_body_bytes / n_exposures;
  }
}

// Takes --persons=N out of argv. Returns false on a bad value.
bool ParseFlags(int* argc, char** argv) {
  constexpr char kFlag[] = "--persons=";
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp(argv[i], kFlag, sizeof(kFlag) - 1) == 0) {
      const char* value = argv[i] + sizeof(kFlag) - 1;
      char* end = nullptr;
      const long long persons = std::strtoll(value, &end, 10);
      if (end == value || *end != '\0' || persons < 2) {
        std::fprintf(stderr, "bad %s'%s': want an integer >= 2\n", kFlag,
                     value);
        return false;
      }
      g_persons = persons;
    } else {
      argv[out++] = argv[i];
    }
  }
  *argc = out;
  argv[out] = nullptr;
  return true;
}

}  // namespace
}  // namespace contactledger

int main(int argc, char** argv) {
  if (!contactledger::ParseFlags(&argc, argv)) return 2;
  benchmark::RegisterBenchmark("BM_AppendCounty",
                               contactledger::BM_AppendCounty)
      ->Arg(contactledger::g_persons)
      ->Iterations(1)
      ->Unit(benchmark::kSecond)
      ->UseManualTime();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
