// Copyright 2026 The ContactLedger Authors.
//
// Validation of single events (contactledger/ledger.h "Validation" and the
// rules in the comments of contactledger/v1/ledger.proto). Every rejected
// event must give InvalidArgument with a message naming the field and the
// reason, and must record nothing.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/privacy.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::contactledger::testutil::At;
using ::contactledger::testutil::InvalidArgumentNaming;
using ::contactledger::testutil::MakeArea;
using ::contactledger::testutil::MakeCounty;
using ::contactledger::testutil::MakeDate;
using ::contactledger::testutil::MakeDiagnosis;
using ::contactledger::testutil::MakeExposure;
using ::contactledger::testutil::MakeGrid;
using ::contactledger::testutil::MakeHealthCheck;
using ::contactledger::testutil::MakeHousehold;
using ::contactledger::testutil::MakePassage;
using ::contactledger::testutil::MakePerson;
using ::contactledger::testutil::MakeQuarantineEnd;
using ::contactledger::testutil::MakeQuarantineStart;
using ::contactledger::testutil::MakeRetraction;
using ::contactledger::testutil::MakeTownship;
using ::contactledger::testutil::MakeVillage;
using ::contactledger::testutil::MentionsAny;
using ::contactledger::testutil::ReasonBadDate;
using ::contactledger::testutil::ReasonBadEnum;
using ::contactledger::testutil::ReasonNanos;
using ::contactledger::testutil::ReasonOrder;
using ::contactledger::testutil::ReasonOutOfRange;
using ::contactledger::testutil::ReasonRequired;
using ::contactledger::testutil::ReasonUnknownReference;
using ::testing::AllOf;
using ::testing::HasSubstr;

// A ledger holding county "c" > township "t" > village "v" > grid "g", a
// second township "t2", household "h" in "v" and person "p" in "h".
class LedgerValidation : public testutil::LedgerTestBase {
 protected:
  void SetUp() override {
    Add(MakeCounty("c"));
    Add(MakeTownship("t", "c"));
    Add(MakeTownship("t2", "c"));
    Add(MakeVillage("v", "t"));
    Add(MakeGrid("g", "v"));
    Add(MakeHousehold("h", "v"));
    Add(MakePerson("p", "h"));
    ASSERT_EQ(ledger_->last_sequence_number(), 7u);
  }

  // Appends `event` and returns the status. A rejected event must leave the
  // ledger as it was.
  absl::Status Try(const v1::LedgerEvent& event) {
    const uint64_t before = ledger_->last_sequence_number();
    const uint64_t events_before = ledger_->Stats().events;
    absl::StatusOr<uint64_t> result = ledger_->Append(event);
    if (!result.ok()) {
      EXPECT_EQ(ledger_->last_sequence_number(), before)
          << "a rejected event was recorded: " << result.status();
      EXPECT_EQ(ledger_->Stats().events, events_before);
    } else {
      EXPECT_EQ(*result, before + 1);
    }
    return result.status();
  }

  absl::Time Noon() const { return At(2020, 1, 22, 12); }
};

// ---------------------------------------------------------------------------
// Identifiers.

TEST_F(LedgerValidation, AreaWithEmptyIdIsRejected) {
  EXPECT_THAT(Try(MakeCounty("")),
              InvalidArgumentNaming("id", ReasonRequired()));
}

TEST_F(LedgerValidation, HouseholdWithEmptyIdIsRejected) {
  EXPECT_THAT(Try(MakeHousehold("", "v")),
              InvalidArgumentNaming("id", ReasonRequired()));
}

TEST_F(LedgerValidation, PersonWithEmptyIdIsRejected) {
  EXPECT_THAT(Try(MakePerson("")),
              InvalidArgumentNaming("id", ReasonRequired()));
}

TEST_F(LedgerValidation, ExposureWithEmptyPersonAIsRejected) {
  EXPECT_THAT(Try(MakeExposure("", "p", Noon(), Noon())),
              InvalidArgumentNaming("person_a", ReasonRequired()));
}

TEST_F(LedgerValidation, ExposureWithEmptyPersonBIsRejected) {
  EXPECT_THAT(Try(MakeExposure("p", "", Noon(), Noon())),
              InvalidArgumentNaming("person_b", ReasonRequired()));
}

