#include "lib/core/logged_batches.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace contactledger {
namespace internal {
namespace {

using ::google::protobuf::internal::WireFormatLite;

// EventBatch.events (field 1, a message) and LedgerEvent.sequence_number
// (field 1, a varint): contactledger/v1/storage.proto and ledger.proto.
constexpr uint32_t kEventsTag =
    (1 << 3) | WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
constexpr uint32_t kSequenceNumberTag =
    (1 << 3) | WireFormatLite::WIRETYPE_VARINT;

absl::Status Unparsable() {
  return absl::DataLossError("record does not parse as an EventBatch");
}

}  // namespace

absl::Status LoggedBatchRange(absl::string_view payload, uint64_t* first,
                              uint64_t* last) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(payload.data()),
      static_cast<int>(payload.size()));
  uint64_t events = 0;
  while (const uint32_t tag = in.ReadTag()) {
    if (tag != kEventsTag) {
      if (!WireFormatLite::SkipField(&in, tag)) return Unparsable();
      continue;
    }
    uint32_t length = 0;
    if (!in.ReadVarint32(&length) ||
        length > payload.size() - static_cast<size_t>(in.CurrentPosition())) {
      return Unparsable();
    }
    const auto limit = in.PushLimit(static_cast<int>(length));
    uint64_t sequence = 0;  // the last one wins, as in a parse
    while (const uint32_t field = in.ReadTag()) {
      if (field == kSequenceNumberTag) {
        if (!in.ReadVarint64(&sequence)) return Unparsable();
      } else if (!WireFormatLite::SkipField(&in, field)) {
        return Unparsable();
      }
    }
    if (!in.ConsumedEntireMessage()) return Unparsable();
    in.PopLimit(limit);
    if (events == 0) {
      if (sequence == 0) {
        return absl::DataLossError(
            "the batch's first event has no sequence number");
      }
      *first = sequence;
    } else if (sequence != *last + 1) {
      return absl::DataLossError(
          absl::StrFormat("batch event %d has sequence number %d, expected %d",
                          events + 1, sequence, *last + 1));
    }
    *last = sequence;
    ++events;
  }
  if (!in.ConsumedEntireMessage()) return Unparsable();
  if (events == 0) return absl::DataLossError("record holds an empty batch");
  return absl::OkStatus();
}

LoggedBatches::LoggedBatches(Env* env, std::string directory, uint64_t from)
    : env_(env != nullptr ? env : Env::Default()),
      directory_(std::move(directory)),
      next_(from > 0 ? from : 1) {}

std::string LoggedBatches::PathOf(const LogFile& log) const {
  return absl::StrCat(directory_, "/", log.RelativePath());
}

absl::StatusOr<bool> LoggedBatches::Next(LoggedBatch* batch) {
  // Each pass reads on in log_, or moves on to a newer log. A reader kept
  // open since an earlier call may have met the end of what the file held
  // then: it is opened again at its offset once before giving up.
  bool reopened = false;
  while (true) {
    bool at_end = false;  // nothing more to read in log_
    if (reader_ == nullptr) {
      reopened = true;
      if (log_.name.empty()) {
        absl::StatusOr<bool> chosen = ChooseFirstLog();
        if (!chosen.ok() || !*chosen) return chosen;
      } else {
        absl::StatusOr<bool> opened = OpenCurrent();
        if (!opened.ok()) {
          Reset();
          return opened.status();
        }
        at_end = !*opened;
      }
    }
    if (!at_end) {
      absl::StatusOr<bool> read = ReadBatch(batch);
      if (!read.ok()) {
        Reset();
        return read.status();
      }
      if (*read) return true;
      if (!reopened) continue;  // ReadBatch closed it at its offset
    }
    if (!draining_) {
      absl::StatusOr<std::vector<LogFile>> newer = Logs(/*after_current=*/true);
      if (!newer.ok()) return newer.status();
      if (newer->empty()) return false;  // a writer may append more to log_
      // A newer log was there before the listing, so the writer had stopped
      // appending to log_ by then: read log_ once more from where it ended
      // (a batch may have come between that end and the listing), then move
      // on.
      pending_ = newer->front();
      draining_ = true;
      if (!at_end) continue;
    }
    if (absl::Status s = Advance(); !s.ok()) return s;
  }
}

