// Copyright 2026 The ContactLedger Authors.
//
// Quickstart: records a small county's first week of an outbreak in late
// January 2020 through the public API, then prints what the ledger holds.
//
// What it records, in three batches (Ledger::AppendBatch):
//   1. Screening: the area tree (a county, 2 townships, 3 villages, 3 grids),
//      6 households with the worker answering for each (one has none yet),
//      and 15 persons, some tagged as returnees from Hubei with their travel.
//   2. Case report: a returnee from Wuhan falls ill, is suspected, isolated in
//      hospital and confirmed; the tracers record whom they were in contact
//      with, including a taxi driver who is not registered yet.
//   3. Follow-up: the close contacts are quarantined, checked twice a day,
//      and one neighbour passes a checkpoint.
//
// Then it reads everything back from one consistent view of the ledger.
//
// Build and run it with `bash scripts/run-example.sh`.

#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"

namespace {

namespace v1 = ::contactledger::v1;

using ::contactledger::Ledger;
using ::contactledger::ReadOptions;

// The county's time zone. Every time below is local time in it.
const absl::TimeZone& CountyZone() {
  static absl::TimeZone* zone = [] {
    auto* tz = new absl::TimeZone;
    if (!absl::LoadTimeZone("Asia/Shanghai", tz)) {
      // No tz database (Debian package tzdata) on this machine. China has
      // kept UTC+8 all year round since 1991, so a fixed offset is exact.
      std::cerr << "note: no tz data for Asia/Shanghai; using UTC+08:00\n";
      *tz = absl::FixedTimeZone(8 * 60 * 60);
    }
    return tz;
  }();
  return *zone;
}

// --- Small helpers to build events. ---

// An instant in January 2020, county time.
absl::Time Jan2020(int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2020, 1, day, hour, minute),
                         CountyZone());
}

v1::Date Date(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// Event bodies keep instants to the whole second.
void SetTime(absl::Time time, google::protobuf::Timestamp* timestamp) {
  timestamp->set_seconds(absl::ToUnixSeconds(time));
  timestamp->set_nanos(0);
}

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds());
}

v1::LedgerEvent AreaEvent(absl::string_view id, absl::string_view parent_id,
                          v1::AreaLevel level, absl::string_view name) {
  v1::LedgerEvent event;
  v1::Area* area = event.mutable_area();
  area->set_id(std::string(id));
  area->set_parent_id(std::string(parent_id));
  area->set_level(level);
  area->set_name(std::string(name));
  return event;
}

v1::LedgerEvent HouseholdEvent(absl::string_view id, absl::string_view area_id,
                               absl::string_view address,
                               absl::string_view responsible_worker) {
  v1::LedgerEvent event;
  v1::Household* household = event.mutable_household();
  household->set_id(std::string(id));
  household->set_area_id(std::string(area_id));
  household->set_address(std::string(address));
  household->set_responsible_worker(std::string(responsible_worker));
  return event;
}

// A person living in a household (and so in the household's area).
v1::LedgerEvent PersonEvent(absl::string_view id, absl::string_view name,
                            absl::string_view household_id,
                            std::initializer_list<const char*> tags = {}) {
  v1::LedgerEvent event;
  v1::Person* person = event.mutable_person();
  person->set_id(std::string(id));
  person->set_name(std::string(name));
  person->set_household_id(std::string(household_id));
  for (const char* tag : tags) person->add_tags(tag);
  return event;
}

// A person registered in an area only.
v1::LedgerEvent PersonInAreaEvent(
    absl::string_view id, absl::string_view name, absl::string_view area_id,
    std::initializer_list<const char*> tags = {}) {
  v1::LedgerEvent event;
  v1::Person* person = event.mutable_person();
  person->set_id(std::string(id));
  person->set_name(std::string(name));
  person->set_area_id(std::string(area_id));
  for (const char* tag : tags) person->add_tags(tag);
  return event;
}

// `person_event` with one more stay in its travel history.
v1::LedgerEvent WithTravel(v1::LedgerEvent person_event,
                           absl::string_view place, const v1::Date& from,
                           const v1::Date& to) {
  v1::TravelEntry* travel = person_event.mutable_person()->add_travel_history();
  travel->set_place(std::string(place));
  *travel->mutable_from() = from;
  *travel->mutable_to() = to;
  return person_event;
}

