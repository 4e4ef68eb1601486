// Shipper: publishes a durable ledger's logged batches to its stream (see
// contactledger/replication.h and docs/replication.md).
//
// The stream is checked against the log when the Shipper is made: the
// chain over the log's batches up to the stream's last event must be the
// stream's last hash. Then each Ship() reads the log on from there
// (LoggedBatches), groups whole batches into messages up to
// max_message_bytes (a larger batch goes in parts), and publishes each with
// its MsgId and the stream sequence it must follow, so that a retry is a
// duplicate and any other publisher is noticed.

#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "contactledger/env.h"
#include "contactledger/replication.h"
#include "contactledger/v1/replication.pb.h"
#include "contactledger/v1/storage.pb.h"
#include "lib/core/logged_batches.h"
#include "lib/core/manifest.h"
#include "lib/replication/lease.h"
#include "lib/replication/nats_stream.h"
#include "lib/replication/shipped_batches.h"
#include "lib/util/time_util.h"

namespace contactledger {

Shipper::~Shipper() = default;

namespace {

using internal::ChainHash;
using internal::LoggedBatch;

// The record time of a logged batch's events.
absl::Time RecordTimeOf(absl::string_view bytes) {
  v1::EventBatch batch;
  if (!batch.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      batch.events_size() == 0) {
    return absl::InfinitePast();
  }
  return internal::ToTime(batch.events(0).record_time());
}

class ShipperImpl final : public Shipper {
 public:
  ShipperImpl(std::string directory, const ShipOptions& options,
              v1::LedgerManifest manifest,
              std::unique_ptr<internal::NatsStream> stream)
      : directory_(std::move(directory)),
        options_(options),
        manifest_(std::move(manifest)),
        ledger_id_(manifest_.ledger_id()),
        stream_(std::move(stream)) {}

  // Finds where the stream stands, checks it against the log, and takes
  // the writer's lease.
  absl::Status Start();

  absl::StatusOr<ShipReport> Ship() override;
  const std::string& ledger_id() const override { return ledger_id_; }
  StreamHead head() const override { return head_; }

 private:
  // Stops this Shipper for good with `status`, and fences the writer.
  absl::Status Fence(absl::Status status) {
    fenced_ = status;
    if (options_.writer_ledger != nullptr) {
      options_.writer_ledger->Fence(status);
    }
    return status;
  }
  // Renews the lease when a third of it has passed.
  absl::Status KeepLease() {
    if (absl::Now() < lease_->expires() - options_.lease * 2 / 3) {
      return absl::OkStatus();
    }
    absl::Status s = lease_->Renew(options_.lease, head_.last_event);
    if (absl::IsFailedPrecondition(s)) return Fence(s);
    return s;
  }
  // FailedPrecondition naming both heads; nothing is published after it.
  absl::Status Refuse(absl::string_view why, uint64_t log_last) {
    return Fence(absl::FailedPreconditionError(absl::StrCat(
        "ledger '", ledger_id_, "' in ", directory_, ": ", why, " (the stream ",
        stream_->name(), " holds events up to ", head_.last_event, " in ",
        head_.messages, " messages; the log, events up to ", log_last,
        "); nothing published")));
  }
  // Publishes `message` as the stream's next, recording it in head_.
  absl::Status Publish(v1::ShippedBatches& message, ShipReport* report);
  // Publishes group_ as one message; keeps it when that fails.
  absl::Status PublishGroup(ShipReport* report);
  // Publishes `batch` in parts, from part `from_part` on.
  absl::Status PublishParts(const LoggedBatch& batch, uint32_t from_part,
                            ShipReport* report);

