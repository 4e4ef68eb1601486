// Copyright 2026 The ContactLedger Authors.
//
// The ledger's indexes: national ids, household members, the area tree and
// its roots (LedgerView::TopLevelAreas), persons in an area, a person's
// history in order, and Stats (contactledger/ledger.h).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/scope.h"
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
using ::contactledger::testutil::MakeDate;
using ::contactledger::testutil::MakeDiagnosis;
using ::contactledger::testutil::MakeExposure;
using ::contactledger::testutil::MakeGrid;
using ::contactledger::testutil::MakeHealthCheck;
using ::contactledger::testutil::MakeHousehold;
using ::contactledger::testutil::MakePassage;
using ::contactledger::testutil::MakePerson;
using ::contactledger::testutil::MakePersonWithNationalId;
using ::contactledger::testutil::MakeQuarantineEnd;
using ::contactledger::testutil::MakeQuarantineStart;
using ::contactledger::testutil::MakeRetraction;
using ::contactledger::testutil::MakeTownship;
using ::contactledger::testutil::MakeVillage;
using ::contactledger::testutil::SequenceNumbers;
using ::contactledger::testutil::StatusCodeIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Event times.
absl::Time Day(int day, int hour = 0, int minute = 0, int second = 0) {
  return At(2020, 1, day, hour, minute, second);
}

// A ledger with this area tree (ids chosen so that sorting by bytes differs
// from the order of recording and from numeric order):
//
//   c ─┬─ t2 ── v2a
//      ├─ t1 ─┬─ v1b
//      │      └─ v1a ── g1
//      └─ t10
//   z ── zt
//
// and households h1 (in v1a), h2 (in v2a) and hz (in zt).
class LedgerIndex : public testutil::LedgerTestBase {
 protected:
  void SetUp() override {
    AddBatch({MakeCounty("c"), MakeTownship("t2", "c"), MakeTownship("t1", "c"),
              MakeTownship("t10", "c"), MakeVillage("v2a", "t2"),
              MakeVillage("v1b", "t1"), MakeVillage("v1a", "t1"),
              MakeGrid("g1", "v1a"), MakeCounty("z"), MakeTownship("zt", "z"),
              MakeHousehold("h1", "v1a"), MakeHousehold("h2", "v2a"),
              MakeHousehold("hz", "zt")});
    ASSERT_EQ(ledger_->last_sequence_number(), 13u);
  }

  std::vector<std::string> Subtree(const std::string& area_id) {
    absl::StatusOr<std::vector<std::string>> subtree =
        ledger_->AreaSubtree(area_id, ReadOptions());
    EXPECT_TRUE(subtree.ok()) << subtree.status();
    return subtree.ok() ? *subtree : std::vector<std::string>{"<error>"};
  }
  std::vector<std::string> Children(const std::string& area_id) {
    absl::StatusOr<std::vector<std::string>> children =
        ledger_->ChildAreas(area_id, ReadOptions());
    EXPECT_TRUE(children.ok()) << children.status();
    return children.ok() ? *children : std::vector<std::string>{"<error>"};
  }
  std::vector<std::string> PersonsIn(const std::string& area_id) {
    absl::StatusOr<std::vector<std::string>> persons =
        ledger_->PersonsInArea(area_id, ReadOptions());
    EXPECT_TRUE(persons.ok()) << persons.status();
    return persons.ok() ? *persons : std::vector<std::string>{"<error>"};
  }
  std::vector<std::string> Members(const std::string& household_id) {
    absl::StatusOr<std::vector<std::string>> members =
        ledger_->HouseholdMembers(household_id, ReadOptions());
    EXPECT_TRUE(members.ok()) << members.status();
    return members.ok() ? *members : std::vector<std::string>{"<error>"};
  }
  // Sequence numbers of p's exposures overlapping [from, to].
  std::vector<uint64_t> Overlapping(const std::string& person_id,
                                    absl::Time from, absl::Time to) {
    absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
        ledger_->ExposuresOf(person_id, from, to, ReadOptions());
    EXPECT_TRUE(exposures.ok()) << exposures.status();
    return exposures.ok() ? SequenceNumbers(*exposures)
                          : std::vector<uint64_t>{0};
  }
};

