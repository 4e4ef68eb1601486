// Copyright 2026 The ContactLedger Authors.
//
// docs/rules.md §7 (the roster): until, inclusion on the last day, phases,
// source and its tie-break, continuity, required_since, and the ledger time
// zone; Tracer::AreaRollup and Tracer::MayPass.
//
// World (tests/tracing_test_util.h): c1 in h1, confirmed 2020-01-27 10:00
// UTC with onset 2020-01-25, so ws(c1) = 2020-01-23 00:00.

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
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
using ::testing::SizeIs;

constexpr v1::QuarantinePlace kHospital = v1::QUARANTINE_PLACE_HOSPITAL;
constexpr v1::QuarantinePlace kCentralized = v1::QUARANTINE_PLACE_CENTRALIZED;
constexpr v1::QuarantinePlace kHome = v1::QUARANTINE_PLACE_HOME;

// An instant at 00:00 UTC of `day` plus a time of day.
absl::Time OnDay(CivilDay day, int hour = 0, int minute = 0, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(),
                                           hour, minute, second),
                         absl::UTCTimeZone());
}

// ===========================================================================
// until and the roster's last day, per preset.

using RosterPresetTest = TracingPresetTest;

// p1 exposed to c1 [01-24 10:00, 11:00]: D = civil_day(last exposure) =
// 01-24; until = D + total days (china-2020 14 -> 02-07, china-2022 10 ->
// 02-03, who/cdc 14 -> 02-07).
// at = until 23:59:59: civil_day(at) = until: p1 is in the roster.
// at = until + 1 00:00: p1 is not (c1, an active case, still is).
TEST_P(RosterPresetTest, ContactStaysInTheRosterThroughItsUntilDay) {
  Register("c1", "h1");
  Register("p1");
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  const CivilDay until = CivilDay(2020, 1, 24) + CloseDays();

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> last_day,
                       TraceP(OnDay(until, 23, 59, 59)));
  ExpectEntry(*last_day, "p1", Contact("c1", At(2020, 1, 24, 11), until));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> next_day,
                       TraceP(OnDay(until + 1)));
  EXPECT_THAT(RosterIds(*next_day), ElementsAre("c1"));
  ASSERT_OK_AND_ASSIGN(Explanation p1, next_day->Explain("p1"));
  EXPECT_FALSE(p1.in_roster);
}

// Place by day d = civil_day(at) - D, counted from day 1 = the day after the
// last exposure; day 0 is in the first phase. p1 exposed [01-27 14:00, 15:00]
// (after c1's diagnosis), D = 01-27. at = 01-27 16:00 for d = 0, else
// D + d at 12:00.
// china-2020: d 0..14 centralized, 15 out.
// china-2022: d 0..7 centralized, 8..10 home, 11 out.
// who-2020, cdc-2020: d 0..14 home, 15 out.
TEST_P(RosterPresetTest, PlaceFollowsThePhasesFromTheDayAfterLastExposure) {
  Register("c1", "h1");
  Register("p1");
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 27, 14), At(2020, 1, 27, 15));
  const CivilDay d0(2020, 1, 27);

  for (int d = 0; d <= CloseDays() + 1; ++d) {
    SCOPED_TRACE(d);
    const absl::Time at = d == 0 ? At(2020, 1, 27, 16) : OnDay(d0 + d, 12);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, TraceP(at));
    const v1::QuarantinePlace place = PlaceOnDay(table().close_phases, d);
    if (place == v1::QUARANTINE_PLACE_UNSPECIFIED) {
      EXPECT_FALSE(FindEntry(*tracer, "p1").has_value());
      continue;
    }
    ExpectedEntry expected =
        Contact("c1", At(2020, 1, 27, 15), d0 + CloseDays());
    expected.place = place;
    ExpectEntry(*tracer, "p1", expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Presets, RosterPresetTest,
                         ::testing::ValuesIn(PresetTables()), PresetParamName);

using RosterTest = TracingTest;

// china-2022 by hand: p1 exposed [01-27 14:00, 15:00], D = 01-27.
// Day 0 (01-27 16:00) and days 1-7 (01-28..02-03) centralized; days 8-10
// (02-04..02-06) home; day 11 (02-07) out of the roster. until = 02-06.
TEST_F(RosterTest, China2022PhasesByHand) {
  Register("c1", "h1");
  Register("p1");
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 27, 14), At(2020, 1, 27, 15));

  auto place_at = [&](absl::Time at) -> std::string {
    absl::StatusOr<std::unique_ptr<Tracer>> tracer = Trace(at, "china-2022");
    if (!tracer.ok()) return tracer.status().ToString();
    std::optional<RosterEntry> entry = FindEntry(**tracer, "p1");
    if (!entry.has_value()) return "out";
    EXPECT_EQ(entry->until, CivilDay(2020, 2, 6));
    return v1::QuarantinePlace_Name(entry->place);
  };
  EXPECT_EQ(place_at(At(2020, 1, 27, 16)), "QUARANTINE_PLACE_CENTRALIZED");
  EXPECT_EQ(place_at(At(2020, 1, 28, 0)), "QUARANTINE_PLACE_CENTRALIZED");
  EXPECT_EQ(place_at(At(2020, 2, 3, 23, 59, 59)),
            "QUARANTINE_PLACE_CENTRALIZED");
  EXPECT_EQ(place_at(At(2020, 2, 4, 0)), "QUARANTINE_PLACE_HOME");
  EXPECT_EQ(place_at(At(2020, 2, 6, 23, 59, 59)), "QUARANTINE_PLACE_HOME");
  EXPECT_EQ(place_at(At(2020, 2, 7, 0)), "out");
}

