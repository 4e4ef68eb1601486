// KeyMap: a bijection between string keys and dense ids 0, 1, 2, ...
//
// In the default layout (kSlots) each id has a 16-byte slot: a key of up to
// kInlineKeyBytes (15) bytes sits in the slot itself, after a length byte; a
// longer key lives in a StringArena and the slot holds its offset. Short ids
// (record numbers, most person, household and area ids) thus cost 16 bytes
// plus about 5 of hash index, and reading one is a single cache miss: Key(id)
// for an answer and the comparison in every lookup load the slot and, for a
// short key, nothing else. A map whose keys are known to be long (18-digit
// resident ids) takes the kArena layout instead: every key in the arena and
// a 4-byte offset per id, which costs 12 bytes less per key than a slot
// pointing into the arena. The hash set holds only the 4-byte dense ids and
// hashes them through the keys. Snapshots store either layout as the arena
// one (see Flatten() and Restore()).
//
// Not thread-safe; the ledger serialises access with its own lock.

#ifndef CONTACTLEDGER_LIB_COLUMNS_KEY_MAP_H_
#define CONTACTLEDGER_LIB_COLUMNS_KEY_MAP_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/base/optimization.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lib/columns/large_alloc.h"
#include "lib/columns/segmented_array.h"
#include "lib/columns/string_arena.h"

namespace contactledger {
namespace internal {

inline constexpr uint32_t kNoId = 0xffffffffu;

class KeyMap {
 public:
  enum class Layout { kSlots, kArena };

  explicit KeyMap(Layout layout = Layout::kSlots)
      : slots_layout_(layout == Layout::kSlots),
        set_(0, Hash{this}, Eq{this}) {}
  KeyMap(const KeyMap&) = delete;
  KeyMap& operator=(const KeyMap&) = delete;

  // The dense id of `key`, or kNoId.
  uint32_t Find(absl::string_view key) const {
    auto it = set_.find(key);
    return it == set_.end() ? kNoId : *it;
  }

  // The dense id of `key`, adding it (with the next id) when new.
  uint32_t FindOrAdd(absl::string_view key) {
    auto it = set_.find(key);
    if (it != set_.end()) return *it;
    const uint32_t id = static_cast<uint32_t>(size());
    Append(key);
    set_.insert(id);
    return id;
  }

  // The key of `id` (< size()). The view stays valid as long as the map.
  absl::string_view Key(uint32_t id) const {
    if (!slots_layout_) return arena_.Get(offsets_[id]);
    const Slot& slot = slots_[id];
    const uint8_t length = static_cast<uint8_t>(slot.bytes[0]);
    if (ABSL_PREDICT_TRUE(length <= kInlineKeyBytes)) {
      return absl::string_view(slot.bytes + 1, length);
    }
    return arena_.Get(LongOffset(slot));
  }

  // Hints for reading the keys of many ids at random: PrefetchSlot(id) for
  // all of them, then PrefetchKey(id) for all (it reads the slot, and starts
  // loading a long key from the arena), then Key(id), so that their cache
  // misses overlap.
  void PrefetchSlot(uint32_t id) const {
    if (slots_layout_) {
      __builtin_prefetch(&slots_[id]);
    } else {
      __builtin_prefetch(&offsets_[id]);
    }
  }
  void PrefetchKey(uint32_t id) const {
    if (!slots_layout_) {
      arena_.Prefetch(offsets_[id]);
      return;
    }
    const Slot& slot = slots_[id];
    if (static_cast<uint8_t>(slot.bytes[0]) > kInlineKeyBytes) {
      arena_.Prefetch(LongOffset(slot));
    }
  }

  // A lookup pipelined over a stream of keys, so that the cache misses of
  // several lookups overlap: Prefetch(key) some places ahead (it starts
  // loading the hash table's entries), PrefetchIdOf(key) a few places later
  // (it guesses the id from the entries, now cached, and starts loading its
  // slot), PrefetchKeyOf(key) later still (for a long key, it starts loading
  // the key itself), then
  // Find or FindOrAdd. All are hints only. The two later stages take the
  // first id whose hash tag matches without comparing keys (right but for
  // tag collisions, which only waste a prefetch), so they set a flag the
  // comparison reads: call them only with exclusive access to the map, as
  // for FindOrAdd.
  void Prefetch(absl::string_view key) const { set_.prefetch(key); }
  void PrefetchIdOf(absl::string_view key) const {
    const uint32_t id = GuessId(key);
    if (id != kNoId) PrefetchSlot(id);
  }
  void PrefetchKeyOf(absl::string_view key) const {
    const uint32_t id = GuessId(key);
    if (id != kNoId) PrefetchKey(id);
  }
  size_t size() const {
    return slots_layout_ ? slots_.size() : offsets_.size();
  }

