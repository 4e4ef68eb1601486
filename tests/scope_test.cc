// Copyright 2026 The ContactLedger Authors.
//
// Scoped views (contactledger/scope.h): what a view may write, what its reads
// and its Tracer show, opaque ids for outsiders, and the audit trail.
//
// World (recorded by the county office, actor "office"):
//   county c -> township t1 -> villages v11, v12
//            -> township t2 -> village v21
//   households h11 in v11 (worker w-li), h12 in v12 (worker w-ma),
//              h21 in v21 (no worker, address "8 Willow Lane")
//   persons    a1, a2 in h11; b1, b2 in h12;
//              out-zhao, out-zhou in h21 (the outsiders of v11 and t1:
//              names, national ids, phones and the household address are
//              private fields that must never leave a v11 or t1 view)
//   exposures  a1 - out-zhao 01-23 09:00-10:00, note quoting Zhao's name;
//              b1 - out-zhao 01-23 14:00-15:00
//   diagnoses  out-zhao confirmed 01-25 10:00, onset 01-24 (ws 01-22 00:00,
//              never removed); b1 confirmed 01-26 10:00, onset 01-26
// At AT = 01-27 12:00 UTC (china-2020): cases out-zhao and b1; close
// contacts a1 (source out-zhao, by exposure), out-zhou (household of
// out-zhao), b2 (household of b1); a chain links out-zhao -> b1 (the
// b1 - out-zhao exposure qualifies in out-zhao's window). a1 is unplaced
// since 01-26 10:00 (required since the diagnosis 01-25 10:00, + 24 h).

#include "contactledger/scope.h"

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"
#include "tests/tracing_test_util.h"

namespace contactledger {
namespace testutil {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kOpaque[] = "ext-[0-9a-f]{16}";

// A StatusOr that is OK and whose value matches `matcher`.
MATCHER_P(IsOkAndHolds, matcher, "is OK and holds a value that matches") {
  if (!arg.ok()) {
    *result_listener << "whose status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

// An 18-character resident identity number with a correct GB 11643-1999
// check character (ISO 7064 MOD 11-2), so the fixtures pass whatever identity
// rules the ledger applies.
std::string ResidentId(const std::string& first17) {
  static const int kWeights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                   3, 7, 9,  10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return first17 + "10X98765432"[sum % 11];
}

const std::string kZhaoId = ResidentId("43122219900101123");
const std::string kZhouId = ResidentId("43122219850505432");
const std::string kAliceId = ResidentId("43122219920202111");
constexpr char kZhaoPhone[] = "13912345678";
constexpr char kZhouPhone[] = "13787654321";
constexpr char kZhaoName[] = "Zhao Dawei";
constexpr char kZhouName[] = "Zhou Xiaomei";
constexpr char kAddress[] = "8 Willow Lane";

const absl::Time kAt = At(2020, 1, 27, 12, 0);

v1::LedgerEvent Named(v1::LedgerEvent event, const std::string& name,
                      const std::string& national_id,
                      const std::string& phone) {
  event.mutable_person()->set_name(name);
  event.mutable_person()->set_national_id(national_id);
  event.mutable_person()->set_phone(phone);
  return event;
}

v1::LedgerEvent WithOnset(v1::LedgerEvent event, int year, int month, int day) {
  *event.mutable_diagnosis()->mutable_onset() = MakeDate(year, month, day);
  return event;
}

v1::LedgerEvent As(const std::string& actor, v1::LedgerEvent event) {
  event.set_actor(actor);
  return event;
}

class ScopeTest : public LedgerTestBase {
 protected:
  void SetUp() override {
    v1::LedgerEvent h21 = MakeHousehold("h21", "v21");
    h21.mutable_household()->set_address(kAddress);
    v1::LedgerEvent exposure =
        MakeExposure("a1", "out-zhao", At(2020, 1, 23, 9, 0),
                     At(2020, 1, 23, 10, 0), v1::EXPOSURE_SETTING_GATHERING);
    exposure.mutable_exposure()->set_note(
        absl::StrCat("met ", kZhaoName, " (", kZhaoPhone, ") at the market"));
    const std::vector<v1::LedgerEvent> world = {
        MakeCounty("c"),
        MakeTownship("t1", "c"),
        MakeTownship("t2", "c"),
        MakeVillage("v11", "t1"),
        MakeVillage("v12", "t1"),
        MakeVillage("v21", "t2"),
        MakeHousehold("h11", "v11", "w-li"),
        MakeHousehold("h12", "v12", "w-ma"),
        h21,
        Named(MakePerson("a1", "h11"), "Alice An", kAliceId, "13800000001"),
        MakePerson("a2", "h11"),
        MakePerson("b1", "h12"),
        MakePerson("b2", "h12"),
        Named(MakePerson("out-zhao", "h21"), kZhaoName, kZhaoId, kZhaoPhone),
        Named(MakePerson("out-zhou", "h21"), kZhouName, kZhouId, kZhouPhone),
        exposure,
        MakeExposure("b1", "out-zhao", At(2020, 1, 23, 14, 0),
                     At(2020, 1, 23, 15, 0), v1::EXPOSURE_SETTING_WORK),
        WithOnset(MakeDiagnosis("out-zhao", At(2020, 1, 25, 10, 0)), 2020, 1,
                  24),
        WithOnset(MakeDiagnosis("b1", At(2020, 1, 26, 10, 0)), 2020, 1, 26),
    };
    for (const v1::LedgerEvent& event : world) {
      last_world_event_ = AddAt(At(2020, 1, 27, 8, 0), As("office", event));
    }
    clock_.Set(At(2020, 1, 27, 9, 0));
  }

  std::unique_ptr<ScopedLedger> View(const std::string& area,
                                     const std::string& actor = "wang") {
    absl::StatusOr<std::unique_ptr<ScopedLedger>> view =
        ScopedLedger::Create(*ledger_, area, actor);
    EXPECT_TRUE(view.ok()) << view.status();
    return view.ok() ? std::move(*view) : nullptr;
  }

  static QueryOptions Query(absl::Time at = kAt) {
    QueryOptions options;
    options.at = at;
    return options;
  }

  // Whether person `id` has a visible registration in the ledger.
  bool Registered(const std::string& id) {
    return ledger_->GetPerson(id, ReadOptions()).ok();
  }

  uint64_t last_world_event_ = 0;
};

// ===========================================================================
// Creating a view.

TEST_F(ScopeTest, CreateNeedsAnActorAndAKnownArea) {
  EXPECT_THAT(ScopedLedger::Create(*ledger_, "v11", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("actor")));
  EXPECT_THAT(ScopedLedger::Create(*ledger_, "v11", std::string(129, 'w')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("actor")));
  EXPECT_THAT(ScopedLedger::Create(*ledger_, "v99", "wang"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("'v99'")));
  std::unique_ptr<ScopedLedger> view = View("v11");
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(view->area_id(), "v11");
  EXPECT_EQ(view->actor(), "wang");
}

// ===========================================================================
// Writes.

TEST_F(ScopeTest, VillageWorkerCannotRegisterAPersonInAnotherVillage) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  const uint64_t before = ledger_->last_sequence_number();
  EXPECT_THAT(view->Append(MakePerson("n1", "", "v12")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("event 1 of 1 (person 'n1')"),
                             HasSubstr("area_id"), HasSubstr("'v12'"),
                             HasSubstr("nothing recorded"))));
  EXPECT_THAT(view->Append(MakePerson("n1", "h12")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("household_id"), HasSubstr("'h12'"))));
  EXPECT_THAT(view->Append(MakePerson("n1")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("neither area_id nor household_id")));
  EXPECT_EQ(ledger_->last_sequence_number(), before);
  EXPECT_FALSE(Registered("n1"));
}

TEST_F(ScopeTest, OneOutOfScopeEventFailsTheWholeBatch) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  const uint64_t before = ledger_->last_sequence_number();
  const std::vector<v1::LedgerEvent> batch = {
      MakePerson("n1", "h11"),
      MakeDiagnosis("n1", At(2020, 1, 27, 8, 0)),
      MakeDiagnosis("out-zhou", At(2020, 1, 27, 8, 0)),
  };
  EXPECT_THAT(view->AppendBatch(batch),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("event 3 of 3 (diagnosis 'out-zhou')"),
                             HasSubstr("person_id"))));
  EXPECT_EQ(ledger_->last_sequence_number(), before);
  EXPECT_FALSE(Registered("n1"));
}

