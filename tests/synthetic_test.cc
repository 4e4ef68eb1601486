// The synthetic county: shape, validity and determinism.

#include "contactledger/synthetic.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/hash/hash.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace contactledger {
namespace {

SyntheticCountyOptions Small() {
  SyntheticCountyOptions options;
  options.persons = 30000;
  options.time_zone = absl::FixedTimeZone(8 * 3600);
  return options;
}

struct Loaded {
  std::unique_ptr<Ledger> ledger;
  SyntheticCountySummary summary;
};

Loaded Load(const SyntheticCountyOptions& options) {
  Loaded loaded;
  LedgerOptions ledger_options;
  ledger_options.time_zone = options.time_zone;
  loaded.ledger = Ledger::New(ledger_options);
  absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
      options, [&](std::vector<v1::LedgerEvent>& batch) {
        return loaded.ledger->AppendBatch(batch).status();
      });
  EXPECT_TRUE(summary.ok()) << summary.status();
  if (summary.ok()) loaded.summary = *summary;
  return loaded;
}

TEST(SyntheticCountyTest, EveryGeneratedEventIsAcceptedAndCounted) {
  Loaded county = Load(Small());
  const LedgerStats stats = county.ledger->Stats();
  EXPECT_EQ(stats.persons, 30000u);  // nobody unregistered
  EXPECT_EQ(static_cast<int64_t>(stats.households), county.summary.households);
  EXPECT_EQ(static_cast<int64_t>(stats.exposures), county.summary.exposures);
  EXPECT_EQ(county.summary.exposures, 195000);  // 6.5 per person
  EXPECT_EQ(static_cast<int64_t>(stats.diagnoses), county.summary.diagnoses);
  EXPECT_EQ(static_cast<int64_t>(stats.health_checks),
            county.summary.health_checks);
  EXPECT_GT(county.summary.health_checks, 0);
  EXPECT_GT(county.summary.passages, 0);
}

TEST(SyntheticCountyTest, ShapeFollowsYuanling) {
  Loaded county = Load(Small());
  const ReadOptions now;
  // 21 townships and 2 service centres under the county.
  absl::StatusOr<std::vector<std::string>> townships =
      county.ledger->ChildAreas("yl", now);
  ASSERT_TRUE(townships.ok());
  EXPECT_EQ(townships->size(), 23u);
  EXPECT_EQ(townships->back(), "yl-t21");  // sorted: s01, s02, t01..t21
  EXPECT_EQ(townships->front(), "yl-s01");
  // Households average about 3 persons: 30000 / households in 2.7..3.3.
  const double mean = 30000.0 / county.summary.households;
  EXPECT_GT(mean, 2.7);
  EXPECT_LT(mean, 3.3);
  // 404 villages per 600,000 persons: 20 at this scale, but at least 23.
  EXPECT_EQ(county.summary.areas,
            1 + 23 + 23 + (county.summary.households + 149) / 150);
  // Every person is in the county's subtree.
  EXPECT_EQ(county.ledger->PersonsInArea("yl", now)->size(), 30000u);
}

TEST(SyntheticCountyTest, IdentityNumbersCarryTheirCheckCharacter) {
  Loaded county = Load(Small());
  for (int64_t i : {0, 1, 777, 29999}) {
    absl::StatusOr<v1::Person> person =
        county.ledger->GetPerson(SyntheticPersonId(i), ReadOptions());
    ASSERT_TRUE(person.ok());
    EXPECT_TRUE(IsValidResidentId(person->national_id()))
        << person->national_id();
    EXPECT_EQ(person->phone().size(), 11u);
    EXPECT_EQ(person->phone()[0], '1');
  }
  // The example of GB 11643-1999 itself.
  EXPECT_TRUE(IsValidResidentId("11010519491231002X"));
  EXPECT_FALSE(IsValidResidentId("110105194912310021"));
}

TEST(SyntheticCountyTest, SameSeedSameEventsOtherSeedOthers) {
  auto fingerprint = [](uint64_t seed) {
    SyntheticCountyOptions options = Small();
    options.persons = 2000;
    options.seed = seed;
    size_t hash = 0;
    EXPECT_TRUE(GenerateSyntheticCounty(
                    options,
                    [&](std::vector<v1::LedgerEvent>& batch) {
                      for (const v1::LedgerEvent& e : batch) {
                        hash = absl::HashOf(hash, e.SerializeAsString());
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return hash;
  };
  EXPECT_EQ(fingerprint(7), fingerprint(7));
  EXPECT_NE(fingerprint(7), fingerprint(8));
}

TEST(SyntheticCountyTest, CasesHaveContactsInTheRosterAndLoopsToClose) {
  Loaded county = Load(Small());
  QueryOptions options;
  options.at = absl::FromCivil(absl::CivilSecond(2020, 2, 5, 12, 0, 0),
                               absl::FixedTimeZone(8 * 3600));
  absl::StatusOr<std::unique_ptr<Tracer>> tracer =
      Tracer::Create(*county.ledger, options);
  ASSERT_TRUE(tracer.ok());
  int cases = 0;
  int contacts = 0;
  for (const RosterEntry& entry : (*tracer)->Roster()) {
    (entry.role == Role::kCase ? cases : contacts)++;
  }
  EXPECT_EQ(cases, 5);
  EXPECT_GT(contacts, 5);
  std::vector<LoopKind> kinds;
  for (const OpenLoop& loop : (*tracer)->OpenLoops())
    kinds.push_back(loop.kind);
  // The generator leaves one contact unplaced and releases one early.
  EXPECT_THAT(kinds, ::testing::Contains(LoopKind::kUnplaced));
  EXPECT_THAT(kinds, ::testing::Contains(LoopKind::kEarlyRelease));
  EXPECT_THAT(kinds, ::testing::Contains(LoopKind::kMissedCheck));
}

TEST(SyntheticCountyTest, BadOptionsAreRejected) {
  SyntheticCountyOptions options;
  options.persons = 3;
  EXPECT_EQ(GenerateSyntheticCounty(
                options,
                [](std::vector<v1::LedgerEvent>&) { return absl::OkStatus(); })
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace contactledger
