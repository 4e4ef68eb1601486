// SegmentedArray<T>: an append-only array of trivially copyable values in
// geometrically growing segments.
//
// Segment k holds 2^(kFirstBits + k) elements, so the array never copies its
// contents when it grows (no 3x peak while a std::vector reallocates) and an
// element's address never changes. Segments are allocated uninitialised:
// pages the array has not written yet are not resident. Segments of 2 MiB
// and more come from AllocateLarge, in huge pages (lib/columns/large_alloc.h).
//
// Not thread-safe; the ledger serialises access with its own lock.

#ifndef CONTACTLEDGER_LIB_COLUMNS_SEGMENTED_ARRAY_H_
#define CONTACTLEDGER_LIB_COLUMNS_SEGMENTED_ARRAY_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "absl/base/optimization.h"
#include "lib/columns/large_alloc.h"

namespace contactledger {
namespace internal {

template <typename T, int kFirstBits = 10>
class SegmentedArray {
  static_assert(std::is_trivially_copyable<T>::value,
                "SegmentedArray holds plain values only");

 public:
  SegmentedArray() = default;
  SegmentedArray(const SegmentedArray&) = delete;
  SegmentedArray& operator=(const SegmentedArray&) = delete;
  ~SegmentedArray() {
    for (int k = 0; k < kMaxSegments; ++k) {
      FreeLarge(segments_[k], SegmentSize(k) * sizeof(T));
    }
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  T& operator[](size_t i) { return *Address(i); }
  const T& operator[](size_t i) const {
    return *const_cast<SegmentedArray*>(this)->Address(i);
  }

  void push_back(const T& value) {
    size_t j = size_ + (size_t{1} << kFirstBits);
    int k = Segment(j);
    if (ABSL_PREDICT_FALSE(segments_[k] == nullptr)) {
      // Uninitialised: no page is touched until written.
      segments_[k] = static_cast<T*>(AllocateLarge(SegmentSize(k) * sizeof(T)));
      allocated_bytes_ += SegmentSize(k) * sizeof(T);
    }
    segments_[k][j - SegmentSize(k)] = value;
    ++size_;
  }

  // Appends n values.
  void Append(const T* values, size_t n) {
    for (size_t i = 0; i < n; ++i) push_back(values[i]);
  }

  // Calls f(const T* data, size_t n) for each stored run, in order.
  template <typename F>
  void ForEachSpan(F f) const {
    size_t left = size_;
    for (int k = 0; left > 0; ++k) {
      const size_t n = std::min(left, SegmentSize(k));
      f(segments_[k], n);
      left -= n;
    }
  }

  // Bytes allocated for segments (capacity, not size).
  size_t allocated_bytes() const { return allocated_bytes_; }

  // Bytes of the segments' pages that can be resident: every full segment
  // plus the used part of the last one.
  size_t used_bytes() const { return size_ * sizeof(T); }

 private:
  static constexpr int kMaxSegments = 48;

  static int Segment(size_t j) {
    return 63 - __builtin_clzll(static_cast<uint64_t>(j)) - kFirstBits;
  }
  static size_t SegmentSize(int k) { return size_t{1} << (kFirstBits + k); }

  T* Address(size_t i) {
    size_t j = i + (size_t{1} << kFirstBits);
    int k = Segment(j);
    return &segments_[k][j - SegmentSize(k)];
  }

  T* segments_[kMaxSegments] = {};
  size_t size_ = 0;
  size_t allocated_bytes_ = 0;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_COLUMNS_SEGMENTED_ARRAY_H_
