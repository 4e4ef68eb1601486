// Copyright 2026 The ContactLedger Authors.
//
// docs/rules.md section 8 (open loops): each kind with its `since` and its
// boundary, run for each preset where the parameter differs (check_interval,
// fever_threshold, escalation_deadline).
//
// World (tests/tracing_test_util.h): c1 in h1, confirmed 2020-01-27 10:00
// UTC with onset 2020-01-25 (ws 2020-01-23 00:00). A contact exposed to c1
// before the diagnosis has required_since = 01-27 10:00, so with the 24 h
// placement deadline of every preset it is unplaced from 01-28 10:00.

#include <algorithm>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "contactledger/v1/policy.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"
#include "tests/tracing_test_util.h"

namespace contactledger {
namespace testutil {
namespace {

using ::absl::CivilDay;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr v1::QuarantinePlace kHospital = v1::QUARANTINE_PLACE_HOSPITAL;
constexpr v1::QuarantinePlace kCentralized = v1::QUARANTINE_PLACE_CENTRALIZED;
constexpr v1::QuarantinePlace kHome = v1::QUARANTINE_PLACE_HOME;

// OpenLoops() is sorted by person_id, kind, since.
void ExpectSorted(const Tracer& tracer) {
  const std::vector<OpenLoop> loops = tracer.OpenLoops();
  EXPECT_TRUE(std::is_sorted(
      loops.begin(), loops.end(),
      [](const OpenLoop& a, const OpenLoop& b) {
        return std::make_tuple(a.person_id, static_cast<int>(a.kind), a.since) <
               std::make_tuple(b.person_id, static_cast<int>(b.kind), b.since);
      }))
      << ::testing::PrintToString(loops);
}

// ===========================================================================
// unplaced and early_release.

using UnplacedPresetTest = TracingPresetTest;

// unplaced: `at` >= required_since + placement_deadline (>=, not >).
// c1 in hospital from 01-27 12:00 (no unisolated_case). p1 (h2) exposed
// [01-24 10:00, 11:00]: required_since = max(01-27 10:00, 01-24 10:00) =
// 01-27 10:00; since = 01-27 10:00 + 24 h = 01-28 10:00 (every preset).
// at 01-28 09:59:59: no loop. at 01-28 10:00: unplaced since 01-28 10:00.
// at until + 1 (01-24 + close days + 1) p1 has left the roster: no loop.
TEST_P(UnplacedPresetTest, UnplacedFromRequiredSincePlusPlacementDeadline) {
  Register("c1", "h1");
  Register("p1", "h2");
  StandardCase("c1");
  Start("c1", Hosp(), kHospital);
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  const absl::Time since = Diag() + table().placement_deadline;
  ASSERT_EQ(since, At(2020, 1, 28, 10));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       TraceP(since - absl::Seconds(1)));
  EXPECT_THAT(LoopSinces(*before, "p1", LoopKind::kUnplaced), IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> at, TraceP(since));
  EXPECT_THAT(LoopSinces(*at, "p1", LoopKind::kUnplaced), ElementsAre(since));
  ExpectEntry(
      *at, "p1",
      Contact("c1", At(2020, 1, 24, 11), CivilDay(2020, 1, 24) + CloseDays()));