v1::LedgerEvent ExposureEvent(absl::string_view person_a,
                              absl::string_view person_b, absl::Time start,
                              absl::Time end, v1::ExposureSetting setting,
                              absl::string_view note) {
  v1::LedgerEvent event;
  v1::Exposure* exposure = event.mutable_exposure();
  exposure->set_person_a(std::string(person_a));
  exposure->set_person_b(std::string(person_b));
  SetTime(start, exposure->mutable_start());
  SetTime(end, exposure->mutable_end());
  exposure->set_setting(setting);
  exposure->set_note(std::string(note));
  return event;
}

v1::LedgerEvent DiagnosisEvent(absl::string_view person_id,
                               v1::DiagnosisStatus status, absl::Time time) {
  v1::LedgerEvent event;
  v1::Diagnosis* diagnosis = event.mutable_diagnosis();
  diagnosis->set_person_id(std::string(person_id));
  diagnosis->set_status(status);
  SetTime(time, diagnosis->mutable_time());
  return event;
}

v1::LedgerEvent QuarantineStartEvent(absl::string_view person_id,
                                     v1::QuarantinePlace place,
                                     absl::Time time) {
  v1::LedgerEvent event;
  v1::QuarantineAction* action = event.mutable_quarantine_action();
  action->set_person_id(std::string(person_id));
  action->set_action(v1::QUARANTINE_ACTION_KIND_START);
  action->set_place(place);
  SetTime(time, action->mutable_time());
  return event;
}

v1::LedgerEvent HealthCheckEvent(absl::string_view person_id, absl::Time time,
                                 double temperature_celsius,
                                 absl::string_view checked_by) {
  v1::LedgerEvent event;
  v1::HealthCheck* check = event.mutable_health_check();
  check->set_person_id(std::string(person_id));
  SetTime(time, check->mutable_time());
  check->set_temperature_celsius(temperature_celsius);
  check->set_checked_by(std::string(checked_by));
  return event;
}

v1::LedgerEvent PassageEvent(absl::string_view person_id,
                             absl::string_view checkpoint_id, absl::Time time,
                             v1::PassageDirection direction) {
  v1::LedgerEvent event;
  v1::CheckpointPassage* passage = event.mutable_checkpoint_passage();
  passage->set_person_id(std::string(person_id));
  passage->set_checkpoint_id(std::string(checkpoint_id));
  SetTime(time, passage->mutable_time());
  passage->set_direction(direction);
  return event;
}

// --- Error handling: an example stops at the first surprise. ---

void Check(const absl::Status& status, absl::string_view what) {
  if (!status.ok()) {
    std::cerr << "quickstart: " << what << ": " << status << "\n";
    std::exit(EXIT_FAILURE);
  }
}

template <typename T>
T Unwrap(absl::StatusOr<T> value, absl::string_view what) {
  Check(value.status(), what);
  return *std::move(value);
}

// Appends `events` as one batch recorded by `actor`.
void Record(Ledger& ledger, absl::string_view actor,
            std::vector<v1::LedgerEvent> events) {
  for (v1::LedgerEvent& event : events) event.set_actor(std::string(actor));
  std::vector<uint64_t> sequence_numbers =
      Unwrap(ledger.AppendBatch(events), absl::StrCat("batch by ", actor));
  std::cout << "Recorded events " << sequence_numbers.front() << "-"
            << sequence_numbers.back() << " (" << actor << ")\n";
}

// --- The county. ---

