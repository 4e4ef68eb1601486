// The answers of a scoped view's Tracer (contactledger/scope.h).
//
// Tracer::Create over a ScopedLedger (ScopedView::NewTracer) creates an
// unscoped Tracer over the whole ledger (cases and contacts cross area lines)
// pinned at the read's cut, and wraps it in a Tracer whose TracerFilter
// (lib/query/tracer_filter.h) is made here: it keeps the persons in scope at
// that cut and shows every other person id as the view's opaque id, in
// structured fields and in free text (loop details, explanation notes, pass
// reasons).

#ifndef CONTACTLEDGER_LIB_SCOPE_SCOPED_ANSWERS_H_
#define CONTACTLEDGER_LIB_SCOPE_SCOPED_ANSWERS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"
#include "lib/query/tracer_filter.h"
#include "lib/scope/opaque_ids.h"

namespace contactledger {
namespace internal {

// What a view's answers need to know about the view.
struct ViewContext {
  const Ledger* ledger = nullptr;
  std::string area_id;
  std::shared_ptr<OpaqueIds> opaque;
};

// The filter for `inner`, an unscoped Tracer whose reads are pinned to
// `pinned` (a ReadOptions whose sequence_limit is the cut's sequence).
std::unique_ptr<const TracerFilter> NewScopedAnswers(
    const ViewContext& view, std::unique_ptr<const Tracer> inner,
    const ReadOptions& pinned);

// PermissionDenied for an id (of `what`: "person", "household", "area")
// that is not in the scope of the view of area `area_id`, worded the same
// whether the id exists or not.
absl::Status NotInScope(absl::string_view what, absl::string_view id,
                        absl::string_view area_id);

// `text` with each occurrence of an id of `replacements` (id, replacement)
// replaced, where the occurrence stands alone: the bytes just before and
// after it are not letters, digits, '-', '_' or part of a UTF-8 sequence.
std::string ReplaceIds(
    absl::string_view text,
    std::vector<std::pair<std::string, std::string>> replacements);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_SCOPE_SCOPED_ANSWERS_H_
