// Copyright 2026 The ContactLedger Authors.
//
// Appending: sequence numbers, record times from a replaceable clock, and
// atomic batches (contactledger/ledger.h Append / AppendBatch / GetEvent).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
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
using ::contactledger::testutil::FakeClock;
using ::contactledger::testutil::FromProto;
using ::contactledger::testutil::KnownAt;
using ::contactledger::testutil::MakeCounty;
using ::contactledger::testutil::MakeDiagnosis;
using ::contactledger::testutil::MakeExposure;
using ::contactledger::testutil::MakeHealthCheck;
using ::contactledger::testutil::MakeHousehold;
using ::contactledger::testutil::MakePerson;
using ::contactledger::testutil::MakeQuarantineStart;
using ::contactledger::testutil::MakeRetraction;
using ::contactledger::testutil::MakeTownship;
using ::contactledger::testutil::MakeVillage;
using ::contactledger::testutil::MentionsAny;
using ::contactledger::testutil::NamesField;
using ::contactledger::testutil::StatusCodeIs;
using ::contactledger::testutil::StatusIs;
using ::contactledger::testutil::ToProto;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// Compares every count of two LedgerStats except memory_bytes.
void ExpectSameCounts(const LedgerStats& a, const LedgerStats& b) {
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.areas, b.areas);
  EXPECT_EQ(a.households, b.households);
  EXPECT_EQ(a.persons, b.persons);
  EXPECT_EQ(a.person_versions, b.person_versions);
  EXPECT_EQ(a.exposures, b.exposures);
  EXPECT_EQ(a.diagnoses, b.diagnoses);
  EXPECT_EQ(a.quarantine_actions, b.quarantine_actions);
  EXPECT_EQ(a.health_checks, b.health_checks);
  EXPECT_EQ(a.checkpoint_passages, b.checkpoint_passages);
  EXPECT_EQ(a.retractions, b.retractions);
}

class LedgerRecording : public testutil::LedgerTestBase {};