TEST_F(ScopeTest, EveryEventGetsTheViewsActor) {
  std::unique_ptr<ScopedLedger> view = View("v11", "wang.li");
  // A person registered in the same batch may be diagnosed in it.
  ASSERT_OK_AND_ASSIGN(
      std::vector<uint64_t> sequences,
      view->AppendBatch({As("somebody-else", MakePerson("n1", "h11")),
                         MakeDiagnosis("n1", At(2020, 1, 27, 8, 0))}));
  ASSERT_THAT(sequences, SizeIs(2));
  for (uint64_t sequence : sequences) {
    ASSERT_OK_AND_ASSIGN(v1::LedgerEvent event, ledger_->GetEvent(sequence));
    EXPECT_EQ(event.actor(), "wang.li") << sequence;
  }
}

TEST_F(ScopeTest, EventsAboutOutsidersAreRefusedWithoutRevealingThem) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  const uint64_t before = ledger_->last_sequence_number();
  // A registered outsider and an id nobody registered get the same answer.
  for (const std::string who : {"out-zhou", "ghost"}) {
    EXPECT_THAT(view->Append(MakeHealthCheck(who, At(2020, 1, 27, 8, 0))),
                StatusIs(absl::StatusCode::kPermissionDenied,
                         AllOf(HasSubstr("person_id"),
                               HasSubstr(absl::StrCat("'", who,
                                                      "' is not a person "
                                                      "registered in")))));
    EXPECT_THAT(view->Append(MakeQuarantineStart(who, At(2020, 1, 27, 8, 0))),
                StatusIs(absl::StatusCode::kPermissionDenied, _));
    EXPECT_THAT(view->Append(MakePassage(who, "gate-1", At(2020, 1, 27, 8))),
                StatusIs(absl::StatusCode::kPermissionDenied, _));
  }
  EXPECT_THAT(view->Append(MakeExposure("out-zhou", "ghost", At(2020, 1, 26),
                                        At(2020, 1, 26, 1))),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("neither 'out-zhou' nor 'ghost'")));
  // Moving an outsider in, or an insider out.
  EXPECT_THAT(view->Append(MakePerson("out-zhou", "h11")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("id: person 'out-zhou'"),
                             HasSubstr("already registered outside"))));
  EXPECT_THAT(view->Append(MakePerson("a2", "", "v21")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("area_id"), HasSubstr("'v21'"))));
  EXPECT_EQ(ledger_->last_sequence_number(), before);
  EXPECT_EQ(ledger_->GetPerson("a2", ReadOptions())->household_id(), "h11");
}

TEST_F(ScopeTest, ExposureBetweenAVillagerAndAnOutsiderIsRecorded) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  // The other person may be an outsider, or registered nowhere yet.
  ASSERT_OK(view->Append(
      MakeExposure("out-zhou", "a2", At(2020, 1, 26, 9), At(2020, 1, 26, 10))));
  ASSERT_OK(view->Append(
      MakeExposure("a2", "ghost", At(2020, 1, 26, 11), At(2020, 1, 26, 12))));
  ASSERT_OK_AND_ASSIGN(
      std::vector<Recorded<v1::Exposure>> exposures,
      ledger_->ExposuresOf("out-zhou", absl::InfinitePast(),
                           absl::InfiniteFuture(), ReadOptions()));
  EXPECT_THAT(exposures, SizeIs(1));
}

