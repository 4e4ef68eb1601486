// Copyright 2026 The ContactLedger Authors.
//
// contactledger/ledger.h: the contact-tracing ledger.
//
// A Ledger is an append-only record of everything a field team learns about
// an epidemic in one county or city: the area tree (county -> township ->
// village -> grid), households with their responsible workers, persons,
// exposures between persons, diagnoses, quarantine stays, health checks and
// checkpoint passages. Every record is a `contactledger::v1::LedgerEvent`
// (see contactledger/v1/ledger.pb.h for the schema); the ledger gives each
// appended event a sequence number (1, 2, 3, ...) and a record time, and never
// edits or deletes one. Corrections are new events: a newer version of an
// area, household or person replaces the older one ("upsert"), and a
// `Retraction` withdraws any earlier event.
//
// A Ledger is a LedgerView (contactledger/ledger_view.h): its reads, and
// every question asked of it (contactledger/tracing.h), answer "as the ledger
// knew it then" (docs/rules.md sections 1-2). Its options are in
// contactledger/options.h.
//
// Example:
//
//   auto ledger = contactledger::Ledger::New(contactledger::LedgerOptions());
//   contactledger::v1::LedgerEvent event;
//   auto* area = event.mutable_area();
//   area->set_id("yuanling");
//   area->set_level(contactledger::v1::AREA_LEVEL_COUNTY);
//   area->set_name("Yuanling County");
//   absl::StatusOr<uint64_t> seq = ledger->Append(event);
//   if (!seq.ok()) { ... seq.status() names the event, field and reason ... }
//   absl::StatusOr<contactledger::v1::Area> county =
//       ledger->GetArea("yuanling", contactledger::ReadOptions());
//
// Validation. Every event is checked before anything is recorded; a bad event
// gets an InvalidArgument status whose message names the event (its position
// in the batch and its body), the field and the reason, e.g.
//   "event 3 of 5 (exposure): person_b: a person cannot be exposed to
//    themself ('p17')".
// Persons named by exposures, diagnoses, stays, checks or passages need not be
// registered: they are accepted and reported by `UnregisteredPersons` until a
// `Person` record arrives (docs/rules.md section 2). Every string must be
// well-formed UTF-8 within its `Limits`; national ids and phone numbers
// follow `LedgerOptions::identity_rules` (Chinese formats by default, see
// contactledger/privacy.h), e.g.
//   "event 3 of 5 (person 'p17'): national_id: check character is '7',
//    expected 'X'".
//
// Instants in event bodies are kept to the whole second (a Timestamp with
// non-zero nanos is rejected). Dates are `v1::Date` civil days.
//
// Durability. `Ledger::Open(options, directory)` keeps the ledger in a
// directory: every append is first written to an append-only log of framed,
// checksummed protobuf records (docs/log_format.md), then applied to the
// in-memory indexes. `WriteOptions::sync` says what survives a crash (see
// there); concurrent appends that ask for sync share one fsync (group
// commit). `WriteSnapshot()` saves the whole state so that the next open
// loads it instead of replaying the logs; the logs are the record and stay
// (`LedgerOptions::log_retention`: kept by default, or moved to `archive/`,
// or removed), so a snapshot is a cache that may be deleted. Opening loads
// the newest snapshot plus the logs after it: a record cut off at the end of
// the log is a clean end (truncated and reported in `recovery_report()`);
// damage in the middle fails with DataLoss naming the file and byte offset,
// unless `LedgerOptions::recover_damaged` asks to skip and report it. One
// writer at a time: `Open` locks the directory while the ledger is open, and
// a second `Open`, in this process or another, gets FailedPrecondition. Any
// number of readers may open it beside the writer with `OpenReadOnly`, which
// takes no lock and never writes: each sees the ledger as of the last whole
// batch in the log when it opened, and `CatchUp()` reads what was appended
// since. After a write or sync error the log's state is unknown, so the
// ledger refuses further appends (reads go on); reopen it to recover what
// reached the disk.
//
// Threading: one writer, many readers. Append and AppendBatch may be called
// from any thread; concurrent appends are serialised internally. All const
// methods may be called concurrently with each other and with an append (or,
// on a read-only ledger, with CatchUp); each read sees a state between two
// batches, never a half-applied one. To make several reads agree with each
// other while appends go on, pass the same `ReadOptions::sequence_limit`
// (e.g. `last_sequence_number()` read once). Across processes: one process
// holds a directory open with `Open`, others read it with `OpenReadOnly`.
//
// Scale: the indexes are columnar (dense integer ids, append-only segmented
// arrays, intrusive per-person lists, Abseil flat hash sets keyed into string
// arenas), sized for 10 million persons and 100 million exposures in memory.
// Event bodies other than the indexed columns are kept as serialised protobuf
// bytes and decoded on read.

#ifndef CONTACTLEDGER_LEDGER_H_
#define CONTACTLEDGER_LEDGER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "contactledger/ledger_view.h"
#include "contactledger/options.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {

// A damaged or cut-off byte range of a ledger file.
struct DamagedRange {
  std::string file;
  uint64_t offset = 0;
  uint64_t length = 0;
  // A record cut off at the end of a log (where a writer died): a clean end.
  // Otherwise corruption that was skipped (recover_damaged).
  bool truncated_tail = false;
  std::string reason;
};

// What opening a durable ledger found and did.
struct RecoveryReport {
  std::string snapshot_file;  // empty when none was loaded
  uint64_t snapshot_sequence = 0;
  // The logs read, oldest first, relative to the directory (archive/NAME
  // for an archived one); none that the snapshot covers.
  std::vector<std::string> log_files;
  uint64_t replayed_events = 0;  // events read from the logs
  uint64_t lost_events = 0;      // sequence numbers lost to skipped damage
  std::vector<DamagedRange> damage;
};

// What Ledger::Verify found in a directory.
struct VerifyReport {
  struct File {
    std::string name;
    uint64_t bytes = 0;
    // Log: the records (batches) read. Snapshot: its sections.
    uint64_t records = 0;
    uint64_t first_sequence = 0;  // of the events in it (0: none)
    uint64_t last_sequence = 0;
    // A snapshot, which holds every event 1..last_sequence (as the columns
    // of the state); otherwise a log.
    bool snapshot = false;
  };
  // The snapshots (newest first), then the logs in order of their first
  // sequence number, those of `archive/` named "archive/NAME".
  std::vector<File> files;
  uint64_t events = 0;  // events in the state the directory opens to
  uint64_t last_sequence = 0;
  std::vector<DamagedRange> damage;  // every damaged range, tails included
  // Problems beyond byte damage (sequence gaps, events failing validation).
  std::vector<std::string> problems;
  // True when nothing is damaged but at most a cut-off log tail.
  bool ok() const;
};

// Counts of what a ledger holds (every event recorded, retracted or not).
struct LedgerStats {
  uint64_t events = 0;
  uint64_t areas = 0;       // distinct area ids recorded
  uint64_t households = 0;  // distinct household ids recorded
  uint64_t persons = 0;     // distinct person ids registered or referenced
  uint64_t person_versions = 0;
  uint64_t exposures = 0;
  uint64_t diagnoses = 0;
  uint64_t quarantine_actions = 0;
  uint64_t health_checks = 0;
  uint64_t checkpoint_passages = 0;
  uint64_t retractions = 0;
  // Bytes allocated for the in-memory indexes and record arenas: capacity,
  // not use. Columns grow by doubling and untouched capacity is never
  // resident, so this is an upper bound of the ledger's resident memory.
  uint64_t memory_bytes = 0;
};

// A ledger: the reads of LedgerView, plus recording and durability. Made by
// New (in memory) or Open (a directory); used through the pointer they
// return. Pass it as `const LedgerView&` to code that reads and `Ledger&` to
// code that records.
class Ledger : public LedgerView {
 public:
  // Creates an empty in-memory ledger.
  static std::unique_ptr<Ledger> New(const LedgerOptions& options);

  // Opens (or creates) the durable ledger in `directory` for writing,
  // loading its newest snapshot and replaying the logs after it (none that
  // the snapshot covers). The directory's MANIFEST says its time zone and
  // identity rules (docs/log_format.md); a new directory gets those of
  // `options` (UTC and kChina when unset). Errors: FailedPrecondition when
  // another writer (Open) has the directory open, in this process or
  // another (readers, OpenReadOnly, do not count), or when `options` sets a
  // time zone or identity rules that differ from the directory's (the
  // message names both); DataLoss naming the file and byte offset for damage
  // (unless options.recover_damaged); NotFound when the directory is missing
  // and !create_if_missing; AlreadyExists with error_if_exists; the Env's
  // error for I/O failures.
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(
      const LedgerOptions& options, const std::string& directory);

  // Opens the durable ledger in `directory` to read it, beside the writer
  // that may have it open (Open) and any number of other readers, in this
  // process or others (RocksDB's OpenForReadOnly). It takes no lock and
  // creates, changes or removes no file (no MANIFEST is written for a
  // directory that has none: its legacy LEDGERCTL settings or the defaults
  // are used, as Open would record them), so it works on a directory the
  // process cannot write. It loads the newest snapshot and the logs after it
  // and sees the ledger as of the last whole batch: a record cut off at the
  // end of the newest log (a writer in the middle of an append) is where it
  // stops, not damage, and CatchUp() reads it once it is whole. A log or
  // snapshot that a writer's WriteSnapshot removes or archives while this
  // opens is looked for again (the directory is listed again, a few times).
  // Every append (Append, AppendBatch, ...) and WriteSnapshot fail with
  // FailedPrecondition ("opened read-only"). `options.create_if_missing` and
  // `error_if_exists` are ignored. Errors: NotFound when the directory is
  // missing or holds no ledger (no MANIFEST, LEDGERCTL, log or snapshot);
  // FailedPrecondition for options that contradict the MANIFEST, as Open;
  // DataLoss for damage as Open (a cut-off tail excepted); the Env's error for
  // I/O failures.
  static absl::StatusOr<std::unique_ptr<Ledger>> OpenReadOnly(
      const LedgerOptions& options, const std::string& directory);

