// The ledger's in-memory tables: columnar, append-only, dense-id keyed.
//
// Areas, households and persons are versioned entities. Each has a KeyMap
// (string id <-> dense entity id), per-entity columns (the latest version,
// list heads), and a version table whose row r is the r-th upsert event of
// that kind (so the EventIndex maps it to a sequence number and a cut
// decides its visibility). A version keeps its indexed fields as columns and
// the rest of the record as serialised protobuf bytes in a StringArena.
//
// Membership lists (an area's children, a household's members, an area's
// persons) link *version rows*: a version is listed under the group it named.
// A read walks the list and keeps the rows that are the effective version of
// their entity in its cut, so moves and retractions are seen exactly as of
// the cut.
//
// Exposures are 16-byte rows with a per-person adjacency: a compacted CSR
// array plus a linked tail of recent rows (see ExposureTable). The
// person-keyed events (diagnoses, quarantine actions, health checks,
// passages) are rows with intrusive per-person singly linked lists.

#ifndef CONTACTLEDGER_LIB_INDEX_TABLES_H_
#define CONTACTLEDGER_LIB_INDEX_TABLES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/container/flat_hash_map.h"
#include "lib/columns/key_map.h"
#include "lib/columns/large_alloc.h"
#include "lib/columns/segmented_array.h"
#include "lib/columns/string_arena.h"
#include "lib/index/event_index.h"

namespace contactledger {
namespace internal {

// Returns the version row of `entity` that a read with `cut` sees, or kNoId:
// the newest visible, unretracted version.
template <typename Table>
uint32_t EffectiveVersion(const Table& table, const EventIndex& events,
                          uint32_t entity, const Cut& cut) {
  uint32_t row = table.latest[entity];
  while (row != kNoId && !events.Visible(Table::kKind, row, cut)) {
    row = table.v_prev[row];
  }
  return row;
}

struct AreaTable {
  static constexpr EventKind kKind = EventKind::kArea;
  KeyMap keys;
  // Per area.
  SegmentedArray<uint32_t> latest;
  SegmentedArray<uint8_t> level;            // v1::AreaLevel, fixed per id
  SegmentedArray<uint32_t> child_head;      // area version rows naming it
  SegmentedArray<uint32_t> household_head;  // household version rows
  SegmentedArray<uint32_t> person_head;     // person version rows
  // Persons and households whose latest unretracted version names this
  // area directly: the counts of the latest state, kept on every append so
  // that a roll-up of the present needs no scan.
  SegmentedArray<uint32_t> person_count;
  SegmentedArray<uint32_t> household_count;
  // Per version.
  SegmentedArray<uint32_t> v_entity;
  SegmentedArray<uint32_t> v_prev;
  SegmentedArray<uint32_t> v_parent;  // kNoId for a county
  SegmentedArray<uint32_t> v_next_sibling;
  SegmentedArray<uint64_t> v_blob;  // Area without id and parent_id
  StringArena blobs;

  size_t allocated_bytes() const {
    return keys.allocated_bytes() + latest.allocated_bytes() +
           level.allocated_bytes() + child_head.allocated_bytes() +
           household_head.allocated_bytes() + person_head.allocated_bytes() +
           person_count.allocated_bytes() + household_count.allocated_bytes() +
           v_entity.allocated_bytes() + v_prev.allocated_bytes() +
           v_parent.allocated_bytes() + v_next_sibling.allocated_bytes() +
           v_blob.allocated_bytes() + blobs.allocated_bytes();
  }
};

struct HouseholdTable {
  static constexpr EventKind kKind = EventKind::kHousehold;
  KeyMap keys;
  // Per household.
  SegmentedArray<uint32_t> latest;
  SegmentedArray<uint32_t> member_head;   // person version rows
  SegmentedArray<uint32_t> counted_area;  // where it is counted, or kNoId
  // Per version.
  SegmentedArray<uint32_t> v_entity;
  SegmentedArray<uint32_t> v_prev;
  SegmentedArray<uint32_t> v_area;
  SegmentedArray<uint32_t> v_next_in_area;
  SegmentedArray<uint64_t> v_blob;  // Household without id and area_id
  StringArena blobs;