TEST_F(ScopeTest, HouseholdsAndAreasStayInsideTheScope) {
  std::unique_ptr<ScopedLedger> village = View("v11");
  EXPECT_THAT(village->Append(MakeHousehold("h11", "v21")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("area_id"), HasSubstr("'v21'"))));
  EXPECT_THAT(village->Append(MakeHousehold("h21", "v11")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("id: household 'h21'")));
  EXPECT_THAT(village->Append(MakeArea("v11", v1::AREA_LEVEL_VILLAGE, "t2")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("this view's own area")));
  EXPECT_THAT(village->Append(MakeVillage("v13", "t1")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("parent_id"), HasSubstr("'t1'"))));
  // Below its own area a village may add grids and households.
  ASSERT_OK(village->AppendBatch({MakeGrid("g111", "v11"),
                                  MakeHousehold("h111", "g111", "w-li"),
                                  MakePerson("n1", "h111")}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> persons,
                       village->PersonsInArea("v11", ReadOptions()));
  EXPECT_THAT(persons, ElementsAre("a1", "a2", "n1"));
  // A township office may add a village; a village may not move it away.
  std::unique_ptr<ScopedLedger> township = View("t1", "office-t1");
  ASSERT_OK(township->Append(MakeVillage("v13", "t1")));
  EXPECT_THAT(township->Append(MakeVillage("v13", "t2")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("parent_id: area 't2'")));
}

TEST_F(ScopeTest, RetractionsFollowTheSameRules) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  // out-zhao's diagnosis is not v11's to withdraw; the a1 - out-zhao
  // exposure is (a1 is in scope).
  const uint64_t zhao_diagnosis = last_world_event_ - 1;
  ASSERT_TRUE(ledger_->GetEvent(zhao_diagnosis)->has_diagnosis());
  EXPECT_THAT(view->Append(MakeRetraction(zhao_diagnosis)),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       AllOf(HasSubstr("sequence_number"),
                             HasSubstr(absl::StrCat("event ", zhao_diagnosis,
                                                    " is not about")),
                             Not(HasSubstr("out-zhao")))));
  const uint64_t a1_exposure = last_world_event_ - 3;
  ASSERT_TRUE(ledger_->GetEvent(a1_exposure)->has_exposure());
  ASSERT_OK(view->Append(MakeRetraction(a1_exposure, "wrong person")));

  // p3 lived in v21 and the office moved them to v11. Retracting the move
  // would put p3 back outside v11: refused. Retracting the old v21
  // registration leaves p3 in v11: allowed.
  const uint64_t in_v21 = AddAt(At(2020, 1, 27, 9), MakePerson("p3", "h21"));
  const uint64_t moved = AddAt(At(2020, 1, 27, 9), MakePerson("p3", "h11"));
  EXPECT_THAT(view->Append(MakeRetraction(moved)),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("would leave person 'p3' outside")));
  ASSERT_OK(view->Append(MakeRetraction(in_v21)));
  EXPECT_EQ(ledger_->GetPerson("p3", ReadOptions())->household_id(), "h11");
  // A registration made and withdrawn within one batch is fine.
  const uint64_t next = ledger_->last_sequence_number() + 1;
  ASSERT_OK(view->AppendBatch({MakePerson("n1", "h11"), MakeRetraction(next)}));
  EXPECT_FALSE(Registered("n1"));
}

TEST_F(ScopeTest, RetractionsAimedOutsideTheScopeAllGetTheSameRefusal) {
  // Outside v11: an out-zhou - out-zhao exposure the office recorded and
  // then retracted. Inside: an a1 - a2 exposure v11 recorded and retracted.
  const uint64_t outside = AddAt(
      At(2020, 1, 27, 9),
      As("office", MakeExposure("out-zhou", "out-zhao", At(2020, 1, 24, 9),
                                At(2020, 1, 24, 10))));
  const uint64_t outside_retraction =
      AddAt(At(2020, 1, 27, 9), As("office", MakeRetraction(outside)));
  std::unique_ptr<ScopedLedger> view = View("v11");
  ASSERT_OK_AND_ASSIGN(const uint64_t inside,
                       view->Append(MakeExposure("a1", "a2", At(2020, 1, 24, 9),
                                                 At(2020, 1, 24, 10))));
  ASSERT_OK_AND_ASSIGN(const uint64_t inside_retraction,
                       view->Append(MakeRetraction(inside)));

  // An ordinary event outside (out-zhao's diagnosis) gets the uniform
  // refusal; so does every other target outside: retracted already, a
  // retraction, or beyond the last sequence number. Probing numbers through
  // the view tells them apart from nothing.
  const uint64_t zhao_diagnosis = last_world_event_ - 1;
  ASSERT_TRUE(ledger_->GetEvent(zhao_diagnosis)->has_diagnosis());
  const absl::StatusOr<uint64_t> ordinary =
      view->Append(MakeRetraction(zhao_diagnosis));
  ASSERT_THAT(ordinary, StatusIs(absl::StatusCode::kPermissionDenied,
                                 HasSubstr("is not about")));
  const std::string ordinary_message(ordinary.status().message());
  auto uniform = [&](uint64_t target) {
    std::string message = ordinary_message;
    const std::string number = absl::StrCat("event ", zhao_diagnosis, " ");
    message.replace(message.find(number), number.size(),
                    absl::StrCat("event ", target, " "));
    return message;
  };
  const uint64_t last = ledger_->last_sequence_number();
  for (const uint64_t target :
       {outside, outside_retraction, last + 1, last + 1000}) {
    SCOPED_TRACE(target);
    const absl::StatusOr<uint64_t> refused =
        view->Append(MakeRetraction(target));
    EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied, _));
    EXPECT_EQ(refused.status().message(), uniform(target));
  }
  EXPECT_EQ(ledger_->last_sequence_number(), last);

  // Targets about the scope get the ledger's own errors.
  EXPECT_THAT(view->Append(MakeRetraction(inside)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat("already retracted (by event ",
                                              inside_retraction, ")"))));
  EXPECT_THAT(view->Append(MakeRetraction(inside_retraction)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is a retraction")));
  // The unscoped ledger answers as before.
  EXPECT_THAT(ledger_->Append(MakeRetraction(outside)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(absl::StrCat("already retracted (by event ",
                                              outside_retraction, ")"))));
  EXPECT_EQ(ledger_->last_sequence_number(), last);
}

TEST_F(ScopeTest, InvalidEventsGetTheLedgersOwnError) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  v1::LedgerEvent no_setting =
      MakeExposure("a1", "a2", At(2020, 1, 26, 9), At(2020, 1, 26, 10));
  no_setting.mutable_exposure()->clear_setting();
  EXPECT_THAT(
      view->Append(no_setting),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("setting")));
  EXPECT_THAT(
      view->Append(MakeDiagnosis("", At(2020, 1, 26))),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("person_id")));
}

