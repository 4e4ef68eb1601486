// Copyright 2026 The ContactLedger Authors.
//
// Reading "as the ledger knew it then": upsert versions under known_at and
// sequence_limit, retractions, and unregistered persons (docs/rules.md sections
// 1-2, contactledger/ledger.h).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::contactledger::testutil::At;
using ::contactledger::testutil::EqualsProto;
using ::contactledger::testutil::KnownAt;
using ::contactledger::testutil::MakeCounty;
using ::contactledger::testutil::MakeDiagnosis;
using ::contactledger::testutil::MakeExposure;
using ::contactledger::testutil::MakeGrid;
using ::contactledger::testutil::MakeHealthCheck;
using ::contactledger::testutil::MakeHousehold;
using ::contactledger::testutil::MakePassage;
using ::contactledger::testutil::MakePerson;
using ::contactledger::testutil::MakeQuarantineStart;
using ::contactledger::testutil::MakeRetraction;
using ::contactledger::testutil::MakeTownship;
using ::contactledger::testutil::MakeVillage;
using ::contactledger::testutil::SequenceNumbers;
using ::contactledger::testutil::StatusCodeIs;
using ::contactledger::testutil::UpTo;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr absl::StatusCode kNotFound = absl::StatusCode::kNotFound;

// A ledger with county "c", townships "t1" and "t2", villages "v1" (in t1)
// and "v2" (in t2), grid "g1" (in v1) and households "h1" (in v1) and "h2"
// (in v2), all recorded at T0. Later events are recorded at T1 < T2 < T3 < T4
// (one hour apart) with AddAt.
class LedgerReadTest : public testutil::LedgerTestBase {
 protected:
  void SetUp() override {
    clock_.Set(T0());
    AddBatch({MakeCounty("c"), MakeTownship("t1", "c"), MakeTownship("t2", "c"),
              MakeVillage("v1", "t1"), MakeVillage("v2", "t2"),
              MakeGrid("g1", "v1"), MakeHousehold("h1", "v1"),
              MakeHousehold("h2", "v2")});
    ASSERT_EQ(ledger_->last_sequence_number(), 8u);
  }

  static absl::Time T0() { return At(2020, 1, 25, 8); }
  static absl::Time T1() { return T0() + absl::Hours(1); }
  static absl::Time T2() { return T0() + absl::Hours(2); }
  static absl::Time T3() { return T0() + absl::Hours(3); }
  static absl::Time T4() { return T0() + absl::Hours(4); }

  // Event times, unrelated to record times.
  static absl::Time Day(int day, int hour = 0) {
    return At(2020, 1, day, hour);
  }

  static v1::LedgerEvent PersonVersion(const std::string& id,
                                       const std::string& name,
                                       const std::string& household_id = "",
                                       const std::string& national_id = "") {
    v1::LedgerEvent event = MakePerson(id, household_id);
    event.mutable_person()->set_name(name);
    event.mutable_person()->set_national_id(national_id);
    return event;
  }

  std::vector<std::string> Members(const std::string& household_id,
                                   const ReadOptions& options) {
    absl::StatusOr<std::vector<std::string>> members =
        ledger_->HouseholdMembers(household_id, options);
    EXPECT_TRUE(members.ok()) << members.status();
    return members.ok() ? *members : std::vector<std::string>{"<error>"};
  }
  std::vector<std::string> Children(const std::string& area_id,
                                    const ReadOptions& options) {
    absl::StatusOr<std::vector<std::string>> children =
        ledger_->ChildAreas(area_id, options);
    EXPECT_TRUE(children.ok()) << children.status();
    return children.ok() ? *children : std::vector<std::string>{"<error>"};
  }
  std::vector<std::string> PersonsIn(const std::string& area_id,
                                     const ReadOptions& options) {
    absl::StatusOr<std::vector<std::string>> persons =
        ledger_->PersonsInArea(area_id, options);
    EXPECT_TRUE(persons.ok()) << persons.status();
    return persons.ok() ? *persons : std::vector<std::string>{"<error>"};
  }
  std::vector<uint64_t> ExposureNumbers(const std::string& person_id,
                                        const ReadOptions& options) {
    absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
        ledger_->ExposuresOf(person_id, absl::InfinitePast(),
                             absl::InfiniteFuture(), options);
    EXPECT_TRUE(exposures.ok()) << exposures.status();
    return exposures.ok() ? SequenceNumbers(*exposures)
                          : std::vector<uint64_t>{0};
  }
  std::string NameOf(const std::string& person_id, const ReadOptions& options) {
    absl::StatusOr<v1::Person> person = ledger_->GetPerson(person_id, options);
    if (!person.ok()) return "<" + person.status().ToString() + ">";
    return person->name();
  }
};

