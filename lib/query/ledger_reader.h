// LedgerReader: the query engine's read access to a Ledger's tables.
//
// Holds the ledger's lock shared for its lifetime, so appends wait while a
// query runs; keep it short-lived (one query call).

#ifndef CONTACTLEDGER_LIB_QUERY_LEDGER_READER_H_
#define CONTACTLEDGER_LIB_QUERY_LEDGER_READER_H_

#include <shared_mutex>

#include "contactledger/ledger.h"
#include "lib/core/ledger_impl.h"
#include "lib/index/event_index.h"
#include "lib/index/tables.h"

namespace contactledger {
namespace internal {

class LedgerReader {
 public:
  explicit LedgerReader(const Ledger& ledger)
      : impl_(*ledger.impl_), lock_(impl_.mu_) {}

  const EventIndex& events() const { return impl_.events_; }
  const AreaTable& areas() const { return impl_.areas_; }
  const HouseholdTable& households() const { return impl_.households_; }
  const PersonTable& persons() const { return impl_.persons_; }
  const ExposureTable& exposures() const { return impl_.exposures_; }
  const PersonEventTable& person_events(PersonList list) const {
    return impl_.person_events_[list];
  }
  const absl::TimeZone& time_zone() const { return impl_.options_.time_zone; }

  Cut CutFor(const ReadOptions& options) const {
    // A read of everything recorded (the default ReadOptions, or a Tracer
    // pinned at the last event) is the full cut: O(1), where CutFor counts
    // up to 1023 events' kinds to find the rows of a cut inside a block.
    const EventIndex& events = impl_.events_;
    if (options.sequence_limit >= events.last_sequence() &&
        options.known_at >= events.last_record_time()) {
      return events.FullCut();
    }
    return impl_.CutFor(options);
  }

 private:
  const Ledger::Impl& impl_;
  std::shared_lock<std::shared_mutex> lock_;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_QUERY_LEDGER_READER_H_
