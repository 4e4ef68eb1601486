// The durable side of LedgerImpl: the directory, the log, snapshots,
// recovery, read-only opening and catching up, and verification. File
// formats: docs/log_format.md.
//
// A ledger directory holds
//   LOCK                      held while a writer has the directory open
//                             (Ledger::Open; readers take no lock)
//   MANIFEST                  format version, id, time zone, identity rules
//                             (manifest.h)
//   <20-digit seq>.log        a log whose first event has that number
//   <20-digit seq>.snapshot   the state as of that sequence number
//   *.tmp                     a snapshot or manifest being written
//                             (removed on open)
//   archive/<20-digit>.log    logs a snapshot covers, moved there by
//                             WriteSnapshot under LogRetention::kArchive
//
// Which logs an open reads: those after the newest snapshot. A log is
// covered by the snapshot when the next log starts at or before the
// snapshot's sequence number + 1 (every event of it precedes the next log's
// first), and is not read. When the logs in DIR do not reach back to the
// snapshot (or, without one, to sequence 1), the archived ones are read
// first: LogsToReplay.

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "contactledger/ledger.h"
#include "lib/columns/snapshot_io.h"
#include "lib/core/ledger_impl.h"
#include "lib/core/log_files.h"
#include "lib/core/manifest.h"
#include "lib/log/record_io.h"
#include "lib/state/reader.h"
#include "lib/util/time_util.h"

namespace contactledger {

namespace {

using internal::DirectoryChanged;
using internal::DirectoryListing;
using internal::kArchiveDir;
using internal::kLogSuffix;
using internal::kLogType;
using internal::kReadAttempts;
using internal::kSnapshotSuffix;
using internal::kTempSuffix;
using internal::ListArchive;
using internal::ListDirectory;
using internal::LogFile;
using internal::LogHeader;
using internal::LogsToReplay;
using internal::NumberedName;

constexpr absl::string_view kSnapshotType = "contactledger.v1.SnapshotSection";

// A log starts after the last event replayed: the sequence numbers in
// between are in no file.
std::string LogGap(const std::string& path, uint64_t first, uint64_t last) {
  return absl::StrFormat(
      "%s: the log starts at sequence %d, but the events before it end at "
      "%d: sequence numbers %d to %d are missing",
      path, first, last, last + 1, first - 1);
}

// The newest log starts after the last event replayed: the sequence numbers
// in between are in no file.
std::string NewestLogGap(const std::string& path, uint64_t first,
                         uint64_t last) {
  return absl::StrFormat(
      "%s: the newest log starts at sequence %d, but the events before it end "
      "at %d: sequence numbers %d to %d are missing",
      path, first, last, last + 1, first - 1);
}

DamagedRange ToRange(const internal::Damage& d) {
  DamagedRange range;
  range.file = d.file;
  range.offset = d.offset;
  range.length = d.length;
  range.truncated_tail = d.tail;
  range.reason = d.reason;
  return range;
}

absl::Status ReadOnlyError(const std::string& directory) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the ledger in '", directory,
      "' was opened read-only (Ledger::OpenReadOnly): it records nothing; "
      "open it with Ledger::Open to append or snapshot"));
}

}  // namespace

bool VerifyReport::ok() const {
  if (!problems.empty()) return false;
  for (const DamagedRange& range : damage) {
    if (!range.truncated_tail) return false;
  }
  return true;
}

