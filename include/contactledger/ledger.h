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
// Every read answers "as the ledger knew it then" (RULES.md sections 1-2):
// `ReadOptions::known_at` limits the read to the events recorded at or before
// that record time, and `ReadOptions::sequence_limit` to the events numbered
// at or below it. Within that, the latest visible version of an entity
// applies and retracted events are ignored.
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
// `Person` record arrives (RULES.md section 2). Every string must be
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
// loads it instead of replaying the log. Opening replays the newest snapshot
// plus the log after it: a record cut off at the end of the log is a clean
// end (truncated and reported in `recovery_report()`); damage in the middle
// fails with DataLoss naming the file and byte offset, unless
// `LedgerOptions::recover_damaged` asks to skip and report it. A directory is
// locked while open: a second opener gets FailedPrecondition. After a write
// or sync error the log's state is unknown, so the ledger refuses further
// appends (reads go on); reopen it to recover what reached the disk.
//
// Threading: one writer, many readers. Append and AppendBatch may be called
// from any thread; concurrent appends are serialised internally. All const
// methods may be called concurrently with each other and with an append; each
// read sees a state between two appends, never a half-applied batch. To make
// several reads agree with each other while appends go on, pass the same
// `ReadOptions::sequence_limit` (e.g. `last_sequence_number()` read once).
//
// Scale: the indexes are columnar (dense integer ids, append-only segmented
// arrays, intrusive per-person lists, Abseil flat hash sets keyed into string
// arenas), sized for 10 million persons and 100 million exposures in memory.
// Event bodies other than the indexed columns are kept as serialised protobuf
// bytes and decoded on read.

#ifndef CONTACTLEDGER_LEDGER_H_
#define CONTACTLEDGER_LEDGER_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "contactledger/env.h"
#include "contactledger/v1/ledger.pb.h"

namespace contactledger {

namespace internal {
class LedgerReader;
}  // namespace internal

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
  // in it (RULES.md section 1). Default: UTC.
  absl::TimeZone time_zone = absl::UTCTimeZone();

  // How appends check national ids and phone numbers. Replay on open does
  // not re-check recorded events, so a ledger reopened under other rules
  // opens with everything it held. Default: IdentityRules::kChina.
  IdentityRules identity_rules = IdentityRules::kChina;

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
    uint64_t records = 0;
    uint64_t first_sequence = 0;  // of the events in it (0: none)
    uint64_t last_sequence = 0;
  };
  std::vector<File> files;
  uint64_t events = 0;  // events in the state the directory opens to
  uint64_t last_sequence = 0;
  std::vector<DamagedRange> damage;  // every damaged range, tails included
  // Problems beyond byte damage (sequence gaps, events failing validation).
  std::vector<std::string> problems;
  // True when nothing is damaged but at most a cut-off log tail.
  bool ok() const;
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

// An event body together with where it stands in the ledger.
template <typename Body>
struct Recorded {
  uint64_t sequence_number = 0;
  absl::Time record_time;
  Body body;
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

class Ledger {
 public:
  // Creates an empty in-memory ledger.
  static std::unique_ptr<Ledger> New(const LedgerOptions& options);

  // Opens (or creates) the durable ledger in `directory`, replaying its
  // newest snapshot and the log after it. Errors: FailedPrecondition when
  // another ledger has the directory open; DataLoss naming the file and byte
  // offset for damage (unless options.recover_damaged); NotFound when the
  // directory is missing and !create_if_missing; AlreadyExists with
  // error_if_exists; the Env's error for I/O failures.
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(
      const LedgerOptions& options, const std::string& directory);

  // Checks the ledger in `directory` end to end without changing it: every
  // header and record checksum, the sequence numbers, and a replay that
  // validates every event. Needs no lock, but a ledger being written to may
  // show a cut-off tail. Errors only for I/O failures.
  static absl::StatusOr<VerifyReport> Verify(const LedgerOptions& options,
                                             const std::string& directory);

  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;
  ~Ledger();

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

