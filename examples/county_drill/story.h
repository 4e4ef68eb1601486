// Copyright 2026 The ContactLedger Authors.
//
// The Yuanling story, replayed day by day into a ledger: 22 January to
// 8 February 2020 in a synthetic county shaped like Yuanling, Hunan
// (docs/field_practice.md).
//
// Every day has its routine (story_routine.cc): yesterday's contact records
// filed in the morning, health checks at 08:00 and 20:00 for everyone in a
// stay, the end of 14-day stays, residents passing the townships'
// checkpoints, and the evening report. On some days something happens
// (story.cc): carpet screening registers the returnees and puts the
// Hubei-related ones under home observation; one of the 14 back from Wuhan in
// Madiyi village runs a fever on 25 January and is confirmed on the 27th; the
// county CDC asks the ledger for the close contacts and places them (one a
// day late); one contact's fever is escalated and another's is not; a contact
// slips through a checkpoint; a re-screening in Nanmupu finds five people
// nobody had registered; the case is discharged cured on 5 February.
//
// Each record carries the moment the county wrote it down (the StoryClock),
// so that a query with known_at answers as the county knew it then.

#ifndef EXAMPLES_COUNTY_DRILL_STORY_H_
#define EXAMPLES_COUNTY_DRILL_STORY_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "county_drill/county_time.h"
#include "county_drill/support.h"
#include "county_drill/synthetic_feed.h"

namespace county_drill {

class Story {
 public:
  // `ledger` is new and empty, and uses `clock`; both must outlive the
  // story. `persons` and `seed` shape the synthetic county.
  Story(contactledger::Ledger* ledger, StoryClock* clock, int64_t persons,
        uint64_t seed);

  // Loads the synthetic county's register, then replays the story from
  // 22 January to 8 February, printing each evening's report (22:00) on
  // stdout. Returns when everything is recorded, the synthetic county's
  // contacts included. Exits the program on an error (Check).
  void Replay();

  // The story's townships (Madiyi, Nanmupu): the report always shows them.
  std::set<std::string> highlight() const { return {madiyi_, nanmupu_}; }
  // The confirmed case.
  const std::string& case_id() const { return case_id_; }
  // Synthetic exposures not recorded: a person was in hospital or
  // centralized quarantine.
  int64_t exposures_not_recorded() const { return feed_.dropped(); }
  // Time spent appending the synthetic county's exposures.
  absl::Duration append_time() const { return feed_.append_time(); }
  // Time spent on the evening reports (the evening hook included).
  absl::Duration report_time() const { return report_time_; }
  // Called each evening after the report, with the report's moment (the
  // drill writes its dashboard page there). Set before Replay().
  void set_evening_hook(std::function<void(absl::Time)> hook) {
    evening_hook_ = std::move(hook);
  }

 private:
  // An event waiting to be recorded.
  struct Pending {
    absl::Time record_time;
    std::string actor;
    contactledger::v1::LedgerEvent event;
  };
  // A stay in hospital, centralized quarantine or at home.
  struct StaySpan {
    contactledger::v1::QuarantinePlace place;
    absl::Time start;
    absl::Time end = absl::InfiniteFuture();  // open
  };
  // An override of one scheduled health check.
  struct CheckScript {
    double temperature = 0;  // 0: the usual
    std::vector<std::string> symptoms;
    bool missed = false;
  };

  // --- Recording (story_routine.cc). ---
  // Queues `event`, recorded at `record_time` by `actor`. Events recorded on
  // a later day wait for it.
  void Add(absl::Time record_time, absl::string_view actor,
           contactledger::v1::LedgerEvent event);
  // Records the queued events in record-time order, one batch per record
  // time and actor, with the clock set to each record time.
  void Flush();
  // Follows the stays: who is where, and whose synthetic exposures are not
  // recorded.
  void Track(const contactledger::v1::QuarantineAction& action);
  // A line of today's story, shown in the evening report.
  void Note(absl::Time t, std::string text) {
    notes_.emplace_back(t, std::move(text));
  }

  // --- The routine of every day (story_routine.cc). ---
  void MorningChecksAndReleases(absl::CivilDay day);
  void EveningChecksAndTraffic(absl::CivilDay day);
  // The scheduled checks of everyone in a stay at `slot` (08:00 or 20:00).
  void ChecksAt(absl::Time slot);
  // Ends `person`'s stay at `place` on the morning of `day`.
  void ScheduleRelease(absl::CivilDay day, const std::string& person,
                       contactledger::v1::QuarantinePlace place) {
    releases_[day].emplace_back(person, place);
  }
  // Overrides `person`'s scheduled check at `slot`.
  CheckScript& ScriptCheck(const std::string& person, absl::Time slot);
  // The open stay of `id`, or null.
  const StaySpan* OpenStayOf(const std::string& id) const;

  // --- The story (story.cc). ---
  // Picks the story's places and people from the register, and the day each
  // returnee is screened.
  void CastTheStory();
  // What happens on `day` beyond the routine.
  void Plot(absl::CivilDay day);
  // Carpet screening: the day's returnees registered, the Hubei-related
  // ones put under home observation.
  void Screening(absl::CivilDay day);
  // The day of confirmation: the case's account, the ledger's list of close
  // contacts, their placement.
  void TraceContacts(absl::CivilDay day);
  // Nanmupu's re-screening, and the people it finds.
  void Rescreening(absl::CivilDay day);
  void RegisterTheFound(absl::CivilDay day);
  // "p00106061 王建", or the id alone.
  std::string Label(const std::string& id);

  contactledger::Ledger* const ledger_;
  StoryClock* const clock_;
  const int64_t persons_;
  const uint64_t seed_;
  // Per person, the spans in which the feed does not record their exposures.
  absl::flat_hash_map<std::string, SyntheticFeed::Intervals> removed_;
  SyntheticFeed feed_;
  Random traffic_;
  absl::Duration report_time_;
  std::function<void(absl::Time)> evening_hook_;

  absl::CivilDay today_ = kFirstDay;
  std::vector<Pending> pending_;
  std::map<absl::CivilDay, std::vector<Pending>> later_;
  std::vector<std::pair<absl::Time, std::string>> notes_;
  // Every stay recorded, per person, in time order.
  absl::flat_hash_map<std::string, std::vector<StaySpan>> stays_;
  std::map<
      absl::CivilDay,
      std::vector<std::pair<std::string, contactledger::v1::QuarantinePlace>>>
      releases_;
  absl::flat_hash_map<std::string, CheckScript> scripts_;  // "id@unix"
  absl::flat_hash_set<std::string> not_traffic_;  // never drawn for traffic
  int64_t missed_today_ = 0;

  // Picked in CastTheStory().
  std::vector<std::string> townships_;
  std::vector<std::vector<std::string>> township_persons_;
  std::string madiyi_, madiyi_village_, nanmupu_;
  std::string case_id_;
  std::vector<std::string> wuhan14_;
  std::vector<std::string> dinner_guests_;
  std::string driver_;
  std::map<absl::CivilDay, std::vector<contactledger::v1::Person>> screening_;
  // Set on the day of confirmation.
  std::vector<std::string> contacts_;
  std::string fever_escalated_, fever_missed_, breacher_, late_;
  // Set by the re-screening.
  std::vector<std::string> newcomers_;
  std::vector<std::string> newcomer_hosts_;
};

}  // namespace county_drill

#endif  // EXAMPLES_COUNTY_DRILL_STORY_H_
