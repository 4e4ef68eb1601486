// Copyright 2026 The ContactLedger Authors.

#include "lib/index/tables.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace contactledger {
namespace internal {

uint32_t ExposureTable::AppendRow(uint32_t a, uint32_t b, int64_t start_seconds,
                                  uint32_t seconds, uint8_t setting_value,
                                  size_t persons) {
  const uint32_t row = static_cast<uint32_t>(rows.size());
  ExposureRow r{a, b, kFarStart, seconds};
  if (start_seconds >= 0 && start_seconds < int64_t{kFarStart}) {
    r.start = static_cast<uint32_t>(start_seconds);
  } else {
    far_start[row] = start_seconds;
  }
  rows.push_back(r);
  setting.push_back(setting_value);
  AddToZone(row, start_seconds, start_seconds + seconds);
  tail_next.push_back(tail_head[a]);
  tail_next.push_back(tail_head[b]);
  tail_head[a] = row;
  tail_head[b] = row;
  const size_t tail_rows = size_t{row} + 1 - tail_begin;
  if (tail_rows >= std::max<size_t>(kMinTailRows, tail_begin / 4)) {
    Compact(persons);
  }
  return row;
}

void ExposureTable::AddToZone(uint32_t row, int64_t start, int64_t end) {
  const uint32_t lo =
      static_cast<uint32_t>(std::clamp<int64_t>(start, 0, int64_t{UINT32_MAX}));
  const uint32_t hi =
      static_cast<uint32_t>(std::clamp<int64_t>(end, 0, int64_t{UINT32_MAX}));
  const size_t z = row >> kZoneBits;
  if (z == zones.size()) {
    zones.push_back(Zone{lo, hi});
    return;
  }
  Zone& zone = zones[z];
  zone.min_start = std::min(zone.min_start, lo);
  zone.max_end = std::max(zone.max_end, hi);
}

int64_t ExposureTable::FarStart(uint32_t row) const {
  auto it = far_start.find(row);
  return it != far_start.end() ? it->second : int64_t{kFarStart};
}

void ExposureTable::Compact(size_t persons) {
  const uint32_t n = static_cast<uint32_t>(rows.size());
  const size_t old_persons = base_offsets.empty() ? 0 : base_offsets.size() - 1;
  // Counts per person in offsets[p + 1], then prefix sums.
  RowNumbers offsets(persons + 1, 0);
  for (size_t p = 0; p < old_persons; ++p) {
    offsets[p + 1] = base_offsets[p + 1] - base_offsets[p];
  }
  for (uint32_t r = tail_begin; r < n; ++r) {
    const ExposureRow& x = rows[r];
    ++offsets[x.person_a + size_t{1}];
    ++offsets[x.person_b + size_t{1}];
  }
  for (size_t p = 0; p < persons; ++p) offsets[p + 1] += offsets[p];

  // Each person's run: its tail rows, newest first, then its old base run
  // (older rows, newest first).
  RowNumbers merged(offsets[persons]);
  std::vector<uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  for (uint32_t r = n; r-- > tail_begin;) {
    const ExposureRow& x = rows[r];
    merged[cursor[x.person_a]++] = r;
    merged[cursor[x.person_b]++] = r;
  }
  for (size_t p = 0; p < old_persons; ++p) {
    std::copy(base_rows.begin() + base_offsets[p],
              base_rows.begin() + base_offsets[p + 1],
              merged.begin() + cursor[p]);
  }
  for (uint32_t r = tail_begin; r < n; ++r) {
    const ExposureRow& x = rows[r];
    tail_head[x.person_a] = kNoId;
    tail_head[x.person_b] = kNoId;
  }
  base_offsets = std::move(offsets);
  base_rows = std::move(merged);
  tail_begin = n;
  RowNumbers().swap(tail_next);
}

bool ExposureTable::RebuildAdjacency(size_t persons) {
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].person_a >= persons || rows[r].person_b >= persons) {
      return false;
    }
  }
  while (tail_head.size() < persons) tail_head.push_back(kNoId);
  zones.clear();
  for (size_t r = 0; r < rows.size(); ++r) {
    const uint32_t row = static_cast<uint32_t>(r);
    AddToZone(row, start(row), end(row));
  }
  base_offsets.clear();
  base_rows.clear();
  tail_begin = 0;
  RowNumbers().swap(tail_next);
  Compact(persons);
  return true;
}

}  // namespace internal
}  // namespace contactledger
