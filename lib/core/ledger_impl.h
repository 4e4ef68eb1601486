// Ledger::Impl: the state behind contactledger::Ledger, shared by
// ledger.cc (appends and reads) and durability.cc (log, snapshots, recovery).

#ifndef CONTACTLEDGER_LIB_CORE_LEDGER_IMPL_H_
#define CONTACTLEDGER_LIB_CORE_LEDGER_IMPL_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/storage.pb.h"
#include "lib/core/validator.h"
#include "lib/index/event_index.h"
#include "lib/index/tables.h"
#include "lib/log/record_io.h"
#include "lib/columns/snapshot_io.h"

namespace contactledger {

class Ledger::Impl {
 public:
  friend class internal::LedgerReader;

  explicit Impl(const LedgerOptions& options) : options_(options) {
    if (options_.clock == nullptr) options_.clock = Clock::Real();
  }

  const LedgerOptions& options() const { return options_; }

  // Appends through the writer queue: the writer at its head commits every
  // queued batch as one group (one log write, at most one fsync).
  absl::StatusOr<std::vector<uint64_t>> AppendBatch(
      absl::Span<const v1::LedgerEvent> batch, const WriteOptions& options);

  // --- Durability (durability.cc). ---
  // Opens the directory: lock, load the newest snapshot, replay the logs,
  // open the log for appending.
  absl::Status OpenDirectory(const std::string& directory);
  absl::StatusOr<uint64_t> WriteSnapshot();
  const RecoveryReport& recovery_report() const { return report_; }
  // Loads snapshot `path` into this (empty) ledger; returns its sequence.
  absl::StatusOr<uint64_t> LoadSnapshot(const std::string& path);
  // After a snapshot is loaded: OK when the state is one appends could have
  // built, so that no read or append leaves its arrays or loops; else
  // DataLoss naming the column and row (state_check.cc).
  absl::Status CheckState() const;
  // Replays log `path` on top of the current state. Ranges that are damaged
  // or cut off go to `damage`; with `recover`, damage is skipped.
  // `valid_end` gets where a writer may continue the log, or 0 when it may
  // not (RecordReader::appendable).
  absl::Status ReplayLog(const std::string& path, bool recover,
                         std::vector<DamagedRange>* damage,
                         VerifyReport::File* file_report, uint64_t* valid_end);
  // Ledger::Verify on this fresh ledger.
  absl::StatusOr<VerifyReport> Verify(const std::string& directory);

  ~Impl() {
    if (log_ != nullptr) log_->Close().IgnoreError();
  }
  uint64_t last_sequence_number() const {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return events_.last_sequence();
  }
  absl::StatusOr<v1::LedgerEvent> GetEvent(uint64_t sequence) const;
  bool IsRetracted(uint64_t sequence, const ReadOptions& options) const {
    std::shared_lock<std::shared_mutex> lock(mu_);
    const internal::Cut cut = CutFor(options);
    return sequence <= cut.sequence && events_.IsRetracted(sequence, cut);
  }

  absl::StatusOr<v1::Area> GetArea(absl::string_view id,
                                   const ReadOptions& options) const;
  absl::StatusOr<v1::Household> GetHousehold(absl::string_view id,
                                             const ReadOptions& options) const;
  absl::StatusOr<v1::Person> GetPerson(absl::string_view id,
                                       const ReadOptions& options) const;
  std::vector<std::string> FindPersonsByNationalId(
      absl::string_view national_id, const ReadOptions& options) const;
  absl::StatusOr<std::vector<std::string>> HouseholdMembers(
      absl::string_view id, const ReadOptions& options) const;
  absl::StatusOr<std::vector<std::string>> ChildAreas(
      absl::string_view id, const ReadOptions& options) const;
  absl::StatusOr<std::vector<std::string>> AreaSubtree(
      absl::string_view id, const ReadOptions& options) const;
  absl::StatusOr<std::vector<std::string>> PersonsInArea(
      absl::string_view id, const ReadOptions& options) const;
  std::vector<std::string> UnregisteredPersons(
      const ReadOptions& options) const;
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> ExposuresOf(
      absl::string_view id, absl::Time from, absl::Time to,
      const ReadOptions& options) const;

  template <typename Body>
  absl::StatusOr<std::vector<Recorded<Body>>> PersonEventsOf(
      internal::PersonList list, absl::string_view id,
      const ReadOptions& options) const;

