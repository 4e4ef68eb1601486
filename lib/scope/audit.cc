// AuditTrail: who recorded what about a person. See contactledger/scope.h.
//
// Walks the person's own lists (versions, exposures, the four person-keyed
// event lists) as far as the read's cut reaches; retractions of those events
// come from the event index. Cost: proportional to the person's events.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "contactledger/scope.h"
#include "google/protobuf/descriptor.h"
#include "lib/index/event_index.h"
#include "lib/index/tables.h"
#include "lib/state/reader.h"

namespace contactledger {

using internal::EventKind;
using internal::kNoId;

namespace {

v1::LedgerEvent::BodyCase BodyCaseOf(EventKind kind) {
  switch (kind) {
    case EventKind::kArea:
      return v1::LedgerEvent::kArea;
    case EventKind::kHousehold:
      return v1::LedgerEvent::kHousehold;
    case EventKind::kPerson:
      return v1::LedgerEvent::kPerson;
    case EventKind::kExposure:
      return v1::LedgerEvent::kExposure;
    case EventKind::kDiagnosis:
      return v1::LedgerEvent::kDiagnosis;
    case EventKind::kQuarantineAction:
      return v1::LedgerEvent::kQuarantineAction;
    case EventKind::kHealthCheck:
      return v1::LedgerEvent::kHealthCheck;
    case EventKind::kCheckpointPassage:
      return v1::LedgerEvent::kCheckpointPassage;
    case EventKind::kRetraction:
      return v1::LedgerEvent::kRetraction;
    case EventKind::kLost:
      break;
  }
  return v1::LedgerEvent::BODY_NOT_SET;
}

}  // namespace

absl::string_view AuditKindName(v1::LedgerEvent::BodyCase kind) {
  if (kind == v1::LedgerEvent::BODY_NOT_SET) return "none";
  const google::protobuf::FieldDescriptor* field =
      v1::LedgerEvent::descriptor()->FindFieldByNumber(static_cast<int>(kind));
  return field == nullptr ? absl::string_view("unknown")
                          : absl::string_view(field->name());
}

absl::StatusOr<std::vector<AuditEntry>> AuditTrail(const LedgerView& view,
                                                   absl::string_view person_id,
                                                   const ReadOptions& read) {
  return internal::ViewAccess::FindAuditTrail(view, person_id, read);
}

// A whole ledger's audit trail; a scoped view answers with its own.
absl::StatusOr<std::vector<AuditEntry>> LedgerView::FindAuditTrail(
    absl::string_view person_id, const ReadOptions& read) const {
  internal::LedgerReader reader(*this);
  const internal::PersonTable& persons = reader.persons();
  const uint32_t person = persons.keys.Find(person_id);
  if (person == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("person '", person_id, "' never occurs in the ledger"));
  }
  const internal::EventIndex& events = reader.events();
  const internal::Cut cut = reader.CutFor(read);
  std::vector<AuditEntry> out;
  auto entry = [&](uint64_t sequence, EventKind kind) {
    AuditEntry e;
    e.sequence_number = sequence;
    e.record_time = events.RecordTimeOf(sequence);
    e.actor = std::string(events.ActorOf(sequence));
    e.kind = BodyCaseOf(kind);
    return e;
  };
  auto add = [&](EventKind kind, uint32_t row) {
    if (row >= cut.rows[static_cast<int>(kind)]) return;  // after the cut
    const uint64_t sequence = events.SequenceOf(kind, row);
    AuditEntry e = entry(sequence, kind);
    const uint64_t by = events.RetractedBy(sequence);
    if (by != 0 && by <= cut.sequence) {
      e.retracted = true;
      e.retracted_by = by;
      AuditEntry retraction = entry(by, EventKind::kRetraction);
      retraction.retracts = sequence;
      out.push_back(std::move(retraction));
    }
    out.push_back(std::move(e));
  };
  for (uint32_t row = persons.latest[person]; row != kNoId;
       row = persons.v_prev[row]) {
    add(EventKind::kPerson, row);
  }
  const internal::ExposureTable& exposures = reader.exposures();
  exposures.ForEachRowOf(person,
                         [&](uint32_t row) { add(EventKind::kExposure, row); });
  static constexpr EventKind kListKinds[internal::kPersonLists] = {
      EventKind::kDiagnosis, EventKind::kQuarantineAction,
      EventKind::kHealthCheck, EventKind::kCheckpointPassage};
  for (int list = 0; list < internal::kPersonLists; ++list) {
    const internal::PersonEventTable& table =
        reader.person_events(static_cast<internal::PersonList>(list));
    for (uint32_t row = persons.ListHead(list, person); row != kNoId;
         row = table.next[row]) {
      add(kListKinds[list], row);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const AuditEntry& a, const AuditEntry& b) {
              return a.sequence_number < b.sequence_number;
            });
  return out;
}

}  // namespace contactledger
