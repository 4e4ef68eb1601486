// Copyright 2026 The ContactLedger Authors.
//
// How the story's days run (story.h): the day loop, the queue that records
// each event at the moment the county wrote it down, and the routine of every
// day: health checks at 08:00 and 20:00, the end of 14-day stays, residents
// passing the checkpoints, and the evening report.

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/synthetic.h"
#include "contactledger/v1/ledger.pb.h"
#include "county_drill/county_time.h"
#include "county_drill/daily_report.h"
#include "county_drill/events.h"
#include "county_drill/story.h"
#include "county_drill/support.h"

namespace county_drill {

namespace v1 = ::contactledger::v1;

Story::Story(contactledger::Ledger* ledger, StoryClock* clock, int64_t persons,
             uint64_t seed)
    : ledger_(ledger),
      clock_(clock),
      persons_(persons),
      seed_(seed),
      feed_(ledger, &removed_),
      traffic_(seed ^ 0x5eed) {}

void Story::Replay() {
  const absl::Time started = absl::Now();
  contactledger::SyntheticCountyOptions synthetic;
  synthetic.seed = seed_;
  synthetic.persons = persons_;
  synthetic.first_day = kFirstDay;
  synthetic.days = 17;  // 22 January to 7 February, each recorded next morning
  synthetic.time_zone = Zone();
  synthetic.cases = 0;  // the story brings its own
  synthetic.activity = false;
  // Small batches: each is indexed while it is still in the cache (50,000
  // took several times longer).
  synthetic.batch_size = 1000;

  clock_->AdvanceTo(At(kFirstDay, 8));
  feed_.Start(synthetic);
  const contactledger::LedgerStats loaded = ledger_->Stats();
  std::cout << "Loaded the household register at 08:00 on 2020-01-22: "
            << Num(loaded.areas) << " areas, " << Num(loaded.households)
            << " households, " << Num(loaded.persons) << " persons ("
            << absl::StrFormat("%.1f",
                               absl::ToDoubleSeconds(absl::Now() - started))
            << " s)\n";
  CastTheStory();

  const std::set<std::string> shown = highlight();
  std::optional<ReportView> before;
  int day_number = 0;
  for (absl::CivilDay day = kFirstDay; day <= kLastDay; ++day) {
    ++day_number;
    today_ = day;
    missed_today_ = 0;
    notes_.clear();
    const contactledger::LedgerStats start = ledger_->Stats();
    if (day > kFirstDay) {
      // Yesterday's contact records, filed in the morning.
      clock_->AdvanceTo(At(day, 7));
      feed_.ReleaseThrough(day - 1);
    }
    auto later = later_.find(day);
    if (later != later_.end()) {
      for (Pending& p : later->second) pending_.push_back(std::move(p));
      later_.erase(later);
    }
    MorningChecksAndReleases(day);
    Plot(day);
    Flush();
    EveningChecksAndTraffic(day);
    Flush();

    // The evening: the day's story, what was recorded, the report.
    std::cout << "\n== " << absl::FormatTime("%a %Y-%m-%d", At(day, 12), Zone())
              << "  day " << day_number << " of 18 " << std::string(50, '=')
              << "\n";
    std::stable_sort(
        notes_.begin(), notes_.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [t, text] : notes_) {
      std::cout << "  " << Hm(t) << "  " << text << "\n";
    }
    std::cout << "  "
              << RecordedToday(start, ledger_->Stats(), missed_today_, day)
              << "\n";
    const absl::Time report_start = absl::Now();
    ReportView view =
        PrintReport(*ledger_, At(day, kReportHour), shown, /*all_rows=*/false,
                    before.has_value() ? &*before : nullptr);
    if (evening_hook_) evening_hook_(At(day, kReportHour));
    report_time_ += absl::Now() - report_start;
    before = std::move(view);
  }
  feed_.Finish();
}

// ---------------------------------------------------------------------------
// Recording.

void Story::Add(absl::Time record_time, absl::string_view actor,
                v1::LedgerEvent event) {
  Pending p{record_time, std::string(actor), std::move(event)};
  if (DayOf(record_time) > today_) {
    later_[DayOf(record_time)].push_back(std::move(p));
  } else {
    pending_.push_back(std::move(p));
  }
}

void Story::Flush() {
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const Pending& a, const Pending& b) {
                     return a.record_time < b.record_time;
                   });
  std::vector<v1::LedgerEvent> batch;
  for (size_t i = 0; i < pending_.size();) {
    size_t j = i;
    batch.clear();
    while (j < pending_.size() &&
           pending_[j].record_time == pending_[i].record_time &&
           pending_[j].actor == pending_[i].actor) {
      pending_[j].event.set_actor(pending_[j].actor);
      batch.push_back(std::move(pending_[j].event));
      ++j;
    }
    clock_->AdvanceTo(pending_[i].record_time);
    Unwrap(ledger_->AppendBatch(batch),
           absl::StrCat("recording for ", pending_[i].actor));
    for (const v1::LedgerEvent& e : batch) {
      if (e.has_quarantine_action()) Track(e.quarantine_action());
    }
    i = j;
  }
  pending_.clear();
}