TEST_F(ScopeTest, CompareAndAppendRecordsNothingWhenTheLedgerMovedOn) {
  const uint64_t last = ledger_->last_sequence_number();
  WriteOptions stale;
  stale.expected_last_sequence = last - 1;
  EXPECT_THAT(ledger_->Append(MakePerson("n1", "h11"), stale),
              StatusIs(absl::StatusCode::kAborted,
                       HasSubstr(absl::StrCat("last sequence number is ", last,
                                              ", not the ", last - 1))));
  EXPECT_EQ(ledger_->last_sequence_number(), last);
  std::unique_ptr<ScopedLedger> view = View("v11");
  EXPECT_THAT(view->Append(MakePerson("n1", "h11"), stale),
              StatusIs(absl::StatusCode::kAborted, _));
  EXPECT_EQ(ledger_->last_sequence_number(), last);
  WriteOptions fresh;
  fresh.expected_last_sequence = last;
  ASSERT_OK_AND_ASSIGN(uint64_t recorded,
                       view->Append(MakePerson("n1", "h11"), fresh));
  EXPECT_EQ(recorded, last + 1);
}

TEST_F(ScopeTest, ScopedAppendsRetryWhileOtherAppendsGoOn) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  constexpr int kEach = 200;
  std::atomic<int> failures{0};
  std::thread office([&] {
    for (int i = 0; i < kEach / 2; ++i) {
      if (!ledger_->Append(MakeHealthCheck("out-zhou", At(2020, 1, 27, 8)))
               .ok()) {
        ++failures;
      }
    }
  });
  for (int i = 0; i < kEach; ++i) {
    absl::StatusOr<uint64_t> s =
        view->Append(MakeHealthCheck("a1", At(2020, 1, 27, 8)));
    if (!s.ok()) {
      ADD_FAILURE() << s.status();
      break;
    }
  }
  office.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_OK_AND_ASSIGN(std::vector<Recorded<v1::HealthCheck>> checks,
                       ledger_->HealthChecksOf("a1", ReadOptions()));
  EXPECT_THAT(checks, SizeIs(kEach));
}

// ===========================================================================
// Reads.

TEST_F(ScopeTest, TownshipOfficeSeesAllItsVillagesAndNoneOfTheNext) {
  std::unique_ptr<ScopedLedger> view = View("t1", "office-t1");
  const ReadOptions now;
  EXPECT_THAT(view->PersonsInArea("t1", now),
              IsOkAndHolds(ElementsAre("a1", "a2", "b1", "b2")));
  EXPECT_THAT(view->AreaSubtree("t1", now),
              IsOkAndHolds(ElementsAre("t1", "v11", "v12")));
  EXPECT_OK(view->GetPerson("a1", now));
  EXPECT_OK(view->GetPerson("b2", now));
  EXPECT_OK(view->GetHousehold("h12", now));
  EXPECT_OK(view->GetArea("v12", now));
  const auto denied = StatusIs(absl::StatusCode::kPermissionDenied,
                               HasSubstr("in the scope of this view"));
  EXPECT_THAT(view->GetPerson("out-zhao", now), denied);
  EXPECT_THAT(view->GetHousehold("h21", now), denied);
  EXPECT_THAT(view->GetArea("v21", now), denied);
  EXPECT_THAT(view->GetArea("c", now), denied);
  EXPECT_THAT(view->PersonsInArea("t2", now), denied);
  EXPECT_THAT(view->HouseholdMembers("h21", now), denied);
  EXPECT_THAT(view->DiagnosesOf("out-zhao", now), denied);
  // An id that does not exist gets the same answer as an outsider's.
  EXPECT_THAT(view->GetPerson("nobody", now), denied);
  EXPECT_THAT(view->FindPersonsByNationalId(kZhaoId, now), IsEmpty());
  EXPECT_THAT(view->FindPersonsByNationalId(kAliceId, now), ElementsAre("a1"));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Tracer::Create(*view, Query()));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("a1", "b1", "b2"));
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> rows,
                       tracer->AreaRollup("t1"));
  ASSERT_THAT(rows, SizeIs(2));
  EXPECT_EQ(rows[0].area_id, "v11");
  EXPECT_EQ(rows[0].close_contacts, 1u);  // a1
  EXPECT_EQ(rows[1].area_id, "v12");
  EXPECT_EQ(rows[1].active_cases, 1u);  // b1
  EXPECT_EQ(rows[1].persons, 2u);
  EXPECT_THAT(tracer->AreaRollup("c"), denied);
  EXPECT_THAT(tracer->AreaRollup("t2"), denied);
}

TEST_F(ScopeTest, CountyViewsRollupLeavesOutPersonsWithNoArea) {
  // "stray" has no area: an exposure names them, no Person record does.
  AddAt(At(2020, 1, 27, 8, 30),
        As("office", MakeExposure("stray", "out-zhao", At(2020, 1, 23, 9, 0),
                                  At(2020, 1, 23, 10, 0),
                                  v1::EXPOSURE_SETTING_GATHERING)));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> whole,
                       Tracer::Create(*ledger_, Query()));
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> all, whole->AreaRollup("c"));
  ASSERT_THAT(all, SizeIs(3));
  EXPECT_EQ(all[2].area_id, kUnassignedAreaId);
  EXPECT_EQ(all[2].close_contacts, 1u);  // stray

  // Persons with no area are in no view's scope, not even the county's.
  std::unique_ptr<ScopedLedger> view = View("c", "office-c");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Tracer::Create(*view, Query()));
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> rows,
                       tracer->AreaRollup("c"));
  ASSERT_THAT(rows, SizeIs(2));
  EXPECT_EQ(rows[0].area_id, "t1");
  EXPECT_EQ(rows[1].area_id, "t2");
}

