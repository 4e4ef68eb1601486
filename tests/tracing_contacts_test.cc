// Copyright 2026 The ContactLedger Authors.
//
// docs/rules.md section 5 (close contacts) and section 6 (secondary contacts),
// run for each preset where the answer depends on it; Tracer::Explain,
// Contacts() and Tracer::TransmissionChains().
//
// World (tests/tracing_test_util.h): c1 in h1, confirmed 2020-01-27 10:00
// UTC with onset 2020-01-25, so ws(c1) = 2020-01-23 00:00 (lookback 2 days
// in every preset). Contacts without a household are registered without one
// so that no household rule reaches them.

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
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"
#include "tests/tracing_test_util.h"

namespace contactledger {
namespace testutil {
namespace {

using ::absl::CivilDay;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

constexpr v1::QuarantinePlace kHospital = v1::QUARANTINE_PLACE_HOSPITAL;
constexpr v1::QuarantinePlace kCentralized = v1::QUARANTINE_PLACE_CENTRALIZED;
constexpr v1::QuarantinePlace kHome = v1::QUARANTINE_PLACE_HOME;

// ===========================================================================
// Section 5, for every preset.

using CloseContactPresetTest = TracingPresetTest;

// Lookback: an exposure ending exactly at ws qualifies, one ending 1 s
// before does not. ws = 01-23 00:00 (every preset: 2 days before 01-25).
// p1: A1 [01-22 23:30, 01-23 00:00] (overlap 0, qualifies),
//     B1 [01-24 10:00, 10:15] (overlap 15 min).
//     -> exposures {A1, B1}, first = max(A1.start, ws) = ws, overlap 15 min:
//        a close contact in every preset (15 min >= min_exposure);
//        last exposure 10:15, until = 01-24 + close days.
// p2: A2 [01-22 23:30, 01-22 23:59:59] (ends before ws: no), B2 as B1.
//     -> exposures {B2}, first 01-24 10:00, overlap 15 min.
// p3: A3 = A1 only: overlap 0: a close contact iff min_exposure = 0
//     (china-2020, china-2022), last exposure ws, until 01-23 + close days.
// p4: A4 = A2 only: never.
// at 01-28 00:00, c1 never removed.
TEST_P(CloseContactPresetTest, ExposureEndingExactlyAtWindowStartQualifies) {
  Register("c1", "h1");
  for (const char* p : {"p1", "p2", "p3", "p4"}) Register(p);
  StandardCase("c1");
  const absl::Time a_start = At(2020, 1, 22, 23, 30);
  const absl::Time b_start = At(2020, 1, 24, 10);
  const absl::Time b_end = At(2020, 1, 24, 10, 15);
  const uint64_t a1 = Expose("c1", "p1", a_start, Ws());
  const uint64_t b1 = Expose("c1", "p1", b_start, b_end);
  Expose("c1", "p2", a_start, Ws() - absl::Seconds(1));
  const uint64_t b2 = Expose("c1", "p2", b_start, b_end);
  Expose("c1", "p3", a_start, Ws());
  Expose("c1", "p4", a_start, Ws() - absl::Seconds(1));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, TraceP(At(2020, 1, 28)));
  const CivilDay until_b = CivilDay(2020, 1, 24) + CloseDays();
  ExpectEntry(*tracer, "p1", Contact("c1", b_end, until_b));
  ExpectEntry(*tracer, "p2", Contact("c1", b_end, until_b));

  ASSERT_OK_AND_ASSIGN(Explanation p1, tracer->Explain("p1"));
  ASSERT_THAT(p1.sources, SizeIs(1));
  EXPECT_EQ(p1.sources[0].person_id, "c1");
  EXPECT_EQ(p1.sources[0].rule, "exposure");
  EXPECT_THAT(p1.sources[0].exposures, UnorderedElementsAre(a1, b1));
  EXPECT_EQ(p1.sources[0].first, Ws());
  EXPECT_EQ(p1.sources[0].last_exposure, b_end);
  EXPECT_EQ(p1.sources[0].overlap, absl::Minutes(15));

  ASSERT_OK_AND_ASSIGN(Explanation p2, tracer->Explain("p2"));
  ASSERT_THAT(p2.sources, SizeIs(1));
  EXPECT_THAT(p2.sources[0].exposures, ElementsAre(b2));
  EXPECT_EQ(p2.sources[0].first, b_start);
  EXPECT_EQ(p2.sources[0].overlap, absl::Minutes(15));

