// NatsStream: one ledger's JetStream stream, over libnats (the C client).
//
// Connects to the cluster (natsOptions_SetServers: the client fails over
// between the nodes), creates or finds stream LEDGER_<id> on subject
// ledger.<id>.events, and offers the few operations replication needs:
// the stream's last sequence, a message by sequence, an exactly-once
// publish (MsgId plus the expected last stream sequence), and an ordered
// consumer from a stream sequence on. Every operation is retried while the
// cluster has no leader for the stream (after a node died), up to
// NatsOptions::retry_for; errors are absl::Status naming the stream, the
// operation and libnats's text.

#ifndef CONTACTLEDGER_LIB_REPLICATION_NATS_STREAM_H_
#define CONTACTLEDGER_LIB_REPLICATION_NATS_STREAM_H_

#include <nats/nats.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "contactledger/replication.h"

namespace contactledger {
namespace internal {

// Failures that pass once the cluster has a leader for the stream again
// (a node died; an election takes seconds). "No responders" comes with
// JetStream's code 10076 ("not enabled") from libnats 3.4.
inline bool Transient(natsStatus status, jsErrCode code) {
  switch (status) {
    case NATS_NO_RESPONDERS:
    case NATS_TIMEOUT:
    case NATS_CONNECTION_DISCONNECTED:
    case NATS_NO_SERVER:
      return true;
    default:
      break;
  }
  return code == JSNotEnabledErr || code == JSClusterNotAvailErr ||
         code == JSStreamStoreFailedErr;
}

// Runs `op` (returning natsStatus, setting *code) until it succeeds, fails
// for good, or `retry_for` has passed.
template <typename Op>
natsStatus Retrying(absl::Duration retry_for, jsErrCode* code, Op op) {
  const absl::Time deadline = absl::Now() + retry_for;
  while (true) {
    *code = static_cast<jsErrCode>(0);
    const natsStatus status = op();
    if (status == NATS_OK || !Transient(status, *code) ||
        absl::Now() >= deadline) {
      return status;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
}

// One message read from the stream.
struct StreamMessage {
  uint64_t sequence = 0;  // the stream's
  std::string data;
};

// The outcome of a publish the stream acknowledged.
struct PublishAck {
  uint64_t sequence = 0;   // the message's stream sequence
  bool duplicate = false;  // a retry of a message stored before
};

class NatsStream {
 public:
  // Connects and finds the stream of `ledger_id`, creating it when
  // `create` (NotFound when missing and !create).
  static absl::StatusOr<std::unique_ptr<NatsStream>> Connect(
      const NatsOptions& options, const std::string& ledger_id, bool create);

  ~NatsStream();
  NatsStream(const NatsStream&) = delete;
  NatsStream& operator=(const NatsStream&) = delete;

  const std::string& name() const { return name_; }
  const NatsOptions& options() const { return options_; }
  // The JetStream context, for the writer's lease (lease.h).
  jsCtx* js() const { return js_; }

  // The stream's last sequence (0 when empty).
  absl::StatusOr<uint64_t> LastSequence();

  // Message `sequence`; NotFound when the stream has none such.
  absl::StatusOr<StreamMessage> Get(uint64_t sequence);

  // Publishes `data` with message id `msg_id`, to be stored right after
  // stream sequence `expected_last` (0: the stream must be empty). A retry
  // of a message stored before returns its ack with duplicate set;
  // FailedPrecondition naming the expectation when the stream's last
  // sequence is another (someone else published).
  absl::StatusOr<PublishAck> Publish(absl::string_view data,
                                     const std::string& msg_id,
                                     uint64_t expected_last);

  // Reading in order: starts (or restarts) an ordered consumer at stream
  // sequence `from`, then Next returns each message, or nullopt when none
  // came within `wait`.
  absl::Status ReadFrom(uint64_t from);
  absl::StatusOr<std::optional<StreamMessage>> Next(absl::Duration wait);

 private:
  NatsStream(const NatsOptions& options, std::string ledger_id);
  absl::Status Open(bool create);
  // An error naming the stream, the operation and libnats's text.
  absl::Status Error(absl::string_view what, natsStatus status,
                     jsErrCode code) const;

  NatsOptions options_;
  std::string ledger_id_;
  std::string name_;
  std::string subject_;
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
  natsSubscription* subscription_ = nullptr;
  uint64_t next_ = 0;  // the next sequence the consumer should deliver
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_REPLICATION_NATS_STREAM_H_