TEST_F(ScopeTest, VillageRosterShowsTheOutsideCaseAsAnOpaqueId) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Tracer::Create(*view, Query()));
  const std::vector<RosterEntry> roster = tracer->Roster();
  ASSERT_THAT(roster, SizeIs(1));
  EXPECT_EQ(roster[0].person_id, "a1");
  EXPECT_EQ(roster[0].role, Role::kCloseContact);
  EXPECT_THAT(roster[0].source, MatchesRegex(kOpaque));
  EXPECT_EQ(roster[0].last_exposure, At(2020, 1, 23, 10, 0));
  const std::string zhao = roster[0].source;

  // The same outsider has the same opaque id in every answer of the view.
  ASSERT_OK_AND_ASSIGN(Explanation explained, tracer->Explain("a1"));
  ASSERT_THAT(explained.sources, SizeIs(1));
  EXPECT_EQ(explained.sources[0].person_id, zhao);
  ASSERT_OK_AND_ASSIGN(
      std::vector<Recorded<v1::Exposure>> exposures,
      view->ExposuresOf("a1", absl::InfinitePast(), absl::InfiniteFuture(),
                        ReadOptions()));
  ASSERT_THAT(exposures, SizeIs(1));
  EXPECT_EQ(exposures[0].body.person_b(), zhao);
  EXPECT_EQ(exposures[0].body.note(), "");
  ASSERT_OK_AND_ASSIGN(
      std::vector<ContactAtDistance> contacts,
      Contacts(*view, "a1", 2, At(2020, 1, 20), kAt, ReadOptions()));
  // a1 -> out-zhao, where the walk stops: out-zhao's own contact b1 is not
  // the village's to see.
  ASSERT_THAT(contacts, SizeIs(1));
  EXPECT_EQ(contacts[0].person_id, zhao);
  EXPECT_EQ(contacts[0].hops, 1);

  // The loop detail names the source by its opaque id too.
  std::vector<OpenLoop> loops = tracer->OpenLoops();
  ASSERT_THAT(loops, SizeIs(1));
  EXPECT_EQ(loops[0].person_id, "a1");
  EXPECT_EQ(loops[0].kind, LoopKind::kUnplaced);
  EXPECT_EQ(loops[0].since, At(2020, 1, 26, 10, 0));
  EXPECT_THAT(loops[0].detail,
              HasSubstr(absl::StrCat("close_contact of ", zhao, ";")));
  ASSERT_OK_AND_ASSIGN(PassDecision pass, tracer->MayPass("a1", "gate-1"));
  EXPECT_FALSE(pass.allowed);
  EXPECT_THAT(pass.reason, HasSubstr(absl::StrCat("close_contact of ", zhao)));

  // Another view draws other opaque ids.
  std::unique_ptr<ScopedLedger> other = View("v11", "zhang");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> other_tracer,
                       Tracer::Create(*other, Query()));
  EXPECT_NE(other_tracer->Roster()[0].source, zhao);
}

TEST_F(ScopeTest, ContactsThroughAScopeStopAtTheScopesEdge) {
  // out-zhao (outside v11 and t1) also met out-zhou and a2 (back in v11).
  AddAt(At(2020, 1, 27, 9, 30),
        As("office",
           MakeExposure("out-zhao", "out-zhou", At(2020, 1, 24, 9, 0),
                        At(2020, 1, 24, 10, 0), v1::EXPOSURE_SETTING_WORK)));
  AddAt(At(2020, 1, 27, 9, 30),
        As("office",
           MakeExposure("out-zhao", "a2", At(2020, 1, 24, 11, 0),
                        At(2020, 1, 24, 12, 0), v1::EXPOSURE_SETTING_WORK)));
  const absl::Time from = At(2020, 1, 20);
  // The county sees the whole walk.
  std::unique_ptr<ScopedLedger> county = View("c");
  ASSERT_OK_AND_ASSIGN(std::vector<ContactAtDistance> all,
                       Contacts(*county, "a1", 2, from, kAt, ReadOptions()));
  ASSERT_THAT(all, SizeIs(4));
  EXPECT_EQ(all[0].person_id, "out-zhao");
  EXPECT_EQ(all[0].hops, 1);
  EXPECT_EQ(all[1].person_id, "a2");
  EXPECT_EQ(all[2].person_id, "b1");
  EXPECT_EQ(all[3].person_id, "out-zhou");
  EXPECT_EQ(all[3].hops, 2);
  // The village sees out-zhao, by opaque id, and nothing beyond: not
  // out-zhou (not even by opaque id) and not a2 by way of out-zhao, at any
  // number of hops.
  std::unique_ptr<ScopedLedger> village = View("v11");
  for (int hops : {2, 3}) {
    ASSERT_OK_AND_ASSIGN(
        std::vector<ContactAtDistance> seen,
        Contacts(*village, "a1", hops, from, kAt, ReadOptions()));
    ASSERT_THAT(seen, SizeIs(1));
    EXPECT_THAT(seen[0].person_id, MatchesRegex(kOpaque));
    EXPECT_EQ(seen[0].hops, 1);
  }
  // a2's walk starts in scope and meets out-zhao first.
  ASSERT_OK_AND_ASSIGN(std::vector<ContactAtDistance> from_a2,
                       Contacts(*village, "a2", 2, from, kAt, ReadOptions()));
  ASSERT_THAT(from_a2, SizeIs(1));
  EXPECT_THAT(from_a2[0].person_id, MatchesRegex(kOpaque));
  // The township's walk from b1 stops at out-zhao too, though a1 and a2
  // beyond it live in t1.
  std::unique_ptr<ScopedLedger> township = View("t1");
  ASSERT_OK_AND_ASSIGN(std::vector<ContactAtDistance> from_b1,
                       Contacts(*township, "b1", 3, from, kAt, ReadOptions()));
  ASSERT_THAT(from_b1, SizeIs(1));
  EXPECT_THAT(from_b1[0].person_id, MatchesRegex(kOpaque));
}