  size_t allocated_bytes() const {
    return keys.allocated_bytes() + latest.allocated_bytes() +
           member_head.allocated_bytes() + counted_area.allocated_bytes() +
           v_entity.allocated_bytes() + v_prev.allocated_bytes() +
           v_area.allocated_bytes() + v_next_in_area.allocated_bytes() +
           v_blob.allocated_bytes() + blobs.allocated_bytes();
  }
};

// The per-person lists of person-keyed events.
enum PersonList {
  kDiagnoses = 0,
  kQuarantineActions,
  kHealthChecks,
  kPassages
};
inline constexpr int kPersonLists = 4;

struct PersonTable {
  static constexpr EventKind kKind = EventKind::kPerson;
  KeyMap keys;  // every person id registered or referenced
  // Per person.
  SegmentedArray<uint32_t> latest;  // kNoId while unregistered
  // The heads of the person-keyed event lists, only for persons that have
  // any (most never have a diagnosis, stay, check or passage).
  absl::flat_hash_map<uint32_t, std::array<uint32_t, kPersonLists>> list_heads;
  uint32_t ListHead(int list, uint32_t person) const {
    auto it = list_heads.find(person);
    return it == list_heads.end() ? kNoId : it->second[list];
  }
  uint32_t& MutableListHead(int list, uint32_t person) {
    auto it = list_heads.find(person);
    if (it == list_heads.end()) {
      it =
          list_heads
              .emplace(person, std::array<uint32_t, kPersonLists>{kNoId, kNoId,
                                                                  kNoId, kNoId})
              .first;
    }
    return it->second[list];
  }
  SegmentedArray<uint32_t> counted_area;  // where it is counted, or kNoId
  // Persons that may have no visible version: created by a reference, or
  // with a version retracted (may repeat). Open loops scan only these.
  SegmentedArray<uint32_t> maybe_unregistered;
  // Per version.
  SegmentedArray<uint32_t> v_entity;
  SegmentedArray<uint32_t> v_prev;
  SegmentedArray<uint32_t> v_household;  // kNoId when none
  // The area the version names itself (Person.area_id), kNoId when none: a
  // version with a household and no area of its own is in its household's
  // area as of each read (PersonAreaAt), so it is listed under no area.
  SegmentedArray<uint32_t> v_area;
  SegmentedArray<uint32_t> v_next_in_household;
  SegmentedArray<uint32_t> v_next_in_area;
  SegmentedArray<uint32_t> v_national_id;  // into national_ids, or kNoId
  SegmentedArray<uint32_t> v_next_same_national_id;
  SegmentedArray<uint64_t> v_blob;  // Person without id, household_id,
                                    // national_id
  StringArena blobs;
  // National ids: dense id -> newest version row carrying it. Resident ids
  // are 18 characters, too long for a slot: they take the arena layout.
  KeyMap national_ids{KeyMap::Layout::kArena};
  SegmentedArray<uint32_t> national_id_head;