  if (table().min_exposure == absl::ZeroDuration()) {
    ExpectEntry(*tracer, "p3",
                Contact("c1", Ws(), CivilDay(2020, 1, 23) + CloseDays()));
  } else {
    EXPECT_FALSE(FindEntry(*tracer, "p3").has_value());
  }
  EXPECT_FALSE(FindEntry(*tracer, "p4").has_value());
}

// Removal: an exposure starting exactly at we does not qualify, one starting
// 1 s before does. c1 in hospital from 01-27 12:00: we = 12:00.
// p1 [01-27 11:45, 12:30]: overlap min(12:30, we) - 11:45 = 15 min: a close
//   contact in every preset; last exposure = min(e.end, we) = 12:00;
//   until = 01-27 + close days.
// p2 [01-27 12:00, 13:00]: start == we: never.
// p3 [01-27 11:59:59, 13:00]: qualifies with overlap 1 s: a close contact iff
//   min_exposure <= 1 s (china presets), last exposure 12:00.
// at 01-28 00:00.
TEST_P(CloseContactPresetTest, ExposureStartingExactlyAtRemovalDoesNotQualify) {
  Register("c1", "h1");
  for (const char* p : {"p1", "p2", "p3"}) Register(p);
  StandardCase("c1");
  Start("c1", Hosp(), kHospital);
  Expose("c1", "p1", At(2020, 1, 27, 11, 45), At(2020, 1, 27, 12, 30));
  Expose("c1", "p2", Hosp(), At(2020, 1, 27, 13));
  Expose("c1", "p3", Hosp() - absl::Seconds(1), At(2020, 1, 27, 13));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, TraceP(At(2020, 1, 28)));
  const CivilDay until = CivilDay(2020, 1, 27) + CloseDays();
  ExpectEntry(*tracer, "p1", Contact("c1", Hosp(), until));
  EXPECT_FALSE(FindEntry(*tracer, "p2").has_value());
  if (table().min_exposure <= absl::Seconds(1)) {
    ExpectEntry(*tracer, "p3", Contact("c1", Hosp(), until));
  } else {
    EXPECT_FALSE(FindEntry(*tracer, "p3").has_value());
  }
}

// min_exposure: overlap summed over the pair's qualifying exposures, counted
// inside [ws, we) only.
// p1: [01-24 10:00, 10:07] + [01-24 12:00, 12:07:59] = 7:00 + 7:59 = 14:59.
// p2: [01-24 10:00, 10:07] + [01-24 12:00, 12:08]    = 7:00 + 8:00 = 15:00.
// p3: [01-22 23:50, 01-23 00:14:59]: overlap from ws = 14:59 (not 24:59).
// p4: [01-22 23:50, 01-23 00:15]: overlap 15:00.
// A close contact iff overlap >= min_exposure: china presets (0) all four;
// who-2020 / cdc-2020 (15 min) p2 and p4 only.
// at 01-28 00:00.
TEST_P(CloseContactPresetTest, MinExposureIsSummedOverThePairsExposures) {
  Register("c1", "h1");
  for (const char* p : {"p1", "p2", "p3", "p4"}) Register(p);
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 10, 7));
  Expose("c1", "p1", At(2020, 1, 24, 12), At(2020, 1, 24, 12, 7, 59));
  const uint64_t p2_first =
      Expose("c1", "p2", At(2020, 1, 24, 10), At(2020, 1, 24, 10, 7));
  const uint64_t p2_second =
      Expose("c1", "p2", At(2020, 1, 24, 12), At(2020, 1, 24, 12, 8));
  Expose("c1", "p3", At(2020, 1, 22, 23, 50), At(2020, 1, 23, 0, 14, 59));
  Expose("c1", "p4", At(2020, 1, 22, 23, 50), At(2020, 1, 23, 0, 15));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, TraceP(At(2020, 1, 28)));
  const absl::Duration below = absl::Minutes(14) + absl::Seconds(59);
  const bool short_ones_count = below >= table().min_exposure;

  EXPECT_EQ(FindEntry(*tracer, "p1").has_value(), short_ones_count);
  ExpectEntry(*tracer, "p2",
              Contact("c1", At(2020, 1, 24, 12, 8),
                      CivilDay(2020, 1, 24) + CloseDays()));
  EXPECT_EQ(FindEntry(*tracer, "p3").has_value(), short_ones_count);
  ExpectEntry(*tracer, "p4",
              Contact("c1", At(2020, 1, 23, 0, 15),
                      CivilDay(2020, 1, 23) + CloseDays()));

  ASSERT_OK_AND_ASSIGN(Explanation p2, tracer->Explain("p2"));
  ASSERT_THAT(p2.sources, SizeIs(1));
  EXPECT_THAT(p2.sources[0].exposures,
              UnorderedElementsAre(p2_first, p2_second));
  EXPECT_EQ(p2.sources[0].overlap, absl::Minutes(15));
  if (short_ones_count) {
    ASSERT_OK_AND_ASSIGN(Explanation p3, tracer->Explain("p3"));
    ASSERT_THAT(p3.sources, SizeIs(1));
    EXPECT_EQ(p3.sources[0].overlap, below);
  }
}

// Household rule, no exposure recorded at all. m1 shares h1 with c1; c1 is
// never removed (we = +inf), ws = 01-23 00:00 <= at.
// m1: close contact in every preset (no min_exposure test), continuous: no
// until, last exposure min(we, at) = at, place = the first close-contact
// phase,
// required_since = max(diagnosis 01-27 10:00, ws) = 01-27 10:00.
// at 01-28 00:00.
TEST_P(CloseContactPresetTest, HouseholdMemberIsAContinuousCloseContact) {
  Register("c1", "h1");
  Register("m1", "h1");
  StandardCase("c1");

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, TraceP(At(2020, 1, 28)));
  ExpectedEntry expected = ContinuousContact("c1", At(2020, 1, 28));
  expected.place = FirstClosePlace();
  expected.required_since = Diag();
  ExpectEntry(*tracer, "m1", expected);

  ASSERT_OK_AND_ASSIGN(Explanation m1, tracer->Explain("m1"));
  EXPECT_TRUE(m1.in_roster);
  EXPECT_EQ(m1.role, Role::kCloseContact);
  EXPECT_FALSE(m1.until.has_value());
  ASSERT_THAT(m1.sources, SizeIs(1));
  EXPECT_EQ(m1.sources[0].person_id, "c1");
  EXPECT_EQ(m1.sources[0].rule, "household");
  EXPECT_THAT(m1.sources[0].exposures, IsEmpty());
  EXPECT_EQ(m1.sources[0].first, Ws());
  EXPECT_TRUE(m1.sources[0].continuous);
}