TEST_F(ScopeTest, ContactsWalkOnlyFromPersonsInScopeAsOfTheReadsCut) {
  // a2 met a1; later the office moves a2 out of v11.
  AddAt(At(2020, 1, 27, 9, 30),
        As("office",
           MakeExposure("a2", "out-zhou", At(2020, 1, 24, 9, 0),
                        At(2020, 1, 24, 10, 0), v1::EXPOSURE_SETTING_WORK)));
  AddAt(At(2020, 1, 27, 9, 30),
        As("office",
           MakeExposure("a1", "a2", At(2020, 1, 24, 11, 0),
                        At(2020, 1, 24, 12, 0), v1::EXPOSURE_SETTING_WORK)));
  const absl::Time before_move = At(2020, 1, 27, 10, 0);
  AddAt(At(2020, 1, 27, 11, 0), As("office", MakePerson("a2", "h21")));
  std::unique_ptr<ScopedLedger> view = View("v11");
  const absl::Time from = At(2020, 1, 20);
  // Before the move a2 is in v11: the walk goes on to a2's contact
  // out-zhou.
  ASSERT_OK_AND_ASSIGN(
      std::vector<ContactAtDistance> then,
      Contacts(*view, "a1", 2, from, kAt, KnownAt(before_move)));
  ASSERT_THAT(then, SizeIs(3));
  EXPECT_EQ(then[0].person_id, "a2");
  EXPECT_EQ(then[0].hops, 1);
  EXPECT_EQ(then[2].hops, 2);
  // Now a2 is an outsider: listed by opaque id, and the walk stops there.
  ASSERT_OK_AND_ASSIGN(std::vector<ContactAtDistance> now,
                       Contacts(*view, "a1", 2, from, kAt, ReadOptions()));
  ASSERT_THAT(now, SizeIs(2));
  EXPECT_EQ(now[0].hops, 1);
  EXPECT_EQ(now[1].hops, 1);
  EXPECT_THAT(now[0].person_id, MatchesRegex(kOpaque));
  EXPECT_THAT(now[1].person_id, MatchesRegex(kOpaque));
}

TEST_F(ScopeTest, ExplainAndMayPassRefuseOutsidersLikeUnknownIds) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Tracer::Create(*view, Query()));
  for (const std::string who : {"out-zhao", "b1", "nobody"}) {
    EXPECT_THAT(tracer->Explain(who),
                StatusIs(absl::StatusCode::kPermissionDenied,
                         HasSubstr(absl::StrCat("no person '", who,
                                                "' in the scope"))));
    EXPECT_THAT(tracer->MayPass(who, "gate-1"),
                StatusIs(absl::StatusCode::kPermissionDenied, _));
  }
  EXPECT_THAT(tracer->MayPass("a1", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, _));
  EXPECT_THAT(Tracer::Create(*view, QueryOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at")));
}

TEST_F(ScopeTest, ChainsKeepTheirInScopeCasesAndMaskTheOthers) {
  std::unique_ptr<ScopedLedger> v12 = View("v12");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Tracer::Create(*v12, Query()));
  const std::vector<TransmissionChain> chains = tracer->TransmissionChains();
  ASSERT_THAT(chains, SizeIs(1));
  ASSERT_THAT(chains[0].cases, SizeIs(2));
  EXPECT_THAT(chains[0].cases,
              ::testing::UnorderedElementsAre("b1", MatchesRegex(kOpaque)));
  ASSERT_THAT(chains[0].edges, SizeIs(1));
  EXPECT_THAT(chains[0].edges[0].from, MatchesRegex(kOpaque));
  EXPECT_EQ(chains[0].edges[0].to, "b1");
  // No case lives in v11: it sees no chain.
  std::unique_ptr<ScopedLedger> v11 = View("v11");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> v11_tracer,
                       Tracer::Create(*v11, Query()));
  EXPECT_THAT(v11_tracer->TransmissionChains(), IsEmpty());
}

TEST_F(ScopeTest, NoPrivateFieldOfAnOutsiderAppearsInAnyAnswer) {
  // Everything a t1 or v11 worker can ask, with every string it returns.
  for (const std::string area : {"v11", "t1"}) {
    SCOPED_TRACE(area);
    std::unique_ptr<ScopedLedger> view = View(area);
    std::vector<std::string> out;
    auto add = [&out](const std::string& s) { out.push_back(s); };
    const ReadOptions now;
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                         Tracer::Create(*view, Query()));
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> persons,
                         view->PersonsInArea(area, now));
    for (const RosterEntry& e : tracer->Roster()) {
      add(e.person_id);
      add(e.source);
    }
    for (const OpenLoop& l : tracer->OpenLoops()) {
      add(l.person_id);
      add(l.detail);
    }
    for (const TransmissionChain& chain : tracer->TransmissionChains()) {
      for (const std::string& c : chain.cases) add(c);
      for (const TransmissionChain::Edge& e : chain.edges) {
        add(e.from);
        add(e.to);
      }
    }
    ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> rows,
                         tracer->AreaRollup(area));
    for (const AreaRollupRow& r : rows) add(r.area_id + r.name);
    for (const std::string& p : persons) {
      ASSERT_OK_AND_ASSIGN(Explanation e, tracer->Explain(p));
      for (const Explanation::Source& s : e.sources) add(s.person_id);
      for (const std::string& n : e.notes) add(n);
      ASSERT_OK_AND_ASSIGN(PassDecision d, tracer->MayPass(p, "gate-1"));
      add(d.reason);
      ASSERT_OK_AND_ASSIGN(v1::Person person, view->GetPerson(p, now));
      add(person.DebugString());
      ASSERT_OK_AND_ASSIGN(std::vector<Recorded<v1::Exposure>> exposures,
                           view->ExposuresOf(p, absl::InfinitePast(),
                                             absl::InfiniteFuture(), now));
      for (const auto& x : exposures) add(x.body.DebugString());
      ASSERT_OK_AND_ASSIGN(std::vector<Recorded<v1::Diagnosis>> diagnoses,
                           view->DiagnosesOf(p, now));
      for (const auto& x : diagnoses) add(x.body.DebugString());
      ASSERT_OK_AND_ASSIGN(std::vector<ContactAtDistance> contacts,
                           Contacts(*view, p, 3, At(2020, 1, 1), kAt, now));
      for (const ContactAtDistance& c : contacts) add(c.person_id);
      ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> trail,
                           AuditTrail(*view, p, now));
      for (const AuditEntry& a : trail) add(a.actor);
    }
    for (const std::string h : {"h11", "h12"}) {
      if (auto members = view->HouseholdMembers(h, now); members.ok()) {
        for (const std::string& m : *members) add(m);
        ASSERT_OK_AND_ASSIGN(v1::Household household,
                             view->GetHousehold(h, now));
        add(household.DebugString());
      }
    }
    std::vector<uint64_t> events_shown;
    for (uint64_t s = 1; s <= ledger_->last_sequence_number(); ++s) {
      absl::StatusOr<v1::LedgerEvent> event = view->GetEvent(s, now);
      if (event.ok()) {
        add(event->DebugString());
        events_shown.push_back(s);
      } else {
        EXPECT_THAT(event, StatusIs(absl::StatusCode::kPermissionDenied, _))
            << s;
        add(std::string(event.status().message()));
      }
    }
    // The areas, households and persons of the scope, and the exposures of
    // its persons (see the world at the top).
    if (area == "v11") {
      EXPECT_THAT(events_shown, ElementsAre(4, 7, 10, 11, 16));
    } else {
      EXPECT_THAT(events_shown,
                  ElementsAre(2, 4, 5, 7, 8, 10, 11, 12, 13, 16, 17, 19));
    }
    ASSERT_THAT(out, Not(IsEmpty()));
    for (const std::string& secret :
         {std::string("out-zhao"), std::string("out-zhou"),
          std::string(kZhaoName), std::string("Zhao"), std::string(kZhouName),
          kZhaoId, kZhouId, std::string(kZhaoPhone), std::string(kZhouPhone),
          std::string(kAddress), std::string("h21"), std::string("market")}) {
      for (const std::string& s : out) {
        EXPECT_THAT(s, Not(HasSubstr(secret))) << "leaks " << secret;
      }
    }
  }
}

