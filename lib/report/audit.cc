// Copyright 2026 The ContactLedger Authors.
//
// A person's audit trail (contactledger/scope.h, AuditTrail) as CSV and JSON,
// and what each of its events said (contactledger/report.h).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "contactledger/report.h"
#include "contactledger/scope.h"
#include "contactledger/v1/ledger.pb.h"
#include "google/protobuf/descriptor.h"
#include "lib/report/report_internal.h"
#include "lib/util/names.h"

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

// The CSV columns of one entry, in the header's order.
std::vector<std::string> Columns(const AuditEntry& e, absl::TimeZone zone) {
  return {absl::StrCat(e.sequence_number),
          RecordTime(e.record_time, zone),
          e.actor,
          std::string(AuditKindName(e.kind)),
          e.retracted ? "true" : "false",
          SequenceOrEmpty(e.retracted_by),
          SequenceOrEmpty(e.retracts)};
}

// The JSON fields of one entry, in the CSV's order.
internal::JsonObject Object(const AuditEntry& e, absl::TimeZone zone) {
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
  return o;
}

// An event time, RFC 3339 to the second in `zone`.
std::string At(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  return internal::Instant(absl::FromUnixSeconds(t.seconds()), zone);
}

std::string DayOf(const v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

// An enum's name, or "unspecified" for one without.
std::string Named(absl::string_view name) {
  return name.empty() ? std::string("unspecified") : std::string(name);
}

// A person version: what it registered, or what it changed.
std::string PersonDetail(const v1::Person& person, const v1::Person* previous) {
  std::vector<RecordField> now = RecordFields(person);
  if (previous == nullptr) {
    std::vector<std::string> parts;
    for (const auto& [name, value] : now) {
      if (name != "id") parts.push_back(absl::StrCat(name, " ", value));
    }
    return parts.empty()
               ? std::string("registered")
               : absl::StrCat("registered: ", absl::StrJoin(parts, ", "));
  }
  const std::vector<RecordField> before = RecordFields(*previous);
  auto value_in = [](const std::vector<RecordField>& fields,
                     const std::string& name) {
    for (const auto& [n, v] : fields) {
      if (n == name) return v;
    }
    return std::string("(none)");
  };
  std::vector<std::string> changes;
  const google::protobuf::Descriptor* descriptor = v1::Person::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const std::string& name = descriptor->field(i)->name();
    const std::string old_value = value_in(before, name);
    const std::string new_value = value_in(now, name);
    if (old_value != new_value) {
      changes.push_back(absl::StrCat(name, " ", old_value, " -> ", new_value));
    }
  }
  return changes.empty()
             ? std::string("no field changed")
             : absl::StrCat("changed: ", absl::StrJoin(changes, ", "));
}

}  // namespace

std::string WriteAuditTrailCsv(absl::Span<const AuditEntry> trail,
                               absl::TimeZone zone) {
  std::string out =
      "sequence_number,record_time,actor,kind,retracted,retracted_by,"
      "retracts\n";
  for (const AuditEntry& e : trail) out += CsvRow(Columns(e, zone));
  return out;
}

std::string WriteAuditTrailCsv(absl::Span<const AuditEntry> trail,
                               absl::Span<const std::string> details,
                               absl::TimeZone zone) {
  std::string out =
      "sequence_number,record_time,actor,kind,retracted,retracted_by,"
      "retracts,detail\n";
  for (size_t i = 0; i < trail.size(); ++i) {
    std::vector<std::string> row = Columns(trail[i], zone);
    row.push_back(i < details.size() ? details[i] : std::string());
    out += CsvRow(row);
  }
  return out;
}

std::string WriteAuditTrailJson(absl::Span<const AuditEntry> trail,
                                absl::TimeZone zone) {
  std::vector<std::string> items;
  items.reserve(trail.size());
  for (const AuditEntry& e : trail) items.push_back(Object(e, zone).Build());
  return JsonArray(items);
}

std::string WriteAuditTrailJson(absl::Span<const AuditEntry> trail,
                                absl::Span<const std::string> details,
                                absl::TimeZone zone) {
  std::vector<std::string> items;
  items.reserve(trail.size());
  for (size_t i = 0; i < trail.size(); ++i) {
    items.push_back(
        Object(trail[i], zone)
            .StringOrNull("detail", i < details.size() ? details[i] : "")
            .Build());
  }
  return JsonArray(items);
}

std::string AuditEventDetail(const v1::LedgerEvent& event,
                             absl::string_view person_id,
                             const v1::Person* previous, absl::TimeZone zone) {
  switch (event.body_case()) {
    case v1::LedgerEvent::kPerson:
      return PersonDetail(event.person(), previous);
    case v1::LedgerEvent::kExposure: {
      const v1::Exposure& x = event.exposure();
      std::string out = absl::StrCat(
          "with ", x.person_a() == person_id ? x.person_b() : x.person_a(),
          " from ", At(x.start(), zone), " to ", At(x.end(), zone), ", ",
          Named(internal::NameOf(x.setting())));
      if (!x.id().empty()) absl::StrAppend(&out, ", id ", x.id());
      if (!x.note().empty()) absl::StrAppend(&out, ", note ", x.note());
      return out;
    }
    case v1::LedgerEvent::kDiagnosis: {
      const v1::Diagnosis& d = event.diagnosis();
      std::string out = absl::StrCat(Named(internal::NameOf(d.status())),
                                     " at ", At(d.time(), zone));
      if (d.has_onset()) absl::StrAppend(&out, ", onset ", DayOf(d.onset()));
      return out;
    }
    case v1::LedgerEvent::kQuarantineAction: {
      const v1::QuarantineAction& q = event.quarantine_action();
      if (q.action() == v1::QUARANTINE_ACTION_KIND_END) {
        return absl::StrCat("end at ", At(q.time(), zone));
      }
      return absl::StrCat(Named(internal::NameOf(q.action())), " at ",
                          Named(internal::NameOf(q.place())), " at ",
                          At(q.time(), zone));
    }
    case v1::LedgerEvent::kHealthCheck: {
      const v1::HealthCheck& h = event.health_check();
      std::string out =
          absl::StrCat(absl::StrFormat("%.1f", h.temperature_celsius()),
                       " °C at ", At(h.time(), zone));
      if (!h.symptoms().empty()) {
        absl::StrAppend(&out, ", symptoms ", absl::StrJoin(h.symptoms(), "; "));
      }
      if (!h.checked_by().empty()) {
        absl::StrAppend(&out, ", checked by ", h.checked_by());
      }
      return out;
    }
    case v1::LedgerEvent::kCheckpointPassage: {
      const v1::CheckpointPassage& p = event.checkpoint_passage();
      return absl::StrCat(Named(internal::NameOf(p.direction())), " at ",
                          p.checkpoint_id(), " at ", At(p.time(), zone));
    }
    case v1::LedgerEvent::kRetraction: {
      const v1::Retraction& r = event.retraction();
      return absl::StrCat("withdraws event ", r.sequence_number(),
                          r.reason().empty() ? "" : ": ", r.reason());
    }
    default:
      return "";
  }
}

}  // namespace contactledger
