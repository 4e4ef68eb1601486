// One small worked scenario through every Tracer query, with the hand
// computation in comments. The exhaustive clause-by-clause tests live in the
// other tracing_*_test.cc files.
//
// The ledger (UTC): county c > township t > village v; household h1 (no
// responsible worker) with p1 and p2. p1 is confirmed on 2020-01-24 10:00
// with onset 2020-01-22, so ws = 2020-01-20 00:00 and, with no stay,
// we = +inf. Exposures: p1-p3 on 01-21 08:00-09:00 (qualifies), p1-p4 on
// 01-19 08:00-09:00 (ends before ws), p3-p5 on 01-22 08:00-09:00. p3 has a
// fever check (38.0 °C) on 01-24 11:00 and enters a centralized stay at
// 12:00; p2 passes the gate on 01-24 15:00. p3, p4, p5 are unregistered.
// Questions at 2020-01-25 12:00.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "contactledger/tracing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::At;

class TracingScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::LedgerEvent diagnosis =
        testutil::MakeDiagnosis("p1", At(2020, 1, 24, 10));
    *diagnosis.mutable_diagnosis()->mutable_onset() =
        testutil::MakeDate(2020, 1, 22);
    ASSERT_TRUE(
        ledger_
            ->AppendBatch(
                {testutil::MakeCounty("c"), testutil::MakeTownship("t", "c"),
                 testutil::MakeVillage("v", "t"),
                 testutil::MakeHousehold("h1", "v", ""),
                 testutil::MakePerson("p1", "h1"),
                 testutil::MakePerson("p2", "h1"),
                 testutil::MakeExposure("p1", "p3", At(2020, 1, 21, 8),
                                        At(2020, 1, 21, 9)),
                 testutil::MakeExposure("p1", "p4", At(2020, 1, 19, 8),
                                        At(2020, 1, 19, 9)),
                 diagnosis,
                 testutil::MakeExposure("p3", "p5", At(2020, 1, 22, 8),
                                        At(2020, 1, 22, 9)),
                 testutil::MakeHealthCheck("p3", At(2020, 1, 24, 11), 38.0),
                 testutil::MakeQuarantineStart("p3", At(2020, 1, 24, 12)),
                 testutil::MakePassage("p2", "gate", At(2020, 1, 24, 15))})
            .ok());
  }

  std::unique_ptr<Tracer> Make(const std::string& policy) {
    QueryOptions options;
    options.at = At(2020, 1, 25, 12);
    options.policy = *PolicyPreset(policy);
    absl::StatusOr<std::unique_ptr<Tracer>> tracer =
        Tracer::Create(*ledger_, options);
    EXPECT_TRUE(tracer.ok()) << tracer.status();
    return std::move(*tracer);
  }

  std::unique_ptr<Ledger> ledger_ = Ledger::New(LedgerOptions());
};

TEST_F(TracingScenarioTest, RosterUnderChina2020) {
  const std::vector<RosterEntry> roster = Make("china-2020")->Roster();
  ASSERT_EQ(roster.size(), 3u);
  // p1: the active case, in hospital, required since its diagnosis.
  EXPECT_EQ(roster[0].person_id, "p1");
  EXPECT_EQ(roster[0].role, Role::kCase);
  EXPECT_EQ(roster[0].place, v1::QUARANTINE_PLACE_HOSPITAL);
  EXPECT_EQ(roster[0].required_since, At(2020, 1, 24, 10));
  // p2: household rule, continuous (p1 not removed), last exposure = at.
  EXPECT_EQ(roster[1].person_id, "p2");
  EXPECT_EQ(roster[1].role, Role::kCloseContact);
  EXPECT_TRUE(roster[1].continuous);
  EXPECT_FALSE(roster[1].until.has_value());
  EXPECT_EQ(roster[1].last_exposure, At(2020, 1, 25, 12));
  EXPECT_EQ(roster[1].place, v1::QUARANTINE_PLACE_CENTRALIZED);
  // p3: last exposure 01-21 09:00, until 01-21 + 14 = 02-04; required since
  // max(diagnosis 01-24 10:00, first 01-21 08:00).
  EXPECT_EQ(roster[2].person_id, "p3");
  EXPECT_EQ(roster[2].source, "p1");
  EXPECT_EQ(roster[2].last_exposure, At(2020, 1, 21, 9));
  EXPECT_EQ(roster[2].until, absl::CivilDay(2020, 2, 4));
  EXPECT_EQ(roster[2].required_since, At(2020, 1, 24, 10));
}

TEST_F(TracingScenarioTest, SecondaryContactUnderChina2022) {
  // p3's window: [01-21 08:00, removal = stay start 01-24 12:00); the p3-p5
  // exposure on 01-22 qualifies; until 01-22 + 7 = 01-29, at home.
  const std::vector<RosterEntry> roster = Make("china-2022")->Roster();
  ASSERT_EQ(roster.size(), 4u);
  EXPECT_EQ(roster[3].person_id, "p5");
  EXPECT_EQ(roster[3].role, Role::kSecondaryContact);
  EXPECT_EQ(roster[3].source, "p3");
  EXPECT_EQ(roster[3].until, absl::CivilDay(2020, 1, 29));
  EXPECT_EQ(roster[3].place, v1::QUARANTINE_PLACE_HOME);
  // p3 is on day 4 after 01-21: the 7-day centralized phase.
  EXPECT_EQ(roster[2].until, absl::CivilDay(2020, 1, 31));
  EXPECT_EQ(roster[2].place, v1::QUARANTINE_PLACE_CENTRALIZED);
}