TEST_F(ScopeTest, GetEventShowsOnlyEventsAboutTheScope) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  v1::LedgerEvent exposure =
      MakeExposure("a2", "out-zhou", At(2020, 1, 26, 9), At(2020, 1, 26, 10));
  exposure.mutable_exposure()->set_note(absl::StrCat("with ", kZhouName));
  const uint64_t recorded = AddAt(At(2020, 1, 27, 10), As("office", exposure));
  const uint64_t retraction = AddAt(
      At(2020, 1, 27, 11),
      As("office", MakeRetraction(recorded, absl::StrCat("not ", kZhouName))));

  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent shown,
                       view->GetEvent(recorded, ReadOptions()));
  EXPECT_EQ(shown.actor(), "office");
  EXPECT_EQ(shown.exposure().person_a(), "a2");
  EXPECT_THAT(shown.exposure().person_b(), MatchesRegex(kOpaque));
  EXPECT_EQ(shown.exposure().note(), "");
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent withdrawn,
                       view->GetEvent(retraction, ReadOptions()));
  EXPECT_EQ(withdrawn.retraction().sequence_number(), recorded);
  EXPECT_EQ(withdrawn.retraction().reason(), "");
  // Not about v11, after the read's cut, or not recorded at all: the same.
  const auto denied = StatusIs(absl::StatusCode::kPermissionDenied,
                               HasSubstr("is not about the scope"));
  EXPECT_THAT(view->GetEvent(15, ReadOptions()), denied);  // out-zhou
  EXPECT_THAT(view->GetEvent(retraction, KnownAt(At(2020, 1, 27, 10, 30))),
              denied);
  EXPECT_THAT(view->GetEvent(retraction + 1, ReadOptions()), denied);
  EXPECT_THAT(view->GetEvent(0, ReadOptions()), denied);
  // The unscoped ledger keeps them as recorded.
  EXPECT_EQ(ledger_->GetEvent(retraction)->retraction().reason(),
            absl::StrCat("not ", kZhouName));
}