  const CivilDay gone = CivilDay(2020, 1, 24) + CloseDays() + 1;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> later,
                       TraceP(absl::FromCivil(gone, absl::UTCTimeZone())));
  EXPECT_THAT(LoopSinces(*later, "p1", LoopKind::kUnplaced), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Presets, UnplacedPresetTest,
                         ::testing::ValuesIn(PresetTables()), PresetParamName);

class PlacementTest : public TracingTest {
 protected:
  void SetUp() override {
    Register("c1", "h1");
    StandardCase("c1");
    Start("c1", Hosp(), kHospital);
  }
  // A contact in h2 exposed to c1 [01-24 10:00, 11:00]: required since
  // 01-27 10:00.
  void Contact24(const std::string& id) {
    Register(id, "h2");
    Expose("c1", id, At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  }
};

// "No stay open" means no stay of any place: china-2020 wants p1
// centralized, p1 is at home since 01-27 12:00: placed (the wrong place is
// not a loop). p2 in hospital since 01-27 12:00: placed. at 01-29 00:00.
TEST_F(PlacementTest, AnyOpenStayCountsAsPlaced) {
  Contact24("p1");
  Contact24("p2");
  Start("p1", Hosp(), kHome);
  Start("p2", Hosp(), kHospital);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));
  for (const char* p : {"p1", "p2"}) {
    EXPECT_THAT(LoopSinces(*tracer, p, LoopKind::kUnplaced), IsEmpty()) << p;
    EXPECT_THAT(LoopSinces(*tracer, p, LoopKind::kEarlyRelease), IsEmpty())
        << p;
  }
}

// early_release: a stay that ended after required_since (01-27 10:00) and no
// stay open: reported instead of unplaced, since = the latest such end.
// at 01-30 00:00 (past the 01-28 10:00 deadline).
// p1 centralized 01-27 12:00 - 01-29 08:00: early_release since 01-29 08:00.
// p2 home 01-26 10:00 - 01-27 10:00 (ends at required_since, not after):
//    unplaced since 01-28 10:00.
// p3 home 01-26 10:00 - 01-27 10:00:01: early_release since 01-27 10:00:01.
// p4 centralized 01-27 12:00 - 01-28 08:00 and 01-28 10:00 - 01-29 09:00:
//    early_release since the latest end, 01-29 09:00.
TEST_F(PlacementTest, EarlyReleaseReplacesUnplaced) {
  for (const char* p : {"p1", "p2", "p3", "p4"}) Contact24(p);
  Start("p1", Hosp(), kCentralized);
  End("p1", At(2020, 1, 29, 8));
  Start("p2", At(2020, 1, 26, 10), kHome);
  End("p2", Diag());
  Start("p3", At(2020, 1, 26, 10), kHome);
  End("p3", Diag() + absl::Seconds(1));
  Start("p4", Hosp(), kCentralized);
  End("p4", At(2020, 1, 28, 8));
  Start("p4", At(2020, 1, 28, 10), kCentralized);
  End("p4", At(2020, 1, 29, 9));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 30)));
  EXPECT_THAT(LoopSinces(*tracer, "p1", LoopKind::kEarlyRelease),
              ElementsAre(At(2020, 1, 29, 8)));
  EXPECT_THAT(LoopSinces(*tracer, "p1", LoopKind::kUnplaced), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "p2", LoopKind::kEarlyRelease), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "p2", LoopKind::kUnplaced),
              ElementsAre(At(2020, 1, 28, 10)));
  EXPECT_THAT(LoopSinces(*tracer, "p3", LoopKind::kEarlyRelease),
              ElementsAre(Diag() + absl::Seconds(1)));
  EXPECT_THAT(LoopSinces(*tracer, "p3", LoopKind::kUnplaced), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "p4", LoopKind::kEarlyRelease),
              ElementsAre(At(2020, 1, 29, 9)));
  EXPECT_THAT(LoopSinces(*tracer, "p4", LoopKind::kUnplaced), IsEmpty());
  ExpectSorted(*tracer);
}

// early_release does not wait for the placement deadline, and needs no stay
// open. at 01-27 20:00 (before 01-28 10:00):
// p1 centralized 01-27 12:00 - 18:00: early_release since 18:00.
// p5 centralized 01-27 12:00 - 14:00, then home from 15:00 (open): neither
//    early_release nor unplaced (and no missed_check: 5 h < 12 h).
TEST_F(PlacementTest, EarlyReleaseNeedsNoDeadlineButNoOpenStay) {
  Contact24("p1");
  Contact24("p5");
  Start("p1", Hosp(), kCentralized);
  End("p1", At(2020, 1, 27, 18));
  Start("p5", Hosp(), kCentralized);
  End("p5", At(2020, 1, 27, 14));
  Start("p5", At(2020, 1, 27, 15), kHome);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 27, 20)));
  EXPECT_THAT(LoopSinces(*tracer, "p1", LoopKind::kEarlyRelease),
              ElementsAre(At(2020, 1, 27, 18)));
  EXPECT_THAT(LoopKindsOf(*tracer, "p5"), IsEmpty());
}