void Story::Track(const v1::QuarantineAction& action) {
  const std::string& id = action.person_id();
  const absl::Time t = ToTime(action.time());
  std::vector<StaySpan>& spans = stays_[id];
  if (!spans.empty() && spans.back().end == absl::InfiniteFuture()) {
    // An end, or a start while a stay is open (a transfer), ends it.
    spans.back().end = t;
    if (spans.back().place != v1::QUARANTINE_PLACE_HOME) {
      removed_[id].back().second = absl::ToUnixSeconds(t);
    }
  }
  if (action.action() == v1::QUARANTINE_ACTION_KIND_START) {
    spans.push_back(StaySpan{action.place(), t});
    if (action.place() != v1::QUARANTINE_PLACE_HOME) {
      removed_[id].emplace_back(absl::ToUnixSeconds(t),
                                std::numeric_limits<int64_t>::max());
    }
    not_traffic_.insert(id);
  }
}

const Story::StaySpan* Story::OpenStayOf(const std::string& id) const {
  auto it = stays_.find(id);
  if (it == stays_.end() || it->second.empty() ||
      it->second.back().end != absl::InfiniteFuture()) {
    return nullptr;
  }
  return &it->second.back();
}

// ---------------------------------------------------------------------------
// The routine of every day.

Story::CheckScript& Story::ScriptCheck(const std::string& person,
                                       absl::Time slot) {
  return scripts_[absl::StrCat(person, "@", absl::ToUnixSeconds(slot))];
}

void Story::ChecksAt(absl::Time slot) {
  std::vector<std::pair<std::string, v1::QuarantinePlace>> in_stay;
  for (const auto& [id, spans] : stays_) {
    for (const StaySpan& span : spans) {
      if (span.start <= slot && slot < span.end) {
        in_stay.emplace_back(id, span.place);
      }
    }
  }
  std::sort(in_stay.begin(), in_stay.end());
  const bool evening = absl::ToCivilHour(slot, Zone()).hour() >= 12;
  for (const auto& [id, place] : in_stay) {
    double temperature =
        36.1 +
        static_cast<double>(StableHash(id, absl::ToUnixSeconds(slot)) % 9) /
            10.0;
    std::vector<std::string> symptoms;
    auto script =
        scripts_.find(absl::StrCat(id, "@", absl::ToUnixSeconds(slot)));
    if (script != scripts_.end()) {
      if (script->second.missed) {
        ++missed_today_;
        continue;
      }
      temperature = script->second.temperature;
      symptoms = script->second.symptoms;
    } else if (place == v1::QUARANTINE_PLACE_HOME && id != case_id_) {
      // Now and then a home check is not done: in the evening it shows as a
      // missed_check by 22:00; in the morning the evening check covers it.
      const uint64_t h = StableHash(id, absl::ToUnixSeconds(slot) + 7);
      if (h % (evening ? 900 : 400) == 0) {
        ++missed_today_;
        continue;
      }
    }
    std::string by;
    switch (place) {
      case v1::QUARANTINE_PLACE_HOSPITAL:
        by = "county people's hospital";
        break;
      case v1::QUARANTINE_PLACE_CENTRALIZED:
        by = "quarantine site doctor";
        break;
      default:
        by = "village doctor";
    }
    Add(slot + absl::Minutes(30), "health check rounds",
        CheckEvent(id, slot, temperature, symptoms, by));
  }
}

void Story::MorningChecksAndReleases(absl::CivilDay day) {
  ChecksAt(At(day, 8));
  auto it = releases_.find(day);
  if (it == releases_.end()) return;
  int64_t home = 0, centralized = 0, group = 0;
  for (const auto& [id, place] : it->second) {
    const StaySpan* stay = OpenStayOf(id);
    if (stay == nullptr || stay->place != place) continue;
    Add(At(day, 9, 15), "township teams", StayEndEvent(id, At(day, 9)));
    (place == v1::QUARANTINE_PLACE_HOME ? home : centralized) += 1;
    if (place == v1::QUARANTINE_PLACE_HOME &&
        std::find(wuhan14_.begin(), wuhan14_.end(), id) != wuhan14_.end()) {
      ++group;
    }
  }
  if (home > 0) {
    Note(
        At(day, 9),
        absl::StrCat(
            Num(home), home == 1 ? " returnee ends" : " returnees end",
            " 14 days of home observation",
            group > 0 ? absl::StrCat(" (", group, " of the Madiyi group of 14)")
                      : ""));
  }
  if (centralized > 0) {
    Note(At(day, 9),
         absl::StrCat(centralized,
                      centralized == 1 ? " close contact" : " close contacts",
                      " released from centralized quarantine after 14 days"));
  }
}

void Story::EveningChecksAndTraffic(absl::CivilDay day) {
  ChecksAt(At(day, 20));
  // Residents passing the townships' checkpoints during the day.
  const int64_t passages = std::max<int64_t>(20, persons_ / 6000);
  for (int64_t i = 0; i < passages; ++i) {
    const size_t t = traffic_.Below(townships_.size());
    const std::vector<std::string>& people = township_persons_[t];
    const std::string& id = people[traffic_.Below(people.size())];
    if (not_traffic_.count(id) > 0) continue;
    const absl::Time when =
        At(day, 7) + absl::Minutes(static_cast<int64_t>(traffic_.Below(780)));
    Add(At(day, 21), "checkpoint guards",
        PassageEvent(
            id, absl::StrCat(townships_[t], "-cp", traffic_.Below(4) + 1), when,
            traffic_.Below(2) == 0 ? v1::PASSAGE_DIRECTION_IN
                                   : v1::PASSAGE_DIRECTION_OUT));
  }
}

}  // namespace county_drill
