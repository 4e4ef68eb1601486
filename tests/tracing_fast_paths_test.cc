// The query engine's shortcuts give the answers of the long way round:
//   - a Tracer computes its open loops and its roll-up tallies once and
//     shares them between OpenLoops() and every AreaRollup() call, from any
//     thread;
//   - a read of everything recorded takes the full cut without counting.
// Each is checked against fresh Tracers and explicit cuts on a small
// synthetic county.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/synthetic.h"
#include "contactledger/tracing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace contactledger {
namespace {

bool Same(const AreaRollupRow& a, const AreaRollupRow& b) {
  return a.area_id == b.area_id && a.name == b.name && a.persons == b.persons &&
         a.households == b.households && a.active_cases == b.active_cases &&
         a.close_contacts == b.close_contacts &&
         a.secondary_contacts == b.secondary_contacts &&
         a.in_hospital == b.in_hospital &&
         a.in_centralized == b.in_centralized && a.at_home == b.at_home &&
         a.loops == b.loops && a.checks_last_24h == b.checks_last_24h;
}

bool Same(const std::vector<OpenLoop>& a, const std::vector<OpenLoop>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].person_id != b[i].person_id || a[i].kind != b[i].kind ||
        a[i].since != b[i].since || a[i].detail != b[i].detail) {
      return false;
    }
  }
  return true;
}

class TracingFastPathsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SyntheticCountyOptions options;
    options.persons = 20000;
    options.cases = 40;
    options.time_zone = absl::FixedTimeZone(8 * 3600);
    LedgerOptions ledger_options;
    ledger_options.time_zone = options.time_zone;
    ledger_ = Ledger::New(ledger_options).release();
    absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
        options, [](std::vector<v1::LedgerEvent>& batch) {
          return ledger_->AppendBatch(batch).status();
        });
    ASSERT_TRUE(summary.ok()) << summary.status();
    summary_ = new SyntheticCountySummary(*summary);
  }
  static void TearDownTestSuite() {
    delete ledger_;
    delete summary_;
  }
  static QueryOptions At(int month, int day, int hour,
                         const char* preset = "china-2020") {
    QueryOptions options;
    options.at = absl::FromCivil(absl::CivilHour(2020, month, day, hour),
                                 absl::FixedTimeZone(8 * 3600));
    options.policy = *PolicyPreset(preset);
    return options;
  }

  static Ledger* ledger_;
  static SyntheticCountySummary* summary_;
};
Ledger* TracingFastPathsTest::ledger_ = nullptr;
SyntheticCountySummary* TracingFastPathsTest::summary_ = nullptr;

TEST_F(TracingFastPathsTest, SharedLoopsAndTalliesMatchFreshTracers) {
  for (const char* preset : {"china-2020", "china-2022"}) {
    for (const QueryOptions& options :
         {At(1, 27, 12, preset), At(2, 8, 21, preset)}) {
      absl::StatusOr<std::unique_ptr<Tracer>> shared =
          Tracer::Create(*ledger_, options);
      ASSERT_TRUE(shared.ok());
      // Roll-ups first (they fill the shared loops), then the loops, then
      // the roll-ups again.
      for (int pass = 0; pass < 2; ++pass) {
        for (const std::string& township : summary_->township_ids) {
          absl::StatusOr<std::unique_ptr<Tracer>> fresh =
              Tracer::Create(*ledger_, options);
          ASSERT_TRUE(fresh.ok());
          absl::StatusOr<std::vector<AreaRollupRow>> a =
              (*shared)->AreaRollup(township);
          absl::StatusOr<std::vector<AreaRollupRow>> b =
              (*fresh)->AreaRollup(township);
          ASSERT_TRUE(a.ok() && b.ok());
          ASSERT_EQ(a->size(), b->size());
          for (size_t i = 0; i < a->size(); ++i) {
            EXPECT_TRUE(Same((*a)[i], (*b)[i]))
                << preset << " " << township << " " << (*a)[i].area_id;
          }
        }
        absl::StatusOr<std::unique_ptr<Tracer>> fresh =
            Tracer::Create(*ledger_, options);
        ASSERT_TRUE(fresh.ok());
        EXPECT_TRUE(Same((*shared)->OpenLoops(), (*fresh)->OpenLoops()))
            << preset;
      }
      // The county's roll-up sums its townships'.
      absl::StatusOr<std::vector<AreaRollupRow>> county =
          (*shared)->AreaRollup(summary_->county_id);
      ASSERT_TRUE(county.ok());
      uint64_t loops = 0;
      for (const AreaRollupRow& row : *county) {
        for (uint64_t n : row.loops) loops += n;
      }
      uint64_t placed = 0;
      for (const OpenLoop& loop : (*shared)->OpenLoops()) {
        placed += loop.kind != LoopKind::kUnregistered;  // all are placed
      }
      EXPECT_EQ(loops, placed);
    }
  }
}