// An active case is in the roster (hospital, required since diagnosis, no
// until); a recovered one is in no roster. c1 confirmed 01-27 10:00,
// recovered 02-01 10:00: at 02-01 09:59:59 in, at 02-01 10:00 out.
TEST_F(RosterTest, OnlyActiveCasesAreInTheRoster) {
  Register("c1", "h1");
  StandardCase("c1");
  Diagnose("c1", At(2020, 2, 1, 10), v1::DIAGNOSIS_STATUS_RECOVERED);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> active,
                       Trace(At(2020, 2, 1, 9, 59, 59)));
  ExpectEntry(*active, "c1", ActiveCase(Diag()));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> recovered,
                       Trace(At(2020, 2, 1, 10)));
  EXPECT_THAT(RosterIds(*recovered), IsEmpty());
}

// The source is the case with the latest last exposure. c1 (h1) and c2 (h2)
// standard cases. p1 exposed to c2 [01-26 10:00, 11:00] and to c1
// [01-25 10:00, 11:00]: source c2, last exposure 01-26 11:00, until 02-09.
TEST_F(RosterTest, SourceIsTheCaseWithTheLatestLastExposure) {
  Register("c1", "h1");
  Register("c2", "h2");
  Register("p1");
  StandardCase("c1");
  StandardCase("c2");
  Expose("c2", "p1", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
  Expose("c1", "p1", At(2020, 1, 25, 10), At(2020, 1, 25, 11));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  ExpectEntry(*tracer, "p1",
              Contact("c2", At(2020, 1, 26, 11), CivilDay(2020, 2, 9)));
}

// Ties go to the smallest person id. p1's exposure to c2 [01-26 10:00,
// 11:00] is recorded first, then one to c1 [01-26 09:00, 11:00]: both last
// exposures are 01-26 11:00, so the source is c1 (not the first recorded).
TEST_F(RosterTest, SourceTieGoesToTheSmallestPersonId) {
  Register("c1", "h1");
  Register("c2", "h2");
  Register("p1");
  StandardCase("c2");
  StandardCase("c1");
  Expose("c2", "p1", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
  Expose("p1", "c1", At(2020, 1, 26, 9), At(2020, 1, 26, 11));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  ExpectEntry(*tracer, "p1",
              Contact("c1", At(2020, 1, 26, 11), CivilDay(2020, 2, 9)));
}

// A contact is continuous when any source is, whichever comes first.
// c1 (h1) and c2 (h2) standard cases, never removed.
// p1 lives in h2 with c2 (continuous) and was exposed to c1
//    [01-26 10:00, 11:00]: continuous, no until, last exposure
//    min(we(c2), at) = at = 01-28 00:00, source c2 (the latest).
// q1 lives in h1 with c1 (continuous) and was exposed to c2
//    [01-26 10:00, 11:00]: the same with source c1.
// Both in the first phase: centralized.
TEST_F(RosterTest, ContactIsContinuousWhenAnySourceIs) {
  Register("c1", "h1");
  Register("c2", "h2");
  Register("p1", "h2");
  Register("q1", "h1");
  StandardCase("c1");
  StandardCase("c2");
  Expose("c1", "p1", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
  Expose("c2", "q1", At(2020, 1, 26, 10), At(2020, 1, 26, 11));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  ExpectedEntry p1 = ContinuousContact("c2", At(2020, 1, 28));
  p1.place = kCentralized;
  ExpectEntry(*tracer, "p1", p1);
  ExpectedEntry q1 = ContinuousContact("c1", At(2020, 1, 28));
  q1.place = kCentralized;
  ExpectEntry(*tracer, "q1", q1);
}

// required_since = the earliest max(diagnosis time(C), first qualifying
// moment of P with C) over P's sources. at 01-29 00:00, china-2020.
// c1 (h1) standard case (diag 01-27 10:00, ws 01-23), never removed.
// p1 [01-24 10:00, 11:00]            -> max(01-27 10:00, 01-24 10:00)
//                                       = 01-27 10:00.
// p2 [01-27 15:00, 16:00]            -> 01-27 15:00.
// m1 (h1), household: first moment ws -> 01-27 10:00.
// c2 (h4) confirmed 01-28 10:00, onset 01-27 (ws 01-25).
// p4 to c1 [01-27 16:00, 17:00]      -> 01-27 16:00;
//    to c2 [01-28 11:00, 12:00]      -> 01-28 11:00; earliest 01-27 16:00,
//    although the source is c2 (last exposure 01-28 12:00).
// c3 confirmed 01-27 10:00 with onset 01-30: ws = 01-28 00:00.
// p3 to c3 [01-27 20:00, 01-28 02:00] -> first moment max(start, ws) =
//    01-28 00:00 -> max(01-27 10:00, 01-28 00:00) = 01-28 00:00.
TEST_F(RosterTest, RequiredSinceIsTheLaterOfDiagnosisAndFirstMoment) {
  Register("c1", "h1");
  Register("m1", "h1");
  Register("c2", "h4");
  Register("c3");
  for (const char* p : {"p1", "p2", "p3", "p4"}) Register(p);
  StandardCase("c1");
  DiagnoseWithOnset("c2", At(2020, 1, 28, 10), CivilDay(2020, 1, 27));
  DiagnoseWithOnset("c3", Diag(), CivilDay(2020, 1, 30));
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Expose("c1", "p2", At(2020, 1, 27, 15), At(2020, 1, 27, 16));
  Expose("c1", "p4", At(2020, 1, 27, 16), At(2020, 1, 27, 17));
  Expose("c2", "p4", At(2020, 1, 28, 11), At(2020, 1, 28, 12));
  Expose("c3", "p3", At(2020, 1, 27, 20), At(2020, 1, 28, 2));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));
  EXPECT_THAT(RosterIds(*tracer),
              ElementsAre("c1", "c2", "c3", "m1", "p1", "p2", "p3", "p4"));
  auto required_since = [&](const char* id) {
    std::optional<RosterEntry> entry = FindEntry(*tracer, id);
    return entry.has_value() ? entry->required_since : absl::InfinitePast();
  };
  EXPECT_EQ(required_since("p1"), Diag());
  EXPECT_EQ(required_since("p2"), At(2020, 1, 27, 15));
  EXPECT_EQ(required_since("m1"), Diag());
  EXPECT_EQ(required_since("p4"), At(2020, 1, 27, 16));
  EXPECT_EQ(required_since("p3"), At(2020, 1, 28));
  ExpectEntry(*tracer, "p4",
              Contact("c2", At(2020, 1, 28, 12), CivilDay(2020, 2, 11)));
  ExpectEntry(*tracer, "c2", ActiveCase(At(2020, 1, 28, 10)));
  ExpectEntry(*tracer, "c3", ActiveCase(Diag()));
}

// A secondary contact's required_since = max(required_since of its close
// contact, first qualifying moment of S with P), earliest over its sources.
// china-2022, at 01-28 12:00. c1 standard case.
// p1 [01-24 10:00, 11:00]: required 01-27 10:00, f(p1) = 01-24 10:00.
// p2 [01-27 15:00, 16:00]: required 01-27 15:00, f(p2) = 01-27 15:00.
// s1 to p2 [01-27 17:00, 18:00]: max(01-27 15:00, 17:00) = 01-27 17:00;
//    until 01-27 + 7 = 02-03.
// s2 to p1 [01-25 10:00, 11:00]: max(01-27 10:00, 01-25 10:00) = 01-27 10:00.
// s4 to p1 [01-27 19:00, 20:00] (19:00) and to p2 [01-27 18:00, 18:30]
//    (18:00): earliest 01-27 18:00; source p1 (last exposure 20:00).
TEST_F(RosterTest, SecondaryRequiredSinceFollowsItsCloseContact) {
  Register("c1", "h1");
  for (const char* p : {"p1", "p2", "s1", "s2", "s4"}) Register(p);
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Expose("c1", "p2", At(2020, 1, 27, 15), At(2020, 1, 27, 16));
  Expose("p2", "s1", At(2020, 1, 27, 17), At(2020, 1, 27, 18));
  Expose("p1", "s2", At(2020, 1, 25, 10), At(2020, 1, 25, 11));
  Expose("p1", "s4", At(2020, 1, 27, 19), At(2020, 1, 27, 20));
  Expose("p2", "s4", At(2020, 1, 27, 18), At(2020, 1, 27, 18, 30));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 28, 12), "china-2022"));
  ExpectedEntry s1 =
      Secondary(Contact("p2", At(2020, 1, 27, 18), CivilDay(2020, 2, 3)));
  s1.required_since = At(2020, 1, 27, 17);
  ExpectEntry(*tracer, "s1", s1);
  ExpectedEntry s2 =
      Secondary(Contact("p1", At(2020, 1, 25, 11), CivilDay(2020, 2, 1)));
  s2.required_since = Diag();
  ExpectEntry(*tracer, "s2", s2);
  ExpectedEntry s4 =
      Secondary(Contact("p1", At(2020, 1, 27, 20), CivilDay(2020, 2, 3)));
  s4.required_since = At(2020, 1, 27, 18);
  ExpectEntry(*tracer, "s4", s4);
}

