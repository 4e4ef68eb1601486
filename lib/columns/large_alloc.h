// Large allocations for the in-memory indexes, in transparent huge pages.
//
// The big arrays of the indexes (exposure rows and the per-person adjacency,
// key hash tables and the strings behind them, per-person columns) are read
// at random by queries and by bulk loads. With 4 KiB pages nearly every such
// read also misses the TLB, and in a virtual machine a TLB miss walks two
// levels of page tables; a query that fans out over a hundred exposure rows
// then waits on the page walkers rather than on memory. So an allocation of
// at least kHugePageBytes is mapped 2 MiB-aligned and marked MADV_HUGEPAGE
// (Linux): the kernel backs it with 2 MiB pages when it can.
//
// The cost: a 2 MiB page becomes resident as a whole once any of it is
// written, so an array being filled may hold up to 2 MiB more than it has
// written (the part of an allocation past its last whole 2 MiB stays in
// small pages, so rounding costs nothing). Smaller allocations, other systems,
// builds with AddressSanitizer, and processes started with
// CONTACTLEDGER_HUGE_PAGES=0 in the environment use operator new. Either way
// memory comes back uninitialised (mmap'ed memory is zero pages, untouched
// until written).
//
//   void* p = AllocateLarge(64 << 20);   // 64 MiB, 2 MiB-aligned on Linux
//   ...
//   FreeLarge(p, 64 << 20);              // the same size
//
//   std::vector<uint32_t, LargeAllocator<uint32_t>> rows;  // for containers

#ifndef CONTACTLEDGER_LIB_STORAGE_LARGE_ALLOC_H_
#define CONTACTLEDGER_LIB_STORAGE_LARGE_ALLOC_H_

#include <cstddef>
#include <type_traits>

namespace contactledger {
namespace internal {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Whether allocations of kHugePageBytes or more ask for huge pages: true on
// Linux unless CONTACTLEDGER_HUGE_PAGES=0 (read at the first call).
bool HugePagesEnabled();

// `bytes` of uninitialised memory aligned to at least alignof(max_align_t);
// throws std::bad_alloc when none is left, like operator new.
void* AllocateLarge(size_t bytes);

// Frees memory from AllocateLarge(bytes), given the same `bytes`.
void FreeLarge(void* p, size_t bytes) noexcept;

// A stateless allocator for standard and Abseil containers over a pair of
// functions like AllocateLarge and FreeLarge (bytes in, the same bytes back).
template <typename T, void* (*Allocate)(size_t),
          void (*Free)(void*, size_t) noexcept>
class FunctionAllocator {
 public:
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__,
                "the functions align like operator new");
  using value_type = T;
  using propagate_on_container_move_assignment = std::true_type;
  using is_always_equal = std::true_type;
  template <typename U>
  struct rebind {
    using other = FunctionAllocator<U, Allocate, Free>;
  };

  FunctionAllocator() = default;
  template <typename U>
  FunctionAllocator(  // NOLINT: allocator rebind
      const FunctionAllocator<U, Allocate, Free>&) {}

  T* allocate(size_t n) { return static_cast<T*>(Allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { Free(p, n * sizeof(T)); }

  template <typename U>
  bool operator==(const FunctionAllocator<U, Allocate, Free>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const FunctionAllocator<U, Allocate, Free>&) const {
    return false;
  }
};

template <typename T>
using LargeAllocator = FunctionAllocator<T, AllocateLarge, FreeLarge>;

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_STORAGE_LARGE_ALLOC_H_