  // Checks the ledger in `directory` end to end without changing it: every
  // header and record checksum (of every log, those in `archive/` included),
  // the sequence numbers, and a replay that validates every event. Needs no
  // lock, but a ledger being written to may show a cut-off tail. Errors only
  // for I/O failures.
  static absl::StatusOr<VerifyReport> Verify(const LedgerOptions& options,
                                             const std::string& directory);

  ~Ledger() override;

  // Appends one event and returns its sequence number. The envelope's
  // sequence_number and record_time are assigned by the ledger; whatever the
  // caller put there is ignored. On error nothing is recorded.
  absl::StatusOr<uint64_t> Append(const v1::LedgerEvent& event,
                                  const WriteOptions& write_options = {});

  // Appends `events` atomically: either every event is recorded, with
  // consecutive sequence numbers and one shared record time, and their
  // sequence numbers are returned in order; or the first bad event's error is
  // returned and nothing is recorded. Later events of a batch may refer to
  // earlier ones (an area's parent, a retraction's target). An empty batch
  // records nothing and returns an empty vector.
  absl::StatusOr<std::vector<uint64_t>> AppendBatch(
      absl::Span<const v1::LedgerEvent> events,
      const WriteOptions& write_options = {});

  // Records one batch exactly as another ledger recorded it, keeping its
  // sequence numbers, record time, actors and import source: for restoring
  // an export (`ledgerctl restore`) and for following a replica. `events`
  // must number on from last_sequence_number() + 1 with no gap and share
  // one record time, not before the last one recorded (InvalidArgument
  // naming the event and the numbers otherwise); they are then validated as
  // AppendBatch validates them and logged the same way. The ledger's clock
  // is not read. On error nothing is recorded.
  absl::Status AppendRecorded(absl::Span<const v1::LedgerEvent> events,
                              const WriteOptions& write_options = {});

  // Durable ledgers: saves the state as of the last event to a new snapshot
  // file atomically (temporary file, fsync, rename, fsync of the directory),
  // starts a new log after it, then removes the older snapshots and keeps,
  // archives or removes the logs it covers as LedgerOptions::log_retention
  // says (kept by default). Appends wait while it runs; reads go on. Returns
  // the sequence number it covers. FailedPrecondition for an in-memory
  // ledger, and for one opened read-only. On error the directory keeps its
  // previous snapshot and logs.
  virtual absl::StatusOr<uint64_t> WriteSnapshot() = 0;

  // Makes every later append (Append, AppendBatch, AppendRecorded, and the
  // appends of scoped views) and WriteSnapshot fail with `reason`; reads go
  // on. For a writer
  // that lost its right to write: a Shipper calls it when another writer
  // took the ledger's lease (contactledger/replication.h). `reason` must
  // not be OK. Thread-safe.
  virtual void Fence(absl::Status reason) = 0;

  // A ledger opened read-only (OpenReadOnly): reads what writers appended
  // since it opened or last caught up (the rest of the log it stopped in,
  // from that byte offset, then any newer logs) and applies it, batch by
  // batch; returns the new last sequence number. Reads on other threads go
  // on meanwhile, each seeing a state between two batches. As at open, a
  // record cut off at the end is where it stops until the next call. Calls
  // are serialised. FailedPrecondition for a ledger that can write (New,
  // Open), and when events it has not read were removed from every log (a
  // writer with LogRetention::kRemove snapshotted twice meanwhile): reopen
  // it then. DataLoss for damage, as Open.
  virtual absl::StatusOr<uint64_t> CatchUp() = 0;

  // What Open or OpenReadOnly found (empty for an in-memory ledger);
  // CatchUp does not change it.
  virtual const RecoveryReport& recovery_report() const = 0;

  // Whether the event is retracted as of `options`.
  virtual bool IsRetracted(uint64_t sequence_number,
                           const ReadOptions& options) const = 0;

  // Person ids referenced by a visible event but with no visible Person
  // version, sorted.
  virtual std::vector<std::string> UnregisteredPersons(
      const ReadOptions& options) const = 0;

  // What the ledger holds. Cheap; safe to call while appending.
  virtual LedgerStats Stats() const = 0;

  // The options in use: those given, with the clock, Env, time zone and
  // identity rules resolved (the latter two as the directory records them).
  virtual const LedgerOptions& options() const = 0;

  // The ledger's id: the one its directory's MANIFEST records, or for an
  // in-memory ledger LedgerOptions::ledger_id (empty by default).
  virtual const std::string& ledger_id() const = 0;

 protected:
  Ledger() = default;

 private:
  // Append and AppendBatch: validate, log and apply through the writer queue.
  virtual absl::StatusOr<std::vector<uint64_t>> Record(
      absl::Span<const v1::LedgerEvent> events,
      const WriteOptions& write_options) = 0;
  // AppendRecorded: check, validate, log and apply a recorded batch.
  virtual absl::Status RecordAsRecorded(
      absl::Span<const v1::LedgerEvent> events,
      const WriteOptions& write_options) = 0;
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_LEDGER_H_
