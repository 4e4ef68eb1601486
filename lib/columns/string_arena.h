// StringArena: append-only storage of byte strings addressed by a 64-bit
// offset. Each string is stored as a varint length followed by its bytes, in
// 1 MiB chunks (a longer string gets a chunk of its own); a string never
// moves once stored. Once an arena has grown past a few chunks, its chunks
// come in 2 MiB huge-page pairs (lib/columns/large_alloc.h).
//
// Not thread-safe; the ledger serialises access with its own lock.

#ifndef CONTACTLEDGER_LIB_COLUMNS_STRING_ARENA_H_
#define CONTACTLEDGER_LIB_COLUMNS_STRING_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/strings/string_view.h"

namespace contactledger {
namespace internal {

class StringArena {
 public:
  StringArena() = default;
  StringArena(const StringArena&) = delete;
  StringArena& operator=(const StringArena&) = delete;
  ~StringArena();

  // Stores `s` and returns its offset.
  uint64_t Add(absl::string_view s);

  // The string stored at `offset` (returned by Add).
  absl::string_view Get(uint64_t offset) const {
    const char* p = chunks_[offset >> kChunkBits] + (offset & (kChunkSize - 1));
    const uint8_t first = static_cast<uint8_t>(*p);
    // Strings under 128 bytes (ids, names) have a one-byte length.
    if (ABSL_PREDICT_TRUE(first < 0x80)) return absl::string_view(p + 1, first);
    return GetLong(p);
  }

  // Starts loading the string at `offset` into the cache. A hint only.
  void Prefetch(uint64_t offset) const {
    __builtin_prefetch(chunks_[offset >> kChunkBits] +
                       (offset & (kChunkSize - 1)));
  }

  // Whether a whole string is stored at `offset`: Get(offset) stays within
  // the arena (for offsets loaded from a snapshot).
  bool Contains(uint64_t offset) const;

  // The chunks, in order, each the bytes used in it (for snapshots).
  size_t chunk_count() const { return chunks_.size(); }
  absl::string_view chunk(size_t i) const {
    return absl::string_view(chunks_[i], chunk_used_[i]);
  }
  // Appends a chunk saved with chunk(): offsets stay what they were.
  void RestoreChunk(absl::string_view used);

  // Bytes allocated for chunks.
  size_t allocated_bytes() const { return allocated_bytes_; }

 private:
  static constexpr int kChunkBits = 20;
  // Get() for an entry whose length takes more than one varint byte.
  static absl::string_view GetLong(const char* p);
  static constexpr size_t kChunkSize = size_t{1} << kChunkBits;
  // Arenas with at least this many chunks take new ones from huge pages.
  static constexpr size_t kChunksBeforeHugePages = 4;

  // A new chunk of `size` bytes (kChunkSize, or more for one long string),
  // appended to chunks_.
  char* NewChunk(size_t size);

  struct Block {
    char* data;
    size_t size;
  };
  std::vector<Block> blocks_;    // what AllocateLarge gave, freed at the end
  char* spare_chunk_ = nullptr;  // the unused second half of a huge page
  std::vector<char*> chunks_;
  std::vector<uint32_t> chunk_used_;
  size_t used_in_last_ = kChunkSize;  // forces a chunk on first Add
  size_t allocated_bytes_ = 0;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_COLUMNS_STRING_ARENA_H_
