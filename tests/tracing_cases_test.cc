// Copyright 2026 The ContactLedger Authors.
//
// docs/rules.md sections 3 (cases) and 4 (removal), and the `at` / `known_at`
// views of section 1 as the Tracer applies them; Tracer::Create; the policy
// functions of section 9 (PolicyPreset, PolicyPresetNames, ValidatePolicy,
// ParsePolicy).
//
// Every test is worked out by hand above it. The world is the one of
// tests/tracing_test_util.h: c1 in household h1 is confirmed 2020-01-27
// 10:00 UTC with onset 2020-01-25, so ws(c1) = 2020-01-23 00:00; unless said
// otherwise the policy is china-2020 (14 days centralized, min_exposure 0).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "contactledger/v1/policy.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
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
using ::testing::UnorderedElementsAre;

constexpr v1::QuarantinePlace kHospital = v1::QUARANTINE_PLACE_HOSPITAL;
constexpr v1::QuarantinePlace kCentralized = v1::QUARANTINE_PLACE_CENTRALIZED;
constexpr v1::QuarantinePlace kHome = v1::QUARANTINE_PLACE_HOME;

// ===========================================================================
// Section 3: cases.

class TracingCasesTest : public TracingTest {
 protected:
  // c1 (h1) with `status` at 01-27 10:00 and onset 01-25; p1 (h2) exposed to
  // c1 on 01-26 10:00-11:00.
  void CaseWithOneContact(v1::DiagnosisStatus status) {
    Register("c1", "h1");
    Register("p1", "h2");
    DiagnoseWithOnset("c1", Diag(), CivilDay(2020, 1, 25), status);
    Expose("c1", "p1", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
  }
};

// c1 confirmed at 01-27 10:00 (no onset). A diagnosis sets the status at its
// event time, so at 09:59:59 nobody is a case; at 10:00 c1 is an active case:
// role case, place hospital, required_since = diagnosis time 10:00, no until.
TEST_F(TracingCasesTest, ConfirmedDiagnosisMakesAnActiveCaseAtItsEventTime) {
  Register("c1", "h1");
  Diagnose("c1", Diag());

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       Trace(Diag() - absl::Seconds(1)));
  EXPECT_THAT(RosterIds(*before), IsEmpty());

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> at, Trace(Diag()));
  EXPECT_THAT(RosterIds(*at), ElementsAre("c1"));
  ExpectEntry(*at, "c1", ActiveCase(Diag()));
}

// Asymptomatic is an active status: c1 asymptomatic at 01-27 10:00 is in the
// roster at 11:00 as a case in hospital, required since 10:00.
TEST_F(TracingCasesTest, AsymptomaticIsAnActiveCase) {
  Register("c1", "h1");
  Diagnose("c1", Diag(), v1::DIAGNOSIS_STATUS_ASYMPTOMATIC);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(Diag() + absl::Hours(1)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1"));
  ExpectEntry(*tracer, "c1", ActiveCase(Diag()));
}

// Recovered is an index status but not an active one.
// c1 confirmed 01-27 10:00 onset 01-25 (ws 01-23 00:00, no stay: we = +inf);
// p1 exposed 01-26 10:00-11:00: qualifies, last exposure 01-26 11:00,
// until = 01-26 + 14 = 02-09. c1 recovers 02-05 10:00.
// At 02-06 00:00: c1 is an index case (p1 still traced: 02-09 >= 02-06) but
// not active (not in the roster).
TEST_F(TracingCasesTest, RecoveredCaseStillHasContactsButIsNotInTheRoster) {
  CaseWithOneContact(v1::DIAGNOSIS_STATUS_CONFIRMED);
  Diagnose("c1", At(2020, 2, 5, 10), v1::DIAGNOSIS_STATUS_RECOVERED);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 2, 6)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("p1"));
  ExpectEntry(*tracer, "p1",
              Contact("c1", At(2020, 1, 26, 11), CivilDay(2020, 2, 9)));
}

// As above with deceased (02-05 10:00): at 02-06 only p1 is in the roster.
TEST_F(TracingCasesTest, DeceasedCaseStillHasContactsButIsNotInTheRoster) {
  CaseWithOneContact(v1::DIAGNOSIS_STATUS_CONFIRMED);
  Diagnose("c1", At(2020, 2, 5, 10), v1::DIAGNOSIS_STATUS_DECEASED);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 2, 6)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("p1"));
  ExpectEntry(*tracer, "p1",
              Contact("c1", At(2020, 1, 26, 11), CivilDay(2020, 2, 9)));
}

// A person whose only diagnosis is `recovered` (a case found late) is an
// index case: p1 exposed 01-26 10:00-11:00, c1 recovered 01-27 10:00 with
// onset 01-25 -> ws 01-23; p1 until 02-09; c1 itself is not active.
TEST_F(TracingCasesTest, RecoveredOnlyDiagnosisIsAnIndexCase) {
  CaseWithOneContact(v1::DIAGNOSIS_STATUS_RECOVERED);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("p1"));
  ExpectEntry(*tracer, "p1",
              Contact("c1", At(2020, 1, 26, 11), CivilDay(2020, 2, 9)));
}

// c1 suspected 01-27 10:00 onset 01-25; p1 exposed 01-26 10:00-11:00.
// china-2020 does not trace suspected cases: at 01-28 nobody is in the roster
// and p1 has no role. The same policy with trace_suspected: c1 is an active
// case (hospital, required since 10:00) and p1 a close contact until 02-09.
TEST_F(TracingCasesTest, SuspectedIsACaseOnlyWhenThePolicyTracesSuspected) {
  CaseWithOneContact(v1::DIAGNOSIS_STATUS_SUSPECTED);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> untraced,
                       Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*untraced), IsEmpty());
  ASSERT_OK_AND_ASSIGN(Explanation p1, untraced->Explain("p1"));
  EXPECT_FALSE(p1.in_roster);
  EXPECT_FALSE(p1.role.has_value());

  v1::Policy policy = MustPreset("china-2020");
  policy.set_trace_suspected(true);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> traced,
                       TraceWith(At(2020, 1, 28), policy));
  EXPECT_THAT(RosterIds(*traced), ElementsAre("c1", "p1"));
  ExpectEntry(*traced, "c1", ActiveCase(Diag()));
  ExpectEntry(*traced, "p1",
              Contact("c1", At(2020, 1, 26, 11), CivilDay(2020, 2, 9)));
}

