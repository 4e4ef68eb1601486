// FindImports (contactledger/import.h): the imports the event index
// remembers by content, as one read sees them.

#include <string>
#include <utility>
#include <vector>

#include "contactledger/import.h"
#include "lib/state/reader.h"

namespace contactledger {

std::vector<ImportRecord> FindImports(const LedgerView& ledger,
                                      absl::string_view sha256,
                                      const ReadOptions& options) {
  std::vector<ImportRecord> found;
  {
    internal::LedgerReader reader(ledger);
    const internal::EventIndex& events = reader.events();
    const internal::Cut cut = reader.CutFor(options);
    for (uint64_t first : events.ImportsOf(sha256)) {
      v1::ImportSource source;
      if (first > cut.sequence || !events.ImportAt(first, &source)) continue;
      ImportRecord record;
      record.file_name = source.file_name();
      record.sha256 = source.sha256();
      record.first_sequence = first;
      record.last_sequence = first + source.events() - 1;
      record.record_time = events.RecordTimeOf(first);
      record.actor = std::string(events.ActorOf(first));
      found.push_back(std::move(record));
    }
  }
  // A scoped view shows only the imports whose first event it shows.
  std::vector<ImportRecord> shown;
  for (ImportRecord& record : found) {
    if (ledger.GetEvent(record.first_sequence, options).ok()) {
      shown.push_back(std::move(record));
    }
  }
  return shown;
}

}  // namespace contactledger