absl::StatusOr<std::vector<LogFile>> LoggedBatches::Logs(bool after_current) {
  absl::StatusOr<DirectoryListing> listing = ListDirectory(env_, directory_);
  if (!listing.ok()) return listing.status();
  std::vector<LogFile> logs;
  for (LogFile& log : listing->logs) {
    if (!after_current || log.first > log_.first) logs.push_back(log);
  }
  // Logs newer than log_ are all in DIR when any is: the newest log of all,
  // the one a writer appends to, is never archived.
  if (after_current && logs.empty()) return logs;
  absl::StatusOr<std::vector<LogFile>> chosen = LogsToReplay(
      env_, directory_, std::move(logs), next_, after_current ? log_.first : 0);
  if (!chosen.ok()) return chosen.status();
  if (!chosen->empty()) {
    const LogFile& newest = chosen->back();
    absl::StatusOr<uint64_t> size = env_->GetFileSize(PathOf(newest));
    if (size.ok() && *size < LogHeader(newest.first).size()) {
      chosen->pop_back();  // being created: read it next time
    }
  }
  return chosen;
}

absl::StatusOr<bool> LoggedBatches::ChooseFirstLog() {
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    absl::StatusOr<std::vector<LogFile>> logs = Logs(/*after_current=*/false);
    if (!logs.ok()) return logs.status();
    if (logs->empty()) {
      // No log yet (a writer is creating the first one), unless a snapshot
      // holds the events from next_ on and their logs were removed.
      absl::StatusOr<DirectoryListing> listing =
          ListDirectory(env_, directory_);
      if (!listing.ok()) return listing.status();
      if (!listing->snapshots.empty() &&
          listing->snapshots.front().first >= next_) {
        return Missing(listing->snapshots.front().first,
                       absl::StrCat(directory_, " holds no log"));
      }
      return false;
    }
    const LogFile& log = logs->front();
    if (log.first > next_) {
      // A listing made while an archiving writer moved logs may miss the
      // one moved: look again before concluding.
      if (attempt + 1 < kReadAttempts) continue;
      return Missing(log.first - 1, absl::StrFormat("%s starts at sequence %d",
                                                    PathOf(log), log.first));
    }
    absl::StatusOr<bool> started = StartLog(log);
    if (!started.ok() || *started) return started;
    // Removed since the listing (a snapshot covers it): look again.
  }
  return absl::AbortedError(absl::StrFormat(
      "the logs of %s changed under every one of %d listings; try again",
      directory_, kReadAttempts));
}

absl::StatusOr<bool> LoggedBatches::StartLog(LogFile log) {
  absl::StatusOr<std::unique_ptr<SequentialFile>> file =
      OpenLogFile(env_, directory_, &log);
  if (absl::IsNotFound(file.status())) return false;
  if (!file.ok()) return file.status();
  const std::string path = PathOf(log);
  auto reader = std::make_unique<RecordReader>(file->get(), path,
                                               /*recover=*/false);
  absl::StatusOr<FileHeader> header = reader->ReadHeader(kLogMagic);
  if (!header.ok()) return header.status();
  if (header->type_name != kLogType) {
    return absl::DataLossError(absl::StrCat(path, ": offset 0: records are '",
                                            header->type_name, "', expected '",
                                            kLogType, "'"));
  }
  if (header->base_sequence != log.first) {
    return absl::DataLossError(absl::StrFormat(
        "%s: offset 0: the header says the log starts at sequence %d, the "
        "name at %d",
        path, header->base_sequence, log.first));
  }
  log_ = std::move(log);
  file_ = std::move(*file);
  reader_ = std::move(reader);
  offset_ = reader_->valid_end();
  unread_valid_ = false;
  unread_.clear();
  return true;
}

absl::StatusOr<bool> LoggedBatches::OpenCurrent() {
  LogFile log = log_;
  absl::StatusOr<std::unique_ptr<SequentialFile>> file =
      OpenLogFile(env_, directory_, &log);
  std::string buffered;
  if (file.ok()) {
    // Read it again from where the last read stopped, not from the bytes
    // read past there: a writer opening after one that died cuts off the
    // dead one's cut-off record and appends other bytes in its place.
    if (absl::Status s = (*file)->Skip(offset_); !s.ok()) return s;
    log_ = std::move(log);
    file_ = std::move(*file);
  } else if (!absl::IsNotFound(file.status())) {
    return file.status();
  } else if (file_ != nullptr && unread_valid_) {
    // Removed (LogRetention::kRemove) by a snapshot since the last read: a
    // newer log had taken over before, so the file still open holds all
    // that was ever written to it.
    buffered = std::move(unread_);
  } else {
    return false;  // removed, and not open: nothing more to read in it
  }
  unread_valid_ = false;
  unread_.clear();
  reader_ = std::make_unique<RecordReader>(file_.get(), PathOf(log_),
                                           /*recover=*/false);
  reader_->StartAt(offset_, std::move(buffered));
  return true;
}