// Household rule once the case is in hospital (01-27 12:00 = we): the
// exposure runs over [ws, min(we, at)] = [01-23 00:00, 01-27 12:00]; not
// continuous; last exposure 01-27 12:00; until = 01-27 + close days.
// at 01-28 08:00 is day 1: the first phase.
TEST_P(CloseContactPresetTest, HouseholdContactOfHospitalizedCaseHasAnUntil) {
  Register("c1", "h1");
  Register("m1", "h1");
  StandardCase("c1");
  Start("c1", Hosp(), kHospital);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       TraceP(At(2020, 1, 28, 8)));
  ExpectedEntry expected =
      Contact("c1", Hosp(), CivilDay(2020, 1, 27) + CloseDays());
  expected.place = FirstClosePlace();
  ExpectEntry(*tracer, "m1", expected);

  ASSERT_OK_AND_ASSIGN(Explanation m1, tracer->Explain("m1"));
  ASSERT_THAT(m1.sources, SizeIs(1));
  EXPECT_EQ(m1.sources[0].rule, "household");
  EXPECT_EQ(m1.sources[0].last_exposure, Hosp());
  EXPECT_FALSE(m1.sources[0].continuous);
}

INSTANTIATE_TEST_SUITE_P(Presets, CloseContactPresetTest,
                         ::testing::ValuesIn(PresetTables()), PresetParamName);

// ===========================================================================
// Section 5, single policy (china-2020 unless said).

using CloseContactTest = TracingTest;

// The household rule needs ws <= at. c1 confirmed 01-27 10:00 with onset
// 01-30 (reported ahead): ws = 01-28 00:00.
// at 01-27 23:59:59: c1 is an active case, ws > at: m1 is no contact.
// at 01-28 00:00: ws == at: m1 is a continuous close contact.
TEST_F(CloseContactTest, HouseholdRuleNeedsWindowStartAtOrBeforeAt) {
  Register("c1", "h1");
  Register("m1", "h1");
  DiagnoseWithOnset("c1", Diag(), CivilDay(2020, 1, 30));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       Trace(At(2020, 1, 27, 23, 59, 59)));
  EXPECT_THAT(RosterIds(*before), ElementsAre("c1"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> at, Trace(At(2020, 1, 28)));
  ExpectEntry(*at, "m1", ContinuousContact("c1", At(2020, 1, 28)));
}

// Without the household rule a household member with no exposure is no
// contact: china-2020 with household_rule = false, at 01-28: only c1.
TEST_F(CloseContactTest, NoHouseholdRuleNoHouseholdContact) {
  Register("c1", "h1");
  Register("m1", "h1");
  StandardCase("c1");
  v1::Policy policy = MustPreset("china-2020");
  policy.set_household_rule(false);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       TraceWith(At(2020, 1, 28), policy));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1"));
}

// The pair's last exposure is the latest min(e.end, we), not the end of the
// latest-starting exposure.
// p1: e1 [01-24 08:00, 01-26 20:00], e2 [01-25 10:00, 11:00] -> last
// exposure 01-26 20:00, until 01-26 + 14 = 02-09. at 01-28.
TEST_F(CloseContactTest, LastExposureIsTheLatestEndOverQualifyingExposures) {
  Register("c1", "h1");
  Register("p1");
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 24, 8), At(2020, 1, 26, 20));
  Expose("c1", "p1", At(2020, 1, 25, 10), At(2020, 1, 25, 11));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  ExpectEntry(*tracer, "p1",
              Contact("c1", At(2020, 1, 26, 20), CivilDay(2020, 2, 9)));
}

// Roles: a person who is both a case and a close contact is listed as case.
// c2 exposed to c1 01-24 10:00-11:00 (a close contact of c1), then confirmed
// 01-28 10:00 with onset 01-27. at 01-28 12:00: c2 appears once, role case,
// place hospital, required since 01-28 10:00.
TEST_F(CloseContactTest, CaseWhoIsAlsoACloseContactIsListedAsCase) {
  Register("c1", "h1");
  Register("c2", "h2");
  StandardCase("c1");
  Expose("c1", "c2", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  DiagnoseWithOnset("c2", At(2020, 1, 28, 10), CivilDay(2020, 1, 27));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 28, 12)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "c2"));
  ExpectEntry(*tracer, "c2", ActiveCase(At(2020, 1, 28, 10)));
  ASSERT_OK_AND_ASSIGN(Explanation c2, tracer->Explain("c2"));
  EXPECT_EQ(c2.role, Role::kCase);
}

// Household members are those of the current person versions in the view
// (docs/rules.md section 2: the latest version applies at every event time).
// m1 lives in h1 with c1 until an upsert recorded at 01-28 12:00 moves m1 to
// h2. at 01-28 00:00 (an event time before that record time):
// known_at 01-28 11:59:59: m1 is in h1: a continuous household contact.
// everything recorded: m1 is in h2 at every event time: no contact.
TEST_F(CloseContactTest, HouseholdIsTheCurrentVersionOfTheMember) {
  Register("c1", "h1");
  Register("m1", "h1");
  StandardCase("c1");
  AddAt(At(2020, 1, 28, 12), MakePerson("m1", "h2"));

  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Tracer> before,
      Trace(At(2020, 1, 28), "china-2020", At(2020, 1, 28, 11, 59, 59)));
  ExpectEntry(*before, "m1", ContinuousContact("c1", At(2020, 1, 28)));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> after, Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*after), ElementsAre("c1"));
}

