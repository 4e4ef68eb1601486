// Follower: keeps a read-only replica of a ledger from its stream (see
// contactledger/replication.h and docs/replication.md).
//
// Where to start: a new replica at the stream's first message; one with
// events (a directory reopened) at the first message holding an event it
// lacks, found by a binary search over the stream (messages hold
// increasing sequence numbers), with the chain taken from the message
// before. Each message is checked whole (CheckMessage) before any of its
// batches is applied with RecordLoggedBatch; a batch the replica holds
// already (it stopped inside a message) is checked and skipped.
//
// Poll is a two-stage pipeline: a reader thread takes messages from the
// stream and checks them (parse, continuity, the SHA-256 chain) while the
// calling thread applies the ones checked before (validation, the
// indexes). A bounded queue between them keeps the reader at most
// kReadAheadBytes ahead. The reader stops where the old single loop did (no
// message within the wait), so a Poll still applies everything that had
// arrived; a message that fails its checks ends the queue, after the
// messages before it.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "contactledger/privacy.h"
#include "contactledger/replication.h"
#include "contactledger/v1/replication.pb.h"
#include "lib/core/ledger_impl.h"
#include "lib/core/manifest.h"
#include "lib/replication/lease.h"
#include "lib/replication/nats_stream.h"
#include "lib/replication/shipped_batches.h"
#include "lib/util/time_util.h"

namespace contactledger {

Follower::~Follower() = default;

namespace {

using internal::ChainHash;

// How far the reader may run ahead of the applier, in message bytes.
constexpr size_t kReadAheadBytes = size_t{32} << 20;

// The queue from Poll's reader to its applier: checked messages, then an
// end (nothing more within the wait) or the reader's error. The applier may
// abandon it (after an apply failed), which stops the reader.
class CheckedQueue {
 public:
  struct Item {
    internal::CheckedMessage checked;
    uint64_t stream_sequence = 0;
    size_t bytes = 0;  // the message's
  };

  // Blocks while the queue is full; false once abandoned.
  bool Push(Item item) {
    std::unique_lock<std::mutex> lock(mu_);
    room_.wait(lock, [&] {
      return abandoned_ || items_.empty() || bytes_ + item.bytes <= kLimit;
    });
    if (abandoned_) return false;
    bytes_ += item.bytes;
    items_.push_back(std::move(item));
    ready_.notify_one();
    return true;
  }

  // The reader is done: `status` is OK at the end of what arrived; `bad`
  // when a message failed its checks (the Follower stops for good), not
  // when the stream could not be read (a later Poll tries again).
  void Close(absl::Status status, bool bad) {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    status_ = std::move(status);
    bad_ = bad;
    ready_.notify_one();
  }

  // The next item; nullopt once the queue is closed and empty (then
  // status() says why it ended).
  std::optional<Item> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    Item item = std::move(items_.front());
    items_.pop_front();
    bytes_ -= item.bytes;
    room_.notify_one();
    return item;
  }

  // A message applied and done with, whose batches the reader may parse
  // the next messages into (CheckMessage's `reuse`).
  void Recycle(internal::CheckedMessage done) {
    std::lock_guard<std::mutex> lock(mu_);
    if (recycled_.size() < kRecycled) recycled_.push_back(std::move(done));
  }
  std::optional<internal::CheckedMessage> TakeRecycled() {
    std::lock_guard<std::mutex> lock(mu_);
    if (recycled_.empty()) return std::nullopt;
    internal::CheckedMessage done = std::move(recycled_.back());
    recycled_.pop_back();
    return done;
  }

  void Abandon() {
    std::lock_guard<std::mutex> lock(mu_);
    abandoned_ = true;
    room_.notify_one();
  }

  // Why the reader ended, once Pop gave nullopt; bad_message() as Close.
  absl::Status status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }
  bool bad_message() {
    std::lock_guard<std::mutex> lock(mu_);
    return bad_;
  }

 private:
  static constexpr size_t kLimit = kReadAheadBytes;
  static constexpr size_t kRecycled = 4;
  std::mutex mu_;
  std::condition_variable ready_;
  std::condition_variable room_;
  std::deque<Item> items_;
  std::vector<internal::CheckedMessage> recycled_;
  size_t bytes_ = 0;
  bool closed_ = false;
  bool abandoned_ = false;
  absl::Status status_;
  bool bad_ = false;
};

class FollowerImpl final : public Follower {
 public:
  FollowerImpl(std::string ledger_id, std::string directory,
               LedgerOptions options, std::unique_ptr<Ledger> ledger,
               std::unique_ptr<internal::NatsStream> stream)
      : ledger_id_(std::move(ledger_id)),
        directory_(std::move(directory)),
        options_(std::move(options)),
        ledger_(std::move(ledger)),
        stream_(std::move(stream)) {}