TEST_F(LedgerRecording, EmptyLedgerHasNoEvents) {
  EXPECT_EQ(ledger_->last_sequence_number(), 0u);
  EXPECT_THAT(ledger_->GetEvent(0), StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ledger_->GetEvent(1), StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(ledger_->Stats().events, 0u);
}

TEST_F(LedgerRecording, SequenceNumbersStartAtOneWithoutGaps) {
  EXPECT_EQ(Add(MakeCounty("c")), 1u);
  EXPECT_EQ(Add(MakeTownship("t", "c")), 2u);
  // A rejected event takes no number.
  EXPECT_FALSE(ledger_->Append(MakeTownship("t2", "nowhere")).ok());
  EXPECT_EQ(Add(MakeTownship("t2", "c")), 3u);
  EXPECT_EQ(ledger_->last_sequence_number(), 3u);
}

TEST_F(LedgerRecording,
       GetEventReturnsEnvelopeWithSequenceNumberAndRecordTime) {
  const absl::Time t1 = At(2020, 1, 23, 10, 0, 0);
  const absl::Time t2 = At(2020, 1, 23, 11, 30, 0);
  v1::LedgerEvent county = MakeCounty("yuanling");
  county.mutable_area()->set_name("Yuanling County");
  county.set_actor("worker-1");
  EXPECT_EQ(AddAt(t1, county), 1u);
  v1::LedgerEvent exposure =
      MakeExposure("p1", "p2", At(2020, 1, 20, 9), At(2020, 1, 20, 10));
  exposure.mutable_exposure()->set_id("form-17");
  exposure.mutable_exposure()->set_note("shared a taxi");
  EXPECT_EQ(AddAt(t2, exposure), 2u);

  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent first, ledger_->GetEvent(1));
  EXPECT_EQ(first.sequence_number(), 1u);
  EXPECT_EQ(FromProto(first.record_time()), t1);
  EXPECT_EQ(first.actor(), "worker-1");
  ASSERT_TRUE(first.has_area());
  EXPECT_THAT(first.area(), EqualsProto(county.area()));

  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent second, ledger_->GetEvent(2));
  v1::LedgerEvent expected = exposure;
  expected.set_sequence_number(2);
  *expected.mutable_record_time() = ToProto(t2);
  EXPECT_THAT(second, EqualsProto(expected));

  EXPECT_THAT(ledger_->GetEvent(3), StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ledger_->GetEvent(0), StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST_F(LedgerRecording, CallerSetSequenceNumberAndRecordTimeAreIgnored) {
  const absl::Time now = At(2020, 1, 24, 9, 0, 0);
  clock_.Set(now);
  v1::LedgerEvent event = MakeCounty("c");
  event.set_sequence_number(42);
  *event.mutable_record_time() = ToProto(At(1999, 12, 31));
  ASSERT_OK_AND_ASSIGN(const uint64_t sequence_number, ledger_->Append(event));
  EXPECT_EQ(sequence_number, 1u);
  EXPECT_EQ(ledger_->last_sequence_number(), 1u);
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent recorded, ledger_->GetEvent(1));
  EXPECT_EQ(recorded.sequence_number(), 1u);
  EXPECT_EQ(FromProto(recorded.record_time()), now);
  EXPECT_THAT(ledger_->GetEvent(42), StatusCodeIs(absl::StatusCode::kNotFound));
  // The event is visible as of its real record time, not the claimed one.
  EXPECT_TRUE(ledger_->GetArea("c", KnownAt(now)).ok());
  EXPECT_THAT(ledger_->GetArea("c", KnownAt(now - absl::Seconds(1))),
              StatusCodeIs(absl::StatusCode::kNotFound));

  // The same in a batch.
  v1::LedgerEvent township = MakeTownship("t", "c");
  township.set_sequence_number(1);
  *township.mutable_record_time() = ToProto(At(2030, 1, 1));
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> numbers,
                       ledger_->AppendBatch({township}));
  EXPECT_THAT(numbers, ElementsAre(2u));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent second, ledger_->GetEvent(2));
  EXPECT_EQ(FromProto(second.record_time()), now);
}

TEST_F(LedgerRecording, RecordTimeKeepsFullPrecision) {
  const absl::Time now =
      At(2020, 1, 24, 9, 0, 0) + absl::Nanoseconds(123456789);
  clock_.Set(now);
  Add(MakeCounty("c"));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent recorded, ledger_->GetEvent(1));
  EXPECT_EQ(recorded.record_time().nanos(), 123456789);
  EXPECT_EQ(FromProto(recorded.record_time()), now);
  EXPECT_TRUE(ledger_->GetArea("c", KnownAt(now)).ok());
  EXPECT_FALSE(ledger_->GetArea("c", KnownAt(now - absl::Nanoseconds(1))).ok());
}

TEST_F(LedgerRecording, RecordTimesNeverDecreaseWhenTheClockGoesBackwards) {
  const absl::Time t2 = At(2020, 1, 25, 12, 0, 0);
  const absl::Time t1 = At(2020, 1, 25, 11, 0, 0);
  const absl::Time t3 = At(2020, 1, 25, 13, 0, 0);
  AddAt(t2, MakeCounty("c"));
  AddAt(t1, MakeTownship("t", "c"));  // The clock went back an hour.
  clock_.Set(t1 - absl::Hours(5));
  AddBatch({MakeVillage("v", "t"), MakeHousehold("h", "v")});
  AddAt(t3, MakePerson("p", "h"));

  absl::Time previous = absl::InfinitePast();
  for (uint64_t n = 1; n <= ledger_->last_sequence_number(); ++n) {
    ASSERT_OK_AND_ASSIGN(v1::LedgerEvent event, ledger_->GetEvent(n));
    const absl::Time record_time = FromProto(event.record_time());
    EXPECT_GE(record_time, previous) << "event " << n;
    EXPECT_GE(record_time, t2) << "event " << n;
    previous = record_time;
  }
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent last, ledger_->GetEvent(5));
  EXPECT_EQ(FromProto(last.record_time()), t3);
  // What was appended while the clock was behind is visible as of t2 at the
  // latest, and nothing is visible before t2.
  EXPECT_TRUE(ledger_->GetHousehold("h", KnownAt(t2)).ok());
  EXPECT_FALSE(ledger_->GetArea("c", KnownAt(t1)).ok());
  EXPECT_FALSE(ledger_->GetArea("t", KnownAt(t1)).ok());
}