// ===========================================================================
// Section 6: secondary contacts.

using SecondaryContactPresetTest = TracingPresetTest;

// Secondary contacts only when the policy gives them phases (china-2022:
// 7 days home). c1 in h1; p1 (h2) exposed to c1 01-24 10:00-11:00: close
// contact, f(p1) = 01-24 10:00, required_since(p1) = max(01-27 10:00,
// 01-24 10:00) = 01-27 10:00, p1 never removed.
// s1 (h4) exposed to p1 [01-25 10:00, 11:00]: qualifies in p1's window;
//   last exposure 11:00; until 01-25 + 7 = 02-01; place home;
//   required_since = max(01-27 10:00, 01-25 10:00) = 01-27 10:00.
// s2 in p1's household h2: secondary by the household rule, continuous
//   (p1 not removed), place home, required_since = max(01-27 10:00, f(p1))
//   = 01-27 10:00.
// Other presets: neither s1 nor s2 has a role. at 01-28 00:00.
TEST_P(SecondaryContactPresetTest, OnlyWhenThePolicyGivesThemPhases) {
  Register("c1", "h1");
  Register("p1", "h2");
  Register("s1", "h4");
  Register("s2", "h2");
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Expose("p1", "s1", At(2020, 1, 25, 10), At(2020, 1, 25, 11));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, TraceP(At(2020, 1, 28)));
  if (table().secondary_phases.empty()) {
    EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "p1"));
    ASSERT_OK_AND_ASSIGN(Explanation s1, tracer->Explain("s1"));
    EXPECT_FALSE(s1.role.has_value());
    ASSERT_OK_AND_ASSIGN(Explanation s2, tracer->Explain("s2"));
    EXPECT_FALSE(s2.role.has_value());
    return;
  }
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "p1", "s1", "s2"));
  const int days = TotalDays(table().secondary_phases);
  ExpectedEntry s1 = Secondary(
      Contact("p1", At(2020, 1, 25, 11), CivilDay(2020, 1, 25) + days));
  s1.place = kHome;
  s1.required_since = Diag();
  ExpectEntry(*tracer, "s1", s1);
  ExpectedEntry s2 = Secondary(ContinuousContact("p1", At(2020, 1, 28)));
  s2.place = kHome;
  s2.required_since = Diag();
  ExpectEntry(*tracer, "s2", s2);
}

INSTANTIATE_TEST_SUITE_P(Presets, SecondaryContactPresetTest,
                         ::testing::ValuesIn(PresetTables()), PresetParamName);

using SecondaryContactTest = TracingTest;

// P's window starts at f(P) = the earliest max(e.start, ws(C)).
// p1 exposed to c1 [01-22 20:00, 01-23 02:00] and [01-25 10:00, 11:00]:
//   f(p1) = max(01-22 20:00, ws) = 01-23 00:00.
// s1 exposed to p1 [01-22 22:00, 01-23 00:00]: ends at f(p1): secondary;
//   last exposure 01-23 00:00; until 01-23 + 7 = 01-30 >= 01-28.
// s2 exposed to p1 [01-22 22:00, 01-22 23:59:59]: no.
// china-2022, at 01-28 00:00.
TEST_F(SecondaryContactTest, WindowStartsAtTheCloseContactsFirstMoment) {
  Register("c1", "h1");
  for (const char* p : {"p1", "s1", "s2"}) Register(p);
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 22, 20), At(2020, 1, 23, 2));
  Expose("c1", "p1", At(2020, 1, 25, 10), At(2020, 1, 25, 11));
  Expose("p1", "s1", At(2020, 1, 22, 22), Ws());
  Expose("p1", "s2", At(2020, 1, 22, 22), Ws() - absl::Seconds(1));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 28), "china-2022"));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "p1", "s1"));
  ExpectEntry(*tracer, "s1",
              Secondary(Contact("p1", Ws(), CivilDay(2020, 1, 30))));
}

// For a household close contact f(P) = ws(C) (docs/rules.md §6). m1 shares
// h1 with c1: f(m1) = ws = 01-23 00:00, m1 never removed.
// s1 exposed to m1 [01-22 22:00, 01-23 00:00]: ends at f(m1): secondary,
//   last exposure 01-23 00:00, until 01-23 + 7 = 01-30.
// s2 exposed to m1 [01-22 22:00, 01-22 23:59:59]: no.
// china-2022, at 01-28 00:00.
TEST_F(SecondaryContactTest, HouseholdCloseContactsWindowStartsAtCaseWs) {
  Register("c1", "h1");
  Register("m1", "h1");
  Register("s1");
  Register("s2");
  StandardCase("c1");
  Expose("m1", "s1", At(2020, 1, 22, 22), Ws());
  Expose("m1", "s2", At(2020, 1, 22, 22), Ws() - absl::Seconds(1));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 28), "china-2022"));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "m1", "s1"));
  ExpectEntry(*tracer, "s1",
              Secondary(Contact("m1", Ws(), CivilDay(2020, 1, 30))));
}

