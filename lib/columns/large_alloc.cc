// Copyright 2026 The ContactLedger Authors.

#include "lib/columns/large_alloc.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

// Under AddressSanitizer every allocation stays on the (instrumented) heap,
// so that the sanitizer still sees overruns of the big arrays.
#if defined(__SANITIZE_ADDRESS__)
#define CONTACTLEDGER_HEAP_ONLY 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONTACTLEDGER_HEAP_ONLY 1
#endif
#endif

namespace contactledger {
namespace internal {
namespace {

size_t RoundUp(size_t bytes) {
  return (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
}

// `bytes` in whole 4 KiB pages.
size_t MappedSize(size_t bytes) {
  constexpr size_t kPage = 4096;
  return (bytes + kPage - 1) & ~(kPage - 1);
}

bool UsesHugePages(size_t bytes) {
  return bytes >= kHugePageBytes && HugePagesEnabled();
}

}  // namespace

bool HugePagesEnabled() {
#if defined(__linux__) && defined(MADV_HUGEPAGE) && \
    !defined(CONTACTLEDGER_HEAP_ONLY)
  static const bool enabled = [] {
    const char* v = std::getenv("CONTACTLEDGER_HUGE_PAGES");
    return v == nullptr || std::strcmp(v, "0") != 0;
  }();
  return enabled;
#else
  return false;
#endif
}

void* AllocateLarge(size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (UsesHugePages(bytes)) {
    // Map one huge page more than needed, then unmap the unaligned head and
    // the rest of the tail, so the kept part starts on a 2 MiB boundary.
    const size_t size = MappedSize(bytes);
    void* raw = mmap(nullptr, size + kHugePageBytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const uintptr_t begin = reinterpret_cast<uintptr_t>(raw);
    const uintptr_t aligned = RoundUp(begin);
    if (aligned > begin) munmap(raw, aligned - begin);
    const uintptr_t end = begin + size + kHugePageBytes;
    if (end > aligned + size) {
      munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
    }
    void* p = reinterpret_cast<void*>(aligned);
    // Only the whole 2 MiB pages within `bytes` ask for huge pages, so that
    // a last, partly used page does not make a whole huge page resident.
    // Only a hint: without it (or without THP) the pages are ordinary ones.
    madvise(p, bytes & ~(kHugePageBytes - 1), MADV_HUGEPAGE);
    return p;
  }
#endif
  return ::operator new(bytes);
}

void FreeLarge(void* p, size_t bytes) noexcept {
  if (p == nullptr) return;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (UsesHugePages(bytes)) {
    munmap(p, MappedSize(bytes));
    return;
  }
#endif
  ::operator delete(p);
}

}  // namespace internal
}  // namespace contactledger
