// Conversions between the schema's time types and the ledger's internal ones.
//
// Internally an instant in an event body is int64 seconds since the Unix
// epoch (the schema keeps event instants to the whole second) and a Date is
// int32 days since 1970-01-01.

#ifndef CONTACTLEDGER_LIB_UTIL_TIME_UTIL_H_
#define CONTACTLEDGER_LIB_UTIL_TIME_UTIL_H_

#include <cstdint>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/v1/ledger.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace contactledger {
namespace internal {

// The range google.protobuf.Timestamp allows: 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59Z.
inline constexpr int64_t kMinTimestampSeconds = -62135596800;
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;

// Unix seconds of the earliest whole second at or after `t`: the first
// second a window starting at `t` covers. InfinitePast gives INT64_MIN.
// `t` must be below absl::FromUnixSeconds(INT64_MAX) (InfiniteFuture is not:
// the result would overflow).
inline int64_t CeilSeconds(absl::Time t) {
  const int64_t s = absl::ToUnixSeconds(t);
  return absl::FromUnixSeconds(s) < t ? s + 1 : s;
}

inline absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

inline void SetTimestamp(absl::Time t, google::protobuf::Timestamp* ts) {
  const int64_t s = absl::ToUnixSeconds(t);
  ts->set_seconds(s);
  ts->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(s))));
}

inline void SetTimestampSeconds(int64_t seconds,
                                google::protobuf::Timestamp* ts) {
  ts->set_seconds(seconds);
  ts->set_nanos(0);
}

// Whether `date` names a real civil day in years 1..9999.
bool IsValidDate(const v1::Date& date);

// Days since 1970-01-01 of a valid date.
int32_t DateToDays(const v1::Date& date);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_UTIL_TIME_UTIL_H_