  // For snapshots, which store every key in one arena with a 4-byte offset
  // per id (the layout before keys moved into slots; the format stays).
  // Flatten() writes that layout into empty `arena` and `offsets`:
  // ResourceExhausted past 4 GiB of keys, which 32-bit offsets cannot
  // address. Restore() builds an empty map, in its own layout, from it:
  // false (and the map unusable) when an offset is not that of a string in
  // the arena, or two keys are equal.
  absl::Status Flatten(StringArena* arena,
                       SegmentedArray<uint32_t>* offsets) const;
  bool Restore(const StringArena& arena,
               const SegmentedArray<uint32_t>& offsets);

  size_t allocated_bytes() const {
    return arena_.allocated_bytes() + slots_.allocated_bytes() +
           offsets_.allocated_bytes() +
           set_.capacity() * (sizeof(uint32_t) + 1);
  }

  static constexpr size_t kInlineKeyBytes = 15;

 private:
  struct Hash {
    using is_transparent = void;
    const KeyMap* map;
    size_t operator()(absl::string_view s) const {
      return absl::Hash<absl::string_view>()(s);
    }
    size_t operator()(uint32_t id) const { return (*this)(map->Key(id)); }
  };
  struct Eq {
    using is_transparent = void;
    const KeyMap* map;
    absl::string_view Get(absl::string_view s) const { return s; }
    absl::string_view Get(uint32_t id) const { return map->Key(id); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return map->guessing_ || Get(a) == Get(b);
    }
  };

  // The id of the first entry whose hash tag matches `key`'s, or kNoId.
  uint32_t GuessId(absl::string_view key) const {
    guessing_ = true;
    auto it = set_.find(key);
    guessing_ = false;
    return it == set_.end() ? kNoId : *it;
  }

  // A key's slot: [length][up to 15 bytes of key], or for a longer key
  // [kLongKey][7 unused bytes][8-byte offset into arena_].
  struct Slot {
    char bytes[16];
  };
  static constexpr uint8_t kLongKey = 0xff;

  // Stores `key` as the next id's.
  void Append(absl::string_view key) {
    if (!slots_layout_) {
      const uint64_t offset = arena_.Add(key);
      if (offset > UINT32_MAX) {
        // 4 GiB of long keys of one kind: far beyond the 32-bit dense ids'
        // reach of any county; stop rather than corrupt.
        std::fprintf(stderr, "contactledger: more than 4 GiB of keys\n");
        std::abort();
      }
      offsets_.push_back(static_cast<uint32_t>(offset));
      return;
    }
    Slot slot;
    std::memset(slot.bytes, 0, sizeof(slot.bytes));
    if (key.size() <= kInlineKeyBytes) {
      slot.bytes[0] = static_cast<char>(key.size());
      if (!key.empty()) std::memcpy(slot.bytes + 1, key.data(), key.size());
    } else {
      slot.bytes[0] = static_cast<char>(kLongKey);
      const uint64_t offset = arena_.Add(key);
      std::memcpy(slot.bytes + 8, &offset, sizeof(offset));
    }
    slots_.push_back(slot);
  }
  static uint64_t LongOffset(const Slot& slot) {
    uint64_t offset;
    std::memcpy(&offset, slot.bytes + 8, sizeof(offset));
    return offset;
  }

  const bool slots_layout_;
  StringArena arena_;  // kSlots: keys longer than kInlineKeyBytes; or all
  SegmentedArray<Slot> slots_;        // kSlots: by id
  SegmentedArray<uint32_t> offsets_;  // kArena: by id, into arena_
  absl::flat_hash_set<uint32_t, Hash, Eq, LargeAllocator<uint32_t>> set_;
  mutable bool guessing_ = false;  // Eq accepts any tag match (GuessId)
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_COLUMNS_KEY_MAP_H_