// P's window ends at removal(P, f(P)). p1 exposed to c1 01-24 10:00-11:00:
// f(p1) = 01-24 10:00; p1 centralized from 01-28 08:00: removal = 08:00.
// s1 [01-28 08:00, 09:00]: start == removal: no.
// s2 [01-28 07:59:59, 09:00]: qualifies, last exposure min(09:00, 08:00) =
//   08:00, until 01-28 + 7 = 02-04.
// s3 in p1's household h2: last exposure min(removal, at) = 08:00, not
//   continuous, until 02-04. At 01-28 07:00 (before the stay) s3 is
//   continuous.
// china-2022, at 01-29 00:00.
TEST_F(SecondaryContactTest, WindowEndsWhenTheCloseContactIsRemoved) {
  Register("c1", "h1");
  Register("p1", "h2");
  Register("s1");
  Register("s2");
  Register("s3", "h2");
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Start("p1", At(2020, 1, 28, 8), kCentralized);
  Expose("p1", "s1", At(2020, 1, 28, 8), At(2020, 1, 28, 9));
  Expose("p1", "s2", At(2020, 1, 28, 7, 59, 59), At(2020, 1, 28, 9));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 29), "china-2022"));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "p1", "s2", "s3"));
  ExpectEntry(
      *tracer, "s2",
      Secondary(Contact("p1", At(2020, 1, 28, 8), CivilDay(2020, 2, 4))));
  ExpectEntry(
      *tracer, "s3",
      Secondary(Contact("p1", At(2020, 1, 28, 8), CivilDay(2020, 2, 4))));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> before,
                       Trace(At(2020, 1, 28, 7), "china-2022"));
  ExpectEntry(*before, "s3",
              Secondary(ContinuousContact("p1", At(2020, 1, 28, 7))));
}

// The same min_exposure applies to secondary contacts: china-2022 with
// min_exposure 15 min. p1 exposed to c1 01-24 10:00-11:00 (60 min).
// s1 [01-25 10:00, 10:14:59] to p1: 14:59: no.
// s2 [01-25 10:00, 10:15]: 15:00: secondary, until 01-25 + 7 = 02-01.
// at 01-28 00:00.
TEST_F(SecondaryContactTest, SecondaryContactsUseTheSameMinExposure) {
  Register("c1", "h1");
  for (const char* p : {"p1", "s1", "s2"}) Register(p);
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Expose("p1", "s1", At(2020, 1, 25, 10), At(2020, 1, 25, 10, 14, 59));
  Expose("p1", "s2", At(2020, 1, 25, 10), At(2020, 1, 25, 10, 15));
  v1::Policy policy = MustPreset("china-2022");
  *policy.mutable_min_exposure() = ToProtoDuration(absl::Minutes(15));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       TraceWith(At(2020, 1, 28), policy));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "p1", "s2"));
  ExpectEntry(
      *tracer, "s2",
      Secondary(Contact("p1", At(2020, 1, 25, 10, 15), CivilDay(2020, 2, 1))));
}

// A close contact is never also a secondary contact, and a case never is.
// p1 and p2 both exposed to c1 01-24 10:00-11:00, and to each other
// 01-25 10:00-11:00. c2 exposed to p1 01-25 12:00-13:00, confirmed 01-27
// 11:00 with onset 01-27.
// china-2022 at 01-28: p2 is a close contact (source c1, until 01-24 + 10
// = 02-03), c2 a case; nobody is a secondary contact.
TEST_F(SecondaryContactTest, CloseContactsAndCasesAreNeverSecondary) {
  Register("c1", "h1");
  for (const char* p : {"p1", "p2", "c2"}) Register(p);
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Expose("c1", "p2", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Expose("p1", "p2", At(2020, 1, 25, 10), At(2020, 1, 25, 11));
  Expose("p1", "c2", At(2020, 1, 25, 12), At(2020, 1, 25, 13));
  DiagnoseWithOnset("c2", At(2020, 1, 27, 11), CivilDay(2020, 1, 27));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 28), "china-2022"));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("c1", "c2", "p1", "p2"));
  ExpectEntry(*tracer, "p2",
              Contact("c1", At(2020, 1, 24, 11), CivilDay(2020, 2, 3)));
  ExpectEntry(*tracer, "c2", ActiveCase(At(2020, 1, 27, 11)));
  for (const RosterEntry& entry : tracer->Roster()) {
    EXPECT_NE(entry.role, Role::kSecondaryContact) << entry.person_id;
  }
}

// ===========================================================================
// Explain.

using ExplainTest = TracingTest;