// ---------------------------------------------------------------------------
// The area tree.

TEST_F(LedgerIndex, ChildAreasAreSortedById) {
  EXPECT_THAT(Children("c"), ElementsAre("t1", "t10", "t2"));
  EXPECT_THAT(Children("t1"), ElementsAre("v1a", "v1b"));
  EXPECT_THAT(Children("v1a"), ElementsAre("g1"));
  EXPECT_THAT(Children("g1"), IsEmpty());
  EXPECT_THAT(Children("t10"), IsEmpty());
  EXPECT_THAT(Children("z"), ElementsAre("zt"));
}

TEST_F(LedgerIndex, TopLevelAreasAreTheAreasWithNoParent) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> top,
                       ledger_->TopLevelAreas(ReadOptions()));
  EXPECT_THAT(top, ElementsAre("c", "z"));
  // As of a cut: before z was recorded (event 9), c alone; before any
  // area, none.
  ReadOptions before_z;
  before_z.sequence_limit = 8;
  ASSERT_OK_AND_ASSIGN(top, ledger_->TopLevelAreas(before_z));
  EXPECT_THAT(top, ElementsAre("c"));
  ReadOptions nothing;
  nothing.sequence_limit = 0;
  ASSERT_OK_AND_ASSIGN(top, ledger_->TopLevelAreas(nothing));
  EXPECT_THAT(top, IsEmpty());
  // A scoped view's root is its own area, though t1 has a parent; z, outside
  // it, is not shown.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ScopedLedger> scoped,
                       ScopedLedger::Create(*ledger_, "t1", "worker"));
  ASSERT_OK_AND_ASSIGN(top, scoped->TopLevelAreas(ReadOptions()));
  EXPECT_THAT(top, ElementsAre("t1"));
}

TEST_F(LedgerIndex, AreaSubtreeIsDepthFirstWithSiblingsSortedById) {
  EXPECT_THAT(Subtree("c"),
              ElementsAre("c", "t1", "v1a", "g1", "v1b", "t10", "t2", "v2a"));
  EXPECT_THAT(Subtree("t1"), ElementsAre("t1", "v1a", "g1", "v1b"));
  EXPECT_THAT(Subtree("g1"), ElementsAre("g1"));
  EXPECT_THAT(Subtree("z"), ElementsAre("z", "zt"));
}

TEST_F(LedgerIndex, PersonsInAreaCoversTheSubtree) {
  AddBatch({MakePerson("pv", "", "v1b"), MakePerson("pg", "", "g1"),
            MakePerson("ph", "h2"),            // In h2's area, v2a.
            MakePerson("pboth", "h1", "v2a"),  // Its own area wins.
            MakePerson("pz", "hz"), MakePerson("pnone"),
            MakeExposure("pg", "unregistered", Day(20, 9), Day(20, 10))});

  EXPECT_THAT(PersonsIn("c"), ElementsAre("pboth", "pg", "ph", "pv"));
  EXPECT_THAT(PersonsIn("t1"), ElementsAre("pg", "pv"));
  EXPECT_THAT(PersonsIn("v1a"), ElementsAre("pg"));
  EXPECT_THAT(PersonsIn("g1"), ElementsAre("pg"));
  EXPECT_THAT(PersonsIn("v1b"), ElementsAre("pv"));
  EXPECT_THAT(PersonsIn("t2"), ElementsAre("pboth", "ph"));
  EXPECT_THAT(PersonsIn("v2a"), ElementsAre("pboth", "ph"));
  EXPECT_THAT(PersonsIn("t10"), IsEmpty());
  EXPECT_THAT(PersonsIn("z"), ElementsAre("pz"));
}

// ---------------------------------------------------------------------------
// Households and national ids.

