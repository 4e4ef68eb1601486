// Copyright 2026 The ContactLedger Authors.
//
// The Yuanling story itself (story.h): its places and people, picked from the
// synthetic register, and what happens to them day by day, from carpet
// screening on 22 January to the case's discharge on 5 February.

#include "county_drill/story.h"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "county_drill/county_time.h"
#include "county_drill/events.h"
#include "county_drill/support.h"

namespace county_drill {

namespace v1 = ::contactledger::v1;

using ::contactledger::ReadOptions;
using ::contactledger::Role;
using ::contactledger::RosterEntry;
using ::contactledger::Tracer;

namespace {

constexpr absl::CivilDay kJan25(2020, 1, 25);
constexpr absl::CivilDay kConfirmed(2020, 1, 27);
constexpr absl::CivilDay kFeb1(2020, 2, 1);
constexpr absl::CivilDay kFeb2(2020, 2, 2);
constexpr absl::CivilDay kFeb3(2020, 2, 3);
constexpr absl::CivilDay kFeb5(2020, 2, 5);

// Of the close contacts named on the day of confirmation, those placed that
// evening; one more is placed a day late, the rest the next morning.
size_t PlacedTonight(size_t contacts) {
  return contacts < 3 ? contacts - 1 : (contacts * 3 + 4) / 5;
}

}  // namespace

std::string Story::Label(const std::string& id) {
  absl::StatusOr<v1::Person> p = ledger_->GetPerson(id, ReadOptions());
  return p.ok() ? absl::StrCat(id, " ", p->name()) : id;
}

void Story::CastTheStory() {
  const ReadOptions read;
  townships_ = Unwrap(ledger_->ChildAreas("yl", read), "ChildAreas");
  for (const std::string& t : townships_) {
    township_persons_.push_back(
        Unwrap(ledger_->PersonsInArea(t, read), "PersonsInArea"));
  }
  // The article's places: Madiyi township and village, Nanmupu township.
  madiyi_ = townships_[std::min<size_t>(6, townships_.size() - 1)];
  nanmupu_ = townships_[std::min<size_t>(11, townships_.size() - 1)];
  madiyi_village_ = Unwrap(ledger_->ChildAreas(madiyi_, read), "villages")[0];
  const absl::Time named = At(kFirstDay, 8, 5);
  for (const auto& [id, name] :
       std::vector<std::pair<std::string, std::string>>{
           {madiyi_, "Madiyi Township 马底驿乡"},
           {madiyi_village_, "Madiyi Village 马底驿村"},
           {nanmupu_, "Nanmupu Township 楠木铺乡"}}) {
    v1::LedgerEvent event;
    *event.mutable_area() = Unwrap(ledger_->GetArea(id, read), "GetArea");
    event.mutable_area()->set_name(name);
    Add(named, "county command", std::move(event));
  }

  // Madiyi village: the 14 back from Wuhan, one of whom becomes the case.
  const std::vector<std::string> village =
      Unwrap(ledger_->PersonsInArea(madiyi_village_, read), "village");
  std::map<std::string, std::vector<std::string>> households;  // sorted
  std::vector<std::string> household_order;
  for (const std::string& id : village) {
    const std::string h =
        Unwrap(ledger_->GetPerson(id, read), "GetPerson").household_id();
    if (households[h].empty()) household_order.push_back(h);
    households[h].push_back(id);
  }
  // The case lives with three others (or in the largest household).
  size_t case_household = 0;
  for (size_t i = 0; i < household_order.size(); ++i) {
    const size_t size = households[household_order[i]].size();
    if (size == 4) {
      case_household = i;
      break;
    }
    if (size > households[household_order[case_household]].size()) {
      case_household = i;
    }
  }
  case_id_ = households[household_order[case_household]][0];
  // The other 13: one per household, from the households after the case's.
  wuhan14_.push_back(case_id_);
  for (size_t k = 1; wuhan14_.size() < 14 && k < household_order.size(); ++k) {
    const auto& members = households[household_order[(case_household + 3 * k) %
                                                     household_order.size()]];
    const std::string& pick = members.back();
    if (std::find(wuhan14_.begin(), wuhan14_.end(), pick) == wuhan14_.end()) {
      wuhan14_.push_back(pick);
    }
  }
  std::sort(wuhan14_.begin(), wuhan14_.end());
  // New Year's Eve dinner: the two households next door; the minibus driver
  // lives in the township's next village.
  for (size_t k = 1; k <= 2 && k < household_order.size(); ++k) {
    for (const std::string& id :
         households[household_order[(case_household + k) %
                                    household_order.size()]]) {
      if (dinner_guests_.size() < 6) dinner_guests_.push_back(id);
    }
  }
  const std::vector<std::string> villages =
      Unwrap(ledger_->ChildAreas(madiyi_, read), "villages");
  const std::vector<std::string> next_village = Unwrap(
      ledger_->PersonsInArea(villages[villages.size() > 1 ? 1 : 0], read),
      "village");
  driver_ = next_village[next_village.size() / 2];
  if (driver_ == case_id_) driver_ = next_village.front();

  // Carpet screening: the returnees the register lacked, registered over
  // three days with their travel. In Madiyi village exactly the 14 are back
  // from Wuhan.
  const absl::flat_hash_set<std::string> in_village(village.begin(),
                                                    village.end());
  const absl::flat_hash_set<std::string> group(wuhan14_.begin(),
                                               wuhan14_.end());
  std::vector<v1::Person> returnees = feed_.TakeReturnees();
  for (v1::Person& p : returnees) {
    if (group.count(p.id()) > 0) continue;  // re-made below
    if (in_village.count(p.id()) > 0 && HasTag(p, "from_wuhan")) {
      // Someone else in the village: back from Xiaogan instead.
      p.clear_tags();
      p.add_tags("returnee");
      p.add_tags("hubei_related");
      p.mutable_travel_history(0)->set_place("Xiaogan, Hubei");
    }
    absl::CivilDay day =
        kFirstDay + static_cast<int>(StableHash(p.id(), 3) % 3);
    for (const v1::TravelEntry& t : p.travel_history()) {
      if (t.has_to()) day = std::max(day, FromDate(t.to()) + 1);
    }
    screening_[std::min(day, kFirstDay + 2)].push_back(std::move(p));
  }
  for (size_t i = 0; i < wuhan14_.size(); ++i) {
    v1::Person p = Unwrap(ledger_->GetPerson(wuhan14_[i], read), "GetPerson");
    p.clear_tags();
    p.clear_travel_history();
    p.add_tags("returnee");
    p.add_tags("hubei_related");
    p.add_tags("from_wuhan");
    v1::TravelEntry* travel = p.add_travel_history();
    travel->set_place("Wuhan, Hubei");
    *travel->mutable_from() =
        ToDate(absl::CivilDay(2020, 1, 6) + static_cast<int>(i % 5));
    *travel->mutable_to() = ToDate(absl::CivilDay(2020, 1, 20));
    screening_[kFirstDay + 1].push_back(std::move(p));
  }
  not_traffic_.insert(case_id_);
  for (const std::string& id : dinner_guests_) not_traffic_.insert(id);
  not_traffic_.insert(driver_);
  for (const std::string& m : households[household_order[case_household]]) {
    not_traffic_.insert(m);
  }
  Flush();
  std::cout << "  the drill's places: " << madiyi_ << " (Madiyi Township), "
            << madiyi_village_ << " (Madiyi Village, " << Num(village.size())
            << " people), " << nanmupu_ << " (Nanmupu Township)\n";
}

void Story::Plot(absl::CivilDay day) {
  if (day <= kFirstDay + 2) Screening(day);
  if (day == kJan25) {
    // The case's evening check at home: fever, escalated within the hour.
    CheckScript& fever = ScriptCheck(case_id_, At(day, 20));
    fever.temperature = 37.8;
    fever.symptoms = {"cough", "fatigue"};
    const absl::Time suspected = At(day, 21, 10);
    const absl::Time admitted = At(day, 21, 40);
    Add(suspected + absl::Minutes(5), "township health centre",
        DiagnosisEvent(case_id_, v1::DIAGNOSIS_STATUS_SUSPECTED, suspected));
    Add(admitted + absl::Minutes(5), "county people's hospital",
        StayStartEvent(case_id_, v1::QUARANTINE_PLACE_HOSPITAL, admitted));
    Note(At(day, 20),
         absl::StrCat(Label(case_id_),
                      " (one of the 14) 37.8 °C with a cough at the evening "
                      "check -> 21:10 suspected -> 21:40 isolated in the "
                      "county hospital"));
  }
  if (day == kConfirmed) TraceContacts(day);
  if (day == kConfirmed + 1 && contacts_.size() > 1) {
    const size_t n = contacts_.size();
    const size_t tonight = PlacedTonight(n);
    if (n - tonight - 1 > 0) {
      Note(At(day, 9, 30),
           absl::StrCat(n - tonight - 1, " more close contacts placed; ", late_,
                        " still not found"));
    }
  }
  if (day == kConfirmed + 2) {
    Note(At(day, 11), absl::StrCat(late_,
                                   " placed at last, a day late (unplaced "
                                   "since 01-28 10:00)"));
  }
  if (day == kConfirmed + 3 && !fever_escalated_.empty()) {
    const absl::Time suspected = At(day, 9, 30);
    Add(suspected + absl::Minutes(5), "quarantine site doctor",
        DiagnosisEvent(fever_escalated_, v1::DIAGNOSIS_STATUS_SUSPECTED,
                       suspected));
    Add(At(day, 10, 40), "county people's hospital",
        StayStartEvent(fever_escalated_, v1::QUARANTINE_PLACE_HOSPITAL,
                       At(day, 10, 30)));
    Note(At(day, 8),
         absl::StrCat("close contact ", fever_escalated_,
                      " 37.6 °C, sore throat -> 09:30 suspected (escalated "
                      "in 1.5 h) -> 10:30 to hospital for tests"));
  }
  if (day == kFeb1) {
    if (!breacher_.empty()) {
      // A contact slips out of the quarantine hotel; the guard asks the
      // ledger, turns him back and logs the passage: a breach.
      Flush();
      const absl::Time t = At(day, 15, 10);
      const std::string checkpoint = absl::StrCat(madiyi_, "-cp2");
      std::unique_ptr<Tracer> tracer =
          Unwrap(Tracer::Create(*ledger_, QueryAt(t)), "Tracer");
      const contactledger::PassDecision decision =
          Unwrap(tracer->MayPass(breacher_, checkpoint), "MayPass");
      Add(t + absl::Minutes(20), absl::StrCat("checkpoint ", checkpoint),
          PassageEvent(breacher_, checkpoint, t, v1::PASSAGE_DIRECTION_OUT));
      Note(t, absl::StrCat("close contact ", breacher_, " at ", checkpoint,
                           ": MayPass says ", decision.allowed ? "yes" : "no",
                           " (", decision.reason, "); a breach, logged"));
      Flush();
    }
    if (!fever_escalated_.empty()) {
      Add(At(day, 16, 10), "county CDC",
          DiagnosisEvent(fever_escalated_, v1::DIAGNOSIS_STATUS_CLEARED,
                         At(day, 16)));
      Add(At(day, 17, 10), "Madiyi township team",
          StayStartEvent(fever_escalated_, v1::QUARANTINE_PLACE_CENTRALIZED,
                         At(day, 17)));
      Note(At(day, 16), absl::StrCat(fever_escalated_,
                                     " cleared (two negative tests), back to "
                                     "the quarantine site"));
    }
    Rescreening(day);
  }
  if (day == kFeb2 && !fever_missed_.empty()) {
    Note(At(day, 8), absl::StrCat("close contact ", fever_missed_,
                                  " 37.4 °C at the morning check; nobody "
                                  "escalates it"));
  }
  if ((day == kFeb2 || day == kFeb3) && !newcomers_.empty()) {
    RegisterTheFound(day);
  }
  if (day == kFeb5) {
    Add(At(day, 10, 10), "county people's hospital",
        DiagnosisEvent(case_id_, v1::DIAGNOSIS_STATUS_RECOVERED, At(day, 10)));
    Add(At(day, 10, 40), "county people's hospital",
        StayEndEvent(case_id_, At(day, 10, 30)));
    Add(At(day, 11, 10), "Madiyi township team",
        StayStartEvent(case_id_, v1::QUARANTINE_PLACE_HOME, At(day, 11)));
    Note(At(day, 10), absl::StrCat(Label(case_id_),
                                   " discharged cured; 14 days of home "
                                   "health observation"));
  }
}

// Registers the day's returnees and puts the Hubei-related ones whose 14
// days since their return are not over under home observation.
void Story::Screening(absl::CivilDay day) {
  auto it = screening_.find(day);
  if (it == screening_.end()) return;
  int64_t hubei = 0, wuhan = 0, observed = 0, group = 0;
  const absl::flat_hash_set<std::string> fourteen(wuhan14_.begin(),
                                                  wuhan14_.end());
  for (v1::Person& p : it->second) {
    const bool in_group = fourteen.count(p.id()) > 0;
    const absl::Time recorded = in_group ? At(day, 17) : At(day, 18);
    const absl::string_view actor =
        in_group ? "Madiyi village cadres" : "carpet screening teams";
    if (HasTag(p, "hubei_related")) ++hubei;
    if (HasTag(p, "from_wuhan")) ++wuhan;
    group += in_group ? 1 : 0;
    if (HasTag(p, "hubei_related") && p.travel_history_size() > 0 &&
        p.travel_history(0).has_to()) {
      const absl::CivilDay last = FromDate(p.travel_history(0).to()) + 14;
      if (last >= day) {
        const absl::Time start = in_group ? At(day, 18) : At(day, 19);
        Add(start + absl::Minutes(10), actor,
            StayStartEvent(p.id(), v1::QUARANTINE_PLACE_HOME, start));
        ScheduleRelease(last + 1, p.id(), v1::QUARANTINE_PLACE_HOME);
        ++observed;
      }
    }
    Add(recorded, actor, PersonEvent(p));
  }
  Note(At(day, 18),
       absl::StrCat("carpet screening: ", Num(it->second.size()),
                    " returnees registered with their travel (", Num(hubei),
                    " Hubei-related, ", Num(wuhan), " from Wuhan); ",
                    Num(observed), " put under 14-day home observation"));
  if (group > 0) {
    Note(At(day, 17),
         absl::StrCat("Madiyi Village: the ", group,
                      " back from Wuhan (returned 01-20) registered, checked "
                      "twice a day at home"));
  }
}

void Story::TraceContacts(absl::CivilDay day) {
  // The case's account, taken down by the epidemiologists.
  const absl::Time confirmed = At(day, 10);
  Add(confirmed + absl::Minutes(20), "county CDC",
      DiagnosisEvent(case_id_, v1::DIAGNOSIS_STATUS_CONFIRMED, confirmed,
                     kJan25));
  Note(confirmed, absl::StrCat(Label(case_id_),
                               " confirmed (onset 01-25), in hospital since "
                               "01-25 21:40"));
  const absl::Time told = At(day, 13);
  for (const std::string& guest : dinner_guests_) {
    Add(told, "county CDC epidemiologists",
        ExposureEvent(case_id_, guest, At(absl::CivilDay(2020, 1, 24), 18),
                      At(absl::CivilDay(2020, 1, 24), 21),
                      v1::EXPOSURE_SETTING_GATHERING,
                      "New Year's Eve dinner with the neighbours"));
  }
  Add(told, "county CDC epidemiologists",
      ExposureEvent(case_id_, driver_, At(absl::CivilDay(2020, 1, 23), 9, 10),
                    At(absl::CivilDay(2020, 1, 23), 9, 50),
                    v1::EXPOSURE_SETTING_TRANSPORT,
                    "minibus to the township market"));
  Flush();

  // Who must be placed? The ledger answers as of 14:00.
  const absl::Time asked = At(day, 14);
  clock_->AdvanceTo(asked);
  std::unique_ptr<Tracer> tracer =
      Unwrap(Tracer::Create(*ledger_, QueryAt(asked)), "Tracer");
  int64_t household = 0;
  std::map<std::string, std::optional<absl::CivilDay>> until;
  for (const RosterEntry& e : tracer->Roster()) {
    if (e.role != Role::kCloseContact) continue;
    contacts_.push_back(e.person_id);
    until[e.person_id] = e.until;
    absl::StatusOr<contactledger::Explanation> x = tracer->Explain(e.person_id);
    if (x.ok()) {
      for (const auto& s : x->sources) {
        if (s.rule == "household") ++household;
      }
    }
  }
  Note(asked, absl::StrCat("tracing: the ledger names ", contacts_.size(),
                           " close contacts (", household, " household, ",
                           contacts_.size() - household,
                           " by exposure, from the records and the case's "
                           "account)"));
  for (const std::string& id : contacts_) not_traffic_.insert(id);

  // Placement: most this evening, the rest tomorrow morning, one late.
  const size_t n = contacts_.size();
  const size_t tonight = PlacedTonight(n);
  late_ = contacts_.back();
  for (size_t i = 0; i < n; ++i) {
    const std::string& id = contacts_[i];
    absl::Time placed;
    if (id == late_) {
      placed = At(day + 2, 11);
    } else if (i < tonight) {
      placed = At(day, 18);
    } else {
      placed = At(day + 1, 9, 30);
    }
    Add(placed + absl::Minutes(10), "Madiyi township team",
        StayStartEvent(id, v1::QUARANTINE_PLACE_CENTRALIZED, placed));
    if (until[id].has_value() && *until[id] + 1 <= kLastDay) {
      ScheduleRelease(*until[id] + 1, id, v1::QUARANTINE_PLACE_CENTRALIZED);
    }
  }
  Flush();
  Note(At(day, 18), absl::StrCat(tonight,
                                 " of them placed in centralized "
                                 "quarantine tonight"));

  // The follow-up the story needs: one fever escalated, one not, one
  // breach, a missed check.
  if (n >= 4) {
    // Spread over the list (sorted by id, so household and neighbours
    // first): 0, 1, the middle one and the last but one when there are
    // enough.
    const bool spread = n >= 6;
    fever_escalated_ = contacts_[0];
    fever_missed_ = contacts_[spread ? n / 2 : 1];
    breacher_ = contacts_[spread ? n - 2 : 2];
    ScriptCheck(contacts_[spread ? 1 : 3], At(day + 2, 20)).missed = true;
  }
  if (!fever_escalated_.empty()) {
    CheckScript& escalated = ScriptCheck(fever_escalated_, At(day + 3, 8));
    escalated.temperature = 37.6;
    escalated.symptoms = {"sore throat", "cough"};
    ScriptCheck(fever_missed_, At(day + 6, 8)).temperature = 37.4;
  }
}

// Nanmupu's re-screening (回头看): every household visited again, each
// person's record confirmed; five people who were never on any register turn
// up, named first in the contact records and registered in the days after.
void Story::Rescreening(absl::CivilDay day) {
  const size_t t = static_cast<size_t>(
      std::find(townships_.begin(), townships_.end(), nanmupu_) -
      townships_.begin());
  const std::vector<std::string>& people = township_persons_[t];
  // The article: 979 households, 11,237 people. Scaled with the county.
  const int64_t target =
      std::max<int64_t>(1, (11237 * persons_ + 300000) / 600000);
  const ReadOptions read;
  const absl::Time recorded = At(day, 19);
  int64_t visited = 0, households = 0;
  std::string household;
  std::vector<std::string> seen;
  for (const std::string& id : people) {
    v1::Person p = Unwrap(ledger_->GetPerson(id, read), "GetPerson");
    if (p.household_id() != household) {
      if (visited >= target) break;
      household = p.household_id();
      ++households;
    }
    AddTag(&p, "rechecked_0201");
    Add(recorded, "Nanmupu re-screening teams", PersonEvent(p));
    seen.push_back(id);
    ++visited;
  }
  static constexpr int kFound = 5;
  for (int k = 0; k < kFound; ++k) {
    const std::string host = seen[(seen.size() - 1) * k / kFound + 1];
    const std::string id = absl::StrFormat("nmp-0201-%d", k + 1);
    newcomers_.push_back(id);
    newcomer_hosts_.push_back(host);
    not_traffic_.insert(id);
    not_traffic_.insert(host);
    Add(recorded, "Nanmupu re-screening teams",
        ExposureEvent(host, id, At(absl::CivilDay(2020, 1, 21), 18 + k),
                      At(day, 9), v1::EXPOSURE_SETTING_HOUSEHOLD,
                      "staying with the family since the Spring Festival; on "
                      "no register"));
  }
  Note(recorded,
       absl::StrCat("Nanmupu re-screening (回头看): ", Num(households),
                    " households, ", Num(visited),
                    " people re-checked (the article: 979 households, "
                    "11,237 people); ",
                    kFound, " people found who were never registered"));
}

// The five found by the re-screening, registered once their identities are
// checked: four on 2 February, one the day after.
void Story::RegisterTheFound(absl::CivilDay day) {
  static const char* const kNames[] = {"向军", "李秀英", "张桂平", "刘建国",
                                       "陈红"};
  static const char* const kFrom[] = {"Wuhan, Hubei", "Guangzhou, Guangdong",
                                      "Changsha, Hunan", "Shenzhen, Guangdong",
                                      "Shanghai"};
  const ReadOptions read;
  const size_t first = day == kFeb2 ? 0 : 4;
  const size_t last = day == kFeb2 ? 4 : 5;
  for (size_t k = first; k < last && k < newcomers_.size(); ++k) {
    const v1::Person host =
        Unwrap(ledger_->GetPerson(newcomer_hosts_[k], read), "host");
    v1::Person p;
    p.set_id(newcomers_[k]);
    p.set_name(kNames[k]);
    p.set_household_id(host.household_id());
    p.add_tags("returnee");
    v1::TravelEntry* travel = p.add_travel_history();
    travel->set_place(kFrom[k]);
    *travel->mutable_from() = ToDate(absl::CivilDay(2020, 1, 12));
    *travel->mutable_to() = ToDate(absl::CivilDay(2020, 1, 21));
    if (k == 0) {
      p.add_tags("hubei_related");
      p.add_tags("from_wuhan");
      // 14 days from 21 January: observed at home to 4 February.
      Add(At(day, 12, 10), "Nanmupu township team",
          StayStartEvent(p.id(), v1::QUARANTINE_PLACE_HOME, At(day, 12)));
      ScheduleRelease(kFeb5, p.id(), v1::QUARANTINE_PLACE_HOME);
    }
    Add(At(day, first == 0 ? 11 : 10), "Nanmupu township team", PersonEvent(p));
  }
  Note(At(day, first == 0 ? 11 : 10),
       first == 0 ? "4 of the 5 found in Nanmupu registered (one back from "
                    "Wuhan: home observation to 02-04)"
                  : "the fifth found in Nanmupu registered");
}

}  // namespace county_drill