// Secondary contacts are contacts too: china-2022, p1 (h2) exposed to c1
// [01-24 10:00, 11:00], s1 exposed to p1 [01-25 10:00, 11:00]:
// required_since(s1) = max(01-27 10:00, 01-25 10:00) = 01-27 10:00, so
// unplaced since 01-28 10:00.
TEST_F(PlacementTest, SecondaryContactsCanBeUnplaced) {
  Contact24("p1");
  Register("s1", "h4");
  Expose("p1", "s1", At(2020, 1, 25, 10), At(2020, 1, 25, 11));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       Trace(At(2020, 1, 28, 9, 59, 59), "china-2022"));
  EXPECT_THAT(LoopSinces(*before, "s1", LoopKind::kUnplaced), IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> at,
                       Trace(At(2020, 1, 28, 10), "china-2022"));
  EXPECT_THAT(LoopSinces(*at, "s1", LoopKind::kUnplaced),
              ElementsAre(At(2020, 1, 28, 10)));
}

// A continuous (household) contact is in the roster and can be unplaced:
// c9 (h3) a standard case never removed, m9 (h3) required since
// max(01-27 10:00, ws) = 01-27 10:00: unplaced from 01-28 10:00.
TEST_F(PlacementTest, ContinuousContactCanBeUnplaced) {
  Register("c9", "h3");
  Register("m9", "h3");
  StandardCase("c9");

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       Trace(At(2020, 1, 28, 9, 59, 59)));
  EXPECT_THAT(LoopSinces(*before, "m9", LoopKind::kUnplaced), IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> at, Trace(At(2020, 1, 28, 10)));
  EXPECT_THAT(LoopSinces(*at, "m9", LoopKind::kUnplaced),
              ElementsAre(At(2020, 1, 28, 10)));
  ExpectEntry(*at, "m9", ContinuousContact("c9", At(2020, 1, 28, 10)));
}

// ===========================================================================
// unisolated_case.

using UnisolatedCaseTest = TracingTest;

// An active case not removed at `at`, with `at` >= diagnosis time + 24 h.
// c1 (h1) standard case, no stay: since 01-28 10:00; at 01-28 09:59:59
//   nothing, at 01-28 10:00 the loop.
// c2 (h2) standard case, home from 01-27 12:00 (does not remove): the same.
// c3 (h4) standard case, hospital from 01-28 09:00: removed, nothing.
// c4 suspected 01-26 10:00, confirmed 01-27 08:00: diagnosis time 01-27
//   08:00 (suspected is no case status): since 01-28 08:00.
// c5 standard case, recovered 01-28 08:00: not active, nothing.
TEST_F(UnisolatedCaseTest, FromDiagnosisTimePlusPlacementDeadline) {
  Register("c1", "h1");
  Register("c2", "h2");
  Register("c3", "h4");
  Register("c4");
  Register("c5");
  StandardCase("c1");
  StandardCase("c2");
  Start("c2", Hosp(), kHome);
  StandardCase("c3");
  Start("c3", At(2020, 1, 28, 9), kHospital);
  Diagnose("c4", At(2020, 1, 26, 10), v1::DIAGNOSIS_STATUS_SUSPECTED);
  Diagnose("c4", At(2020, 1, 27, 8));
  StandardCase("c5");
  Diagnose("c5", At(2020, 1, 28, 8), v1::DIAGNOSIS_STATUS_RECOVERED);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       Trace(At(2020, 1, 28, 9, 59, 59)));
  EXPECT_THAT(LoopSinces(*before, "c1", LoopKind::kUnisolatedCase), IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> at, Trace(At(2020, 1, 28, 10)));
  EXPECT_THAT(LoopSinces(*at, "c1", LoopKind::kUnisolatedCase),
              ElementsAre(At(2020, 1, 28, 10)));
  EXPECT_THAT(LoopSinces(*at, "c2", LoopKind::kUnisolatedCase),
              ElementsAre(At(2020, 1, 28, 10)));
  EXPECT_THAT(LoopSinces(*at, "c3", LoopKind::kUnisolatedCase), IsEmpty());
  EXPECT_THAT(LoopSinces(*at, "c4", LoopKind::kUnisolatedCase),
              ElementsAre(At(2020, 1, 28, 8)));
  EXPECT_THAT(LoopSinces(*at, "c5", LoopKind::kUnisolatedCase), IsEmpty());
  ExpectSorted(*at);
}

// ===========================================================================
// missed_check, per preset (check_interval 12 h or 24 h).

using MissedCheckPresetTest = TracingPresetTest;

