// Copyright 2026 The ContactLedger Authors.

#include "bench/tracing_answers.h"

namespace contactledger {
namespace bench {

TracingParams MakeTracingParams(int64_t at, int64_t utc_offset,
                                const v1::Policy& policy) {
  TracingParams p;
  p.at = at;
  p.utc_offset = utc_offset;
  p.policy = policy;
  p.lookback = policy.lookback().seconds();
  p.min_exposure = policy.min_exposure().seconds();
  p.household_rule = policy.household_rule();
  for (const v1::QuarantinePhase& phase : policy.close_contact_phases()) {
    p.close_contact_days += phase.days();
  }
  p.placement_deadline = policy.placement_deadline().seconds();
  p.check_interval = policy.check_interval().seconds();
  p.fever_threshold_celsius = policy.fever_threshold_celsius();
  p.escalation_deadline = policy.escalation_deadline().seconds();
  return p;
}

std::ostream& operator<<(std::ostream& os, const CloseContact& c) {
  return os << "{" << c.person_id << " first=" << c.first << " last=" << c.last
            << " continuous=" << c.continuous << "}";
}

std::ostream& operator<<(std::ostream& os, const HopContact& c) {
  return os << "{" << c.person_id << " hops=" << c.hops << "}";
}

std::ostream& operator<<(std::ostream& os, const RosterRow& r) {
  return os << "{" << r.person_id << " " << RoleName(r.role)
            << " source=" << r.source << " last=" << r.last
            << " until_day=" << r.until_day << " continuous=" << r.continuous
            << " required_since=" << r.required_since << "}";
}

std::ostream& operator<<(std::ostream& os, const VillageRow& r) {
  return os << "{" << r.area_id << " persons=" << r.persons
            << " households=" << r.households
            << " active_cases=" << r.active_cases
            << " close_contacts=" << r.close_contacts << "}";
}

std::ostream& operator<<(std::ostream& os, const LoopRow& r) {
  return os << "{" << r.person_id << " " << LoopKindName(r.kind)
            << " since=" << r.since << "}";
}

}  // namespace bench
}  // namespace contactledger