// c1 confirmed 01-27 10:00 (onset 01-25), cleared 01-28 10:00; p1 exposed
// 01-26. At 01-28 09:59:59 the latest status is confirmed: c1 and p1 in the
// roster. At 01-28 10:00 it is cleared: no index case, empty roster.
TEST_F(TracingCasesTest, ClearedDiagnosisEndsTheCase) {
  CaseWithOneContact(v1::DIAGNOSIS_STATUS_CONFIRMED);
  Diagnose("c1", At(2020, 1, 28, 10), v1::DIAGNOSIS_STATUS_CLEARED);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       Trace(At(2020, 1, 28, 9, 59, 59)));
  EXPECT_THAT(RosterIds(*before), ElementsAre("c1", "p1"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> after,
                       Trace(At(2020, 1, 28, 10)));
  EXPECT_THAT(RosterIds(*after), IsEmpty());
}

// Two diagnoses with the same event time: the later sequence number is the
// latest (docs/rules.md section 3).
// ca: confirmed then cleared, both at 01-27 10:00 -> latest cleared, no case.
// cb: cleared then confirmed at 01-27 10:00 -> latest confirmed, active case.
TEST_F(TracingCasesTest, DiagnosesAtTheSameTimeTieToTheLaterSequenceNumber) {
  Register("ca", "h1");
  Register("cb", "h4");
  Diagnose("ca", Diag(), v1::DIAGNOSIS_STATUS_CONFIRMED);
  Diagnose("ca", Diag(), v1::DIAGNOSIS_STATUS_CLEARED);
  Diagnose("cb", Diag(), v1::DIAGNOSIS_STATUS_CLEARED);
  Diagnose("cb", Diag(), v1::DIAGNOSIS_STATUS_CONFIRMED);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("cb"));
}

// Onset comes from the latest diagnosis (at or before `at`) carrying one.
// c1 confirmed 01-27 10:00 onset 01-25 (ws 01-23 00:00); re-diagnosed
// confirmed 01-28 10:00 with onset 01-24 (ws 01-22 00:00).
// p1 exposed [01-21 23:00, 01-22 00:00]: ends exactly at the revised ws.
// at 01-28 09:59:59: the revision has not happened, ws = 01-23, e.end < ws:
//   p1 is not a contact.
// at 01-28 10:00: ws = 01-22, e.end >= ws: qualifies; last exposure
//   01-22 00:00; until = 01-22 + 14 = 02-05 >= 01-28: in the roster.
TEST_F(TracingCasesTest, OnsetComesFromTheLatestDiagnosisCarryingOne) {
  Register("c1", "h1");
  Register("p1", "h2");
  StandardCase("c1");
  DiagnoseWithOnset("c1", At(2020, 1, 28, 10), CivilDay(2020, 1, 24));
  Expose("c1", "p1", At(2020, 1, 21, 23), At(2020, 1, 22));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       Trace(At(2020, 1, 28, 9, 59, 59)));
  EXPECT_THAT(RosterIds(*before), ElementsAre("c1"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> after,
                       Trace(At(2020, 1, 28, 10)));
  EXPECT_THAT(RosterIds(*after), ElementsAre("c1", "p1"));
  ExpectEntry(*after, "p1",
              Contact("c1", At(2020, 1, 22), CivilDay(2020, 2, 5)));
}

// A later diagnosis without an onset keeps the earlier onset.
// c1 confirmed 01-27 10:00 onset 01-25, confirmed again 01-29 10:00 without
// onset: onset stays 01-25, ws = 01-23 00:00. p1 exposed
// [01-22 23:00, 01-23 00:00] qualifies; until = 01-23 + 14 = 02-06.
// (Falling back to the diagnosis time would give ws = 01-25 10:00.)
TEST_F(TracingCasesTest, DiagnosisWithoutOnsetKeepsTheEarlierOnset) {
  Register("c1", "h1");
  Register("p1", "h2");
  StandardCase("c1");
  Diagnose("c1", At(2020, 1, 29, 10));
  Expose("c1", "p1", At(2020, 1, 22, 23), Ws());

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 29, 12)));
  ExpectEntry(*tracer, "p1", Contact("c1", Ws(), CivilDay(2020, 2, 6)));
}

// With no onset anywhere, onset = diagnosis time = the event time of the
// earliest diagnosis with a case status.
// c1: suspected 01-26 10:00, confirmed 01-27 10:00, confirmed 01-28 10:00.
// china-2020 (suspected is no case status): onset 01-27 10:00,
//   ws = 01-25 10:00, diagnosis time 01-27 10:00.
// trace_suspected: onset 01-26 10:00, ws = 01-24 10:00, diagnosis time
//   01-26 10:00.
// p1 [01-25 09:00, 01-25 10:00]    ends at ws(china-2020): both policies
//                                   (until 01-25 + 14 = 02-08).
// p2 [01-25 09:00, 01-25 09:59:59] only with trace_suspected (02-08).
// p3 [01-24 09:00, 01-24 10:00]    ends at ws(traced): only traced (02-07).
// p4 [01-24 09:00, 01-24 09:59:59] neither.
// at 01-28 12:00.
TEST_F(TracingCasesTest, OnsetDefaultsToTheEarliestCaseDiagnosisTime) {
  Register("c1", "h1");
  for (const char* p : {"p1", "p2", "p3", "p4"}) Register(p, "h2");
  Diagnose("c1", At(2020, 1, 26, 10), v1::DIAGNOSIS_STATUS_SUSPECTED);
  Diagnose("c1", At(2020, 1, 27, 10));
  Diagnose("c1", At(2020, 1, 28, 10));
  Expose("c1", "p1", At(2020, 1, 25, 9), At(2020, 1, 25, 10));
  Expose("c1", "p2", At(2020, 1, 25, 9), At(2020, 1, 25, 9, 59, 59));
  Expose("c1", "p3", At(2020, 1, 24, 9), At(2020, 1, 24, 10));
  Expose("c1", "p4", At(2020, 1, 24, 9), At(2020, 1, 24, 9, 59, 59));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> china,
                       Trace(At(2020, 1, 28, 12)));
  EXPECT_THAT(RosterIds(*china), ElementsAre("c1", "p1"));
  ExpectEntry(*china, "c1", ActiveCase(At(2020, 1, 27, 10)));
  ExpectEntry(*china, "p1",
              Contact("c1", At(2020, 1, 25, 10), CivilDay(2020, 2, 8)));

  v1::Policy policy = MustPreset("china-2020");
  policy.set_trace_suspected(true);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> traced,
                       TraceWith(At(2020, 1, 28, 12), policy));
  EXPECT_THAT(RosterIds(*traced), ElementsAre("c1", "p1", "p2", "p3"));
  ExpectEntry(*traced, "c1", ActiveCase(At(2020, 1, 26, 10)));
  ExpectEntry(*traced, "p2",
              Contact("c1", At(2020, 1, 25, 9, 59, 59), CivilDay(2020, 2, 8)));
  ExpectEntry(*traced, "p3",
              Contact("c1", At(2020, 1, 24, 10), CivilDay(2020, 2, 7)));
}