// I = check_interval; S = 01-28 08:00. A gap when at - max(last check,
// stay start) > I (strictly); since = that max + I.
// p1 centralized from S, no check: at S + I nothing, at S + I + 1 s since
//   S + I.
// r1 centralized from S, a check at S - 1 h (before the stay: max is S) and
//   one at S + I + 1 h (after at: not seen): the same as p1.
// q1 centralized from S, a check at S + 5 h: at S + 5 h + I nothing, +1 s
//   since S + 5 h + I.
TEST_P(MissedCheckPresetTest, GapLongerThanTheCheckInterval) {
  const absl::Duration interval = table().check_interval;
  const absl::Time s = At(2020, 1, 28, 8);
  for (const char* p : {"p1", "q1", "r1"}) {
    Register(p, "h4");
    Start(p, s, kCentralized);
  }
  Check("r1", s - absl::Hours(1));
  Check("r1", s + interval + absl::Hours(1));
  Check("q1", s + absl::Hours(5));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> equal, TraceP(s + interval));
  EXPECT_THAT(LoopSinces(*equal, "p1", LoopKind::kMissedCheck), IsEmpty());
  EXPECT_THAT(LoopSinces(*equal, "r1", LoopKind::kMissedCheck), IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> over,
                       TraceP(s + interval + absl::Seconds(1)));
  EXPECT_THAT(LoopSinces(*over, "p1", LoopKind::kMissedCheck),
              ElementsAre(s + interval));
  EXPECT_THAT(LoopSinces(*over, "r1", LoopKind::kMissedCheck),
              ElementsAre(s + interval));
  EXPECT_THAT(LoopSinces(*over, "q1", LoopKind::kMissedCheck), IsEmpty());

  const absl::Time checked = s + absl::Hours(5);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> q_equal,
                       TraceP(checked + interval));
  EXPECT_THAT(LoopSinces(*q_equal, "q1", LoopKind::kMissedCheck), IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> q_over,
                       TraceP(checked + interval + absl::Seconds(1)));
  EXPECT_THAT(LoopSinces(*q_over, "q1", LoopKind::kMissedCheck),
              ElementsAre(checked + interval));
}

// Cases in hospital are checked too: c1 in hospital from 01-27 12:00, no
// check: at 12:00 + I nothing, at 12:00 + I + 1 s missed_check since
// 12:00 + I.
TEST_P(MissedCheckPresetTest, CasesInHospitalAreIncluded) {
  Register("c1", "h1");
  StandardCase("c1");
  Start("c1", Hosp(), kHospital);
  const absl::Duration interval = table().check_interval;

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> equal,
                       TraceP(Hosp() + interval));
  EXPECT_THAT(LoopSinces(*equal, "c1", LoopKind::kMissedCheck), IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> over,
                       TraceP(Hosp() + interval + absl::Seconds(1)));
  EXPECT_THAT(LoopSinces(*over, "c1", LoopKind::kMissedCheck),
              ElementsAre(Hosp() + interval));
}

// A person whose stay has ended has no missed_check: p1 centralized 01-28
// 08:00 - 01-28 09:00, at 01-30: nothing.
TEST_P(MissedCheckPresetTest, NoStayNoMissedCheck) {
  Register("p1", "h4");
  Start("p1", At(2020, 1, 28, 8), kCentralized);
  End("p1", At(2020, 1, 28, 9));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, TraceP(At(2020, 1, 30)));
  EXPECT_THAT(LoopSinces(*tracer, "p1", LoopKind::kMissedCheck), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Presets, MissedCheckPresetTest,
                         ::testing::ValuesIn(PresetTables()), PresetParamName);

// ===========================================================================
// fever_not_escalated, per preset (threshold 37.3 / 38.0 °C; deadline 2 h /
// 24 h).

using FeverPresetTest = TracingPresetTest;