// Batch 1: the area tree, households and persons found by screening.
std::vector<v1::LedgerEvent> Screening() {
  return {
      // County -> township -> village -> grid. A parent comes before its
      // children, also within one batch.
      AreaEvent("yuanling", "", v1::AREA_LEVEL_COUNTY, "Yuanling County"),
      AreaEvent("taiyangxi", "yuanling", v1::AREA_LEVEL_TOWNSHIP,
                "Taiyangxi Town"),
      AreaEvent("madiyi", "yuanling", v1::AREA_LEVEL_TOWNSHIP,
                "Madiyi Township"),
      AreaEvent("hexi", "taiyangxi", v1::AREA_LEVEL_VILLAGE, "Hexi Village"),
      AreaEvent("nanshan", "taiyangxi", v1::AREA_LEVEL_VILLAGE,
                "Nanshan Village"),
      AreaEvent("dongping", "madiyi", v1::AREA_LEVEL_VILLAGE,
                "Dongping Village"),
      AreaEvent("hexi-g1", "hexi", v1::AREA_LEVEL_GRID, "Hexi grid 1"),
      AreaEvent("hexi-g2", "hexi", v1::AREA_LEVEL_GRID, "Hexi grid 2"),
      AreaEvent("dongping-g1", "dongping", v1::AREA_LEVEL_GRID,
                "Dongping grid 1"),

      // Each household has a named worker answering for it, except h05.
      HouseholdEvent("h01", "hexi-g1", "3 Riverside Lane", "Wang Jun"),
      HouseholdEvent("h02", "hexi-g1", "5 Riverside Lane", "Wang Jun"),
      HouseholdEvent("h03", "hexi-g2", "12 Orchard Road", "Liu Fang"),
      HouseholdEvent("h04", "nanshan", "Nanshan group 4, no. 7", "Liu Fang"),
      HouseholdEvent("h05", "dongping-g1", "Dongping group 2, no. 15", ""),
      HouseholdEvent("h06", "dongping-g1", "Dongping group 2, no. 18",
                     "Deng Wei"),

      // Persons live in a household, and so in its area.
      WithTravel(PersonEvent("p01", "Li Ming", "h01",
                             {"returnee", "hubei_related", "from_wuhan"}),
                 "Wuhan, Hubei", Date(2020, 1, 10), Date(2020, 1, 21)),
      PersonEvent("p02", "Zhang Hua", "h01"),
      PersonEvent("p03", "Li Xiaoyu", "h01"),
      PersonEvent("p04", "Chen Gang", "h02"),
      PersonEvent("p05", "Chen Li", "h02"),
      WithTravel(PersonEvent("p06", "Zhao Qiang", "h03",
                             {"returnee", "hubei_related"}),
                 "Xiaogan, Hubei", Date(2020, 1, 15), Date(2020, 1, 20)),
      PersonEvent("p07", "Sun Yan", "h03"),
      PersonEvent("p08", "Zhou Bin", "h04"),
      PersonEvent("p09", "Wu Min", "h04"),
      PersonEvent("p10", "Xu Lei", "h05", {"returnee"}),
      PersonEvent("p11", "Huang Jing", "h05"),
      PersonEvent("p12", "Xu Tao", "h05"),
      PersonEvent("p13", "Ma Lin", "h06"),
      PersonEvent("p14", "Guo Ping", "h06"),
      // The town's doctor is registered in an area, with no household.
      PersonInAreaEvent("p15", "Feng Yu", "taiyangxi", {"health_worker"}),
  };
}

// Batch 2: the case and the contacts the tracers found.
std::vector<v1::LedgerEvent> CaseReport() {
  v1::LedgerEvent confirmed =
      DiagnosisEvent("p01", v1::DIAGNOSIS_STATUS_CONFIRMED, Jan2020(27, 10, 0));
  *confirmed.mutable_diagnosis()->mutable_onset() = Date(2020, 1, 25);

  return {
      DiagnosisEvent("p01", v1::DIAGNOSIS_STATUS_SUSPECTED, Jan2020(26, 9, 30)),
      QuarantineStartEvent("p01", v1::QUARANTINE_PLACE_HOSPITAL,
                           Jan2020(26, 11, 0)),
      confirmed,

      // The driver is known only by a tracer's reference so far: the ledger
      // accepts the id and reports it as unregistered.
      ExposureEvent("p01", "taxi-driver-0121", Jan2020(21, 15, 0),
                    Jan2020(21, 16, 30), v1::EXPOSURE_SETTING_TRANSPORT,
                    "taxi from Huaihua station; driver not identified yet"),
      ExposureEvent("p01", "p02", Jan2020(21, 18, 0), Jan2020(26, 11, 0),
                    v1::EXPOSURE_SETTING_HOUSEHOLD, "lives with the case"),
      ExposureEvent("p01", "p03", Jan2020(21, 18, 0), Jan2020(26, 11, 0),
                    v1::EXPOSURE_SETTING_HOUSEHOLD, "lives with the case"),
      ExposureEvent("p01", "p04", Jan2020(24, 18, 0), Jan2020(24, 21, 0),
                    v1::EXPOSURE_SETTING_GATHERING, "New Year's Eve dinner"),
      ExposureEvent("p01", "p07", Jan2020(24, 18, 0), Jan2020(24, 21, 0),
                    v1::EXPOSURE_SETTING_GATHERING, "New Year's Eve dinner"),
      ExposureEvent("p01", "p15", Jan2020(26, 9, 0), Jan2020(26, 9, 20),
                    v1::EXPOSURE_SETTING_HEALTHCARE, "fever clinic"),
  };
}

