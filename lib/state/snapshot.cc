// LedgerState's snapshot columns: every column of the state, in the fixed
// order docs/log_format.md lists them, saved to and loaded from snapshot
// sections (lib/columns/snapshot_io.h).

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/columns/snapshot_io.h"
#include "lib/state/ledger_state.h"

namespace contactledger {
namespace internal {

template <typename Visitor, typename State>
void LedgerState::VisitColumns(Visitor& v, State& state) {
  state.events_.Visit(v);
  v("areas.keys", state.areas_.keys);
  v("areas.latest", state.areas_.latest);
  v("areas.level", state.areas_.level);
  v("areas.child_head", state.areas_.child_head);
  v("areas.household_head", state.areas_.household_head);
  v("areas.person_head", state.areas_.person_head);
  v("areas.person_count", state.areas_.person_count);
  v("areas.household_count", state.areas_.household_count);
  v("areas.v_entity", state.areas_.v_entity);
  v("areas.v_prev", state.areas_.v_prev);
  v("areas.v_parent", state.areas_.v_parent);
  v("areas.v_next_sibling", state.areas_.v_next_sibling);
  v("areas.v_blob", state.areas_.v_blob);
  v("areas.blobs", state.areas_.blobs);
  v("households.keys", state.households_.keys);
  v("households.latest", state.households_.latest);
  v("households.member_head", state.households_.member_head);
  v("households.counted_area", state.households_.counted_area);
  v("households.v_entity", state.households_.v_entity);
  v("households.v_prev", state.households_.v_prev);
  v("households.v_area", state.households_.v_area);
  v("households.v_next_in_area", state.households_.v_next_in_area);
  v("households.v_blob", state.households_.v_blob);
  v("households.blobs", state.households_.blobs);
  v("persons.keys", state.persons_.keys);
  v("persons.latest", state.persons_.latest);
  v("persons.counted_area", state.persons_.counted_area);
  v("persons.maybe_unregistered", state.persons_.maybe_unregistered);
  v("persons.list_heads", state.persons_.list_heads);
  v("persons.v_entity", state.persons_.v_entity);
  v("persons.v_prev", state.persons_.v_prev);
  v("persons.v_household", state.persons_.v_household);
  // Until a person's area followed their household, the section was
  // persons.v_area and also held the household's area at the time recorded:
  // such a snapshot is brought forward after loading (OwnPersonAreas).
  if (v.Has("persons.v_own_area")) {
    v("persons.v_own_area", state.persons_.v_area);
  } else {
    v("persons.v_area", state.persons_.v_area);
    if (Visitor::kLoading) state.person_areas_as_recorded_ = true;
  }
  v("persons.v_next_in_household", state.persons_.v_next_in_household);
  v("persons.v_next_in_area", state.persons_.v_next_in_area);
  v("persons.v_national_id", state.persons_.v_national_id);
  v("persons.v_next_same_national_id", state.persons_.v_next_same_national_id);
  v("persons.v_blob", state.persons_.v_blob);
  v("persons.blobs", state.persons_.blobs);
  v("persons.national_ids", state.persons_.national_ids);
  v("persons.national_id_head", state.persons_.national_id_head);
  // The per-person adjacency is not saved: RebuildAdjacency builds it from
  // the rows after a load (a counting sort, a small part of the load).
  v("exposures.rows", state.exposures_.rows);
  v("exposures.setting", state.exposures_.setting);
  v("exposures.far_start", state.exposures_.far_start);
  v("exposures.extra", state.exposures_.extra);
  v("exposures.blobs", state.exposures_.blobs);
  for (int i = 0; i < kPersonLists; ++i) {
    PersonEventTable& t = state.person_events_[i];
    const std::string prefix = absl::StrCat("person_events.", i, ".");
    v(prefix + "person", t.person);
    v(prefix + "next", t.next);
    v(prefix + "time", t.time);
    v(prefix + "code", t.code);
    v(prefix + "value", t.value);
    v(prefix + "blob", t.blob);
    v(prefix + "blobs", t.blobs);
  }
  v("retractions.blob", state.retraction_blob_);
  v("retractions.blobs", state.retraction_blobs_);
}

void LedgerState::SaveColumns(SnapshotSink& sink) const {
  // Saving reads the columns only; the visitor's one signature takes them
  // as mutable references for loading.
  VisitColumns(sink, const_cast<LedgerState&>(*this));
}

absl::Status LedgerState::LoadColumns(SnapshotSource& source) {
  VisitColumns(source, *this);
  if (!source.status().ok()) return source.status();
  if (absl::Status s = CheckColumns(); !s.ok()) return s;
  if (person_areas_as_recorded_) OwnPersonAreas();
  if (!exposures_.RebuildAdjacency(persons_.keys.size())) {
    return absl::DataLossError(
        absl::StrCat("exposures name persons beyond the ", persons_.keys.size(),
                     " the snapshot holds"));
  }
  return absl::OkStatus();
}

void LedgerState::OwnPersonAreas() {
  PersonTable& t = persons_;
  const uint32_t rows = static_cast<uint32_t>(t.v_entity.size());
  // A version with a household and no area_id of its own (the blob keeps
  // area_id as recorded) is in its household's area: it names none itself.
  for (uint32_t row = 0; row < rows; ++row) {
    if (t.v_household[row] != kNoId && t.v_area[row] != kNoId &&
        PersonAt(row).area_id().empty()) {
      t.v_area[row] = kNoId;
    }
  }
  // The areas' person lists again, newest first as appends build them.
  for (size_t a = 0; a < areas_.person_head.size(); ++a) {
    areas_.person_head[a] = kNoId;
  }
  for (uint32_t row = 0; row < rows; ++row) {
    const uint32_t area = t.v_area[row];
    t.v_next_in_area[row] = area == kNoId ? kNoId : areas_.person_head[area];
    if (area != kNoId) areas_.person_head[area] = row;
  }
  // The counts: a member counted where the household stood when they were
  // recorded moves to where it stands now.
  for (uint32_t person = 0; person < t.keys.size(); ++person) {
    Recount(EventKind::kPerson, person);
  }
  person_areas_as_recorded_ = false;
}

}  // namespace internal
}  // namespace contactledger