  LedgerStats Stats() const;

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
  // Validates, logs and applies `group` (commit_mu_ held).
  void CommitGroup(const std::vector<Writer*>& group);
  static void AppendLoggedEvent(const v1::LedgerEvent& event, uint64_t sequence,
                                absl::Time record_time, std::string* payload);
  // Writes `records` to the log, syncing when asked (commit_mu_ held).
  absl::Status WriteLog(const std::string& records, bool sync);
  // Applies one validated batch with the given record time (mu_ held
  // exclusively), returning its sequence numbers.
  std::vector<uint64_t> ApplyBatch(absl::Span<const v1::LedgerEvent> batch,
                                   absl::Time record_time);
  // Replays one logged batch (recovery): checks its sequence numbers and
  // record time, validates it and applies it. With `recover`, up to
  // `lost_allowed` sequence numbers missing before it are marked lost (and
  // counted in *lost).
  absl::Status ReplayBatch(const v1::EventBatch& batch, bool recover,
                           uint64_t lost_allowed, uint64_t* lost);
  // Lists every column of the state, in a fixed order, to a SnapshotSink
  // (save) or SnapshotSource (load).
  template <typename Visitor>
  void VisitState(Visitor& visitor);
  std::string FilePath(const std::string& name) const {
    return directory_ + "/" + name;
  }

  internal::Cut CutFor(const ReadOptions& options) const {
    return events_.CutFor(options.known_at, options.sequence_limit);
  }

  // --- Writing (mu_ held exclusively). ---
  void Apply(const v1::LedgerEvent& event, uint64_t sequence);
  void ApplyArea(const v1::Area& area);
  void ApplyHousehold(const v1::Household& household);
  void ApplyPerson(const v1::Person& person);
  void ApplyExposure(const v1::Exposure& exposure);
  template <typename Body>
  void ApplyPersonEvent(internal::PersonList list, const Body& body,
                        int64_t time, uint32_t code, int32_t value);
  // The dense id of `id`, adding an unregistered person when new.
  uint32_t PersonId(absl::string_view id, bool registering = false);
  // Moves a person's or household's count to the area of its latest
  // unretracted version.
  void Recount(internal::EventKind kind, uint32_t entity);
  // Recounts the entity whose version event `target` was retracted.
  void RecountRetracted(uint64_t target);

  // --- Reading (mu_ held). ---
  v1::Area AreaAt(uint32_t row) const;
  v1::Household HouseholdAt(uint32_t row) const;
  v1::Person PersonAt(uint32_t row) const;
  v1::Exposure ExposureAt(uint32_t row) const;
  template <typename Body>
  Body PersonEventAt(internal::PersonList list, uint32_t row) const;
  v1::Retraction RetractionAt(uint64_t row) const {
    v1::Retraction retraction;
    const absl::string_view bytes =
        retraction_blobs_.Get(retraction_blob_[row]);
    retraction.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
    return retraction;
  }

  // The dense id of a visible area / household, or a NotFound error.
  absl::StatusOr<uint32_t> VisibleArea(absl::string_view id,
                                       const internal::Cut& cut) const;
  absl::StatusOr<uint32_t> VisibleHousehold(absl::string_view id,
                                            const internal::Cut& cut) const;
  absl::StatusOr<uint32_t> KnownPerson(absl::string_view id) const;
  // The visible children of `area`, sorted by id.
  std::vector<uint32_t> Children(uint32_t area, const internal::Cut& cut) const;
  void CollectSubtree(uint32_t area, const internal::Cut& cut,
                      std::vector<uint32_t>* out) const;
  bool ReferencedIn(uint32_t person, const internal::Cut& cut) const;
  std::vector<std::string> SortedKeys(const internal::KeyMap& keys,
                                      std::vector<uint32_t> ids) const;
  template <typename Body>
  Recorded<Body> MakeRecorded(internal::EventKind kind, uint64_t row,
                              Body body) const {
    Recorded<Body> out;
    out.sequence_number = events_.SequenceOf(kind, row);
    out.record_time = events_.RecordTimeOf(out.sequence_number);
    out.body = std::move(body);
    return out;
  }

  LedgerOptions options_;

  // The writer queue (see AppendBatch).
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
  // After a log write or sync error, every append fails with this.
  absl::Status broken_;
  RecoveryReport report_;

  // Readers hold mu_ shared; applying a group holds it exclusively.
  mutable std::shared_mutex mu_;
  internal::EventIndex events_;
  internal::AreaTable areas_;
  internal::HouseholdTable households_;
  internal::PersonTable persons_;
  internal::ExposureTable exposures_;
  internal::PersonEventTable person_events_[internal::kPersonLists];
  internal::SegmentedArray<uint64_t> retraction_blob_;
  internal::StringArena retraction_blobs_;
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_CORE_LEDGER_IMPL_H_
