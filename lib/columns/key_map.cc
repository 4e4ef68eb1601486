// Copyright 2026 The ContactLedger Authors.

#include "lib/columns/key_map.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace contactledger {
namespace internal {

absl::Status KeyMap::Flatten(StringArena* arena,
                             SegmentedArray<uint32_t>* offsets) const {
  for (uint32_t id = 0; id < size(); ++id) {
    const uint64_t offset = arena->Add(Key(id));
    if (offset > UINT32_MAX) {
      return absl::ResourceExhaustedError(
          absl::StrCat("more than 4 GiB of keys (at id ", id,
                       "): beyond the 32-bit offsets of the snapshot format"));
    }
    offsets->push_back(static_cast<uint32_t>(offset));
  }
  return absl::OkStatus();
}

bool KeyMap::Restore(const StringArena& arena,
                     const SegmentedArray<uint32_t>& offsets) {
  if (size() != 0) return false;
  for (size_t id = 0; id < offsets.size(); ++id) {
    if (!arena.Contains(offsets[id])) return false;
  }
  for (size_t id = 0; id < offsets.size(); ++id) {
    Append(arena.Get(offsets[id]));
  }
  set_.reserve(size());
  for (uint32_t id = 0; id < size(); ++id) {
    if (!set_.insert(id).second) return false;
  }
  return true;
}

}  // namespace internal
}  // namespace contactledger