// t = 01-28 08:00, T = fever threshold, E = escalation deadline,
// at = t + E + 1 s (one gap per person; since = t + E):
// f1 check at T (>= T: fever), no diagnosis: gap.
// f2 check at T - 0.1: no fever: nothing.
// f3 check at 36.6 with a symptom: gap.
// f4 fever, suspected diagnosis at exactly t (in [t, at]): nothing.
// f5 fever, diagnosis (cleared) at t - 1 s (before t): gap.
// f6 fever, diagnosis at t + E (in [t, at]): nothing.
// f7 fever, diagnosis at at + 1 s (after at): gap.
// f8 fever at t and again at t + 1 h: one gap, from the earliest check.
// And at = t + E (not > E): no gap for f1.
TEST_P(FeverPresetTest, FeverNotEscalatedAfterTheEscalationDeadline) {
  const absl::Time t = At(2020, 1, 28, 8);
  const absl::Duration deadline = table().escalation_deadline;
  const double threshold = table().fever_threshold;
  const absl::Time at = t + deadline + absl::Seconds(1);
  for (const char* p : {"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"}) {
    Register(p, "h4");
  }
  Check("f1", t, threshold);
  Check("f2", t, threshold - 0.1);
  Check("f3", t, 36.6, {"cough"});
  Check("f4", t, threshold);
  Diagnose("f4", t, v1::DIAGNOSIS_STATUS_SUSPECTED);
  Check("f5", t, threshold);
  Diagnose("f5", t - absl::Seconds(1), v1::DIAGNOSIS_STATUS_CLEARED);
  Check("f6", t, threshold);
  Diagnose("f6", t + deadline, v1::DIAGNOSIS_STATUS_CLEARED);
  Check("f7", t, threshold);
  Diagnose("f7", at + absl::Seconds(1), v1::DIAGNOSIS_STATUS_CLEARED);
  Check("f8", t, threshold);
  Check("f8", t + absl::Hours(1), threshold + 1.0);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, TraceP(at));
  const absl::Time since = t + deadline;
  const LoopKind kind = LoopKind::kFeverNotEscalated;
  EXPECT_THAT(LoopSinces(*tracer, "f1", kind), ElementsAre(since));
  EXPECT_THAT(LoopSinces(*tracer, "f2", kind), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "f3", kind), ElementsAre(since));
  EXPECT_THAT(LoopSinces(*tracer, "f4", kind), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "f5", kind), ElementsAre(since));
  EXPECT_THAT(LoopSinces(*tracer, "f6", kind), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "f7", kind), ElementsAre(since));
  EXPECT_THAT(LoopSinces(*tracer, "f8", kind), ElementsAre(since));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> equal, TraceP(t + deadline));
  EXPECT_THAT(LoopSinces(*equal, "f1", kind), IsEmpty());
}

// "temperature >= fever_threshold" is a comparison of the recorded value:
// a check at T - 0.004 °C (37.296 / 37.996, a valid reading) is below the
// threshold and is no fever, however close; T + 0.004 is one.
// at = t + E + 1 s.
TEST_P(FeverPresetTest, ThresholdIsComparedWithTheRecordedTemperature) {
  const absl::Time t = At(2020, 1, 28, 8);
  const double threshold = table().fever_threshold;
  Register("below", "h4");
  Register("above", "h4");
  Check("below", t, threshold - 0.004);
  Check("above", t, threshold + 0.004);

  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Tracer> tracer,
      TraceP(t + table().escalation_deadline + absl::Seconds(1)));
  EXPECT_THAT(LoopSinces(*tracer, "below", LoopKind::kFeverNotEscalated),
              IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "above", LoopKind::kFeverNotEscalated),
              ElementsAre(t + table().escalation_deadline));
}

// The other presets' thresholds by hand: 37.5 °C is a fever for china-2020
// and china-2022 (37.3) but not for who-2020 and cdc-2020 (38.0).
TEST_P(FeverPresetTest, ThresholdDiffersByPreset) {
  const absl::Time t = At(2020, 1, 28, 8);
  Register("f1", "h4");
  Check("f1", t, 37.5);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       TraceP(t + absl::Hours(25)));
  const bool fever =
      table().name == "china-2020" || table().name == "china-2022";
  EXPECT_EQ(LoopSinces(*tracer, "f1", LoopKind::kFeverNotEscalated).size(),
            fever ? 1u : 0u);
}

INSTANTIATE_TEST_SUITE_P(Presets, FeverPresetTest,
                         ::testing::ValuesIn(PresetTables()), PresetParamName);

// ===========================================================================
// no_owner.

using NoOwnerTest = TracingTest;

