// The names of a ledger's stream, and its head read without a Shipper or
// Follower (contactledger/replication.h).

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "contactledger/replication.h"
#include "lib/replication/nats_stream.h"
#include "lib/replication/shipped_batches.h"

namespace contactledger {

std::string LedgerStreamName(absl::string_view ledger_id) {
  return absl::StrCat("LEDGER_", ledger_id);
}

std::string LedgerStreamSubject(absl::string_view ledger_id) {
  return absl::StrCat("ledger.", ledger_id, ".events");
}

absl::StatusOr<StreamHead> ReadStreamHead(const NatsOptions& nats,
                                          const std::string& ledger_id) {
  absl::StatusOr<std::unique_ptr<internal::NatsStream>> stream =
      internal::NatsStream::Connect(nats, ledger_id, /*create=*/false);
  if (!stream.ok()) return stream.status();
  absl::StatusOr<uint64_t> last = (*stream)->LastSequence();
  if (!last.ok()) return last.status();
  if (*last == 0) return StreamHead();
  absl::StatusOr<internal::StreamMessage> data = (*stream)->Get(*last);
  if (!data.ok()) return data.status();
  absl::StatusOr<v1::ShippedBatches> message =
      internal::DecodeMessage(data->data, *last, ledger_id);
  if (!message.ok()) return message.status();
  return internal::HeadAfter(*message, *last);
}

}  // namespace contactledger