  size_t allocated_bytes() const {
    size_t n =
        keys.allocated_bytes() + latest.allocated_bytes() +
        v_entity.allocated_bytes() + v_prev.allocated_bytes() +
        v_household.allocated_bytes() + v_area.allocated_bytes() +
        v_next_in_household.allocated_bytes() +
        v_next_in_area.allocated_bytes() + v_national_id.allocated_bytes() +
        v_next_same_national_id.allocated_bytes() + v_blob.allocated_bytes() +
        blobs.allocated_bytes() + national_ids.allocated_bytes() +
        national_id_head.allocated_bytes();
    n += list_heads.capacity() *
         (sizeof(uint32_t) + sizeof(uint32_t) * kPersonLists + 1);
    return n;
  }
};

// One exposure row: 16 bytes, so that a row is one cache-line access.
struct ExposureRow {
  uint32_t person_a;
  uint32_t person_b;
  // Unix seconds of the start, when in [0, kFarStart); otherwise kFarStart
  // and the start is in ExposureTable::far_start (before 1970, from 2106).
  uint32_t start;
  uint32_t seconds;  // end - start
};
static_assert(sizeof(ExposureRow) == 16, "one exposure row is 16 bytes");

// Exposures, with a per-person adjacency in two parts:
//  - the base, a compacted CSR (compressed sparse row) array: person p's rows
//    are base_rows[base_offsets[p], base_offsets[p + 1]), newest row first,
//    contiguous, so that a walk reads one or two cache lines of row numbers
//    and then rows it can load in parallel;
//  - the tail, the rows appended since the last compaction: an intrusive
//    singly linked list per person (tail_head, tail_next), newest first.
// A walk visits the tail, then the base: every row of the person, newest
// (highest row number) first.
// A zone map keeps, for each run of kZoneRows consecutive rows, the earliest
// start and the latest end among them. Exposures are mostly recorded in
// roughly the order they happen, so a zone spans a short time, and a walk
// asking about a time window skips the rows of zones outside it
// (MayOverlap) without loading them; out-of-order rows only widen zones.
// AppendRow links a new row into the tail; when the tail reaches a quarter of
// the rows (and at least kMinTailRows), Compact() merges it into a new base, so
// each row is copied O(1) times on average. Compact() runs under the ledger's
// exclusive lock; readers hold it shared for a whole query, so no reader sees a
// half-built base.
struct ExposureTable {
  static constexpr uint32_t kFarStart = UINT32_MAX;
  static constexpr uint32_t kMinTailRows = 1u << 16;

  static constexpr int kZoneBits = 8;
  static constexpr uint32_t kZoneRows = 1u << kZoneBits;

  SegmentedArray<ExposureRow> rows;
  SegmentedArray<uint8_t> setting;                   // v1::ExposureSetting
  absl::flat_hash_map<uint32_t, int64_t> far_start;  // row -> Unix seconds
  // Rows that carry an id or a note: row -> Exposure{id, note} bytes.
  absl::flat_hash_map<uint32_t, uint64_t> extra;
  StringArena blobs;

  // The zone map: zones[z] covers rows [z * kZoneRows, (z + 1) * kZoneRows)
  // (rebuilt, not saved, by snapshots). Times are Unix seconds clamped to
  // 32 bits: a min_start of 0 stands for "1970 or before", a max_end of
  // UINT32_MAX for "2106 or after", and both then match any window.
  struct Zone {
    uint32_t min_start;
    uint32_t max_end;
  };
  std::vector<Zone> zones;

  // The adjacency (rebuilt, not saved, by snapshots), in huge pages.
  using RowNumbers = std::vector<uint32_t, LargeAllocator<uint32_t>>;
  RowNumbers base_offsets;  // persons at the last compaction + 1
  RowNumbers base_rows;
  uint32_t tail_begin = 0;             // the first row not in the base
  SegmentedArray<uint32_t> tail_head;  // per person: newest tail row
  RowNumbers tail_next;                // 2 per tail row: a's, b's next

  size_t size() const { return rows.size(); }
  int64_t start(uint32_t row) const {
    const uint32_t s = rows[row].start;
    if (ABSL_PREDICT_TRUE(s != kFarStart)) return s;
    return FarStart(row);
  }
  int64_t FarStart(uint32_t row) const;
  int64_t end(uint32_t row) const { return start(row) + rows[row].seconds; }
  // False when row `row` surely does not overlap [from, to] (its start is
  // after `to` or its end before `from`); true when it may. Reads only the
  // zone map, not the row.
  bool MayOverlap(uint32_t row, int64_t from, int64_t to) const {
    const Zone& z = zones[row >> kZoneBits];
    return (z.min_start == 0 || z.min_start <= to) &&
           (z.max_end == UINT32_MAX || z.max_end >= from);
  }
  uint32_t Partner(uint32_t row, uint32_t person) const {
    const ExposureRow& r = rows[row];
    return r.person_a == person ? r.person_b : r.person_a;
  }