// In the roster with no household, or a household with no responsible
// worker; since = required_since (cases: diagnosis time). at 01-28 00:00.
// c1 (h1, worker w1) in hospital; m1 (h1): nothing.
// p1 (h2, worker w2) contact: nothing.
// p3 (h3, no worker) contact exposed [01-24 10:00, 11:00]: since 01-27 10:00.
// p5 (no household, area v1) contact: since 01-27 10:00.
// u1 (never registered) contact: no_owner since 01-27 10:00, and
//    unregistered since its exposure's start 01-24 10:00.
// c3 (h5: v2, no worker) confirmed 01-27 15:00 with onset 01-26: no_owner
//    since its diagnosis time 01-27 15:00.
// x3 (h3) in no roster: nothing.
TEST_F(NoOwnerTest, RosterMembersWithoutAResponsibleWorker) {
  Add(MakeHousehold("h5", "v2", ""));
  Register("c1", "h1");
  Register("m1", "h1");
  Register("p1", "h2");
  Register("p3", "h3");
  Register("p5", "", "v1");
  Register("c3", "h5");
  Register("x3", "h3");
  StandardCase("c1");
  Start("c1", Hosp(), kHospital);
  for (const char* p : {"p1", "p3", "p5", "u1"}) {
    Expose("c1", p, At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  }
  DiagnoseWithOnset("c3", At(2020, 1, 27, 15), CivilDay(2020, 1, 26));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  const LoopKind kind = LoopKind::kNoOwner;
  EXPECT_THAT(LoopSinces(*tracer, "c1", kind), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "m1", kind), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "p1", kind), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "p3", kind), ElementsAre(Diag()));
  EXPECT_THAT(LoopSinces(*tracer, "p5", kind), ElementsAre(Diag()));
  EXPECT_THAT(LoopSinces(*tracer, "u1", kind), ElementsAre(Diag()));
  EXPECT_THAT(LoopSinces(*tracer, "u1", LoopKind::kUnregistered),
              ElementsAre(At(2020, 1, 24, 10)));
  EXPECT_THAT(LoopSinces(*tracer, "c3", kind),
              ElementsAre(At(2020, 1, 27, 15)));
  EXPECT_THAT(LoopKindsOf(*tracer, "x3"), IsEmpty());
  ExpectSorted(*tracer);
}

// The current household version applies at every event time (section 2):
// h3 gets worker w3 by an upsert recorded at 01-28 12:00. p3 (h3) contact.
// at 01-28 00:00 (event time before that record time):
// known_at 01-28 11:59:59: no worker yet: no_owner since 01-27 10:00.
// everything recorded: w3 answers for h3 at every event time: nothing.
TEST_F(NoOwnerTest, FollowsTheCurrentHouseholdVersion) {
  Register("c1", "h1");
  Register("p3", "h3");
  StandardCase("c1");
  Start("c1", Hosp(), kHospital);
  Expose("c1", "p3", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  AddAt(At(2020, 1, 28, 12), MakeHousehold("h3", "v2", "w3"));

  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Tracer> before,
      Trace(At(2020, 1, 28), "china-2020", At(2020, 1, 28, 11, 59, 59)));
  EXPECT_THAT(LoopSinces(*before, "p3", LoopKind::kNoOwner),
              ElementsAre(Diag()));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> after, Trace(At(2020, 1, 28)));
  EXPECT_THAT(LoopSinces(*after, "p3", LoopKind::kNoOwner), IsEmpty());
}

// ===========================================================================
// checkpoint_breach.

using CheckpointBreachTest = TracingTest;