// ---------------------------------------------------------------------------
// Upsert versions.

using LedgerVersions = LedgerReadTest;

TEST_F(LedgerVersions, PersonVersionFollowsKnownAt) {
  const v1::LedgerEvent first = PersonVersion("p", "Zhang San", "h1");
  v1::LedgerEvent second = PersonVersion("p", "Zhang San", "h1");
  second.mutable_person()->set_phone("+86 138 0000 0000");
  second.mutable_person()->add_tags("returnee");
  const v1::LedgerEvent third = PersonVersion("p", "Zhang Sanfeng", "h2");
  AddAt(T1(), first);
  AddAt(T2(), second);
  AddAt(T3(), third);

  EXPECT_THAT(ledger_->GetPerson("p", KnownAt(T1() - absl::Seconds(1))),
              StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->GetPerson("p", KnownAt(absl::InfinitePast())),
              StatusCodeIs(kNotFound));
  ASSERT_OK_AND_ASSIGN(v1::Person at_t1,
                       ledger_->GetPerson("p", KnownAt(T1())));
  EXPECT_THAT(at_t1, EqualsProto(first.person()));
  ASSERT_OK_AND_ASSIGN(
      v1::Person between,
      ledger_->GetPerson("p", KnownAt(T1() + absl::Minutes(30))));
  EXPECT_THAT(between, EqualsProto(first.person()));
  ASSERT_OK_AND_ASSIGN(v1::Person at_t2,
                       ledger_->GetPerson("p", KnownAt(T2())));
  EXPECT_THAT(at_t2, EqualsProto(second.person()));
  ASSERT_OK_AND_ASSIGN(
      v1::Person before_t3,
      ledger_->GetPerson("p", KnownAt(T3() - absl::Nanoseconds(1))));
  EXPECT_THAT(before_t3, EqualsProto(second.person()));
  ASSERT_OK_AND_ASSIGN(v1::Person at_t3,
                       ledger_->GetPerson("p", KnownAt(T3())));
  EXPECT_THAT(at_t3, EqualsProto(third.person()));
  ASSERT_OK_AND_ASSIGN(v1::Person after,
                       ledger_->GetPerson("p", KnownAt(T4())));
  EXPECT_THAT(after, EqualsProto(third.person()));
  ASSERT_OK_AND_ASSIGN(v1::Person latest,
                       ledger_->GetPerson("p", ReadOptions()));
  EXPECT_THAT(latest, EqualsProto(third.person()));
}

TEST_F(LedgerVersions, PersonVersionFollowsSequenceLimit) {
  const uint64_t s1 = AddAt(T1(), PersonVersion("p", "one"));
  Add(MakeDiagnosis("q", Day(20)));  // An unrelated event in between.
  const uint64_t s2 = AddAt(T2(), PersonVersion("p", "two"));
  const uint64_t s3 = AddAt(T3(), PersonVersion("p", "three"));

  EXPECT_THAT(ledger_->GetPerson("p", UpTo(0)), StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->GetPerson("p", UpTo(s1 - 1)), StatusCodeIs(kNotFound));
  EXPECT_EQ(NameOf("p", UpTo(s1)), "one");
  EXPECT_EQ(NameOf("p", UpTo(s2 - 1)), "one");
  EXPECT_EQ(NameOf("p", UpTo(s2)), "two");
  EXPECT_EQ(NameOf("p", UpTo(s3 - 1)), "two");
  EXPECT_EQ(NameOf("p", UpTo(s3)), "three");
  EXPECT_EQ(NameOf("p", UpTo(s3 + 100)), "three");
}