TEST_F(LedgerValidation, DiagnosisWithEmptyPersonIdIsRejected) {
  EXPECT_THAT(Try(MakeDiagnosis("", Noon())),
              InvalidArgumentNaming("person_id", ReasonRequired()));
}

TEST_F(LedgerValidation, QuarantineActionWithEmptyPersonIdIsRejected) {
  EXPECT_THAT(Try(MakeQuarantineStart("", Noon())),
              InvalidArgumentNaming("person_id", ReasonRequired()));
  EXPECT_THAT(Try(MakeQuarantineEnd("", Noon())),
              InvalidArgumentNaming("person_id", ReasonRequired()));
}

TEST_F(LedgerValidation, HealthCheckWithEmptyPersonIdIsRejected) {
  EXPECT_THAT(Try(MakeHealthCheck("", Noon())),
              InvalidArgumentNaming("person_id", ReasonRequired()));
}

TEST_F(LedgerValidation, PassageWithEmptyPersonIdIsRejected) {
  EXPECT_THAT(Try(MakePassage("", "gate-1", Noon())),
              InvalidArgumentNaming("person_id", ReasonRequired()));
}

TEST_F(LedgerValidation, PassageWithEmptyCheckpointIdIsRejected) {
  EXPECT_THAT(Try(MakePassage("p", "", Noon())),
              InvalidArgumentNaming("checkpoint_id", ReasonRequired()));
}

TEST_F(LedgerValidation, HouseholdWithoutAreaIsRejected) {
  EXPECT_THAT(Try(MakeHousehold("h2", "")),
              InvalidArgumentNaming("area_id", ReasonRequired()));
}

TEST_F(LedgerValidation, IdsOfUpTo128BytesAreAcceptedLongerOnesRejected) {
  const std::string max_id(128, 'x');
  const std::string long_id(129, 'x');
  EXPECT_OK(Try(MakeCounty(max_id)));
  EXPECT_OK(Try(MakePerson(max_id)));
  const auto too_long = MentionsAny({"128", "long", "length", "bytes"});
  EXPECT_THAT(Try(MakeCounty(long_id)), InvalidArgumentNaming("id", too_long));
  EXPECT_THAT(Try(MakeHousehold(long_id, "v")),
              InvalidArgumentNaming("id", too_long));
  EXPECT_THAT(Try(MakePerson(long_id)), InvalidArgumentNaming("id", too_long));
  EXPECT_THAT(Try(MakeExposure("p", long_id, Noon(), Noon())),
              InvalidArgumentNaming("person_b", too_long));
  EXPECT_THAT(Try(MakeDiagnosis(long_id, Noon())),
              InvalidArgumentNaming("person_id", too_long));
}

TEST_F(LedgerValidation, IdSpacesOfAreasHouseholdsAndPersonsAreSeparate) {
  EXPECT_OK(Try(MakeVillage("same", "t")));
  EXPECT_OK(Try(MakeHousehold("same", "same")));
  EXPECT_OK(Try(MakePerson("same", "same", "same")));
}

TEST_F(LedgerValidation, EmptyOrOverlongTagIsRejected) {
  v1::LedgerEvent event = MakePerson("q");
  event.mutable_person()->add_tags("returnee");
  event.mutable_person()->add_tags(std::string(64, 't'));
  EXPECT_OK(Try(event));

  v1::LedgerEvent empty_tag = MakePerson("q2");
  empty_tag.mutable_person()->add_tags("returnee");
  empty_tag.mutable_person()->add_tags("");
  EXPECT_THAT(Try(empty_tag), InvalidArgumentNaming("tags", ReasonRequired()));

  v1::LedgerEvent long_tag = MakePerson("q3");
  long_tag.mutable_person()->add_tags(std::string(65, 't'));
  EXPECT_THAT(Try(long_tag),
              InvalidArgumentNaming(
                  "tags", MentionsAny({"64", "long", "length", "bytes"})));
}

TEST_F(LedgerValidation, TravelEntryWithoutPlaceIsRejected) {
  v1::LedgerEvent event = MakePerson("q");
  v1::TravelEntry* entry = event.mutable_person()->add_travel_history();
  *entry->mutable_from() = MakeDate(2020, 1, 10);
  EXPECT_THAT(Try(event), InvalidArgumentNaming("place", ReasonRequired()));
}

