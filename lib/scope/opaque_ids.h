// OpaqueIds: the opaque ids a scoped view shows for outsiders.
//
// The first time a view shows a person (or household) outside its scope, or
// the caller's id of an exposure with such a person (Exposure.id, which
// callers often build from the two persons' ids or phones), it
// draws 64 random bits from the operating system's generator
// (std::random_device) and shows "ext-" and their 16 hex digits; the pair is
// kept in this table for the view's life, so the same outsider keeps the same
// opaque id in every answer of the view and of the Tracers it created (and
// one exposure id the same opaque id in every answer of the view). There
// is no key and no function from an id to its opaque id, so an opaque id
// cannot be turned back into the id; another view draws other ones.
// Thread-safe.

#ifndef CONTACTLEDGER_LIB_SCOPE_OPAQUE_IDS_H_
#define CONTACTLEDGER_LIB_SCOPE_OPAQUE_IDS_H_

#include <mutex>
#include <random>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace contactledger {
namespace internal {

class OpaqueIds {
 public:
  // The opaque id of a person / household / exposure id (separate id
  // spaces; an opaque id is never drawn twice, in any space).
  std::string Person(absl::string_view id) { return Get('p', id); }
  std::string Household(absl::string_view id) { return Get('h', id); }
  std::string Exposure(absl::string_view id) { return Get('x', id); }

 private:
  std::string Get(char space, absl::string_view id);

  std::mutex mu_;
  absl::flat_hash_map<std::string, std::string> tokens_;  // guarded by mu_
  absl::flat_hash_set<std::string> drawn_;                // guarded by mu_
  std::random_device random_;                             // guarded by mu_
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_SCOPE_OPAQUE_IDS_H_
