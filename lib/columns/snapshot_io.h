// Saving and loading the in-memory columns as snapshot sections.
//
// A snapshot is a framed record file (lib/log/record_io.h) whose records are
// contactledger.v1.SnapshotSection messages. Each column is saved under its
// name as one or more sections of at most kSectionBytes of raw
// little-endian values, so loading is a bulk copy, not a replay.
//
// The state lists its columns once (LedgerState::VisitColumns, in the order
// docs/log_format.md gives) and runs that list through a SnapshotSink to save
// and through a SnapshotSource to load, so the two cannot disagree on order.

#ifndef CONTACTLEDGER_LIB_COLUMNS_SNAPSHOT_IO_H_
#define CONTACTLEDGER_LIB_COLUMNS_SNAPSHOT_IO_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "contactledger/env.h"
#include "contactledger/v1/storage.pb.h"
#include "lib/columns/key_map.h"
#include "lib/columns/segmented_array.h"
#include "lib/columns/string_arena.h"
#include "lib/log/record_io.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "snapshots store raw little-endian values");

namespace contactledger {
namespace internal {

inline constexpr size_t kSectionBytes = 16u << 20;

// A map entry as saved: plain data, unlike std::pair.
template <typename K, typename V>
struct KeyValue {
  K key;
  V value;
};

class SnapshotSink {
 public:
  static constexpr bool kLoading = false;

  explicit SnapshotSink(WritableFile* file) : file_(file) {}

  // The first error met, if any.
  const absl::Status& status() const { return status_; }
  uint64_t bytes_written() const { return bytes_; }

  // Writes one section (data must fit kSectionBytes; Raw splits for you).
  void Section(absl::string_view name, uint64_t count, absl::string_view data);

  // Writes n values of T starting at p as sections named `name`.
  template <typename T>
  void Raw(absl::string_view name, const T* p, size_t n) {
    static_assert(std::is_trivially_copyable<T>::value, "raw values only");
    const size_t per = std::max<size_t>(1, kSectionBytes / sizeof(T));
    do {
      const size_t take = std::min(per, n);
      Section(name, take,
              absl::string_view(reinterpret_cast<const char*>(p),
                                take * sizeof(T)));
      p += take;
      n -= take;
    } while (n > 0);
  }

  // Each column type: a header section (name, element count) then the data.
  template <typename T>
  void operator()(absl::string_view name, SegmentedArray<T>& column) {
    Section(name, column.size(), "");
    column.ForEachSpan([&](const T* p, size_t n) { Raw(name, p, n); });
  }
  void operator()(absl::string_view name, StringArena& arena) {
    Section(name, arena.chunk_count(), "");
    for (size_t i = 0; i < arena.chunk_count(); ++i) {
      Section(name, 1, arena.chunk(i));
    }
  }
  // Keys are saved as one arena of every key and an offset per id (see
  // KeyMap::Flatten), built for the write and dropped after it.
  void operator()(absl::string_view name, KeyMap& keys) {
    if (!status_.ok()) return;
    StringArena arena;
    SegmentedArray<uint32_t> offsets;
    if (absl::Status s = keys.Flatten(&arena, &offsets); !s.ok()) {
      status_ = absl::Status(s.code(), absl::StrCat(name, ": ", s.message()));
      return;
    }
    (*this)(absl::StrCat(name, ".arena"), arena);
    (*this)(absl::StrCat(name, ".offsets"), offsets);
  }
  template <typename K, typename V>
  void operator()(absl::string_view name, absl::flat_hash_map<K, V>& map) {
    std::vector<KeyValue<K, V>> pairs;
    pairs.reserve(map.size());
    for (const auto& [k, v] : map) pairs.push_back(KeyValue<K, V>{k, v});
    Section(name, pairs.size(), "");
    if (!pairs.empty()) Raw(name, pairs.data(), pairs.size());
  }
  template <typename T>
  void operator()(absl::string_view name, std::vector<T>& values) {
    Section(name, values.size(), "");
    if (!values.empty()) Raw(name, values.data(), values.size());
  }
  template <typename T>
  void Value(absl::string_view name, T& value) {
    Raw(name, &value, 1);
  }
  // Sections added by a later layout may be missing from an older snapshot:
  // a saver always writes them.
  bool Has(absl::string_view) const { return true; }

