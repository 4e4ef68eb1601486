// Copyright 2026 The ContactLedger Authors.
//
// A person's audit trail (contactledger/scope.h, AuditTrail) as CSV and JSON
// (contactledger/report.h).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "contactledger/report.h"
#include "contactledger/scope.h"
#include "lib/report/report_internal.h"

namespace contactledger {
namespace {

// RFC 3339 with the fraction of a second: two events recorded in the same
// second stay apart.
std::string RecordTime(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime(absl::RFC3339_full, t, zone);
}

// A sequence number, or "" for 0 (none).
std::string SequenceOrEmpty(uint64_t sequence) {
  return sequence == 0 ? std::string() : absl::StrCat(sequence);
}

}  // namespace

std::string WriteAuditTrailCsv(absl::Span<const AuditEntry> trail,
                               absl::TimeZone zone) {
  std::string out =
      "sequence_number,record_time,actor,kind,retracted,retracted_by,"
      "retracts\n";
  for (const AuditEntry& e : trail) {
    out += CsvRow(
        {absl::StrCat(e.sequence_number), RecordTime(e.record_time, zone),
         e.actor, std::string(AuditKindName(e.kind)),
         e.retracted ? "true" : "false", SequenceOrEmpty(e.retracted_by),
         SequenceOrEmpty(e.retracts)});
  }
  return out;
}

std::string WriteAuditTrailJson(absl::Span<const AuditEntry> trail,
                                absl::TimeZone zone) {
  std::vector<std::string> items;
  items.reserve(trail.size());
  for (const AuditEntry& e : trail) {
    internal::JsonObject o;
    o.Number("sequence_number", e.sequence_number)
        .String("record_time", RecordTime(e.record_time, zone))
        .StringOrNull("actor", e.actor)
        .String("kind", AuditKindName(e.kind))
        .Bool("retracted", e.retracted);
    if (e.retracted_by != 0) {
      o.Number("retracted_by", e.retracted_by);
    } else {
      o.Null("retracted_by");
    }
    if (e.retracts != 0) {
      o.Number("retracts", e.retracts);
    } else {
      o.Null("retracts");
    }
    items.push_back(o.Build());
  }
  return JsonArray(items);
}

}  // namespace contactledger
