// Recycled memory blocks for the scratch space of queries.
//
// A tracing query builds hash maps and vectors of a few KiB to a few hundred
// KiB and frees them when its answer is out. glibc's malloc serves such
// sizes from its "large bins", whose free chunks it keeps sorted by size;
// once a process has allocated and freed a lot of memory of many sizes (an
// application around the library, or SQLite in the benchmark) those lists
// grow long, and each allocation walks them chunk by chunk, a cache miss per
// step. Profiles showed a third of a 100-case roster's time in that walk.
//
// PooledAllocator takes allocations of kMinPooledBytes or more from this
// pool instead: sizes are rounded up to one of four classes per power of
// two (at most 25% more), and a freed block goes onto its class's free list
// for the next query rather than back to malloc. The pool keeps at most
// kMaxCachedBytes of free blocks (beyond that a freed block is released);
// smaller allocations go to operator new, whose per-thread cache (tcache)
// serves them without a search.
// Blocks of kHugePageBytes or more come from AllocateLarge. Thread-safe.
// Processes started with CONTACTLEDGER_BLOCK_POOL=0 in the environment
// release every block at once (for measuring what the pool buys), and so do
// builds with AddressSanitizer, so that its quarantine still reports a use
// after free.
//
//   PooledVector<uint32_t> ids;                 // std::vector over the pool
//   PooledHashMap<uint32_t, Info> by_person;    // absl::flat_hash_map

#ifndef CONTACTLEDGER_LIB_COLUMNS_BLOCK_POOL_H_
#define CONTACTLEDGER_LIB_COLUMNS_BLOCK_POOL_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "lib/columns/large_alloc.h"

namespace contactledger {
namespace internal {

inline constexpr size_t kMinPooledBytes = 1024;
inline constexpr size_t kMaxPooledBytes = size_t{64} << 20;
inline constexpr size_t kMaxCachedBytes = size_t{64} << 20;

// The size a request of `bytes` is served with: from kMinPooledBytes to
// kMaxPooledBytes, `bytes` rounded up to a multiple of a quarter of the
// power of two below it; outside that range, `bytes` itself.
size_t PooledBlockSize(size_t bytes);

// `bytes` of uninitialised memory, aligned like operator new's; requests
// outside [kMinPooledBytes, kMaxPooledBytes] go to AllocateLarge (operator
// new below 2 MiB). Throws std::bad_alloc when memory is exhausted.
void* AllocatePooled(size_t bytes);
// Frees memory from AllocatePooled(bytes), given the same `bytes`.
void FreePooled(void* p, size_t bytes) noexcept;

// Whether freed blocks are kept for reuse: true unless the process started
// with CONTACTLEDGER_BLOCK_POOL=0 (read at the first call) or runs under
// AddressSanitizer.
bool BlockPoolEnabled();

// Counters over the life of the process, for tests and measurements.
struct BlockPoolStats {
  uint64_t allocations = 0;   // pooled-size requests served
  uint64_t reused = 0;        // of them, served from a free list
  uint64_t cached_bytes = 0;  // in free lists now
};
BlockPoolStats GetBlockPoolStats();

// A stateless allocator over the pool for standard and Abseil containers.
template <typename T>
using PooledAllocator = FunctionAllocator<T, AllocatePooled, FreePooled>;

template <typename T>
using PooledVector = std::vector<T, PooledAllocator<T>>;

template <typename K, typename V>
using PooledHashMap =
    absl::flat_hash_map<K, V, absl::Hash<K>, std::equal_to<K>,
                        PooledAllocator<std::pair<const K, V>>>;

template <typename K>
using PooledHashSet =
    absl::flat_hash_set<K, absl::Hash<K>, std::equal_to<K>, PooledAllocator<K>>;

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_COLUMNS_BLOCK_POOL_H_