TEST_F(LedgerRecording, DefaultClockIsTheRealClock) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  const absl::Time before = absl::Now();
  ASSERT_OK(ledger->Append(MakeCounty("c")));
  const absl::Time after = absl::Now();
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent event, ledger->GetEvent(1));
  EXPECT_GE(FromProto(event.record_time()), before - absl::Milliseconds(1));
  EXPECT_LE(FromProto(event.record_time()), after + absl::Milliseconds(1));
  EXPECT_NE(Clock::Real(), nullptr);
  EXPECT_EQ(Clock::Real(), Clock::Real());
}

TEST_F(LedgerRecording, OptionsAreKept) {
  EXPECT_EQ(ledger_->options().clock, &clock_);
  EXPECT_EQ(ledger_->options().time_zone, absl::UTCTimeZone());

  const absl::TimeZone shanghai = absl::FixedTimeZone(8 * 60 * 60);
  LedgerOptions options;
  options.clock = &clock_;
  options.time_zone = shanghai;
  std::unique_ptr<Ledger> ledger = Ledger::New(options);
  EXPECT_EQ(ledger->options().time_zone, shanghai);
}

TEST_F(LedgerRecording, RetractedEventIsStillReturnedByGetEvent) {
  const uint64_t diagnosis = Add(MakeDiagnosis("p", At(2020, 1, 21)));
  Add(MakeRetraction(diagnosis, "wrong person"));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent event, ledger_->GetEvent(diagnosis));
  EXPECT_TRUE(event.has_diagnosis());
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent retraction, ledger_->GetEvent(2));
  ASSERT_TRUE(retraction.has_retraction());
  EXPECT_EQ(retraction.retraction().sequence_number(), diagnosis);
  EXPECT_EQ(retraction.retraction().reason(), "wrong person");
}

// ---------------------------------------------------------------------------
// Batches.

class LedgerBatch : public testutil::LedgerTestBase {
 protected:
  void SetUp() override {
    AddBatch({MakeCounty("c"), MakeTownship("t", "c"), MakeVillage("v", "t"),
              MakeHousehold("h", "v"), MakePerson("p", "h")});
    ASSERT_EQ(ledger_->last_sequence_number(), 5u);
  }
};

TEST_F(LedgerBatch, GoodBatchReturnsConsecutiveSequenceNumbers) {
  const absl::Time t = At(2020, 1, 21, 10);
  ASSERT_OK_AND_ASSIGN(
      std::vector<uint64_t> numbers,
      ledger_->AppendBatch({MakeExposure("p", "q", t, t + absl::Hours(1)),
                            MakeDiagnosis("q", t), MakeHealthCheck("p", t),
                            MakePerson("q", "h")}));
  EXPECT_THAT(numbers, ElementsAre(6u, 7u, 8u, 9u));
  EXPECT_EQ(ledger_->last_sequence_number(), 9u);
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent event, ledger_->GetEvent(8));
  EXPECT_TRUE(event.has_health_check());
  EXPECT_EQ(event.sequence_number(), 8u);
}

