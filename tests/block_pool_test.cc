// Copyright 2026 The ContactLedger Authors.
//
// lib/columns/block_pool.h: the size classes, reuse of freed blocks, the cap
// on what is kept, the environment switch, containers over the pool, and
// many threads taking and giving blocks at once.

#include "lib/columns/block_pool.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace contactledger {
namespace internal {
namespace {

// Whether this process keeps freed blocks: not under
// CONTACTLEDGER_BLOCK_POOL=0 (which the second CTest run of this file sets)
// nor under AddressSanitizer.
bool Keeping() { return BlockPoolEnabled(); }

TEST(BlockPool, KeepsBlocksUnlessTheEnvironmentSaysNot) {
  const char* v = std::getenv("CONTACTLEDGER_BLOCK_POOL");
  if (v != nullptr && std::string(v) == "0") {
    EXPECT_FALSE(BlockPoolEnabled());
  }
}

TEST(BlockPool, SizesRoundUpToAQuarterOfTheirPowerOfTwo) {
  EXPECT_EQ(PooledBlockSize(1024), 1024u);
  EXPECT_EQ(PooledBlockSize(1025), 1280u);
  EXPECT_EQ(PooledBlockSize(1280), 1280u);
  EXPECT_EQ(PooledBlockSize(1281), 1536u);
  EXPECT_EQ(PooledBlockSize(1792), 1792u);
  EXPECT_EQ(PooledBlockSize(1793), 2048u);
  EXPECT_EQ(PooledBlockSize(2049), 2560u);
  EXPECT_EQ(PooledBlockSize(57000), 57344u);  // 7 * 8192
  EXPECT_EQ(PooledBlockSize(60000), 65536u);
  EXPECT_EQ(PooledBlockSize(kMaxPooledBytes), kMaxPooledBytes);
  EXPECT_EQ(PooledBlockSize(kMaxPooledBytes - 1), kMaxPooledBytes);
  // Outside the pooled range a request is served as it is.
  EXPECT_EQ(PooledBlockSize(kMinPooledBytes - 1), kMinPooledBytes - 1);
  EXPECT_EQ(PooledBlockSize(1), 1u);
  EXPECT_EQ(PooledBlockSize(kMaxPooledBytes + 1), kMaxPooledBytes + 1);
  // Every size in range: big enough, at most 25% more, never decreasing.
  size_t previous = 0;
  for (size_t bytes = kMinPooledBytes; bytes <= (size_t{1} << 20);
       bytes += 1 + bytes / 97) {
    const size_t size = PooledBlockSize(bytes);
    ASSERT_GE(size, bytes);
    ASSERT_LE(size, bytes + bytes / 4) << bytes;
    ASSERT_GE(size, previous) << bytes;
    previous = size;
  }
}

TEST(BlockPool, AFreedBlockServesTheNextRequestOfItsClass) {
  const BlockPoolStats before = GetBlockPoolStats();
  char* a = static_cast<char*>(AllocatePooled(10000));
  std::memset(a, 'a', 10000);
  FreePooled(a, 10000);
  // 9000 and 10000 bytes share the class of 10240-byte blocks.
  char* b = static_cast<char*>(AllocatePooled(9000));
  std::memset(b, 'b', 9000);
  const BlockPoolStats after = GetBlockPoolStats();
  EXPECT_EQ(after.allocations - before.allocations, 2u);
  if (Keeping()) {
    EXPECT_EQ(b, a);
    EXPECT_EQ(after.reused - before.reused, 1u);
  } else {
    EXPECT_EQ(after.reused, before.reused);
    EXPECT_EQ(after.cached_bytes, 0u);
  }
  FreePooled(b, 9000);
  // A request of another class does not get it.
  char* c = static_cast<char*>(AllocatePooled(20000));
  if (Keeping()) {
    EXPECT_NE(c, b);
  }
  FreePooled(c, 20000);
}

TEST(BlockPool, RequestsOutsideThePooledRangeAreNotCounted) {
  const BlockPoolStats before = GetBlockPoolStats();
  void* small = AllocatePooled(kMinPooledBytes - 1);
  void* big = AllocatePooled(kMaxPooledBytes + 1);
  std::memset(small, 1, kMinPooledBytes - 1);
  static_cast<char*>(big)[kMaxPooledBytes] = 1;
  FreePooled(small, kMinPooledBytes - 1);
  FreePooled(big, kMaxPooledBytes + 1);
  const BlockPoolStats after = GetBlockPoolStats();
  EXPECT_EQ(after.allocations, before.allocations);
  EXPECT_EQ(after.cached_bytes, before.cached_bytes);
}

TEST(BlockPool, KeepsNoMoreThanItsCap) {
  // Twice the cap in 4 MiB blocks, all live at once, then all freed.
  const size_t block = size_t{4} << 20;
  std::vector<void*> blocks;
  for (size_t total = 0; total < 2 * kMaxCachedBytes; total += block) {
    blocks.push_back(AllocatePooled(block));
  }
  for (void* p : blocks) FreePooled(p, block);
  const BlockPoolStats stats = GetBlockPoolStats();
  EXPECT_LE(stats.cached_bytes, kMaxCachedBytes);
  if (Keeping()) {
    EXPECT_GE(stats.cached_bytes, kMaxCachedBytes / 2);
  }
}

TEST(BlockPool, ContainersGrowThroughTheClassesKeepingTheirValues) {
  PooledVector<uint64_t> values;
  PooledHashMap<uint32_t, uint64_t> map;
  PooledHashSet<uint32_t> set;
  for (uint32_t i = 0; i < 200000; ++i) {
    values.push_back(uint64_t{i} * 7919);
    map[i * 3] = uint64_t{i} * 31;
    if (i % 2 == 0) set.insert(i);
  }
  for (uint32_t i = 0; i < 200000; ++i) {
    ASSERT_EQ(values[i], uint64_t{i} * 7919);
    ASSERT_EQ(map.at(i * 3), uint64_t{i} * 31);
    ASSERT_EQ(set.contains(i), i % 2 == 0);
  }
  // Moved, copied and cleared containers keep working.
  PooledHashMap<uint32_t, uint64_t> moved = std::move(map);
  PooledHashMap<uint32_t, uint64_t> copy = moved;
  moved.clear();
  EXPECT_EQ(copy.size(), 200000u);
  EXPECT_EQ(copy.at(3 * 199999), uint64_t{199999} * 31);
}

// Four threads each keep a few live blocks of random sizes, filled with a
// byte of their own, and check the bytes before freeing: a block handed out
// twice, or reused while live, shows as a wrong byte. ThreadSanitizer
// (scripts/tsan.sh) runs this too.
TEST(BlockPool, ThreadsTakingAndGivingBlocksNeverShareOne) {
  constexpr int kThreads = 4;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &failures] {
      std::mt19937 random(1234 + t);
      std::uniform_int_distribution<size_t> size(kMinPooledBytes, 300000);
      std::vector<std::pair<unsigned char*, size_t>> live;
      for (int step = 0; step < 3000; ++step) {
        if (live.size() < 8 && (live.empty() || random() % 2 == 0)) {
          const size_t bytes = size(random);
          auto* p = static_cast<unsigned char*>(AllocatePooled(bytes));
          std::memset(p, 0x40 + t, bytes);
          live.emplace_back(p, bytes);
        } else {
          const size_t i = random() % live.size();
          auto [p, bytes] = live[i];
          if (p[0] != 0x40 + t || p[bytes / 2] != 0x40 + t ||
              p[bytes - 1] != 0x40 + t) {
            ++failures[t];
          }
          FreePooled(p, bytes);
          live[i] = live.back();
          live.pop_back();
        }
      }
      for (auto [p, bytes] : live) FreePooled(p, bytes);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << t;
}

#if defined(__SANITIZE_ADDRESS__)
#define CONTACTLEDGER_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONTACTLEDGER_TEST_ASAN 1
#endif
#endif

// Under AddressSanitizer the pool keeps nothing, so a use after free is
// still reported (scripts/asan.sh).
TEST(BlockPoolDeathTest, UseOfAFreedBlockIsReportedUnderAddressSanitizer) {
#if defined(CONTACTLEDGER_TEST_ASAN)
  EXPECT_FALSE(BlockPoolEnabled());
  EXPECT_DEATH(
      {
        auto* p = static_cast<volatile char*>(AllocatePooled(50000));
        FreePooled(const_cast<char*>(p), 50000);
        p[100] = 1;
      },
      "use-after-free");
#else
  GTEST_SKIP() << "needs AddressSanitizer";
#endif
}

}  // namespace
}  // namespace internal
}  // namespace contactledger