  // Finds the stream message to go on from and starts reading there.
  absl::Status Start();

  absl::StatusOr<uint64_t> Poll(absl::Duration wait) override;
  absl::StatusOr<FollowerLag> Lag() override;
  Ledger& ledger() override { return *ledger_; }
  absl::StatusOr<Promoted> Promote(const ShipOptions& ship) override;

 private:
  // The decoded stream message `sequence`.
  absl::StatusOr<v1::ShippedBatches> Message(uint64_t sequence);
  // Poll's reader: takes messages from the stream, waiting up to `wait` for
  // the first, checks each and queues it, until none is there.
  void ReadAhead(absl::Duration wait, CheckedQueue* queue);
  // Checks the stream's next message (advancing the reader's position),
  // parsing into `reuse` when given (CheckMessage).
  absl::StatusOr<internal::CheckedMessage> Check(
      const internal::StreamMessage& data, internal::CheckedMessage* reuse);
  // Applies one checked message.
  absl::Status Apply(const internal::CheckedMessage& checked,
                     uint64_t stream_sequence);

  const std::string ledger_id_;
  const std::string directory_;
  const LedgerOptions options_;  // the replica's
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<internal::NatsStream> stream_;
  // The reader's position (Poll's reader thread owns these while it runs).
  uint64_t next_message_ = 1;  // the stream sequence to check next
  uint64_t checked_ = 0;       // the last event of the messages checked
  ChainHash hash_ = internal::ZeroHash();  // after event checked_
  internal::PendingParts pending_;
  absl::Status broken_;
};

absl::StatusOr<v1::ShippedBatches> FollowerImpl::Message(uint64_t sequence) {
  absl::StatusOr<internal::StreamMessage> data = stream_->Get(sequence);
  if (!data.ok()) return data.status();
  return internal::DecodeMessage(data->data, sequence, ledger_id_);
}

absl::Status FollowerImpl::Start() {
  const std::string& directory = directory_;
  const uint64_t applied = ledger_->last_sequence_number();
  if (applied > 0) {
    absl::StatusOr<uint64_t> last = stream_->LastSequence();
    if (!last.ok()) return last.status();
    // The first message whose last event the replica lacks.
    uint64_t low = 1;
    uint64_t high = *last + 1;
    while (low < high) {
      const uint64_t mid = low + (high - low) / 2;
      absl::StatusOr<v1::ShippedBatches> message = Message(mid);
      if (!message.ok()) return message.status();
      if (message->last_sequence() > applied) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    auto refuse = [&](absl::string_view why) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the replica in ", directory.empty() ? "memory" : directory,
          " holds events up to ", applied, ", but ", why,
          ": it is not a replica of ledger '", ledger_id_, "' as ",
          stream_->name(), " holds it"));
    };
    if (low > *last) {
      if (*last == 0) return refuse("the stream is empty");
      absl::StatusOr<v1::ShippedBatches> message = Message(*last);
      if (!message.ok()) return message.status();
      if (message->last_sequence() != applied) {
        return refuse(absl::StrCat("the stream's last event is ",
                                   message->last_sequence()));
      }
      next_message_ = *last + 1;
      checked_ = applied;
      std::copy(message->hash().begin(), message->hash().end(), hash_.begin());
    } else {
      absl::StatusOr<v1::ShippedBatches> message = Message(low);
      if (!message.ok()) return message.status();
      if (message->first_sequence() > applied + 1 ||
          (message->parts() > 0 && message->part() != 0)) {
        return refuse(absl::StrCat("stream message ", low, " begins at event ",
                                   message->first_sequence()));
      }
      // From the start of the message holding the next event: the chain
      // before it, its batches the replica holds skipped when applied.
      next_message_ = low;
      checked_ = message->first_sequence() - 1;
      if (message->previous_hash().size() != hash_.size()) {
        return refuse(absl::StrCat("stream message ", low, " has no hash"));
      }
      std::copy(message->previous_hash().begin(),
                message->previous_hash().end(), hash_.begin());
    }
  }
  return stream_->ReadFrom(next_message_);
}