TEST_F(LedgerValidation, TravelEntryEndingBeforeItStartsIsRejected) {
  v1::LedgerEvent event = MakePerson("q");
  v1::TravelEntry* entry = event.mutable_person()->add_travel_history();
  entry->set_place("Wuhan, Hubei");
  *entry->mutable_from() = MakeDate(2020, 1, 10);
  *entry->mutable_to() = MakeDate(2020, 1, 9);
  EXPECT_THAT(Try(event), testutil::StatusIs(absl::StatusCode::kInvalidArgument,
                                             AllOf(HasSubstr("travel_history"),
                                                   ReasonOrder())));

  // A one-day stay (from == to) and open-ended stays are fine.
  v1::LedgerEvent one_day = MakePerson("q");
  v1::TravelEntry* day = one_day.mutable_person()->add_travel_history();
  day->set_place("Wuhan, Hubei");
  *day->mutable_from() = MakeDate(2020, 1, 10);
  *day->mutable_to() = MakeDate(2020, 1, 10);
  v1::TravelEntry* open = one_day.mutable_person()->add_travel_history();
  open->set_place("Changsha, Hunan");
  *open->mutable_from() = MakeDate(2020, 1, 12);
  EXPECT_OK(Try(one_day));
}

// ---------------------------------------------------------------------------
// Exposures.

TEST_F(LedgerValidation, ExposureOfPersonToThemselfIsRejected) {
  EXPECT_THAT(Try(MakeExposure("p17", "p17", Noon(), Noon())),
              InvalidArgumentNaming("person_b", HasSubstr("themself")));
}

TEST_F(LedgerValidation, ExposureStartingAfterItEndsIsRejected) {
  EXPECT_THAT(Try(MakeExposure("p", "q", Noon() + absl::Seconds(1), Noon())),
              testutil::StatusIs(
                  absl::StatusCode::kInvalidArgument,
                  AllOf(HasSubstr("start"), HasSubstr("end"), ReasonOrder())));
}

TEST_F(LedgerValidation, ExposureStartingWhenItEndsIsAccepted) {
  EXPECT_OK(Try(MakeExposure("p", "q", Noon(), Noon())));
}

TEST_F(LedgerValidation, ExposureWithoutStartOrEndIsRejected) {
  v1::LedgerEvent no_start = MakeExposure("p", "q", Noon(), Noon());
  no_start.mutable_exposure()->clear_start();
  EXPECT_THAT(Try(no_start), InvalidArgumentNaming("start", ReasonRequired()));

  v1::LedgerEvent no_end = MakeExposure("p", "q", Noon(), Noon());
  no_end.mutable_exposure()->clear_end();
  EXPECT_THAT(Try(no_end), InvalidArgumentNaming("end", ReasonRequired()));
}

TEST_F(LedgerValidation, ExposureWithUnspecifiedOrUnknownSettingIsRejected) {
  EXPECT_THAT(Try(MakeExposure("p", "q", Noon(), Noon(),
                               v1::EXPOSURE_SETTING_UNSPECIFIED)),
              InvalidArgumentNaming("setting", ReasonBadEnum()));
  EXPECT_THAT(Try(MakeExposure("p", "q", Noon(), Noon(),
                               static_cast<v1::ExposureSetting>(99))),
              InvalidArgumentNaming("setting", ReasonBadEnum()));
  EXPECT_OK(
      Try(MakeExposure("p", "q", Noon(), Noon(), v1::EXPOSURE_SETTING_OTHER)));
}

// ---------------------------------------------------------------------------
// Required timestamps, whole seconds.

struct TimedEventCase {
  std::string name;
  v1::LedgerEvent event;
  std::string field;
  google::protobuf::Timestamp* timestamp;  // Points into `event`.
};