  const std::string directory_;
  const ShipOptions options_;
  const v1::LedgerManifest manifest_;
  const std::string ledger_id_;
  std::unique_ptr<internal::NatsStream> stream_;
  std::unique_ptr<internal::Lease> lease_;
  std::unique_ptr<internal::LoggedBatches> log_;
  StreamHead head_;
  ChainHash hash_ = internal::ZeroHash();
  // Batches read from the log and not in the stream yet: the next
  // message's (whole batches), and one that did not fit it.
  std::vector<LoggedBatch> group_;
  size_t group_bytes_ = 0;
  std::optional<LoggedBatch> held_;
  // A split batch whose first parts are in the stream: the next part.
  uint32_t resume_part_ = 0;
  absl::Status fenced_;
};

absl::Status ShipperImpl::Start() {
  absl::StatusOr<uint64_t> last = stream_->LastSequence();
  if (!last.ok()) return last.status();
  head_.messages = *last;
  ChainHash expected = internal::ZeroHash();
  if (*last > 0) {
    absl::StatusOr<internal::StreamMessage> data = stream_->Get(*last);
    if (!data.ok()) return data.status();
    absl::StatusOr<v1::ShippedBatches> message =
        internal::DecodeMessage(data->data, *last, ledger_id_);
    if (!message.ok()) return Refuse(message.status().message(), 0);
    head_ = internal::HeadAfter(*message, *last);
    // A split batch shipped in part: the parts left follow.
    if (head_.partial_batch) resume_part_ = message->part() + 1;
    const std::string& bytes =
        resume_part_ > 0 ? message->previous_hash() : message->hash();
    if (bytes.size() != expected.size()) {
      return Refuse(absl::StrCat("stream message ", *last, " has no hash"), 0);
    }
    std::copy(bytes.begin(), bytes.end(), expected.begin());
  }
  // The chain over the log up to the stream's last event.
  log_ =
      std::make_unique<internal::LoggedBatches>(Env::Default(), directory_, 1);
  LoggedBatch batch;
  while (log_->next_sequence() <= head_.last_event) {
    absl::StatusOr<bool> more = log_->Next(&batch);
    if (!more.ok()) return more.status();
    if (!*more) {
      return Refuse("the stream is ahead of the log",
                    log_->next_sequence() - 1);
    }
    if (batch.last > head_.last_event) {
      return Refuse(absl::StrCat("the stream holds batches that are not this "
                                 "log's: it ends at event ",
                                 head_.last_event, ", inside the log's batch ",
                                 batch.first, "-", batch.last),
                    batch.last);
    }
    hash_ = internal::ChainNext(hash_, batch.first, batch.last, batch.bytes);
  }
  if (hash_ != expected) {
    return Refuse(
        absl::StrCat("the stream holds batches that are not this "
                     "log's: its chain at event ",
                     head_.last_event, " is ", internal::HashHex(expected),
                     ", the log's ", internal::HashHex(hash_)),
        head_.last_event);
  }
  absl::StatusOr<std::unique_ptr<internal::Lease>> lease =
      internal::Lease::Open(*stream_);
  if (!lease.ok()) return lease.status();
  lease_ = std::move(*lease);
  std::string writer = options_.writer;
  if (writer.empty()) {
    char host[256] = {};
    ::gethostname(host, sizeof(host) - 1);
    writer = absl::StrCat(host, ":", directory_);
  }
  return lease_->Take(writer, options_.lease, head_.last_event);
}

absl::Status ShipperImpl::Publish(v1::ShippedBatches& message,
                                  ShipReport* report) {
  if (absl::Status s = KeepLease(); !s.ok()) return s;
  message.set_ledger_id(ledger_id_);
  message.set_time_zone(manifest_.time_zone());
  message.set_identity_rules(manifest_.identity_rules());
  const std::string id = internal::MessageId(message);
  absl::StatusOr<internal::PublishAck> ack =
      stream_->Publish(message.SerializeAsString(), id, head_.messages);
  if (!ack.ok()) {
    if (absl::IsFailedPrecondition(ack.status())) {
      return Refuse(absl::StrCat("another publisher wrote to the stream: ",
                                 ack.status().message()),
                    message.last_sequence());
    }
    return ack.status();
  }
  if (ack->sequence != head_.messages + 1) {
    return Refuse(
        absl::StrCat("the stream acknowledged message ", id, " as its message ",
                     ack->sequence, ", not as the next"),
        message.last_sequence());
  }
  head_.messages = ack->sequence;
  ++report->messages;
  return absl::OkStatus();
}

absl::Status ShipperImpl::PublishGroup(ShipReport* report) {
  if (group_.empty()) return absl::OkStatus();
  v1::ShippedBatches message;
  message.set_first_sequence(group_.front().first);
  message.set_last_sequence(group_.back().last);
  internal::SetTimestamp(RecordTimeOf(group_.back().bytes),
                         message.mutable_record_time());
  message.set_previous_hash(internal::HashBytes(hash_));
  ChainHash chain = hash_;
  for (const LoggedBatch& batch : group_) {
    chain = internal::ChainNext(chain, batch.first, batch.last, batch.bytes);
    message.add_batches(batch.bytes);
  }
  message.set_hash(internal::HashBytes(chain));
  if (absl::Status s = Publish(message, report); !s.ok()) return s;
  hash_ = chain;
  head_.last_event = message.last_sequence();
  head_.record_time = internal::ToTime(message.record_time());
  report->batches += group_.size();
  report->events += message.last_sequence() - message.first_sequence() + 1;
  group_.clear();
  group_bytes_ = 0;
  return absl::OkStatus();
}

absl::Status ShipperImpl::PublishParts(const LoggedBatch& batch,
                                       uint32_t from_part, ShipReport* report) {
  const size_t part_bytes = std::max<size_t>(options_.max_message_bytes, 1);
  const uint32_t parts =
      static_cast<uint32_t>((batch.bytes.size() + part_bytes - 1) / part_bytes);
  const ChainHash chain =
      internal::ChainNext(hash_, batch.first, batch.last, batch.bytes);
  const absl::Time record_time = RecordTimeOf(batch.bytes);
  for (uint32_t part = from_part; part < parts; ++part) {
    v1::ShippedBatches message;
    message.set_first_sequence(batch.first);
    message.set_last_sequence(batch.last);
    internal::SetTimestamp(record_time, message.mutable_record_time());
    message.set_previous_hash(internal::HashBytes(hash_));
    message.set_part(part);
    message.set_parts(parts);
    message.add_batches(batch.bytes.substr(part * part_bytes, part_bytes));
    if (part + 1 == parts) message.set_hash(internal::HashBytes(chain));
    if (absl::Status s = Publish(message, report); !s.ok()) return s;
    resume_part_ = part + 1 < parts ? part + 1 : 0;
  }
  hash_ = chain;
  head_.last_event = batch.last;
  head_.record_time = record_time;
  ++report->batches;
  report->events += batch.last - batch.first + 1;
  return absl::OkStatus();
}

absl::StatusOr<ShipReport> ShipperImpl::Ship() {
  if (!fenced_.ok()) return fenced_;
  ShipReport report;
  // Renewed on every call, so that a writer with nothing new keeps it.
  if (absl::Status s = lease_->Renew(options_.lease, head_.last_event);
      !s.ok()) {
    return absl::IsFailedPrecondition(s) ? Fence(s) : s;
  }
  // What a failed publish left is published first; nothing read from the
  // log is dropped until the stream has it.
  while (true) {
    LoggedBatch batch;
    if (held_.has_value()) {
      batch = std::move(*held_);
      held_.reset();
    } else {
      absl::StatusOr<bool> more = log_->Next(&batch);
      if (!more.ok()) return more.status();
      if (!*more) break;
    }
    const bool split =
        resume_part_ > 0 || batch.bytes.size() > options_.max_message_bytes;
    if (!group_.empty() && (split || group_bytes_ + batch.bytes.size() >
                                         options_.max_message_bytes)) {
      held_ = std::move(batch);
      if (absl::Status s = PublishGroup(&report); !s.ok()) return s;
      continue;
    }
    if (split) {
      if (absl::Status s = PublishParts(batch, resume_part_, &report);
          !s.ok()) {
        held_ = std::move(batch);
        return s;
      }
      continue;
    }
    group_bytes_ += batch.bytes.size();
    group_.push_back(std::move(batch));
  }
  if (absl::Status s = PublishGroup(&report); !s.ok()) return s;
  report.head = head_;
  return report;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Shipper>> Shipper::Create(
    const std::string& directory, const ShipOptions& options) {
  absl::StatusOr<v1::LedgerManifest> manifest =
      internal::ReadManifest(Env::Default(), directory);
  if (absl::IsNotFound(manifest.status())) {
    return absl::NotFoundError(
        absl::StrCat("no ledger in ", directory,
                     " to ship (no MANIFEST: open it once with this version)"));
  }
  if (!manifest.ok()) return manifest.status();
  absl::StatusOr<std::unique_ptr<internal::NatsStream>> stream =
      internal::NatsStream::Connect(options.nats, manifest->ledger_id(),
                                    /*create=*/true);
  if (!stream.ok()) return stream.status();
  auto shipper = std::make_unique<ShipperImpl>(directory, options, *manifest,
                                               std::move(*stream));
  if (absl::Status s = shipper->Start(); !s.ok()) return s;
  return std::unique_ptr<Shipper>(std::move(shipper));
}

}  // namespace contactledger