TEST_F(LedgerBatch, BadEventInTheMiddleRecordsNothing) {
  const LedgerStats stats_before = ledger_->Stats();
  const std::vector<std::string> unregistered_before =
      ledger_->UnregisteredPersons(ReadOptions());
  const absl::Time t = At(2020, 1, 21, 10);
  const std::vector<v1::LedgerEvent> batch = {
      MakePerson("x1", "h"),
      MakeExposure("x1", "u1", t, t + absl::Hours(1)),
      MakeExposure("x1", "x1", t, t + absl::Hours(1)),  // Exposed to themself.
      MakeDiagnosis("x1", t),
      MakeHousehold("h2", "v"),
  };
  EXPECT_THAT(ledger_->AppendBatch(batch),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("event 3 of 5"), HasSubstr("exposure"),
                             NamesField("person_b"), HasSubstr("themself"))));

  EXPECT_EQ(ledger_->last_sequence_number(), 5u);
  EXPECT_THAT(ledger_->GetEvent(6), StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ledger_->GetPerson("x1", ReadOptions()),
              StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ledger_->GetHousehold("h2", ReadOptions()),
              StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ledger_->ExposuresOf("u1", absl::InfinitePast(),
                                   absl::InfiniteFuture(), ReadOptions()),
              StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ledger_->DiagnosesOf("x1", ReadOptions()),
              StatusCodeIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> members,
                       ledger_->HouseholdMembers("h", ReadOptions()));
  EXPECT_THAT(members, ElementsAre("p"));
  EXPECT_EQ(ledger_->UnregisteredPersons(ReadOptions()), unregistered_before);
  ExpectSameCounts(ledger_->Stats(), stats_before);

  // The ledger goes on as if the batch had never been offered.
  EXPECT_EQ(Add(MakePerson("x1", "h")), 6u);
}

TEST_F(LedgerBatch, ErrorNamesThePositionAndBodyKindOfTheBadEvent) {
  const absl::Time t = At(2020, 1, 21, 10);
  EXPECT_THAT(
      ledger_->AppendBatch(
          {MakeQuarantineStart("p", t, v1::QUARANTINE_PLACE_UNSPECIFIED),
           MakeDiagnosis("p", t)}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("event 1 of 2"),
                     MentionsAny({"quarantine_action", "quarantineaction",
                                  "quarantine action"}),
                     NamesField("place"))));
  EXPECT_THAT(
      ledger_->AppendBatch(
          {MakeDiagnosis("p", t), MakeHealthCheck("p", t, 50.0)}),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          AllOf(HasSubstr("event 2 of 2"),
                MentionsAny({"health_check", "healthcheck", "health check"}),
                NamesField("temperature_celsius"))));
  // Only the first bad event is reported.
  EXPECT_THAT(ledger_->AppendBatch({MakeDiagnosis("p", t), MakePerson(""),
                                    MakeHousehold("", "v")}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("event 2 of 3"), HasSubstr("person"))));
  EXPECT_EQ(ledger_->last_sequence_number(), 5u);
}

TEST_F(LedgerBatch, LaterEventsMayReferToEarlierOnes) {
  ASSERT_OK_AND_ASSIGN(
      std::vector<uint64_t> numbers,
      ledger_->AppendBatch({MakeCounty("c2"), MakeTownship("t2", "c2"),
                            MakeVillage("v2", "t2"), MakeHousehold("h2", "v2"),
                            MakePerson("p2", "h2")}));
  EXPECT_THAT(numbers, ElementsAre(6u, 7u, 8u, 9u, 10u));
  ASSERT_OK_AND_ASSIGN(v1::Area village, ledger_->GetArea("v2", ReadOptions()));
  EXPECT_EQ(village.parent_id(), "t2");
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> members,
                       ledger_->HouseholdMembers("h2", ReadOptions()));
  EXPECT_THAT(members, ElementsAre("p2"));
}

TEST_F(LedgerBatch, EventMayNotReferToALaterEventOfTheBatch) {
  EXPECT_THAT(
      ledger_->AppendBatch({MakeHousehold("h2", "v2"), MakeVillage("v2", "t")}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("event 1 of 2"), NamesField("area_id"))));
  EXPECT_EQ(ledger_->last_sequence_number(), 5u);
  EXPECT_FALSE(ledger_->GetArea("v2", ReadOptions()).ok());
}

