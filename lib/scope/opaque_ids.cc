// OpaqueIds: random opaque ids for outsiders. See opaque_ids.h.

#include "lib/scope/opaque_ids.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace contactledger {
namespace internal {

namespace {
constexpr absl::string_view kPrefix = "ext-";
}  // namespace

std::string OpaqueIds::Get(char space, absl::string_view id) {
  std::string key = absl::StrCat(absl::string_view(&space, 1), id);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tokens_.find(key);
  if (it != tokens_.end()) return it->second;
  std::string token;
  do {
    // random_device yields 32 bits per call.
    const uint64_t bits = (static_cast<uint64_t>(random_()) << 32) |
                          static_cast<uint64_t>(random_());
    token = absl::StrFormat("%s%016x", kPrefix, bits);
  } while (!drawn_.insert(token).second);
  tokens_.emplace(std::move(key), token);
  return token;
}

}  // namespace internal
}  // namespace contactledger
