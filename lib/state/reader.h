// LedgerReader: the read handle on a LedgerState. It holds the state's lock
// shared for its lifetime, so appends wait while it lives: keep it to one
// query call. The query engine, scoped views and the redactor read the
// columns and decode records through it, and nothing else.
//
//   internal::LedgerReader reader(view);   // any LedgerView
//   const internal::Cut cut = reader.CutFor(read_options);
//   v1::Household h = reader.state().HouseholdAt(row);

#ifndef CONTACTLEDGER_LIB_STATE_READER_H_
#define CONTACTLEDGER_LIB_STATE_READER_H_

#include <shared_mutex>

#include "absl/time/time.h"
#include "contactledger/ledger_view.h"
#include "lib/index/event_index.h"
#include "lib/index/tables.h"
#include "lib/state/ledger_state.h"
#include "lib/state/view_access.h"

namespace contactledger {
namespace internal {

class LedgerReader {
 public:
  explicit LedgerReader(const LedgerState& state)
      : state_(state), lock_(state.mu_) {}
  // The state behind `view` (a whole ledger or a scoped view of one).
  explicit LedgerReader(const LedgerView& view)
      : LedgerReader(ViewAccess::StateOf(view)) {}

  const LedgerState& state() const { return state_; }
  const EventIndex& events() const { return state_.events_; }
  const AreaTable& areas() const { return state_.areas_; }
  const HouseholdTable& households() const { return state_.households_; }
  const PersonTable& persons() const { return state_.persons_; }
  const ExposureTable& exposures() const { return state_.exposures_; }
  const PersonEventTable& person_events(PersonList list) const {
    return state_.person_events_[list];
  }
  const absl::TimeZone& time_zone() const { return state_.time_zone(); }
  Cut CutFor(const ReadOptions& options) const {
    return state_.CutFor(options);
  }

 private:
  const LedgerState& state_;
  std::shared_lock<std::shared_mutex> lock_;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_STATE_READER_H_
