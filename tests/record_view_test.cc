// Copyright 2026 The ContactLedger Authors.
//
// What `ledgerctl show` and `audit` are built from (issue 14): the versions
// of a record (AreaVersions, HouseholdVersions, PersonVersions in
// contactledger/tracing.h), one record as text and JSON (RecordFields,
// WriteRecordText, WriteRecordJson), what each event of an audit trail said
// (AuditEventDetail and the audit writers with details), and the writers of
// a pass decision for an unknown person and of the chains as JSON
// (contactledger/report.h). The expected texts are written out by hand.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/report.h"
#include "contactledger/scope.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace testutil {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::SizeIs;

// --- The versions of a record. ---

// c > t > v; household h (area v, then a second version naming worker w2);
// person p registered in h, then a version with a phone, then one with a
// name that is retracted. Each step is recorded a minute after the last.
class RecordVersionsTest : public LedgerTestBase {
 protected:
  void SetUp() override {
    clock_.SetStep(absl::Minutes(1));
    AddBatch({MakeCounty("c"), MakeTownship("t", "c"), MakeVillage("v", "t"),
              MakeArea("v2", v1::AREA_LEVEL_VILLAGE, "t")});
    household_first_ = Add(MakeHousehold("h", "v", "w1"));
    household_second_ = Add(MakeHousehold("h", "v", "w2"));
    v1::LedgerEvent person = MakePerson("p", "h");
    person_first_ = Add(person);
    before_phone_ = clock_.Now();
    person.set_actor("li");
    person.mutable_person()->set_phone("13812345678");
    person_second_ = Add(person);
    person.mutable_person()->set_name("Zhang San");
    person_third_ = Add(person);
    retraction_ = Add(MakeRetraction(person_third_, "wrong name"));
  }

  uint64_t household_first_ = 0, household_second_ = 0;
  uint64_t person_first_ = 0, person_second_ = 0, person_third_ = 0;
  uint64_t retraction_ = 0;
  absl::Time before_phone_;
};

TEST_F(RecordVersionsTest, PersonVersionsOldestFirstWithTheRetractedOne) {
  ASSERT_OK_AND_ASSIGN(std::vector<RecordVersion> versions,
                       PersonVersions(*ledger_, "p"));
  ASSERT_THAT(versions, SizeIs(3));
  EXPECT_EQ(versions[0].sequence_number, person_first_);
  EXPECT_EQ(versions[1].sequence_number, person_second_);
  EXPECT_EQ(versions[2].sequence_number, person_third_);
  EXPECT_EQ(versions[1].actor, "li");
  EXPECT_FALSE(versions[1].retracted);
  EXPECT_TRUE(versions[2].retracted);
  EXPECT_EQ(versions[2].retracted_by, retraction_);
  EXPECT_LT(versions[0].record_time, versions[1].record_time);
}

// As the ledger knew it before the phone: one version; before the
// retraction, the name's version is not retracted yet.
TEST_F(RecordVersionsTest, VersionsAsTheLedgerKnewThem) {
  ASSERT_OK_AND_ASSIGN(std::vector<RecordVersion> early,
                       PersonVersions(*ledger_, "p", KnownAt(before_phone_)));
  EXPECT_THAT(early, ElementsAre(Field(&RecordVersion::sequence_number,
                                       person_first_)));
  ReadOptions before_retraction;
  before_retraction.sequence_limit = retraction_ - 1;
  ASSERT_OK_AND_ASSIGN(std::vector<RecordVersion> three,
                       PersonVersions(*ledger_, "p", before_retraction));
  ASSERT_THAT(three, SizeIs(3));
  EXPECT_FALSE(three[2].retracted);
}

TEST_F(RecordVersionsTest, AreasAndHouseholds) {
  ASSERT_OK_AND_ASSIGN(std::vector<RecordVersion> household,
                       HouseholdVersions(*ledger_, "h"));
  EXPECT_THAT(
      household,
      ElementsAre(Field(&RecordVersion::sequence_number, household_first_),
                  Field(&RecordVersion::sequence_number, household_second_)));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordVersion> area,
                       AreaVersions(*ledger_, "t"));
  EXPECT_THAT(area, ElementsAre(Field(&RecordVersion::sequence_number, 2u)));
}

