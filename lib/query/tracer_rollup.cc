// Copyright 2026 The ContactLedger Authors.
//
// Tracer::AreaRollup(): how each child area of an area stands. Each row
// counts the child's whole subtree: registered persons and households, the
// roster by role, the open stays by place, the health checks of the last 24
// hours and the open loops by kind. A top-level area's roll-up ends with the
// row "(unassigned)" of the persons with no area, when it counts anything.
//
// The counts that depend on the tracing (everything but persons and
// households) are worked out once per Tracer by CountTallies, as one
// (area, field) pair per count, and every AreaRollup() call sorts them into
// its rows.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "contactledger/tracing.h"
#include "lib/query/tracer_state.h"
#include "lib/query/tracing_engine.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace internal {
namespace {

// Collects the tallies of every person, under their area or kNoId.
class TallyList {
 public:
  explicit TallyList(const TracingContext& c) : c_(c) {}

  void Add(uint32_t person, uint32_t field) {
    tallies_.push_back(RollupTally{AreaOf(c_, person), field});
  }

  std::vector<RollupTally> Take() { return std::move(tallies_); }

 private:
  const TracingContext& c_;
  std::vector<RollupTally> tallies_;
};

// The roster by role.
void TallyRoster(const TracingResult& result, TallyList* tallies) {
  for (uint32_t person : result.roster) {
    if (result.cases.contains(person)) {
      tallies->Add(person, RollupTally::kActiveCase);
    } else if (result.contacts.at(person).role == Role::kCloseContact) {
      tallies->Add(person, RollupTally::kCloseContact);
    } else {
      tallies->Add(person, RollupTally::kSecondaryContact);
    }
  }
}

// The stays open at c.at, by place.
void TallyOpenStays(const TracingContext& c, TallyList* tallies) {
  for (uint32_t person : PersonsWithActions(c)) {
    const Stays stays = StaysOf(c, person);
    const Stay* open = OpenStayAt(stays, c.at);
    if (open == nullptr) continue;
    switch (open->place) {
      case v1::QUARANTINE_PLACE_HOSPITAL:
        tallies->Add(person, RollupTally::kInHospital);
        break;
      case v1::QUARANTINE_PLACE_CENTRALIZED:
        tallies->Add(person, RollupTally::kInCentralized);
        break;
      default:
        tallies->Add(person, RollupTally::kAtHome);
        break;
    }
  }
}

// The visible health checks of the 24 hours up to c.at.
void TallyRecentChecks(const TracingContext& c, TallyList* tallies) {
  const PersonEventTable& checks = c.reader.person_events(kHealthChecks);
  const uint64_t rows = c.cut.rows[static_cast<int>(EventKind::kHealthCheck)];
  for (uint32_t row = 0; row < rows; ++row) {
    if (checks.time[row] <= c.at && checks.time[row] > c.at - 86400 &&
        c.reader.events().Visible(EventKind::kHealthCheck, row, c.cut)) {
      tallies->Add(checks.person[row], RollupTally::kCheckLast24h);
    }
  }
}

// The children of `parent` visible at c.cut, sorted by area id.
std::vector<uint32_t> ChildrenOf(const TracingContext& c, uint32_t parent) {
  const AreaTable& areas = c.reader.areas();
  std::vector<uint32_t> children;
  for (uint32_t row = areas.child_head[parent]; row != kNoId;
       row = areas.v_next_sibling[row]) {
    const uint32_t child = areas.v_entity[row];
    if (EffectiveVersion(areas, c.reader.events(), child, c.cut) == row) {
      children.push_back(child);
    }
  }
  std::sort(children.begin(), children.end(), [&](uint32_t a, uint32_t b) {
    return areas.keys.Key(a) < areas.keys.Key(b);
  });
  return children;
}

// One empty row per child (its id and name), and in *row_of the row of
// every area in each child's subtree.
std::vector<AreaRollupRow> RowsOf(
    const TracingContext& c, const std::vector<uint32_t>& children,
    absl::flat_hash_map<uint32_t, size_t>* row_of) {
  const AreaTable& areas = c.reader.areas();
  std::vector<AreaRollupRow> rows(children.size());
  for (size_t i = 0; i < children.size(); ++i) {
    const uint32_t child = children[i];
    rows[i].area_id = std::string(areas.keys.Key(child));
    rows[i].name =
        AreaRecordAt(c.reader,
                     EffectiveVersion(areas, c.reader.events(), child, c.cut))
            .name();
    std::vector<uint32_t> stack = {child};
    while (!stack.empty()) {
      const uint32_t a = stack.back();
      stack.pop_back();
      (*row_of)[a] = i;
      for (uint32_t grandchild : ChildrenOf(c, a)) stack.push_back(grandchild);
    }
  }
  return rows;
}

// The persons and households registered in the area itself (not its
// subtree) as of c.cut.
void CountRegistered(const TracingContext& c, uint32_t area,
                     AreaRollupRow* row) {
  const AreaTable& areas = c.reader.areas();
  const EventIndex& events = c.reader.events();
  // The present is counted on every append; a view of the past is counted
  // here.
  if (c.cut.sequence == events.last_sequence()) {
    row->persons += areas.person_count[area];
    row->households += areas.household_count[area];
    return;
  }
  const HouseholdTable& households = c.reader.households();
  ForEachPersonInArea(areas, households, c.reader.persons(), events, area,
                      c.cut, [&](uint32_t) { ++row->persons; });
  for (uint32_t v = areas.household_head[area]; v != kNoId;
       v = households.v_next_in_area[v]) {
    if (EffectiveVersion(households, events, households.v_entity[v], c.cut) ==
        v) {
      ++row->households;
    }
  }
}

// Adds one tally to its row.
void AddTally(uint32_t field, AreaRollupRow* row) {
  switch (field) {
    case RollupTally::kActiveCase:
      ++row->active_cases;
      break;
    case RollupTally::kCloseContact:
      ++row->close_contacts;
      break;
    case RollupTally::kSecondaryContact:
      ++row->secondary_contacts;
      break;
    case RollupTally::kInHospital:
      ++row->in_hospital;
      break;
    case RollupTally::kInCentralized:
      ++row->in_centralized;
      break;
    case RollupTally::kAtHome:
      ++row->at_home;
      break;
    case RollupTally::kCheckLast24h:
      ++row->checks_last_24h;
      break;
    default:
      ++row->loops[field - RollupTally::kLoops];
      break;
  }
}

// The registered persons with no area as of c.cut: a visible version that
// names no area, and no household with a visible version. One pass over the
// persons.
uint64_t CountRegisteredWithoutArea(const TracingContext& c) {
  const PersonTable& persons = c.reader.persons();
  const HouseholdTable& households = c.reader.households();
  const EventIndex& events = c.reader.events();
  uint64_t n = 0;
  const uint32_t ids = static_cast<uint32_t>(persons.keys.size());
  for (uint32_t person = 0; person < ids; ++person) {
    if (persons.latest[person] == kNoId) continue;
    const uint32_t version = EffectiveVersion(persons, events, person, c.cut);
    n += version != kNoId &&
         PersonAreaAt(persons, households, events, version, c.cut) == kNoId;
  }
  return n;
}

// Whether the row counts anything.
bool CountsAnything(const AreaRollupRow& row) {
  uint64_t loops = 0;
  for (uint64_t n : row.loops) loops += n;
  return row.persons + row.households + row.active_cases + row.close_contacts +
             row.secondary_contacts + row.in_hospital + row.in_centralized +
             row.at_home + loops + row.checks_last_24h >
         0;
}

}  // namespace