// One gap per passage at t <= at by a person with a stay open at t or in the
// roster computed at t; since = t. at 02-09 00:00, china-2020.
// c1 standard case, hospital from 01-27 12:00; passes 01-27 10:30 (an active
//    case in the roster): breach.
// p1 (h2) exposed to c1 [01-24 10:00, 11:00] (until 02-07) passes
//    "north-gate" at 01-26 12:00 (c1 not yet a case: no), 01-27 11:00 (yes),
//    01-28 09:00 (yes), 02-07 23:59:59 (last roster day: yes), 02-08 00:00
//    (out of the roster: no), 02-10 00:00 (after at: not seen).
// x (h4), in no roster, home 01-28 08:00 - 01-29 08:00, passes 01-28
//    07:59:59 (no), 01-28 08:00 (stay open: yes), 01-29 08:00 (ended: no).
TEST_F(CheckpointBreachTest, WhileInAStayOrInTheRosterAtThePassage) {
  Register("c1", "h1");
  Register("p1", "h2");
  Register("x", "h4");
  StandardCase("c1");
  Start("c1", Hosp(), kHospital);
  Pass("c1", At(2020, 1, 27, 10, 30));
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  for (const absl::Time t :
       {At(2020, 1, 26, 12), At(2020, 1, 27, 11), At(2020, 1, 28, 9),
        At(2020, 2, 7, 23, 59, 59), At(2020, 2, 8), At(2020, 2, 10)}) {
    Pass("p1", t, "north-gate");
  }
  Start("x", At(2020, 1, 28, 8), kHome);
  End("x", At(2020, 1, 29, 8));
  Pass("x", At(2020, 1, 28, 7, 59, 59));
  Pass("x", At(2020, 1, 28, 8));
  Pass("x", At(2020, 1, 29, 8));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 2, 9)));
  const LoopKind kind = LoopKind::kCheckpointBreach;
  EXPECT_THAT(LoopSinces(*tracer, "c1", kind),
              ElementsAre(At(2020, 1, 27, 10, 30)));
  EXPECT_THAT(LoopSinces(*tracer, "p1", kind),
              ElementsAre(At(2020, 1, 27, 11), At(2020, 1, 28, 9),
                          At(2020, 2, 7, 23, 59, 59)));
  EXPECT_THAT(LoopSinces(*tracer, "x", kind), ElementsAre(At(2020, 1, 28, 8)));
  for (const OpenLoop& loop : tracer->OpenLoops()) {
    if (loop.person_id == "p1" && loop.kind == kind) {
      EXPECT_THAT(loop.detail, HasSubstr("north-gate"));
    }
  }
  ExpectSorted(*tracer);
}

// ===========================================================================
// unregistered.

using UnregisteredTest = TracingTest;

// A person id referenced by a visible event timed at or before `at` with no
// visible Person version; since = the earliest such time (an exposure's
// start). at 01-28 00:00.
// u1: exposure to c1 [01-24 10:00, 11:00] and a check at 01-23 09:00:
//     since 01-23 09:00.
// u2: only a passage at 01-29 (after at): nothing.
// u3: a cleared diagnosis at 01-25 10:00, registered by a Person recorded at
//     01-28 12:00: nothing with everything recorded; with known_at
//     01-28 11:59:59 since 01-25 10:00.
// u4: exposure to p1 (no case) [01-22 10:00, 01-27 10:00]: since its start
//     01-22 10:00.
// u5: a quarantine start at 01-26 00:00: since 01-26 00:00.
TEST_F(UnregisteredTest, SinceTheFirstReferencingEvent) {
  Register("c1", "h1");
  Register("p1", "h2");
  StandardCase("c1");
  Expose("c1", "u1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Check("u1", At(2020, 1, 23, 9));
  Pass("u2", At(2020, 1, 29));
  Diagnose("u3", At(2020, 1, 25, 10), v1::DIAGNOSIS_STATUS_CLEARED);
  Expose("u4", "p1", At(2020, 1, 22, 10), At(2020, 1, 27, 10));
  Start("u5", At(2020, 1, 26), kHome);
  AddAt(At(2020, 1, 28, 12), MakePerson("u3", "h4"));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  const LoopKind kind = LoopKind::kUnregistered;
  EXPECT_THAT(LoopSinces(*tracer, "u1", kind), ElementsAre(At(2020, 1, 23, 9)));
  EXPECT_THAT(LoopSinces(*tracer, "u2", kind), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "u3", kind), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "u4", kind),
              ElementsAre(At(2020, 1, 22, 10)));
  EXPECT_THAT(LoopSinces(*tracer, "u5", kind), ElementsAre(At(2020, 1, 26)));
  EXPECT_THAT(LoopSinces(*tracer, "c1", kind), IsEmpty());
  EXPECT_THAT(LoopSinces(*tracer, "p1", kind), IsEmpty());

  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Tracer> before,
      Trace(At(2020, 1, 28), "china-2020", At(2020, 1, 28, 11, 59, 59)));
  EXPECT_THAT(LoopSinces(*before, "u3", kind),
              ElementsAre(At(2020, 1, 25, 10)));
  ExpectSorted(*tracer);
}

}  // namespace
}  // namespace testutil
}  // namespace contactledger