// ===========================================================================
// Section 4: removal.

class TracingRemovalTest : public TracingTest {
 protected:
  // c1 (standard case) and its household member m1, both in h1.
  void SetUp() override {
    Register("c1", "h1");
    Register("m1", "h1");
    StandardCase("c1");
  }
};

// c1 in hospital from 01-27 12:00: we = removal(c1, ws) = max(12:00, ws) =
// 01-27 12:00.
// p1 [01-27 12:00, 13:00]: start == we, not < we: does not qualify.
// p2 [01-27 11:59:59, 12:30]: start < we: qualifies; last exposure
//   min(12:30, we) = 12:00; until = 01-27 + 14 = 02-10.
// m1: household, last exposure min(we, at) = 12:00, not continuous, 02-10.
// at 01-28 00:00.
TEST_F(TracingRemovalTest, HospitalStayClosesTheWindowAtItsStart) {
  Register("p1", "h2");
  Register("p2", "h2");
  Start("c1", Hosp(), kHospital);
  Expose("c1", "p1", Hosp(), At(2020, 1, 27, 13));
  Expose("c1", "p2", Hosp() - absl::Seconds(1), At(2020, 1, 27, 12, 30));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "m1", "p2"));
  ExpectEntry(*tracer, "p2", Contact("c1", Hosp(), CivilDay(2020, 2, 10)));
  ExpectEntry(*tracer, "m1", Contact("c1", Hosp(), CivilDay(2020, 2, 10)));
}

// The same with a centralized stay from 01-27 12:00: it removes as well.
TEST_F(TracingRemovalTest, CentralizedStayClosesTheWindowAtItsStart) {
  Register("p1", "h2");
  Register("p2", "h2");
  Start("c1", Hosp(), kCentralized);
  Expose("c1", "p1", Hosp(), At(2020, 1, 27, 13));
  Expose("c1", "p2", Hosp() - absl::Seconds(1), At(2020, 1, 27, 12, 30));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "m1", "p2"));
  ExpectEntry(*tracer, "p2", Contact("c1", Hosp(), CivilDay(2020, 2, 10)));
  ExpectEntry(*tracer, "m1", Contact("c1", Hosp(), CivilDay(2020, 2, 10)));
}

// A home stay from 01-27 12:00 does not remove: we = +inf.
// p1 [01-28 08:00, 09:00] qualifies: last exposure 09:00, until 02-11.
// m1: continuous (no until; last exposure min(we, at) = at). at 01-28 12:00.
TEST_F(TracingRemovalTest, HomeStayDoesNotRemove) {
  Register("p1", "h2");
  Start("c1", Hosp(), kHome);
  Expose("c1", "p1", At(2020, 1, 28, 8), At(2020, 1, 28, 9));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 28, 12)));
  ExpectEntry(*tracer, "p1",
              Contact("c1", At(2020, 1, 28, 9), CivilDay(2020, 2, 11)));
  ExpectEntry(*tracer, "m1", ContinuousContact("c1", At(2020, 1, 28, 12)));
}

// A hospital stay 01-20 08:00 - 01-21 08:00 ended at or before ws = 01-23:
// it does not count, we = +inf.
// p1 [01-27 13:00, 14:00] qualifies: until 01-27 + 14 = 02-10.
// m1: continuous. at 01-28 00:00.
TEST_F(TracingRemovalTest, StayEndedBeforeTheWindowDoesNotRemove) {
  Register("p1", "h2");
  Start("c1", At(2020, 1, 20, 8), kHospital);
  End("c1", At(2020, 1, 21, 8));
  Expose("c1", "p1", At(2020, 1, 27, 13), At(2020, 1, 27, 14));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  ExpectEntry(*tracer, "p1",
              Contact("c1", At(2020, 1, 27, 14), CivilDay(2020, 2, 10)));
  ExpectEntry(*tracer, "m1", ContinuousContact("c1", At(2020, 1, 28)));
}

// removal = max(stay start, m). A centralized stay open since 01-21 08:00,
// before ws = 01-23 00:00: we = max(01-21 08:00, ws) = ws.
// p1 [01-22 23:00, 01-23 01:00]: start < we and end >= ws: qualifies
//   (overlap 0, min_exposure 0); last exposure min(end, we) = 01-23 00:00;
//   until = 01-23 + 14 = 02-06.
// p2 [01-23 00:00, 01-23 01:00]: start == we: no.
// m1: household over [ws, min(we, at)] = [ws, ws]: not continuous, last
//   exposure 01-23 00:00, until 02-06 (with we = 01-21 08:00 it would be
//   02-04).
// at 01-28 00:00.
TEST_F(TracingRemovalTest, StayOpenAtWindowStartRemovesAtWindowStart) {
  Register("p1", "h2");
  Register("p2", "h2");
  Start("c1", At(2020, 1, 21, 8), kCentralized);
  Expose("c1", "p1", At(2020, 1, 22, 23), At(2020, 1, 23, 1));
  Expose("c1", "p2", Ws(), At(2020, 1, 23, 1));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "m1", "p1"));
  ExpectEntry(*tracer, "p1", Contact("c1", Ws(), CivilDay(2020, 2, 6)));
  ExpectEntry(*tracer, "m1", Contact("c1", Ws(), CivilDay(2020, 2, 6)));
}

