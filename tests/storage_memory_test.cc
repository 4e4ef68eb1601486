// Copyright 2026 The ContactLedger Authors.
//
// The storage layer's memory (lib/columns): large allocations in huge pages
// (large_alloc.h) behind SegmentedArray, StringArena, KeyMap and the
// adjacency vectors; the pipelined KeyMap lookup stages; and the ordering of
// answers by id (lib/query/id_order.h). These are internal units: the
// ledger-level tests cover them again through the public API.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "lib/columns/key_map.h"
#include "lib/columns/large_alloc.h"
#include "lib/columns/segmented_array.h"
#include "lib/columns/string_arena.h"
#include "lib/query/id_order.h"

namespace contactledger {
namespace internal {
namespace {

// The VmFlags of the mapping holding `p`, from /proc/self/smaps ("" when
// not found, e.g. off Linux).
std::string VmFlagsOf(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  const uintptr_t at = reinterpret_cast<uintptr_t>(p);
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    // A mapping starts with "begin-end perms ...".
    const size_t dash = line.find('-');
    const size_t space = line.find(' ');
    if (dash != std::string::npos && space != std::string::npos &&
        dash < space && line.find(':') > space) {
      uint64_t begin = 0;
      uint64_t end = 0;
      if (absl::SimpleHexAtoi(line.substr(0, dash), &begin) &&
          absl::SimpleHexAtoi(line.substr(dash + 1, space - dash - 1), &end)) {
        inside = begin <= at && at < end;
        continue;
      }
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

bool AsksForHugePages(const void* p) {
  const std::string flags = VmFlagsOf(p);
  return flags.find(" hg") != std::string::npos;
}

TEST(LargeAlloc, BigAllocationsAreAlignedHugePagesAndUsable) {
  if (!HugePagesEnabled()) GTEST_SKIP() << "huge pages off here";
  const size_t bytes = 3 * kHugePageBytes + 12345;
  char* p = static_cast<char*>(AllocateLarge(bytes));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kHugePageBytes, 0u);
  for (size_t i = 0; i < bytes; i += 4096) p[i] = static_cast<char>(i >> 12);
  p[bytes - 1] = 'z';
  for (size_t i = 0; i < bytes; i += 4096) {
    ASSERT_EQ(p[i], static_cast<char>(i >> 12)) << i;
  }
  EXPECT_EQ(p[bytes - 1], 'z');
  // The whole 2 MiB pages ask for huge pages; the partial last one does not.
  EXPECT_TRUE(AsksForHugePages(p));
  EXPECT_TRUE(AsksForHugePages(p + 3 * kHugePageBytes - 1));
  EXPECT_FALSE(AsksForHugePages(p + 3 * kHugePageBytes));
  FreeLarge(p, bytes);
}

// CMake runs this binary a second time with CONTACTLEDGER_HUGE_PAGES=0
// (ctest storage_memory_test_huge_pages_off).
TEST(LargeAlloc, HugePagesFollowTheEnvironmentSwitch) {
  const char* setting = std::getenv("CONTACTLEDGER_HUGE_PAGES");
  if (setting != nullptr && std::string(setting) == "0") {
    EXPECT_FALSE(HugePagesEnabled());
  }
  const size_t bytes = 2 * kHugePageBytes;
  char* p = static_cast<char*>(AllocateLarge(bytes));
  std::memset(p, 1, bytes);
  EXPECT_EQ(AsksForHugePages(p), HugePagesEnabled());
  FreeLarge(p, bytes);
}

TEST(LargeAlloc, SmallAllocationsComeFromTheHeap) {
  const size_t bytes = kHugePageBytes - 1;
  char* p = static_cast<char*>(AllocateLarge(bytes));
  std::memset(p, 7, bytes);
  EXPECT_FALSE(AsksForHugePages(p));
  FreeLarge(p, bytes);
  FreeLarge(nullptr, 10);  // like delete of nullptr: nothing
}

TEST(LargeAlloc, VectorsGrowThroughHugeAllocationsKeepingTheirValues) {
  std::vector<uint32_t, LargeAllocator<uint32_t>> v;
  for (uint32_t i = 0; i < 3'000'000; ++i) v.push_back(i * 7);
  for (uint32_t i = 0; i < 3'000'000; i += 997) ASSERT_EQ(v[i], i * 7);
  if (HugePagesEnabled()) {
    EXPECT_TRUE(AsksForHugePages(v.data()));
  }
  std::vector<uint32_t, LargeAllocator<uint32_t>> moved = std::move(v);
  EXPECT_EQ(moved[2'999'999], 2'999'999u * 7);
}

TEST(SegmentedArray, SegmentsOverTwoMegabytesKeepEveryValue) {
  SegmentedArray<uint64_t> a;
  const size_t n = 1'500'000;  // segments up to 8 MiB
  for (size_t i = 0; i < n; ++i) a.push_back(i * i);
  ASSERT_EQ(a.size(), n);
  for (size_t i = 0; i < n; i += 101) ASSERT_EQ(a[i], i * i) << i;
  EXPECT_EQ(a[n - 1], (n - 1) * (n - 1));
  if (HugePagesEnabled()) {
    EXPECT_TRUE(AsksForHugePages(&a[n - 1]));
  }
  size_t seen = 0;
  a.ForEachSpan([&](const uint64_t* data, size_t count) {
    for (size_t i = 0; i < count; ++i)
      ASSERT_EQ(data[i], (seen + i) * (seen + i));
    seen += count;
  });
  EXPECT_EQ(seen, n);
}

TEST(StringArena, ManyChunksInHugePagesReturnEveryString) {
  StringArena arena;
  std::vector<std::pair<uint64_t, std::string>> stored;
  // ~12 MiB of strings: past the first few chunks into huge-page pairs,
  // with long strings that get chunks of their own in between.
  for (int i = 0; i < 400'000; ++i) {
    std::string s = absl::StrCat("key-", i, std::string(i % 37, 'x'));
    if (i % 50'000 == 0)
      s = std::string(1 << 21, static_cast<char>('a' + i % 26));
    stored.emplace_back(arena.Add(s), std::move(s));
  }
  EXPECT_GT(arena.chunk_count(), 8u);
  for (const auto& [offset, s] : stored) {
    ASSERT_EQ(arena.Get(offset), s);
    ASSERT_TRUE(arena.Contains(offset));
  }
  // Saved chunk by chunk and restored, the offsets still hold.
  StringArena copy;
  for (size_t i = 0; i < arena.chunk_count(); ++i) {
    copy.RestoreChunk(arena.chunk(i));
  }
  for (size_t i = 0; i < stored.size(); i += 17) {
    ASSERT_EQ(copy.Get(stored[i].first), stored[i].second);
  }
  const uint64_t after = copy.Add("after the restore");
  EXPECT_EQ(copy.Get(after), "after the restore");
}

TEST(KeyMap, PipelinedLookupStagesChangeNothing) {
  KeyMap keys;
  const int n = 300'000;
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(keys.FindOrAdd(absl::StrCat("p", i)), static_cast<uint32_t>(i));
  }
  // The stages for present and absent keys, in the order the bulk load
  // uses them, then the lookups themselves.
  std::mt19937 rng(5);
  std::vector<std::string> probe;
  for (int i = 0; i < 5000; ++i) {
    probe.push_back(absl::StrCat(rng() % 2 ? "p" : "q", rng() % (2 * n)));
  }
  for (const std::string& k : probe) keys.Prefetch(k);
  for (const std::string& k : probe) keys.PrefetchIdOf(k);
  for (const std::string& k : probe) keys.PrefetchKeyOf(k);
  for (const std::string& k : probe) {
    uint32_t want = kNoId;
    uint64_t i = 0;
    if (k[0] == 'p' && absl::SimpleAtoi(k.substr(1), &i) && i < n) {
      want = static_cast<uint32_t>(i);
    }
    ASSERT_EQ(keys.Find(k), want) << k;
  }
  // A key added after a guess is found, and no guess leaves the map
  // accepting wrong keys.
  keys.PrefetchIdOf("new-key");
  EXPECT_EQ(keys.Find("new-key"), kNoId);
  EXPECT_EQ(keys.FindOrAdd("new-key"), static_cast<uint32_t>(n));
  EXPECT_EQ(keys.Find("p-none"), kNoId);
  EXPECT_EQ(keys.size(), static_cast<size_t>(n) + 1);
}

// Keys of every length around the 15 bytes a slot holds inline: bytes 0x00
// and 0xff anywhere (the first byte too), keys that differ only past byte
// 15, and keys that are prefixes of each other, each found by Find, by
// FindOrAdd again and by the pipelined stages, with Key(id) its bytes.
std::vector<std::string> KeysAroundTheInlineLimit() {
  std::vector<std::string> keys;
  for (size_t length = 0; length <= 40; ++length) {
    std::string plain(length, 'k');
    for (size_t i = 0; i < length; ++i) plain[i] = static_cast<char>('a' + i);
    keys.push_back(plain);
    if (length > 0) {
      std::string odd = plain;
      odd[0] = '\xff';
      odd[length / 2] = '\0';
      keys.push_back(odd);
      std::string last = plain;
      last[length - 1] = 'Z';  // differs only in its last byte
      keys.push_back(last);
    }
  }
  return keys;
}

class KeyMapLayoutTest : public ::testing::TestWithParam<KeyMap::Layout> {};

INSTANTIATE_TEST_SUITE_P(
    Layouts, KeyMapLayoutTest,
    ::testing::Values(KeyMap::Layout::kSlots, KeyMap::Layout::kArena),
    [](const ::testing::TestParamInfo<KeyMap::Layout>& info) {
      return info.param == KeyMap::Layout::kSlots ? "Slots" : "Arena";
    });

TEST_P(KeyMapLayoutTest, KeysOfEveryLengthAroundTheInlineLimitRoundTrip) {
  ASSERT_EQ(KeyMap::kInlineKeyBytes, 15u);
  const std::vector<std::string> all = KeysAroundTheInlineLimit();
  KeyMap keys(GetParam());
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(keys.FindOrAdd(all[i]), i) << i;
  }
  ASSERT_EQ(keys.size(), all.size());
  for (const std::string& k : all) keys.Prefetch(k);
  for (const std::string& k : all) keys.PrefetchIdOf(k);
  for (const std::string& k : all) keys.PrefetchKeyOf(k);
  for (size_t i = 0; i < all.size(); ++i) {
    SCOPED_TRACE(absl::StrCat("key ", i, " of length ", all[i].size()));
    EXPECT_EQ(keys.Find(all[i]), i);
    EXPECT_EQ(keys.FindOrAdd(all[i]), i);
    keys.PrefetchSlot(static_cast<uint32_t>(i));
    keys.PrefetchKey(static_cast<uint32_t>(i));
    EXPECT_EQ(keys.Key(static_cast<uint32_t>(i)), all[i]);
  }
  EXPECT_EQ(keys.size(), all.size());
  // Absent keys one byte longer or shorter than present ones.
  EXPECT_EQ(keys.Find(std::string(16, 'k')), kNoId);
  EXPECT_EQ(keys.Find("abcdefghijklmnopq_"), kNoId);
  EXPECT_EQ(keys.Find(absl::string_view("abc\0", 4)), kNoId);
}

TEST_P(KeyMapLayoutTest, KeyViewsStayValidAsTheMapGrows) {
  KeyMap keys(GetParam());
  const uint32_t short_id = keys.FindOrAdd("short");
  const uint32_t long_id = keys.FindOrAdd("a key too long to sit in its slot");
  const absl::string_view short_view = keys.Key(short_id);
  const absl::string_view long_view = keys.Key(long_id);
  for (int i = 0; i < 300'000; ++i) {
    keys.FindOrAdd(absl::StrCat(i % 2 ? "x" : "a long key number ", i));
  }
  EXPECT_EQ(short_view, "short");
  EXPECT_EQ(long_view, "a key too long to sit in its slot");
  EXPECT_EQ(short_view.data(), keys.Key(short_id).data());
}

TEST(KeyMap, ShortKeysTakeNoArenaSpace) {
  // 100,000 nine-byte keys: their 16-byte slots (segments holding 130,048)
  // and the hash table, and no arena chunk (1 MiB each).
  KeyMap short_keys;
  KeyMap long_keys;
  for (int i = 0; i < 100'000; ++i) {
    short_keys.FindOrAdd(absl::StrFormat("p%08d", i));
    long_keys.FindOrAdd(absl::StrFormat("431222%012d", i));
  }
  const size_t slots = size_t{130048} * 16;
  const size_t table = short_keys.allocated_bytes() - slots;
  EXPECT_LT(table, size_t{1} << 20);
  // Long keys (18 bytes) add their arena: at least one chunk more.
  EXPECT_GE(long_keys.allocated_bytes(),
            short_keys.allocated_bytes() + (size_t{1} << 20));
  // In the arena layout they cost a 4-byte offset each instead of a slot.
  KeyMap long_in_arena(KeyMap::Layout::kArena);
  for (int i = 0; i < 100'000; ++i) {
    long_in_arena.FindOrAdd(absl::StrFormat("431222%012d", i));
  }
  EXPECT_LE(long_in_arena.allocated_bytes() + size_t{130048} * 12,
            long_keys.allocated_bytes());
}

// Snapshots store the keys as before slots: one arena of every key, a
// 4-byte offset per id. Flatten writes that, Restore reads it back, and a
// snapshot with a bad offset or a repeated key is refused.
TEST_P(KeyMapLayoutTest, FlattenAndRestoreKeepEveryIdAndKey) {
  const std::vector<std::string> all = KeysAroundTheInlineLimit();
  KeyMap keys(GetParam());
  for (const std::string& k : all) keys.FindOrAdd(k);
  StringArena arena;
  SegmentedArray<uint32_t> offsets;
  ASSERT_TRUE(keys.Flatten(&arena, &offsets).ok());
  ASSERT_EQ(offsets.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(arena.Get(offsets[i]), all[i]) << i;
  }
  // Into either layout, whichever wrote it.
  KeyMap restored(GetParam() == KeyMap::Layout::kSlots
                      ? KeyMap::Layout::kArena
                      : KeyMap::Layout::kSlots);
  ASSERT_TRUE(restored.Restore(arena, offsets));
  ASSERT_EQ(restored.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(restored.Find(all[i]), i);
    EXPECT_EQ(restored.Key(static_cast<uint32_t>(i)), all[i]);
  }
  EXPECT_EQ(restored.FindOrAdd("after the restore"), all.size());
  EXPECT_FALSE(restored.Restore(arena, offsets)) << "not into a full map";

  SegmentedArray<uint32_t> outside;
  outside.push_back(offsets[0]);
  outside.push_back(static_cast<uint32_t>(arena.chunk(0).size() + 5));
  KeyMap bad_offset(GetParam());
  EXPECT_FALSE(bad_offset.Restore(arena, outside));

  SegmentedArray<uint32_t> repeated;
  repeated.push_back(offsets[3]);
  repeated.push_back(offsets[1]);
  repeated.push_back(offsets[3]);
  KeyMap bad_repeat(GetParam());
  EXPECT_FALSE(bad_repeat.Restore(arena, repeated));
}

TEST(IdOrder, SortsByGroupThenWholeIdIncludingSharedPrefixes) {
  KeyMap keys;
  // Ids sharing their first 8 bytes, a prefix of another, bytes over 0x7f,
  // and an embedded zero byte.
  const std::vector<std::string> ids = {"p0000001b",
                                        "p0000001a",
                                        "p0000001",
                                        "p000000",
                                        "zz",
                                        "\xe5\xbc\xa0",
                                        std::string("ab\0c", 4),
                                        "ab",
                                        "p0000001aa",
                                        "P0000001"};
  std::vector<std::pair<int, uint32_t>> items;
  for (size_t i = 0; i < ids.size(); ++i) {
    items.emplace_back(static_cast<int>(i % 3), keys.FindOrAdd(ids[i]));
  }
  std::vector<std::pair<int, std::string>> want;
  for (size_t i = 0; i < ids.size(); ++i) {
    want.emplace_back(static_cast<int>(i % 3), ids[i]);
  }
  std::sort(want.begin(), want.end());
  const PooledVector<IdOrderEntry> got = OrderById(keys, items);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].group, want[i].first) << i;
    EXPECT_EQ(got[i].id, want[i].second) << i;
    EXPECT_EQ(keys.Key(got[i].person), got[i].id);
  }
}

}  // namespace
}  // namespace internal
}  // namespace contactledger