absl::StatusOr<internal::CheckedMessage> FollowerImpl::Check(
    const internal::StreamMessage& data, internal::CheckedMessage* reuse) {
  if (data.sequence != next_message_) {
    return absl::DataLossError(absl::StrCat(
        stream_->name(), ": message ", data.sequence, " came where message ",
        next_message_, " belongs; nothing applied"));
  }
  absl::StatusOr<internal::CheckedMessage> checked = internal::CheckMessage(
      data.data, data.sequence, ledger_id_, checked_, hash_, &pending_, reuse);
  if (!checked.ok()) return checked.status();
  if (!checked->batches.empty()) {
    checked_ = checked->message.last_sequence();
    hash_ = checked->hash;
  }
  ++next_message_;
  return checked;
}

void FollowerImpl::ReadAhead(absl::Duration wait, CheckedQueue* queue) {
  absl::Duration next_wait = wait;
  while (true) {
    absl::StatusOr<std::optional<internal::StreamMessage>> data =
        stream_->Next(next_wait);
    if (!data.ok()) return queue->Close(data.status(), /*bad=*/false);
    if (!data->has_value()) break;
    std::optional<internal::CheckedMessage> reuse = queue->TakeRecycled();
    absl::StatusOr<internal::CheckedMessage> checked =
        Check(**data, reuse.has_value() ? &*reuse : nullptr);
    if (!checked.ok()) return queue->Close(checked.status(), /*bad=*/true);
    CheckedQueue::Item item;
    item.checked = std::move(*checked);
    item.stream_sequence = (*data)->sequence;
    item.bytes = (*data)->data.size();
    if (!queue->Push(std::move(item))) return;
    next_wait = absl::ZeroDuration();
  }
  queue->Close(absl::OkStatus(), /*bad=*/false);
}