// Removal is the start of the earliest hospital/centralized stay that had
// not ended by ws. A centralized stay 01-26 08:00 - 01-26 20:00 had not ended
// by ws = 01-23, so we = 01-26 08:00 although c1 was back from 20:00.
// p1 [01-26 07:30, 07:45]: qualifies, until 01-26 + 14 = 02-09.
// p2 [01-26 22:00, 23:00]: start >= we: no.
// m1: last exposure min(we, at) = 01-26 08:00, until 02-09.
// at 01-28 00:00.
TEST_F(TracingRemovalTest, EarliestStayNotEndedByWindowStartRemoves) {
  Register("p1", "h2");
  Register("p2", "h2");
  Start("c1", At(2020, 1, 26, 8), kCentralized);
  End("c1", At(2020, 1, 26, 20));
  Expose("c1", "p1", At(2020, 1, 26, 7, 30), At(2020, 1, 26, 7, 45));
  Expose("c1", "p2", At(2020, 1, 26, 22), At(2020, 1, 26, 23));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "m1", "p1"));
  ExpectEntry(*tracer, "p1",
              Contact("c1", At(2020, 1, 26, 7, 45), CivilDay(2020, 2, 9)));
  ExpectEntry(*tracer, "m1",
              Contact("c1", At(2020, 1, 26, 8), CivilDay(2020, 2, 9)));
}

// A stay timed after `at` has not happened. Hospital from 01-27 12:00.
// at 01-27 11:59:59: we = +inf, m1 continuous (no until, last exposure =
//   min(we, at) = at).
// at 01-27 12:00: we = 12:00, m1 last exposure min(we, at) = 12:00, until
//   02-10, no longer continuous.
TEST_F(TracingRemovalTest, StayStartingAfterAtIsNotSeen) {
  Start("c1", Hosp(), kHospital);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       Trace(Hosp() - absl::Seconds(1)));
  ExpectEntry(*before, "m1",
              ContinuousContact("c1", Hosp() - absl::Seconds(1)));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> at, Trace(Hosp()));
  ExpectEntry(*at, "m1", Contact("c1", Hosp(), CivilDay(2020, 2, 10)));
}

// A start while a stay is open is a transfer (docs/rules.md §4): home
// from 01-26 08:00 (does not remove), hospital from 01-27 12:00 with no end
// in between: we = 01-27 12:00. m1: last exposure 12:00, until 02-10.
TEST_F(TracingRemovalTest, TransferFromHomeToHospitalRemovesAtTheTransfer) {
  Start("c1", At(2020, 1, 26, 8), kHome);
  Start("c1", Hosp(), kHospital);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  ExpectEntry(*tracer, "m1", Contact("c1", Hosp(), CivilDay(2020, 2, 10)));
}

// ===========================================================================
// Section 1 views: `at` clips exposures, `known_at` limits the record.

class TracingViewTest : public TracingTest {
 protected:
  void SetUp() override {
    Register("c1", "h1");
    Register("p1", "h2");
  }
};

// c1 standard case, not removed; p1 exposed [01-27 20:00, 21:00].
// at 01-27 19:59:59: the exposure starts after `at`: p1 is not a contact.
// at 01-27 20:00: clipped to [20:00, 20:00], qualifies (min_exposure 0);
//   last exposure 20:00; until 01-27 + 14 = 02-10.
TEST_F(TracingViewTest, ExposureStartingAfterAtDoesNotExistYet) {
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 27, 20), At(2020, 1, 27, 21));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       Trace(At(2020, 1, 27, 19, 59, 59)));
  EXPECT_THAT(RosterIds(*before), ElementsAre("c1"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> at, Trace(At(2020, 1, 27, 20)));
  ExpectEntry(*at, "p1",
              Contact("c1", At(2020, 1, 27, 20), CivilDay(2020, 2, 10)));
}

// p1 exposed [01-27 22:00, 01-28 02:00].
// at 01-27 23:00: the exposure ends at `at`: last exposure 01-27 23:00,
//   until 01-27 + 14 = 02-10 (the unclipped end would give 02-11).
// at 01-28 03:00: last exposure 01-28 02:00, until 02-11.
TEST_F(TracingViewTest, ExposureRunningAcrossAtEndsAtAt) {
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 27, 22), At(2020, 1, 28, 2));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> across,
                       Trace(At(2020, 1, 27, 23)));
  ExpectEntry(*across, "p1",
              Contact("c1", At(2020, 1, 27, 23), CivilDay(2020, 2, 10)));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> after,
                       Trace(At(2020, 1, 28, 3)));
  ExpectEntry(*after, "p1",
              Contact("c1", At(2020, 1, 28, 2), CivilDay(2020, 2, 11)));
}

// who-2020, min_exposure 15 min. p1 exposed [01-27 22:50, 23:50].
// at 23:00: clipped overlap 10 min < 15: not a close contact.
// at 23:04:59: 14 min 59 s: not.
// at 23:05: 15 min: close contact, last exposure 23:05, until 01-27 + 14 =
//   02-10, place home.
TEST_F(TracingViewTest, OverlapIsClippedToAtForMinExposure) {
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 27, 22, 50), At(2020, 1, 27, 23, 50));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> ten,
                       Trace(At(2020, 1, 27, 23), "who-2020"));
  EXPECT_FALSE(FindEntry(*ten, "p1").has_value());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> almost,
                       Trace(At(2020, 1, 27, 23, 4, 59), "who-2020"));
  EXPECT_FALSE(FindEntry(*almost, "p1").has_value());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> fifteen,
                       Trace(At(2020, 1, 27, 23, 5), "who-2020"));
  ExpectedEntry expected =
      Contact("c1", At(2020, 1, 27, 23, 5), CivilDay(2020, 2, 10));
  expected.place = kHome;
  ExpectEntry(*fifteen, "p1", expected);
}