TEST_F(TracingFastPathsTest, SharedTracerAnswersFromManyThreads) {
  const QueryOptions options = At(2, 8, 21);
  absl::StatusOr<std::unique_ptr<Tracer>> fresh =
      Tracer::Create(*ledger_, options);
  ASSERT_TRUE(fresh.ok());
  std::vector<std::vector<AreaRollupRow>> expected;
  for (const std::string& township : summary_->township_ids) {
    expected.push_back(*(*fresh)->AreaRollup(township));
  }
  const std::vector<OpenLoop> expected_loops = (*fresh)->OpenLoops();
  for (int round = 0; round < 3; ++round) {
    absl::StatusOr<std::unique_ptr<Tracer>> shared =
        Tracer::Create(*ledger_, options);
    ASSERT_TRUE(shared.ok());
    std::vector<int> wrong(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        if (!Same((*shared)->OpenLoops(), expected_loops)) ++wrong[t];
        for (size_t i = 0; i < summary_->township_ids.size(); ++i) {
          const size_t k = (i + t * 5) % summary_->township_ids.size();
          absl::StatusOr<std::vector<AreaRollupRow>> rows =
              (*shared)->AreaRollup(summary_->township_ids[k]);
          if (!rows.ok() || rows->size() != expected[k].size()) {
            ++wrong[t];
            continue;
          }
          for (size_t j = 0; j < rows->size(); ++j) {
            if (!Same((*rows)[j], expected[k][j])) ++wrong[t];
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_THAT(wrong, ::testing::Each(0));
  }
}

TEST_F(TracingFastPathsTest, ReadOfEverythingEqualsTheExplicitCut) {
  ReadOptions everything;
  ReadOptions by_sequence;
  by_sequence.sequence_limit = ledger_->last_sequence_number();
  // known_at at the last batch's record time (the full cut), and just
  // before it (the last batch, checks and passages, left out).
  const google::protobuf::Timestamp last =
      ledger_->GetEvent(ledger_->last_sequence_number())->record_time();
  ReadOptions by_record_time;
  by_record_time.known_at =
      absl::FromUnixSeconds(last.seconds()) + absl::Nanoseconds(last.nanos());
  ReadOptions before_last = by_record_time;
  before_last.known_at -= absl::Nanoseconds(1);
  ReadOptions one_less;
  one_less.sequence_limit = ledger_->last_sequence_number() - 1;
  const absl::Time from = absl::FromCivil(absl::CivilDay(2020, 1, 25),
                                          absl::FixedTimeZone(8 * 3600));
  const absl::Time to = from + absl::Hours(14 * 24);
  for (const std::string& person : summary_->case_ids) {
    absl::StatusOr<std::vector<ContactAtDistance>> a =
        Contacts(*ledger_, person, 2, from, to, everything);
    ASSERT_TRUE(a.ok());
    for (const ReadOptions& read :
         {by_sequence, by_record_time, before_last, one_less}) {
      absl::StatusOr<std::vector<ContactAtDistance>> b =
          Contacts(*ledger_, person, 2, from, to, read);
      ASSERT_TRUE(b.ok());
      ASSERT_EQ(a->size(), b->size()) << person;
      for (size_t i = 0; i < a->size(); ++i) {
        EXPECT_EQ((*a)[i].person_id, (*b)[i].person_id);
        EXPECT_EQ((*a)[i].hops, (*b)[i].hops);
      }
    }
  }
  // A Tracer over everything and one over the explicit cut agree.
  QueryOptions all = At(2, 8, 21);
  QueryOptions cut = all;
  cut.read = by_sequence;
  absl::StatusOr<std::unique_ptr<Tracer>> x = Tracer::Create(*ledger_, all);
  absl::StatusOr<std::unique_ptr<Tracer>> y = Tracer::Create(*ledger_, cut);
  ASSERT_TRUE(x.ok() && y.ok());
  const std::vector<RosterEntry> rx = (*x)->Roster();
  const std::vector<RosterEntry> ry = (*y)->Roster();
  ASSERT_EQ(rx.size(), ry.size());
  for (size_t i = 0; i < rx.size(); ++i) {
    EXPECT_EQ(rx[i].person_id, ry[i].person_id);
    EXPECT_EQ(rx[i].until, ry[i].until);
    EXPECT_EQ(rx[i].last_exposure, ry[i].last_exposure);
  }
  EXPECT_TRUE(Same((*x)->OpenLoops(), (*y)->OpenLoops()));
}

}  // namespace
}  // namespace contactledger