TEST_F(TracingScenarioTest, OpenLoopsUnderChina2020) {
  std::vector<std::string> got;
  for (const OpenLoop& loop : Make("china-2020")->OpenLoops()) {
    got.push_back(absl::StrCat(loop.person_id, " ", LoopKindName(loop.kind),
                               " ", absl::FormatTime(loop.since)));
  }
  EXPECT_THAT(
      got,
      ElementsAre(
          // Not in hospital 24 h after diagnosis; household without worker.
          "p1 unisolated_case 2020-01-25T10:00:00+00:00",
          "p1 no_owner 2020-01-24T10:00:00+00:00",
          // No stay 24 h after required_since (01-24 10:00).
          "p2 unplaced 2020-01-25T10:00:00+00:00",
          "p2 no_owner 2020-01-24T10:00:00+00:00",
          // In the roster (household of the active case) when passing.
          "p2 checkpoint_breach 2020-01-24T15:00:00+00:00",
          // In a stay since 12:00 with no check since: 12:00 + 12 h.
          "p3 missed_check 2020-01-25T00:00:00+00:00",
          // 38.0 °C at 11:00, no diagnosis since: 11:00 + 2 h.
          "p3 fever_not_escalated 2020-01-24T13:00:00+00:00",
          "p3 no_owner 2020-01-24T10:00:00+00:00",
          "p3 unregistered 2020-01-21T08:00:00+00:00",
          "p4 unregistered 2020-01-19T08:00:00+00:00",
          "p5 unregistered 2020-01-22T08:00:00+00:00"));
}

TEST_F(TracingScenarioTest, ExplainRollupPassChainsAndContacts) {
  const std::unique_ptr<Tracer> tracer = Make("china-2020");
  absl::StatusOr<Explanation> why = tracer->Explain("p3");
  ASSERT_TRUE(why.ok());
  ASSERT_EQ(why->sources.size(), 1u);
  EXPECT_EQ(why->sources[0].person_id, "p1");
  EXPECT_EQ(why->sources[0].rule, "exposure");
  EXPECT_THAT(why->sources[0].exposures, ElementsAre(7u));
  EXPECT_EQ(why->sources[0].overlap, absl::Hours(1));
  ASSERT_EQ(why->phases.size(), 1u);
  EXPECT_EQ(why->phases[0].first_day, absl::CivilDay(2020, 1, 21));
  EXPECT_EQ(why->phases[0].last_day, absl::CivilDay(2020, 2, 4));
  EXPECT_FALSE(tracer->Explain("p4")->in_roster);
  EXPECT_EQ(tracer->Explain("nobody").status().code(),
            absl::StatusCode::kNotFound);

  absl::StatusOr<std::vector<AreaRollupRow>> rollup = tracer->AreaRollup("c");
  ASSERT_TRUE(rollup.ok());
  ASSERT_EQ(rollup->size(), 2u);
  EXPECT_EQ((*rollup)[0].area_id, "t");
  EXPECT_EQ((*rollup)[0].persons, 2u);
  EXPECT_EQ((*rollup)[0].households, 1u);
  EXPECT_EQ((*rollup)[0].active_cases, 1u);
  EXPECT_EQ((*rollup)[0].close_contacts, 1u);  // p2
  // c is the top: p3, p4 and p5 have no area and count in "(unassigned)":
  // p3 a close contact in a centralized stay, with a missed check, a fever,
  // no owner; p3, p4 and p5 unregistered. No registered person lacks an area.
  const AreaRollupRow& unassigned = (*rollup)[1];
  EXPECT_EQ(unassigned.area_id, kUnassignedAreaId);
  EXPECT_EQ(unassigned.persons, 0u);
  EXPECT_EQ(unassigned.households, 0u);
  EXPECT_EQ(unassigned.active_cases, 0u);
  EXPECT_EQ(unassigned.close_contacts, 1u);
  EXPECT_EQ(unassigned.in_centralized, 1u);
  EXPECT_EQ(unassigned.loops, std::vector<uint64_t>({0, 0, 0, 1, 1, 1, 0, 3}));
  EXPECT_EQ(unassigned.checks_last_24h, 0u);
  // A township's roll-up has no such row.
  ASSERT_TRUE(tracer->AreaRollup("t").ok());
  EXPECT_EQ(tracer->AreaRollup("t")->size(), 1u);

  absl::StatusOr<PassDecision> pass = tracer->MayPass("p3", "gate");
  ASSERT_TRUE(pass.ok());
  EXPECT_FALSE(pass->allowed);
  EXPECT_THAT(pass->reason, HasSubstr("centralized stay"));
  EXPECT_FALSE(tracer->MayPass("p2", "gate")->allowed);
  // p4 is unregistered but named by an exposure: known, and allowed.
  EXPECT_TRUE(tracer->MayPass("p4", "gate")->allowed);

  const std::vector<TransmissionChain> chains = tracer->TransmissionChains();
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_THAT(chains[0].cases, ElementsAre("p1"));

  absl::StatusOr<std::vector<ContactAtDistance>> contacts =
      Contacts(*ledger_, "p1", 2, At(2020, 1, 1), At(2020, 2, 1));
  ASSERT_TRUE(contacts.ok());
  std::vector<std::string> flat;
  for (const ContactAtDistance& c : *contacts) {
    flat.push_back(absl::StrCat(c.person_id, ":", c.hops));
  }
  EXPECT_THAT(flat, ElementsAre("p3:1", "p4:1", "p5:2"));
}

}  // namespace
}  // namespace contactledger
