// Copyright 2026 The ContactLedger Authors.
//
// The county drill's calendar: the county's time zone, the days the story
// covers, queries "as the county knew it then", conversions between absl
// times and the ledger's protobuf times and dates, and the StoryClock that
// gives each record the moment the county wrote it down.

#ifndef EXAMPLES_COUNTY_DRILL_COUNTY_TIME_H_
#define EXAMPLES_COUNTY_DRILL_COUNTY_TIME_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace county_drill {

// The story runs from the morning of 22 January to the evening of
// 8 February 2020.
constexpr absl::CivilDay kFirstDay(2020, 1, 22);
constexpr absl::CivilDay kLastDay(2020, 2, 8);
// Each day's report is as of 22:00.
constexpr int kReportHour = 22;

// The county's zone: Asia/Shanghai from the tz database, or UTC+08:00 when
// the tz database is missing (China has kept UTC+8 all year round since
// 1991, so the fixed offset gives the same times for 2020).
struct CountyZoneInfo {
  absl::TimeZone zone;
  bool named = false;  // Asia/Shanghai from the tz database
};

// Loaded on the first call, which prints a note on stderr when the tz
// database is missing.
const CountyZoneInfo& CountyZone();
const absl::TimeZone& Zone();

// `hour`:`minute` on `day` in the county.
absl::Time At(absl::CivilDay day, int hour, int minute = 0);
// The county's day of `t`.
absl::CivilDay DayOf(absl::Time t);

// "21:40".
std::string Hm(absl::Time t);
// "01-27".
std::string Md(absl::CivilDay day);

// A query at `at`, as the county knew it then (known_at = at).
contactledger::QueryOptions QueryAt(absl::Time at);

absl::Time ToTime(const google::protobuf::Timestamp& timestamp);
void SetTime(absl::Time time, google::protobuf::Timestamp* timestamp);
contactledger::v1::Date ToDate(absl::CivilDay day);
absl::CivilDay FromDate(const contactledger::v1::Date& date);

// The ledger's clock during the story. The drill sets it to the moment each
// batch is written down, so that `known_at` reads "as the county knew it".
class StoryClock : public contactledger::Clock {
 public:
  absl::Time Now() override { return absl::FromUnixNanos(nanos_.load()); }
  // Moves the clock forward (never back) to `t`.
  void AdvanceTo(absl::Time t);

 private:
  std::atomic<int64_t> nanos_{0};
};

}  // namespace county_drill

#endif  // EXAMPLES_COUNTY_DRILL_COUNTY_TIME_H_