// Record times: the world, p1 and the exposure are recorded at 01-20 08:00;
// c1's diagnosis (event time 01-27 10:00) is recorded at 01-27 14:00.
// at 01-28 00:00.
// known_at 01-27 13:59:59: the diagnosis is not seen: empty roster.
// known_at 01-27 14:00: c1 case, p1 contact (until 02-09).
TEST_F(TracingViewTest, DiagnosisRecordedAfterKnownAtIsNotSeen) {
  Expose("c1", "p1", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
  clock_.Set(At(2020, 1, 27, 14));
  StandardCase("c1");

  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Tracer> before,
      Trace(At(2020, 1, 28), "china-2020", At(2020, 1, 27, 13, 59, 59)));
  EXPECT_THAT(RosterIds(*before), IsEmpty());
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Tracer> at,
      Trace(At(2020, 1, 28), "china-2020", At(2020, 1, 27, 14)));
  EXPECT_THAT(RosterIds(*at), ElementsAre("c1", "p1"));
  ExpectEntry(*at, "p1",
              Contact("c1", At(2020, 1, 26, 11), CivilDay(2020, 2, 9)));
}

// c1's diagnosis is recorded at 01-27 14:00 and retracted by an event
// recorded at 01-29 09:00. at 01-30 00:00.
// known_at 01-29 08:59:59: c1 and p1 (until 02-09) in the roster.
// known_at 01-29 09:00, and everything: the diagnosis is ignored: no case,
//   no contact.
TEST_F(TracingViewTest, RetractedDiagnosisDropsItsContactsFromItsRecordTime) {
  Expose("c1", "p1", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
  clock_.Set(At(2020, 1, 27, 14));
  const uint64_t diagnosis = StandardCase("c1");
  AddAt(At(2020, 1, 29, 9), MakeRetraction(diagnosis, "wrong person"));

  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Tracer> before,
      Trace(At(2020, 1, 30), "china-2020", At(2020, 1, 29, 8, 59, 59)));
  EXPECT_THAT(RosterIds(*before), ElementsAre("c1", "p1"));
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Tracer> at,
      Trace(At(2020, 1, 30), "china-2020", At(2020, 1, 29, 9)));
  EXPECT_THAT(RosterIds(*at), IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> latest, Trace(At(2020, 1, 30)));
  EXPECT_THAT(RosterIds(*latest), IsEmpty());
  ASSERT_OK_AND_ASSIGN(Explanation p1, latest->Explain("p1"));
  EXPECT_FALSE(p1.role.has_value());
}

// A retracted exposure does not make a contact: p1's only exposure to c1 is
// retracted, so at 01-28 only c1 is in the roster.
TEST_F(TracingViewTest, RetractedExposureIsIgnored) {
  StandardCase("c1");
  const uint64_t exposure =
      Expose("c1", "p1", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
  Add(MakeRetraction(exposure));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1"));
}

// The tracer pins the ledger at creation: c1's diagnosis appended after
// Create is not seen by it, but by a new tracer.
TEST_F(TracingViewTest, TracerDoesNotSeeAppendsMadeAfterCreation) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> early, Trace(At(2020, 1, 28)));
  StandardCase("c1");
  EXPECT_THAT(RosterIds(*early), IsEmpty());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> late, Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*late), ElementsAre("c1"));
}

// ===========================================================================
// Tracer::Create.

using TracerCreateTest = TracingTest;

TEST_F(TracerCreateTest, MissingAtIsInvalidArgument) {
  QueryOptions options;  // at = InfinitePast
  EXPECT_THAT(Tracer::Create(*ledger_, options),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(TracerCreateTest, InvalidPolicyIsInvalidArgument) {
  v1::Policy policy = MustPreset("china-2020");
  policy.clear_close_contact_phases();
  EXPECT_THAT(TraceWith(At(2020, 1, 28), policy),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       NamesField("close_contact_phases")));
}

// Without a policy the tracer uses china-2020: c1 in hospital from 01-27
// 12:00, household member m1: last exposure 12:00, until 01-27 + 14 = 02-10,
// place centralized (who-2020 would say home).
TEST_F(TracerCreateTest, DefaultPolicyIsChina2020) {
  Register("c1", "h1");
  Register("m1", "h1");
  StandardCase("c1");
  Start("c1", Hosp(), kHospital);

  QueryOptions options;
  options.at = At(2020, 1, 28);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Tracer::Create(*ledger_, options));
  ExpectedEntry expected = Contact("c1", Hosp(), CivilDay(2020, 2, 10));
  expected.place = kCentralized;
  ExpectEntry(*tracer, "m1", expected);
}

// ===========================================================================
// Section 9: policies.

TEST(PolicyPresetNamesTest, AreTheFourPresetsOfRules) {
  EXPECT_THAT(
      PolicyPresetNames(),
      UnorderedElementsAre("china-2020", "china-2022", "who-2020", "cdc-2020"));
}

TEST(PolicyPresetTest, UnknownNameIsNotFoundAndListsTheNames) {
  absl::StatusOr<v1::Policy> policy = PolicyPreset("china-2019");
  EXPECT_THAT(policy,
              StatusIs(absl::StatusCode::kNotFound,
                       ::testing::AllOf(HasSubstrIgnoringCase("china-2020"),
                                        HasSubstrIgnoringCase("cdc-2020"))));
}

class PolicyPresetTableTest : public ::testing::TestWithParam<PresetTable> {};

