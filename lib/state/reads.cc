// LedgerState's reads: the lookups behind contactledger/ledger_view.h, each
// under the lock held shared.

#include <algorithm>
#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "contactledger/ledger_view.h"
#include "lib/state/ledger_state.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace internal {

Cut LedgerState::CutFor(const ReadOptions& options) const {
  // A read of everything recorded (the default ReadOptions, or a Tracer
  // pinned at the last event) is the full cut: O(1), where CutFor counts up
  // to 1023 events' kinds to find the rows of a cut inside a block.
  if (options.sequence_limit >= events_.last_sequence() &&
      options.known_at >= events_.last_record_time()) {
    return events_.FullCut();
  }
  return CutForLocked(options);
}

uint64_t LedgerState::last_sequence_number() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return events_.last_sequence();
}

absl::StatusOr<v1::LedgerEvent> LedgerState::GetEvent(
    uint64_t sequence, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  if (sequence != 0 && sequence <= events_.last_sequence() &&
      (sequence > options.sequence_limit ||
       events_.RecordTimeOf(sequence) > options.known_at)) {
    return absl::NotFoundError(absl::StrCat(
        "event ", sequence, " is not visible to the read (recorded after it)"));
  }
  return EventAt(sequence);
}

bool LedgerState::IsRetracted(uint64_t sequence,
                              const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  return sequence <= cut.sequence && events_.IsRetracted(sequence, cut);
}

absl::StatusOr<uint32_t> LedgerState::VisibleArea(absl::string_view id,
                                                  const Cut& cut) const {
  const uint32_t area = areas_.keys.Find(id);
  if (area == kNoId) {
    return absl::NotFoundError(absl::StrCat("no area '", id, "' is recorded"));
  }
  if (EffectiveVersion(areas_, events_, area, cut) == kNoId) {
    return absl::NotFoundError(absl::StrCat(
        "area '", id, "' has no version visible at sequence ", cut.sequence));
  }
  return area;
}

absl::StatusOr<uint32_t> LedgerState::VisibleHousehold(absl::string_view id,
                                                       const Cut& cut) const {
  const uint32_t household = households_.keys.Find(id);
  if (household == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("no household '", id, "' is recorded"));
  }
  if (EffectiveVersion(households_, events_, household, cut) == kNoId) {
    return absl::NotFoundError(absl::StrCat("household '", id,
                                            "' has no version visible at "
                                            "sequence ",
                                            cut.sequence));
  }
  return household;
}

absl::StatusOr<uint32_t> LedgerState::KnownPerson(absl::string_view id) const {
  const uint32_t person = persons_.keys.Find(id);
  if (person == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("person '", id, "' never occurs in the ledger"));
  }
  return person;
}

std::vector<std::string> LedgerState::SortedKeys(
    const KeyMap& keys, std::vector<uint32_t> ids) const {
  std::vector<absl::string_view> views;
  views.reserve(ids.size());
  for (uint32_t id : ids) views.push_back(keys.Key(id));
  std::sort(views.begin(), views.end());
  return std::vector<std::string>(views.begin(), views.end());
}

absl::StatusOr<v1::Area> LedgerState::GetArea(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  absl::StatusOr<uint32_t> area = VisibleArea(id, cut);
  if (!area.ok()) return area.status();
  return AreaAt(EffectiveVersion(areas_, events_, *area, cut));
}

absl::StatusOr<v1::Household> LedgerState::GetHousehold(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  absl::StatusOr<uint32_t> household = VisibleHousehold(id, cut);
  if (!household.ok()) return household.status();
  return HouseholdAt(EffectiveVersion(households_, events_, *household, cut));
}

absl::StatusOr<v1::Person> LedgerState::GetPerson(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  const uint32_t person = persons_.keys.Find(id);
  if (person == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("no person '", id, "' is recorded"));
  }
  const uint32_t version = EffectiveVersion(persons_, events_, person, cut);
  if (version == kNoId) {
    return absl::NotFoundError(absl::StrCat(
        "person '", id, "' is not registered at sequence ", cut.sequence));
  }
  return PersonAt(version);
}

std::vector<std::string> LedgerState::FindPersonsByNationalId(
    absl::string_view national_id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  const uint32_t nid = persons_.national_ids.Find(national_id);
  std::vector<uint32_t> found;
  if (nid == kNoId) return {};
  for (uint32_t row = persons_.national_id_head[nid]; row != kNoId;
       row = persons_.v_next_same_national_id[row]) {
    const uint32_t person = persons_.v_entity[row];
    if (EffectiveVersion(persons_, events_, person, cut) == row) {
      found.push_back(person);
    }
  }
  return SortedKeys(persons_.keys, std::move(found));
}

