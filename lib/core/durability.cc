// The durable side of LedgerImpl: the directory, the log, snapshots,
// recovery and verification. File formats: docs/log_format.md.
//
// A ledger directory holds
//   LOCK                      held while a ledger has the directory open
//   MANIFEST                  format version, id, time zone, identity rules
//                             (manifest.h)
//   <20-digit seq>.log        a log whose first event has that number
//   <20-digit seq>.snapshot   the state as of that sequence number
//   *.tmp                     a snapshot or manifest being written
//                             (removed on open)

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "contactledger/ledger.h"
#include "lib/columns/snapshot_io.h"
#include "lib/core/ledger_impl.h"
#include "lib/core/manifest.h"
#include "lib/log/record_io.h"
#include "lib/state/reader.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace {

constexpr absl::string_view kLogSuffix = ".log";
constexpr absl::string_view kSnapshotSuffix = ".snapshot";
constexpr absl::string_view kTempSuffix = ".tmp";
constexpr absl::string_view kLogType = "contactledger.v1.EventBatch";
constexpr absl::string_view kSnapshotType = "contactledger.v1.SnapshotSection";

std::string NumberedName(uint64_t sequence, absl::string_view suffix) {
  return absl::StrCat(absl::StrFormat("%020d", sequence), suffix);
}

// Parses "<20 digits><suffix>".
bool ParseNumbered(absl::string_view name, absl::string_view suffix,
                   uint64_t* sequence) {
  if (name.size() != 20 + suffix.size() || !absl::EndsWith(name, suffix)) {
    return false;
  }
  const absl::string_view digits = name.substr(0, 20);
  if (!std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit)) {
    return false;
  }
  return absl::SimpleAtoi(digits, sequence);
}

struct DirectoryListing {
  std::vector<std::pair<uint64_t, std::string>> snapshots;  // newest first
  std::vector<std::pair<uint64_t, std::string>> logs;       // oldest first
  std::vector<std::string> temporaries;
};

absl::StatusOr<DirectoryListing> ListDirectory(Env* env,
                                               const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names = env->GetChildren(dir);
  if (!names.ok()) return names.status();
  DirectoryListing listing;
  for (const std::string& name : *names) {
    uint64_t sequence = 0;
    if (ParseNumbered(name, kSnapshotSuffix, &sequence)) {
      listing.snapshots.emplace_back(sequence, name);
    } else if (ParseNumbered(name, kLogSuffix, &sequence)) {
      listing.logs.emplace_back(sequence, name);
    } else if (absl::EndsWith(name, kTempSuffix)) {
      listing.temporaries.push_back(name);
    }
  }
  std::sort(listing.snapshots.rbegin(), listing.snapshots.rend());
  std::sort(listing.logs.begin(), listing.logs.end());
  return listing;
}

