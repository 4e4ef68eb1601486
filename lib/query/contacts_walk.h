// The breadth-first walk behind contactledger::Contacts(), for the library's
// own callers that hold a LedgerReader already.
//
// A scoped view (lib/scope) walks only from the persons in its scope: an
// outsider reached is listed, but the walk does not go on through them.
//
//   LedgerReader reader(ledger);
//   const Cut cut = reader.CutFor(read_options);
//   absl::StatusOr<std::vector<ContactAtDistance>> contacts = WalkContacts(
//       reader, cut, "p1", 2, from, to,
//       [&](uint32_t person) { return scope.HasPerson(reader, person); });

#ifndef CONTACTLEDGER_LIB_QUERY_CONTACTS_WALK_H_
#define CONTACTLEDGER_LIB_QUERY_CONTACTS_WALK_H_

#include <cstdint>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/tracing.h"
#include "lib/index/event_index.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace internal {

// Everyone within `hops` exposures of `person_id` that overlap [from, to]
// and are visible at `cut`, read through `reader` (whose lock the caller
// holds: `may_expand` must not take it again). The walk goes on from the
// start and from each person reached (a dense person id) for whom
// `may_expand` is true; the others are listed with their hops, but their own
// exposures are not followed. Sorted by hops, then person_id; the same
// errors as contactledger::Contacts().
absl::StatusOr<std::vector<ContactAtDistance>> WalkContacts(
    const LedgerReader& reader, const Cut& cut, absl::string_view person_id,
    int hops, absl::Time from, absl::Time to,
    absl::FunctionRef<bool(uint32_t person)> may_expand);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_QUERY_CONTACTS_WALK_H_