absl::StatusOr<bool> LoggedBatches::ReadBatch(LoggedBatch* batch) {
  absl::string_view payload;
  uint64_t offset = 0;
  while (true) {
    absl::StatusOr<bool> more = reader_->Next(&payload, &offset);
    if (!more.ok()) return more.status();
    if (!*more) {
      // What the file holds now ends here; a record cut off after it is one
      // a writer is in the middle of appending.
      offset_ = reader_->valid_end();
      unread_.clear();
      unread_valid_ = reader_->UnreadTail(&unread_);
      reader_.reset();
      return false;
    }
    uint64_t first = 0;
    uint64_t last = 0;
    if (absl::Status s = LoggedBatchRange(payload, &first, &last); !s.ok()) {
      return absl::DataLossError(absl::StrFormat(
          "%s: offset %d: %s", PathOf(log_), offset, s.message()));
    }
    if (first < log_.first) {
      return absl::DataLossError(absl::StrFormat(
          "%s: offset %d: the batch starts at sequence %d, before the log's "
          "first sequence %d",
          PathOf(log_), offset, first, log_.first));
    }
    if (!positioned_ && last < next_) {  // before `from`
      offset_ = reader_->valid_end();
      continue;
    }
    if (first != next_) {
      if (!positioned_ && first < next_) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "sequence number %d is inside the batch of sequence numbers %d to "
            "%d (%s, offset %d), not its first event: reading starts at the "
            "first event of a batch",
            next_, first, last, PathOf(log_), offset));
      }
      if (first > next_) {
        return absl::DataLossError(absl::StrFormat(
            "%s: offset %d: the batch holds sequence numbers %d to %d, but "
            "the batch before it ends at %d: sequence numbers %d to %d are "
            "missing",
            PathOf(log_), offset, first, last, next_ - 1, next_, first - 1));
      }
      return absl::DataLossError(absl::StrFormat(
          "%s: offset %d: the batch holds sequence numbers %d to %d, but the "
          "batch before it ends at %d: batches out of order",
          PathOf(log_), offset, first, last, next_ - 1));
    }
    batch->first = first;
    batch->last = last;
    batch->bytes.assign(payload.data(), payload.size());
    next_ = last + 1;
    positioned_ = true;
    offset_ = reader_->valid_end();
    return true;
  }
}

absl::Status LoggedBatches::Advance() {
  LogFile next = pending_;
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    if (next.first <= next_) {
      absl::StatusOr<bool> started = StartLog(next);
      if (!started.ok()) return started.status();
      if (*started) {
        draining_ = false;
        return absl::OkStatus();
      }
      // Removed since the listing: a snapshot covers it.
    } else if (attempt + 1 == kReadAttempts) {
      break;
    }
    // Sequence numbers are missing before `next`, or it is gone: a listing
    // made while a writer archived or removed logs may have missed one;
    // look again.
    absl::StatusOr<std::vector<LogFile>> logs = Logs(/*after_current=*/true);
    if (!logs.ok()) return logs.status();
    if (!logs->empty()) next = logs->front();
  }
  if (next.first <= next_) {
    return absl::AbortedError(absl::StrFormat(
        "the logs of %s changed under every one of %d listings; try again",
        directory_, kReadAttempts));
  }
  return Missing(next.first - 1, absl::StrFormat("%s starts at sequence %d",
                                                 PathOf(next), next.first));
}

absl::Status LoggedBatches::Missing(uint64_t end, const std::string& where) {
  absl::StatusOr<DirectoryListing> listing = ListDirectory(env_, directory_);
  if (listing.ok() && !listing->snapshots.empty() &&
      listing->snapshots.front().first >= end) {
    const auto& [sequence, name] = listing->snapshots.front();
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s: the events from sequence %d to %d are only in the snapshot "
        "%s/%s (as of sequence %d): the logs that held them were removed "
        "(LogRetention::kRemove), so their batches cannot be read; reading "
        "(shipping) the logged batches needs log_retention kKeep or kArchive",
        where, next_, end, directory_, name, sequence));
  }
  return absl::DataLossError(absl::StrFormat(
      "%s, but the next batch to read starts at %d: sequence numbers %d to %d "
      "are in no log of %s or %s/%s",
      where, next_, next_, end, directory_, directory_, kArchiveDir));
}

void LoggedBatches::Reset() {
  reader_.reset();
  file_.reset();
  unread_valid_ = false;
  unread_.clear();
}

}  // namespace internal
}  // namespace contactledger
