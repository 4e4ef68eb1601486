// ViewAccess: how the library reaches behind a LedgerView
// (contactledger/ledger_view.h): the state it reads, and the questions a
// view may answer its own way (a scoped view filters and masks them). The
// public functions Tracer::Create, Contacts and AuditTrail call these.

#ifndef CONTACTLEDGER_LIB_STATE_VIEW_ACCESS_H_
#define CONTACTLEDGER_LIB_STATE_VIEW_ACCESS_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/ledger_view.h"
#include "contactledger/scope.h"
#include "contactledger/tracing.h"

namespace contactledger {
namespace internal {

class LedgerState;

class ViewAccess {
 public:
  static const LedgerState& StateOf(const LedgerView& view) {
    return view.state();
  }
  static absl::StatusOr<std::unique_ptr<Tracer>> NewTracer(
      const LedgerView& view, const QueryOptions& options) {
    return view.NewTracer(options);
  }
  static absl::StatusOr<std::vector<ContactAtDistance>> FindContacts(
      const LedgerView& view, absl::string_view person_id, int hops,
      absl::Time from, absl::Time to, const ReadOptions& read) {
    return view.FindContacts(person_id, hops, from, to, read);
  }
  static absl::StatusOr<std::vector<AuditEntry>> FindAuditTrail(
      const LedgerView& view, absl::string_view person_id,
      const ReadOptions& read) {
    return view.FindAuditTrail(person_id, read);
  }
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_STATE_VIEW_ACCESS_H_