// Sources are listed per case and rule with the qualifying exposures.
// c1 (h1) and c2 (h2) standard cases (ws 01-23 00:00), never removed.
// p1 lives in h2 (c2's household) and was exposed to c1:
//   e0 [01-22 10:00, 11:00] ends before ws: not qualifying;
//   e1 [01-24 10:00, 11:00], e2 [01-25 10:00, 11:00]: qualifying, overlap
//   2 h, first 01-24 10:00, last exposure 01-25 11:00.
// Sources sorted by person id: {c1, exposure, [e1, e2]},
// {c2, household, [], first ws, continuous}. p1 is continuous: no until.
// at 01-28 00:00.
TEST_F(ExplainTest, ListsEachSourceWithItsRuleAndExposures) {
  Register("c1", "h1");
  Register("c2", "h2");
  Register("p1", "h2");
  StandardCase("c1");
  StandardCase("c2");
  Expose("c1", "p1", At(2020, 1, 22, 10), At(2020, 1, 22, 11));
  const uint64_t e1 =
      Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  const uint64_t e2 =
      Expose("c1", "p1", At(2020, 1, 25, 10), At(2020, 1, 25, 11));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  ASSERT_OK_AND_ASSIGN(Explanation p1, tracer->Explain("p1"));
  EXPECT_EQ(p1.person_id, "p1");
  EXPECT_TRUE(p1.in_roster);
  EXPECT_EQ(p1.role, Role::kCloseContact);
  EXPECT_FALSE(p1.until.has_value());
  EXPECT_THAT(p1.notes, ::testing::Not(IsEmpty()));
  ASSERT_THAT(p1.sources, SizeIs(2));
  EXPECT_EQ(p1.sources[0].person_id, "c1");
  EXPECT_EQ(p1.sources[0].rule, "exposure");
  EXPECT_THAT(p1.sources[0].exposures, UnorderedElementsAre(e1, e2));
  EXPECT_EQ(p1.sources[0].first, At(2020, 1, 24, 10));
  EXPECT_EQ(p1.sources[0].last_exposure, At(2020, 1, 25, 11));
  EXPECT_EQ(p1.sources[0].overlap, absl::Hours(2));
  EXPECT_FALSE(p1.sources[0].continuous);
  EXPECT_EQ(p1.sources[1].person_id, "c2");
  EXPECT_EQ(p1.sources[1].rule, "household");
  EXPECT_THAT(p1.sources[1].exposures, IsEmpty());
  EXPECT_EQ(p1.sources[1].first, Ws());
  EXPECT_TRUE(p1.sources[1].continuous);
}

// Secondary sources name the close contact with "secondary_exposure" and
// "secondary_household" (china-2022; world of
// SecondaryContactPresetTest.OnlyWhenThePolicyGivesThemPhases):
// s1: {p1, secondary_exposure, [e], first max(01-25 10:00, f(p1)) =
//      01-25 10:00, last 01-25 11:00, overlap 1 h}.
// s2: {p1, secondary_household, first f(p1) = 01-24 10:00, continuous}.
TEST_F(ExplainTest, NamesSecondaryRules) {
  Register("c1", "h1");
  Register("p1", "h2");
  Register("s1", "h4");
  Register("s2", "h2");
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  const uint64_t e =
      Expose("p1", "s1", At(2020, 1, 25, 10), At(2020, 1, 25, 11));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 28), "china-2022"));
  ASSERT_OK_AND_ASSIGN(Explanation s1, tracer->Explain("s1"));
  EXPECT_EQ(s1.role, Role::kSecondaryContact);
  ASSERT_THAT(s1.sources, SizeIs(1));
  EXPECT_EQ(s1.sources[0].person_id, "p1");
  EXPECT_EQ(s1.sources[0].rule, "secondary_exposure");
  EXPECT_THAT(s1.sources[0].exposures, ElementsAre(e));
  EXPECT_EQ(s1.sources[0].first, At(2020, 1, 25, 10));
  EXPECT_EQ(s1.sources[0].last_exposure, At(2020, 1, 25, 11));
  EXPECT_EQ(s1.sources[0].overlap, absl::Hours(1));

  ASSERT_OK_AND_ASSIGN(Explanation s2, tracer->Explain("s2"));
  EXPECT_EQ(s2.role, Role::kSecondaryContact);
  ASSERT_THAT(s2.sources, SizeIs(1));
  EXPECT_EQ(s2.sources[0].person_id, "p1");
  EXPECT_EQ(s2.sources[0].rule, "secondary_household");
  EXPECT_EQ(s2.sources[0].first, At(2020, 1, 24, 10));
  EXPECT_TRUE(s2.sources[0].continuous);
}

using ExplainPresetTest = TracingPresetTest;

// Phases with their first and last days. Days are counted from day 1 = the
// day after the last exposure, and day 0 is in the first phase (docs/rules.md
// section 7), so the first phase runs from D itself. p1 exposed to c1
// [01-27 14:00, 15:00]: D = 01-27.
// china-2020: centralized 01-27..02-10.
// china-2022: centralized 01-27..02-03, home 02-04..02-06.
// who-2020, cdc-2020: home 01-27..02-10.
// until = the last day of the last phase. at 01-28 00:00.
TEST_P(ExplainPresetTest, GivesPhasesWithFirstAndLastDays) {
  Register("c1", "h1");
  Register("p1");
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 27, 14), At(2020, 1, 27, 15));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, TraceP(At(2020, 1, 28)));
  ASSERT_OK_AND_ASSIGN(Explanation p1, tracer->Explain("p1"));
  const CivilDay d(2020, 1, 27);
  EXPECT_EQ(p1.until, d + CloseDays());
  ASSERT_EQ(p1.phases.size(), table().close_phases.size());
  CivilDay last = d;  // day 0
  for (size_t i = 0; i < p1.phases.size(); ++i) {
    SCOPED_TRACE(::testing::PrintToString(p1.phases[i]));
    EXPECT_EQ(p1.phases[i].place, table().close_phases[i].first);
    EXPECT_EQ(p1.phases[i].first_day, i == 0 ? d : last + 1);
    last += table().close_phases[i].second;
    EXPECT_EQ(p1.phases[i].last_day, last);
  }
}

INSTANTIATE_TEST_SUITE_P(Presets, ExplainPresetTest,
                         ::testing::ValuesIn(PresetTables()), PresetParamName);

