// Copyright 2026 The ContactLedger Authors.

#include "lib/columns/block_pool.h"

#include <cstdlib>
#include <cstring>

#include "absl/base/thread_annotations.h"
#include "absl/numeric/bits.h"
#include "absl/synchronization/mutex.h"
#include "lib/columns/large_alloc.h"

// Under AddressSanitizer the pool keeps no block: each goes back to the
// instrumented heap, whose quarantine reports a use after free, and
// LeakSanitizer sees no memory held past its last use.
#if defined(__SANITIZE_ADDRESS__)
#define CONTACTLEDGER_POOL_KEEPS_NOTHING 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONTACTLEDGER_POOL_KEEPS_NOTHING 1
#endif
#endif

namespace contactledger {
namespace internal {
namespace {

// Classes: four per power of two, from (2^9, 2^10] (only 2^10 itself is
// used: smaller requests are not pooled) up to kMaxPooledBytes = 2^26.
constexpr int kLowestBit = 9;
constexpr int kClasses = (26 - kLowestBit) * 4;

struct FreeBlock {
  FreeBlock* next;
};

// The class of a request of `bytes` in [kMinPooledBytes, kMaxPooledBytes],
// and its block size.
int ClassOf(size_t bytes, size_t* block_size) {
  const size_t b = bytes - 1;
  const int top = 63 - absl::countl_zero(static_cast<uint64_t>(b));
  const int shift = top - 2;
  const size_t quarters = (b >> shift) + 1;  // 5 to 8
  *block_size = quarters << shift;
  return (top - kLowestBit) * 4 + static_cast<int>(quarters - 5);
}

bool Pooled(size_t bytes) {
  return bytes >= kMinPooledBytes && bytes <= kMaxPooledBytes;
}

class Pool {
 public:
  void* Take(size_t bytes) {
    size_t size = 0;
    const int c = ClassOf(bytes, &size);
    {
      absl::MutexLock lock(&mu_);
      ++stats_.allocations;
      FreeBlock* block = heads_[c];
      if (block != nullptr) {
        heads_[c] = block->next;
        stats_.cached_bytes -= size;
        ++stats_.reused;
        return block;
      }
    }
    return AllocateLarge(size);
  }

  void Give(void* p, size_t bytes) {
    size_t size = 0;
    const int c = ClassOf(bytes, &size);
    if (BlockPoolEnabled()) {
      absl::MutexLock lock(&mu_);
      if (stats_.cached_bytes + size <= kMaxCachedBytes) {
        auto* block = static_cast<FreeBlock*>(p);
        block->next = heads_[c];
        heads_[c] = block;
        stats_.cached_bytes += size;
        return;
      }
    }
    FreeLarge(p, size);
  }

  BlockPoolStats Stats() {
    absl::MutexLock lock(&mu_);
    return stats_;
  }

 private:
  absl::Mutex mu_;
  FreeBlock* heads_[kClasses] ABSL_GUARDED_BY(mu_) = {};
  BlockPoolStats stats_ ABSL_GUARDED_BY(mu_);
};

Pool& ThePool() {
  static Pool* pool = new Pool;  // never destroyed: blocks may outlive exit
  return *pool;
}

}  // namespace

size_t PooledBlockSize(size_t bytes) {
  if (!Pooled(bytes)) return bytes;
  size_t size = 0;
  ClassOf(bytes, &size);
  return size;
}

bool BlockPoolEnabled() {
#if defined(CONTACTLEDGER_POOL_KEEPS_NOTHING)
  return false;
#else
  static const bool enabled = [] {
    const char* v = std::getenv("CONTACTLEDGER_BLOCK_POOL");
    return v == nullptr || std::strcmp(v, "0") != 0;
  }();
  return enabled;
#endif
}

void* AllocatePooled(size_t bytes) {
  if (!Pooled(bytes)) return AllocateLarge(bytes);
  return ThePool().Take(bytes);
}

void FreePooled(void* p, size_t bytes) noexcept {
  if (p == nullptr) return;
  if (!Pooled(bytes)) {
    FreeLarge(p, bytes);
    return;
  }
  ThePool().Give(p, bytes);
}

BlockPoolStats GetBlockPoolStats() { return ThePool().Stats(); }

}  // namespace internal
}  // namespace contactledger
