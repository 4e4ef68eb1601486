// BatchValidator: checks the events of one batch before any is applied.
//
// Checks each event on its own (required fields, enum values, ranges) and
// against the ledger as it stands plus the batch's earlier events (areas and
// households that must exist, area levels, retraction targets). Errors are
// InvalidArgument with a message naming the event's position, its body kind
// and id, the field and the reason.
//
// Two modes. Given the ledger's options (an append), it also holds each
// event to what the ledger accepts now: every string well-formed UTF-8 with
// no control characters (tabs and line breaks only in free text) and within
// its `Limits`, repeated fields within `Limits::max_list_entries`, the batch
// within `Limits::max_batch_events` (ResourceExhausted), and national ids
// and phones to `LedgerOptions::identity_rules`. Without options (replaying
// recorded events on open or verify) it checks only what the indexes need,
// so that events recorded under other rules or limits still replay; their
// UTF-8 is checked by protobuf, which does not parse a record without it.

#ifndef CONTACTLEDGER_LIB_CORE_VALIDATOR_H_
#define CONTACTLEDGER_LIB_CORE_VALIDATOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "lib/index/event_index.h"
#include "lib/index/tables.h"

namespace contactledger {
namespace internal {

// The default limits on identifiers and tags (bytes); appends use the
// ledger's LedgerOptions::limits.
inline constexpr size_t kMaxIdBytes = 128;
inline constexpr size_t kMaxTagBytes = 64;

// The oneof field name of the event's body ("exposure"), or "no body".
const char* BodyName(const v1::LedgerEvent& event);

class BatchValidator {
 public:
  // `now` is the cut of everything recorded so far. `options` (not owned,
  // must outlive the validator): the ledger's, for an append; nullptr for
  // recorded events being replayed (see the file comment).
  BatchValidator(const AreaTable& areas, const HouseholdTable& households,
                 const EventIndex& events, const Cut& now, size_t batch_size,
                 const LedgerOptions* options = nullptr);

  // Starts the next batch of a group: error messages count events from 1
  // again, while the earlier batches' events stay known to later ones.
  void BeginBatch(size_t batch_size) {
    batch_size_ = batch_size;
    index_ = 0;
  }

  // Checks the next event of the batch (call in order).
  absl::Status Check(const v1::LedgerEvent& event);

 private:
  absl::Status CheckBody(const v1::LedgerEvent& event, uint64_t sequence);
  // Appends only: the strings and lists of the event against the limits.
  absl::Status CheckStrings(const v1::LedgerEvent& event) const;
  // Appends only: national_id and phone against the identity rules.
  absl::Status CheckIdentity(const v1::Person& person) const;
  // An ImportSource: on the batch's first event, naming its size.
  absl::Status CheckImportSource(const v1::ImportSource& source) const;
  absl::Status CheckArea(const v1::Area& area);
  absl::Status CheckHousehold(const v1::Household& household);
  absl::Status CheckPerson(const v1::Person& person);
  absl::Status CheckExposure(const v1::Exposure& exposure);
  absl::Status CheckDiagnosis(const v1::Diagnosis& diagnosis);
  absl::Status CheckQuarantineAction(const v1::QuarantineAction& action);
  absl::Status CheckHealthCheck(const v1::HealthCheck& check);
  absl::Status CheckPassage(const v1::CheckpointPassage& passage);
  absl::Status CheckRetraction(const v1::Retraction& retraction,
                               uint64_t sequence);

  // The level of area `id` as the batch would leave it, or 0 when unknown.
  int AreaLevel(absl::string_view id) const;
  bool HouseholdExists(absl::string_view id) const;

  const AreaTable& areas_;
  const HouseholdTable& households_;
  const EventIndex& events_;
  const Cut now_;
  size_t batch_size_;
  const LedgerOptions* const options_;  // nullptr when replaying
  size_t index_ = 0;      // of the event being checked, in its batch
  uint64_t checked_ = 0;  // events checked in the whole group

  // The batch's earlier events.
  absl::flat_hash_map<std::string, int> batch_areas_;  // id -> level
  absl::flat_hash_set<std::string> batch_households_;
  std::vector<EventKind> batch_kinds_;
  absl::flat_hash_set<uint64_t> batch_retracted_;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_CORE_VALIDATOR_H_
