// Copyright 2026 The ContactLedger Authors.
//
// The county drill's calendar (county_time.h): the county's zone, time
// formatting, queries and conversions, and the StoryClock.

#include "county_drill/county_time.h"

#include <cstdint>
#include <iostream>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace county_drill {

namespace v1 = ::contactledger::v1;

const CountyZoneInfo& CountyZone() {
  static const CountyZoneInfo* info = [] {
    auto* i = new CountyZoneInfo;
    i->named = absl::LoadTimeZone("Asia/Shanghai", &i->zone);
    if (!i->named) {
      // No tz database (Debian package tzdata).
      std::cerr << "note: no tz data for Asia/Shanghai; using UTC+08:00\n";
      i->zone = absl::FixedTimeZone(8 * 60 * 60);
    }
    return i;
  }();
  return *info;
}

const absl::TimeZone& Zone() { return CountyZone().zone; }

absl::Time At(absl::CivilDay day, int hour, int minute) {
  return absl::FromCivil(
      absl::CivilMinute(day.year(), day.month(), day.day(), hour, minute),
      Zone());
}

absl::CivilDay DayOf(absl::Time t) { return absl::ToCivilDay(t, Zone()); }

std::string Hm(absl::Time t) { return absl::FormatTime("%H:%M", t, Zone()); }

std::string Md(absl::CivilDay day) {
  return absl::FormatCivilTime(day).substr(5);  // "2020-01-27" -> "01-27"
}

contactledger::QueryOptions QueryAt(absl::Time at) {
  contactledger::QueryOptions options;
  options.at = at;
  options.read.known_at = at;
  return options;
}

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds());
}

void SetTime(absl::Time time, google::protobuf::Timestamp* timestamp) {
  timestamp->set_seconds(absl::ToUnixSeconds(time));
  timestamp->set_nanos(0);
}

v1::Date ToDate(absl::CivilDay day) {
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::CivilDay FromDate(const v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

void StoryClock::AdvanceTo(absl::Time t) {
  const int64_t n = absl::ToUnixNanos(t);
  int64_t current = nanos_.load();
  while (n > current && !nanos_.compare_exchange_weak(current, n)) {
  }
}

}  // namespace county_drill