std::vector<RollupTally> CountTallies(const TracingContext& c,
                                      const TracingResult& result,
                                      const std::vector<Loop>& loops) {
  TallyList tallies(c);
  TallyRoster(result, &tallies);
  TallyOpenStays(c, &tallies);
  for (const Loop& loop : loops) {
    tallies.Add(loop.person,
                RollupTally::kLoops + static_cast<uint32_t>(loop.kind));
  }
  TallyRecentChecks(c, &tallies);
  return tallies.Take();
}

}  // namespace internal

absl::StatusOr<std::vector<AreaRollupRow>> Tracer::AreaRollup(
    absl::string_view area_id) const {
  if (state_->filter != nullptr) return state_->filter->AreaRollup(area_id);
  internal::LedgerReader reader(*state_->ledger);
  const internal::TracingContext c = state_->Context(reader);
  const internal::AreaTable& areas = reader.areas();
  const uint32_t area = areas.keys.Find(area_id);
  const uint32_t version =
      area == internal::kNoId
          ? internal::kNoId
          : EffectiveVersion(areas, reader.events(), area, c.cut);
  if (version == internal::kNoId) {
    return absl::NotFoundError(absl::StrCat("no area '", area_id, "'"));
  }
  absl::flat_hash_map<uint32_t, size_t> row_of;  // area in a subtree -> row
  std::vector<AreaRollupRow> rows =
      internal::RowsOf(c, internal::ChildrenOf(c, area), &row_of);
  for (const auto& [a, i] : row_of) internal::CountRegistered(c, a, &rows[i]);
  // A top-level area's roll-up also counts the persons with no area.
  const bool top_level = areas.v_parent[version] == internal::kNoId;
  AreaRollupRow unassigned;
  unassigned.area_id = std::string(kUnassignedAreaId);
  unassigned.name = "persons with no area";
  for (const internal::RollupTally& t : state_->CachedTallies(c)) {
    if (t.area == internal::kNoId) {
      if (top_level) internal::AddTally(t.field, &unassigned);
      continue;
    }
    auto it = row_of.find(t.area);
    if (it != row_of.end()) internal::AddTally(t.field, &rows[it->second]);
  }
  if (top_level) {
    unassigned.persons = internal::CountRegisteredWithoutArea(c);
    if (internal::CountsAnything(unassigned)) {
      rows.push_back(std::move(unassigned));
    }
  }
  return rows;
}

}  // namespace contactledger