// The roster is sorted by person id.
TEST_F(RosterTest, IsSortedByPersonId) {
  Register("c1", "h1");
  for (const char* p : {"zz", "aa", "mm"}) Register(p);
  StandardCase("c1");
  Expose("c1", "zz", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
  Expose("c1", "aa", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
  Expose("c1", "mm", At(2020, 1, 26, 10), At(2020, 1, 26, 11));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  EXPECT_THAT(RosterIds(*tracer), ElementsAre("aa", "c1", "mm", "zz"));
}

// Roster(&entries) refills a vector the caller keeps: whatever it held
// before (more entries, fewer, or entries with every field set), it ends up
// field for field equal to a fresh Roster(). The roster mixes every kind of
// entry: an active case, a continuous household contact (no until), close
// contacts with an until, and a secondary contact (china-2022 has secondary
// phases).
TEST_F(RosterTest, RefillingAKeptVectorGivesTheSameEntriesAsAFreshRoster) {
  Register("c1", "h1");
  Register("m1", "h1");
  for (const char* p : {"p1", "p2", "s1"}) Register(p);
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 24, 10), At(2020, 1, 24, 11));
  Expose("c1", "p2", At(2020, 1, 27, 15), At(2020, 1, 27, 16));
  Expose("p2", "s1", At(2020, 1, 27, 17), At(2020, 1, 27, 18));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 28, 12), "china-2022"));
  const std::vector<RosterEntry> fresh = tracer->Roster();
  ASSERT_THAT(fresh, SizeIs(5));
  ASSERT_EQ(fresh[0].role, Role::kCase);
  ASSERT_TRUE(fresh[1].continuous);  // m1
  ASSERT_EQ(fresh[4].role, Role::kSecondaryContact);

  auto expect_same = [&](const std::vector<RosterEntry>& got,
                         const std::string& what) {
    ASSERT_EQ(got.size(), fresh.size()) << what;
    for (size_t i = 0; i < got.size(); ++i) {
      SCOPED_TRACE(absl::StrCat(what, ", entry ", i));
      EXPECT_EQ(got[i].person_id, fresh[i].person_id);
      EXPECT_EQ(got[i].role, fresh[i].role);
      EXPECT_EQ(got[i].source, fresh[i].source);
      EXPECT_EQ(got[i].last_exposure, fresh[i].last_exposure);
      EXPECT_EQ(got[i].until, fresh[i].until);
      EXPECT_EQ(got[i].continuous, fresh[i].continuous);
      EXPECT_EQ(got[i].place, fresh[i].place);
      EXPECT_EQ(got[i].required_since, fresh[i].required_since);
    }
  };
  RosterEntry stale;
  stale.person_id = "a-long-person-id-that-needs-the-heap";
  stale.role = Role::kSecondaryContact;
  stale.source = "another-long-id-that-needs-the-heap";
  stale.last_exposure = At(1999, 1, 1);
  stale.until = CivilDay(1999, 1, 1);
  stale.continuous = true;
  stale.place = kHome;
  stale.required_since = At(1999, 1, 2);

  std::vector<RosterEntry> more(9, stale);
  tracer->Roster(&more);
  expect_same(more, "kept vector of 9 stale entries");
  std::vector<RosterEntry> fewer(2, stale);
  tracer->Roster(&fewer);
  expect_same(fewer, "kept vector of 2 stale entries");
  std::vector<RosterEntry> empty;
  tracer->Roster(&empty);
  expect_same(empty, "empty vector");
  // Again into the same vector: nothing of the first answer lingers.
  tracer->Roster(&more);
  expect_same(more, "the same vector refilled");

  // A later, emptier roster into a vector that held this one.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> later,
                       Trace(At(2020, 3, 1), "china-2022"));
  later->Roster(&more);
  const std::vector<RosterEntry> later_fresh = later->Roster();
  ASSERT_EQ(more.size(), later_fresh.size());
  for (size_t i = 0; i < more.size(); ++i) {
    EXPECT_EQ(more[i].person_id, later_fresh[i].person_id);
    EXPECT_EQ(more[i].source, later_fresh[i].source);
    EXPECT_EQ(more[i].until, later_fresh[i].until);
  }
}

