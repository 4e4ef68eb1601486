// LedgerState::CheckColumns: after a snapshot is loaded (a bulk copy of the
// columns, lib/columns/snapshot_io.h), checks that the state is one appends
// could have built, before any read or append uses it.
//
// A snapshot's checksums catch damage, but not a file whose columns disagree
// with each other (written by a buggy or hostile writer, or damaged in a way
// that kept its checksums): every id, row number and list link read from a
// column is used as an array index without a check on the hot paths. So
// here, once per load, in one pass over each column:
//   - every table has one row per event of its kind (the EventIndex totals),
//     and every per-entity column one entry per key;
//   - every id and row number points into its table, or is kNoId where the
//     column allows it; every string offset is that of a whole string in its
//     arena;
//   - every link (older version, next in a list) points to an older row, so
//     every walk ends; an area's parent is one level up, so the area tree has
//     no cycle;
//   - every list (an entity's versions, an area's children, households and
//     persons, a household's members, a national id's persons, a person's
//     events) holds only rows that name its owner, so the child lists form
//     the same acyclic tree as the parents, and checking all the lists
//     visits each row once per kind of list;
//   - instants and days are in the range appends accept, so no arithmetic
//     on them overflows.
// The result is DataLoss naming the column and the row.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/state/ledger_state.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace {

using internal::EventKind;
using internal::kNoId;
using internal::SegmentedArray;
using internal::StringArena;

// Collects the first problem found.
class Checker {
 public:
  bool ok() const { return status_.ok(); }
  const absl::Status& status() const { return status_; }

  void Fail(absl::string_view column, uint64_t row, absl::string_view what) {
    if (!status_.ok()) return;
    status_ = absl::DataLossError(
        absl::StrCat("column '", column, "' row ", row, ": ", what));
  }

  // `column` has `want` entries.
  template <typename Column>
  void Size(absl::string_view column, const Column& c, uint64_t want) {
    if (ok() && c.size() != want) {
      status_ = absl::DataLossError(absl::StrCat(
          "column '", column, "' has ", c.size(), " entries, expected ", want));
    }
  }

  // Every entry is below `limit`, or kNoId when `none` allows it.
  void Ids(absl::string_view column, const SegmentedArray<uint32_t>& c,
           uint64_t limit, bool none) {
    for (size_t r = 0; ok() && r < c.size(); ++r) {
      if (!(c[r] < limit || (none && c[r] == kNoId))) {
        Fail(column, r,
             absl::StrCat("id ", c[r], " is out of range (", limit, ")"));
      }
    }
  }

  // Every entry is an older row (below its own), or kNoId.
  void Older(absl::string_view column, const SegmentedArray<uint32_t>& c) {
    for (size_t r = 0; ok() && r < c.size(); ++r) {
      if (c[r] != kNoId && c[r] >= r) {
        Fail(column, r, absl::StrCat("link to row ", c[r], " is not older"));
      }
    }
  }

  // The list of `owner` that starts at `head` (an entry of `head_column`)
  // and goes on through `next` holds only rows whose `group` entry is
  // `owner`. With every link older (Older), the walk ends; and as a row
  // names one group, it is on one list only, so the walks of all the lists
  // of a column visit each row at most once.
  void List(absl::string_view head_column, absl::string_view next_column,
            uint64_t owner, uint32_t head, const SegmentedArray<uint32_t>& next,
            const SegmentedArray<uint32_t>& group) {
    uint32_t previous = kNoId;
    for (uint32_t row = head; ok() && row != kNoId; row = next[row]) {
      if (group[row] != owner) {
        const std::string what = absl::StrCat(
            "row ", row, " on the list of ", owner, " belongs to ",
            group[row] == kNoId ? "none" : absl::StrCat(group[row]));
        if (previous == kNoId) {
          Fail(head_column, owner, what);
        } else {
          Fail(next_column, previous, what);
        }
      }
      previous = row;
    }
  }

  // List() for every entry of `heads`.
  void Lists(absl::string_view head_column, absl::string_view next_column,
             const SegmentedArray<uint32_t>& heads,
             const SegmentedArray<uint32_t>& next,
             const SegmentedArray<uint32_t>& group) {
    for (size_t owner = 0; ok() && owner < heads.size(); ++owner) {
      List(head_column, next_column, owner, heads[owner], next, group);
    }
  }

