// The messages of a ledger's stream (replication.proto's ShippedBatches):
// the hash chain over the log's batches, and the checks a reader makes on a
// message before anything of it is used (docs/replication.md).

#ifndef CONTACTLEDGER_LIB_REPLICATION_SHIPPED_BATCHES_H_
#define CONTACTLEDGER_LIB_REPLICATION_SHIPPED_BATCHES_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "contactledger/replication.h"
#include "contactledger/v1/replication.pb.h"
#include "contactledger/v1/storage.pb.h"
#include "google/protobuf/arena.h"

namespace contactledger {
namespace internal {

// A link of the chain: 32 bytes, all zero before the ledger's first batch.
using ChainHash = std::array<uint8_t, 32>;

inline ChainHash ZeroHash() { return ChainHash{}; }
std::string HashBytes(const ChainHash& hash);
std::string HashHex(const ChainHash& hash);

// The hash after batch [first, last] whose logged bytes are `bytes`,
// following `previous`: SHA-256(previous || u64le(first) || u64le(last) ||
// u64le(size) || bytes).
ChainHash ChainNext(const ChainHash& previous, uint64_t first, uint64_t last,
                    absl::string_view bytes);

// The message id of a message (the stream's deduplication key):
// "<id>:<first>" or, for part k of a split batch, "<id>:<first>:<k>".
std::string MessageId(const v1::ShippedBatches& message);

// Stream message `stream_sequence` decoded, for reading its head only (no
// check of its batches): DataLoss when it does not parse or is a message of
// another ledger than `ledger_id`.
absl::StatusOr<v1::ShippedBatches> DecodeMessage(absl::string_view data,
                                                 uint64_t stream_sequence,
                                                 const std::string& ledger_id);

// The head of a stream of `messages` messages whose last is `last`.
StreamHead HeadAfter(const v1::ShippedBatches& last, uint64_t messages);

// A message checked to follow a reader at (`applied`, `hash`): the decoded
// batches, and the chain after them. The batches live on the message's
// arena: one allocation per block, not one per event and body, and freed at
// once (a follower parses every event its ledger ever records).
struct CheckedMessage {
  v1::ShippedBatches message;  // its batches moved to `logged`
  std::unique_ptr<google::protobuf::Arena> arena;
  std::vector<const v1::EventBatch*> batches;  // empty for a part but the last
  std::vector<std::string> logged;             // each batch's bytes as logged
  ChainHash hash;                              // after the last whole batch
};

// The parts of a split batch read so far (the reader keeps it between
// messages).
struct PendingParts {
  uint32_t next = 0;   // the part expected next; 0: none pending
  uint32_t parts = 0;  // of the batch
  std::string bytes;   // the parts so far, joined
};

// Decodes stream message `stream_sequence` and checks, before anything of
// it is applied: the ledger id; that its events follow `applied` with no
// gap and each batch's events number on with no gap and share one record
// time; that it follows `hash`; and that its hash is the chain over its
// batches. A part of a split batch is added to `pending` and gives no
// batch until the last part. DataLoss naming the stream sequence and what
// was wrong otherwise (`pending` is then unchanged). With `reuse`, a message
// checked before and done with, its arena is reset and used again.
absl::StatusOr<CheckedMessage> CheckMessage(
    absl::string_view data, uint64_t stream_sequence,
    const std::string& ledger_id, uint64_t applied, const ChainHash& hash,
    PendingParts* pending, CheckedMessage* reuse = nullptr);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_REPLICATION_SHIPPED_BATCHES_H_