// One event of every kind that carries a required timestamp, with a pointer
// to that timestamp.
std::vector<TimedEventCase> TimedEvents(absl::Time time) {
  std::vector<TimedEventCase> cases(7);
  cases[0] = {"exposure.start", MakeExposure("p", "q", time, time), "start",
              nullptr};
  cases[1] = {"exposure.end", MakeExposure("p", "q", time, time), "end",
              nullptr};
  cases[2] = {"diagnosis.time", MakeDiagnosis("p", time), "time", nullptr};
  cases[3] = {"quarantine_action(start).time", MakeQuarantineStart("p", time),
              "time", nullptr};
  cases[4] = {"quarantine_action(end).time", MakeQuarantineEnd("p", time),
              "time", nullptr};
  cases[5] = {"health_check.time", MakeHealthCheck("p", time), "time", nullptr};
  cases[6] = {"checkpoint_passage.time", MakePassage("p", "gate", time), "time",
              nullptr};
  // Pointers are taken after the vector is filled so that they stay valid.
  cases[0].timestamp = cases[0].event.mutable_exposure()->mutable_start();
  cases[1].timestamp = cases[1].event.mutable_exposure()->mutable_end();
  cases[2].timestamp = cases[2].event.mutable_diagnosis()->mutable_time();
  cases[3].timestamp =
      cases[3].event.mutable_quarantine_action()->mutable_time();
  cases[4].timestamp =
      cases[4].event.mutable_quarantine_action()->mutable_time();
  cases[5].timestamp = cases[5].event.mutable_health_check()->mutable_time();
  cases[6].timestamp =
      cases[6].event.mutable_checkpoint_passage()->mutable_time();
  return cases;
}

TEST_F(LedgerValidation, MissingRequiredTimestampsAreRejected) {
  std::vector<TimedEventCase> cases = TimedEvents(Noon());
  // Clear the timestamp.
  cases[0].event.mutable_exposure()->clear_start();
  cases[1].event.mutable_exposure()->clear_end();
  cases[2].event.mutable_diagnosis()->clear_time();
  cases[3].event.mutable_quarantine_action()->clear_time();
  cases[4].event.mutable_quarantine_action()->clear_time();
  cases[5].event.mutable_health_check()->clear_time();
  cases[6].event.mutable_checkpoint_passage()->clear_time();
  for (const TimedEventCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_THAT(Try(c.event), InvalidArgumentNaming(c.field, ReasonRequired()));
  }
}

TEST_F(LedgerValidation, TimestampsWithNonZeroNanosAreRejected) {
  for (int32_t nanos : {1, 500000000, 999999999}) {
    std::vector<TimedEventCase> cases = TimedEvents(Noon());
    for (TimedEventCase& c : cases) {
      SCOPED_TRACE(c.name + " nanos=" + std::to_string(nanos));
      c.timestamp->set_nanos(nanos);
      // Keep exposures well-formed apart from the nanos (start <= end).
      if (c.field == "start") {
        c.event.mutable_exposure()->mutable_end()->set_seconds(
            c.timestamp->seconds() + 60);
      }
      EXPECT_THAT(Try(c.event), InvalidArgumentNaming(c.field, ReasonNanos()));
    }
  }
}

TEST_F(LedgerValidation, TimestampsOnWholeSecondsAreAccepted) {
  for (const TimedEventCase& c : TimedEvents(Noon())) {
    SCOPED_TRACE(c.name);
    EXPECT_OK(Try(c.event));
  }
}

// ---------------------------------------------------------------------------
// Health checks.

TEST_F(LedgerValidation, TemperaturesOf30And45DegreesAreAccepted) {
  EXPECT_OK(Try(MakeHealthCheck("p", Noon(), 30.0)));
  EXPECT_OK(Try(MakeHealthCheck("p", Noon(), 45.0)));
  EXPECT_OK(Try(MakeHealthCheck("p", Noon(), 37.3)));
}

TEST_F(LedgerValidation, TemperaturesOutside30To45DegreesAreRejected) {
  for (double temperature : {29.9, 45.1, 29.999, 45.001, -36.6, 100.0,
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity()}) {
    SCOPED_TRACE(temperature);
    EXPECT_THAT(
        Try(MakeHealthCheck("p", Noon(), temperature)),
        InvalidArgumentNaming("temperature_celsius", ReasonOutOfRange()));
  }
}

TEST_F(LedgerValidation, UnsetTemperatureIsRejected) {
  EXPECT_THAT(Try(MakeHealthCheck("p", Noon(), 0.0)),
              InvalidArgumentNaming(
                  "temperature_celsius",
                  testing::AnyOf(ReasonOutOfRange(), ReasonRequired())));
}

TEST_F(LedgerValidation, NanTemperatureIsRejected) {
  EXPECT_THAT(Try(MakeHealthCheck("p", Noon(), std::nan(""))),
              InvalidArgumentNaming("temperature_celsius", ReasonOutOfRange()));
}