  // Calls f(row) for every row of `person` (visible or not), newest first.
  template <typename F>
  void ForEachRowOf(uint32_t person, F f) const {
    for (uint32_t row = tail_head[person]; row != kNoId;
         row = tail_next[2 * size_t{row - tail_begin} +
                         (rows[row].person_a == person ? 0 : 1)]) {
      f(row);
    }
    if (person + size_t{1} < base_offsets.size()) {
      const uint32_t* p = base_rows.data() + base_offsets[person];
      const uint32_t* const e = base_rows.data() + base_offsets[person + 1];
      for (; p != e; ++p) f(*p);
    }
  }

  // Whether pred(row) holds for some row of `person` (same order; stops at
  // the first).
  template <typename F>
  bool AnyRowOf(uint32_t person, F pred) const {
    for (uint32_t row = tail_head[person]; row != kNoId;
         row = tail_next[2 * size_t{row - tail_begin} +
                         (rows[row].person_a == person ? 0 : 1)]) {
      if (pred(row)) return true;
    }
    if (person + size_t{1} < base_offsets.size()) {
      const uint32_t* p = base_rows.data() + base_offsets[person];
      const uint32_t* const e = base_rows.data() + base_offsets[person + 1];
      for (; p != e; ++p) {
        if (pred(*p)) return true;
      }
    }
    return false;
  }

  // Prefetches the adjacency, then the rows, of `persons`, so that walking
  // several persons' rows next overlaps their cache misses instead of
  // taking them one after another. Only a hint: changes no state.
  // With a window, rows that surely do not overlap [from, to] are not
  // prefetched.
  void PrefetchRowsOf(const uint32_t* persons, size_t n) const {
    PrefetchRowsOf(persons, n, INT64_MIN, INT64_MAX);
  }
  void PrefetchRowsOf(const uint32_t* persons, size_t n, int64_t from,
                      int64_t to) const {
    const size_t based = base_offsets.empty() ? 0 : base_offsets.size() - 1;
    for (size_t i = 0; i < n; ++i) {
      if (persons[i] < based) __builtin_prefetch(&base_offsets[persons[i]]);
      __builtin_prefetch(&tail_head[persons[i]]);
    }
    for (size_t i = 0; i < n; ++i) {
      if (persons[i] < based) {
        __builtin_prefetch(base_rows.data() + base_offsets[persons[i]]);
      }
    }
    for (size_t i = 0; i < n; ++i) {
      if (persons[i] >= based) continue;
      const uint32_t* p = base_rows.data() + base_offsets[persons[i]];
      const uint32_t* const e = base_rows.data() + base_offsets[persons[i] + 1];
      for (; p != e; ++p) {
        if (MayOverlap(*p, from, to)) __builtin_prefetch(&rows[*p]);
      }
    }
  }

  // Makes room for a new person (dense id = the number of persons so far).
  void AddPerson() { tail_head.push_back(kNoId); }

  // Appends a row between two known persons and links it into their lists.
  // Compacts when the tail has grown large; `persons` is the person count.
  uint32_t AppendRow(uint32_t a, uint32_t b, int64_t start_seconds,
                     uint32_t seconds, uint8_t setting_value, size_t persons);

  // Widens row `row`'s zone (the next zone when `row` starts one) to
  // [start, end].
  void AddToZone(uint32_t row, int64_t start, int64_t end);

  // Merges the tail into a new base covering every row and person.
  void Compact(size_t persons);