// ===========================================================================
// The ledger's time zone (docs/rules.md section 1): Asia/Shanghai, UTC+8.

absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &zone));
  return zone;
}

class ShanghaiRosterTest : public TracingTest {
 protected:
  ShanghaiRosterTest() : TracingTest(Shanghai()) {}
};

// c1 confirmed 01-27 10:00 UTC (18:00 +08) with onset 01-25: the onset means
// 01-25 00:00 +08 = 01-24 16:00 UTC; ws = 01-22 16:00 UTC.
// p1 [01-27 16:30, 17:00 UTC] = 01-28 00:30-01:00 +08: D = 01-28 (UTC would
//    say 01-27); until = 01-28 + 14 = 02-11 (china-2020).
// p2 [01-22 15:00, 16:00 UTC]: ends exactly at ws: qualifies; last exposure
//    01-22 16:00 UTC = 01-23 00:00 +08: until 01-23 + 14 = 02-06.
// p3 [01-22 15:00, 15:59:59 UTC]: no.
// Roster: at 02-06 15:59:59 UTC (23:59:59 +08) p2 in; at 02-06 16:00 UTC
// (02-07 00:00 +08) out. at 02-11 15:59:59 UTC p1 in; 02-11 16:00 UTC out.
TEST_F(ShanghaiRosterTest, UntilAndWindowAreInTheLedgerZone) {
  Register("c1", "h1");
  for (const char* p : {"p1", "p2", "p3"}) Register(p);
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 27, 16, 30), At(2020, 1, 27, 17));
  Expose("c1", "p2", At(2020, 1, 22, 15), At(2020, 1, 22, 16));
  Expose("c1", "p3", At(2020, 1, 22, 15), At(2020, 1, 22, 15, 59, 59));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> early, Trace(At(2020, 1, 28)));
  ExpectEntry(*early, "p1",
              Contact("c1", At(2020, 1, 27, 17), CivilDay(2020, 2, 11)));
  ExpectEntry(*early, "p2",
              Contact("c1", At(2020, 1, 22, 16), CivilDay(2020, 2, 6)));
  EXPECT_FALSE(FindEntry(*early, "p3").has_value());

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> p2_last,
                       Trace(At(2020, 2, 6, 15, 59, 59)));
  EXPECT_TRUE(FindEntry(*p2_last, "p2").has_value());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> p2_after,
                       Trace(At(2020, 2, 6, 16)));
  EXPECT_FALSE(FindEntry(*p2_after, "p2").has_value());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> p1_last,
                       Trace(At(2020, 2, 11, 15, 59, 59)));
  EXPECT_TRUE(FindEntry(*p1_last, "p1").has_value());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> p1_after,
                       Trace(At(2020, 2, 11, 16)));
  EXPECT_FALSE(FindEntry(*p1_after, "p1").has_value());
}

