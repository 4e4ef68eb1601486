#include "lib/columns/string_arena.h"

#include <algorithm>
#include <cstring>

#include "lib/columns/large_alloc.h"

namespace contactledger {
namespace internal {
namespace {

size_t VarintLength(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Writes varint(s.size()) then s at `p`.
void WriteEntry(char* p, absl::string_view s) {
  uint64_t v = s.size();
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
}

}  // namespace

StringArena::~StringArena() {
  for (const Block& block : blocks_) FreeLarge(block.data, block.size);
}

char* StringArena::NewChunk(size_t size) {
  char* chunk = nullptr;
  if (size == kChunkSize && spare_chunk_ != nullptr) {
    chunk = spare_chunk_;
    spare_chunk_ = nullptr;
  } else if (size == kChunkSize && chunks_.size() >= kChunksBeforeHugePages &&
             HugePagesEnabled()) {
    static_assert(2 * kChunkSize == kHugePageBytes, "two chunks a huge page");
    chunk = static_cast<char*>(AllocateLarge(kHugePageBytes));
    blocks_.push_back(Block{chunk, kHugePageBytes});
    spare_chunk_ = chunk + kChunkSize;
  } else {
    chunk = static_cast<char*>(AllocateLarge(size));
    blocks_.push_back(Block{chunk, size});
  }
  chunks_.push_back(chunk);
  allocated_bytes_ += size;
  return chunk;
}

uint64_t StringArena::Add(absl::string_view s) {
  const size_t need = VarintLength(s.size()) + s.size();
  if (need > kChunkSize) {
    // An oversized string gets a chunk of its own; the next small string
    // starts a fresh chunk.
    WriteEntry(NewChunk(need), s);
    chunk_used_.push_back(static_cast<uint32_t>(need));
    used_in_last_ = kChunkSize;
    return static_cast<uint64_t>(chunks_.size() - 1) << kChunkBits;
  }
  if (used_in_last_ + need > kChunkSize) {
    NewChunk(kChunkSize);
    chunk_used_.push_back(0);
    used_in_last_ = 0;
  }
  const uint64_t offset =
      (static_cast<uint64_t>(chunks_.size() - 1) << kChunkBits) | used_in_last_;
  WriteEntry(chunks_.back() + used_in_last_, s);
  used_in_last_ += need;
  chunk_used_.back() = static_cast<uint32_t>(used_in_last_);
  return offset;
}

void StringArena::RestoreChunk(absl::string_view used) {
  // A chunk fuller than a regular one held one oversized string.
  const size_t size = std::max(used.size(), kChunkSize);
  char* chunk = NewChunk(size);
  if (!used.empty()) std::memcpy(chunk, used.data(), used.size());
  chunk_used_.push_back(static_cast<uint32_t>(used.size()));
  used_in_last_ = used.size() > kChunkSize ? kChunkSize : used.size();
}

bool StringArena::Contains(uint64_t offset) const {
  const uint64_t chunk = offset >> kChunkBits;
  const uint64_t at = offset & (kChunkSize - 1);
  if (chunk >= chunks_.size() || at >= chunk_used_[chunk]) return false;
  const uint64_t room = chunk_used_[chunk] - at;  // bytes from `at` on
  const char* p = chunks_[chunk] + at;
  uint64_t len = 0;
  for (uint64_t i = 0; i < room && i < 10; ++i) {
    const uint8_t byte = static_cast<uint8_t>(p[i]);
    len |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (byte < 0x80) return len <= room - i - 1;
  }
  return false;
}

absl::string_view StringArena::GetLong(const char* p) {
  uint64_t len = 0;
  int shift = 0;
  while (true) {
    const uint8_t byte = static_cast<uint8_t>(*p++);
    len |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) break;
    shift += 7;
  }
  return absl::string_view(p, len);
}

}  // namespace internal
}  // namespace contactledger
