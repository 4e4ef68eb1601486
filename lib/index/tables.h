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
// Exposures and the person-keyed events (diagnoses, quarantine actions,
// health checks, passages) are rows with intrusive per-person singly linked
// lists: an exposure row has one "next" link for each of its two persons;
// exposure lists are kept sorted by start time, newest first.

#ifndef CONTACTLEDGER_LIB_INDEX_TABLES_H_
#define CONTACTLEDGER_LIB_INDEX_TABLES_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "lib/index/event_index.h"
#include "lib/storage/key_map.h"
#include "lib/storage/segmented_array.h"
#include "lib/storage/string_arena.h"

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
  SegmentedArray<uint32_t> exposure_head;
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
  SegmentedArray<uint32_t> v_area;       // kNoId when none
  SegmentedArray<uint32_t> v_next_in_household;
  SegmentedArray<uint32_t> v_next_in_area;
  SegmentedArray<uint32_t> v_national_id;  // into national_ids, or kNoId
  SegmentedArray<uint32_t> v_next_same_national_id;
  SegmentedArray<uint64_t> v_blob;  // Person without id, household_id,
                                    // national_id
  StringArena blobs;
  // National ids: dense id -> newest version row carrying it.
  KeyMap national_ids;
  SegmentedArray<uint32_t> national_id_head;

  size_t allocated_bytes() const {
    size_t n =
        keys.allocated_bytes() + latest.allocated_bytes() +
        exposure_head.allocated_bytes() + v_entity.allocated_bytes() +
        v_prev.allocated_bytes() + v_household.allocated_bytes() +
        v_area.allocated_bytes() + v_next_in_household.allocated_bytes() +
        v_next_in_area.allocated_bytes() + v_national_id.allocated_bytes() +
        v_next_same_national_id.allocated_bytes() + v_blob.allocated_bytes() +
        blobs.allocated_bytes() + national_ids.allocated_bytes() +
        national_id_head.allocated_bytes();
    n += list_heads.capacity() *
         (sizeof(uint32_t) + sizeof(uint32_t) * kPersonLists + 1);
    return n;
  }
};

struct ExposureTable {
  SegmentedArray<uint32_t> person_a;
  SegmentedArray<uint32_t> person_b;
  SegmentedArray<int64_t> start;     // Unix seconds
  SegmentedArray<uint32_t> seconds;  // end - start
  SegmentedArray<uint8_t> setting;   // v1::ExposureSetting
  SegmentedArray<uint32_t> next_a;   // next (older) row in person_a's list
  SegmentedArray<uint32_t> next_b;   // next (older) row in person_b's list
  // Rows that carry an id or a note: row -> Exposure{id, note} bytes.
  absl::flat_hash_map<uint32_t, uint64_t> extra;
  StringArena blobs;

  int64_t end(uint32_t row) const { return start[row] + seconds[row]; }
  // The next row after `row` in `person`'s list.
  uint32_t Next(uint32_t row, uint32_t person) const {
    return person_a[row] == person ? next_a[row] : next_b[row];
  }
  void SetNext(uint32_t row, uint32_t person, uint32_t next) {
    if (person_a[row] == person) {
      next_a[row] = next;
    } else {
      next_b[row] = next;
    }
  }

  size_t allocated_bytes() const {
    return person_a.allocated_bytes() + person_b.allocated_bytes() +
           start.allocated_bytes() + seconds.allocated_bytes() +
           setting.allocated_bytes() + next_a.allocated_bytes() +
           next_b.allocated_bytes() +
           extra.capacity() * (sizeof(uint32_t) + sizeof(uint64_t) + 1) +
           blobs.allocated_bytes();
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

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_INDEX_TABLES_H_