  // Every entry is the offset of a whole string in `arena`.
  void Strings(absl::string_view column, const SegmentedArray<uint64_t>& c,
               const StringArena& arena) {
    for (size_t r = 0; ok() && r < c.size(); ++r) {
      if (!arena.Contains(c[r])) Fail(column, r, "no string at its offset");
    }
  }

  // Every entry is an instant appends accept.
  void Times(absl::string_view column, const SegmentedArray<int64_t>& c) {
    for (size_t r = 0; ok() && r < c.size(); ++r) {
      if (c[r] < internal::kMinTimestampSeconds ||
          c[r] > internal::kMaxTimestampSeconds) {
        Fail(column, r, "time outside years 1-9999");
      }
    }
  }

 private:
  absl::Status status_;
};

constexpr EventKind kListKinds[internal::kPersonLists] = {
    EventKind::kDiagnosis, EventKind::kQuarantineAction,
    EventKind::kHealthCheck, EventKind::kCheckpointPassage};

}  // namespace

absl::Status internal::LedgerState::CheckColumns() const {
  if (absl::Status s = events_.CheckState(); !s.ok()) return s;
  Checker c;
  const uint64_t areas = areas_.keys.size();
  const uint64_t households = households_.keys.size();
  const uint64_t persons = persons_.keys.size();
  const uint64_t area_rows = events_.count(EventKind::kArea);
  const uint64_t household_rows = events_.count(EventKind::kHousehold);
  const uint64_t person_rows = events_.count(EventKind::kPerson);
  const uint64_t exposure_rows = events_.count(EventKind::kExposure);

  // Areas.
  const internal::AreaTable& a = areas_;
  for (const auto& [name, column] :
       {std::pair<const char*, const SegmentedArray<uint32_t>*>{"areas.latest",
                                                                &a.latest},
        {"areas.child_head", &a.child_head},
        {"areas.household_head", &a.household_head},
        {"areas.person_head", &a.person_head},
        {"areas.person_count", &a.person_count},
        {"areas.household_count", &a.household_count}}) {
    c.Size(name, *column, areas);
  }
  c.Size("areas.level", a.level, areas);
  for (const auto& [name, column] :
       {std::pair<const char*, const SegmentedArray<uint32_t>*>{
            "areas.v_entity", &a.v_entity},
        {"areas.v_prev", &a.v_prev},
        {"areas.v_parent", &a.v_parent},
        {"areas.v_next_sibling", &a.v_next_sibling}}) {
    c.Size(name, *column, area_rows);
  }
  c.Size("areas.v_blob", a.v_blob, area_rows);
  c.Ids("areas.latest", a.latest, area_rows, false);
  c.Ids("areas.child_head", a.child_head, area_rows, true);
  c.Ids("areas.household_head", a.household_head, household_rows, true);
  c.Ids("areas.person_head", a.person_head, person_rows, true);
  c.Ids("areas.v_entity", a.v_entity, areas, false);
  c.Ids("areas.v_parent", a.v_parent, areas, true);
  c.Older("areas.v_prev", a.v_prev);
  c.Older("areas.v_next_sibling", a.v_next_sibling);
  c.Strings("areas.v_blob", a.v_blob, a.blobs);
  for (size_t e = 0; c.ok() && e < areas; ++e) {
    if (a.level[e] < v1::AREA_LEVEL_COUNTY ||
        a.level[e] > v1::AREA_LEVEL_GRID) {
      c.Fail("areas.level", e, "not a level");
    } else if (a.v_entity[a.latest[e]] != e) {
      c.Fail("areas.latest", e, "the version belongs to another area");
    }
  }
  for (size_t r = 0; c.ok() && r < area_rows; ++r) {
    // A parent is one level up (the validator's rule): the tree has no cycle.
    const uint32_t parent = a.v_parent[r];
    const int level = a.level[a.v_entity[r]];
    if (parent == kNoId ? level != v1::AREA_LEVEL_COUNTY
                        : a.level[parent] + 1 != level) {
      c.Fail("areas.v_parent", r, "the parent is not one level up");
    } else if (a.v_prev[r] != kNoId &&
               a.v_entity[a.v_prev[r]] != a.v_entity[r]) {
      c.Fail("areas.v_prev", r, "an older version of another area");
    }
  }

  // Households.
  const internal::HouseholdTable& h = households_;
  c.Size("households.latest", h.latest, households);
  c.Size("households.member_head", h.member_head, households);
  c.Size("households.counted_area", h.counted_area, households);
  c.Size("households.v_entity", h.v_entity, household_rows);
  c.Size("households.v_prev", h.v_prev, household_rows);
  c.Size("households.v_area", h.v_area, household_rows);
  c.Size("households.v_next_in_area", h.v_next_in_area, household_rows);
  c.Size("households.v_blob", h.v_blob, household_rows);
  c.Ids("households.latest", h.latest, household_rows, false);
  c.Ids("households.member_head", h.member_head, person_rows, true);
  c.Ids("households.counted_area", h.counted_area, areas, true);
  c.Ids("households.v_entity", h.v_entity, households, false);
  c.Ids("households.v_area", h.v_area, areas, false);
  c.Older("households.v_prev", h.v_prev);
  c.Older("households.v_next_in_area", h.v_next_in_area);
  c.Strings("households.v_blob", h.v_blob, h.blobs);
  for (size_t e = 0; c.ok() && e < households; ++e) {
    if (h.v_entity[h.latest[e]] != e) {
      c.Fail("households.latest", e, "the version belongs to another one");
    }
  }

  // Persons.
  const internal::PersonTable& p = persons_;
  const uint64_t national_ids = p.national_ids.size();
  c.Size("persons.latest", p.latest, persons);
  c.Size("persons.counted_area", p.counted_area, persons);
  for (const auto& [name, column] :
       {std::pair<const char*, const SegmentedArray<uint32_t>*>{
            "persons.v_entity", &p.v_entity},
        {"persons.v_prev", &p.v_prev},
        {"persons.v_household", &p.v_household},
        {"persons.v_area", &p.v_area},
        {"persons.v_next_in_household", &p.v_next_in_household},
        {"persons.v_next_in_area", &p.v_next_in_area},
        {"persons.v_national_id", &p.v_national_id},
        {"persons.v_next_same_national_id", &p.v_next_same_national_id}}) {
    c.Size(name, *column, person_rows);
  }
  c.Size("persons.v_blob", p.v_blob, person_rows);
  c.Size("persons.national_id_head", p.national_id_head, national_ids);
  c.Ids("persons.latest", p.latest, person_rows, true);
  c.Ids("persons.counted_area", p.counted_area, areas, true);
  c.Ids("persons.maybe_unregistered", p.maybe_unregistered, persons, false);
  c.Ids("persons.v_entity", p.v_entity, persons, false);
  c.Ids("persons.v_household", p.v_household, households, true);
  c.Ids("persons.v_area", p.v_area, areas, true);
  c.Ids("persons.v_national_id", p.v_national_id, national_ids, true);
  c.Ids("persons.national_id_head", p.national_id_head, person_rows, true);
  c.Older("persons.v_prev", p.v_prev);
  c.Older("persons.v_next_in_household", p.v_next_in_household);
  c.Older("persons.v_next_in_area", p.v_next_in_area);
  c.Older("persons.v_next_same_national_id", p.v_next_same_national_id);
  c.Strings("persons.v_blob", p.v_blob, p.blobs);
  for (size_t e = 0; c.ok() && e < persons; ++e) {
    if (p.latest[e] != kNoId && p.v_entity[p.latest[e]] != e) {
      c.Fail("persons.latest", e, "the version belongs to another person");
    }
  }
  for (const auto& [person, heads] : p.list_heads) {
    for (int list = 0; c.ok() && list < internal::kPersonLists; ++list) {
      if (person >= persons ||
          (heads[list] != kNoId &&
           heads[list] >= events_.count(kListKinds[list]))) {
        c.Fail("persons.list_heads", person, "out of range");
      }
    }
  }

  // Exposures (the adjacency is rebuilt from the rows after this).
  const internal::ExposureTable& x = exposures_;
  c.Size("exposures.rows", x.rows, exposure_rows);
  c.Size("exposures.setting", x.setting, exposure_rows);
  uint64_t far = 0;
  for (size_t r = 0; c.ok() && r < exposure_rows; ++r) {
    const internal::ExposureRow& row = x.rows[r];
    if (row.person_a >= persons || row.person_b >= persons ||
        row.person_a == row.person_b) {
      c.Fail("exposures.rows", r, "persons out of range, or the same");
    } else if (row.start == internal::ExposureTable::kFarStart) {
      ++far;
      auto it = x.far_start.find(static_cast<uint32_t>(r));
      if (it == x.far_start.end() ||
          it->second < internal::kMinTimestampSeconds ||
          it->second > internal::kMaxTimestampSeconds) {
        c.Fail("exposures.far_start", r, "missing, or outside years 1-9999");
      }
    }
  }
  if (c.ok() && far != x.far_start.size()) {
    c.Fail("exposures.far_start", x.far_start.size(),
           "entries for rows whose start is in the row");
  }
  for (const auto& [row, offset] : x.extra) {
    if (c.ok() && (row >= exposure_rows || !x.blobs.Contains(offset))) {
      c.Fail("exposures.extra", row, "out of range");
    }
  }

  // Diagnoses, quarantine actions, health checks, passages.
  for (int list = 0; list < internal::kPersonLists; ++list) {
    const internal::PersonEventTable& t = person_events_[list];
    const uint64_t rows = events_.count(kListKinds[list]);
    const std::string prefix = absl::StrCat("person_events.", list, ".");
    c.Size(prefix + "person", t.person, rows);
    c.Size(prefix + "next", t.next, rows);
    c.Size(prefix + "time", t.time, rows);
    c.Size(prefix + "code", t.code, rows);
    c.Size(prefix + "value", t.value, rows);
    c.Size(prefix + "blob", t.blob, rows);
    c.Ids(prefix + "person", t.person, persons, false);
    c.Older(prefix + "next", t.next);
    c.Times(prefix + "time", t.time);
    c.Strings(prefix + "blob", t.blob, t.blobs);
    if (list != internal::kDiagnoses) continue;
    // The onset day (days since 1970-01-01 of a day in years 1-9999).
    constexpr int32_t kFirstDay = -719162;
    constexpr int32_t kLastDay = 2932896;
    for (size_t r = 0; c.ok() && r < rows; ++r) {
      const int32_t day = t.value[r];
      if (day != internal::PersonEventTable::kNoDay &&
          (day < kFirstDay || day > kLastDay)) {
        c.Fail(prefix + "value", r, "onset day outside years 1-9999");
      }
    }
  }

  // Every list (version chains and membership lists) holds only rows that
  // name its owner: a walk from an owner sees its own rows, and the area
  // tree the child lists form is the one v_parent forms (which has no
  // cycle), so no walk loops, however it descends. Linear in all: each row
  // is on one list of each kind.
  c.Lists("areas.latest", "areas.v_prev", a.latest, a.v_prev, a.v_entity);
  c.Lists("areas.child_head", "areas.v_next_sibling", a.child_head,
          a.v_next_sibling, a.v_parent);
  c.Lists("areas.household_head", "households.v_next_in_area", a.household_head,
          h.v_next_in_area, h.v_area);
  c.Lists("areas.person_head", "persons.v_next_in_area", a.person_head,
          p.v_next_in_area, p.v_area);
  c.Lists("households.latest", "households.v_prev", h.latest, h.v_prev,
          h.v_entity);
  c.Lists("households.member_head", "persons.v_next_in_household",
          h.member_head, p.v_next_in_household, p.v_household);
  c.Lists("persons.latest", "persons.v_prev", p.latest, p.v_prev, p.v_entity);
  c.Lists("persons.national_id_head", "persons.v_next_same_national_id",
          p.national_id_head, p.v_next_same_national_id, p.v_national_id);
  for (const auto& [person, heads] : p.list_heads) {
    for (int list = 0; c.ok() && list < internal::kPersonLists; ++list) {
      c.List("persons.list_heads",
             absl::StrCat("person_events.", list, ".next"), person, heads[list],
             person_events_[list].next, person_events_[list].person);
    }
  }

  c.Size("retractions.blob", retraction_blob_,
         events_.count(EventKind::kRetraction));
  c.Strings("retractions.blob", retraction_blob_, retraction_blobs_);
  return c.status();
}

}  // namespace contactledger
