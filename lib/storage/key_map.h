// KeyMap: a bijection between string keys and dense ids 0, 1, 2, ...
//
// Keys live once, in a StringArena; the hash set holds only the 4-byte dense
// ids and hashes them through the arena, so a key costs its bytes plus about
// 16 bytes of index.
//
// Not thread-safe; the ledger serialises access with its own lock.

#ifndef CONTACTLEDGER_LIB_STORAGE_KEY_MAP_H_
#define CONTACTLEDGER_LIB_STORAGE_KEY_MAP_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "lib/storage/large_alloc.h"
#include "lib/storage/segmented_array.h"
#include "lib/storage/string_arena.h"

namespace contactledger {
namespace internal {

inline constexpr uint32_t kNoId = 0xffffffffu;

class KeyMap {
 public:
  KeyMap() : set_(0, Hash{this}, Eq{this}) {}
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
    const uint32_t id = static_cast<uint32_t>(offsets_.size());
    const uint64_t offset = arena_.Add(key);
    if (offset > UINT32_MAX) {
      // 4 GiB of keys of one kind: far beyond the 32-bit dense ids' reach
      // of any county; stop rather than corrupt.
      std::fprintf(stderr, "contactledger: more than 4 GiB of keys\n");
      std::abort();
    }
    offsets_.push_back(static_cast<uint32_t>(offset));
    set_.insert(id);
    return id;
  }

  absl::string_view Key(uint32_t id) const { return arena_.Get(offsets_[id]); }

  // Hints for reading the keys of many ids at random: PrefetchOffset(id) for
  // all of them, then PrefetchKey(id) for all, then Key(id), so that their
  // cache misses overlap.
  void PrefetchOffset(uint32_t id) const { __builtin_prefetch(&offsets_[id]); }
  void PrefetchKey(uint32_t id) const { arena_.Prefetch(offsets_[id]); }

  // A lookup pipelined over a stream of keys, so that the cache misses of
  // several lookups overlap: Prefetch(key) some places ahead (it starts
  // loading the hash slots), PrefetchIdOf(key) a few places later (it guesses
  // the id from the slots, now cached, and starts loading its key offset),
  // PrefetchKeyOf(key) later still (it starts loading the key itself), then
  // Find or FindOrAdd. All are hints only. The two later stages take the
  // first id whose hash tag matches without comparing keys (right but for
  // tag collisions, which only waste a prefetch), so they set a flag the
  // comparison reads: call them only with exclusive access to the map, as
  // for FindOrAdd.
  void Prefetch(absl::string_view key) const { set_.prefetch(key); }
  void PrefetchIdOf(absl::string_view key) const {
    const uint32_t id = GuessId(key);
    if (id != kNoId) PrefetchOffset(id);
  }
  void PrefetchKeyOf(absl::string_view key) const {
    const uint32_t id = GuessId(key);
    if (id != kNoId) PrefetchKey(id);
  }
  size_t size() const { return offsets_.size(); }

  // For snapshots: the arena and offsets are saved and restored as they are,
  // then RebuildIndex() rehashes every key. False (and the map unusable) when
  // an offset is not that of a string in the arena, or two keys are equal.
  StringArena& arena() { return arena_; }
  SegmentedArray<uint32_t>& offsets() { return offsets_; }
  bool RebuildIndex() {
    set_.clear();
    for (uint32_t id = 0; id < offsets_.size(); ++id) {
      if (!arena_.Contains(offsets_[id])) return false;
    }
    set_.reserve(offsets_.size());
    for (uint32_t id = 0; id < offsets_.size(); ++id) {
      if (!set_.insert(id).second) return false;
    }
    return true;
  }

  size_t allocated_bytes() const {
    return arena_.allocated_bytes() + offsets_.allocated_bytes() +
           set_.capacity() * (sizeof(uint32_t) + 1);
  }

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

  StringArena arena_;
  SegmentedArray<uint32_t> offsets_;  // into arena_ (keys < 4 GiB)
  absl::flat_hash_set<uint32_t, Hash, Eq, LargeAllocator<uint32_t>> set_;
  mutable bool guessing_ = false;  // Eq accepts any tag match (GuessId)
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_STORAGE_KEY_MAP_H_
