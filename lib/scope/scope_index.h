// ScopeAt: what a scoped view (contactledger/scope.h) holds at one cut.
//
// The areas of the view's subtree as the cut sees them, and membership tests
// for persons and households by their current versions at that cut. Built and
// used under a LedgerReader (the ledger's lock held shared). A cut's answer
// never changes, so one ScopeAt serves every read with the same cut.

#ifndef CONTACTLEDGER_LIB_SCOPE_SCOPE_INDEX_H_
#define CONTACTLEDGER_LIB_SCOPE_SCOPE_INDEX_H_

#include <cstdint>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "lib/index/event_index.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace internal {

class ScopeAt {
 public:
  // The subtree of area `root` (a dense area id, or kNoId) at `cut`; empty
  // when the root has no visible version there.
  static ScopeAt Compute(const LedgerReader& reader, uint32_t root,
                         const Cut& cut);

  const Cut& cut() const { return cut_; }

  bool HasArea(uint32_t area) const { return areas_.contains(area); }
  bool HasArea(const LedgerReader& reader, absl::string_view id) const;

  // A person registered at the cut whose current area is in the subtree.
  bool HasPerson(const LedgerReader& reader, uint32_t person) const;
  bool HasPerson(const LedgerReader& reader, absl::string_view id) const;

  // A household whose current version's area is in the subtree.
  bool HasHousehold(const LedgerReader& reader, uint32_t household) const;
  bool HasHousehold(const LedgerReader& reader, absl::string_view id) const;

 private:
  Cut cut_;
  absl::flat_hash_set<uint32_t> areas_;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_SCOPE_SCOPE_INDEX_H_