// Phases count Shanghai days. china-2022, p1 as above (D = 01-28 +08).
// at 02-04 15:59:59 UTC = 02-04 23:59:59 +08: d = 7: centralized.
// at 02-04 16:00 UTC = 02-05 00:00 +08: d = 8: home. (Counting UTC days,
// the first would already be d = 8.) until = 01-28 + 10 = 02-07.
TEST_F(ShanghaiRosterTest, PhasesCountDaysInTheLedgerZone) {
  Register("c1", "h1");
  Register("p1");
  StandardCase("c1");
  Expose("c1", "p1", At(2020, 1, 27, 16, 30), At(2020, 1, 27, 17));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> day7,
                       Trace(At(2020, 2, 4, 15, 59, 59), "china-2022"));
  ExpectedEntry expected =
      Contact("c1", At(2020, 1, 27, 17), CivilDay(2020, 2, 7));
  expected.place = kCentralized;
  ExpectEntry(*day7, "p1", expected);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> day8,
                       Trace(At(2020, 2, 4, 16), "china-2022"));
  expected.place = kHome;
  ExpectEntry(*day8, "p1", expected);
}

// Text output shows instants as RFC 3339 with the ledger zone's offset
// (docs/rules.md section 1): c1 confirmed 01-27 10:00 UTC is
// 2020-01-27T18:00:00+08:00 in the notes of its explanation.
TEST_F(ShanghaiRosterTest, NotesShowInstantsWithTheZoneOffset) {
  Register("c1", "h1");
  StandardCase("c1");

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 28)));
  ASSERT_OK_AND_ASSIGN(Explanation c1, tracer->Explain("c1"));
  EXPECT_THAT(c1.notes,
              ::testing::Contains(HasSubstr("2020-01-27T18:00:00+08:00")))
      << ::testing::PrintToString(c1.notes);
}

// ===========================================================================
// AreaRollup.