TEST_F(ScopeTest, AnExposuresOwnIdIsMaskedWithItsOutsider) {
  // Callers build exposure ids from the persons' ids and phones.
  const std::string reference = absl::StrCat("x-out-zhao-a1-", kZhaoPhone);
  v1::LedgerEvent with_zhao =
      MakeExposure("out-zhao", "a1", At(2020, 1, 24, 9), At(2020, 1, 24, 10));
  with_zhao.mutable_exposure()->set_id(reference);
  const uint64_t recorded = AddAt(At(2020, 1, 27, 9), As("office", with_zhao));
  v1::LedgerEvent within =
      MakeExposure("a1", "a2", At(2020, 1, 24, 11), At(2020, 1, 24, 12));
  within.mutable_exposure()->set_id("x-a1-a2");
  const uint64_t recorded_within =
      AddAt(At(2020, 1, 27, 9), As("office", within));

  std::unique_ptr<ScopedLedger> view = View("v11");
  ASSERT_OK_AND_ASSIGN(v1::LedgerEvent shown,
                       view->GetEvent(recorded, ReadOptions()));
  EXPECT_THAT(shown.exposure().id(), MatchesRegex(kOpaque));
  EXPECT_THAT(shown.exposure().person_a(), MatchesRegex(kOpaque));
  EXPECT_NE(shown.exposure().id(), shown.exposure().person_a());
  EXPECT_EQ(shown.exposure().person_b(), "a1");
  // The same opaque id in every answer of the view.
  EXPECT_EQ(view->GetEvent(recorded, ReadOptions())->exposure().id(),
            shown.exposure().id());
  ASSERT_OK_AND_ASSIGN(
      std::vector<Recorded<v1::Exposure>> exposures,
      view->ExposuresOf("a1", absl::InfinitePast(), absl::InfiniteFuture(),
                        ReadOptions()));
  int seen = 0;
  for (const Recorded<v1::Exposure>& exposure : exposures) {
    EXPECT_THAT(exposure.body.id(), Not(HasSubstr("out-zhao")));
    EXPECT_THAT(exposure.body.id(), Not(HasSubstr(kZhaoPhone)));
    if (exposure.sequence_number == recorded) {
      EXPECT_EQ(exposure.body.id(), shown.exposure().id());
      ++seen;
    }
    if (exposure.sequence_number == recorded_within) {
      EXPECT_EQ(exposure.body.id(), "x-a1-a2");  // nobody to hide
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(view->GetEvent(recorded_within, ReadOptions())->exposure().id(),
            "x-a1-a2");
  // Another view draws another one; the ledger keeps the id as recorded.
  EXPECT_NE(View("v11")->GetEvent(recorded, ReadOptions())->exposure().id(),
            shown.exposure().id());
  EXPECT_EQ(ledger_->GetEvent(recorded)->exposure().id(), reference);
}

TEST_F(ScopeTest, ScopeIsTakenAsOfTheReadsCut) {
  std::unique_ptr<ScopedLedger> view = View("v11");
  const absl::Time before_move = At(2020, 1, 27, 10, 0);
  // The office moves a1 to v21 at 11:00.
  AddAt(At(2020, 1, 27, 11, 0), As("office", MakePerson("a1", "h21")));
  EXPECT_THAT(view->GetPerson("a1", ReadOptions()),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  EXPECT_THAT(view->PersonsInArea("v11", ReadOptions()),
              IsOkAndHolds(ElementsAre("a2")));
  ASSERT_OK_AND_ASSIGN(v1::Person then,
                       view->GetPerson("a1", KnownAt(before_move)));
  EXPECT_EQ(then.household_id(), "h11");
  EXPECT_THAT(view->PersonsInArea("v11", KnownAt(before_move)),
              IsOkAndHolds(ElementsAre("a1", "a2")));
  // The roster as of now holds no one from v11 (a1 left); as known before
  // the move, a1 is there.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> now,
                       Tracer::Create(*view, Query()));
  EXPECT_THAT(RosterIds(*now), IsEmpty());
  QueryOptions earlier = Query();
  earlier.read = KnownAt(before_move);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> then_tracer,
                       Tracer::Create(*view, earlier));
  EXPECT_THAT(RosterIds(*then_tracer), ElementsAre("a1"));
  // And writes about a1 through v11 are refused from now on.
  EXPECT_THAT(view->Append(MakeHealthCheck("a1", At(2020, 1, 27, 11))),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
}

// ===========================================================================
// The audit trail.

TEST_F(ScopeTest, AuditListsWhoRecordedWhatInOrderIncludingARetraction) {
  std::unique_ptr<ScopedLedger> wang = View("v11", "wang");
  std::unique_ptr<ScopedLedger> zhou = View("v21", "zhou");
  const uint64_t registered = 10;  // a1, recorded by the office
  ASSERT_EQ(ledger_->GetEvent(registered)->person().id(), "a1");
  const uint64_t world_exposure = last_world_event_ - 3;
  ASSERT_OK_AND_ASSIGN(
      uint64_t exposure,
      zhou->Append(MakeExposure("out-zhou", "a1", At(2020, 1, 26, 9),
                                At(2020, 1, 26, 10))));
  ASSERT_OK_AND_ASSIGN(uint64_t check,
                       wang->Append(MakeHealthCheck("a1", At(2020, 1, 27, 9))));
  const absl::Time before_retraction = At(2020, 1, 27, 9, 30);
  clock_.Set(At(2020, 1, 27, 10, 0));
  ASSERT_OK_AND_ASSIGN(uint64_t retraction,
                       wang->Append(MakeRetraction(exposure, "not a1")));
  // Unrelated events are not listed.
  ASSERT_OK(zhou->Append(MakeHealthCheck("out-zhou", At(2020, 1, 27, 10))));

  ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> trail,
                       AuditTrail(*wang, "a1", ReadOptions()));
  ASSERT_THAT(trail, SizeIs(5));
  const std::vector<std::tuple<uint64_t, std::string, v1::LedgerEvent::BodyCase,
                               bool, uint64_t>>
      expected = {
          {registered, "office", v1::LedgerEvent::kPerson, false, 0},
          {world_exposure, "office", v1::LedgerEvent::kExposure, false, 0},
          {exposure, "zhou", v1::LedgerEvent::kExposure, true, 0},
          {check, "wang", v1::LedgerEvent::kHealthCheck, false, 0},
          {retraction, "wang", v1::LedgerEvent::kRetraction, false, exposure},
      };
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(trail[i].sequence_number, std::get<0>(expected[i]));
    EXPECT_EQ(trail[i].actor, std::get<1>(expected[i]));
    EXPECT_EQ(trail[i].kind, std::get<2>(expected[i]));
    EXPECT_EQ(trail[i].retracted, std::get<3>(expected[i]));
    EXPECT_EQ(trail[i].retracts, std::get<4>(expected[i]));
    EXPECT_EQ(
        trail[i].record_time,
        FromProto(ledger_->GetEvent(trail[i].sequence_number)->record_time()));
  }
  EXPECT_EQ(trail[2].retracted_by, retraction);
  EXPECT_EQ(AuditKindName(trail[2].kind), "exposure");
  EXPECT_EQ(AuditKindName(trail[4].kind), "retraction");

  // As known before the retraction: the exposure stands, no retraction.
  ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> earlier,
                       AuditTrail(*ledger_, "a1", KnownAt(before_retraction)));
  ASSERT_THAT(earlier, SizeIs(4));
  EXPECT_FALSE(earlier[2].retracted);
  // Through a view, only for persons in scope; unscoped, for anyone seen.
  EXPECT_THAT(AuditTrail(*zhou, "a1", ReadOptions()),
              StatusIs(absl::StatusCode::kPermissionDenied, _));
  EXPECT_THAT(AuditTrail(*ledger_, "nobody"),
              StatusIs(absl::StatusCode::kNotFound, _));
  ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> zhou_trail,
                       AuditTrail(*ledger_, "out-zhou"));
  // Registration, exposure, its retraction, check.
  EXPECT_THAT(zhou_trail, SizeIs(4));
}

}  // namespace
}  // namespace testutil
}  // namespace contactledger
