// TracerFilter: answers a Tracer gives in place of its own.
//
// A scoped view (contactledger/scope.h, lib/scope/) hands out ordinary
// Tracer objects whose answers are limited to the view's area. Such a Tracer
// holds a TracerFilter, and each of its public methods returns what the
// filter answers; the filter in turn asks an unscoped Tracer and removes or
// masks what lies outside the scope. TracerAccess (a friend of Tracer) builds
// such a Tracer.

#ifndef CONTACTLEDGER_LIB_QUERY_TRACER_FILTER_H_
#define CONTACTLEDGER_LIB_QUERY_TRACER_FILTER_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"

namespace contactledger {
namespace internal {

class TracerFilter {
 public:
  virtual ~TracerFilter() = default;
  virtual std::vector<RosterEntry> Roster() const = 0;
  virtual std::vector<OpenLoop> OpenLoops() const = 0;
  virtual absl::StatusOr<Explanation> Explain(
      absl::string_view person_id) const = 0;
  virtual absl::StatusOr<std::vector<AreaRollupRow>> AreaRollup(
      absl::string_view area_id) const = 0;
  virtual absl::StatusOr<PassDecision> MayPass(
      absl::string_view person_id, absl::string_view checkpoint_id) const = 0;
  virtual std::vector<TransmissionChain> TransmissionChains() const = 0;
};

class TracerAccess {
 public:
  // The Tracer of the whole ledger behind `ledger` (LedgerView::NewTracer).
  static absl::StatusOr<std::unique_ptr<Tracer>> Compute(
      const LedgerView& ledger, const QueryOptions& options);
  // A Tracer over `ledger` whose answers all come from `filter` and whose
  // options() are `options`.
  static std::unique_ptr<Tracer> Filtered(
      const LedgerView& ledger, const QueryOptions& options,
      std::unique_ptr<const TracerFilter> filter);
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_QUERY_TRACER_FILTER_H_