// World at 01-29 00:00, china-2020:
// v1: c1 (h1) standard case, hospital from 01-27 12:00;
//     m1 (h1) household contact (until 02-10), centralized from 01-27 18:00,
//        one check at 01-28 00:00 (= at - 24 h: not in the last 24 h);
//     p1 (h2) exposed to c1 [01-26 10:00, 11:00] (until 02-09), no stay.
// v2: p3 (h3, no worker) exposed to c1 [01-26 14:00, 15:00], home from
//        01-28 08:00, check at 01-29 00:00 (= at: counted);
//     x (h4) checks at 01-28 00:00:01 (counted) and 01-29 00:00:01 (after
//        at: not counted);
//     y registered in v2 with no household.
// Loops: c1 missed_check (36 h since 01-27 12:00 > 12 h); m1 missed_check
// (24 h since its 01-28 00:00 check); p1 unplaced (at >= 01-27 10:00 + 24 h);
// p3 no_owner. So
//   v1: persons 3, households 2, active 1, close 2, hospital 1,
//       centralized 1, home 0, loops unplaced 1 missed_check 2, checks 0.
//   v2: persons 3, households 2, active 0, close 1, home 1,
//       loops no_owner 1, checks 2.
class AreaRollupTest : public TracingTest {
 protected:
  void SetUp() override {
    Register("c1", "h1");
    Register("m1", "h1");
    Register("p1", "h2");
    Register("p3", "h3");
    Register("x", "h4");
    Register("y", "", "v2");
    StandardCase("c1");
    Start("c1", Hosp(), kHospital);
    Start("m1", At(2020, 1, 27, 18), kCentralized);
    Check("m1", At(2020, 1, 28));
    Expose("c1", "p1", At(2020, 1, 26, 10), At(2020, 1, 26, 11));
    Expose("c1", "p3", At(2020, 1, 26, 14), At(2020, 1, 26, 15));
    Start("p3", At(2020, 1, 28, 8), kHome);
    Check("p3", At(2020, 1, 29));
    Check("x", At(2020, 1, 28, 0, 0, 1));
    Check("x", At(2020, 1, 29, 0, 0, 1));
  }
  static std::vector<uint64_t> Loops(std::vector<std::pair<LoopKind, int>> n) {
    std::vector<uint64_t> loops(8, 0);
    for (const auto& [kind, count] : n) loops[static_cast<int>(kind)] = count;
    return loops;
  }
};

TEST_F(AreaRollupTest, CountsPerChildArea) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> rows,
                       tracer->AreaRollup("t"));
  ASSERT_THAT(rows, SizeIs(2));

  const AreaRollupRow& v1 = rows[0];
  EXPECT_EQ(v1.area_id, "v1");
  EXPECT_EQ(v1.name, "Upper Village");
  EXPECT_EQ(v1.persons, 3u);
  EXPECT_EQ(v1.households, 2u);
  EXPECT_EQ(v1.active_cases, 1u);
  EXPECT_EQ(v1.close_contacts, 2u);
  EXPECT_EQ(v1.secondary_contacts, 0u);
  EXPECT_EQ(v1.in_hospital, 1u);
  EXPECT_EQ(v1.in_centralized, 1u);
  EXPECT_EQ(v1.at_home, 0u);
  EXPECT_EQ(v1.loops,
            Loops({{LoopKind::kUnplaced, 1}, {LoopKind::kMissedCheck, 2}}));
  EXPECT_EQ(v1.checks_last_24h, 0u);

  const AreaRollupRow& v2 = rows[1];
  EXPECT_EQ(v2.area_id, "v2");
  EXPECT_EQ(v2.name, "Lower Village");
  EXPECT_EQ(v2.persons, 3u);
  EXPECT_EQ(v2.households, 2u);
  EXPECT_EQ(v2.active_cases, 0u);
  EXPECT_EQ(v2.close_contacts, 1u);
  EXPECT_EQ(v2.secondary_contacts, 0u);
  EXPECT_EQ(v2.in_hospital, 0u);
  EXPECT_EQ(v2.in_centralized, 0u);
  EXPECT_EQ(v2.at_home, 1u);
  EXPECT_EQ(v2.loops, Loops({{LoopKind::kNoOwner, 1}}));
  EXPECT_EQ(v2.checks_last_24h, 2u);
}

// The county's only child is township t, with the sums of v1 and v2.
TEST_F(AreaRollupTest, CountyRollsUpItsTownship) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> rows,
                       tracer->AreaRollup("c"));
  ASSERT_THAT(rows, SizeIs(1));
  EXPECT_EQ(rows[0].area_id, "t");
  EXPECT_EQ(rows[0].persons, 6u);
  EXPECT_EQ(rows[0].households, 4u);
  EXPECT_EQ(rows[0].active_cases, 1u);
  EXPECT_EQ(rows[0].close_contacts, 3u);
  EXPECT_EQ(rows[0].in_hospital, 1u);
  EXPECT_EQ(rows[0].in_centralized, 1u);
  EXPECT_EQ(rows[0].at_home, 1u);
  EXPECT_EQ(rows[0].loops, Loops({{LoopKind::kUnplaced, 1},
                                  {LoopKind::kMissedCheck, 2},
                                  {LoopKind::kNoOwner, 1}}));
  EXPECT_EQ(rows[0].checks_last_24h, 2u);
}