  // Durable ledgers: saves the state as of the last event to a new snapshot
  // file atomically (temporary file, fsync, rename, fsync of the directory),
  // then removes the log files and older snapshots it covers. Appends wait
  // while it runs; reads go on. Returns the sequence number it covers.
  // FailedPrecondition for an in-memory ledger. On error the directory keeps
  // its previous snapshot and logs.
  absl::StatusOr<uint64_t> WriteSnapshot();

  // What Open found (empty for an in-memory ledger).
  const RecoveryReport& recovery_report() const;

  // The sequence number of the last event recorded; 0 when empty.
  uint64_t last_sequence_number() const;

  // The event with this sequence number, envelope included, as recorded
  // (NotFound when there is none; retracted events are still returned).
  absl::StatusOr<v1::LedgerEvent> GetEvent(uint64_t sequence_number) const;

  // Whether the event is retracted as of `options`.
  bool IsRetracted(uint64_t sequence_number, const ReadOptions& options) const;

  // --- Areas, households and persons (latest visible version). ---
  // NotFound when the id has no visible version.
  absl::StatusOr<v1::Area> GetArea(absl::string_view area_id,
                                   const ReadOptions& options) const;
  absl::StatusOr<v1::Household> GetHousehold(absl::string_view household_id,
                                             const ReadOptions& options) const;
  absl::StatusOr<v1::Person> GetPerson(absl::string_view person_id,
                                       const ReadOptions& options) const;

  // The ids of the persons whose current national_id is `national_id`,
  // sorted (normally one; more means a registration error worth fixing).
  std::vector<std::string> FindPersonsByNationalId(
      absl::string_view national_id, const ReadOptions& options) const;

  // The ids of the persons whose current household is `household_id`,
  // sorted. NotFound when the household has no visible version.
  absl::StatusOr<std::vector<std::string>> HouseholdMembers(
      absl::string_view household_id, const ReadOptions& options) const;

  // The ids of the areas whose current parent is `area_id`, sorted.
  absl::StatusOr<std::vector<std::string>> ChildAreas(
      absl::string_view area_id, const ReadOptions& options) const;

  // `area_id` and every area below it, in depth-first order with siblings
  // sorted by id.
  absl::StatusOr<std::vector<std::string>> AreaSubtree(
      absl::string_view area_id, const ReadOptions& options) const;

  // The ids of the registered persons whose current area is in the subtree
  // of `area_id`, sorted. A person recorded with a household but no area is
  // in the household's area at the time the person was recorded.
  absl::StatusOr<std::vector<std::string>> PersonsInArea(
      absl::string_view area_id, const ReadOptions& options) const;

  // Person ids referenced by a visible event but with no visible Person
  // version, sorted.
  std::vector<std::string> UnregisteredPersons(
      const ReadOptions& options) const;

  // --- A person's history (registered or not). ---
  // Each returns NotFound when the person id never occurred in the ledger.

  // The visible exposures of `person_id` that overlap [from, to]
  // (start <= to and end >= from), ordered by start time, then sequence
  // number.
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> ExposuresOf(
      absl::string_view person_id, absl::Time from, absl::Time to,
      const ReadOptions& options) const;

  // The person's visible diagnoses, quarantine actions, health checks and
  // checkpoint passages, each ordered by event time, then sequence number.
  absl::StatusOr<std::vector<Recorded<v1::Diagnosis>>> DiagnosesOf(
      absl::string_view person_id, const ReadOptions& options) const;
  absl::StatusOr<std::vector<Recorded<v1::QuarantineAction>>>
  QuarantineActionsOf(absl::string_view person_id,
                      const ReadOptions& options) const;
  absl::StatusOr<std::vector<Recorded<v1::HealthCheck>>> HealthChecksOf(
      absl::string_view person_id, const ReadOptions& options) const;
  absl::StatusOr<std::vector<Recorded<v1::CheckpointPassage>>> PassagesOf(
      absl::string_view person_id, const ReadOptions& options) const;

  // What the ledger holds. Cheap; safe to call while appending.
  LedgerStats Stats() const;

  const LedgerOptions& options() const;

 private:
  friend class internal::LedgerReader;  // the query engine's read access
  class Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_LEDGER_H_
