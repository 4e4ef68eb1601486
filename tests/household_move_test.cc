// Copyright 2026 The ContactLedger Authors.
//
// A person with a household and no area of their own is in the household's
// area as of each read, and moves with it (issue 15, finding 1): every
// answer by area agrees, whole-ledger reads, scoped reads and writes, the
// roll-up and its counts, through retractions, snapshots and reopening.
//
// The county of the red-team report: c -> t1 {v11, v12}, t2 {v21};
// households h11 and hmove in v11, h21 in v21; persons a1 (h11), m1 (hmove,
// no area_id), s1 (hmove, area_id v11 of their own) and out-zhao (h21).

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "contactledger/ledger.h"
#include "contactledger/scope.h"
#include "contactledger/tracing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::At;
using testutil::MakeCounty;
using testutil::MakeDiagnosis;
using testutil::MakeHousehold;
using testutil::MakePerson;
using testutil::MakeRetraction;
using testutil::MakeTownship;
using testutil::MakeVillage;
using testutil::StatusIs;
using testutil::UpTo;

std::vector<v1::LedgerEvent> County() {
  return {MakeCounty("c"),
          MakeTownship("t1", "c"),
          MakeTownship("t2", "c"),
          MakeVillage("v11", "t1"),
          MakeVillage("v12", "t1"),
          MakeVillage("v21", "t2"),
          MakeHousehold("h11", "v11"),
          MakeHousehold("hmove", "v11"),
          MakeHousehold("h21", "v21"),
          MakePerson("a1", "h11"),
          MakePerson("m1", "hmove"),
          MakePerson("s1", "hmove", "v11"),
          MakePerson("out-zhao", "h21")};
}

// The persons each village's roll-up row counts, in the order v11, v12.
std::vector<uint64_t> VillagePersons(const Ledger& ledger,
                                     const ReadOptions& read) {
  QueryOptions query;
  query.at = At(2020, 1, 28);
  query.read = read;
  absl::StatusOr<std::unique_ptr<Tracer>> tracer =
      Tracer::Create(ledger, query);
  EXPECT_TRUE(tracer.ok()) << tracer.status();
  if (!tracer.ok()) return {};
  absl::StatusOr<std::vector<AreaRollupRow>> rows = (*tracer)->AreaRollup("t1");
  EXPECT_TRUE(rows.ok()) << rows.status();
  if (!rows.ok() || rows->size() != 2) return {};
  return {(*rows)[0].persons, (*rows)[1].persons};
}

class HouseholdMoveTest : public testutil::LedgerTestBase {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ledger_->AppendBatch(County()).ok());
    before_move_ = ledger_->last_sequence_number();
    // The move, through township t1's view (both villages are in it).
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ScopedLedger> t1,
                         ScopedLedger::Create(*ledger_, "t1", "t1-office"));
    ASSERT_OK_AND_ASSIGN(move_, t1->Append(MakeHousehold("hmove", "v12")));
  }

  std::unique_ptr<ScopedLedger> View(const std::string& area) {
    absl::StatusOr<std::unique_ptr<ScopedLedger>> view =
        ScopedLedger::Create(*ledger_, area, area + "-worker");
    EXPECT_TRUE(view.ok()) << view.status();
    return view.ok() ? std::move(*view) : nullptr;
  }

  uint64_t before_move_ = 0;
  uint64_t move_ = 0;
};

TEST_F(HouseholdMoveTest, MemberWithoutAreaMovesWithTheHousehold) {
  EXPECT_THAT(*ledger_->PersonsInArea("v12", ReadOptions()), ElementsAre("m1"));
  EXPECT_THAT(*ledger_->PersonsInArea("v11", ReadOptions()),
              ElementsAre("a1", "s1"));
  // As the ledger knew it before the move, m1 was in v11.
  EXPECT_THAT(*ledger_->PersonsInArea("v11", UpTo(before_move_)),
              ElementsAre("a1", "m1", "s1"));
  EXPECT_THAT(*ledger_->PersonsInArea("v12", UpTo(before_move_)),
              ::testing::IsEmpty());
  // The record as recorded: m1 named no area; s1 named v11.
  EXPECT_EQ(ledger_->GetPerson("m1", ReadOptions())->area_id(), "");
  EXPECT_EQ(ledger_->GetPerson("s1", ReadOptions())->area_id(), "v11");
}

TEST_F(HouseholdMoveTest, VillageViewsAgreeOnEveryReadAfterTheMove) {
  std::unique_ptr<ScopedLedger> v11 = View("v11");
  std::unique_ptr<ScopedLedger> v12 = View("v12");
  ASSERT_NE(v11, nullptr);
  ASSERT_NE(v12, nullptr);
  // The old village: neither the household nor the member it took along.
  EXPECT_THAT(v11->GetHousehold("hmove", ReadOptions()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("m")));
  EXPECT_THAT(v11->GetPerson("m1", ReadOptions()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("m1")));
  EXPECT_THAT(AuditTrail(*v11, "m1", ReadOptions()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("m1")));
  EXPECT_THAT(*v11->PersonsInArea("v11", ReadOptions()),
              ElementsAre("a1", "s1"));
  // s1 named v11 of their own: they stay, though their household moved.
  EXPECT_TRUE(v11->GetPerson("s1", ReadOptions()).ok());
  // The new village: both.
  EXPECT_TRUE(v12->GetHousehold("hmove", ReadOptions()).ok());
  EXPECT_TRUE(v12->GetPerson("m1", ReadOptions()).ok());
  EXPECT_TRUE(AuditTrail(*v12, "m1", ReadOptions()).ok());
  EXPECT_THAT(*v12->PersonsInArea("v12", ReadOptions()), ElementsAre("m1"));
  EXPECT_THAT(*v12->HouseholdMembers("hmove", ReadOptions()),
              ElementsAre("m1"));
  // Reads as of before the move see m1 where they were then.
  EXPECT_TRUE(v11->GetPerson("m1", UpTo(before_move_)).ok());
  EXPECT_FALSE(v12->GetPerson("m1", UpTo(before_move_)).ok());
}