// Secondary contacts are counted per area too: with china-2022, s1 (h4, in
// v2) exposed to p1 [01-26 12:00, 13:00] is a secondary contact (until
// 01-26 + 7 = 02-02 >= 01-29), counted in v2; p3's and m1's places do not
// change the counts of contacts.
TEST_F(AreaRollupTest, CountsSecondaryContacts) {
  Register("s1", "h4");
  Expose("p1", "s1", At(2020, 1, 26, 12), At(2020, 1, 26, 13));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer,
                       Trace(At(2020, 1, 29), "china-2022"));
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> rows,
                       tracer->AreaRollup("t"));
  ASSERT_THAT(rows, SizeIs(2));
  EXPECT_EQ(rows[0].close_contacts, 2u);
  EXPECT_EQ(rows[0].secondary_contacts, 0u);
  EXPECT_EQ(rows[1].close_contacts, 1u);
  EXPECT_EQ(rows[1].secondary_contacts, 1u);
  EXPECT_EQ(rows[1].persons, 4u);
}

TEST_F(AreaRollupTest, UnknownAreaIsNotFound) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));
  EXPECT_THAT(tracer->AreaRollup("atlantis"),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

// The open loops of this world, by hand (sorted by person, kind, since):
// c1 missed_check since 01-27 12:00 + 12 h = 01-28 00:00;
// m1 missed_check since 01-28 00:00 + 12 h = 01-28 12:00;
// p1 unplaced since 01-27 10:00 + 24 h = 01-28 10:00;
// p3 no_owner since its required_since 01-27 10:00.
TEST_F(AreaRollupTest, OpenLoopsOfTheWorld) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));
  std::vector<std::string> loops;
  for (const OpenLoop& loop : tracer->OpenLoops()) {
    loops.push_back(
        loop.person_id + " " + std::string(LoopKindName(loop.kind)) + " " +
        absl::FormatTime("%Y-%m-%d %H:%M", loop.since, absl::UTCTimeZone()));
  }
  EXPECT_THAT(loops, ElementsAre("c1 missed_check 2020-01-28 00:00",
                                 "m1 missed_check 2020-01-28 12:00",
                                 "p1 unplaced 2020-01-28 10:00",
                                 "p3 no_owner 2020-01-27 10:00"));
}

// ===========================================================================
// MayPass.

// at 01-29 00:00, china-2020 (the AreaRollupTest world plus z and w):
// c1: hospital stay open, and in the roster: refused.
// m1: centralized stay open: refused.
// p1: in the roster (until 02-09), no stay: refused (the reason names the
//     roster / contact).
// w:  a voluntary home stay open since 01-28 (not in the roster): refused
//     (the reason names the stay).
// x:  neither: allowed. z: a home stay 01-25..01-26, ended: allowed.
// At 02-10 00:00 p1 (until 02-09, no stay) is allowed.
using MayPassTest = AreaRollupTest;

TEST_F(MayPassTest, RefusedInAStayOrInTheRosterAllowedOtherwise) {
  Register("z", "h4");
  Register("w", "h4");
  Start("z", At(2020, 1, 25), kHome);
  End("z", At(2020, 1, 26));
  Start("w", At(2020, 1, 28), kHome);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));
  for (const char* refused : {"c1", "m1", "p1", "w"}) {
    SCOPED_TRACE(refused);
    ASSERT_OK_AND_ASSIGN(PassDecision decision,
                         tracer->MayPass(refused, "gate-1"));
    EXPECT_FALSE(decision.allowed);
    EXPECT_FALSE(decision.reason.empty());
  }
  ASSERT_OK_AND_ASSIGN(PassDecision p1, tracer->MayPass("p1", "gate-1"));
  EXPECT_THAT(p1.reason, MentionsAny({"roster", "contact"}));
  ASSERT_OK_AND_ASSIGN(PassDecision w, tracer->MayPass("w", "gate-1"));
  EXPECT_THAT(w.reason, MentionsAny({"stay", "quarantine", "home"}));
  for (const char* allowed : {"x", "z", "y"}) {
    SCOPED_TRACE(allowed);
    ASSERT_OK_AND_ASSIGN(PassDecision decision,
                         tracer->MayPass(allowed, "gate-1"));
    EXPECT_TRUE(decision.allowed) << decision.reason;
  }

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> later, Trace(At(2020, 2, 10)));
  ASSERT_OK_AND_ASSIGN(PassDecision p1_later, later->MayPass("p1", "gate-1"));
  EXPECT_TRUE(p1_later.allowed) << p1_later.reason;
}

