// Copyright 2026 The ContactLedger Authors.
//
// contactledger/options.h: the options of a ledger, of an append and of a
// read.
//
//   LedgerOptions  how a ledger is opened: its clock, time zone, identity
//                  rules and limits, and for a durable ledger the Env and
//                  what to do with a missing directory or damage.
//   WriteOptions   per append: sync, compare-and-append.
//   ReadOptions    per read: the part of the record it sees ("as known
//                  then", docs/rules.md section 2).
//
// Example:
//
//   contactledger::LedgerOptions options;
//   options.time_zone = absl::FixedTimeZone(8 * 3600);
//   auto ledger = contactledger::Ledger::Open(options, "county-ledger");
//   contactledger::ReadOptions as_known_then;
//   as_known_then.known_at = absl::FromUnixSeconds(1580000000);

#ifndef CONTACTLEDGER_OPTIONS_H_
#define CONTACTLEDGER_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>

#include "absl/time/time.h"
#include "contactledger/env.h"

namespace contactledger {

// The source of record times. Replace it in tests to control them.
class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant. Must be safe to call from any thread.
  virtual absl::Time Now() = 0;
  // The process-wide real-time clock (absl::Now). Never destroyed.
  static Clock* Real();
};

// How Person.national_id and Person.phone are checked on append
// (contactledger/privacy.h says exactly what each rule accepts).
enum class IdentityRules {
  // national_id: a resident identity number of GB 11643-1999 (18
  // characters, a real birth date, the ISO 7064 MOD 11-2 check character);
  // phone: a Chinese mobile or fixed-line number, optionally with +86.
  kChina,
  // Any text without control characters, within Limits::max_id_bytes.
  kNone,
};

// What WriteSnapshot does with the logs a new snapshot covers (those whose
// events all precede it). The logs are the ledger's record, append-only and
// checksummed; a snapshot is the state saved as columns so that opening need
// not replay them (docs/log_format.md). Opening reads no log the newest
// snapshot covers, whichever is chosen, so opening is as fast with each.
enum class LogRetention {
  // Keep every log where it is. Snapshots are then caches: deleting every
  // `*.snapshot` loses nothing (the next open replays the logs), and any
  // reader of the logs (tools/python/contactledger_reader.py) sees every
  // event.
  kKeep,
  // Move the logs a snapshot covers into `DIR/archive/`, under the same
  // names (the folder is created when needed), out of the way of the
  // directory's own files. Nothing is lost either: an open whose snapshot
  // does not reach the logs left in DIR (say it was deleted) reads the
  // archived ones first, and Verify checks them.
  kArchive,
  // Delete them (what WriteSnapshot did before LogRetention): the events
  // they held are then only in the snapshot, which must not be lost.
  kRemove,
};

// Limits on what one append, one event and one import may hold. Appends
// and imports check them (a string over its limit is InvalidArgument naming
// the field and the limit; a batch or a file over its limit is
// ResourceExhausted). Reopening a ledger does not: events recorded under
// other limits still replay. Every string must also be well-formed UTF-8.
struct Limits {
  // Bytes of an identifier: every `id` and `*_id` field, Exposure.person_a
  // and person_b, HealthCheck.checked_by, Person.national_id and phone, and
  // the envelope's actor. Default: 128.
  size_t max_id_bytes = 128;
  // Bytes of a name: Area.name, Person.name, Household.responsible_worker,
  // TravelEntry.place. Default: 256.
  size_t max_name_bytes = 256;
  // Bytes of one Person.tags or HealthCheck.symptoms entry. Default: 64.
  size_t max_tag_bytes = 64;
  // Bytes of free text: Household.address, Exposure.note, Retraction.reason.
  // Default: 4096.
  size_t max_text_bytes = 4096;
  // Entries of Person.tags, Person.travel_history or HealthCheck.symptoms.
  // Default: 100.
  size_t max_list_entries = 100;
  // Events in one AppendBatch, and so data rows (CSV) or events (JSON Lines)
  // in one imported file (an import is one atomic batch). The default lets a
  // city's roster of 10 million persons be imported in one file; a batch is
  // held in memory whole while it is checked (a few hundred bytes per
  // event), so a service taking batches from outside should set less.
  // Default: 10,000,000.
  size_t max_batch_events = 10000000;
  // Bytes of one line of an imported CSV or JSON Lines file, its line break
  // not counted. Default: 64 KiB.
  size_t max_line_bytes = size_t{64} << 10;
  // Bytes of one imported file. Default: 4 GiB.
  uint64_t max_import_bytes = uint64_t{4} << 30;
};