  // After loading rows from a snapshot: sizes tail_head for `persons` and
  // builds the base from all rows. False (and nothing built) when a row
  // names a person id >= `persons`.
  bool RebuildAdjacency(size_t persons);

  size_t allocated_bytes() const {
    return rows.allocated_bytes() + setting.allocated_bytes() +
           zones.capacity() * sizeof(Zone) +
           far_start.capacity() * (sizeof(uint32_t) + sizeof(int64_t) + 1) +
           extra.capacity() * (sizeof(uint32_t) + sizeof(uint64_t) + 1) +
           blobs.allocated_bytes() +
           base_offsets.capacity() * sizeof(uint32_t) +
           base_rows.capacity() * sizeof(uint32_t) +
           tail_head.allocated_bytes() +
           tail_next.capacity() * sizeof(uint32_t);
  }
};

// Diagnoses, quarantine actions, health checks or passages: one table each.
// `code` and `value` hold the kind's small indexed fields:
//   diagnosis:  code = status,              value = onset day (or kNoDay)
//   quarantine: code = action | place << 8, value = 0
//   check:      code = has symptoms,        value = temperature in 0.01 °C
//   passage:    code = direction,           value = 0
struct PersonEventTable {
  static constexpr int32_t kNoDay = INT32_MIN;
  SegmentedArray<uint32_t> person;
  SegmentedArray<uint32_t> next;  // next (earlier recorded) row of the person
  SegmentedArray<int64_t> time;   // Unix seconds
  SegmentedArray<uint32_t> code;
  SegmentedArray<int32_t> value;
  SegmentedArray<uint64_t> blob;  // the body without person_id
  StringArena blobs;

  size_t allocated_bytes() const {
    return person.allocated_bytes() + next.allocated_bytes() +
           time.allocated_bytes() + code.allocated_bytes() +
           value.allocated_bytes() + blob.allocated_bytes() +
           blobs.allocated_bytes();
  }
};

// The area of person version `row` as a read with `cut` sees it: the area
// the version names, else its household's area at the cut, else kNoId (no
// household, or one with no visible version at the cut).
inline uint32_t PersonAreaAt(const PersonTable& persons,
                             const HouseholdTable& households,
                             const EventIndex& events, uint32_t row,
                             const Cut& cut) {
  if (persons.v_area[row] != kNoId) return persons.v_area[row];
  const uint32_t household = persons.v_household[row];
  if (household == kNoId) return kNoId;
  const uint32_t version = EffectiveVersion(households, events, household, cut);
  return version == kNoId ? kNoId : households.v_area[version];
}

// Calls fn(person) for each person whose area at `cut` is `area` itself
// (not its subtree), each once: the versions naming the area, then the
// members with no area of their own of the households in it at the cut.
template <typename Fn>
void ForEachPersonInArea(const AreaTable& areas,
                         const HouseholdTable& households,
                         const PersonTable& persons, const EventIndex& events,
                         uint32_t area, const Cut& cut, Fn&& fn) {
  for (uint32_t row = areas.person_head[area]; row != kNoId;
       row = persons.v_next_in_area[row]) {
    const uint32_t person = persons.v_entity[row];
    if (EffectiveVersion(persons, events, person, cut) == row) fn(person);
  }
  for (uint32_t h = areas.household_head[area]; h != kNoId;
       h = households.v_next_in_area[h]) {
    const uint32_t household = households.v_entity[h];
    if (EffectiveVersion(households, events, household, cut) != h) continue;
    for (uint32_t row = households.member_head[household]; row != kNoId;
         row = persons.v_next_in_household[row]) {
      const uint32_t person = persons.v_entity[row];
      if (persons.v_area[row] == kNoId &&
          EffectiveVersion(persons, events, person, cut) == row) {
        fn(person);
      }
    }
  }
}

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_INDEX_TABLES_H_