TEST_F(RecordVersionsTest, UnknownIdsAreNotFound) {
  EXPECT_THAT(PersonVersions(*ledger_, "nobody"),
              StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(HouseholdVersions(*ledger_, "p"),
              StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(AreaVersions(*ledger_, "h"),
              StatusCodeIs(absl::StatusCode::kNotFound));
  // Named by an exposure but never registered: no versions.
  Add(MakeExposure("p", "u", absl::FromUnixSeconds(1580000000),
                   absl::FromUnixSeconds(1580003600)));
  EXPECT_THAT(PersonVersions(*ledger_, "u"),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

// A record whose every version is retracted still lists them.
TEST_F(RecordVersionsTest, AllVersionsRetracted) {
  const uint64_t only = Add(MakePerson("gone", "h"));
  const uint64_t by = Add(MakeRetraction(only));
  EXPECT_THAT(ledger_->GetPerson("gone", ReadOptions()),
              StatusCodeIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordVersion> versions,
                       PersonVersions(*ledger_, "gone"));
  ASSERT_THAT(versions, SizeIs(1));
  EXPECT_TRUE(versions[0].retracted);
  EXPECT_EQ(versions[0].retracted_by, by);
}

// Through a view of v2, p (in v) and h are out of scope: PermissionDenied,
// as the view's own reads answer; v2 itself is in scope.
TEST_F(RecordVersionsTest, ScopedViewKeepsToItsArea) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ScopedLedger> view,
                       ScopedLedger::Create(*ledger_, "v2", "worker"));
  EXPECT_THAT(PersonVersions(*view, "p"),
              StatusCodeIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(HouseholdVersions(*view, "h"),
              StatusCodeIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(PersonVersions(*view, "nobody"),
              StatusCodeIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(std::vector<RecordVersion> v2,
                       AreaVersions(*view, "v2"));
  EXPECT_THAT(v2, SizeIs(1));
}

// --- One record as text and JSON. ---

TEST(RecordFieldsTest, SetFieldsInSchemaOrder) {
  v1::Person person;
  person.set_id("p1");
  person.set_name("张三");
  person.set_phone("13812345678");
  *person.mutable_birth_date() = MakeDate(1990, 1, 2);
  person.set_household_id("h1");
  person.add_tags("returnee");
  person.add_tags("from_wuhan");
  v1::TravelEntry* trip = person.add_travel_history();
  trip->set_place("Wuhan, Hubei");
  *trip->mutable_from() = MakeDate(2020, 1, 10);
  EXPECT_THAT(
      RecordFields(person),
      ElementsAre(RecordField("id", "p1"), RecordField("name", "张三"),
                  RecordField("phone", "13812345678"),
                  RecordField("birth_date", "1990-01-02"),
                  RecordField("household_id", "h1"),
                  RecordField("tags", "returnee; from_wuhan"),
                  RecordField("travel_history", "Wuhan, Hubei 2020-01-10")));
  EXPECT_THAT(
      RecordFields(MakeArea("t", v1::AREA_LEVEL_TOWNSHIP, "c", "T").area()),
      ElementsAre(RecordField("id", "t"), RecordField("parent_id", "c"),
                  RecordField("level", "township"), RecordField("name", "T")));
}

RecordSheet Sheet() {
  RecordSheet sheet;
  sheet.kind = "household";
  sheet.id = "h1";
  sheet.fields = {{"id", "h1"}, {"area_id", "v"}};
  sheet.related = {{"area", {"v"}}, {"members", {"p1", "p2"}}};
  sheet.notes = {"a note"};
  RecordVersion first;
  first.sequence_number = 4;
  first.record_time = absl::FromUnixSeconds(1580000000) + absl::Milliseconds(5);
  first.actor = "li";
  RecordVersion second;
  second.sequence_number = 9;
  second.record_time = absl::FromUnixSeconds(1580000060);
  second.retracted = true;
  second.retracted_by = 10;
  sheet.versions = {first, second};
  return sheet;
}

TEST(WriteRecordTest, Text) {
  EXPECT_EQ(WriteRecordText(Sheet(), absl::FixedTimeZone(8 * 3600)),
            "household h1\n"
            "  id: h1\n"
            "  area_id: v\n"
            "  area: v\n"
            "  members: p1, p2\n"
            "  note: a note\n"
            "versions:\n"
            "  4 2020-01-26T08:53:20.005+08:00 by li\n"
            "  9 2020-01-26T08:54:20+08:00, retracted by 10\n");
  RecordSheet empty;
  empty.kind = "area";
  empty.id = "x";
  empty.related = {{"children", {}}};
  EXPECT_EQ(WriteRecordText(empty, absl::UTCTimeZone()),
            "area x\n  children: (none)\nversions: (none)\n");
}

TEST(WriteRecordTest, Json) {
  EXPECT_EQ(
      WriteRecordJson(Sheet(), absl::FixedTimeZone(8 * 3600)),
      "{\"kind\": \"household\", \"id\": \"h1\", \"fields\": {\"id\": \"h1\", "
      "\"area_id\": \"v\"}, \"related\": {\"area\": [\"v\"], \"members\": "
      "[\"p1\", \"p2\"]}, \"notes\": [\"a note\"], \"versions\": "
      "[{\"sequence_number\": 4, \"record_time\": "
      "\"2020-01-26T08:53:20.005+08:00\", \"actor\": \"li\", \"retracted\": "
      "false, \"retracted_by\": null}, {\"sequence_number\": 9, "
      "\"record_time\": \"2020-01-26T08:54:20+08:00\", \"actor\": null, "
      "\"retracted\": true, \"retracted_by\": 10}]}\n");
}

// --- What each event of an audit trail said. ---

TEST(AuditEventDetailTest, EachKind) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time t = absl::FromUnixSeconds(1580000000);  // 01-26 00:53:20
  v1::LedgerEvent exposure = MakeExposure("p2", "p1", t, t + absl::Hours(1),
                                          v1::EXPOSURE_SETTING_WORK);
  exposure.mutable_exposure()->set_note("canteen");
  EXPECT_EQ(AuditEventDetail(exposure, "p1", nullptr, utc),
            "with p2 from 2020-01-26T00:53:20+00:00 to "
            "2020-01-26T01:53:20+00:00, work, note canteen");
  v1::LedgerEvent diagnosis = MakeDiagnosis("p1", t);
  *diagnosis.mutable_diagnosis()->mutable_onset() = MakeDate(2020, 1, 24);
  EXPECT_EQ(AuditEventDetail(diagnosis, "p1", nullptr, utc),
            "confirmed at 2020-01-26T00:53:20+00:00, onset 2020-01-24");
  EXPECT_EQ(AuditEventDetail(MakeQuarantineStart("p1", t), "p1", nullptr, utc),
            "start at centralized at 2020-01-26T00:53:20+00:00");
  EXPECT_EQ(AuditEventDetail(MakeQuarantineEnd("p1", t), "p1", nullptr, utc),
            "end at 2020-01-26T00:53:20+00:00");
  v1::LedgerEvent check = MakeHealthCheck("p1", t, 38.2);
  check.mutable_health_check()->add_symptoms("cough");
  check.mutable_health_check()->add_symptoms("fever");
  check.mutable_health_check()->set_checked_by("nurse-1");
  EXPECT_EQ(AuditEventDetail(check, "p1", nullptr, utc),
            "38.2 °C at 2020-01-26T00:53:20+00:00, symptoms cough; fever, "
            "checked by nurse-1");
  EXPECT_EQ(
      AuditEventDetail(MakePassage("p1", "gate-3", t), "p1", nullptr, utc),
      "out at gate-3 at 2020-01-26T00:53:20+00:00");
  EXPECT_EQ(AuditEventDetail(MakeRetraction(7, "typo"), "p1", nullptr, utc),
            "withdraws event 7: typo");
  EXPECT_EQ(AuditEventDetail(MakeRetraction(7), "p1", nullptr, utc),
            "withdraws event 7");
}

TEST(AuditEventDetailTest, PersonVersionsRegisterThenChange) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  v1::LedgerEvent first = MakePerson("p1", "h1");
  first.mutable_person()->set_phone("13812345678");
  EXPECT_EQ(AuditEventDetail(first, "p1", nullptr, utc),
            "registered: phone 13812345678, household_id h1");
  v1::LedgerEvent second = MakePerson("p1", "h2");
  second.mutable_person()->set_name("Li");
  EXPECT_EQ(AuditEventDetail(second, "p1", &first.person(), utc),
            "changed: name (none) -> Li, phone 13812345678 -> (none), "
            "household_id h1 -> h2");
  EXPECT_EQ(AuditEventDetail(second, "p1", &second.person(), utc),
            "no field changed");
  EXPECT_EQ(AuditEventDetail(MakePerson("p1"), "p1", nullptr, utc),
            "registered");
}

TEST(AuditTrailWritersTest, DetailIsTheLastColumn) {
  AuditEntry e;
  e.sequence_number = 3;
  e.record_time = absl::FromUnixSeconds(1580000000);
  e.actor = "li";
  e.kind = v1::LedgerEvent::kExposure;
  const std::vector<AuditEntry> trail = {e};
  const std::vector<std::string> details = {"with p2, work"};
  EXPECT_EQ(WriteAuditTrailCsv(trail, details, absl::UTCTimeZone()),
            "sequence_number,record_time,actor,kind,retracted,retracted_by,"
            "retracts,detail\n"
            "3,2020-01-26T00:53:20+00:00,li,exposure,false,,,\"with p2, "
            "work\"\n");
  EXPECT_EQ(WriteAuditTrailJson(trail, details, absl::UTCTimeZone()),
            "[\n  {\"sequence_number\": 3, \"record_time\": "
            "\"2020-01-26T00:53:20+00:00\", \"actor\": \"li\", \"kind\": "
            "\"exposure\", \"retracted\": false, \"retracted_by\": null, "
            "\"retracts\": null, \"detail\": \"with p2, work\"}\n]\n");
  // Without details: the columns as before.
  EXPECT_EQ(WriteAuditTrailCsv(trail, absl::UTCTimeZone()),
            "sequence_number,record_time,actor,kind,retracted,retracted_by,"
            "retracts\n"
            "3,2020-01-26T00:53:20+00:00,li,exposure,false,,\n");
}

// --- A pass decision for an unknown person, and the chains as JSON. ---

TEST(PassDecisionWritersTest, UnknownPersonIsItsOwnVerdict) {
  PassDecision unknown;
  unknown.allowed = false;
  unknown.verdict = PassVerdict::kUnknownPerson;
  unknown.reason = "person 'P01' is not in the ledger";
  EXPECT_EQ(WritePassDecisionText(unknown),
            "unknown person: person 'P01' is not in the ledger\n");
  EXPECT_EQ(WritePassDecisionCsv("P01", "gate", unknown),
            "person_id,checkpoint_id,decision,reason\n"
            "P01,gate,unknown_person,person 'P01' is not in the ledger\n");
  EXPECT_EQ(WritePassDecisionJson("P01", "gate", unknown),
            "{\"person_id\": \"P01\", \"checkpoint_id\": \"gate\", "
            "\"allowed\": false, \"verdict\": \"unknown_person\", \"reason\": "
            "\"person 'P01' is not in the ledger\"}\n");
  PassDecision allowed;
  EXPECT_EQ(WritePassDecisionText(allowed), "allowed\n");
  // A decision with only `allowed` cleared reads as refused.
  PassDecision refused;
  refused.allowed = false;
  refused.reason = "in a stay";
  EXPECT_EQ(WritePassDecisionText(refused), "refused: in a stay\n");
  EXPECT_THAT(WritePassDecisionJson("p", "g", refused),
              ::testing::HasSubstr("\"allowed\": false, \"verdict\": "
                                   "\"refused\""));
}

TEST(TransmissionChainsJsonTest, OneObjectPerChain) {
  TransmissionChain linked;
  linked.cases = {"a", "b"};
  linked.edges = {{"a", "b", "exposure", {1, 4}}};
  TransmissionChain alone;
  alone.cases = {"c"};
  EXPECT_EQ(WriteTransmissionChainsJson({linked, alone}),
            "[\n"
            "  {\"chain\": 1, \"cases\": [\"a\", \"b\"], \"edges\": "
            "[{\"from\": \"a\", \"to\": \"b\", \"rule\": \"exposure\", "
            "\"exposures\": [1, 4]}]},\n"
            "  {\"chain\": 2, \"cases\": [\"c\"], \"edges\": []}\n"
            "]\n");
  EXPECT_EQ(WriteTransmissionChainsJson({}), "[]\n");
}

}  // namespace
}  // namespace testutil
}  // namespace contactledger
