// Copyright 2026 The ContactLedger Authors.
//
// internal::DayOf (lib/query/tracing_engine.h) remembers the span of the last
// civil day it computed; these tests check it against absl::ToCivilDay for
// every quarter hour across daylight-saving changes in several zones, in
// orders that hit and miss the remembered span.

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "lib/query/tracing_engine.h"

namespace contactledger {
namespace internal {
namespace {

int64_t Expected(int64_t seconds, const absl::TimeZone& zone) {
  return absl::ToCivilDay(absl::FromUnixSeconds(seconds), zone) -
         absl::CivilDay(1970, 1, 1);
}

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

const std::vector<std::string>& ZoneNames() {
  static const auto* names = new std::vector<std::string>{
      "UTC",           "Asia/Shanghai",       "America/New_York",
      "Europe/London", "Australia/Lord_Howe", "America/Santiago",
      "Pacific/Apia"};
  return *names;
}

TEST(DayOf, EveryQuarterHourAcrossDaylightSavingChanges) {
  for (const std::string& name : ZoneNames()) {
    const absl::TimeZone zone = Zone(name);
    // 2011 holds Samoa's skipped day (30 December) and many DST changes.
    const int64_t from = absl::ToUnixSeconds(
        absl::FromCivil(absl::CivilDay(2011, 1, 1), absl::UTCTimeZone()));
    const int64_t to = absl::ToUnixSeconds(
        absl::FromCivil(absl::CivilDay(2012, 1, 1), absl::UTCTimeZone()));
    for (int64_t s = from; s < to; s += 15 * 60) {
      ASSERT_EQ(DayOf(s, zone), Expected(s, zone))
          << name << " at " << absl::FormatTime(absl::FromUnixSeconds(s));
    }
  }
}

TEST(DayOf, SecondsAroundEveryMidnightAndTransition) {
  for (const std::string& name : ZoneNames()) {
    const absl::TimeZone zone = Zone(name);
    absl::Time t = absl::FromCivil(absl::CivilDay(2019, 6, 1), zone);
    const absl::Time stop = absl::FromCivil(absl::CivilDay(2021, 6, 1), zone);
    std::vector<int64_t> probes;
    for (absl::CivilDay d(2019, 6, 1); absl::FromCivil(d, zone) < stop; ++d) {
      const int64_t m = absl::ToUnixSeconds(absl::FromCivil(d, zone));
      for (int64_t k : {-2, -1, 0, 1, 2}) probes.push_back(m + k);
    }
    absl::TimeZone::CivilTransition tr;
    while (zone.NextTransition(t, &tr)) {
      const absl::Time at = zone.At(tr.to).trans;
      if (at >= stop) break;
      const int64_t s = absl::ToUnixSeconds(at);
      for (int64_t k : {-3601, -1, 0, 1, 3599, 3600}) probes.push_back(s + k);
      t = at;
    }
    // In order, backwards and shuffled: the remembered span must never
    // answer for an instant outside its day.
    for (int64_t s : probes) ASSERT_EQ(DayOf(s, zone), Expected(s, zone));
    for (auto it = probes.rbegin(); it != probes.rend(); ++it) {
      ASSERT_EQ(DayOf(*it, zone), Expected(*it, zone));
    }
    std::mt19937 rng(17);
    std::shuffle(probes.begin(), probes.end(), rng);
    for (int64_t s : probes) ASSERT_EQ(DayOf(s, zone), Expected(s, zone));
  }
}

TEST(DayOf, SwitchingZonesDoesNotReuseTheOtherZonesDay) {
  const absl::TimeZone shanghai = Zone("Asia/Shanghai");
  const absl::TimeZone new_york = Zone("America/New_York");
  // 2020-01-27 20:00 UTC: the 28th in Shanghai, the 27th in New York.
  const int64_t s = absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilSecond(2020, 1, 27, 20, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(DayOf(s, shanghai), Expected(s, shanghai));
  EXPECT_EQ(DayOf(s, new_york), Expected(s, new_york));
  EXPECT_NE(DayOf(s, shanghai), DayOf(s, new_york));
}

// CivilDayFromNumber against absl's calendar arithmetic, over ±3000 years
// (every day near 1970 and the leap days of centuries, sampled elsewhere).
TEST(CivilDayFromNumber, MatchesAbslAcrossCenturiesAndLeapDays) {
  const absl::CivilDay epoch(1970, 1, 1);
  std::vector<int64_t> numbers;
  for (int64_t n = -800000; n <= 800000; n += 7) numbers.push_back(n);
  for (int64_t n = -3000; n <= 3000; ++n) numbers.push_back(n);
  for (int year : {1600, 1700, 1900, 2000, 2100, 2400, -400, -1}) {
    for (int month : {2, 3}) {
      for (int day : {28, 29, 1}) {
        numbers.push_back(absl::CivilDay(year, month, day) - epoch);
      }
    }
  }
  for (int64_t n : numbers) {
    ASSERT_EQ(internal::CivilDayFromNumber(n), epoch + n) << n;
  }
}

}  // namespace
}  // namespace internal
}  // namespace contactledger