std::string LogHeader(uint64_t first) {
  return internal::EncodeHeader(internal::FileHeader{
      std::string(internal::kLogMagic), internal::kFormatVersion, first,
      std::string(kLogType)});
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

absl::Status LedgerImpl::ReplayLog(const std::string& path, bool recover,
                                   std::vector<DamagedRange>* damage,
                                   VerifyReport::File* file_report,
                                   uint64_t* valid_end) {
  absl::StatusOr<std::unique_ptr<SequentialFile>> file =
      env_->NewSequentialFile(path);
  if (!file.ok()) return file.status();
  internal::RecordReader reader(file->get(), path, recover);
  absl::StatusOr<internal::FileHeader> header =
      reader.ReadHeader(internal::kLogMagic);
  if (!header.ok()) return header.status();
  if (header->type_name != kLogType) {
    return absl::DataLossError(absl::StrCat(path, ": offset 0: records are '",
                                            header->type_name, "', expected '",
                                            kLogType, "'"));
  }
  // The name says where the log starts, and orders the replay.
  uint64_t named = 0;
  if (ParseNumbered(absl::string_view(path).substr(path.rfind('/') + 1),
                    kLogSuffix, &named) &&
      named != header->base_sequence) {
    return absl::DataLossError(absl::StrFormat(
        "%s: offset 0: the header says the log starts at sequence %d, the "
        "name at %d",
        path, header->base_sequence, named));
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
    if (!batch.ParseFromArray(payload.data(),
                              static_cast<int>(payload.size()))) {
      problem = absl::DataLossError("record does not parse as an EventBatch");
    } else if (batch.events_size() == 0) {
      problem = absl::DataLossError("record holds an empty batch");
    } else if (batch.events(0).sequence_number() < header->base_sequence) {
      // Logs are replayed in the order of their first sequence numbers; a
      // log holding earlier events would be replayed out of order.
      problem = absl::DataLossError(absl::StrFormat(
          "batch starts at sequence %d, before the log's first sequence %d",
          batch.events(0).sequence_number(), header->base_sequence));
    } else if (batch.events(batch.events_size() - 1).sequence_number() <=
               state_.events().last_sequence()) {
      continue;  // already in the snapshot
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
    report_.replayed_events += batch.events_size();
    if (file_report != nullptr) {
      ++file_report->records;
      if (file_report->first_sequence == 0) {
        file_report->first_sequence = batch.events(0).sequence_number();
      }
      file_report->last_sequence =
          batch.events(batch.events_size() - 1).sequence_number();
    }
  }
  report_.lost_events += lost;
  for (const internal::Damage& d : reader.damage()) {
    damage->push_back(ToRange(d));
  }
  if (valid_end != nullptr) {
    *valid_end = reader.appendable() ? reader.valid_end() : 0;
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> LedgerImpl::LoadSnapshot(const std::string& path) {
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
  return end;
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
  absl::StatusOr<v1::LedgerManifest> manifest =
      internal::ReadManifest(env_, directory);
  if (absl::IsNotFound(manifest.status())) {
    manifest =
        internal::NewManifest(env_, directory, options_, options_.clock->Now());
    if (!manifest.ok()) return manifest.status();
    manifest_is_new_ = true;
  }
  if (!manifest.ok()) return manifest.status();
  if (absl::Status s = internal::ApplyManifest(*manifest, directory, &options_);
      !s.ok()) {
    return s;
  }
  manifest_ = *manifest;
  state_.set_time_zone(*options_.time_zone);
  if (!listing->snapshots.empty()) {
    const std::string& name = listing->snapshots.front().second;
    absl::StatusOr<uint64_t> sequence = LoadSnapshot(FilePath(name));
    if (!sequence.ok()) return sequence.status();
    report_.snapshot_file = name;
    report_.snapshot_sequence = *sequence;
  }
  // Where a writer may continue each log replayed (0: nowhere, ReplayLog).
  std::vector<uint64_t> valid_ends;
  std::string torn_log;
  for (const auto& [first, name] : listing->logs) {
    uint64_t valid_end = 0;
    absl::Status status = ReplayLog(FilePath(name), options_.recover_damaged,
                                    &report_.damage, nullptr, &valid_end);
    if (!status.ok()) {
      // A newest log shorter than its header was being created when the
      // writer died: start it again.
      absl::StatusOr<uint64_t> size = env_->GetFileSize(FilePath(name));
      const bool torn_creation = &name == &listing->logs.back().second &&
                                 size.ok() && *size < LogHeader(first).size() &&
                                 absl::IsDataLoss(status);
      if (!torn_creation) return status;
      report_.damage.push_back(
          DamagedRange{name, 0, *size, true, "log header cut off"});
      torn_log = name;  // removed once the open cannot fail any more
      listing->logs.pop_back();
      break;
    }
    valid_ends.push_back(valid_end);
    report_.log_files.push_back(name);
  }

  // Appends continue the newest log after its last intact record, cutting
  // off what follows; the newest log must not start after the next sequence
  // number (NewestLogGap). Not when recovery skipped damage before that
  // record (valid end 0): appending could change how the damage reads
  // (docs/log_format.md). Appends then go to a new log, which the next
  // sequence number names, after the newest.
  const uint64_t next = state_.events().last_sequence() + 1;
  const std::string next_name = NumberedName(next, kLogSuffix);
  if (!listing->logs.empty()) {
    const auto& [first, name] = listing->logs.back();
    const uint64_t end = valid_ends.back();
    if (first > next) {
      return absl::DataLossError(
          NewestLogGap(FilePath(name), first, state_.events().last_sequence()));
    }
    if (end != 0) {
      if (absl::Status s = WriteNewManifest(); !s.ok()) return s;
      if (!torn_log.empty()) env_->RemoveFile(FilePath(torn_log)).IgnoreError();
      absl::StatusOr<std::unique_ptr<WritableFile>> file =
          env_->NewAppendableFile(FilePath(name));
      if (!file.ok()) return file.status();
      absl::StatusOr<uint64_t> size = env_->GetFileSize(FilePath(name));
      if (!size.ok()) return size.status();
      if (*size > end) {
        if (absl::Status s = (*file)->Truncate(end); !s.ok()) return s;
        if (absl::Status s = (*file)->Sync(); !s.ok()) return s;
      }
      log_ = std::move(*file);
      log_name_ = name;
      log_first_sequence_ = first;
      log_size_ = end;
      return absl::OkStatus();
    }
    if (name == next_name) {
      return absl::DataLossError(absl::StrCat(
          FilePath(name),
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
  // Retire what the snapshot covers.
  absl::StatusOr<DirectoryListing> listing = ListDirectory(env_, directory_);
  if (!listing.ok()) return listing.status();
  for (const auto& [first, old] : listing->logs) {
    if (old != log_name_ && first <= sequence) {
      env_->RemoveFile(FilePath(old)).IgnoreError();
    }
  }
  for (const auto& [covered, old] : listing->snapshots) {
    if (old != name) env_->RemoveFile(FilePath(old)).IgnoreError();
  }
  if (absl::Status s = env_->SyncDir(directory_); !s.ok()) return s;
  return sequence;
}

// ---------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Open(
    const LedgerOptions& options, const std::string& directory) {
  auto impl = std::make_unique<LedgerImpl>(options);
  if (absl::Status status = impl->OpenDirectory(directory); !status.ok()) {
    return status;
  }
  return std::unique_ptr<Ledger>(std::move(impl));
}

absl::StatusOr<VerifyReport> Ledger::Verify(const LedgerOptions& options,
                                            const std::string& directory) {
  LedgerImpl impl(options);
  impl.UseDefaultSettings();
  return impl.Verify(directory);
}

absl::StatusOr<VerifyReport> LedgerImpl::Verify(const std::string& directory) {
  env_ = options_.env != nullptr ? options_.env : Env::Default();
  directory_ = directory;
  absl::StatusOr<DirectoryListing> listing = ListDirectory(env_, directory);
  if (!listing.ok()) return listing.status();
  VerifyReport report;
  for (size_t i = 0; i < listing->snapshots.size(); ++i) {
    const std::string& name = listing->snapshots[i].second;
    VerifyReport::File file;
    file.name = name;
    if (absl::StatusOr<uint64_t> size = env_->GetFileSize(FilePath(name));
        size.ok()) {
      file.bytes = *size;
    }
    if (i == 0) {
      absl::StatusOr<uint64_t> sequence = LoadSnapshot(FilePath(name));
      if (!sequence.ok()) {
        report.problems.push_back(std::string(sequence.status().message()));
        report.files.push_back(file);
        report.last_sequence = 0;
        return report;
      }
      file.last_sequence = *sequence;
    }
    report.files.push_back(file);
  }
  uint64_t newest_first = 0;  // the newest log not cut off in its header
  std::string newest_name;
  for (const auto& [first, name] : listing->logs) {
    VerifyReport::File file;
    file.name = name;
    if (absl::StatusOr<uint64_t> size = env_->GetFileSize(FilePath(name));
        size.ok()) {
      file.bytes = *size;
    }
    absl::Status status = ReplayLog(FilePath(name), /*recover=*/true,
                                    &report.damage, &file, nullptr);
    if (!status.ok()) {
      if (!absl::IsDataLoss(status) && !absl::IsFailedPrecondition(status)) {
        return status;
      }
      // As on open: a newest log shorter than its header was being created
      // when the writer died, a cut-off tail rather than damage.
      if (&name == &listing->logs.back().second && absl::IsDataLoss(status) &&
          file.bytes < LogHeader(first).size()) {
        report.damage.push_back(DamagedRange{FilePath(name), 0, file.bytes,
                                             true, "log header cut off"});
        report.files.push_back(file);
        continue;
      }
      report.problems.push_back(std::string(status.message()));
    }
    report.files.push_back(file);
    newest_first = first;
    newest_name = name;
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
