// Copyright 2026 The ContactLedger Authors.
//
// The number of loop kinds the dashboard counts and lists
// (contactledger/tracing.h LoopKind), derived from the enum in one place for
// gather.cc and html.cc. kUnregistered is LoopKind's last enumerator; a new
// kind must be added after it and this line moved to it, and html.cc's
// static_assert then asks for the new kind's sentence.

#ifndef CONTACTLEDGER_LIB_DASHBOARD_LOOP_KINDS_H_
#define CONTACTLEDGER_LIB_DASHBOARD_LOOP_KINDS_H_

#include "contactledger/tracing.h"

namespace contactledger {
namespace internal {

inline constexpr int kDashboardLoopKinds =
    static_cast<int>(LoopKind::kUnregistered) + 1;
static_assert(static_cast<int>(LoopKind::kUnplaced) == 0,
              "LoopKind indexes the dashboard's per-kind counts from 0");

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_DASHBOARD_LOOP_KINDS_H_