absl::StatusOr<std::vector<std::string>> LedgerState::HouseholdMembers(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  absl::StatusOr<uint32_t> household = VisibleHousehold(id, cut);
  if (!household.ok()) return household.status();
  std::vector<uint32_t> members;
  for (uint32_t row = households_.member_head[*household]; row != kNoId;
       row = persons_.v_next_in_household[row]) {
    const uint32_t person = persons_.v_entity[row];
    if (EffectiveVersion(persons_, events_, person, cut) == row) {
      members.push_back(person);
    }
  }
  return SortedKeys(persons_.keys, std::move(members));
}

std::vector<uint32_t> LedgerState::Children(uint32_t area,
                                            const Cut& cut) const {
  std::vector<uint32_t> children;
  for (uint32_t row = areas_.child_head[area]; row != kNoId;
       row = areas_.v_next_sibling[row]) {
    const uint32_t child = areas_.v_entity[row];
    if (EffectiveVersion(areas_, events_, child, cut) == row) {
      children.push_back(child);
    }
  }
  std::sort(children.begin(), children.end(), [this](uint32_t a, uint32_t b) {
    return areas_.keys.Key(a) < areas_.keys.Key(b);
  });
  return children;
}

void LedgerState::CollectSubtree(uint32_t area, const Cut& cut,
                                 std::vector<uint32_t>* out) const {
  // Preorder, children by id, with an explicit stack (no recursion, so a
  // deep tree cannot overflow the call stack). The child lists form a tree
  // (LedgerState::CheckColumns checks it on load), so the walk ends.
  std::vector<uint32_t> stack = {area};
  while (!stack.empty()) {
    const uint32_t a = stack.back();
    stack.pop_back();
    out->push_back(a);
    const std::vector<uint32_t> children = Children(a, cut);
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
}

absl::StatusOr<std::vector<std::string>> LedgerState::ChildAreas(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  absl::StatusOr<uint32_t> area = VisibleArea(id, cut);
  if (!area.ok()) return area.status();
  std::vector<std::string> out;
  for (uint32_t child : Children(*area, cut)) {
    out.emplace_back(areas_.keys.Key(child));
  }
  return out;
}

std::vector<std::string> LedgerState::TopLevelAreas(
    const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  std::vector<std::string> out;
  const uint32_t areas = static_cast<uint32_t>(areas_.keys.size());
  for (uint32_t area = 0; area < areas; ++area) {
    const uint32_t row = EffectiveVersion(areas_, events_, area, cut);
    if (row != kNoId && areas_.v_parent[row] == kNoId) {
      out.emplace_back(areas_.keys.Key(area));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::vector<std::string>> LedgerState::AreaSubtree(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  absl::StatusOr<uint32_t> area = VisibleArea(id, cut);
  if (!area.ok()) return area.status();
  std::vector<uint32_t> subtree;
  CollectSubtree(*area, cut, &subtree);
  std::vector<std::string> out;
  out.reserve(subtree.size());
  for (uint32_t a : subtree) out.emplace_back(areas_.keys.Key(a));
  return out;
}

absl::StatusOr<std::vector<std::string>> LedgerState::PersonsInArea(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  absl::StatusOr<uint32_t> area = VisibleArea(id, cut);
  if (!area.ok()) return area.status();
  std::vector<uint32_t> subtree;
  CollectSubtree(*area, cut, &subtree);
  std::vector<uint32_t> found;
  for (uint32_t a : subtree) {
    ForEachPersonInArea(areas_, households_, persons_, events_, a, cut,
                        [&](uint32_t person) { found.push_back(person); });
  }
  return SortedKeys(persons_.keys, std::move(found));
}

bool LedgerState::ReferencedIn(uint32_t person, const Cut& cut) const {
  if (exposures_.AnyRowOf(person, [&](uint32_t row) {
        return events_.Visible(EventKind::kExposure, row, cut);
      })) {
    return true;
  }
  static constexpr EventKind kListKinds[kPersonLists] = {
      EventKind::kDiagnosis, EventKind::kQuarantineAction,
      EventKind::kHealthCheck, EventKind::kCheckpointPassage};
  for (int list = 0; list < kPersonLists; ++list) {
    for (uint32_t row = persons_.ListHead(list, person); row != kNoId;
         row = person_events_[list].next[row]) {
      if (events_.Visible(kListKinds[list], row, cut)) return true;
    }
  }
  return false;
}

std::vector<std::string> LedgerState::UnregisteredPersons(
    const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  std::vector<uint32_t> found;
  const uint32_t persons = static_cast<uint32_t>(persons_.keys.size());
  for (uint32_t person = 0; person < persons; ++person) {
    if (EffectiveVersion(persons_, events_, person, cut) == kNoId &&
        ReferencedIn(person, cut)) {
      found.push_back(person);
    }
  }
  return SortedKeys(persons_.keys, std::move(found));
}

absl::StatusOr<std::vector<Recorded<v1::Exposure>>> LedgerState::ExposuresOf(
    absl::string_view id, absl::Time from, absl::Time to,
    const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  absl::StatusOr<uint32_t> person = KnownPerson(id);
  if (!person.ok()) return person.status();
  const int64_t from_s = CeilSeconds(from);
  const int64_t to_s = absl::ToUnixSeconds(to);
  std::vector<uint32_t> rows;
  exposures_.ForEachRowOf(*person, [&](uint32_t row) {
    if (exposures_.start(row) > to_s || exposures_.end(row) < from_s) return;
    if (events_.Visible(EventKind::kExposure, row, cut)) rows.push_back(row);
  });
  // By start time, then sequence number (rows are in sequence order).
  std::sort(rows.begin(), rows.end(), [this](uint32_t a, uint32_t b) {
    const int64_t sa = exposures_.start(a);
    const int64_t sb = exposures_.start(b);
    return sa != sb ? sa < sb : a < b;
  });
  std::vector<Recorded<v1::Exposure>> out;
  out.reserve(rows.size());
  for (uint32_t row : rows) {
    out.push_back(MakeRecorded(EventKind::kExposure, row, ExposureAt(row)));
  }
  return out;
}

template <typename Body>
absl::StatusOr<std::vector<Recorded<Body>>> LedgerState::PersonEventsOf(
    PersonList list, absl::string_view id, const ReadOptions& options) const {
  static constexpr EventKind kListKinds[kPersonLists] = {
      EventKind::kDiagnosis, EventKind::kQuarantineAction,
      EventKind::kHealthCheck, EventKind::kCheckpointPassage};
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutForLocked(options);
  absl::StatusOr<uint32_t> person = KnownPerson(id);
  if (!person.ok()) return person.status();
  const PersonEventTable& t = person_events_[list];
  std::vector<uint32_t> rows;
  for (uint32_t row = persons_.ListHead(list, *person); row != kNoId;
       row = t.next[row]) {
    if (events_.Visible(kListKinds[list], row, cut)) rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [&t](uint32_t a, uint32_t b) {
    return t.time[a] != t.time[b] ? t.time[a] < t.time[b] : a < b;
  });
  std::vector<Recorded<Body>> out;
  out.reserve(rows.size());
  for (uint32_t row : rows) {
    out.push_back(
        MakeRecorded(kListKinds[list], row, PersonEventAt<Body>(list, row)));
  }
  return out;
}

LedgerStats LedgerState::Stats() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  LedgerStats stats;
  stats.events = events_.last_sequence();
  stats.areas = areas_.keys.size();
  stats.households = households_.keys.size();
  stats.persons = persons_.keys.size();
  stats.person_versions = persons_.v_entity.size();
  stats.exposures = events_.count(EventKind::kExposure);
  stats.diagnoses = events_.count(EventKind::kDiagnosis);
  stats.quarantine_actions = events_.count(EventKind::kQuarantineAction);
  stats.health_checks = events_.count(EventKind::kHealthCheck);
  stats.checkpoint_passages = events_.count(EventKind::kCheckpointPassage);
  stats.retractions = events_.count(EventKind::kRetraction);
  uint64_t bytes = events_.allocated_bytes() + areas_.allocated_bytes() +
                   households_.allocated_bytes() + persons_.allocated_bytes() +
                   exposures_.allocated_bytes() +
                   retraction_blob_.allocated_bytes() +
                   retraction_blobs_.allocated_bytes();
  for (const auto& t : person_events_) bytes += t.allocated_bytes();
  stats.memory_bytes = bytes;
  return stats;
}

template absl::StatusOr<std::vector<Recorded<v1::Diagnosis>>>
LedgerState::PersonEventsOf<v1::Diagnosis>(PersonList, absl::string_view,
                                           const ReadOptions&) const;
template absl::StatusOr<std::vector<Recorded<v1::QuarantineAction>>>
LedgerState::PersonEventsOf<v1::QuarantineAction>(PersonList, absl::string_view,
                                                  const ReadOptions&) const;
template absl::StatusOr<std::vector<Recorded<v1::HealthCheck>>>
LedgerState::PersonEventsOf<v1::HealthCheck>(PersonList, absl::string_view,
                                             const ReadOptions&) const;
template absl::StatusOr<std::vector<Recorded<v1::CheckpointPassage>>>
LedgerState::PersonEventsOf<v1::CheckpointPassage>(PersonList,
                                                   absl::string_view,
                                                   const ReadOptions&) const;

}  // namespace internal

// LedgerView::TopLevelAreas for a view that does not answer its own way:
// the ledger's area table.
absl::StatusOr<std::vector<std::string>> LedgerView::TopLevelAreas(
    const ReadOptions& options) const {
  return state().TopLevelAreas(options);
}

}  // namespace contactledger