TEST_F(HouseholdMoveTest, WritesAboutTheMemberGoThroughTheNewVillageOnly) {
  std::unique_ptr<ScopedLedger> v11 = View("v11");
  std::unique_ptr<ScopedLedger> v12 = View("v12");
  ASSERT_NE(v11, nullptr);
  ASSERT_NE(v12, nullptr);
  EXPECT_THAT(v11->Append(MakeDiagnosis("m1", At(2020, 1, 27, 9))),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("not a person registered in")));
  EXPECT_TRUE(v12->Append(MakeDiagnosis("m1", At(2020, 1, 27, 9))).ok());
}

TEST_F(HouseholdMoveTest,
       ABatchThatMovesTheHouseholdMovesItsMembersForLaterEvents) {
  std::unique_ptr<ScopedLedger> t1 = View("t1");
  ASSERT_NE(t1, nullptr);
  // Through v12's view, a batch may not move hmove back to v11 and then
  // record about m1: after the first event m1 is outside v12.
  std::unique_ptr<ScopedLedger> v12 = View("v12");
  ASSERT_NE(v12, nullptr);
  EXPECT_THAT(v12->AppendBatch({MakeHousehold("hmove", "v11"),
                                MakeDiagnosis("m1", At(2020, 1, 27, 9))}),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("area 'v11' is outside")));
  // Through t1's, the same batch: m1 is back in v11, where v11 sees them.
  ASSERT_TRUE(t1->AppendBatch({MakeHousehold("hmove", "v11"),
                               MakeDiagnosis("m1", At(2020, 1, 27, 9))})
                  .ok());
  std::unique_ptr<ScopedLedger> v11 = View("v11");
  ASSERT_NE(v11, nullptr);
  EXPECT_TRUE(v11->GetPerson("m1", ReadOptions()).ok());
  // A member recorded in a batch after the household's move is in the new
  // area for the batch's later events.
  EXPECT_THAT(v11->AppendBatch({MakePerson("m2", "hmove"),
                                MakeHousehold("hmove", "v12"),
                                MakeDiagnosis("m2", At(2020, 1, 27, 9))}),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("area 'v12' is outside")));
}

TEST_F(HouseholdMoveTest, RollUpCountsTheMemberInTheHouseholdsVillage) {
  EXPECT_THAT(VillagePersons(*ledger_, ReadOptions()), ElementsAre(2u, 1u));
  EXPECT_THAT(VillagePersons(*ledger_, UpTo(before_move_)),
              ElementsAre(3u, 0u));
  // The move withdrawn: back in v11, in the counts of now too.
  Add(MakeRetraction(move_, "recorded in the wrong village"));
  EXPECT_THAT(VillagePersons(*ledger_, ReadOptions()), ElementsAre(3u, 0u));
  EXPECT_THAT(*ledger_->PersonsInArea("v11", ReadOptions()),
              ElementsAre("a1", "m1", "s1"));
}

TEST_F(HouseholdMoveTest, CaseIsTalliedInTheHouseholdsVillage) {
  Add(MakeDiagnosis("m1", At(2020, 1, 27, 9)));
  QueryOptions query;
  query.at = At(2020, 1, 28);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Tracer::Create(*ledger_, query));
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> rows,
                       tracer->AreaRollup("t1"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].area_id, "v11");
  EXPECT_EQ(rows[0].active_cases, 0u);
  EXPECT_EQ(rows[1].active_cases, 1u);
}

TEST_F(HouseholdMoveTest, MemberOfARetractedHouseholdHasNoArea) {
  // Every version of h21 withdrawn: out-zhao's household has no visible
  // version, so out-zhao has no area (the county's unassigned row).
  Add(MakeRetraction(9, "no such household"));
  EXPECT_THAT(*ledger_->PersonsInArea("c", ReadOptions()),
              ElementsAre("a1", "m1", "s1"));
  QueryOptions query;
  query.at = At(2020, 1, 28);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Tracer::Create(*ledger_, query));
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> rows,
                       tracer->AreaRollup("c"));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.back().area_id, kUnassignedAreaId);
  EXPECT_EQ(rows.back().persons, 1u);
}

TEST(HouseholdMoveDurable, TheMoveSurvivesSnapshotsAndReopening) {
  char pattern[] = "/tmp/household_move_test.XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string dir = absl::StrCat(pattern, "/ledger");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Ledger> ledger,
                         Ledger::Open(LedgerOptions(), dir));
    ASSERT_TRUE(ledger->AppendBatch(County()).ok());
    ASSERT_TRUE(ledger->WriteSnapshot().ok());
    // The move after the snapshot: replayed from the log on open.
    ASSERT_TRUE(ledger->Append(MakeHousehold("hmove", "v12")).ok());
  }
  for (int round = 0; round < 2; ++round) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Ledger> ledger,
                         Ledger::Open(LedgerOptions(), dir));
    EXPECT_THAT(*ledger->PersonsInArea("v12", ReadOptions()), ElementsAre("m1"))
        << "round " << round;
    EXPECT_THAT(VillagePersons(*ledger, ReadOptions()), ElementsAre(2u, 1u))
        << "round " << round;
    // Round 1 opens from a snapshot holding the move.
    if (round == 0) {
      ASSERT_TRUE(ledger->WriteSnapshot().ok());
    }
  }
  fs::remove_all(pattern);
}

}  // namespace
}  // namespace contactledger