TEST_F(LedgerVersions, KnownAtAndSequenceLimitBothApply) {
  AddAt(T1(), PersonVersion("p", "one"));
  const uint64_t s2 = AddAt(T2(), PersonVersion("p", "two"));
  AddAt(T3(), PersonVersion("p", "three"));

  ReadOptions options;
  options.known_at = T3();
  options.sequence_limit = s2;
  EXPECT_EQ(NameOf("p", options), "two");
  options.known_at = T1();
  options.sequence_limit = s2 + 1;
  EXPECT_EQ(NameOf("p", options), "one");
}

TEST_F(LedgerVersions, HouseholdAndAreaVersionsFollowKnownAt) {
  v1::LedgerEvent owned = MakeHousehold("h1", "v1", "Li Si");
  owned.mutable_household()->set_address("No. 3, Madiyi Street");
  AddAt(T1(), owned);
  v1::LedgerEvent renamed = MakeVillage("v1", "t1");
  renamed.mutable_area()->set_name("Madiyi village");
  AddAt(T2(), renamed);

  ASSERT_OK_AND_ASSIGN(v1::Household before,
                       ledger_->GetHousehold("h1", KnownAt(T0())));
  EXPECT_EQ(before.responsible_worker(), "");
  ASSERT_OK_AND_ASSIGN(v1::Household after,
                       ledger_->GetHousehold("h1", KnownAt(T1())));
  EXPECT_THAT(after, EqualsProto(owned.household()));
  EXPECT_THAT(ledger_->GetHousehold("h1", KnownAt(T0() - absl::Seconds(1))),
              StatusCodeIs(kNotFound));

  ASSERT_OK_AND_ASSIGN(v1::Area old_area,
                       ledger_->GetArea("v1", KnownAt(T1())));
  EXPECT_EQ(old_area.name(), "");
  ASSERT_OK_AND_ASSIGN(v1::Area new_area,
                       ledger_->GetArea("v1", ReadOptions()));
  EXPECT_THAT(new_area, EqualsProto(renamed.area()));
  EXPECT_THAT(ledger_->GetArea("nowhere", ReadOptions()),
              StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->GetHousehold("nowhere", ReadOptions()),
              StatusCodeIs(kNotFound));
}

TEST_F(LedgerVersions, AreaMovingToAnotherParentChangesTheTreeAsOfKnownAt) {
  AddAt(T1(), MakePerson("pa", "", "g1"));
  AddAt(T2(), MakeVillage("v1", "t2"));  // v1 (with g1 below) moves to t2.
  const ReadOptions before = KnownAt(T2() - absl::Seconds(1));
  const ReadOptions after = KnownAt(T2());

  EXPECT_THAT(Children("t1", before), ElementsAre("v1"));
  EXPECT_THAT(Children("t1", after), IsEmpty());
  EXPECT_THAT(Children("t2", before), ElementsAre("v2"));
  EXPECT_THAT(Children("t2", after), ElementsAre("v1", "v2"));
  EXPECT_THAT(Children("t2", ReadOptions()), ElementsAre("v1", "v2"));

  ASSERT_OK_AND_ASSIGN(std::vector<std::string> subtree_before,
                       ledger_->AreaSubtree("t2", before));
  EXPECT_THAT(subtree_before, ElementsAre("t2", "v2"));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> subtree_after,
                       ledger_->AreaSubtree("t2", after));
  EXPECT_THAT(subtree_after, ElementsAre("t2", "v1", "g1", "v2"));

  EXPECT_THAT(PersonsIn("t1", before), ElementsAre("pa"));
  EXPECT_THAT(PersonsIn("t2", before), IsEmpty());
  EXPECT_THAT(PersonsIn("t1", after), IsEmpty());
  EXPECT_THAT(PersonsIn("t2", after), ElementsAre("pa"));
  EXPECT_THAT(PersonsIn("c", before), ElementsAre("pa"));
  EXPECT_THAT(PersonsIn("c", after), ElementsAre("pa"));
}