 private:
  WritableFile* file_;
  absl::Status status_;
  uint64_t bytes_ = 0;
  std::string buffer_;
};

class SnapshotSource {
 public:
  static constexpr bool kLoading = true;

  explicit SnapshotSource(RecordReader* reader) : reader_(reader) {}

  const absl::Status& status() const { return status_; }

  template <typename T>
  void operator()(absl::string_view name, SegmentedArray<T>& column) {
    uint64_t count = 0;
    if (!Header(name, &count)) return;
    ReadRaw<T>(name, count, [&](const T* p, size_t n) { column.Append(p, n); });
  }
  void operator()(absl::string_view name, StringArena& arena) {
    uint64_t chunks = 0;
    if (!Header(name, &chunks)) return;
    for (uint64_t i = 0; i < chunks; ++i) {
      if (!Next(name)) return;
      arena.RestoreChunk(section_.data());
    }
  }
  void operator()(absl::string_view name, KeyMap& keys) {
    StringArena arena;
    SegmentedArray<uint32_t> offsets;
    (*this)(absl::StrCat(name, ".arena"), arena);
    (*this)(absl::StrCat(name, ".offsets"), offsets);
    if (status_.ok() && !keys.Restore(arena, offsets)) {
      Fail(name, "a key's offset lies outside its arena, or a key repeats");
    }
  }
  template <typename K, typename V>
  void operator()(absl::string_view name, absl::flat_hash_map<K, V>& map) {
    uint64_t count = 0;
    if (!Header(name, &count)) return;
    map.reserve(std::min<uint64_t>(count, kMaxReserve));
    ReadRaw<KeyValue<K, V>>(name, count,
                            [&](const KeyValue<K, V>* p, size_t n) {
                              for (size_t i = 0; i < n; ++i) {
                                map[p[i].key] = p[i].value;
                              }
                            });
  }
  template <typename T>
  void operator()(absl::string_view name, std::vector<T>& values) {
    uint64_t count = 0;
    if (!Header(name, &count)) return;
    values.reserve(std::min<uint64_t>(count, kMaxReserve));
    ReadRaw<T>(name, count, [&](const T* p, size_t n) {
      values.insert(values.end(), p, p + n);
    });
  }
  template <typename T>
  void Value(absl::string_view name, T& value) {
    ReadRaw<T>(name, 1, [&](const T* p, size_t) { value = *p; });
  }
  // Whether the next section is named `name` (without reading it): for
  // sections a later layout added, missing from older snapshots.
  bool Has(absl::string_view name);

 private:
  // Reads the next section into section_ unless it is there already
  // (pending_); false on an error, which names `name`.
  bool Peek(absl::string_view name);
  // Reads the next section, which must be named `name`.
  bool Next(absl::string_view name);
  bool Header(absl::string_view name, uint64_t* count) {
    if (!Next(name)) return false;
    *count = section_.count();
    return true;
  }
  template <typename T, typename F>
  void ReadRaw(absl::string_view name, uint64_t count, F f) {
    std::vector<T> scratch;
    while (count > 0) {
      if (!Next(name)) return;
      const uint64_t n = section_.count();
      if (n == 0 || n > count || section_.data().size() % sizeof(T) != 0 ||
          section_.data().size() / sizeof(T) != n) {
        Fail(name, "section size does not match its count");
        return;
      }
      scratch.resize(n);
      std::memcpy(static_cast<void*>(scratch.data()), section_.data().data(),
                  n * sizeof(T));
      f(scratch.data(), n);
      count -= n;
    }
  }
  void Fail(absl::string_view name, absl::string_view reason);

  // A count read from the file reserves no more than this up front: the data
  // it promises must still be there.
  static constexpr uint64_t kMaxReserve = uint64_t{1} << 20;

  RecordReader* reader_;
  absl::Status status_;
  v1::SnapshotSection section_;
  bool pending_ = false;  // section_ was read by Has, not yet by Next
  uint64_t offset_ = 0;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_COLUMNS_SNAPSHOT_IO_H_
