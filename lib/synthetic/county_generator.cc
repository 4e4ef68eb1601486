// The synthetic county of contactledger/synthetic.h.
//
// Layout: persons are numbered so that every household, grid, village and
// township is a contiguous range of person numbers; sampling "someone in the
// same grid" is then one bounded random number.

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "contactledger/privacy.h"
#include "contactledger/synthetic.h"

namespace contactledger {
namespace {

// SplitMix64: small, fast, and the same everywhere.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0 (Lemire's multiply-shift).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >>
                                 64);
  }
  int64_t Between(int64_t lo, int64_t hi) {  // [lo, hi]
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool Chance(double p) {
    return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p;
  }

 private:
  uint64_t state_;
};

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄",
                                     "赵", "吴", "周", "徐", "孙", "马", "朱",
                                     "胡", "郭", "何", "林", "罗", "向"};
constexpr const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强",
                                  "磊", "军", "洋", "勇", "艳", "杰", "娟",
                                  "涛", "明", "超", "秀", "霞", "平", "刚",
                                  "桂", "英", "华", "建", "国", "红", "文"};
constexpr const char* kTravel[] = {
    "Wuhan, Hubei",         "Xiaogan, Hubei",      "Changsha, Hunan",
    "Guangzhou, Guangdong", "Shenzhen, Guangdong", "Shanghai"};

v1::Date ToDate(absl::CivilDay day) {
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// Collects events and hands them to the sink in batches.
class Emitter {
 public:
  Emitter(
      size_t batch_size,
      const std::function<absl::Status(std::vector<v1::LedgerEvent>&)>& sink)
      : batch_size_(batch_size), sink_(sink) {}

  v1::LedgerEvent* Next() {
    if (batch_.size() >= batch_size_) Flush();
    batch_.emplace_back();
    return &batch_.back();
  }
  void Flush() {
    if (batch_.empty() || !status_.ok()) {
      batch_.clear();
      return;
    }
    status_ = sink_(batch_);
    batch_.clear();
  }
  const absl::Status& status() const { return status_; }

 private:
  size_t batch_size_;
  const std::function<absl::Status(std::vector<v1::LedgerEvent>&)>& sink_;
  std::vector<v1::LedgerEvent> batch_;
  absl::Status status_;
};

struct PlannedExposure {
  int64_t start;
  int64_t end;
  uint32_t a;
  uint32_t b;
  v1::ExposureSetting setting;
};

}  // namespace

std::string SyntheticPersonId(int64_t index) {
  return absl::StrFormat("p%08d", index);
}

