// LedgerImpl's appends: the writer queue, group commit, validation, the log
// record of a batch, and applying it to the state (lib/state). See
// contactledger/ledger.h.

#include "contactledger/ledger.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/ledger_impl.h"
#include "lib/core/validator.h"
#include "lib/util/time_util.h"

namespace contactledger {

namespace {

class RealClock : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

}  // namespace

Clock* Clock::Real() {
  static Clock* const clock = new RealClock;
  return clock;
}

// ---------------------------------------------------------------------------
// Appending.

absl::StatusOr<std::vector<uint64_t>> LedgerImpl::Record(
    absl::Span<const v1::LedgerEvent> batch, const WriteOptions& options) {
  if (options_.replica) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this ledger is a replica of ledger '", ledger_id(),
        "' (LedgerOptions::replica, or its directory's MANIFEST): it applies "
        "its writer's batches and records nothing else; record at its "
        "writer, or promote the replica to writer (Follower::Promote, "
        "ledgerctl promote)"));
  }
  if (batch.empty()) return std::vector<uint64_t>();
  Writer writer;
  writer.events = batch;
  writer.sync = options.sync;
  writer.expected_last_sequence = options.expected_last_sequence;
  std::unique_lock<std::mutex> queue(queue_mu_);
  queue_.push_back(&writer);
  writer.cv.wait(queue,
                 [&] { return writer.done || &writer == queue_.front(); });
  if (writer.done) return std::move(writer.result);
  // This writer leads: it commits everything queued so far as one group.
  std::vector<Writer*> group(queue_.begin(), queue_.end());
  queue.unlock();
  {
    std::lock_guard<std::mutex> commit(commit_mu_);
    CommitGroup(group);
  }
  queue.lock();
  for (Writer* w : group) {
    queue_.pop_front();
    if (w != &writer) {
      w->done = true;
      w->cv.notify_one();
    }
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  return std::move(writer.result);
}

void LedgerImpl::CommitGroup(const std::vector<Writer*>& group) {
  if (!broken_.ok()) {
    for (Writer* w : group) w->result = broken_;
    return;
  }
  // Validate each batch against the ledger plus the batches accepted before
  // it in this group. A failing batch is dropped; the validator is rebuilt
  // from the accepted ones so that nothing of the failed batch lingers.
  std::vector<Writer*> accepted;
  auto make_validator = [this] {
    return std::make_unique<internal::BatchValidator>(
        state_.areas(), state_.households(), state_.events(),
        state_.events().FullCut(), 0, &options_);
  };
  std::unique_ptr<internal::BatchValidator> validator = make_validator();
  uint64_t last =
      state_.events().last_sequence();  // after the accepted batches
  for (Writer* w : group) {
    if (w->expected_last_sequence.has_value() &&
        *w->expected_last_sequence != last) {
      w->result = absl::AbortedError(absl::StrCat(
          "the ledger's last sequence number is ", last, ", not the ",
          *w->expected_last_sequence, " expected; nothing recorded"));
      continue;
    }
    validator->BeginBatch(w->events.size());
    absl::Status status;
    for (const v1::LedgerEvent& event : w->events) {
      status = validator->Check(event);
      if (!status.ok()) break;
    }
    if (status.ok()) {
      accepted.push_back(w);
      last += w->events.size();
      continue;
    }
    w->result = status;
    validator = make_validator();
    for (Writer* ok : accepted) {
      validator->BeginBatch(ok->events.size());
      for (const v1::LedgerEvent& event : ok->events) {
        validator->Check(event).IgnoreError();  // passed before
      }
    }
  }
  if (accepted.empty()) return;

  // One record time for the group, never before the previous one, to whole
  // nanoseconds so that it round-trips through google.protobuf.Timestamp.
  absl::Time now = options_.clock->Now();
  now = absl::FromUnixNanos(absl::ToUnixNanos(now));
  const absl::Time record_time =
      std::max(now, state_.events().last_record_time());

  if (log_ != nullptr) {
    std::string records;
    bool sync = false;
    uint64_t sequence = state_.events().last_sequence();
    std::string payload;
    for (Writer* w : accepted) {
      sync |= w->sync;
      payload.clear();
      for (const v1::LedgerEvent& event : w->events) {
        AppendLoggedEvent(event, ++sequence, record_time, &payload);
      }
      if (payload.size() > internal::kMaxRecordBytes) {
        absl::Status status = absl::ResourceExhaustedError(absl::StrCat(
            "batch of ", w->events.size(), " events is ", payload.size(),
            " bytes logged, more than the ", internal::kMaxRecordBytes,
            " a log record may hold; split it"));
        for (Writer* a : accepted) a->result = status;
        return;
      }
      internal::AppendRecord(payload, &records);
    }
    if (absl::Status status = WriteLog(records, sync); !status.ok()) {
      for (Writer* w : accepted) w->result = status;
      return;
    }
  }

  internal::LedgerWriter writer(state_);
  for (Writer* w : accepted) w->result = state_.Apply(w->events, record_time);
}

void LedgerImpl::Fence(absl::Status reason) {
  if (reason.ok()) reason = absl::FailedPreconditionError("fenced");
  std::lock_guard<std::mutex> commit(commit_mu_);
  if (broken_.ok()) broken_ = std::move(reason);
}

