// Copyright 2026 The ContactLedger Authors.
//
// AreaVersions, HouseholdVersions and PersonVersions (contactledger/tracing.h):
// the versions of one record, each with the sequence number, record time and
// actor of the event that recorded it, and whether it is retracted. The view's
// own read of the record decides whether it may be shown (a scoped view
// answers PermissionDenied out of scope); the versions come from the
// record's version list, as far as the read's cut reaches.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "contactledger/ledger_view.h"
#include "contactledger/tracing.h"
#include "lib/index/event_index.h"
#include "lib/index/tables.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace {

using internal::kNoId;

// `read` limited to what is recorded now, so that the view's read and the
// version list see the same events while appends go on.
ReadOptions Pinned(const LedgerView& view, const ReadOptions& read) {
  ReadOptions pinned = read;
  pinned.sequence_limit =
      std::min(read.sequence_limit, view.last_sequence_number());
  return pinned;
}

// The versions of `id` in `table` within the cut of `read` (Pinned),
// oldest first. The view's own read of the record (`get`) decides whether
// they may be shown: OK, NotFound (no visible version: perhaps every version
// is retracted) or the view's refusal.
template <typename Record, typename Table>
absl::StatusOr<std::vector<RecordVersion>> VersionsOf(
    const LedgerView& view,
    absl::StatusOr<Record> (LedgerView::*get)(absl::string_view,
                                              const ReadOptions&) const,
    const Table& (internal::LedgerReader::*table_of)() const,
    absl::string_view kind, absl::string_view id, const ReadOptions& read) {
  const ReadOptions pinned = Pinned(view, read);
  const absl::Status shown = (view.*get)(id, pinned).status();
  if (!shown.ok() && !absl::IsNotFound(shown)) return shown;
  internal::LedgerReader reader(view);
  const Table& table = (reader.*table_of)();
  const internal::EventIndex& events = reader.events();
  const internal::Cut cut = reader.CutFor(pinned);
  std::vector<RecordVersion> versions;
  const uint32_t entity = table.keys.Find(id);
  if (entity != kNoId) {
    for (uint32_t row = table.latest[entity]; row != kNoId;
         row = table.v_prev[row]) {
      if (row >= cut.rows[static_cast<int>(Table::kKind)]) continue;
      RecordVersion v;
      v.sequence_number = events.SequenceOf(Table::kKind, row);
      v.record_time = events.RecordTimeOf(v.sequence_number);
      v.actor = std::string(events.ActorOf(v.sequence_number));
      const uint64_t by = events.RetractedBy(v.sequence_number);
      if (by != 0 && by <= cut.sequence) {
        v.retracted = true;
        v.retracted_by = by;
      }
      versions.push_back(std::move(v));
    }
  }
  if (versions.empty()) {
    if (!shown.ok()) return shown;
    return absl::NotFoundError(absl::StrCat("no ", kind, " '", id, "'"));
  }
  std::reverse(versions.begin(), versions.end());
  return versions;
}

}  // namespace

absl::StatusOr<std::vector<RecordVersion>> AreaVersions(
    const LedgerView& view, absl::string_view id, const ReadOptions& read) {
  return VersionsOf(view, &LedgerView::GetArea, &internal::LedgerReader::areas,
                    "area", id, read);
}

absl::StatusOr<std::vector<RecordVersion>> HouseholdVersions(
    const LedgerView& view, absl::string_view id, const ReadOptions& read) {
  return VersionsOf(view, &LedgerView::GetHousehold,
                    &internal::LedgerReader::households, "household", id, read);
}

absl::StatusOr<std::vector<RecordVersion>> PersonVersions(
    const LedgerView& view, absl::string_view id, const ReadOptions& read) {
  return VersionsOf(view, &LedgerView::GetPerson,
                    &internal::LedgerReader::persons, "person", id, read);
}

}  // namespace contactledger