// ledger.h, PersonsInArea: "A person recorded with a household but no area is
// in the household's area at the time the person was recorded."
TEST_F(LedgerVersions, HouseholdMovingAreaTakesItsMembersWithoutAreaAlong) {
  AddAt(T1(), MakePerson("early", "h1"));
  AddAt(T1(), MakePerson("own", "h1", "v1"));  // names v1 of their own
  AddAt(T2(), MakeHousehold("h1", "v2"));      // h1 moves from v1 to v2.
  AddAt(T3(), MakePerson("late", "h1"));

  ASSERT_OK_AND_ASSIGN(v1::Household old_version,
                       ledger_->GetHousehold("h1", KnownAt(T1())));
  EXPECT_EQ(old_version.area_id(), "v1");
  ASSERT_OK_AND_ASSIGN(v1::Household new_version,
                       ledger_->GetHousehold("h1", KnownAt(T2())));
  EXPECT_EQ(new_version.area_id(), "v2");

  EXPECT_THAT(PersonsIn("v1", KnownAt(T1())), ElementsAre("early", "own"));
  EXPECT_THAT(PersonsIn("v2", KnownAt(T1())), IsEmpty());
  // After the move, a member with no area of their own is in the
  // household's new area, whenever they were recorded; one who named an
  // area stays there.
  EXPECT_THAT(PersonsIn("v1", KnownAt(T3())), ElementsAre("own"));
  EXPECT_THAT(PersonsIn("v2", KnownAt(T2())), ElementsAre("early"));
  EXPECT_THAT(PersonsIn("v2", KnownAt(T3())), ElementsAre("early", "late"));
  EXPECT_THAT(PersonsIn("t2", KnownAt(T3())), ElementsAre("early", "late"));
  EXPECT_THAT(PersonsIn("t1", KnownAt(T3())), ElementsAre("own"));
  EXPECT_THAT(PersonsIn("c", KnownAt(T3())),
              ElementsAre("early", "late", "own"));
  // All are members of h1 whatever its area.
  EXPECT_THAT(Members("h1", ReadOptions()),
              ElementsAre("early", "late", "own"));

  // Recording "early" again names no area either: still with h1.
  AddAt(T4(), MakePerson("early", "h1"));
  EXPECT_THAT(PersonsIn("v1", KnownAt(T4())), ElementsAre("own"));
  EXPECT_THAT(PersonsIn("v2", KnownAt(T4())), ElementsAre("early", "late"));
}

TEST_F(LedgerVersions, PersonMovingHouseholdChangesHouseholdMembers) {
  AddAt(T1(), MakePerson("p", "h1"));
  AddAt(T1(), MakePerson("q", "h1"));
  AddAt(T2(), MakePerson("p", "h2"));
  const ReadOptions before = KnownAt(T2() - absl::Seconds(1));
  const ReadOptions after = KnownAt(T2());

  EXPECT_THAT(Members("h1", before), ElementsAre("p", "q"));
  EXPECT_THAT(Members("h2", before), IsEmpty());
  EXPECT_THAT(Members("h1", after), ElementsAre("q"));
  EXPECT_THAT(Members("h2", after), ElementsAre("p"));
  EXPECT_THAT(Members("h1", ReadOptions()), ElementsAre("q"));
  EXPECT_THAT(Members("h2", ReadOptions()), ElementsAre("p"));
  EXPECT_THAT(Members("h1", KnownAt(T0())), IsEmpty());

  EXPECT_THAT(PersonsIn("v1", before), ElementsAre("p", "q"));
  EXPECT_THAT(PersonsIn("v1", after), ElementsAre("q"));
  EXPECT_THAT(PersonsIn("v2", after), ElementsAre("p"));

  // A household not yet recorded has no members to list.
  EXPECT_THAT(ledger_->HouseholdMembers("h1", KnownAt(T0() - absl::Hours(1))),
              StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->HouseholdMembers("h9", ReadOptions()),
              StatusCodeIs(kNotFound));
}

// ---------------------------------------------------------------------------
// Retractions.

using LedgerRetractions = LedgerReadTest;

