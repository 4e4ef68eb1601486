// Copyright 2026 The ContactLedger Authors.
//
// lib/util/time.h: small conversions of absl::Time shared by the ledger's
// reads and the queries.
//
// The ledger keeps event instants as whole Unix seconds; a caller's window
// [from, to] may fall between seconds, and these helpers say which whole
// seconds it covers.

#ifndef CONTACTLEDGER_LIB_UTIL_TIME_H_
#define CONTACTLEDGER_LIB_UTIL_TIME_H_

#include <cstdint>

#include "absl/time/time.h"

namespace contactledger {
namespace internal {

// Unix seconds of the earliest whole second at or after `t`: the first
// second a window starting at `t` covers. InfinitePast gives INT64_MIN.
// `t` must be below absl::FromUnixSeconds(INT64_MAX) (InfiniteFuture is not:
// the result would overflow).
inline int64_t CeilSeconds(absl::Time t) {
  const int64_t s = absl::ToUnixSeconds(t);
  return absl::FromUnixSeconds(s) < t ? s + 1 : s;
}

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_UTIL_TIME_H_
