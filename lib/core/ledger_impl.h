// LedgerImpl: the ledger behind contactledger::Ledger: the writer queue, the
// group commit, and durability (the directory, its manifest, the log,
// snapshots, recovery), over a LedgerState (lib/state) that holds what the
// ledger knows. Shared by ledger.cc (appends) and durability.cc.

#ifndef CONTACTLEDGER_LIB_CORE_LEDGER_IMPL_H_
#define CONTACTLEDGER_LIB_CORE_LEDGER_IMPL_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/storage.pb.h"
#include "lib/core/log_files.h"
#include "lib/core/validator.h"
#include "lib/log/record_io.h"
#include "lib/state/ledger_state.h"

namespace contactledger {

// The ledger behind Ledger::New, Ledger::Open and Ledger::OpenReadOnly.
class LedgerImpl final : public Ledger {
 public:
  // The settings of `options` a directory may decide (time zone, identity
  // rules) stay unset until OpenDirectory or UseDefaultSettings.
  explicit LedgerImpl(const LedgerOptions& options);
  ~LedgerImpl() override;

  // Fills in the settings `options` left unset with the defaults (UTC,
  // IdentityRules::kChina): an in-memory ledger, or Verify.
  void UseDefaultSettings();

  // --- Durability (durability.cc). ---
  // Opens the directory: lock, manifest, load the newest snapshot, replay the
  // logs, open the log for appending.
  absl::Status OpenDirectory(const std::string& directory);
  // Ledger::OpenReadOnly on this fresh ledger: manifest (not written), the
  // newest snapshot, the logs after it, without a lock or any change. Sets
  // *raced when a file it listed was gone when opened (a writer's
  // WriteSnapshot removed or archived it): the caller tries again on a
  // fresh LedgerImpl.
  absl::Status OpenDirectoryReadOnly(const std::string& directory, bool* raced);
  // Loads snapshot `path` into this (empty) ledger; returns its sequence.
  // `sections`, when given, gets the number of its records.
  absl::StatusOr<uint64_t> LoadSnapshot(const std::string& path,
                                        uint64_t* sections = nullptr);
  // Where reading a log stopped (ReadLog).
  struct LogRead {
    uint64_t valid_end = 0;   // just past its last intact record
    bool appendable = false;  // RecordReader::appendable
    uint64_t events = 0;      // events replayed (not those already held)
    uint64_t lost = 0;        // sequence numbers marked lost
    // RecordReader::UnreadTail: the bytes read past valid_end.
    bool unread_valid = false;
    std::string unread;
  };
  // Replays the records of `file`, the log at `path` whose name says it
  // starts at `first`, on top of the current state: from its header when
  // `from` is 0, else from byte `from` (positioned there, `buffered` holding
  // what was read past it before: RecordReader::StartAt). Batches the state
  // holds already are skipped. Ranges that are damaged or cut off go to
  // `damage`; with `recover`, damage is skipped.
  absl::Status ReadLog(SequentialFile* file, const std::string& path,
                       uint64_t first, uint64_t from, std::string buffered,
                       bool recover, std::vector<DamagedRange>* damage,
                       VerifyReport::File* file_report, LogRead* read);
  // Ledger::Verify on this fresh ledger. Sets *raced when a file it listed
  // was gone when opened (a writer's WriteSnapshot removed it): the caller
  // tries again on a fresh LedgerImpl.
  absl::StatusOr<VerifyReport> Verify(const std::string& directory,
                                      bool* raced);

  // --- Ledger. ---
  absl::StatusOr<uint64_t> WriteSnapshot() override;
  absl::StatusOr<uint64_t> CatchUp() override;
  void Fence(absl::Status reason) override;
  const RecoveryReport& recovery_report() const override { return report_; }
  bool IsRetracted(uint64_t sequence,
                   const ReadOptions& options) const override {
    return state_.IsRetracted(sequence, options);
  }
  std::vector<std::string> UnregisteredPersons(
      const ReadOptions& options) const override {
    return state_.UnregisteredPersons(options);
  }
  LedgerStats Stats() const override { return state_.Stats(); }
  const LedgerOptions& options() const override { return options_; }
  const std::string& ledger_id() const override {
    return directory_.empty() ? options_.ledger_id : manifest_.ledger_id();
  }