absl::Status LedgerImpl::RecordAsRecorded(
    absl::Span<const v1::LedgerEvent> events, const WriteOptions& options) {
  if (events.empty()) {
    return absl::InvalidArgumentError("a recorded batch needs an event");
  }
  v1::EventBatch batch;
  batch.mutable_events()->Reserve(static_cast<int>(events.size()));
  for (const v1::LedgerEvent& event : events) *batch.add_events() = event;
  return RecordLoggedBatch(batch, batch.SerializeAsString(), options);
}

absl::Status LedgerImpl::RecordLoggedBatch(const v1::EventBatch& batch,
                                           absl::string_view payload,
                                           const WriteOptions& options) {
  if (batch.events_size() == 0) {
    return absl::InvalidArgumentError("a recorded batch needs an event");
  }
  const auto& events = batch.events();
  std::lock_guard<std::mutex> commit(commit_mu_);
  if (!broken_.ok()) return broken_;
  if (absl::Status s = state_.CheckRecorded(batch, /*recovering=*/false, 0);
      !s.ok()) {
    return absl::InvalidArgumentError(s.message());
  }
  internal::BatchValidator validator(state_.areas(), state_.households(),
                                     state_.events(), state_.events().FullCut(),
                                     events.size(), &options_);
  for (const v1::LedgerEvent& event : events) {
    if (absl::Status s = validator.Check(event); !s.ok()) return s;
  }
  if (log_ != nullptr) {
    if (payload.size() > internal::kMaxRecordBytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "batch of ", events.size(), " events is ", payload.size(),
          " bytes logged, more than the ", internal::kMaxRecordBytes,
          " a log record may hold; split it"));
    }
    std::string records;
    internal::AppendRecord(payload, &records);
    if (absl::Status s = WriteLog(records, options.sync); !s.ok()) return s;
  }
  internal::LedgerWriter writer(state_);
  state_.ApplyRecorded(batch);
  return absl::OkStatus();
}

namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

}  // namespace

// Appends `event`, numbered, as one `events` entry of an EventBatch. The
// envelope fields are appended after the body's bytes (a parser merges
// them), which saves copying the event; an event whose caller set them is
// copied and overwritten instead, since "ignored on input" must hold.
void LedgerImpl::AppendLoggedEvent(const v1::LedgerEvent& event,
                                   uint64_t sequence, absl::Time record_time,
                                   std::string* payload) {
  google::protobuf::Timestamp stamp;
  internal::SetTimestamp(record_time, &stamp);
  std::string envelope;
  envelope.push_back(0x08);  // field 1, varint: sequence_number
  PutVarint(sequence, &envelope);
  envelope.push_back(0x12);  // field 2, length-delimited: record_time
  PutVarint(stamp.ByteSizeLong(), &envelope);
  stamp.AppendToString(&envelope);
  payload->push_back(0x0a);  // EventBatch field 1, length-delimited
  if (event.sequence_number() == 0 && !event.has_record_time()) {
    PutVarint(event.ByteSizeLong() + envelope.size(), payload);
    event.AppendToString(payload);
    payload->append(envelope);
    return;
  }
  v1::LedgerEvent copy = event;
  copy.set_sequence_number(sequence);
  *copy.mutable_record_time() = stamp;
  PutVarint(copy.ByteSizeLong(), payload);
  copy.AppendToString(payload);
}

// ---------------------------------------------------------------------------
// Construction, and the reads the state does not answer alone.

LedgerView::~LedgerView() = default;
Ledger::~Ledger() = default;

LedgerImpl::LedgerImpl(const LedgerOptions& options)
    : options_(options),
      state_(options.time_zone.value_or(absl::UTCTimeZone())) {
  if (options_.clock == nullptr) options_.clock = Clock::Real();
}

void LedgerImpl::UseDefaultSettings() {
  if (!options_.time_zone.has_value()) options_.time_zone = absl::UTCTimeZone();
  if (!options_.identity_rules.has_value()) {
    options_.identity_rules = IdentityRules::kChina;
  }
  state_.set_time_zone(*options_.time_zone);
}

LedgerImpl::~LedgerImpl() {
  if (log_ != nullptr) log_->Close().IgnoreError();
}

std::unique_ptr<Ledger> Ledger::New(const LedgerOptions& options) {
  auto ledger = std::make_unique<LedgerImpl>(options);
  ledger->UseDefaultSettings();
  return ledger;
}

absl::StatusOr<uint64_t> Ledger::Append(const v1::LedgerEvent& event,
                                        const WriteOptions& write_options) {
  absl::StatusOr<std::vector<uint64_t>> sequences =
      Record(absl::MakeConstSpan(&event, 1), write_options);
  if (!sequences.ok()) return sequences.status();
  return sequences->front();
}

absl::StatusOr<std::vector<uint64_t>> Ledger::AppendBatch(
    absl::Span<const v1::LedgerEvent> events,
    const WriteOptions& write_options) {
  return Record(events, write_options);
}

absl::Status Ledger::AppendRecorded(absl::Span<const v1::LedgerEvent> events,
                                    const WriteOptions& write_options) {
  return RecordAsRecorded(events, write_options);
}

absl::StatusOr<v1::LedgerEvent> LedgerImpl::GetEvent(
    uint64_t sequence, const ReadOptions& options) const {
  return state_.GetEvent(sequence, options);
}

}  // namespace contactledger