// Open-time options of a ledger.
struct LedgerOptions {
  // Where record times come from. Not owned; must outlive the ledger.
  // Default: Clock::Real().
  Clock* clock = nullptr;

  // The ledger's time zone: civil days (onset dates, "until" days) are taken
  // in it (docs/rules.md section 1), so it changes answers. A durable ledger
  // records it in its directory's MANIFEST when the directory is created
  // (docs/log_format.md) and reopens with the recorded zone: a zone set here
  // that differs is FailedPrecondition naming both. Unset: the directory's
  // zone, or UTC for a new ledger. `Ledger::time_zone()` is the one in use.
  std::optional<absl::TimeZone> time_zone;

  // How appends check national ids and phone numbers. Recorded in the
  // MANIFEST like the time zone, with the same rule on reopening. Replay on
  // open does not re-check recorded events. Unset: the directory's rules,
  // or IdentityRules::kChina for a new ledger.
  std::optional<IdentityRules> identity_rules;

  // What one append, event and import may hold. Default: see Limits.
  Limits limits;

  // --- Durable ledgers (Ledger::Open) only. ---

  // The file system. Not owned; must outlive the ledger.
  // Default: Env::Default(), the POSIX file system.
  Env* env = nullptr;

  // Create the directory when it does not exist. Default: true.
  bool create_if_missing = true;

  // Fail with AlreadyExists when the directory already holds a ledger.
  // Default: false.
  bool error_if_exists = false;

  // What to do with damage in the middle of a log (a bad checksum or length):
  // false fails Open with DataLoss naming the file and byte offset; true
  // skips the damaged byte range up to the next intact record, reports it in
  // recovery_report(), and marks the sequence numbers it held as lost.
  // Default: false.
  bool recover_damaged = false;

  // What WriteSnapshot does with the logs the snapshot covers: keep them,
  // move them to `archive/`, or remove them (see LogRetention). Older
  // snapshots are removed whichever is chosen. A directory may be opened
  // with a different choice each time. Default: LogRetention::kKeep.
  LogRetention log_retention = LogRetention::kKeep;

  // The ledger's id. A new directory's MANIFEST records it (a replica is
  // made with the id of the ledger it follows, contactledger/replication.h);
  // a directory whose MANIFEST records another fails Open with
  // FailedPrecondition naming both. 1 to 64 ASCII letters, digits, '-' and
  // '_' (it names the ledger's NATS stream); InvalidArgument otherwise.
  // Default: empty: a new directory gets 32 random hex digits, an existing
  // one keeps its own, and an in-memory ledger has none.
  std::string ledger_id;

  // A replica of another ledger (a Follower's, contactledger/replication.h):
  // Append, AppendBatch and the appends of scoped views over it fail with
  // FailedPrecondition ("a replica ... record at its writer"); the Follower
  // applies the writer's batches with AppendRecorded. A directory a
  // Follower keeps is marked a replica in its MANIFEST and opens as one,
  // whatever the options say, until Follower::Promote makes it the writer
  // (options().replica of the opened ledger tells). Default: false.
  bool replica = false;
};

// Per-append options.
struct WriteOptions {
  // With sync, Append returns OK only after the log is flushed to stable
  // storage (fdatasync): the events survive a process kill and a power loss.
  // Without, they survive a process kill (they are in the OS page cache) but
  // a power loss may lose them; it never corrupts what was synced before,
  // and the next open ends the log cleanly where the loss begins.
  // Concurrent appends with sync share one fsync. In-memory ledgers ignore
  // this. Default: false.
  bool sync = false;

  // When set, the append is recorded only if the ledger's last sequence
  // number is still this when the batch's turn comes: a compare-and-append,
  // for a caller that checked something against the ledger as of that
  // sequence number (a scoped view, contactledger/scope.h) and must not
  // record if anything was appended since. Otherwise the append fails with
  // Aborted and records nothing; check again and retry. Default: unset.
  std::optional<uint64_t> expected_last_sequence;
};

// Per-read options: which part of the record a read sees.
struct ReadOptions {
  // See only events recorded at or before this record time.
  // Default: everything recorded.
  absl::Time known_at = absl::InfiniteFuture();

  // See only events whose sequence number is at most this.
  // Default: everything recorded.
  uint64_t sequence_limit = std::numeric_limits<uint64_t>::max();
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_OPTIONS_H_