TEST_F(LedgerRetractions, RetractingTheLatestPersonVersionRestoresThePrevious) {
  AddAt(T1(), PersonVersion("p", "one", "h1", "430000199001010018"));
  const uint64_t s2 =
      AddAt(T2(), PersonVersion("p", "two", "h2", "430000199001010026"));
  const uint64_t s3 = AddAt(T3(), MakeRetraction(s2, "wrong household"));

  EXPECT_EQ(NameOf("p", KnownAt(T2())), "two");
  EXPECT_EQ(NameOf("p", KnownAt(T3() - absl::Seconds(1))), "two");
  EXPECT_EQ(NameOf("p", KnownAt(T3())), "one");
  EXPECT_EQ(NameOf("p", KnownAt(T4())), "one");
  EXPECT_EQ(NameOf("p", ReadOptions()), "one");
  EXPECT_EQ(NameOf("p", UpTo(s3 - 1)), "two");
  EXPECT_EQ(NameOf("p", UpTo(s3)), "one");

  EXPECT_FALSE(ledger_->IsRetracted(s2, KnownAt(T3() - absl::Seconds(1))));
  EXPECT_TRUE(ledger_->IsRetracted(s2, KnownAt(T3())));
  EXPECT_TRUE(ledger_->IsRetracted(s2, ReadOptions()));
  EXPECT_FALSE(ledger_->IsRetracted(s2, UpTo(s3 - 1)));
  EXPECT_TRUE(ledger_->IsRetracted(s2, UpTo(s3)));
  EXPECT_FALSE(ledger_->IsRetracted(s3, ReadOptions()));
  EXPECT_FALSE(ledger_->IsRetracted(1, ReadOptions()));

  // The indexes follow the restored version.
  EXPECT_THAT(Members("h1", ReadOptions()), ElementsAre("p"));
  EXPECT_THAT(Members("h2", ReadOptions()), IsEmpty());
  EXPECT_THAT(Members("h2", KnownAt(T2())), ElementsAre("p"));
  EXPECT_THAT(
      ledger_->FindPersonsByNationalId("430000199001010026", ReadOptions()),
      IsEmpty());
  EXPECT_THAT(
      ledger_->FindPersonsByNationalId("430000199001010018", ReadOptions()),
      ElementsAre("p"));
  EXPECT_THAT(
      ledger_->FindPersonsByNationalId("430000199001010026", KnownAt(T2())),
      ElementsAre("p"));
  EXPECT_THAT(PersonsIn("v1", ReadOptions()), ElementsAre("p"));
  EXPECT_THAT(PersonsIn("v2", ReadOptions()), IsEmpty());
}

TEST_F(LedgerRetractions,
       RetractingTheOnlyPersonVersionMakesThePersonNotFound) {
  v1::LedgerEvent person =
      PersonVersion("p", "one", "h1", "430000199001010018");
  const uint64_t s1 = AddAt(T1(), person);
  AddAt(T2(), MakeRetraction(s1));

  EXPECT_EQ(NameOf("p", KnownAt(T1())), "one");
  EXPECT_THAT(ledger_->GetPerson("p", KnownAt(T2())), StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->GetPerson("p", ReadOptions()), StatusCodeIs(kNotFound));
  EXPECT_THAT(Members("h1", ReadOptions()), IsEmpty());
  EXPECT_THAT(Members("h1", KnownAt(T1())), ElementsAre("p"));
  EXPECT_THAT(
      ledger_->FindPersonsByNationalId("430000199001010018", ReadOptions()),
      IsEmpty());
  EXPECT_THAT(PersonsIn("c", ReadOptions()), IsEmpty());
}

TEST_F(LedgerRetractions, RetractingAHouseholdVersionRestoresThePrevious) {
  const uint64_t moved = AddAt(T1(), MakeHousehold("h1", "v2"));
  AddAt(T2(), MakeRetraction(moved));
  ASSERT_OK_AND_ASSIGN(v1::Household at_t1,
                       ledger_->GetHousehold("h1", KnownAt(T1())));
  EXPECT_EQ(at_t1.area_id(), "v2");
  ASSERT_OK_AND_ASSIGN(v1::Household latest,
                       ledger_->GetHousehold("h1", ReadOptions()));
  EXPECT_EQ(latest.area_id(), "v1");
}