// china-2022 by hand: D = 01-27; centralized from day 0 (01-27) through
// day 7 (02-03), home days 8-10 (02-04..02-06), until 02-06.
TEST_F(ExplainTest, China2022PhasesByHand) {
  Register("c1", "h1");
  Register("p1");
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 27, 14), At(2020, 1, 27, 15));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 28), "china-2022"));
  ASSERT_OK_AND_ASSIGN(Explanation p1, tracer->Explain("p1"));
  EXPECT_EQ(p1.until, CivilDay(2020, 2, 6));
  ASSERT_THAT(p1.phases, SizeIs(2));
  EXPECT_EQ(p1.phases[0].place, kCentralized);
  EXPECT_EQ(p1.phases[0].first_day, CivilDay(2020, 1, 27));
  EXPECT_EQ(p1.phases[0].last_day, CivilDay(2020, 2, 3));
  EXPECT_EQ(p1.phases[1].place, kHome);
  EXPECT_EQ(p1.phases[1].first_day, CivilDay(2020, 2, 4));
  EXPECT_EQ(p1.phases[1].last_day, CivilDay(2020, 2, 6));
}

// A registered person with no role: not in the roster, no role, no sources.
// An id that never occurs in the ledger: NotFound.
TEST_F(ExplainTest, PersonWithoutRoleAndUnknownPerson) {
  Register("c1", "h1");
  Register("x1", "h4");
  StandardCase("c1");

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  ASSERT_OK_AND_ASSIGN(Explanation x1, tracer->Explain("x1"));
  EXPECT_FALSE(x1.in_roster);
  EXPECT_FALSE(x1.role.has_value());
  EXPECT_THAT(x1.sources, IsEmpty());
  EXPECT_FALSE(x1.until.has_value());
  EXPECT_THAT(tracer->Explain("nobody"),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

// An active case explains itself as a case in the roster, with notes.
TEST_F(ExplainTest, ActiveCase) {
  Register("c1", "h1");
  StandardCase("c1");

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  ASSERT_OK_AND_ASSIGN(Explanation c1, tracer->Explain("c1"));
  EXPECT_TRUE(c1.in_roster);
  EXPECT_EQ(c1.role, Role::kCase);
  EXPECT_THAT(c1.notes, ::testing::Not(IsEmpty()));
}

// ===========================================================================
// Contacts(): k hops over a window, independent of diagnoses and policy.

class ContactsTest : public TracingTest {
 protected:
  std::vector<std::string> Ids(const std::vector<ContactAtDistance>& contacts) {
    std::vector<std::string> ids;
    for (const ContactAtDistance& contact : contacts) {
      ids.push_back(contact.person_id + ":" + std::to_string(contact.hops));
    }
    return ids;
  }
};

// a-b and a-d on 01-24 10:00-11:00, b-c 12:00-13:00, c-e 08:00-09:00 (before
// b-c: hops do not follow time), b-a again (a is never its own contact).
// Window [01-24 00:00, 01-25 00:00].
// hops 1: b:1, d:1. hops 2: + c:2. hops 3: + e:3. Sorted by hops, then id.
TEST_F(ContactsTest, HopByHopSortedByHopsThenId) {
  for (const char* p : {"a", "b", "c", "d", "e"}) Register(p);
  Expose("a", "d", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Expose("a", "b", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Expose("b", "c", At(2020, 1, 24, 12), At(2020, 1, 24, 13));
  Expose("c", "e", At(2020, 1, 24, 8), At(2020, 1, 24, 9));
  Expose("b", "a", At(2020, 1, 24, 14), At(2020, 1, 24, 15));
  const absl::Time from = At(2020, 1, 24);
  const absl::Time to = At(2020, 1, 25);

  ASSERT_OK_AND_ASSIGN(auto one, Contacts(*ledger_, "a", 1, from, to));
  EXPECT_THAT(Ids(one), ElementsAre("b:1", "d:1"));
  ASSERT_OK_AND_ASSIGN(auto two, Contacts(*ledger_, "a", 2, from, to));
  EXPECT_THAT(Ids(two), ElementsAre("b:1", "d:1", "c:2"));
  ASSERT_OK_AND_ASSIGN(auto three, Contacts(*ledger_, "a", 3, from, to));
  EXPECT_THAT(Ids(three), ElementsAre("b:1", "d:1", "c:2", "e:3"));
  ASSERT_OK_AND_ASSIGN(auto nine, Contacts(*ledger_, "a", 9, from, to));
  EXPECT_THAT(Ids(nine), ElementsAre("b:1", "d:1", "c:2", "e:3"));
}

// An exposure [10:00, 11:00] is in the window [from, to] when
// start <= to and end >= from.
TEST_F(ContactsTest, WindowIncludesExposuresTouchingItsEnds) {
  Register("a");
  Register("b");
  Expose("a", "b", At(2020, 1, 24, 10), At(2020, 1, 24, 11));

  auto ids = [&](absl::Time from, absl::Time to) {
    absl::StatusOr<std::vector<ContactAtDistance>> contacts =
        Contacts(*ledger_, "a", 1, from, to);
    EXPECT_TRUE(contacts.ok()) << contacts.status();
    return contacts.ok() ? Ids(*contacts) : std::vector<std::string>{"error"};
  };
  EXPECT_THAT(ids(At(2020, 1, 24, 11), At(2020, 1, 24, 12)),
              ElementsAre("b:1"));
  EXPECT_THAT(ids(At(2020, 1, 24, 11, 0, 1), At(2020, 1, 24, 12)), IsEmpty());
  EXPECT_THAT(ids(At(2020, 1, 24, 9), At(2020, 1, 24, 10)), ElementsAre("b:1"));
  EXPECT_THAT(ids(At(2020, 1, 24, 9), At(2020, 1, 24, 9, 59, 59)), IsEmpty());
  EXPECT_THAT(ids(At(2020, 1, 24, 10, 30), At(2020, 1, 24, 10, 30)),
              ElementsAre("b:1"));
}

// Retracted exposures and exposures recorded after known_at are not
// followed. a-b recorded at 01-20 08:00 then retracted at 01-25 08:00;
// a-c recorded at 01-26 08:00.
TEST_F(ContactsTest, FollowsTheReadView) {
  for (const char* p : {"a", "b", "c"}) Register(p);
  const uint64_t ab =
      Expose("a", "b", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  AddAt(At(2020, 1, 25, 8), MakeRetraction(ab));
  AddAt(At(2020, 1, 26, 8),
        MakeExposure("a", "c", At(2020, 1, 24, 10), At(2020, 1, 24, 11)));
  const absl::Time from = At(2020, 1, 24);
  const absl::Time to = At(2020, 1, 25);

  ASSERT_OK_AND_ASSIGN(auto all, Contacts(*ledger_, "a", 1, from, to));
  EXPECT_THAT(Ids(all), ElementsAre("c:1"));
  ASSERT_OK_AND_ASSIGN(auto early, Contacts(*ledger_, "a", 1, from, to,
                                            KnownAt(At(2020, 1, 24))));
  EXPECT_THAT(Ids(early), ElementsAre("b:1"));
}

TEST_F(ContactsTest, RejectsBadArguments) {
  Register("a");
  Register("b");
  Expose("a", "b", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  const absl::Time from = At(2020, 1, 24);
  const absl::Time to = At(2020, 1, 25);
  EXPECT_THAT(Contacts(*ledger_, "a", 0, from, to),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Contacts(*ledger_, "a", 1, to, from),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Contacts(*ledger_, "nobody", 1, from, to),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

// ===========================================================================
// TransmissionChains().

using TransmissionChainsTest = TracingTest;

// c1 (h1): onset 01-25 (ws 01-23), confirmed 01-27 10:00, hospital from
//   01-27 12:00.
// c2 (h2): exposure e to c1 [01-26 10:00, 11:00] (qualifies in c1's window);
//   confirmed 02-03 10:00 with onset 02-02, ws(c2) = 01-31: e does not
//   qualify in c2's window, so the only edge is c1 -> c2.
// c3 (h4): confirmed 01-30 10:00 onset 01-29, no exposure: a chain of one.
// p1: exposed to c1 but no case: in no chain.
// at 02-04 00:00: [{[c1, c2], [c1->c2 exposure [e]]}, {[c3], []}].
TEST_F(TransmissionChainsTest, LinkedCasesFormOneChainUnlinkedCaseItsOwn) {
  Register("c1", "h1");
  Register("c2", "h2");
  Register("c3", "h4");
  Register("p1");
  StandardCase("c1");
  Start("c1", Hosp(), kHospital);
  const uint64_t e =
      Expose("c1", "c2", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
  Expose("c1", "p1", At(2020, 1, 26, 12), At(2020, 1, 26, 13));
  DiagnoseWithOnset("c2", At(2020, 2, 3, 10), CivilDay(2020, 2, 2));
  DiagnoseWithOnset("c3", At(2020, 1, 30, 10), CivilDay(2020, 1, 29));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 2, 4)));
  const std::vector<TransmissionChain> chains = tracer->TransmissionChains();
  ASSERT_THAT(chains, SizeIs(2));
  EXPECT_THAT(chains[0].cases, ElementsAre("c1", "c2"));
  ASSERT_THAT(chains[0].edges, SizeIs(1));
  EXPECT_EQ(chains[0].edges[0].from, "c1");
  EXPECT_EQ(chains[0].edges[0].to, "c2");
  EXPECT_EQ(chains[0].edges[0].rule, "exposure");
  EXPECT_THAT(chains[0].edges[0].exposures, ElementsAre(e));
  EXPECT_THAT(chains[1].cases, ElementsAre("c3"));
  EXPECT_THAT(chains[1].edges, IsEmpty());
}

// Two cases of one household are linked by the household rule: c1 and m1 in
// h1; m1 confirmed 01-29 10:00 with onset 01-28. at 01-30: one chain
// [c1, m1] with an edge c1 -> m1 by "household".
TEST_F(TransmissionChainsTest, HouseholdRuleLinksCases) {
  Register("c1", "h1");
  Register("m1", "h1");
  StandardCase("c1");
  Start("c1", Hosp(), kHospital);
  DiagnoseWithOnset("m1", At(2020, 1, 29, 10), CivilDay(2020, 1, 28));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 30)));
  const std::vector<TransmissionChain> chains = tracer->TransmissionChains();
  ASSERT_THAT(chains, SizeIs(1));
  EXPECT_THAT(chains[0].cases, ElementsAre("c1", "m1"));
  bool found = false;
  for (const TransmissionChain::Edge& edge : chains[0].edges) {
    if (edge.from == "c1" && edge.to == "m1") {
      found = true;
      EXPECT_EQ(edge.rule, "household");
      EXPECT_THAT(edge.exposures, IsEmpty());
    }
  }
  EXPECT_TRUE(found) << ::testing::PrintToString(chains[0].edges);
}

}  // namespace
}  // namespace testutil
}  // namespace contactledger