absl::Status FollowerImpl::Apply(const internal::CheckedMessage& checked,
                                 uint64_t stream_sequence) {
  // Logged byte for byte as the writer logged them: the replica's log is
  // the writer's, so that a promoted replica ships on from the same chain.
  LedgerImpl& replica = static_cast<LedgerImpl&>(*ledger_);
  for (size_t b = 0; b < checked.batches.size(); ++b) {
    const v1::EventBatch& batch = *checked.batches[b];
    // Held already (the replica stopped inside this message before).
    if (batch.events(batch.events_size() - 1).sequence_number() <=
        ledger_->last_sequence_number()) {
      continue;
    }
    if (absl::Status s =
            replica.RecordLoggedBatch(batch, checked.logged[b], {});
        !s.ok()) {
      return absl::DataLossError(absl::StrCat(
          stream_->name(), ": message ", stream_sequence,
          " passed its checks but the replica refused a batch of it: ",
          s.message()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> FollowerImpl::Poll(absl::Duration wait) {
  if (!broken_.ok()) return broken_;
  CheckedQueue queue;
  std::thread reader([&] { ReadAhead(wait, &queue); });
  absl::Status applied;
  while (std::optional<CheckedQueue::Item> item = queue.Pop()) {
    applied = Apply(item->checked, item->stream_sequence);
    if (!applied.ok()) {
      queue.Abandon();
      break;
    }
    queue.Recycle(std::move(item->checked));
  }
  reader.join();
  if (!applied.ok()) {
    broken_ = applied;
    return applied;
  }
  if (absl::Status read = queue.status(); !read.ok()) {
    if (queue.bad_message()) broken_ = read;
    return read;
  }
  return ledger_->last_sequence_number();
}

absl::StatusOr<FollowerLag> FollowerImpl::Lag() {
  FollowerLag lag;
  lag.applied = ledger_->last_sequence_number();
  absl::StatusOr<uint64_t> last = stream_->LastSequence();
  if (!last.ok()) return last.status();
  if (*last == 0) return lag;
  absl::StatusOr<v1::ShippedBatches> message = Message(*last);
  if (!message.ok()) return message.status();
  const StreamHead head = internal::HeadAfter(*message, *last);
  lag.stream_last = head.last_event;
  if (lag.stream_last <= lag.applied) return lag;
  lag.events_behind = lag.stream_last - lag.applied;
  absl::Time applied_time = absl::InfinitePast();
  if (lag.applied > 0) {
    absl::StatusOr<v1::LedgerEvent> event = ledger_->GetEvent(lag.applied);
    if (event.ok()) applied_time = internal::ToTime(event->record_time());
  }
  lag.behind = applied_time == absl::InfinitePast()
                   ? absl::InfiniteDuration()
                   : head.record_time - applied_time;
  return lag;
}

absl::StatusOr<Follower::Promoted> FollowerImpl::Promote(
    const ShipOptions& ship) {
  if (!broken_.ok()) return broken_;
  broken_ = absl::FailedPreconditionError(
      "this Follower was promoted (Follower::Promote): use the ledger it "
      "returned");
  if (directory_.empty()) {
    return absl::FailedPreconditionError(
        "a replica in memory cannot be promoted: it has no log to ship; "
        "follow in a directory");
  }
  // Everything shipped, applied.
  while (true) {
    absl::StatusOr<FollowerLag> lag = Lag();
    if (!lag.ok()) return lag.status();
    if (lag->events_behind == 0) break;
    absl::StatusOr<uint64_t> applied = Poll(absl::Seconds(1));
    if (!applied.ok()) return applied.status();
  }
  absl::StatusOr<std::unique_ptr<internal::Lease>> lease =
      internal::Lease::Open(*stream_);
  if (!lease.ok()) return lease.status();
  absl::StatusOr<std::optional<v1::WriterLease>> current = (*lease)->Current();
  if (!current.ok()) return current.status();
  if (current->has_value() &&
      internal::ToTime((*current)->expires()) > absl::Now()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "ledger '", ledger_id_, "' is written by '", (*current)->writer(),
        "' until ",
        absl::FormatTime(absl::RFC3339_sec,
                         internal::ToTime((*current)->expires()),
                         absl::UTCTimeZone()),
        ": a follower is promoted only once the writer's lease has lapsed"));
  }
  lease->reset();
  stream_.reset();
  ledger_.reset();
  LedgerOptions writable = options_;
  writable.replica = false;
  if (absl::Status s = internal::SetReplicaMark(options_.env, directory_,
                                                /*replica=*/false);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(writable, directory_);
  if (!ledger.ok()) return ledger.status();
  ShipOptions ship_options = ship;
  ship_options.writer_ledger = ledger->get();
  absl::StatusOr<std::unique_ptr<Shipper>> shipper =
      Shipper::Create(directory_, ship_options);
  if (!shipper.ok()) return shipper.status();
  Promoted promoted;
  promoted.ledger = std::move(*ledger);
  promoted.shipper = std::move(*shipper);
  return promoted;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Follower>> Follower::Open(
    const std::string& ledger_id, const std::string& directory,
    const FollowOptions& options) {
  absl::StatusOr<std::unique_ptr<internal::NatsStream>> stream =
      internal::NatsStream::Connect(options.nats, ledger_id, /*create=*/true);
  if (!stream.ok()) return stream.status();
  LedgerOptions ledger_options = options.ledger;
  ledger_options.ledger_id = ledger_id;
  ledger_options.replica = true;
  // The writer's settings, from the stream's first message (a directory
  // that has its own keeps them: Open refuses a contradiction).
  absl::StatusOr<uint64_t> last = (*stream)->LastSequence();
  if (!last.ok()) return last.status();
  if (*last > 0) {
    absl::StatusOr<internal::StreamMessage> first = (*stream)->Get(1);
    if (!first.ok()) return first.status();
    v1::ShippedBatches message;
    if (!message.ParseFromString(first->data)) {
      return absl::DataLossError(absl::StrCat(
          "stream message 1 of ", (*stream)->name(), " does not parse"));
    }
    if (!ledger_options.time_zone.has_value() && !message.time_zone().empty()) {
      absl::TimeZone zone;
      if (!absl::LoadTimeZone(message.time_zone(), &zone)) {
        return absl::DataLossError(
            absl::StrCat("stream message 1 of ", (*stream)->name(),
                         ": unknown time zone '", message.time_zone(), "'"));
      }
      ledger_options.time_zone = zone;
    }
    if (!ledger_options.identity_rules.has_value() &&
        !message.identity_rules().empty()) {
      absl::StatusOr<IdentityRules> rules =
          ParseIdentityRules(message.identity_rules());
      if (!rules.ok()) return rules.status();
      ledger_options.identity_rules = *rules;
    }
  }
  std::unique_ptr<Ledger> ledger;
  if (directory.empty()) {
    ledger = Ledger::New(ledger_options);
  } else {
    absl::StatusOr<std::unique_ptr<Ledger>> opened =
        Ledger::Open(ledger_options, directory);
    if (!opened.ok()) return opened.status();
    ledger = std::move(*opened);
  }
  auto follower =
      std::make_unique<FollowerImpl>(ledger_id, directory, ledger_options,
                                     std::move(ledger), std::move(*stream));
  if (absl::Status s = follower->Start(); !s.ok()) return s;
  // Its events are the stream's: from now on the directory is a replica,
  // whoever opens it (a new one was made so).
  if (!directory.empty()) {
    if (absl::Status s = internal::SetReplicaMark(ledger_options.env, directory,
                                                  /*replica=*/true);
        !s.ok()) {
      return s;
    }
  }
  return std::unique_ptr<Follower>(std::move(follower));
}

}  // namespace contactledger