// Each preset field against the hand-copied table of docs/rules.md section 9.
TEST_P(PolicyPresetTableTest, MatchesTheRulesTable) {
  const PresetTable& table = GetParam();
  ASSERT_OK_AND_ASSIGN(v1::Policy policy, PolicyPreset(table.name));
  EXPECT_OK(ValidatePolicy(policy));
  EXPECT_EQ(FromProtoDuration(policy.lookback()), table.lookback);
  ASSERT_EQ(policy.close_contact_phases_size(),
            static_cast<int>(table.close_phases.size()));
  for (int i = 0; i < policy.close_contact_phases_size(); ++i) {
    EXPECT_EQ(policy.close_contact_phases(i).place(),
              table.close_phases[i].first);
    EXPECT_EQ(policy.close_contact_phases(i).days(),
              table.close_phases[i].second);
  }
  ASSERT_EQ(policy.secondary_contact_phases_size(),
            static_cast<int>(table.secondary_phases.size()));
  for (int i = 0; i < policy.secondary_contact_phases_size(); ++i) {
    EXPECT_EQ(policy.secondary_contact_phases(i).place(),
              table.secondary_phases[i].first);
    EXPECT_EQ(policy.secondary_contact_phases(i).days(),
              table.secondary_phases[i].second);
  }
  EXPECT_EQ(policy.household_rule(), table.household_rule);
  EXPECT_EQ(FromProtoDuration(policy.min_exposure()), table.min_exposure);
  EXPECT_EQ(policy.trace_suspected(), table.trace_suspected);
  EXPECT_EQ(FromProtoDuration(policy.check_interval()), table.check_interval);
  EXPECT_DOUBLE_EQ(policy.fever_threshold_celsius(), table.fever_threshold);
  EXPECT_EQ(FromProtoDuration(policy.placement_deadline()),
            table.placement_deadline);
  EXPECT_EQ(FromProtoDuration(policy.escalation_deadline()),
            table.escalation_deadline);
}

INSTANTIATE_TEST_SUITE_P(Presets, PolicyPresetTableTest,
                         ::testing::ValuesIn(PresetTables()), PresetParamName);

class ValidatePolicyTest : public ::testing::Test {
 protected:
  v1::Policy Valid() const { return MustPreset("china-2022"); }
  static auto Invalid(const std::string& field) {
    return StatusIs(absl::StatusCode::kInvalidArgument, NamesField(field));
  }
};

TEST_F(ValidatePolicyTest, NegativeDurationsAreRejectedNamingTheField) {
  v1::Policy policy = Valid();
  *policy.mutable_lookback() = ToProtoDuration(absl::Seconds(-1));
  EXPECT_THAT(ValidatePolicy(policy), Invalid("lookback"));

  policy = Valid();
  *policy.mutable_min_exposure() = ToProtoDuration(absl::Seconds(-1));
  EXPECT_THAT(ValidatePolicy(policy), Invalid("min_exposure"));

  policy = Valid();
  *policy.mutable_placement_deadline() = ToProtoDuration(absl::Seconds(-1));
  EXPECT_THAT(ValidatePolicy(policy), Invalid("placement_deadline"));

  policy = Valid();
  *policy.mutable_escalation_deadline() = ToProtoDuration(absl::Seconds(-1));
  EXPECT_THAT(ValidatePolicy(policy), Invalid("escalation_deadline"));
}

TEST_F(ValidatePolicyTest, ZeroDurationsWhereAllowedAreAccepted) {
  v1::Policy policy = Valid();
  *policy.mutable_lookback() = ToProtoDuration(absl::ZeroDuration());
  *policy.mutable_min_exposure() = ToProtoDuration(absl::ZeroDuration());
  *policy.mutable_placement_deadline() = ToProtoDuration(absl::ZeroDuration());
  *policy.mutable_escalation_deadline() = ToProtoDuration(absl::ZeroDuration());
  EXPECT_OK(ValidatePolicy(policy));
}

TEST_F(ValidatePolicyTest, CheckIntervalMustBePositive) {
  v1::Policy policy = Valid();
  *policy.mutable_check_interval() = ToProtoDuration(absl::ZeroDuration());
  EXPECT_THAT(ValidatePolicy(policy), Invalid("check_interval"));
  policy.clear_check_interval();
  EXPECT_THAT(ValidatePolicy(policy), Invalid("check_interval"));
}

TEST_F(ValidatePolicyTest, ZeroCloseContactPhasesAreRejected) {
  v1::Policy policy = Valid();
  policy.clear_close_contact_phases();
  EXPECT_THAT(ValidatePolicy(policy), Invalid("close_contact_phases"));
}

TEST_F(ValidatePolicyTest, PhaseWithZeroDaysIsRejected) {
  v1::Policy policy = Valid();
  policy.mutable_close_contact_phases(1)->set_days(0);
  EXPECT_THAT(ValidatePolicy(policy), Invalid("days"));

  policy = Valid();
  policy.mutable_secondary_contact_phases(0)->set_days(0);
  EXPECT_THAT(ValidatePolicy(policy), Invalid("days"));

  policy = Valid();
  policy.mutable_close_contact_phases(0)->set_days(-3);
  EXPECT_THAT(ValidatePolicy(policy), Invalid("days"));
}

TEST_F(ValidatePolicyTest, UnspecifiedPlaceIsRejected) {
  v1::Policy policy = Valid();
  policy.mutable_close_contact_phases(0)->set_place(
      v1::QUARANTINE_PLACE_UNSPECIFIED);
  EXPECT_THAT(ValidatePolicy(policy), Invalid("place"));

  policy = Valid();
  policy.mutable_secondary_contact_phases(0)->set_place(
      v1::QUARANTINE_PLACE_UNSPECIFIED);
  EXPECT_THAT(ValidatePolicy(policy), Invalid("place"));
}

TEST_F(ValidatePolicyTest, FeverThresholdMustBeBetween35And42) {
  v1::Policy policy = Valid();
  policy.set_fever_threshold_celsius(34.9);
  EXPECT_THAT(ValidatePolicy(policy), Invalid("fever_threshold_celsius"));
  policy.set_fever_threshold_celsius(42.1);
  EXPECT_THAT(ValidatePolicy(policy), Invalid("fever_threshold_celsius"));
  policy.set_fever_threshold_celsius(35.0);
  EXPECT_OK(ValidatePolicy(policy));
  policy.set_fever_threshold_celsius(42.0);
  EXPECT_OK(ValidatePolicy(policy));
}

TEST_F(ValidatePolicyTest, HospitalPhaseIsAKnownPlace) {
  v1::Policy policy = Valid();
  policy.mutable_close_contact_phases(0)->set_place(kHospital);
  EXPECT_OK(ValidatePolicy(policy));
}