TEST_F(LedgerIndex, HouseholdMembersAreSortedById) {
  AddBatch({MakePerson("m3", "h1"), MakePerson("m10", "h1"),
            MakePerson("m1", "h1"), MakePerson("other", "h2"),
            MakePerson("m2", "h1", "v1b")});
  EXPECT_THAT(Members("h1"), ElementsAre("m1", "m10", "m2", "m3"));
  EXPECT_THAT(Members("h2"), ElementsAre("other"));
  EXPECT_THAT(Members("hz"), IsEmpty());
  EXPECT_THAT(ledger_->HouseholdMembers("no-such-household", ReadOptions()),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST_F(LedgerIndex, HouseholdMembersCountsAPersonOnceAcrossVersions) {
  Add(MakePerson("m1", "h1"));
  Add(MakePerson("m1", "h1"));
  Add(MakePerson("m1", "h1"));
  EXPECT_THAT(Members("h1"), ElementsAre("m1"));
  EXPECT_THAT(PersonsIn("c"), ElementsAre("m1"));
}

TEST_F(LedgerIndex, FindPersonsByNationalId) {
  const std::string shared = "430922198001010010";
  Add(MakePersonWithNationalId("b", shared));
  Add(MakePersonWithNationalId("a", shared));
  Add(MakePersonWithNationalId("c", "430922198001010029"));
  Add(MakePerson("d"));
  EXPECT_THAT(ledger_->FindPersonsByNationalId(shared, ReadOptions()),
              ElementsAre("a", "b"));
  EXPECT_THAT(
      ledger_->FindPersonsByNationalId("430922198001010029", ReadOptions()),
      ElementsAre("c"));
  EXPECT_THAT(
      ledger_->FindPersonsByNationalId("430922198001010096", ReadOptions()),
      IsEmpty());
}

TEST_F(LedgerIndex, FindPersonsByNationalIdFollowsUpserts) {
  const std::string old_id = "430922198001010010";
  const std::string new_id = "430922198001010037";
  const absl::Time t1 = At(2020, 1, 25, 9);
  const absl::Time t2 = At(2020, 1, 25, 10);
  AddAt(t1, MakePersonWithNationalId("a", old_id));
  AddAt(t1, MakePersonWithNationalId("b", old_id));
  AddAt(t2, MakePersonWithNationalId("a", new_id));

  EXPECT_THAT(ledger_->FindPersonsByNationalId(old_id, ReadOptions()),
              ElementsAre("b"));
  EXPECT_THAT(ledger_->FindPersonsByNationalId(new_id, ReadOptions()),
              ElementsAre("a"));
  EXPECT_THAT(ledger_->FindPersonsByNationalId(old_id, KnownAt(t1)),
              ElementsAre("a", "b"));
  EXPECT_THAT(ledger_->FindPersonsByNationalId(new_id, KnownAt(t1)), IsEmpty());

  // A new version with the same national id lists the person once.
  Add(MakePersonWithNationalId("a", new_id));
  EXPECT_THAT(ledger_->FindPersonsByNationalId(new_id, ReadOptions()),
              ElementsAre("a"));

  // Dropping the national id removes the person from the index.
  Add(MakePerson("b"));
  EXPECT_THAT(ledger_->FindPersonsByNationalId(old_id, ReadOptions()),
              IsEmpty());
}

// ---------------------------------------------------------------------------
// A person's exposures.

TEST_F(LedgerIndex, ExposuresOfAreOrderedByStartTimeThenSequenceNumber) {
  const uint64_t e1 = Add(MakeExposure("p", "a", Day(22, 9), Day(22, 10)));
  const uint64_t e2 = Add(MakeExposure("b", "p", Day(20, 9), Day(20, 18)));
  const uint64_t e3 = Add(MakeExposure("p", "c", Day(21, 9), Day(21, 10)));
  const uint64_t e4 = Add(MakeExposure("p", "a", Day(20, 9), Day(20, 10)));
  const uint64_t e5 = Add(MakeExposure("a", "b", Day(20, 9), Day(20, 10)));
  const uint64_t e6 = Add(MakeExposure("d", "p", Day(19, 23), Day(23, 0)));

  EXPECT_THAT(Overlapping("p", absl::InfinitePast(), absl::InfiniteFuture()),
              ElementsAre(e6, e2, e4, e3, e1));
  EXPECT_THAT(Overlapping("a", absl::InfinitePast(), absl::InfiniteFuture()),
              ElementsAre(e4, e5, e1));
  EXPECT_THAT(Overlapping("b", absl::InfinitePast(), absl::InfiniteFuture()),
              ElementsAre(e2, e5));
}

TEST_F(LedgerIndex, ExposureWindowOverlapIncludesTouchingBoundaries) {
  const absl::Time start = Day(20, 10);
  const absl::Time end = Day(20, 11);
  const uint64_t e = Add(MakeExposure("p", "q", start, end));
  const absl::Duration second = absl::Seconds(1);

  // Touching either end counts: start <= to and end >= from.
  EXPECT_THAT(Overlapping("p", end, end + absl::Hours(1)), ElementsAre(e));
  EXPECT_THAT(Overlapping("p", start - absl::Hours(1), start), ElementsAre(e));
  EXPECT_THAT(Overlapping("p", start, start), ElementsAre(e));
  EXPECT_THAT(Overlapping("p", end, end), ElementsAre(e));
  // Inside and around.
  EXPECT_THAT(
      Overlapping("p", start + absl::Minutes(10), start + absl::Minutes(20)),
      ElementsAre(e));
  EXPECT_THAT(Overlapping("q", start - absl::Hours(1), end + absl::Hours(1)),
              ElementsAre(e));
  // One second apart does not.
  EXPECT_THAT(Overlapping("p", end + second, end + absl::Hours(1)), IsEmpty());
  EXPECT_THAT(Overlapping("p", start - absl::Hours(1), start - second),
              IsEmpty());
  EXPECT_THAT(Overlapping("q", end + second, absl::InfiniteFuture()),
              IsEmpty());
  EXPECT_THAT(Overlapping("q", absl::InfinitePast(), start - second),
              IsEmpty());
}

TEST_F(LedgerIndex, InstantaneousExposureOverlapsItsOwnInstant) {
  const absl::Time t = Day(20, 10);
  const uint64_t e = Add(MakeExposure("p", "q", t, t));
  EXPECT_THAT(Overlapping("p", t, t), ElementsAre(e));
  EXPECT_THAT(Overlapping("p", t - absl::Hours(1), t), ElementsAre(e));
  EXPECT_THAT(Overlapping("p", t, t + absl::Hours(1)), ElementsAre(e));
  EXPECT_THAT(Overlapping("p", t + absl::Seconds(1), t + absl::Hours(1)),
              IsEmpty());
}

TEST_F(LedgerIndex, LongExposureIsFoundInEveryWindowItCrosses) {
  // A long exposure appended after many short, later ones.
  std::vector<uint64_t> short_ones;
  for (int day = 10; day <= 30; ++day) {
    short_ones.push_back(Add(MakeExposure("p", "s" + std::to_string(day),
                                          Day(day, 9), Day(day, 10))));
  }
  const uint64_t long_one =
      Add(MakeExposure("p", "roommate", Day(1), Day(31, 23)));
  EXPECT_THAT(Overlapping("p", Day(20, 12), Day(20, 13)),
              ElementsAre(long_one));
  EXPECT_THAT(Overlapping("p", Day(20, 9, 30), Day(20, 9, 30)),
              ElementsAre(long_one, short_ones[10]));
  EXPECT_THAT(Overlapping("p", Day(29, 10), Day(30, 9)),
              ElementsAre(long_one, short_ones[19], short_ones[20]));
}

TEST_F(LedgerIndex, ExposuresOfReturnsTheBodiesAsRecorded) {
  const absl::Time record_time = At(2020, 1, 26, 15, 30);
  v1::LedgerEvent event = MakeExposure("p", "q", Day(20, 9), Day(20, 9, 45),
                                       v1::EXPOSURE_SETTING_TRANSPORT);
  event.mutable_exposure()->set_id("form-0012");
  event.mutable_exposure()->set_note("bus K23, seats 4 and 5");
  event.set_actor("tracer-3");
  const uint64_t n = AddAt(record_time, event);
  for (const std::string person : {"p", "q"}) {
    SCOPED_TRACE(person);
    ASSERT_OK_AND_ASSIGN(
        std::vector<Recorded<v1::Exposure>> exposures,
        ledger_->ExposuresOf(person, absl::InfinitePast(),
                             absl::InfiniteFuture(), ReadOptions()));
    ASSERT_EQ(exposures.size(), 1u);
    EXPECT_EQ(exposures[0].sequence_number, n);
    EXPECT_EQ(exposures[0].record_time, record_time);
    EXPECT_THAT(exposures[0].body, EqualsProto(event.exposure()));
  }
}

// ---------------------------------------------------------------------------
// Diagnoses, quarantine actions, health checks and passages.

TEST_F(LedgerIndex, DiagnosesOfAreOrderedByTimeThenSequenceNumber) {
  v1::LedgerEvent d1 =
      MakeDiagnosis("p", Day(22), v1::DIAGNOSIS_STATUS_CONFIRMED);
  *d1.mutable_diagnosis()->mutable_onset() = MakeDate(2020, 1, 18);
  const v1::LedgerEvent d2 =
      MakeDiagnosis("p", Day(20), v1::DIAGNOSIS_STATUS_SUSPECTED);
  const v1::LedgerEvent d3 =
      MakeDiagnosis("p", Day(21), v1::DIAGNOSIS_STATUS_ASYMPTOMATIC);
  const v1::LedgerEvent d4 =
      MakeDiagnosis("p", Day(20), v1::DIAGNOSIS_STATUS_CLEARED);
  const v1::LedgerEvent other = MakeDiagnosis("q", Day(19));
  const uint64_t n1 = AddAt(At(2020, 1, 26, 9), d1);
  const uint64_t n2 = AddAt(At(2020, 1, 26, 10), d2);
  const uint64_t n3 = Add(d3);
  const uint64_t n4 = Add(d4);
  Add(other);

  ASSERT_OK_AND_ASSIGN(std::vector<Recorded<v1::Diagnosis>> diagnoses,
                       ledger_->DiagnosesOf("p", ReadOptions()));
  EXPECT_THAT(SequenceNumbers(diagnoses), ElementsAre(n2, n4, n3, n1));
  ASSERT_EQ(diagnoses.size(), 4u);
  EXPECT_THAT(diagnoses[0].body, EqualsProto(d2.diagnosis()));
  EXPECT_THAT(diagnoses[1].body, EqualsProto(d4.diagnosis()));
  EXPECT_THAT(diagnoses[2].body, EqualsProto(d3.diagnosis()));
  EXPECT_THAT(diagnoses[3].body, EqualsProto(d1.diagnosis()));
  EXPECT_EQ(diagnoses[3].record_time, At(2020, 1, 26, 9));
  EXPECT_EQ(diagnoses[0].record_time, At(2020, 1, 26, 10));
  EXPECT_EQ(diagnoses[3].body.person_id(), "p");
  EXPECT_EQ(diagnoses[3].body.onset().day(), 18);
}

TEST_F(LedgerIndex, QuarantineActionsOfAreOrderedByTimeThenSequenceNumber) {
  const v1::LedgerEvent a =
      MakeQuarantineStart("p", Day(21), v1::QUARANTINE_PLACE_CENTRALIZED);
  const v1::LedgerEvent b = MakeQuarantineEnd("p", Day(23));
  const v1::LedgerEvent c =
      MakeQuarantineStart("p", Day(20), v1::QUARANTINE_PLACE_HOSPITAL);
  const v1::LedgerEvent d = MakeQuarantineEnd("p", Day(21));
  const v1::LedgerEvent e =
      MakeQuarantineStart("p", Day(21), v1::QUARANTINE_PLACE_HOME);
  const uint64_t na = Add(a);
  const uint64_t nb = Add(b);
  const uint64_t nc = Add(c);
  const uint64_t nd = Add(d);
  const uint64_t ne = Add(e);
  Add(MakeQuarantineStart("q", Day(20)));

  ASSERT_OK_AND_ASSIGN(std::vector<Recorded<v1::QuarantineAction>> actions,
                       ledger_->QuarantineActionsOf("p", ReadOptions()));
  EXPECT_THAT(SequenceNumbers(actions), ElementsAre(nc, na, nd, ne, nb));
  ASSERT_EQ(actions.size(), 5u);
  EXPECT_THAT(actions[0].body, EqualsProto(c.quarantine_action()));
  EXPECT_THAT(actions[1].body, EqualsProto(a.quarantine_action()));
  EXPECT_THAT(actions[2].body, EqualsProto(d.quarantine_action()));
  EXPECT_THAT(actions[3].body, EqualsProto(e.quarantine_action()));
  EXPECT_THAT(actions[4].body, EqualsProto(b.quarantine_action()));
}

TEST_F(LedgerIndex, HealthChecksOfAreOrderedByTimeThenSequenceNumber) {
  v1::LedgerEvent fever = MakeHealthCheck("p", Day(21, 8), 37.8);
  fever.mutable_health_check()->add_symptoms("cough");
  fever.mutable_health_check()->add_symptoms("fatigue");
  fever.mutable_health_check()->set_checked_by("Dr. Wang");
  v1::LedgerEvent normal = MakeHealthCheck("p", Day(20, 20), 36.5);
  normal.mutable_health_check()->set_checked_by("Nurse Liu");
  const v1::LedgerEvent same_time = MakeHealthCheck("p", Day(21, 8), 37.1);
  const uint64_t n_fever = Add(fever);
  const uint64_t n_normal = Add(normal);
  const uint64_t n_same = Add(same_time);
  Add(MakeHealthCheck("q", Day(20)));

  ASSERT_OK_AND_ASSIGN(std::vector<Recorded<v1::HealthCheck>> checks,
                       ledger_->HealthChecksOf("p", ReadOptions()));
  EXPECT_THAT(SequenceNumbers(checks), ElementsAre(n_normal, n_fever, n_same));
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_THAT(checks[0].body, EqualsProto(normal.health_check()));
  EXPECT_THAT(checks[1].body, EqualsProto(fever.health_check()));
  EXPECT_THAT(checks[2].body, EqualsProto(same_time.health_check()));
  EXPECT_THAT(checks[1].body.symptoms(), ElementsAre("cough", "fatigue"));
  EXPECT_EQ(checks[1].body.checked_by(), "Dr. Wang");
  EXPECT_DOUBLE_EQ(checks[1].body.temperature_celsius(), 37.8);
}

TEST_F(LedgerIndex, PassagesOfAreOrderedByTimeThenSequenceNumber) {
  const v1::LedgerEvent back =
      MakePassage("p", "gate-3", Day(20, 18), v1::PASSAGE_DIRECTION_IN);
  const v1::LedgerEvent out =
      MakePassage("p", "gate-3", Day(20, 7), v1::PASSAGE_DIRECTION_OUT);
  const v1::LedgerEvent road_block =
      MakePassage("p", "road-block-G65", Day(20, 7), v1::PASSAGE_DIRECTION_IN);
  const uint64_t n_back = Add(back);
  const uint64_t n_out = Add(out);
  const uint64_t n_road_block = Add(road_block);
  Add(MakePassage("q", "gate-3", Day(20, 7)));

  ASSERT_OK_AND_ASSIGN(std::vector<Recorded<v1::CheckpointPassage>> passages,
                       ledger_->PassagesOf("p", ReadOptions()));
  EXPECT_THAT(SequenceNumbers(passages),
              ElementsAre(n_out, n_road_block, n_back));
  ASSERT_EQ(passages.size(), 3u);
  EXPECT_THAT(passages[0].body, EqualsProto(out.checkpoint_passage()));
  EXPECT_THAT(passages[1].body, EqualsProto(road_block.checkpoint_passage()));
  EXPECT_THAT(passages[2].body, EqualsProto(back.checkpoint_passage()));
  EXPECT_EQ(passages[1].body.checkpoint_id(), "road-block-G65");
}

TEST_F(LedgerIndex, HistoriesFollowKnownAt) {
  const absl::Time t1 = At(2020, 1, 26, 9);
  const absl::Time t2 = At(2020, 1, 26, 10);
  const uint64_t first = AddAt(t1, MakeDiagnosis("p", Day(22)));
  const uint64_t second = AddAt(t2, MakeDiagnosis("p", Day(21)));
  ASSERT_OK_AND_ASSIGN(auto at_t1, ledger_->DiagnosesOf("p", KnownAt(t1)));
  EXPECT_THAT(SequenceNumbers(at_t1), ElementsAre(first));
  ASSERT_OK_AND_ASSIGN(auto at_t2, ledger_->DiagnosesOf("p", KnownAt(t2)));
  EXPECT_THAT(SequenceNumbers(at_t2), ElementsAre(second, first));
  ASSERT_OK_AND_ASSIGN(auto limited,
                       ledger_->DiagnosesOf("p", testutil::UpTo(first)));
  EXPECT_THAT(SequenceNumbers(limited), ElementsAre(first));
}

// ---------------------------------------------------------------------------
// Stats.

class LedgerStatsTest : public testutil::LedgerTestBase {};

TEST_F(LedgerStatsTest, EmptyLedgerCountsNothing) {
  const LedgerStats stats = ledger_->Stats();
  EXPECT_EQ(stats.events, 0u);
  EXPECT_EQ(stats.areas, 0u);
  EXPECT_EQ(stats.households, 0u);
  EXPECT_EQ(stats.persons, 0u);
  EXPECT_EQ(stats.person_versions, 0u);
  EXPECT_EQ(stats.exposures, 0u);
  EXPECT_EQ(stats.diagnoses, 0u);
  EXPECT_EQ(stats.quarantine_actions, 0u);
  EXPECT_EQ(stats.health_checks, 0u);
  EXPECT_EQ(stats.checkpoint_passages, 0u);
  EXPECT_EQ(stats.retractions, 0u);
}

TEST_F(LedgerStatsTest, CountsEveryKindOfEventRetractedOrNot) {
  AddBatch({MakeCounty("c"), MakeTownship("t", "c"), MakeVillage("v", "t"),
            MakeHousehold("h", "v"), MakePerson("p", "h"),
            MakePerson("q", "h")});
  Add(MakeCounty("c"));          // Same area again.
  Add(MakeHousehold("h", "t"));  // Same household again.
  Add(MakePerson("p", "h"));     // A second version of p.
  Add(MakePersonWithNationalId("q", "430922198001010029"));
  const uint64_t exposure =
      Add(MakeExposure("p", "u1", Day(20, 9), Day(20, 10)));
  Add(MakeExposure("p", "q", Day(20, 9), Day(20, 10)));
  Add(MakeDiagnosis("u2", Day(21)));
  Add(MakeQuarantineStart("p", Day(21)));
  Add(MakeQuarantineEnd("p", Day(22)));
  Add(MakeHealthCheck("p", Day(21, 8)));
  Add(MakePassage("q", "gate", Day(21, 9)));
  Add(MakeRetraction(exposure));
  // A rejected event counts for nothing.
  EXPECT_FALSE(ledger_->Append(MakePerson("bad", "no-such-household")).ok());

  const LedgerStats stats = ledger_->Stats();
  EXPECT_EQ(stats.events, 18u);
  EXPECT_EQ(stats.events, ledger_->last_sequence_number());
  EXPECT_EQ(stats.areas, 3u);
  EXPECT_EQ(stats.households, 1u);
  EXPECT_EQ(stats.persons, 4u);  // p, q registered; u1, u2 referenced.
  EXPECT_EQ(stats.person_versions, 4u);
  EXPECT_EQ(stats.exposures, 2u);
  EXPECT_EQ(stats.diagnoses, 1u);
  EXPECT_EQ(stats.quarantine_actions, 2u);
  EXPECT_EQ(stats.health_checks, 1u);
  EXPECT_EQ(stats.checkpoint_passages, 1u);
  EXPECT_EQ(stats.retractions, 1u);
  EXPECT_GT(stats.memory_bytes, 0u);
}

TEST_F(LedgerStatsTest, MemoryGrowsWithTheRecord) {
  Add(MakePerson("p"));
  const uint64_t before = ledger_->Stats().memory_bytes;
  std::vector<v1::LedgerEvent> batch;
  for (int i = 0; i < 20000; ++i) {
    batch.push_back(MakeExposure("p", "c" + std::to_string(i),
                                 Day(20) + absl::Seconds(i),
                                 Day(20) + absl::Seconds(i + 60)));
  }
  AddBatch(batch);
  const LedgerStats stats = ledger_->Stats();
  EXPECT_EQ(stats.exposures, 20000u);
  EXPECT_EQ(stats.persons, 20001u);
  // At least a few bytes per exposure and per person id.
  EXPECT_GT(stats.memory_bytes, before + 20000u * 16u);
}

}  // namespace
}  // namespace contactledger