TEST_F(MayPassTest, EmptyCheckpointIsInvalidArgument) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));
  EXPECT_THAT(tracer->MayPass("x", ""),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

// An id no event names is an unknown person, not allowed: "C1" and "c1 "
// are not the case c1 (ids are matched exactly), and "nobody" is no one.
// The verdicts of the others are kAllowed and kRefused.
TEST_F(MayPassTest, UnknownPersonIsNotAllowed) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));
  for (const char* unknown : {"nobody", "C1", "c1 ", " c1"}) {
    SCOPED_TRACE(unknown);
    ASSERT_OK_AND_ASSIGN(PassDecision decision,
                         tracer->MayPass(unknown, "gate-1"));
    EXPECT_FALSE(decision.allowed);
    EXPECT_EQ(decision.verdict, PassVerdict::kUnknownPerson);
    EXPECT_THAT(decision.reason, HasSubstr("not in the ledger"));
  }
  ASSERT_OK_AND_ASSIGN(PassDecision c1, tracer->MayPass("c1", "gate-1"));
  EXPECT_EQ(c1.verdict, PassVerdict::kRefused);
  ASSERT_OK_AND_ASSIGN(PassDecision x, tracer->MayPass("x", "gate-1"));
  EXPECT_EQ(x.verdict, PassVerdict::kAllowed);
  EXPECT_TRUE(x.allowed);
  EXPECT_EQ(PassVerdictName(PassVerdict::kUnknownPerson), "unknown_person");
}

// Known means named by an event the read sees: an unregistered person named
// by an exposure is known (and allowed); a person first named after the
// read's known_at, or only by a retracted event, is unknown.
TEST_F(MayPassTest, KnownMeansNamedByAVisibleEvent) {
  Expose("x", "u1", At(2020, 1, 20, 8), At(2020, 1, 20, 9));
  const uint64_t typo =
      Expose("x", "typo", At(2020, 1, 20, 8), At(2020, 1, 20, 9));
  Add(MakeRetraction(typo, "wrong id"));
  const absl::Time before_late = clock_.Now();
  clock_.Advance(absl::Hours(1));
  Register("late", "h4");

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> now, Trace(At(2020, 1, 29)));
  EXPECT_EQ(now->MayPass("u1", "gate-1")->verdict, PassVerdict::kAllowed);
  EXPECT_EQ(now->MayPass("late", "gate-1")->verdict, PassVerdict::kAllowed);
  EXPECT_EQ(now->MayPass("typo", "gate-1")->verdict,
            PassVerdict::kUnknownPerson);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> then,
                       Trace(At(2020, 1, 29), "china-2020", before_late));
  EXPECT_EQ(then->MayPass("late", "gate-1")->verdict,
            PassVerdict::kUnknownPerson);
  EXPECT_EQ(then->MayPass("u1", "gate-1")->verdict, PassVerdict::kAllowed);
}

// ===========================================================================
// The roll-up of the top area against the roster.

// With a close contact u1 who was never registered and one, n1, registered
// with neither area nor household, both exposed to c1, the county's roll-up
// ends with "(unassigned)" holding them: its close contacts add up to the
// roster's (c1's p1, p3, m1 plus u1 and n1: 5), and its loops to the open
// loops. A township's roll-up has no such row.
TEST_F(AreaRollupTest, TopAreaRollupAddsUpToTheRosterWithUnassignedRow) {
  Register("n1");
  Expose("c1", "u1", At(2020, 1, 26, 16), At(2020, 1, 26, 17));
  Expose("c1", "n1", At(2020, 1, 26, 16), At(2020, 1, 26, 17));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));

  uint64_t roster_close = 0, roster_cases = 0;
  for (const RosterEntry& e : tracer->Roster()) {
    roster_close += e.role == Role::kCloseContact;
    roster_cases += e.role == Role::kCase;
  }
  EXPECT_EQ(roster_close, 5u);
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> rows,
                       tracer->AreaRollup("c"));
  ASSERT_THAT(rows, SizeIs(2));
  EXPECT_EQ(rows[0].area_id, "t");
  const AreaRollupRow& unassigned = rows[1];
  EXPECT_EQ(unassigned.area_id, kUnassignedAreaId);
  EXPECT_EQ(unassigned.persons, 1u);  // n1; u1 is not registered
  EXPECT_EQ(unassigned.households, 0u);
  EXPECT_EQ(unassigned.close_contacts, 2u);
  uint64_t close = 0, cases = 0, loops = 0;
  for (const AreaRollupRow& r : rows) {
    close += r.close_contacts;
    cases += r.active_cases;
    for (uint64_t n : r.loops) loops += n;
  }
  EXPECT_EQ(close, roster_close);
  EXPECT_EQ(cases, roster_cases);
  EXPECT_EQ(loops, tracer->OpenLoops().size());

  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> township,
                       tracer->AreaRollup("t"));
  for (const AreaRollupRow& r : township) {
    EXPECT_NE(r.area_id, kUnassignedAreaId);
  }
}

// With everyone in an area, the county's roll-up has no "(unassigned)" row.
TEST_F(AreaRollupTest, NoUnassignedRowWhenEveryoneHasAnArea) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Tracer> tracer, Trace(At(2020, 1, 29)));
  ASSERT_OK_AND_ASSIGN(std::vector<AreaRollupRow> rows,
                       tracer->AreaRollup("c"));
  ASSERT_THAT(rows, SizeIs(1));
  EXPECT_EQ(rows[0].area_id, "t");
}

}  // namespace
}  // namespace testutil
}  // namespace contactledger