TEST_F(LedgerRetractions, RetractingAnExposureHidesItFromExposuresOf) {
  clock_.Set(T1());
  const std::vector<uint64_t> exposures =
      AddBatch({MakeExposure("p", "q", Day(20, 9), Day(20, 10)),
                MakeExposure("r", "p", Day(21, 9), Day(21, 10)),
                MakeExposure("p", "s", Day(22, 9), Day(22, 10))});
  ASSERT_EQ(exposures.size(), 3u);
  AddAt(T2(), MakeRetraction(exposures[1], "never met"));

  EXPECT_THAT(ExposureNumbers("p", KnownAt(T2() - absl::Seconds(1))),
              ElementsAre(exposures[0], exposures[1], exposures[2]));
  EXPECT_THAT(ExposureNumbers("p", KnownAt(T2())),
              ElementsAre(exposures[0], exposures[2]));
  EXPECT_THAT(ExposureNumbers("p", ReadOptions()),
              ElementsAre(exposures[0], exposures[2]));
  EXPECT_THAT(ExposureNumbers("r", KnownAt(T1())), ElementsAre(exposures[1]));
  EXPECT_THAT(ExposureNumbers("r", ReadOptions()), IsEmpty());
  EXPECT_FALSE(ledger_->IsRetracted(exposures[1], KnownAt(T1())));
  EXPECT_TRUE(ledger_->IsRetracted(exposures[1], KnownAt(T2())));
  EXPECT_FALSE(ledger_->IsRetracted(exposures[0], ReadOptions()));
  // The retracted event itself is still on record.
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent event, ledger_->GetEvent(exposures[1]));
  EXPECT_EQ(event.exposure().person_a(), "r");
}

TEST_F(LedgerRetractions, RetractingHistoryEventsHidesThemFromTheirQueries) {
  clock_.Set(T1());
  const std::vector<uint64_t> numbers = AddBatch(
      {MakeDiagnosis("p", Day(20)), MakeDiagnosis("p", Day(21)),
       MakeQuarantineStart("p", Day(20)), MakeQuarantineStart("p", Day(21)),
       MakeHealthCheck("p", Day(20)), MakeHealthCheck("p", Day(21)),
       MakePassage("p", "gate", Day(20)), MakePassage("p", "gate", Day(21))});
  ASSERT_EQ(numbers.size(), 8u);
  clock_.Set(T2());
  AddBatch({MakeRetraction(numbers[0]), MakeRetraction(numbers[2]),
            MakeRetraction(numbers[4]), MakeRetraction(numbers[6])});

  for (const ReadOptions& options : {KnownAt(T1()), ReadOptions()}) {
    const bool retracted = options.known_at >= T2();
    SCOPED_TRACE(retracted ? "after the retractions" : "before");
    ASSERT_OK_AND_ASSIGN(auto diagnoses, ledger_->DiagnosesOf("p", options));
    ASSERT_OK_AND_ASSIGN(auto actions,
                         ledger_->QuarantineActionsOf("p", options));
    ASSERT_OK_AND_ASSIGN(auto checks, ledger_->HealthChecksOf("p", options));
    ASSERT_OK_AND_ASSIGN(auto passages, ledger_->PassagesOf("p", options));
    if (retracted) {
      EXPECT_THAT(SequenceNumbers(diagnoses), ElementsAre(numbers[1]));
      EXPECT_THAT(SequenceNumbers(actions), ElementsAre(numbers[3]));
      EXPECT_THAT(SequenceNumbers(checks), ElementsAre(numbers[5]));
      EXPECT_THAT(SequenceNumbers(passages), ElementsAre(numbers[7]));
    } else {
      EXPECT_THAT(SequenceNumbers(diagnoses),
                  ElementsAre(numbers[0], numbers[1]));
      EXPECT_THAT(SequenceNumbers(actions),
                  ElementsAre(numbers[2], numbers[3]));
      EXPECT_THAT(SequenceNumbers(checks), ElementsAre(numbers[4], numbers[5]));
      EXPECT_THAT(SequenceNumbers(passages),
                  ElementsAre(numbers[6], numbers[7]));
    }
  }
}