// Batch 3: quarantine of the contacts and their twice-daily checks.
std::vector<v1::LedgerEvent> FollowUp() {
  std::vector<v1::LedgerEvent> events = {
      QuarantineStartEvent("p02", v1::QUARANTINE_PLACE_CENTRALIZED,
                           Jan2020(27, 16, 0)),
      QuarantineStartEvent("p03", v1::QUARANTINE_PLACE_CENTRALIZED,
                           Jan2020(27, 16, 0)),
      QuarantineStartEvent("p04", v1::QUARANTINE_PLACE_HOME,
                           Jan2020(27, 17, 0)),
      PassageEvent("p07", "hexi-bridge", Jan2020(28, 7, 40),
                   v1::PASSAGE_DIRECTION_OUT),
  };
  // 08:00 and 20:00 on the 28th and 29th.
  for (int day : {28, 29}) {
    for (int hour : {8, 20}) {
      events.push_back(
          HealthCheckEvent("p02", Jan2020(day, hour), 36.6, "Tan Li"));
      // The child runs a fever and coughs on the evening of the 29th.
      bool fever = day == 29 && hour == 20;
      v1::LedgerEvent check = HealthCheckEvent("p03", Jan2020(day, hour),
                                               fever ? 37.6 : 36.8, "Tan Li");
      if (fever) check.mutable_health_check()->add_symptoms("cough");
      events.push_back(check);
    }
  }
  return events;
}

// --- Reading it back. ---

// Times are shown in the county's zone, e.g. "2020-01-27 10:00".
std::string LocalTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FormatTime("%Y-%m-%d %H:%M", ToTime(timestamp), CountyZone());
}

// "2020-01-24 18:00-21:00" within a day, else "<start> to <end>".
std::string LocalTimeRange(const google::protobuf::Timestamp& start,
                           const google::protobuf::Timestamp& end) {
  const absl::TimeZone& zone = CountyZone();
  if (absl::ToCivilDay(ToTime(start), zone) ==
      absl::ToCivilDay(ToTime(end), zone)) {
    return absl::StrCat(LocalTime(start), "-",
                        absl::FormatTime("%H:%M", ToTime(end), zone));
  }
  return absl::StrCat(LocalTime(start), " to ", LocalTime(end));
}

std::string DayString(const v1::Date& date) {
  return absl::FormatCivilTime(
      absl::CivilDay(date.year(), date.month(), date.day()));
}

