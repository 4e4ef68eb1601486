#include "lib/util/time_util.h"

namespace contactledger {
namespace internal {

bool IsValidDate(const v1::Date& date) {
  if (date.year() < 1 || date.year() > 9999) return false;
  if (date.month() < 1 || date.month() > 12) return false;
  if (date.day() < 1 || date.day() > 31) return false;
  // CivilDay normalises out-of-range days (Feb 30 -> Mar 1): a real day
  // survives the round trip unchanged.
  const absl::CivilDay day(date.year(), date.month(), date.day());
  return day.year() == date.year() && day.month() == date.month() &&
         day.day() == date.day();
}

int32_t DateToDays(const v1::Date& date) {
  const absl::CivilDay day(date.year(), date.month(), date.day());
  return static_cast<int32_t>(day - absl::CivilDay(1970, 1, 1));
}

}  // namespace internal
}  // namespace contactledger