// ---------------------------------------------------------------------------
// Unregistered persons.

using LedgerUnregistered = LedgerReadTest;

TEST_F(LedgerUnregistered, ExposureNamingUnknownPersonsIsAcceptedAndListed) {
  AddAt(T1(), MakePerson("p", "h1"));
  ASSERT_OK(ledger_->Append(MakeExposure("p", "u3", Day(20, 9), Day(20, 10))));
  ASSERT_OK(ledger_->Append(MakeExposure("u2", "p", Day(20, 9), Day(20, 10))));
  ASSERT_OK(ledger_->Append(MakeExposure("u2", "u1", Day(21, 9), Day(21, 10))));
  EXPECT_THAT(ledger_->UnregisteredPersons(ReadOptions()),
              ElementsAre("u1", "u2", "u3"));
}

TEST_F(LedgerUnregistered, EveryPersonKeyedEventMayNameAnUnknownPerson) {
  clock_.Set(T1());
  AddBatch({MakeDiagnosis("u-diagnosis", Day(20)),
            MakeQuarantineStart("u-stay", Day(20)),
            MakeHealthCheck("u-check", Day(20)),
            MakePassage("u-passage", "gate", Day(20))});
  EXPECT_THAT(ledger_->UnregisteredPersons(ReadOptions()),
              ElementsAre("u-check", "u-diagnosis", "u-passage", "u-stay"));
  ASSERT_OK_AND_ASSIGN(auto diagnoses,
                       ledger_->DiagnosesOf("u-diagnosis", ReadOptions()));
  EXPECT_EQ(diagnoses.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto actions,
                       ledger_->QuarantineActionsOf("u-stay", ReadOptions()));
  EXPECT_EQ(actions.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto checks,
                       ledger_->HealthChecksOf("u-check", ReadOptions()));
  EXPECT_EQ(checks.size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto passages,
                       ledger_->PassagesOf("u-passage", ReadOptions()));
  EXPECT_EQ(passages.size(), 1u);
}

TEST_F(LedgerUnregistered, ListedUntilAPersonRecordArrives) {
  const uint64_t exposure =
      AddAt(T1(), MakeExposure("u1", "u2", Day(20, 9), Day(20, 10)));
  const uint64_t registration = AddAt(T2(), MakePerson("u1", "h1"));

  EXPECT_THAT(ledger_->UnregisteredPersons(KnownAt(T1() - absl::Seconds(1))),
              IsEmpty());
  EXPECT_THAT(ledger_->UnregisteredPersons(KnownAt(T1())),
              ElementsAre("u1", "u2"));
  EXPECT_THAT(ledger_->UnregisteredPersons(KnownAt(T2() - absl::Seconds(1))),
              ElementsAre("u1", "u2"));
  EXPECT_THAT(ledger_->UnregisteredPersons(KnownAt(T2())), ElementsAre("u2"));
  EXPECT_THAT(ledger_->UnregisteredPersons(ReadOptions()), ElementsAre("u2"));
  EXPECT_THAT(Members("h1", ReadOptions()), ElementsAre("u1"));

  // The same by sequence number.
  EXPECT_THAT(ledger_->UnregisteredPersons(UpTo(exposure - 1)), IsEmpty());
  EXPECT_THAT(ledger_->UnregisteredPersons(UpTo(exposure)),
              ElementsAre("u1", "u2"));
  EXPECT_THAT(ledger_->UnregisteredPersons(UpTo(registration - 1)),
              ElementsAre("u1", "u2"));
  EXPECT_THAT(ledger_->UnregisteredPersons(UpTo(registration)),
              ElementsAre("u2"));
}

TEST_F(LedgerUnregistered, ListedAgainWhenTheRegistrationIsRetracted) {
  AddAt(T1(), MakeExposure("u1", "u2", Day(20, 9), Day(20, 10)));
  const uint64_t registration = AddAt(T2(), MakePerson("u1"));
  AddAt(T3(), MakeRetraction(registration));
  EXPECT_THAT(ledger_->UnregisteredPersons(KnownAt(T2())), ElementsAre("u2"));
  EXPECT_THAT(ledger_->UnregisteredPersons(ReadOptions()),
              ElementsAre("u1", "u2"));
}

