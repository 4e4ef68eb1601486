// WriteCheck: whether a batch written through a scoped view stays in scope.
//
// Checks each event of a batch, in order, against the ledger as it stands
// (the full cut, under a LedgerReader) plus the batch's earlier events, by
// the rules of contactledger/scope.h ("What a write may touch"). Only the
// scope is checked: an event the ledger would reject anyway (a missing field,
// an unknown household) passes here and is rejected by the ledger's own
// validation. Errors are PermissionDenied naming the event's position and
// body, the field, and the person or area.
//
// A retraction is checked for scope first: when its target is not an event
// about the scope (see GetEvent in scope.h; a retraction is about what it
// withdraws), it gets one uniform refusal, whatever the target is (retracted
// already, a retraction, lost, or not recorded before the retraction), so
// that probing sequence numbers through a view tells nothing about events
// outside it. Only a target about the scope gets the ledger's own errors
// (already retracted, a retraction).

#ifndef CONTACTLEDGER_LIB_SCOPE_WRITE_CHECK_H_
#define CONTACTLEDGER_LIB_SCOPE_WRITE_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "contactledger/v1/ledger.pb.h"
#include "lib/index/event_index.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace internal {

class WriteCheck {
 public:
  WriteCheck(const LedgerReader& reader, absl::string_view root,
             absl::Span<const v1::LedgerEvent> batch);

  // The sequence number the ledger stood at when the check began.
  uint64_t recorded() const { return recorded_; }

  // Checks every event of the batch.
  absl::Status CheckAll();

 private:
  // A version recorded by the batch: its placement is an area's parent, a
  // household's area, or a person's own area ("" for none), or, for a person
  // in their household's area, the household (`via_household`).
  struct BatchVersion {
    uint64_t sequence;
    std::string placement;
    bool via_household = false;
  };
  // An entity's versions recorded by the batch so far, oldest first.
  using BatchVersions = std::vector<BatchVersion>;
  enum Entity { kAreaEntity = 0, kHouseholdEntity = 1, kPersonEntity = 2 };

  absl::Status Check(size_t index);
  absl::Status CheckRetraction(size_t index, uint64_t target);

  // The current placement of an entity as the batch so far leaves it, or
  // nullopt when it has no version; a person's is their area, their
  // household's when they have none of their own.
  std::optional<std::string> Placement(Entity entity,
                                       absl::string_view id) const;
  // The placement of the newest version in the ledger's table that is
  // visible and not retracted by the batch.
  std::optional<std::string> TablePlacement(Entity entity,
                                            absl::string_view id) const;
  // `id` is the root or below it, as the batch so far leaves the tree.
  bool AreaInScope(absl::string_view id) const;
  // Registered with an area in scope.
  bool PersonInScope(absl::string_view id) const;
  absl::Status CheckEntityRetraction(size_t index, Entity entity,
                                     absl::string_view id, uint64_t target);
  // The area, household or person of recorded event `sequence` when it is
  // a version of one, else nullopt.
  std::optional<std::pair<Entity, std::string>> EntityOf(
      uint64_t sequence) const;
  // Whether recorded event `sequence` (not a retraction) is about the scope,
  // as the batch so far leaves it: its entity, one of its exposure's persons,
  // or its person in scope.
  bool RecordedInScope(uint64_t sequence) const;
  // An area strictly below the root, or a household or person whose current
  // placement is in scope.
  bool EntityInScope(Entity entity, absl::string_view id) const;

  absl::Status Denied(size_t index, absl::string_view field,
                      absl::string_view reason) const;

  const LedgerReader& reader_;
  const Cut now_;
  const uint64_t recorded_;
  const std::string root_;
  absl::Span<const v1::LedgerEvent> batch_;
  absl::flat_hash_map<std::string, BatchVersions> versions_[3];
  absl::flat_hash_set<uint64_t> retracted_;  // by the batch so far
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_SCOPE_WRITE_CHECK_H_