// An enum value as the rules spell it: "DIAGNOSIS_STATUS_CONFIRMED" with
// prefix "DIAGNOSIS_STATUS_" is "confirmed".
std::string EnumLabel(absl::string_view name, absl::string_view prefix) {
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

// "Li Ming (p01)", or "taxi-driver-0121 (unregistered)".
std::string PersonLabel(const Ledger& ledger, absl::string_view person_id,
                        const ReadOptions& read) {
  absl::StatusOr<v1::Person> person = ledger.GetPerson(person_id, read);
  if (!person.ok()) return absl::StrCat(person_id, " (unregistered)");
  return absl::StrCat(person->name(), " (", person_id, ")");
}

// Prints `area_id` and the areas below it, each with the number of persons
// living anywhere in its subtree.
void PrintAreaTree(const Ledger& ledger, absl::string_view area_id, int depth,
                   const ReadOptions& read) {
  v1::Area area = Unwrap(ledger.GetArea(area_id, read), "GetArea");
  std::vector<std::string> persons =
      Unwrap(ledger.PersonsInArea(area_id, read), "PersonsInArea");
  std::cout << std::string(2 * depth + 2, ' ') << area.name() << " ["
            << area.id() << "]: " << persons.size()
            << (persons.size() == 1 ? " person\n" : " persons\n");
  for (const std::string& child :
       Unwrap(ledger.ChildAreas(area_id, read), "ChildAreas")) {
    PrintAreaTree(ledger, child, depth + 1, read);
  }
}

void PrintHouseholds(const Ledger& ledger,
                     const std::vector<std::string>& household_ids,
                     const ReadOptions& read) {
  for (const std::string& id : household_ids) {
    v1::Household household =
        Unwrap(ledger.GetHousehold(id, read), "GetHousehold");
    std::cout << "  " << id << ", " << household.address() << " ["
              << household.area_id() << "], worker: "
              << (household.responsible_worker().empty()
                      ? "NONE (an open loop)"
                      : household.responsible_worker())
              << "\n";
    for (const std::string& member_id :
         Unwrap(ledger.HouseholdMembers(id, read), "HouseholdMembers")) {
      v1::Person member =
          Unwrap(ledger.GetPerson(member_id, read), "GetPerson");
      std::cout << "    " << member.name() << " (" << member_id << ")";
      if (member.tags_size() > 0) {
        std::cout << " [" << absl::StrJoin(member.tags(), ", ") << "]";
      }
      for (const v1::TravelEntry& travel : member.travel_history()) {
        std::cout << ", in " << travel.place() << " "
                  << DayString(travel.from()) << " to "
                  << DayString(travel.to());
      }
      std::cout << "\n";
    }
  }
}

void PrintQuarantine(const Ledger& ledger, absl::string_view person_id,
                     const ReadOptions& read) {
  for (const auto& action : Unwrap(ledger.QuarantineActionsOf(person_id, read),
                                   "QuarantineActionsOf")) {
    std::cout << "    " << LocalTime(action.body.time()) << "  quarantine "
              << EnumLabel(v1::QuarantineActionKind_Name(action.body.action()),
                           "QUARANTINE_ACTION_KIND_");
    if (action.body.action() == v1::QUARANTINE_ACTION_KIND_START) {
      std::cout << ", "
                << EnumLabel(v1::QuarantinePlace_Name(action.body.place()),
                             "QUARANTINE_PLACE_");
    }
    std::cout << "\n";
  }
}

void PrintCase(const Ledger& ledger, absl::string_view case_id,
               const ReadOptions& read) {
  std::cout << "  " << PersonLabel(ledger, case_id, read) << "\n";
  for (const auto& diagnosis :
       Unwrap(ledger.DiagnosesOf(case_id, read), "DiagnosesOf")) {
    std::cout << "    " << LocalTime(diagnosis.body.time()) << "  "
              << EnumLabel(v1::DiagnosisStatus_Name(diagnosis.body.status()),
                           "DIAGNOSIS_STATUS_");
    if (diagnosis.body.has_onset()) {
      std::cout << ", onset " << DayString(diagnosis.body.onset());
    }
    std::cout << "\n";
  }
  PrintQuarantine(ledger, case_id, read);

  std::cout << "  Exposures:\n";
  for (const auto& exposure :
       Unwrap(ledger.ExposuresOf(case_id, absl::InfinitePast(),
                                 absl::InfiniteFuture(), read),
              "ExposuresOf")) {
    const v1::Exposure& e = exposure.body;
    absl::string_view other =
        e.person_a() == case_id ? e.person_b() : e.person_a();
    std::cout << "    " << LocalTimeRange(e.start(), e.end()) << "  "
              << EnumLabel(v1::ExposureSetting_Name(e.setting()),
                           "EXPOSURE_SETTING_")
              << " with " << PersonLabel(ledger, other, read) << ": "
              << e.note() << "\n";
  }
}

void PrintFollowUp(const Ledger& ledger,
                   std::initializer_list<const char*> person_ids,
                   const ReadOptions& read) {
  for (const char* id : person_ids) {
    std::cout << "  " << PersonLabel(ledger, id, read) << "\n";
    PrintQuarantine(ledger, id, read);
    for (const auto& check :
         Unwrap(ledger.HealthChecksOf(id, read), "HealthChecksOf")) {
      std::cout << "    " << LocalTime(check.body.time()) << "  check "
                << check.body.temperature_celsius() << " C";
      if (check.body.symptoms_size() > 0) {
        std::cout << ", " << absl::StrJoin(check.body.symptoms(), ", ");
      }
      std::cout << " (by " << check.body.checked_by() << ")\n";
    }
    for (const auto& passage :
         Unwrap(ledger.PassagesOf(id, read), "PassagesOf")) {
      std::cout << "    " << LocalTime(passage.body.time()) << "  passed "
                << passage.body.checkpoint_id() << ", "
                << EnumLabel(
                       v1::PassageDirection_Name(passage.body.direction()),
                       "PASSAGE_DIRECTION_")
                << "\n";
    }
  }
}

void PrintStats(const contactledger::LedgerStats& stats) {
  std::cout << "  events: " << stats.events << ", areas: " << stats.areas
            << ", households: " << stats.households
            << ", persons: " << stats.persons
            << " (person records: " << stats.person_versions << ")\n"
            << "  exposures: " << stats.exposures
            << ", diagnoses: " << stats.diagnoses
            << ", quarantine actions: " << stats.quarantine_actions
            << ", health checks: " << stats.health_checks
            << ", checkpoint passages: " << stats.checkpoint_passages
            << ", retractions: " << stats.retractions << "\n"
            << "  memory: " << (stats.memory_bytes + 1023) / 1024 << " KiB\n";
}

}  // namespace