TEST_F(LedgerUnregistered, NotListedOnceTheOnlyReferenceIsRetracted) {
  const uint64_t exposure =
      AddAt(T1(), MakeExposure("u1", "u2", Day(20, 9), Day(20, 10)));
  AddAt(T1(), MakeDiagnosis("u2", Day(21)));
  AddAt(T2(), MakeRetraction(exposure));
  EXPECT_THAT(ledger_->UnregisteredPersons(KnownAt(T1())),
              ElementsAre("u1", "u2"));
  EXPECT_THAT(ledger_->UnregisteredPersons(ReadOptions()), ElementsAre("u2"));
}

TEST_F(LedgerUnregistered, ExposuresOfAnUnregisteredPerson) {
  const v1::LedgerEvent exposure =
      MakeExposure("u1", "p", Day(20, 9), Day(20, 10));
  const uint64_t n = AddAt(T1(), exposure);
  ASSERT_OK_AND_ASSIGN(
      std::vector<Recorded<v1::Exposure>> found,
      ledger_->ExposuresOf("u1", absl::InfinitePast(), absl::InfiniteFuture(),
                           ReadOptions()));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].sequence_number, n);
  EXPECT_EQ(found[0].record_time, T1());
  EXPECT_THAT(found[0].body, EqualsProto(exposure.exposure()));
  EXPECT_THAT(ledger_->GetPerson("u1", ReadOptions()), StatusCodeIs(kNotFound));
}

TEST_F(LedgerUnregistered, IdNeverSeenIsNotFound) {
  AddAt(T1(), MakeExposure("u1", "p", Day(20, 9), Day(20, 10)));
  EXPECT_THAT(ledger_->ExposuresOf("ghost", absl::InfinitePast(),
                                   absl::InfiniteFuture(), ReadOptions()),
              StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->DiagnosesOf("ghost", ReadOptions()),
              StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->QuarantineActionsOf("ghost", ReadOptions()),
              StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->HealthChecksOf("ghost", ReadOptions()),
              StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->PassagesOf("ghost", ReadOptions()),
              StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->GetPerson("ghost", ReadOptions()),
              StatusCodeIs(kNotFound));
  // Area and household ids are not person ids.
  EXPECT_THAT(ledger_->DiagnosesOf("h1", ReadOptions()),
              StatusCodeIs(kNotFound));
  EXPECT_THAT(ledger_->DiagnosesOf("c", ReadOptions()),
              StatusCodeIs(kNotFound));
}

TEST_F(LedgerUnregistered, PersonsSeenButWithoutSuchEventsHaveEmptyHistories) {
  AddAt(T1(), MakePerson("registered", "h1"));
  AddAt(T1(), MakeDiagnosis("referenced", Day(20)));
  for (const std::string id : {"registered", "referenced"}) {
    SCOPED_TRACE(id);
    ASSERT_OK_AND_ASSIGN(
        auto exposures,
        ledger_->ExposuresOf(id, absl::InfinitePast(), absl::InfiniteFuture(),
                             ReadOptions()));
    EXPECT_THAT(exposures, IsEmpty());
    ASSERT_OK_AND_ASSIGN(auto actions,
                         ledger_->QuarantineActionsOf(id, ReadOptions()));
    EXPECT_THAT(actions, IsEmpty());
    ASSERT_OK_AND_ASSIGN(auto checks,
                         ledger_->HealthChecksOf(id, ReadOptions()));
    EXPECT_THAT(checks, IsEmpty());
    ASSERT_OK_AND_ASSIGN(auto passages, ledger_->PassagesOf(id, ReadOptions()));
    EXPECT_THAT(passages, IsEmpty());
  }
  ASSERT_OK_AND_ASSIGN(auto diagnoses,
                       ledger_->DiagnosesOf("registered", ReadOptions()));
  EXPECT_THAT(diagnoses, IsEmpty());
  EXPECT_THAT(ledger_->UnregisteredPersons(ReadOptions()),
              ElementsAre("referenced"));
}

}  // namespace
}  // namespace contactledger