// A hand-written china-2022-like policy, as the parser should produce it.
v1::Policy ExpectedParsedPolicy() {
  v1::Policy policy;
  policy.set_name("county-2022");
  policy.mutable_lookback()->set_seconds(172800);
  v1::QuarantinePhase* phase = policy.add_close_contact_phases();
  phase->set_place(kCentralized);
  phase->set_days(7);
  phase = policy.add_close_contact_phases();
  phase->set_place(kHome);
  phase->set_days(3);
  phase = policy.add_secondary_contact_phases();
  phase->set_place(kHome);
  phase->set_days(7);
  policy.set_household_rule(true);
  policy.mutable_min_exposure()->set_seconds(900);
  policy.mutable_check_interval()->set_seconds(43200);
  policy.set_fever_threshold_celsius(37.3);
  policy.mutable_placement_deadline()->set_seconds(86400);
  policy.mutable_escalation_deadline()->set_seconds(7200);
  return policy;
}

constexpr char kPolicyText[] = R"pb(
  name: "county-2022"
  lookback { seconds: 172800 }
  close_contact_phases { place: QUARANTINE_PLACE_CENTRALIZED days: 7 }
  close_contact_phases { place: QUARANTINE_PLACE_HOME days: 3 }
  secondary_contact_phases { place: QUARANTINE_PLACE_HOME days: 7 }
  household_rule: true
  min_exposure { seconds: 900 }
  check_interval { seconds: 43200 }
  fever_threshold_celsius: 37.3
  placement_deadline { seconds: 86400 }
  escalation_deadline { seconds: 7200 }
)pb";

constexpr char kPolicyJson[] = R"json({
  "name": "county-2022",
  "lookback": "172800s",
  "closeContactPhases": [
    {"place": "QUARANTINE_PLACE_CENTRALIZED", "days": 7},
    {"place": "QUARANTINE_PLACE_HOME", "days": 3}
  ],
  "secondaryContactPhases": [{"place": "QUARANTINE_PLACE_HOME", "days": 7}],
  "householdRule": true,
  "minExposure": "900s",
  "checkInterval": "43200s",
  "feverThresholdCelsius": 37.3,
  "placementDeadline": "86400s",
  "escalationDeadline": "7200s"
})json";

TEST(ParsePolicyTest, TextFormat) {
  ASSERT_OK_AND_ASSIGN(v1::Policy policy, ParsePolicy(kPolicyText));
  EXPECT_THAT(policy, EqualsProto(ExpectedParsedPolicy()));
}

TEST(ParsePolicyTest, Json) {
  ASSERT_OK_AND_ASSIGN(v1::Policy policy, ParsePolicy(kPolicyJson));
  EXPECT_THAT(policy, EqualsProto(ExpectedParsedPolicy()));
}

// The field names as they may appear in a JSON or text-format error.
::testing::Matcher<const std::string&> NamesEither(const std::string& snake,
                                                   const std::string& camel) {
  return ::testing::AnyOf(NamesField(snake), NamesField(camel));
}

TEST(ParsePolicyTest, NegativeDurationIsRejectedNamingTheField) {
  std::string text = kPolicyText;
  text.replace(text.find("lookback { seconds: 172800 }"),
               std::string("lookback { seconds: 172800 }").size(),
               "lookback { seconds: -1 }");
  EXPECT_THAT(ParsePolicy(text), StatusIs(absl::StatusCode::kInvalidArgument,
                                          NamesField("lookback")));

  std::string json = kPolicyJson;
  json.replace(json.find("\"172800s\""), std::string("\"172800s\"").size(),
               "\"-60s\"");
  EXPECT_THAT(ParsePolicy(json), StatusIs(absl::StatusCode::kInvalidArgument,
                                          NamesField("lookback")));
}

TEST(ParsePolicyTest, ZeroPhasesAreRejectedNamingTheField) {
  constexpr char kText[] = R"pb(
    lookback { seconds: 172800 }
    household_rule: true
    check_interval { seconds: 43200 }
    fever_threshold_celsius: 37.3
  )pb";
  EXPECT_THAT(ParsePolicy(kText), StatusIs(absl::StatusCode::kInvalidArgument,
                                           NamesField("close_contact_phases")));
  constexpr char kJson[] =
      R"json({"lookback": "172800s", "closeContactPhases": [],
              "checkInterval": "43200s", "feverThresholdCelsius": 37.3})json";
  EXPECT_THAT(ParsePolicy(kJson), StatusIs(absl::StatusCode::kInvalidArgument,
                                           NamesEither("close_contact_phases",
                                                       "closeContactPhases")));
}

TEST(ParsePolicyTest, PhaseWithZeroDaysIsRejectedNamingTheField) {
  std::string text = kPolicyText;
  text.replace(text.find("days: 3"), 7, "days: 0");
  EXPECT_THAT(ParsePolicy(text),
              StatusIs(absl::StatusCode::kInvalidArgument, NamesField("days")));
  std::string json = kPolicyJson;
  json.replace(json.find("\"days\": 3"), 9, "\"days\": 0");
  EXPECT_THAT(ParsePolicy(json),
              StatusIs(absl::StatusCode::kInvalidArgument, NamesField("days")));
}

TEST(ParsePolicyTest, UnspecifiedPlaceIsRejectedNamingTheField) {
  std::string text = kPolicyText;
  text.replace(text.find("QUARANTINE_PLACE_HOME days: 3"),
               std::string("QUARANTINE_PLACE_HOME").size(),
               "QUARANTINE_PLACE_UNSPECIFIED");
  EXPECT_THAT(ParsePolicy(text), StatusIs(absl::StatusCode::kInvalidArgument,
                                          NamesField("place")));
  std::string json = kPolicyJson;
  json.replace(json.find("QUARANTINE_PLACE_CENTRALIZED"),
               std::string("QUARANTINE_PLACE_CENTRALIZED").size(),
               "QUARANTINE_PLACE_UNSPECIFIED");
  EXPECT_THAT(ParsePolicy(json), StatusIs(absl::StatusCode::kInvalidArgument,
                                          NamesField("place")));
}