int main() {
  contactledger::LedgerOptions options;
  options.time_zone = CountyZone();  // Onset dates are county days.
  std::unique_ptr<Ledger> ledger = Ledger::New(options);

  Record(*ledger, "screening team", Screening());
  Record(*ledger, "county CDC", CaseReport());
  Record(*ledger, "grid workers", FollowUp());

  // A bad event is rejected with a message naming the event, field and
  // reason, and nothing of its batch is recorded.
  absl::StatusOr<uint64_t> rejected = ledger->Append(
      ExposureEvent("p02", "p02", Jan2020(28, 9), Jan2020(28, 10),
                    v1::EXPOSURE_SETTING_OTHER, "a typo"));
  if (rejected.ok()) {
    std::cerr << "quickstart: a self-exposure was accepted\n";
    return EXIT_FAILURE;
  }
  std::cout << "Rejected as expected: " << rejected.status().message() << "\n";

  // Read everything from one view of the ledger: the same sequence_limit
  // keeps the reads consistent even if another thread were appending.
  ReadOptions read;
  read.sequence_limit = ledger->last_sequence_number();

  std::vector<std::string> areas =
      Unwrap(ledger->AreaSubtree("yuanling", read), "AreaSubtree");
  std::cout << "\nArea tree (" << areas.size() << " areas):\n";
  PrintAreaTree(*ledger, "yuanling", 0, read);

  std::cout << "\nHouseholds:\n";
  PrintHouseholds(*ledger, {"h01", "h02", "h03", "h04", "h05", "h06"}, read);

  std::cout << "\nThe case (times in " << CountyZone().name() << "):\n";
  PrintCase(*ledger, "p01", read);

  std::cout << "\nFollow-up of contacts:\n";
  PrintFollowUp(*ledger, {"p02", "p03", "p04", "p07"}, read);

  std::cout << "\nUnregistered persons:\n";
  for (const std::string& id : ledger->UnregisteredPersons(read)) {
    std::cout << "  " << id << "\n";
  }

  std::cout << "\nLedger stats:\n";
  PrintStats(ledger->Stats());
  return EXIT_SUCCESS;
}