  // --- LedgerView: the state's reads. ---
  absl::TimeZone time_zone() const override { return state_.time_zone(); }
  uint64_t last_sequence_number() const override {
    return state_.last_sequence_number();
  }
  absl::StatusOr<v1::LedgerEvent> GetEvent(
      uint64_t sequence, const ReadOptions& options) const override;
  absl::StatusOr<v1::Area> GetArea(absl::string_view id,
                                   const ReadOptions& options) const override {
    return state_.GetArea(id, options);
  }
  absl::StatusOr<v1::Household> GetHousehold(
      absl::string_view id, const ReadOptions& options) const override {
    return state_.GetHousehold(id, options);
  }
  absl::StatusOr<v1::Person> GetPerson(
      absl::string_view id, const ReadOptions& options) const override {
    return state_.GetPerson(id, options);
  }
  std::vector<std::string> FindPersonsByNationalId(
      absl::string_view national_id,
      const ReadOptions& options) const override {
    return state_.FindPersonsByNationalId(national_id, options);
  }
  absl::StatusOr<std::vector<std::string>> HouseholdMembers(
      absl::string_view id, const ReadOptions& options) const override {
    return state_.HouseholdMembers(id, options);
  }
  absl::StatusOr<std::vector<std::string>> ChildAreas(
      absl::string_view id, const ReadOptions& options) const override {
    return state_.ChildAreas(id, options);
  }
  absl::StatusOr<std::vector<std::string>> AreaSubtree(
      absl::string_view id, const ReadOptions& options) const override {
    return state_.AreaSubtree(id, options);
  }
  absl::StatusOr<std::vector<std::string>> PersonsInArea(
      absl::string_view id, const ReadOptions& options) const override {
    return state_.PersonsInArea(id, options);
  }
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> ExposuresOf(
      absl::string_view id, absl::Time from, absl::Time to,
      const ReadOptions& options) const override {
    return state_.ExposuresOf(id, from, to, options);
  }
  absl::StatusOr<std::vector<Recorded<v1::Diagnosis>>> DiagnosesOf(
      absl::string_view id, const ReadOptions& options) const override {
    return state_.PersonEventsOf<v1::Diagnosis>(internal::kDiagnoses, id,
                                                options);
  }
  absl::StatusOr<std::vector<Recorded<v1::QuarantineAction>>>
  QuarantineActionsOf(absl::string_view id,
                      const ReadOptions& options) const override {
    return state_.PersonEventsOf<v1::QuarantineAction>(
        internal::kQuarantineActions, id, options);
  }
  absl::StatusOr<std::vector<Recorded<v1::HealthCheck>>> HealthChecksOf(
      absl::string_view id, const ReadOptions& options) const override {
    return state_.PersonEventsOf<v1::HealthCheck>(internal::kHealthChecks, id,
                                                  options);
  }
  absl::StatusOr<std::vector<Recorded<v1::CheckpointPassage>>> PassagesOf(
      absl::string_view id, const ReadOptions& options) const override {
    return state_.PersonEventsOf<v1::CheckpointPassage>(internal::kPassages, id,
                                                        options);
  }

 private:
  // One caller of AppendBatch waiting in the writer queue.
  struct Writer {
    absl::Span<const v1::LedgerEvent> events;
    bool sync = false;
    std::optional<uint64_t> expected_last_sequence;
    bool done = false;
    absl::StatusOr<std::vector<uint64_t>> result;
    std::condition_variable cv;
  };
  const internal::LedgerState& state() const override { return state_; }
  // Appends through the writer queue: the writer at its head commits every
  // queued batch as one group (one log write, at most one fsync).
  absl::StatusOr<std::vector<uint64_t>> Record(
      absl::Span<const v1::LedgerEvent> batch,
      const WriteOptions& options) override;
  absl::Status RecordAsRecorded(absl::Span<const v1::LedgerEvent> events,
                                const WriteOptions& options) override;

 public:
  // AppendRecorded of a batch as another ledger logged it: `payload` is its
  // log record (a serialised EventBatch), logged byte for byte, and `batch`
  // the same parsed. A replica logs its writer's batches so, and its log is
  // then the writer's (the chain a Shipper checks is over these bytes).
  absl::Status RecordLoggedBatch(const v1::EventBatch& batch,
                                 absl::string_view payload,
                                 const WriteOptions& options);