TEST_F(LedgerBatch, RetractionOfAnEarlierEventOfTheSameBatch) {
  const absl::Time t = At(2020, 1, 21, 10);
  const uint64_t next = ledger_->last_sequence_number() + 1;
  ASSERT_OK_AND_ASSIGN(
      std::vector<uint64_t> numbers,
      ledger_->AppendBatch({MakeExposure("p", "q", t, t + absl::Hours(1)),
                            MakeRetraction(next, "typo")}));
  EXPECT_THAT(numbers, ElementsAre(next, next + 1));
  EXPECT_TRUE(ledger_->IsRetracted(next, ReadOptions()));
  ASSERT_OK_AND_ASSIGN(
      std::vector<Recorded<v1::Exposure>> exposures,
      ledger_->ExposuresOf("p", absl::InfinitePast(), absl::InfiniteFuture(),
                           ReadOptions()));
  EXPECT_THAT(exposures, IsEmpty());
  // Both share one record time, so no known_at sees the exposure alive.
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent event, ledger_->GetEvent(next));
  ASSERT_OK_AND_ASSIGN(
      exposures,
      ledger_->ExposuresOf("p", absl::InfinitePast(), absl::InfiniteFuture(),
                           KnownAt(FromProto(event.record_time()))));
  EXPECT_THAT(exposures, IsEmpty());
}

TEST_F(LedgerBatch, SecondRetractionOfTheSameEventInABatchIsRejected) {
  const absl::Time t = At(2020, 1, 21, 10);
  const uint64_t next = ledger_->last_sequence_number() + 1;
  EXPECT_THAT(
      ledger_->AppendBatch(
          {MakeDiagnosis("p", t), MakeRetraction(next), MakeRetraction(next)}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("event 3 of 3"), NamesField("sequence_number"),
                     MentionsAny({"already", "retracted"}))));
  // A retraction may not name itself or a later event of its batch.
  EXPECT_THAT(
      ledger_->AppendBatch({MakeRetraction(next + 1), MakeDiagnosis("p", t)}),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          AllOf(HasSubstr("event 1 of 2"), NamesField("sequence_number"))));
  EXPECT_THAT(
      ledger_->AppendBatch({MakeDiagnosis("p", t), MakeRetraction(next + 1)}),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          AllOf(HasSubstr("event 2 of 2"), NamesField("sequence_number"))));
  EXPECT_EQ(ledger_->last_sequence_number(), 5u);
}

TEST_F(LedgerBatch, EmptyBatchReturnsAnEmptyVector) {
  const LedgerStats before = ledger_->Stats();
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> numbers, ledger_->AppendBatch({}));
  EXPECT_THAT(numbers, IsEmpty());
  EXPECT_EQ(ledger_->last_sequence_number(), 5u);
  ExpectSameCounts(ledger_->Stats(), before);
}

TEST_F(LedgerBatch, AllEventsOfABatchShareOneRecordTime) {
  // The clock moves a second every time it is read: if the ledger read it
  // per event, the record times would differ.
  clock_.Set(At(2020, 1, 22, 8));
  clock_.SetStep(absl::Seconds(1));
  const absl::Time t = At(2020, 1, 21, 10);
  ASSERT_OK_AND_ASSIGN(
      std::vector<uint64_t> numbers,
      ledger_->AppendBatch({MakeDiagnosis("p", t), MakeHealthCheck("p", t),
                            MakePerson("q", "h"),
                            MakeExposure("p", "q", t, t)}));
  ASSERT_THAT(numbers, SizeIs(4));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent first, ledger_->GetEvent(numbers[0]));
  const absl::Time record_time = FromProto(first.record_time());
  EXPECT_GE(record_time, At(2020, 1, 22, 8));
  for (uint64_t n : numbers) {
    ASSERT_OK_AND_ASSIGN(v1::LedgerEvent event, ledger_->GetEvent(n));
    EXPECT_EQ(FromProto(event.record_time()), record_time) << "event " << n;
  }
  // The next append gets a later record time.
  const uint64_t later = Add(MakeDiagnosis("q", t));
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent next, ledger_->GetEvent(later));
  EXPECT_GT(FromProto(next.record_time()), record_time);
}

}  // namespace
}  // namespace contactledger
