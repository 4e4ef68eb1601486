// Ordering dense person ids by their string ids, for answers sorted by id.
//
// An answer of n persons needs the n string ids, which sit at random places
// in the key map's slots (and arena, for long ids), and a sort that compares
// them. OrderById loads the keys
// with their cache misses overlapped (KeyMap::PrefetchSlot/PrefetchKey)
// and sorts on each id's first 8 bytes as one integer, comparing whole ids
// only when those are equal:
//
//   PooledVector<IdOrderEntry> order =
//       OrderById(persons.keys, {{2, p}, {1, q}});  // (group, person)
//   // order[0] is q's (group 1), then p's; ties in group go by id.

#ifndef CONTACTLEDGER_LIB_QUERY_ID_ORDER_H_
#define CONTACTLEDGER_LIB_QUERY_ID_ORDER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "lib/columns/block_pool.h"
#include "lib/columns/key_map.h"

namespace contactledger {
namespace internal {

struct IdOrderEntry {
  int group;
  uint64_t prefix;  // the id's first 8 bytes, big-endian, zero-padded
  absl::string_view id;
  uint32_t person;
};

// The first 8 bytes of `s` as a big-endian integer, zero-padded: comparing
// two prefixes compares the strings' first 8 bytes (a tie may still differ
// later, or by length).
inline uint64_t IdPrefix(absl::string_view s) {
  uint64_t v = 0;
  const size_t n = std::min<size_t>(s.size(), 8);
  for (size_t i = 0; i < n; ++i) {
    v |= uint64_t{static_cast<uint8_t>(s[i])} << (56 - 8 * i);
  }
  return v;
}

// `items` (group, person) sorted by group, then by the person's id.
// Groups must be in [0, 256). The answer is scratch for the caller (in
// the block pool).
inline PooledVector<IdOrderEntry> OrderById(
    const KeyMap& keys, absl::Span<const std::pair<int, uint32_t>> items) {
  for (const auto& item : items) keys.PrefetchSlot(item.second);
  for (const auto& item : items) keys.PrefetchKey(item.second);
  // Sort 16-byte keys: (group, first 8 bytes of the id, index in items),
  // in a buffer kept per thread (queries run often; allocations are slow
  // in a fragmented heap).
  thread_local std::vector<std::pair<uint64_t, uint64_t>> order;
  order.clear();
  if (order.capacity() > 4 * items.size() + 4096) order.shrink_to_fit();
  order.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const uint64_t prefix = IdPrefix(keys.Key(items[i].second));
    order.emplace_back(
        (static_cast<uint64_t>(items[i].first) << 56) | (prefix >> 8),
        (prefix << 56) | i);
  }
  std::sort(order.begin(), order.end());
  PooledVector<IdOrderEntry> out;
  out.reserve(items.size());
  for (const auto& key : order) {
    const auto& [group, person] = items[key.second & ((uint64_t{1} << 56) - 1)];
    const absl::string_view id = keys.Key(person);
    out.push_back(IdOrderEntry{group, IdPrefix(id), id, person});
  }
  // Ids whose first 8 bytes tie are ordered by their whole bytes.
  for (size_t begin = 0; begin < out.size();) {
    size_t end = begin + 1;
    while (end < out.size() && out[end].group == out[begin].group &&
           out[end].prefix == out[begin].prefix) {
      ++end;
    }
    if (end - begin > 1) {
      std::sort(out.begin() + begin, out.begin() + end,
                [](const IdOrderEntry& a, const IdOrderEntry& b) {
                  return a.id < b.id;
                });
    }
    begin = end;
  }
  return out;
}

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_QUERY_ID_ORDER_H_