absl::StatusOr<SyntheticCountySummary> GenerateSyntheticCounty(
    const SyntheticCountyOptions& options,
    const std::function<absl::Status(std::vector<v1::LedgerEvent>&)>& sink) {
  if (options.persons < 10 || options.persons > 100'000'000) {
    return absl::InvalidArgumentError("persons: must be 10 to 100,000,000");
  }
  if (options.days < 1 || options.batch_size < 1 ||
      options.exposures_per_person < 0 || options.cases < 0) {
    return absl::InvalidArgumentError(
        "days and batch_size must be >= 1; exposures_per_person and cases "
        ">= 0");
  }
  Random rng(options.seed);
  Emitter out(options.batch_size, sink);
  SyntheticCountySummary summary;
  const int64_t n = options.persons;
  const absl::TimeZone& zone = options.time_zone;
  auto seconds_at = [&](absl::CivilDay day, int64_t second_of_day) {
    return absl::ToUnixSeconds(absl::FromCivil(day, zone)) + second_of_day;
  };

  // --- Households, grids, villages, townships as person ranges. ---
  std::vector<uint32_t> household_first = {0};  // person ranges
  while (household_first.back() < n) {
    static constexpr int kSizeWeights[6] = {15, 25, 25, 18, 10, 7};
    int64_t pick = rng.Below(100);
    int size = 1;
    while (pick >= kSizeWeights[size - 1]) pick -= kSizeWeights[size++ - 1];
    household_first.push_back(static_cast<uint32_t>(
        std::min<int64_t>(n, household_first.back() + size)));
  }
  const int64_t households = static_cast<int64_t>(household_first.size()) - 1;
  const int64_t grids = (households + 149) / 150;
  const int64_t villages =
      std::max<int64_t>(std::min<int64_t>(23, grids),
                        std::min<int64_t>(grids, (404 * n + 300000) / 600000));
  const int64_t townships = std::min<int64_t>(23, villages);
  auto village_of_grid = [&](int64_t g) { return g * villages / grids; };
  auto township_of_village = [&](int64_t v) {
    return v * townships / villages;
  };
  auto household_of_grid_first = [&](int64_t g) {
    return std::min(households, g * 150);
  };
  // Person ranges of grids and townships.
  std::vector<uint32_t> grid_first(grids + 1);
  for (int64_t g = 0; g <= grids; ++g) {
    grid_first[g] = household_first[household_of_grid_first(g)];
  }
  std::vector<uint32_t> township_first(townships + 1, 0);
  {
    int64_t t = 0;
    for (int64_t g = 0; g < grids; ++g) {
      const int64_t gt = township_of_village(village_of_grid(g));
      while (t < gt) township_first[++t] = grid_first[g];
    }
    while (t < townships) township_first[++t] = static_cast<uint32_t>(n);
  }
  std::vector<uint32_t> household_of_person(n);
  for (int64_t h = 0; h < households; ++h) {
    for (uint32_t p = household_first[h]; p < household_first[h + 1]; ++p) {
      household_of_person[p] = static_cast<uint32_t>(h);
    }
  }

  // --- Areas. ---
  summary.county_id = "yl";
  {
    v1::Area* county = out.Next()->mutable_area();
    county->set_id("yl");
    county->set_level(v1::AREA_LEVEL_COUNTY);
    county->set_name("沅陵县 Yuanling County");
  }
  auto township_id = [&](int64_t t) {
    return t < 21 || townships < 23 ? absl::StrFormat("yl-t%02d", t + 1)
                                    : absl::StrFormat("yl-s%02d", t - 20);
  };
  for (int64_t t = 0; t < townships; ++t) {
    v1::Area* area = out.Next()->mutable_area();
    area->set_id(township_id(t));
    area->set_parent_id("yl");
    area->set_level(v1::AREA_LEVEL_TOWNSHIP);
    area->set_name(t < 21 || townships < 23
                       ? absl::StrFormat("Township %d", t + 1)
                       : absl::StrFormat("Service centre %d", t - 20));
    summary.township_ids.push_back(area->id());
  }
  auto village_id = [](int64_t v) {
    return absl::StrFormat("yl-v%04d", v + 1);
  };
  auto grid_id = [](int64_t g) { return absl::StrFormat("yl-g%05d", g + 1); };
  for (int64_t v = 0; v < villages; ++v) {
    v1::Area* area = out.Next()->mutable_area();
    area->set_id(village_id(v));
    area->set_parent_id(township_id(township_of_village(v)));
    area->set_level(v1::AREA_LEVEL_VILLAGE);
    area->set_name(absl::StrFormat("Village %d", v + 1));
  }
  for (int64_t g = 0; g < grids; ++g) {
    v1::Area* area = out.Next()->mutable_area();
    area->set_id(grid_id(g));
    area->set_parent_id(village_id(village_of_grid(g)));
    area->set_level(v1::AREA_LEVEL_GRID);
    area->set_name(absl::StrFormat("Grid %d", g + 1));
  }
  summary.areas = 1 + townships + villages + grids;

  // --- Households and persons. ---
  auto household_id = [](int64_t h) { return absl::StrFormat("h%07d", h + 1); };
  for (int64_t h = 0; h < households; ++h) {
    const int64_t g = h / 150;
    v1::Household* household = out.Next()->mutable_household();
    household->set_id(household_id(h));
    household->set_area_id(grid_id(g));
    household->set_address(absl::StrFormat("Grid %d, Village %d, no. %d", g + 1,
                                           village_of_grid(g) + 1,
                                           h % 150 + 1));
    if (!rng.Chance(0.005)) {
      household->set_responsible_worker(
          absl::StrFormat("worker-%05d-%d", g + 1, h % 3 + 1));
    }
  }
  summary.households = households;
  for (int64_t p = 0; p < n; ++p) {
    v1::Person* person = out.Next()->mutable_person();
    person->set_id(SyntheticPersonId(p));
    // One draw per statement: the order of a call's arguments is up to the
    // compiler, and the county must not depend on it. (This is the order
    // GCC used when the draws were arguments.)
    const char* const second_given =
        rng.Chance(0.6) ? kGiven[rng.Below(28)] : "";
    const char* const given = kGiven[rng.Below(28)];
    const char* const surname = kSurnames[rng.Below(20)];
    person->set_name(absl::StrCat(surname, given, second_given));
    const absl::CivilDay birth =
        absl::CivilDay(1940, 1, 1) + static_cast<int>(rng.Below(80 * 365));
    *person->mutable_birth_date() = ToDate(birth);
    std::string id = absl::StrFormat("431222%04d%02d%02d%03d", birth.year(),
                                     birth.month(), birth.day(), p % 1000);
    id.push_back(ResidentIdCheckCharacter(id));
    person->set_national_id(id);
    static constexpr char kPrefixes[] = "35789";
    const uint64_t subscriber = rng.Below(1000000000);
    const char prefix = kPrefixes[rng.Below(5)];
    person->set_phone(absl::StrFormat("1%c%09d", prefix, subscriber));
    person->set_household_id(household_id(household_of_person[p]));
    if (rng.Chance(0.03)) {
      person->add_tags("returnee");
      const int place = static_cast<int>(rng.Below(6));
      if (place < 2) person->add_tags("hubei_related");
      if (place == 0) person->add_tags("from_wuhan");
      v1::TravelEntry* travel = person->add_travel_history();
      travel->set_place(kTravel[place]);
      const absl::CivilDay from =
          options.first_day - 20 + static_cast<int>(rng.Below(10));
      *travel->mutable_from() = ToDate(from);
      *travel->mutable_to() =
          ToDate(from + 3 + static_cast<int>(rng.Below(10)));
    }
  }
  summary.persons = n;

  // --- Cases: chosen up front so that their exposures are noticed. ---
  absl::flat_hash_map<uint32_t, int> case_index;
  std::vector<uint32_t> case_persons;
  while (options.activity && static_cast<int>(case_persons.size()) <
                                 std::min<int64_t>(options.cases, n)) {
    const uint32_t p = static_cast<uint32_t>(rng.Below(n));
    if (case_index.emplace(p, static_cast<int>(case_persons.size())).second) {
      case_persons.push_back(p);
    }
  }
  // Case i: onset in the second half of the period, diagnosed 2 days later.
  auto onset_day = [&](int i) {
    return options.first_day + options.days / 2 +
           i % std::max(1, options.days / 4);
  };
  // contact -> (case index, latest exposure end), for exposures that end
  // after the case's look-back start.
  absl::flat_hash_map<uint32_t, std::pair<int, int64_t>> case_contacts;

  // --- Exposures, day by day, each day in time order. ---
  const int64_t total = static_cast<int64_t>(
      static_cast<double>(n) * options.exposures_per_person + 0.5);
  std::vector<PlannedExposure> day_plan;
  int64_t made = 0;
  for (int d = 0; d < options.days && out.status().ok(); ++d) {
    const absl::CivilDay day = options.first_day + d;
    const int64_t today =
        total * (d + 1) / options.days - total * d / options.days;
    day_plan.clear();
    day_plan.reserve(today);
    for (int64_t i = 0; i < today; ++i) {
      PlannedExposure e;
      const uint64_t kind = rng.Below(100);
      uint32_t a = static_cast<uint32_t>(rng.Below(n));
      uint32_t b = a;
      int64_t start = 0;
      int64_t length = 0;
      if (kind < 30) {  // household, in the evening
        const uint32_t h = household_of_person[a];
        const uint32_t size = household_first[h + 1] - household_first[h];
        if (size >= 2) {
          b = household_first[h] + static_cast<uint32_t>(rng.Below(size - 1));
          if (b >= a) ++b;
        }
        e.setting = v1::EXPOSURE_SETTING_HOUSEHOLD;
        start = rng.Between(18 * 3600, 21 * 3600);
        length = rng.Between(3600, 3 * 3600);
      } else if (kind < 60) {  // a neighbour in the grid
        const int64_t g = household_of_person[a] / 150;
        const uint32_t lo = grid_first[g];
        const uint32_t size = grid_first[g + 1] - lo;
        if (size >= 2) {
          b = lo + static_cast<uint32_t>(rng.Below(size - 1));
          if (b >= a) ++b;
        }
        e.setting = rng.Chance(0.5) ? v1::EXPOSURE_SETTING_GATHERING
                                    : v1::EXPOSURE_SETTING_OTHER;
        start = rng.Between(8 * 3600, 19 * 3600);
        length = rng.Between(600, 3600);
      } else if (kind < 90) {  // work or school across the township
        const int64_t t =
            township_of_village(village_of_grid(household_of_person[a] / 150));
        const uint32_t lo = township_first[t];
        const uint32_t size = township_first[t + 1] - lo;
        if (size >= 2) {
          b = lo + static_cast<uint32_t>(rng.Below(size - 1));
          if (b >= a) ++b;
        }
        e.setting = rng.Chance(0.7) ? v1::EXPOSURE_SETTING_WORK
                                    : v1::EXPOSURE_SETTING_SCHOOL;
        start = rng.Between(8 * 3600, 15 * 3600);
        length = rng.Between(3600, 4 * 3600);
      } else {  // long range: a market, a bus
        b = static_cast<uint32_t>(rng.Below(n - 1));
        if (b >= a) ++b;
        e.setting = rng.Chance(0.5) ? v1::EXPOSURE_SETTING_TRANSPORT
                                    : v1::EXPOSURE_SETTING_GATHERING;
        start = rng.Between(7 * 3600, 20 * 3600);
        length = rng.Between(300, 5400);
      }
      if (b == a) {  // a single-person household or grid: go long range
        b = static_cast<uint32_t>(rng.Below(n - 1));
        if (b >= a) ++b;
        e.setting = v1::EXPOSURE_SETTING_OTHER;
      }
      e.a = a;
      e.b = b;
      e.start = seconds_at(day, start);
      e.end = e.start + length;
      day_plan.push_back(e);
    }
    std::sort(day_plan.begin(), day_plan.end(),
              [](const PlannedExposure& x, const PlannedExposure& y) {
                return x.start < y.start;
              });
    for (const PlannedExposure& e : day_plan) {
      v1::Exposure* exposure = out.Next()->mutable_exposure();
      exposure->set_person_a(SyntheticPersonId(e.a));
      exposure->set_person_b(SyntheticPersonId(e.b));
      exposure->mutable_start()->set_seconds(e.start);
      exposure->mutable_end()->set_seconds(e.end);
      exposure->set_setting(e.setting);
      for (const auto& [c, other] :
           {std::pair(e.a, e.b), std::pair(e.b, e.a)}) {
        auto it = case_index.find(c);
        if (it == case_index.end() || case_index.contains(other)) continue;
        // Qualifying: ends after the look-back start, starts before the
        // case goes to hospital (2 hours after its diagnosis).
        const int64_t lookback_start =
            seconds_at(onset_day(it->second), 0) - 2 * 86400;
        const int64_t removed =
            seconds_at(onset_day(it->second) + 2, 12 * 3600);
        if (e.end < lookback_start || e.start >= removed) continue;
        auto& seen = case_contacts[other];
        seen = std::make_pair(it->second, std::max(seen.second, e.end));
      }
    }
    made += static_cast<int64_t>(day_plan.size());
  }
  summary.exposures = made;

  // --- Activity: diagnoses, stays, checks, passages. ---
  if (options.activity && out.status().ok()) {
    const absl::CivilDay last_day = options.first_day + (options.days - 1);
    const int64_t period_end = seconds_at(last_day, 22 * 3600);
    std::vector<std::pair<uint32_t, int64_t>> in_stay;  // person, start
    for (size_t i = 0; i < case_persons.size(); ++i) {
      const uint32_t p = case_persons[i];
      const int64_t diagnosed =
          seconds_at(onset_day(static_cast<int>(i)) + 2, 10 * 3600);
      v1::Diagnosis* diagnosis = out.Next()->mutable_diagnosis();
      diagnosis->set_person_id(SyntheticPersonId(p));
      diagnosis->set_status(v1::DIAGNOSIS_STATUS_CONFIRMED);
      *diagnosis->mutable_onset() = ToDate(onset_day(static_cast<int>(i)));
      diagnosis->mutable_time()->set_seconds(diagnosed);
      ++summary.diagnoses;
      summary.case_ids.push_back(SyntheticPersonId(p));
      if (diagnosed + 2 * 3600 <= period_end) {
        v1::QuarantineAction* stay = out.Next()->mutable_quarantine_action();
        stay->set_person_id(SyntheticPersonId(p));
        stay->set_action(v1::QUARANTINE_ACTION_KIND_START);
        stay->set_place(v1::QUARANTINE_PLACE_HOSPITAL);
        stay->mutable_time()->set_seconds(diagnosed + 2 * 3600);
        ++summary.quarantine_actions;
        in_stay.emplace_back(p, diagnosed + 2 * 3600);
      }
    }
    // Contacts: exposed ones and household members, placed in centralized
    // stays 6 hours after their case's diagnosis; the first is left
    // unplaced and the second released early (open loops to find).
    std::vector<std::pair<uint32_t, int>> contacts;
    for (const auto& [person, seen] : case_contacts) {
      contacts.emplace_back(person, seen.first);
    }
    for (size_t i = 0; i < case_persons.size(); ++i) {
      const uint32_t h = household_of_person[case_persons[i]];
      for (uint32_t m = household_first[h]; m < household_first[h + 1]; ++m) {
        if (m != case_persons[i] && !case_index.contains(m) &&
            !case_contacts.contains(m)) {
          contacts.emplace_back(m, static_cast<int>(i));
        }
      }
    }
    std::sort(contacts.begin(), contacts.end());
    for (size_t k = 0; k < contacts.size(); ++k) {
      const auto [person, c] = contacts[k];
      const int64_t placed = seconds_at(onset_day(c) + 2, 16 * 3600);
      if (k == 0 || placed > period_end) continue;  // left unplaced
      v1::QuarantineAction* stay = out.Next()->mutable_quarantine_action();
      stay->set_person_id(SyntheticPersonId(person));
      stay->set_action(v1::QUARANTINE_ACTION_KIND_START);
      stay->set_place(v1::QUARANTINE_PLACE_CENTRALIZED);
      stay->mutable_time()->set_seconds(placed);
      ++summary.quarantine_actions;
      summary.placed_contact_ids.push_back(SyntheticPersonId(person));
      if (k == 1 && placed + 2 * 86400 <= period_end) {
        v1::QuarantineAction* end = out.Next()->mutable_quarantine_action();
        end->set_person_id(SyntheticPersonId(person));
        end->set_action(v1::QUARANTINE_ACTION_KIND_END);
        end->mutable_time()->set_seconds(placed + 2 * 86400);
        ++summary.quarantine_actions;
        continue;
      }
      in_stay.emplace_back(person, placed);
    }
    // Twice-daily checks from the day after placement, about 3% missed;
    // the first placed contact is no longer checked after two days (a
    // missed_check to find); one fever (37.8 °C) that nobody escalates.
    bool fever_done = false;
    for (size_t s = 0; s < in_stay.size(); ++s) {
      const auto& [person, start] = in_stay[s];
      const absl::CivilDay first =
          absl::ToCivilDay(absl::FromUnixSeconds(start), zone) + 1;
      const absl::CivilDay last =
          s == case_persons.size() ? std::min(last_day, first + 1) : last_day;
      for (absl::CivilDay day = first; day <= last; ++day) {
        for (int hour : {8, 20}) {
          if (rng.Chance(0.03)) continue;
          v1::HealthCheck* check = out.Next()->mutable_health_check();
          check->set_person_id(SyntheticPersonId(person));
          check->mutable_time()->set_seconds(seconds_at(day, hour * 3600));
          double t = 36.1 + static_cast<double>(rng.Below(10)) / 10.0;
          if (!fever_done && !case_index.contains(person) && day > first) {
            t = 37.8;
            fever_done = true;
          }
          check->set_temperature_celsius(t);
          check->set_checked_by(
              absl::StrFormat("medic-%02d", rng.Below(20) + 1));
          ++summary.health_checks;
        }
      }
    }
    // Passages: residents going through their township's checkpoints, and
    // one placed contact slipping out (a breach).
    const int64_t passages = std::max<int64_t>(20, n / 3000);
    for (int64_t i = 0; i < passages; ++i) {
      const uint32_t p = static_cast<uint32_t>(rng.Below(n));
      const int64_t t =
          township_of_village(village_of_grid(household_of_person[p] / 150));
      v1::CheckpointPassage* passage = out.Next()->mutable_checkpoint_passage();
      passage->set_person_id(SyntheticPersonId(p));
      passage->set_checkpoint_id(
          absl::StrFormat("%s-cp%d", township_id(t), rng.Below(4) + 1));
      const int64_t time_of_day = rng.Between(7 * 3600, 21 * 3600);
      const absl::CivilDay day =
          options.first_day + static_cast<int>(rng.Below(options.days));
      passage->mutable_time()->set_seconds(seconds_at(day, time_of_day));
      passage->set_direction(rng.Chance(0.5) ? v1::PASSAGE_DIRECTION_IN
                                             : v1::PASSAGE_DIRECTION_OUT);
      ++summary.passages;
    }
    if (in_stay.size() > case_persons.size()) {
      const auto& [person, start] = in_stay[case_persons.size()];
      if (start + 86400 <= period_end) {
        v1::CheckpointPassage* passage =
            out.Next()->mutable_checkpoint_passage();
        passage->set_person_id(SyntheticPersonId(person));
        passage->set_checkpoint_id("yl-t01-cp1");
        passage->mutable_time()->set_seconds(start + 86400);
        passage->set_direction(v1::PASSAGE_DIRECTION_OUT);
        ++summary.passages;
      }
    }
  }
  out.Flush();
  if (!out.status().ok()) return out.status();
  return summary;
}

}  // namespace contactledger