TEST(ParsePolicyTest, SyntaxErrorsAreInvalidArgument) {
  EXPECT_THAT(ParsePolicy("lookback { seconds: 1 }\nno_such_field: 3\n"),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParsePolicy("{\"lookback\": \"1s\", \"noSuchField\": 3}"),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParsePolicy("{\"lookback\": "),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

// Each preset written back in text format parses to itself.
TEST(ParsePolicyTest, PresetsRoundTripThroughTextFormat) {
  for (const std::string& name : PolicyPresetNames()) {
    SCOPED_TRACE(name);
    const v1::Policy preset = MustPreset(name);
    ASSERT_OK_AND_ASSIGN(v1::Policy parsed, ParsePolicy(preset.DebugString()));
    EXPECT_THAT(parsed, EqualsProto(preset));
  }
}

// --- Overlays: a base preset and the fields to change. ---

// china-2020 with 15 minutes: only min_exposure changes; the name says so
// and base keeps the preset's name.
TEST(ParsePolicyOverlayTest, BaseAndMinExposureOnly) {
  v1::Policy expected = MustPreset("china-2020");
  expected.mutable_min_exposure()->set_seconds(900);
  expected.set_name("china-2020+min_exposure");
  expected.set_base("china-2020");
  ASSERT_OK_AND_ASSIGN(
      v1::Policy text,
      ParsePolicy("base: \"china-2020\"\nmin_exposure { seconds: 900 }\n"));
  EXPECT_THAT(text, EqualsProto(expected));
  ASSERT_OK_AND_ASSIGN(
      v1::Policy json,
      ParsePolicy(R"json({"base": "china-2020", "minExposure": "900s"})json"));
  EXPECT_THAT(json, EqualsProto(expected));
  // A name given in the file is kept.
  ASSERT_OK_AND_ASSIGN(v1::Policy named,
                       ParsePolicy("base: \"china-2020\" name: \"county\" "
                                   "min_exposure { seconds: 900 }"));
  EXPECT_EQ(named.name(), "county");
}

// A repeated field written in the file replaces the preset's whole list:
// china-2022's two close-contact phases become the one written.
TEST(ParsePolicyOverlayTest, PhasesReplaceThePresetsList) {
  constexpr char kText[] = R"pb(
    base: "china-2022"
    close_contact_phases { place: QUARANTINE_PLACE_HOME days: 5 }
  )pb";
  ASSERT_OK_AND_ASSIGN(v1::Policy policy, ParsePolicy(kText));
  ASSERT_EQ(policy.close_contact_phases_size(), 1);
  EXPECT_EQ(policy.close_contact_phases(0).place(), v1::QUARANTINE_PLACE_HOME);
  EXPECT_EQ(policy.close_contact_phases(0).days(), 5);
  // The other fields are china-2022's.
  v1::Policy expected = MustPreset("china-2022");
  *expected.mutable_close_contact_phases() = policy.close_contact_phases();
  expected.set_name("china-2022+close_contact_phases");
  expected.set_base("china-2022");
  EXPECT_THAT(policy, EqualsProto(expected));
  ASSERT_OK_AND_ASSIGN(
      v1::Policy json,
      ParsePolicy(R"json({"base": "china-2022", "closeContactPhases":
                          [{"place": "QUARANTINE_PLACE_HOME", "days": 5}]})json"));
  EXPECT_THAT(json, EqualsProto(expected));
}

// A field written with its zero value overlays the preset's: false, an
// empty list, a zero duration (text `{}`, JSON "0s" or null).
TEST(ParsePolicyOverlayTest, FieldsCanBeOverlaidBackToZero) {
  constexpr char kText[] = R"pb(
    base: "china-2022"
    household_rule: false
    secondary_contact_phases: []
    placement_deadline {}
  )pb";
  ASSERT_OK_AND_ASSIGN(v1::Policy policy, ParsePolicy(kText));
  EXPECT_FALSE(policy.household_rule());
  EXPECT_THAT(policy.secondary_contact_phases(), IsEmpty());
  EXPECT_EQ(policy.placement_deadline().seconds(), 0);
  EXPECT_EQ(policy.close_contact_phases_size(), 2);  // china-2022's
  ASSERT_OK_AND_ASSIGN(
      v1::Policy json,
      ParsePolicy(R"json({"base": "who-2020", "minExposure": null,
                          "householdRule": false})json"));
  EXPECT_FALSE(json.has_min_exposure());
  EXPECT_FALSE(json.household_rule());
  EXPECT_EQ(json.fever_threshold_celsius(), 38.0);  // who-2020's
}

// The result is validated: an overlay that breaks a rule names the field.
TEST(ParsePolicyOverlayTest, ResultIsValidated) {
  EXPECT_THAT(ParsePolicy("base: \"china-2020\" close_contact_phases: []"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       NamesField("close_contact_phases")));
  EXPECT_THAT(ParsePolicy("base: \"cdc-2020\" fever_threshold_celsius: 50"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       NamesField("fever_threshold_celsius")));
}

TEST(ParsePolicyOverlayTest, UnknownBaseListsThePresets) {
  for (const char* text : {"base: \"china-2021\" min_exposure { seconds: 900 }",
                           R"json({"base": "china-2021"})json"}) {
    SCOPED_TRACE(text);
    EXPECT_THAT(ParsePolicy(text),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         ::testing::AllOf(HasSubstr("china-2021"),
                                          HasSubstr("china-2020, china-2022, "
                                                    "who-2020, cdc-2020"))));
  }
}

// What `ledgerctl policy show NAME` prints (comment lines, then the preset
// in text format, tools/ledgerctl/policy_commands.cc) parses back to the
// preset, and a base with no fields to change is the preset under its name.
TEST(ParsePolicyOverlayTest, PolicyShowOutputRoundTrips) {
  for (const std::string& name : PolicyPresetNames()) {
    SCOPED_TRACE(name);
    const v1::Policy preset = MustPreset(name);
    std::string text;
    ASSERT_TRUE(google::protobuf::TextFormat::PrintToString(preset, &text));
    text = "# contactledger.v1.Policy preset " + name +
           "\n# To change only a few fields, a file may instead\n"
           "#   base: \"" +
           name + "\"\n" + text;
    ASSERT_OK_AND_ASSIGN(v1::Policy parsed, ParsePolicy(text));
    EXPECT_THAT(parsed, EqualsProto(preset));
    ASSERT_OK_AND_ASSIGN(v1::Policy based,
                         ParsePolicy("base: \"" + name + "\""));
    v1::Policy expected = preset;
    expected.set_base(name);
    EXPECT_THAT(based, EqualsProto(expected));
  }
}

}  // namespace
}  // namespace testutil
}  // namespace contactledger