 private:
  // Validates, logs and applies `group` (commit_mu_ held).
  void CommitGroup(const std::vector<Writer*>& group);
  static void AppendLoggedEvent(const v1::LedgerEvent& event, uint64_t sequence,
                                absl::Time record_time, std::string* payload);
  // Writes `records` to the log, syncing when asked (commit_mu_ held).
  absl::Status WriteLog(const std::string& records, bool sync);
  // Replays one logged batch (recovery): checks its sequence numbers and
  // record time, validates it and applies it. With `recover`, up to
  // `lost_allowed` sequence numbers missing before it are marked lost (and
  // counted in *lost).
  absl::Status ReplayBatch(const v1::EventBatch& batch, bool recover,
                           uint64_t lost_allowed, uint64_t* lost);
  // OpenDirectory and OpenDirectoryReadOnly: takes the settings of the
  // directory_ (options_, the state's time zone) from its MANIFEST, or, for a
  // directory without one (new, or from before manifests), from a manifest
  // made now of the options and not yet written; *made_new (when given) says
  // which. A directory its MANIFEST marks a replica opens as one.
  absl::Status TakeSettings(bool* made_new);
  // OpenDirectory and OpenDirectoryReadOnly: loads the first of `snapshots`
  // (the directory's, newest first), if any, and puts it in the report.
  absl::Status LoadNewestSnapshot(
      const std::vector<std::pair<uint64_t, std::string>>& snapshots);
  // Writes the manifest this open made for a directory without one.
  absl::Status WriteNewManifest();
  // One pass of CatchUp (catch_up_mu_ held); *raced as for
  // OpenDirectoryReadOnly.
  absl::Status CatchUpOnce(bool* raced);
  // CatchUp: reads the rest of tail_'s log.
  absl::Status ContinueTail();
  // A read-only ledger (catch_up_mu_ held): reads `log`, which starts after
  // tail_'s log, from its header, and makes it tail_. `at_open`: adds what
  // it read to report_ (the open's; CatchUp leaves the report alone).
  absl::Status ReadNewLog(internal::LogFile log, bool at_open, bool* raced);
  std::string FilePath(const std::string& name) const {
    return directory_ + "/" + name;
  }

  LedgerOptions options_;

  // The writer queue (see Record).
  // (std:: primitives rather than absl::Mutex so that ThreadSanitizer, which
  // cannot see inside Debian's uninstrumented Abseil, understands them.)
  std::mutex queue_mu_;
  std::deque<Writer*> queue_;  // guarded by queue_mu_
  // Held by whoever changes the ledger: the group committer, a snapshot.
  std::mutex commit_mu_;

  // Durable ledgers: the directory, its lock and the open log.
  Env* env_ = nullptr;
  std::string directory_;
  std::unique_ptr<FileLock> lock_;
  std::unique_ptr<WritableFile> log_;
  std::string log_name_;
  uint64_t log_first_sequence_ = 0;
  uint64_t log_size_ = 0;
  // Every append and WriteSnapshot fails with this: after a log write or
  // sync error, once fenced (Fence), or always on a read-only ledger.
  absl::Status broken_;
  // Opened with OpenReadOnly: no lock, no log_, never writes.
  bool read_only_ = false;
  // A read-only ledger: where it stopped reading the logs, for CatchUp.
  struct LogTail {
    internal::LogFile log;  // log.name empty: no log read yet
    uint64_t offset = 0;    // just past its last intact record
    // The file as last read, and the bytes read past `offset`: to read on
    // from there should a writer remove the log before the next CatchUp.
    std::unique_ptr<SequentialFile> file;
    bool unread_valid = false;
    std::string unread;
  };
  std::mutex catch_up_mu_;  // serialises CatchUp
  LogTail tail_;            // guarded by catch_up_mu_
  RecoveryReport report_;
  v1::LedgerManifest manifest_;   // a durable ledger's MANIFEST
  bool manifest_is_new_ = false;  // made by this open, not yet written

  // What the ledger knows: the tables, the event index, their lock.
  internal::LedgerState state_;
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_CORE_LEDGER_IMPL_H_