// ---------------------------------------------------------------------------
// Enums.

TEST_F(LedgerValidation, AreaWithUnspecifiedOrUnknownLevelIsRejected) {
  EXPECT_THAT(Try(MakeArea("x", v1::AREA_LEVEL_UNSPECIFIED)),
              InvalidArgumentNaming("level", ReasonBadEnum()));
  v1::LedgerEvent unknown = MakeArea("x", v1::AREA_LEVEL_TOWNSHIP, "c");
  unknown.mutable_area()->set_level(static_cast<v1::AreaLevel>(99));
  EXPECT_THAT(Try(unknown), InvalidArgumentNaming("level", ReasonBadEnum()));
}

TEST_F(LedgerValidation, DiagnosisWithUnspecifiedOrUnknownStatusIsRejected) {
  EXPECT_THAT(Try(MakeDiagnosis("p", Noon(), v1::DIAGNOSIS_STATUS_UNSPECIFIED)),
              InvalidArgumentNaming("status", ReasonBadEnum()));
  EXPECT_THAT(
      Try(MakeDiagnosis("p", Noon(), static_cast<v1::DiagnosisStatus>(99))),
      InvalidArgumentNaming("status", ReasonBadEnum()));
  EXPECT_OK(Try(MakeDiagnosis("p", Noon(), v1::DIAGNOSIS_STATUS_CLEARED)));
}

TEST_F(LedgerValidation,
       QuarantineActionWithUnspecifiedOrUnknownKindIsRejected) {
  v1::LedgerEvent unspecified = MakeQuarantineStart("p", Noon());
  unspecified.mutable_quarantine_action()->set_action(
      v1::QUARANTINE_ACTION_KIND_UNSPECIFIED);
  EXPECT_THAT(Try(unspecified),
              InvalidArgumentNaming("action", ReasonBadEnum()));
  v1::LedgerEvent unknown = MakeQuarantineStart("p", Noon());
  unknown.mutable_quarantine_action()->set_action(
      static_cast<v1::QuarantineActionKind>(99));
  EXPECT_THAT(Try(unknown), InvalidArgumentNaming("action", ReasonBadEnum()));
}

TEST_F(LedgerValidation, QuarantineStartAtUnknownPlaceIsRejected) {
  EXPECT_THAT(Try(MakeQuarantineStart("p", Noon(),
                                      static_cast<v1::QuarantinePlace>(99))),
              InvalidArgumentNaming("place", ReasonBadEnum()));
}

TEST_F(LedgerValidation, QuarantineStartWithoutPlaceIsRejected) {
  EXPECT_THAT(
      Try(MakeQuarantineStart("p", Noon(), v1::QUARANTINE_PLACE_UNSPECIFIED)),
      InvalidArgumentNaming("place", ReasonRequired()));
}

TEST_F(LedgerValidation, QuarantineEndWithPlaceIsRejected) {
  v1::LedgerEvent event = MakeQuarantineEnd("p", Noon());
  event.mutable_quarantine_action()->set_place(v1::QUARANTINE_PLACE_HOME);
  EXPECT_THAT(Try(event),
              InvalidArgumentNaming(
                  "place", MentionsAny({"unspecified", "must not", "end",
                                        "not allowed", "empty", "unset"})));
}

TEST_F(LedgerValidation, QuarantineStartAtEachPlaceAndEndAreAccepted) {
  absl::Time time = Noon();
  for (v1::QuarantinePlace place :
       {v1::QUARANTINE_PLACE_HOSPITAL, v1::QUARANTINE_PLACE_CENTRALIZED,
        v1::QUARANTINE_PLACE_HOME}) {
    SCOPED_TRACE(v1::QuarantinePlace_Name(place));
    EXPECT_OK(Try(MakeQuarantineStart("p", time, place)));
    time += absl::Hours(1);
    EXPECT_OK(Try(MakeQuarantineEnd("p", time)));
    time += absl::Hours(1);
  }
}