absl::Status LedgerImpl::WriteLog(const std::string& records, bool sync) {
  if (absl::Status status = log_->Append(records); !status.ok()) {
    // Cut off whatever part was written; if even that fails, the log's end
    // is unknown and no further append may follow it.
    if (!log_->Truncate(log_size_).ok()) broken_ = status;
    return status;
  }
  log_size_ += records.size();
  if (sync) {
    if (absl::Status status = log_->Sync(); !status.ok()) {
      // After a failed fsync the page cache cannot be trusted (the kernel
      // may have dropped the dirty pages): stop appending; reopen recovers.
      broken_ = status;
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status LedgerImpl::ReplayBatch(const v1::EventBatch& batch, bool recover,
                                     uint64_t lost_allowed, uint64_t* lost) {
  if (absl::Status s = state_.CheckRecorded(batch, recover, lost_allowed);
      !s.ok()) {
    return s;
  }
  internal::LedgerWriter writer(state_);
  internal::BatchValidator checker(state_.areas(), state_.households(),
                                   state_.events(), state_.events().FullCut(),
                                   batch.events_size());
  for (const v1::LedgerEvent& event : batch.events()) {
    if (absl::Status status = checker.Check(event); !status.ok()) {
      return absl::DataLossError(
          absl::StrCat("logged event fails validation: ", status.message()));
    }
  }
  *lost += state_.ApplyRecorded(batch);
  return absl::OkStatus();
}

absl::Status LedgerImpl::ReadLog(SequentialFile* file, const std::string& path,
                                 uint64_t first, uint64_t from,
                                 std::string buffered, bool recover,
                                 std::vector<DamagedRange>* damage,
                                 VerifyReport::File* file_report,
                                 LogRead* read) {
  internal::RecordReader reader(file, path, recover);
  if (from == 0) {
    absl::StatusOr<internal::FileHeader> header =
        reader.ReadHeader(internal::kLogMagic);
    if (!header.ok()) return header.status();
    if (header->type_name != kLogType) {
      return absl::DataLossError(absl::StrCat(path, ": offset 0: records are '",
                                              header->type_name,
                                              "', expected '", kLogType, "'"));
    }
    // The name says where the log starts, and orders the replay.
    if (header->base_sequence != first) {
      return absl::DataLossError(absl::StrFormat(
          "%s: offset 0: the header says the log starts at sequence %d, the "
          "name at %d",
          path, header->base_sequence, first));
    }
  } else {
    reader.StartAt(from, std::move(buffered));
  }
  v1::EventBatch batch;
  absl::string_view payload;
  uint64_t offset = 0;
  uint64_t lost = 0;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&payload, &offset);
    if (!more.ok()) return more.status();
    if (!*more) break;
    absl::Status problem;
    bool held = false;  // already in the state (the snapshot)
    if (!batch.ParseFromArray(payload.data(),
                              static_cast<int>(payload.size()))) {
      problem = absl::DataLossError("record does not parse as an EventBatch");
    } else if (batch.events_size() == 0) {
      problem = absl::DataLossError("record holds an empty batch");
    } else if (batch.events(0).sequence_number() < first) {
      // Logs are replayed in the order of their first sequence numbers; a
      // log holding earlier events would be replayed out of order.
      problem = absl::DataLossError(absl::StrFormat(
          "batch starts at sequence %d, before the log's first sequence %d",
          batch.events(0).sequence_number(), first));
    } else if (batch.events(batch.events_size() - 1).sequence_number() <=
               state_.events().last_sequence()) {
      held = true;
    } else {
      uint64_t skipped = 0;  // bytes of damage skipped so far in this log
      for (const internal::Damage& d : reader.damage()) {
        if (!d.tail) skipped += d.length;
      }
      problem =
          ReplayBatch(batch, recover, skipped - std::min(skipped, lost), &lost);
    }
    if (!problem.ok()) {
      if (absl::Status s = reader.Reject(
              offset, internal::kRecordHeaderBytes + payload.size(),
              problem.message());
          !s.ok()) {
        return s;
      }
      continue;
    }
    if (!held) read->events += batch.events_size();
    if (file_report != nullptr) {
      ++file_report->records;
      if (file_report->first_sequence == 0) {
        file_report->first_sequence = batch.events(0).sequence_number();
      }
      file_report->last_sequence =
          batch.events(batch.events_size() - 1).sequence_number();
    }
  }
  read->lost += lost;
  for (const internal::Damage& d : reader.damage()) {
    damage->push_back(ToRange(d));
  }
  read->valid_end = reader.valid_end();
  read->appendable = reader.appendable();
  read->unread.clear();
  read->unread_valid = reader.UnreadTail(&read->unread);
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> LedgerImpl::LoadSnapshot(const std::string& path,
                                                  uint64_t* sections) {
  absl::StatusOr<std::unique_ptr<SequentialFile>> file =
      env_->NewSequentialFile(path);
  if (!file.ok()) return file.status();
  internal::RecordReader reader(file->get(), path, /*recover=*/false);
  absl::StatusOr<internal::FileHeader> header =
      reader.ReadHeader(internal::kSnapshotMagic);
  if (!header.ok()) return header.status();
  if (header->type_name != kSnapshotType) {
    return absl::DataLossError(absl::StrCat(path, ": offset 0: records are '",
                                            header->type_name, "', expected '",
                                            kSnapshotType, "'"));
  }
  internal::SnapshotSource source(&reader);
  internal::LedgerWriter writer(state_);
  if (absl::Status s = state_.LoadColumns(source); !s.ok()) {
    return absl::DataLossError(absl::StrCat(path, ": ", s.message()));
  }
  uint64_t end = 0;
  source.Value("end", end);
  if (!source.status().ok()) {
    return absl::DataLossError(
        absl::StrCat(path, ": ", source.status().message()));
  }
  if (end != header->base_sequence || state_.events().last_sequence() != end) {
    return absl::DataLossError(absl::StrFormat(
        "%s: snapshot says sequence %d, header %d, state %d", path, end,
        header->base_sequence, state_.events().last_sequence()));
  }
  if (sections != nullptr) *sections = reader.records();
  return end;
}

absl::Status LedgerImpl::TakeSettings(bool* made_new) {
  absl::StatusOr<v1::LedgerManifest> manifest =
      internal::ReadManifest(env_, directory_);
  if (absl::IsNotFound(manifest.status())) {
    manifest = internal::NewManifest(env_, directory_, options_,
                                     options_.clock->Now());
    if (made_new != nullptr) *made_new = manifest.ok();
  }
  if (!manifest.ok()) return manifest.status();
  if (absl::Status s =
          internal::ApplyManifest(*manifest, directory_, &options_);
      !s.ok()) {
    return s;
  }
  // A replica stays one whoever opens it (a Follower marks it:
  // SetReplicaMark).
  if (manifest->replica()) options_.replica = true;
  manifest_ = *manifest;
  state_.set_time_zone(*options_.time_zone);
  return absl::OkStatus();
}

absl::Status LedgerImpl::LoadNewestSnapshot(
    const std::vector<std::pair<uint64_t, std::string>>& snapshots) {
  if (snapshots.empty()) return absl::OkStatus();
  const std::string& name = snapshots.front().second;
  absl::StatusOr<uint64_t> sequence = LoadSnapshot(FilePath(name));
  if (!sequence.ok()) return sequence.status();
  report_.snapshot_file = name;
  report_.snapshot_sequence = *sequence;
  return absl::OkStatus();
}

absl::Status LedgerImpl::OpenDirectory(const std::string& directory) {
  env_ = options_.env != nullptr ? options_.env : Env::Default();
  directory_ = directory;
  if (!env_->FileExists(directory)) {
    if (!options_.create_if_missing) {
      return absl::NotFoundError(
          absl::StrCat("ledger directory '", directory, "' does not exist"));
    }
    if (absl::Status s = env_->CreateDir(directory); !s.ok()) return s;
  }
  absl::StatusOr<std::unique_ptr<FileLock>> lock =
      env_->LockFile(FilePath("LOCK"));
  if (!lock.ok()) {
    if (absl::IsFailedPrecondition(lock.status())) {
      return absl::FailedPreconditionError(
          absl::StrCat("ledger directory '", directory,
                       "' is in use: ", lock.status().message()));
    }
    return lock.status();
  }
  lock_ = std::move(*lock);

  absl::StatusOr<DirectoryListing> listing = ListDirectory(env_, directory);
  if (!listing.ok()) return listing.status();
  if (options_.error_if_exists &&
      (!listing->snapshots.empty() || !listing->logs.empty())) {
    return absl::AlreadyExistsError(absl::StrCat(
        "ledger directory '", directory, "' already holds a ledger"));
  }
  for (const std::string& name : listing->temporaries) {
    // An unfinished snapshot or manifest.
    env_->RemoveFile(FilePath(name)).IgnoreError();
  }
  // The directory's settings: its manifest's, or, for a new directory (or
  // one from before manifests), a manifest written now.
  // It is written only once the open cannot fail for what the directory
  // holds (WriteNewManifest): a failed open changes no file.
  if (absl::Status s = TakeSettings(&manifest_is_new_); !s.ok()) return s;
  if (absl::Status s = LoadNewestSnapshot(listing->snapshots); !s.ok()) {
    return s;
  }
  // A newest log shorter than its header was being created when the writer
  // died: it holds nothing; report it as a cut-off tail, remove it once the
  // open cannot fail any more, and go on as if it were not there.
  std::string torn_log;
  if (!listing->logs.empty()) {
    const LogFile& newest = listing->logs.back();
    absl::StatusOr<uint64_t> size = env_->GetFileSize(FilePath(newest.name));
    if (size.ok() && *size < LogHeader(newest.first).size()) {
      report_.damage.push_back(
          DamagedRange{newest.name, 0, *size, true, "log header cut off"});
      torn_log = newest.name;
      listing->logs.pop_back();
    }
  }
  absl::StatusOr<std::vector<LogFile>> logs = LogsToReplay(
      env_, directory_, listing->logs, state_.events().last_sequence() + 1);
  if (!logs.ok()) return logs.status();
  LogRead newest_read;  // of the newest log replayed
  for (LogFile& log : *logs) {
    absl::StatusOr<std::unique_ptr<SequentialFile>> file =
        env_->NewSequentialFile(FilePath(log.RelativePath()));
    if (!file.ok()) return file.status();
    LogRead read;
    if (absl::Status s =
            ReadLog(file->get(), FilePath(log.RelativePath()), log.first, 0, "",
                    options_.recover_damaged, &report_.damage, nullptr, &read);
        !s.ok()) {
      return s;
    }
    report_.log_files.push_back(log.RelativePath());
    report_.replayed_events += read.events;
    report_.lost_events += read.lost;
    newest_read = std::move(read);
  }

  // Appends continue the newest log after its last intact record, cutting
  // off what follows; the newest log must not start after the next sequence
  // number (NewestLogGap). Not when recovery skipped damage before that
  // record (not appendable): appending could change how the damage reads
  // (docs/log_format.md); nor an archived log. Appends then go to a new log,
  // which the next sequence number names, after the newest.
  const uint64_t next = state_.events().last_sequence() + 1;
  const std::string next_name = NumberedName(next, kLogSuffix);
  if (!logs->empty()) {
    const LogFile& newest = logs->back();
    if (newest.first > next) {
      return absl::DataLossError(NewestLogGap(FilePath(newest.RelativePath()),
                                              newest.first,
                                              state_.events().last_sequence()));
    }
    if (newest_read.appendable && !newest.archived) {
      const uint64_t end = newest_read.valid_end;
      if (absl::Status s = WriteNewManifest(); !s.ok()) return s;
      if (!torn_log.empty()) env_->RemoveFile(FilePath(torn_log)).IgnoreError();
      absl::StatusOr<std::unique_ptr<WritableFile>> file =
          env_->NewAppendableFile(FilePath(newest.name));
      if (!file.ok()) return file.status();
      absl::StatusOr<uint64_t> size = env_->GetFileSize(FilePath(newest.name));
      if (!size.ok()) return size.status();
      if (*size > end) {
        if (absl::Status s = (*file)->Truncate(end); !s.ok()) return s;
        if (absl::Status s = (*file)->Sync(); !s.ok()) return s;
      }
      log_ = std::move(*file);
      log_name_ = newest.name;
      log_first_sequence_ = newest.first;
      log_size_ = end;
      return absl::OkStatus();
    }
    if (!newest.archived && newest.name == next_name) {
      return absl::DataLossError(absl::StrCat(
          FilePath(newest.name),
          ": recovery skipped damage in this log and recovered none of its "
          "events, so appends can neither continue it nor start a new log "
          "of its name; move it out of the directory to open the ledger"));
    }
  }
  if (absl::Status s = WriteNewManifest(); !s.ok()) return s;
  if (!torn_log.empty()) env_->RemoveFile(FilePath(torn_log)).IgnoreError();
  absl::StatusOr<std::unique_ptr<WritableFile>> file =
      env_->NewWritableFile(FilePath(next_name));
  if (!file.ok()) return file.status();
  const std::string header = LogHeader(next);
  if (absl::Status s = (*file)->Append(header); !s.ok()) return s;
  if (absl::Status s = (*file)->Sync(); !s.ok()) return s;
  if (absl::Status s = env_->SyncDir(directory_); !s.ok()) return s;
  log_ = std::move(*file);
  log_name_ = next_name;
  log_first_sequence_ = next;
  log_size_ = header.size();
  return absl::OkStatus();
}

absl::Status LedgerImpl::WriteNewManifest() {
  if (!manifest_is_new_) return absl::OkStatus();
  if (absl::Status s = internal::WriteManifest(env_, directory_, manifest_);
      !s.ok()) {
    return s;
  }
  manifest_is_new_ = false;
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Reading beside a writer.

absl::Status LedgerImpl::OpenDirectoryReadOnly(const std::string& directory,
                                               bool* raced) {
  env_ = options_.env != nullptr ? options_.env : Env::Default();
  directory_ = directory;
  read_only_ = true;
  broken_ = ReadOnlyError(directory);
  if (!env_->FileExists(directory)) {
    return absl::NotFoundError(
        absl::StrCat("ledger directory '", directory, "' does not exist"));
  }
  // Listed before anything is read: a log listed after another is newer,
  // so the one before it was complete when this listing was made.
  absl::StatusOr<DirectoryListing> listing = ListDirectory(env_, directory);
  if (!listing.ok()) return listing.status();
  if (!listing->settings && listing->snapshots.empty() &&
      listing->logs.empty()) {
    return absl::NotFoundError(
        absl::StrCat("'", directory,
                     "' holds no ledger (no MANIFEST, log or snapshot file)"));
  }
  // The directory's settings, as Open would take them, but without writing
  // a manifest for a directory that has none.
  if (absl::Status s = TakeSettings(nullptr); !s.ok()) return s;
  if (absl::Status s = LoadNewestSnapshot(listing->snapshots); !s.ok()) {
    // A newer snapshot replaced it since the listing.
    *raced = absl::IsNotFound(s);
    return s;
  }
  std::lock_guard<std::mutex> lock(catch_up_mu_);
  tail_ = LogTail();
  absl::StatusOr<std::vector<LogFile>> logs = LogsToReplay(
      env_, directory_, listing->logs, state_.events().last_sequence() + 1);
  if (!logs.ok()) return logs.status();
  for (size_t i = 0; i < logs->size(); ++i) {
    LogFile& log = (*logs)[i];
    if (log.first > state_.events().last_sequence() + 1) {
      // No log may start after the events before it (as Open). But a
      // listing made while a writer snapshots may miss the new snapshot and
      // show the log after it, the logs it covered removed: when the
      // directory changed since, start over.
      *raced = DirectoryChanged(env_, directory_, *listing);
      return absl::DataLossError(LogGap(FilePath(log.RelativePath()), log.first,
                                        state_.events().last_sequence()));
    }
    absl::StatusOr<uint64_t> size =
        env_->GetFileSize(FilePath(log.RelativePath()));
    if (i + 1 == logs->size() && size.ok() &&
        *size < LogHeader(log.first).size()) {
      break;  // being created (or left torn by a writer that died): empty
    }
    if (absl::Status s = ReadNewLog(log, /*at_open=*/true, raced); !s.ok()) {
      return s;
    }
    report_.log_files.push_back(tail_.log.RelativePath());
  }
  return absl::OkStatus();
}

absl::Status LedgerImpl::ReadNewLog(LogFile log, bool at_open, bool* raced) {
  absl::StatusOr<std::unique_ptr<SequentialFile>> file =
      internal::OpenLogFile(env_, directory_, &log);
  if (!file.ok()) {
    // Removed since it was listed: a snapshot covers it now.
    *raced = absl::IsNotFound(file.status());
    return file.status();
  }
  // A cut-off tail is where a writer is appending: not damage.
  std::vector<DamagedRange> damage;
  LogRead read;
  if (absl::Status s =
          ReadLog(file->get(), FilePath(log.RelativePath()), log.first, 0, "",
                  options_.recover_damaged, &damage, nullptr, &read);
      !s.ok()) {
    return s;
  }
  if (at_open) {
    report_.replayed_events += read.events;
    report_.lost_events += read.lost;
    for (DamagedRange& range : damage) {
      if (!range.truncated_tail) report_.damage.push_back(std::move(range));
    }
  }
  tail_.log = log;
  tail_.offset = read.valid_end;
  tail_.file = std::move(*file);
  tail_.unread_valid = read.unread_valid;
  tail_.unread = std::move(read.unread);
  return absl::OkStatus();
}

absl::Status LedgerImpl::ContinueTail() {
  LogFile log = tail_.log;
  std::unique_ptr<SequentialFile> file;
  std::string buffered;
  absl::StatusOr<std::unique_ptr<SequentialFile>> reopened =
      internal::OpenLogFile(env_, directory_, &log);
  if (reopened.ok()) {
    // Read it again from where the last read stopped: a writer may have cut
    // off a dead writer's tail there and appended after it.
    file = std::move(*reopened);
    if (absl::Status s = file->Skip(tail_.offset); !s.ok()) return s;
  } else if (absl::IsNotFound(reopened.status()) && tail_.file != nullptr &&
             tail_.unread_valid) {
    // Removed (LogRetention::kRemove) by a snapshot after this reader last
    // read it: a newer log took over before, so nothing more was written
    // to it than what the file still open shows.
    file = std::move(tail_.file);
    buffered = std::move(tail_.unread);
  } else {
    return reopened.status();
  }
  std::vector<DamagedRange> damage;
  LogRead read;
  absl::Status status = ReadLog(
      file.get(), FilePath(log.RelativePath()), log.first, tail_.offset,
      std::move(buffered), options_.recover_damaged, &damage, nullptr, &read);
  if (!status.ok()) {
    tail_.file.reset();  // its position is unknown now
    tail_.unread_valid = false;
    return status;
  }
  tail_.log = log;
  tail_.offset = read.valid_end;
  tail_.file = std::move(file);
  tail_.unread_valid = read.unread_valid;
  tail_.unread = std::move(read.unread);
  return absl::OkStatus();
}

absl::Status LedgerImpl::CatchUpOnce(bool* raced) {
  // Listed first: the logs after the one it stopped in were complete, but
  // the newest, by the time they are read.
  absl::StatusOr<DirectoryListing> listing = ListDirectory(env_, directory_);
  if (!listing.ok()) return listing.status();
  if (!tail_.log.name.empty()) {
    if (absl::Status s = ContinueTail(); !s.ok()) return s;
  }
  std::vector<LogFile> newer;
  for (const LogFile& log : listing->logs) {
    if (log.first > tail_.log.first) newer.push_back(log);
  }
  if (newer.empty() && !tail_.log.name.empty()) return absl::OkStatus();
  const uint64_t start = state_.events().last_sequence() + 1;
  absl::StatusOr<std::vector<LogFile>> logs =
      LogsToReplay(env_, directory_, std::move(newer), start, tail_.log.first);
  if (!logs.ok()) return logs.status();
  for (size_t i = 0; i < logs->size(); ++i) {
    const LogFile& log = (*logs)[i];
    const uint64_t last = state_.events().last_sequence();
    if (log.first > last + 1) {
      // A listing made while a writer made a log may show the next one but
      // not it (readdir is no snapshot of the directory): when the
      // directory changed since, look again.
      *raced = DirectoryChanged(env_, directory_, *listing);
      return absl::FailedPreconditionError(absl::StrFormat(
          "%s: the next log starts at sequence %d, but this reader has read "
          "up to %d: the logs holding sequence numbers %d to %d were removed "
          "(LogRetention::kRemove) after snapshots while it was not looking; "
          "open the ledger again (Ledger::OpenReadOnly) to read them from the "
          "snapshot",
          FilePath(log.RelativePath()), log.first, last, last + 1,
          log.first - 1));
    }
    absl::StatusOr<uint64_t> size =
        env_->GetFileSize(FilePath(log.RelativePath()));
    if (i + 1 == logs->size() && size.ok() &&
        *size < LogHeader(log.first).size()) {
      break;  // being created: read it next time
    }
    if (absl::Status s = ReadNewLog(log, /*at_open=*/false, raced); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> LedgerImpl::CatchUp() {
  if (!read_only_) {
    return absl::FailedPreconditionError(
        "CatchUp is for a ledger opened read-only (Ledger::OpenReadOnly); "
        "this one records its own appends and is always up to date");
  }
  std::lock_guard<std::mutex> lock(catch_up_mu_);
  absl::Status status;
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    bool raced = false;
    status = CatchUpOnce(&raced);
    if (status.ok()) return state_.last_sequence_number();
    if (!raced) break;
  }
  return status;
}

// ---------------------------------------------------------------------------
// Snapshots.

absl::StatusOr<uint64_t> LedgerImpl::WriteSnapshot() {
  if (env_ == nullptr) {
    return absl::FailedPreconditionError(
        "WriteSnapshot needs a durable ledger (Ledger::Open)");
  }
  std::lock_guard<std::mutex> commit(commit_mu_);  // no appends meanwhile
  if (!broken_.ok()) return broken_;
  const uint64_t sequence = state_.events().last_sequence();
  const std::string name = NumberedName(sequence, kSnapshotSuffix);
  const std::string temp = FilePath(absl::StrCat(name, kTempSuffix));
  auto fail = [&](absl::Status status) {
    env_->RemoveFile(temp).IgnoreError();
    return status;
  };
  {
    absl::StatusOr<std::unique_ptr<WritableFile>> file =
        env_->NewWritableFile(temp);
    if (!file.ok()) return file.status();
    absl::Status status =
        (*file)->Append(internal::EncodeHeader(internal::FileHeader{
            std::string(internal::kSnapshotMagic), internal::kFormatVersion,
            sequence, std::string(kSnapshotType)}));
    if (!status.ok()) return fail(status);
    internal::SnapshotSink sink(file->get());
    {
      internal::LedgerReader reader(state_);
      state_.SaveColumns(sink);
    }
    uint64_t end = sequence;
    sink.Value("end", end);
    if (!sink.status().ok()) return fail(sink.status());
    if (status = (*file)->Sync(); !status.ok()) return fail(status);
    if (status = (*file)->Close(); !status.ok()) return fail(status);
  }
  if (absl::Status s = env_->RenameFile(temp, FilePath(name)); !s.ok()) {
    return fail(s);
  }
  if (absl::Status s = env_->SyncDir(directory_); !s.ok()) return s;

  // New appends go to a log that starts after the snapshot.
  if (log_first_sequence_ != sequence + 1) {
    const std::string log_name = NumberedName(sequence + 1, kLogSuffix);
    absl::StatusOr<std::unique_ptr<WritableFile>> file =
        env_->NewWritableFile(FilePath(log_name));
    if (!file.ok()) return file.status();
    const std::string header = LogHeader(sequence + 1);
    if (absl::Status s = (*file)->Append(header); !s.ok()) return s;
    if (absl::Status s = (*file)->Sync(); !s.ok()) return s;
    if (absl::Status s = env_->SyncDir(directory_); !s.ok()) return s;
    log_->Close().IgnoreError();
    log_ = std::move(*file);
    log_name_ = log_name;
    log_first_sequence_ = sequence + 1;
    log_size_ = header.size();
  }
  // The logs the snapshot covers (every one but the current, which starts
  // after it): kept, archived or removed. A log that cannot be moved or
  // removed stays where it is, which an open reads the same.
  absl::StatusOr<DirectoryListing> listing = ListDirectory(env_, directory_);
  if (!listing.ok()) return listing.status();
  const std::string archive = FilePath(kArchiveDir);
  bool archive_made = false;
  bool archived = false;
  for (const LogFile& old : listing->logs) {
    if (old.name == log_name_ || old.first > sequence) continue;
    switch (options_.log_retention) {
      case LogRetention::kKeep:
        break;
      case LogRetention::kArchive:
        if (!archive_made) archive_made = env_->CreateDir(archive).ok();
        if (archive_made &&
            env_->RenameFile(FilePath(old.name),
                             absl::StrCat(archive, "/", old.name))
                .ok()) {
          archived = true;
        }
        break;
      case LogRetention::kRemove:
        env_->RemoveFile(FilePath(old.name)).IgnoreError();
        break;
    }
  }
  for (const auto& [covered, old] : listing->snapshots) {
    if (old != name) env_->RemoveFile(FilePath(old)).IgnoreError();
  }
  if (archived) {
    if (absl::Status s = env_->SyncDir(archive); !s.ok()) return s;
  }
  if (absl::Status s = env_->SyncDir(directory_); !s.ok()) return s;
  return sequence;
}

// ---------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Open(
    const LedgerOptions& options, const std::string& directory) {
  if (absl::Status s = internal::CheckLedgerId(options.ledger_id); !s.ok()) {
    return s;
  }
  auto impl = std::make_unique<LedgerImpl>(options);
  if (absl::Status status = impl->OpenDirectory(directory); !status.ok()) {
    return status;
  }
  return std::unique_ptr<Ledger>(std::move(impl));
}

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::OpenReadOnly(
    const LedgerOptions& options, const std::string& directory) {
  if (absl::Status s = internal::CheckLedgerId(options.ledger_id); !s.ok()) {
    return s;
  }
  absl::Status status;
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    auto impl = std::make_unique<LedgerImpl>(options);
    bool raced = false;
    status = impl->OpenDirectoryReadOnly(directory, &raced);
    if (status.ok()) return std::unique_ptr<Ledger>(std::move(impl));
    if (!raced) break;
  }
  return status;
}

absl::StatusOr<VerifyReport> Ledger::Verify(const LedgerOptions& options,
                                            const std::string& directory) {
  absl::StatusOr<VerifyReport> report;
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    LedgerImpl impl(options);
    impl.UseDefaultSettings();
    bool raced = false;
    report = impl.Verify(directory, &raced);
    if (!raced) break;
  }
  return report;
}

absl::StatusOr<VerifyReport> LedgerImpl::Verify(const std::string& directory,
                                                bool* raced) {
  env_ = options_.env != nullptr ? options_.env : Env::Default();
  directory_ = directory;
  absl::StatusOr<DirectoryListing> listing = ListDirectory(env_, directory);
  if (!listing.ok()) return listing.status();
  VerifyReport report;
  for (size_t i = 0; i < listing->snapshots.size(); ++i) {
    const auto& [covered, name] = listing->snapshots[i];
    VerifyReport::File file;
    file.name = name;
    file.snapshot = true;
    if (absl::StatusOr<uint64_t> size = env_->GetFileSize(FilePath(name));
        size.ok()) {
      file.bytes = *size;
    }
    if (i == 0) {
      absl::StatusOr<uint64_t> sequence =
          LoadSnapshot(FilePath(name), &file.records);
      if (!sequence.ok()) {
        // Removed by a writer's newer snapshot since the listing.
        *raced = absl::IsNotFound(sequence.status());
        report.problems.push_back(std::string(sequence.status().message()));
        report.files.push_back(file);
        report.last_sequence = 0;
        return report;
      }
      file.first_sequence = *sequence > 0 ? 1 : 0;
      file.last_sequence = *sequence;
    } else {
      // An older snapshot, which no open reads: what its name says it holds.
      file.first_sequence = covered > 0 ? 1 : 0;
      file.last_sequence = covered;
    }
    report.files.push_back(file);
  }
  // Every log, the archived ones first (they are older), each once.
  absl::StatusOr<std::vector<LogFile>> archived = ListArchive(env_, directory);
  if (!archived.ok()) return archived.status();
  std::vector<LogFile> logs;
  for (const LogFile& log : *archived) {
    const bool also_in_dir =
        std::any_of(listing->logs.begin(), listing->logs.end(),
                    [&](const LogFile& l) { return l.first == log.first; });
    if (!also_in_dir) logs.push_back(log);
  }
  logs.insert(logs.end(), listing->logs.begin(), listing->logs.end());
  std::stable_sort(
      logs.begin(), logs.end(),
      [](const LogFile& a, const LogFile& b) { return a.first < b.first; });
  uint64_t newest_first = 0;  // the newest log not cut off in its header
  std::string newest_name;
  for (size_t i = 0; i < logs.size(); ++i) {
    LogFile& log = logs[i];
    VerifyReport::File file;
    file.name = log.RelativePath();
    if (absl::StatusOr<uint64_t> size = env_->GetFileSize(FilePath(file.name));
        size.ok()) {
      file.bytes = *size;
    }
    absl::Status status;
    absl::StatusOr<std::unique_ptr<SequentialFile>> opened =
        internal::OpenLogFile(env_, directory_, &log);
    if (opened.ok()) {
      file.name = log.RelativePath();
      LogRead read;
      status = ReadLog(opened->get(), FilePath(file.name), log.first, 0, "",
                       /*recover=*/true, &report.damage, &file, &read);
      report_.lost_events += read.lost;
    } else {
      // Removed by a writer's snapshot since the listing.
      *raced = absl::IsNotFound(opened.status());
      status = opened.status();
    }
    if (!status.ok()) {
      if (!absl::IsDataLoss(status) && !absl::IsFailedPrecondition(status)) {
        return status;
      }
      // As on open: a newest log shorter than its header was being created
      // when the writer died, a cut-off tail rather than damage.
      if (i + 1 == logs.size() && absl::IsDataLoss(status) &&
          file.bytes < LogHeader(log.first).size()) {
        report.damage.push_back(DamagedRange{FilePath(file.name), 0, file.bytes,
                                             true, "log header cut off"});
        report.files.push_back(file);
        continue;
      }
      report.problems.push_back(std::string(status.message()));
    }
    report.files.push_back(file);
    newest_first = log.first;
    newest_name = file.name;
  }
  // As on open: no sequence numbers missing after the last event replayed.
  if (!newest_name.empty() &&
      newest_first > state_.events().last_sequence() + 1) {
    report.problems.push_back(NewestLogGap(FilePath(newest_name), newest_first,
                                           state_.events().last_sequence()));
  }
  if (report_.lost_events > 0) {
    report.problems.push_back(absl::StrCat(
        report_.lost_events, " sequence numbers lost to damaged records"));
  }
  report.last_sequence = state_.events().last_sequence();
  report.events = report.last_sequence - report_.lost_events;
  return report;
}

}  // namespace contactledger