TEST_F(LedgerValidation, PassageWithUnspecifiedOrUnknownDirectionIsRejected) {
  EXPECT_THAT(
      Try(MakePassage("p", "gate", Noon(), v1::PASSAGE_DIRECTION_UNSPECIFIED)),
      InvalidArgumentNaming("direction", ReasonBadEnum()));
  EXPECT_THAT(Try(MakePassage("p", "gate", Noon(),
                              static_cast<v1::PassageDirection>(99))),
              InvalidArgumentNaming("direction", ReasonBadEnum()));
  EXPECT_OK(Try(MakePassage("p", "gate", Noon(), v1::PASSAGE_DIRECTION_IN)));
}

// ---------------------------------------------------------------------------
// Dates.

TEST_F(LedgerValidation, BirthDateOnFebruary30IsRejected) {
  v1::LedgerEvent event = MakePerson("q");
  *event.mutable_person()->mutable_birth_date() = MakeDate(2020, 2, 30);
  EXPECT_THAT(Try(event), InvalidArgumentNaming("birth_date", ReasonBadDate()));
}

TEST_F(LedgerValidation, LeapDayIsAcceptedOnlyInLeapYears) {
  v1::LedgerEvent leap = MakePerson("q");
  *leap.mutable_person()->mutable_birth_date() = MakeDate(2000, 2, 29);
  EXPECT_OK(Try(leap));

  v1::LedgerEvent not_leap = MakePerson("q");
  *not_leap.mutable_person()->mutable_birth_date() = MakeDate(1900, 2, 29);
  EXPECT_THAT(Try(not_leap),
              InvalidArgumentNaming("birth_date", ReasonBadDate()));

  v1::LedgerEvent also_not_leap = MakePerson("q");
  *also_not_leap.mutable_person()->mutable_birth_date() = MakeDate(2019, 2, 29);
  EXPECT_THAT(Try(also_not_leap),
              InvalidArgumentNaming("birth_date", ReasonBadDate()));
}

TEST_F(LedgerValidation, DatesOutsideTheCalendarAreRejected) {
  const std::vector<v1::Date> bad_dates = {
      MakeDate(2020, 13, 1), MakeDate(2020, 0, 1), MakeDate(2020, 1, 0),
      MakeDate(2020, 4, 31), MakeDate(0, 1, 1),    MakeDate(10000, 1, 1),
      MakeDate(2020, 1, 32), MakeDate(-5, 1, 1),   MakeDate(2020, -1, 1),
  };
  for (const v1::Date& date : bad_dates) {
    SCOPED_TRACE(date.ShortDebugString());
    v1::LedgerEvent event = MakePerson("q");
    *event.mutable_person()->mutable_birth_date() = date;
    EXPECT_THAT(Try(event),
                InvalidArgumentNaming("birth_date", ReasonBadDate()));
  }
  v1::LedgerEvent edges = MakePerson("q");
  *edges.mutable_person()->mutable_birth_date() = MakeDate(1, 1, 1);
  EXPECT_OK(Try(edges));
  *edges.mutable_person()->mutable_birth_date() = MakeDate(9999, 12, 31);
  EXPECT_OK(Try(edges));
}

TEST_F(LedgerValidation, RefusedPrivateValuesAreNeverQuotedInTheError) {
  // A birth date is the hidden part of a national id: a direct caller's
  // error names the event, the field and the reason, not the day.
  v1::LedgerEvent no_day = MakePerson("q");
  *no_day.mutable_person()->mutable_birth_date() = MakeDate(1990, 2, 30);
  const absl::Status bad_day = Try(no_day);
  EXPECT_EQ(bad_day.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_day.message(),
            "event 1 of 1 (person 'q'): birth_date: is not a real day");

  // A national id whose birth date differs from birth_date, a national id
  // with a wrong check character, a phone of 10 digits: none is quoted.
  const std::string first17 = "43122219900101123";
  const std::string national_id = first17 + ResidentIdCheckCharacter(first17);
  v1::LedgerEvent differs = MakePerson("q");
  differs.mutable_person()->set_national_id(national_id);
  *differs.mutable_person()->mutable_birth_date() = MakeDate(1990, 1, 2);
  v1::LedgerEvent wrong_check = MakePerson("q");
  wrong_check.mutable_person()->set_national_id(
      first17 + (ResidentIdCheckCharacter(first17) == '1' ? '2' : '1'));
  v1::LedgerEvent short_phone = MakePerson("q");
  short_phone.mutable_person()->set_phone("1391234567");
  for (const v1::LedgerEvent& event :
       {no_day, differs, wrong_check, short_phone}) {
    const absl::Status status = Try(event);
    SCOPED_TRACE(status.ToString());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    for (const std::string secret :
         {"1990-02-30", "19900230", "1990-2-30", "1990", "19900102",
          "1990-01-02", first17.c_str(), "1391234567", "9123"}) {
      EXPECT_THAT(std::string(status.message()),
                  ::testing::Not(HasSubstr(secret)));
    }
  }
}

TEST_F(LedgerValidation, DiagnosisWithInvalidOnsetIsRejected) {
  v1::LedgerEvent event = MakeDiagnosis("p", Noon());
  *event.mutable_diagnosis()->mutable_onset() = MakeDate(2020, 2, 30);
  EXPECT_THAT(Try(event), InvalidArgumentNaming("onset", ReasonBadDate()));

  *event.mutable_diagnosis()->mutable_onset() = MakeDate(2020, 1, 19);
  EXPECT_OK(Try(event));
}

TEST_F(LedgerValidation, TravelEntryWithInvalidDateIsRejected) {
  v1::LedgerEvent event = MakePerson("q");
  v1::TravelEntry* entry = event.mutable_person()->add_travel_history();
  entry->set_place("Wuhan, Hubei");
  *entry->mutable_from() = MakeDate(2020, 2, 30);
  EXPECT_THAT(Try(event),
              testutil::StatusIs(absl::StatusCode::kInvalidArgument,
                                 AllOf(HasSubstr("travel_history"),
                                       HasSubstr("from"), ReasonBadDate())));
}

// ---------------------------------------------------------------------------
// References between areas, households and persons.

TEST_F(LedgerValidation, HouseholdInUnknownAreaIsRejected) {
  EXPECT_THAT(Try(MakeHousehold("h2", "nowhere")),
              InvalidArgumentNaming("area_id", ReasonUnknownReference()));
}

TEST_F(LedgerValidation, PersonInUnknownHouseholdIsRejected) {
  EXPECT_THAT(Try(MakePerson("q", "no-such-household")),
              InvalidArgumentNaming("household_id", ReasonUnknownReference()));
}

TEST_F(LedgerValidation, PersonInUnknownAreaIsRejected) {
  EXPECT_THAT(Try(MakePerson("q", "", "nowhere")),
              InvalidArgumentNaming("area_id", ReasonUnknownReference()));
  EXPECT_THAT(Try(MakePerson("q", "h", "nowhere")),
              InvalidArgumentNaming("area_id", ReasonUnknownReference()));
}

TEST_F(LedgerValidation, PersonWithoutHouseholdOrAreaIsAccepted) {
  EXPECT_OK(Try(MakePerson("q")));
  EXPECT_OK(Try(MakePerson("q2", "", "g")));
}

TEST_F(LedgerValidation, AreaWithUnknownParentIsRejected) {
  EXPECT_THAT(Try(MakeTownship("t3", "nowhere")),
              InvalidArgumentNaming("parent_id", ReasonUnknownReference()));
}

TEST_F(LedgerValidation, AreaWhoseParentIsNotOneLevelUpIsRejected) {
  const auto wrong_level =
      MentionsAny({"level", "township", "village", "county", "grid"});
  // A village under the county.
  EXPECT_THAT(Try(MakeVillage("v2", "c")),
              InvalidArgumentNaming("parent_id", wrong_level));
  // A grid under a township.
  EXPECT_THAT(Try(MakeGrid("g2", "t")),
              InvalidArgumentNaming("parent_id", wrong_level));
  // A township under a township.
  EXPECT_THAT(Try(MakeTownship("t3", "t")),
              InvalidArgumentNaming("parent_id", wrong_level));
  // A village under a village; a township under a grid.
  EXPECT_THAT(Try(MakeVillage("v2", "v")),
              InvalidArgumentNaming("parent_id", wrong_level));
  EXPECT_THAT(Try(MakeTownship("t3", "g")),
              InvalidArgumentNaming("parent_id", wrong_level));
}

TEST_F(LedgerValidation, CountyWithParentIsRejected) {
  EXPECT_THAT(
      Try(MakeArea("c2", v1::AREA_LEVEL_COUNTY, "c")),
      InvalidArgumentNaming("parent_id",
                            MentionsAny({"county", "must be empty", "no parent",
                                         "not allowed", "must not"})));
}

TEST_F(LedgerValidation, NonCountyWithoutParentIsRejected) {
  for (v1::AreaLevel level :
       {v1::AREA_LEVEL_TOWNSHIP, v1::AREA_LEVEL_VILLAGE, v1::AREA_LEVEL_GRID}) {
    SCOPED_TRACE(v1::AreaLevel_Name(level));
    EXPECT_THAT(Try(MakeArea("x", level, "")),
                InvalidArgumentNaming("parent_id", ReasonRequired()));
  }
}

TEST_F(LedgerValidation, AreaLevelChangeOnUpsertIsRejected) {
  EXPECT_THAT(
      Try(MakeArea("t", v1::AREA_LEVEL_VILLAGE, "t2")),
      InvalidArgumentNaming("level", MentionsAny({"change", "cannot", "was",
                                                  "already", "recorded as"})));
  EXPECT_THAT(
      Try(MakeArea("g", v1::AREA_LEVEL_VILLAGE, "t")),
      InvalidArgumentNaming("level", MentionsAny({"change", "cannot", "was",
                                                  "already", "recorded as"})));
}

TEST_F(LedgerValidation, AreaUpsertKeepingItsLevelIsAccepted) {
  EXPECT_OK(Try(MakeArea("v", v1::AREA_LEVEL_VILLAGE, "t2", "renamed")));
  EXPECT_OK(Try(MakeArea("c", v1::AREA_LEVEL_COUNTY, "", "Yuanling County")));
}

// ---------------------------------------------------------------------------
// Retractions and bodies.

TEST_F(LedgerValidation, RetractionOfSequenceNumberZeroIsRejected) {
  EXPECT_THAT(Try(MakeRetraction(0)),
              InvalidArgumentNaming(
                  "sequence_number",
                  MentionsAny({"unknown", "not found", "no event", "no such",
                               "does not exist", "required", "zero", "0",
                               "earlier", "out of range"})));
}

TEST_F(LedgerValidation, RetractionBeyondTheLastEventIsRejected) {
  const uint64_t last = ledger_->last_sequence_number();
  const auto unknown = MentionsAny(
      {"unknown", "not found", "no event", "no such", "does not exist",
       "earlier", "beyond", "last", "out of range", "not yet", "future"});
  // Its own sequence number would be last + 1.
  EXPECT_THAT(Try(MakeRetraction(last + 1)),
              InvalidArgumentNaming("sequence_number", unknown));
  EXPECT_THAT(Try(MakeRetraction(last + 100)),
              InvalidArgumentNaming("sequence_number", unknown));
  EXPECT_THAT(Try(MakeRetraction(std::numeric_limits<uint64_t>::max())),
              InvalidArgumentNaming("sequence_number", unknown));
}

TEST_F(LedgerValidation, RetractionOfRetractionIsRejected) {
  const uint64_t diagnosis = Add(MakeDiagnosis("p", Noon()));
  const uint64_t retraction = Add(MakeRetraction(diagnosis));
  EXPECT_THAT(
      Try(MakeRetraction(retraction)),
      InvalidArgumentNaming("sequence_number", HasSubstr("retraction")));
}

TEST_F(LedgerValidation, RetractionOfAlreadyRetractedEventIsRejected) {
  const uint64_t diagnosis = Add(MakeDiagnosis("p", Noon()));
  Add(MakeRetraction(diagnosis));
  EXPECT_THAT(Try(MakeRetraction(diagnosis)),
              InvalidArgumentNaming("sequence_number",
                                    MentionsAny({"already", "retracted"})));
}

TEST_F(LedgerValidation, RetractionOfAnyEarlierEventIsAccepted) {
  // Even the first event of the ledger (the county) may be retracted.
  EXPECT_OK(Try(MakeRetraction(1, "entered twice")));
  EXPECT_OK(Try(MakeRetraction(ledger_->last_sequence_number() - 1)));
}

TEST_F(LedgerValidation, EventWithoutBodyIsRejected) {
  v1::LedgerEvent event;
  event.set_actor("worker-7");
  EXPECT_THAT(Try(event), InvalidArgumentNaming("body", ReasonRequired()));
}

}  // namespace
}  // namespace contactledger
