// LoggedBatches: the batches the logs of a ledger directory hold, in order,
// each as the bytes it was logged as, read from the files (never from a
// writer's memory), so that a reader in another process beside the writer
// can follow it. For shipping a ledger's committed batches elsewhere (the
// replication shipper of lib/replication/): one log record is one batch,
// and its payload, a serialised v1::EventBatch, is what gets shipped.
//
//   LoggedBatches batches(Env::Default(), "/var/ledger", next_to_ship);
//   LoggedBatch batch;
//   while (true) {
//     absl::StatusOr<bool> more = batches.Next(&batch);
//     if (!more.ok()) return more.status();
//     if (!*more) { ... wait a little; continue; }  // a writer may add more
//     ... ship batch.bytes, events batch.first ... batch.last ...
//   }
//
// What it reads: the logs of DIR and of DIR/archive/ (LogRetention::kArchive)
// in order of their first sequence numbers, as Ledger::OpenReadOnly and
// CatchUp do (docs/log_format.md, "Readers beside a writer"): a record cut
// off at the end of the newest log is a batch a writer is in the middle of
// appending, where Next stops for now; a writer's WriteSnapshot may start a
// new log and archive or remove old ones meanwhile. A snapshot is never read:
// events only in a snapshot (their logs removed, LogRetention::kRemove) cannot
// be read as batches.
//
// Errors (the first makes Next fail; calling it again tries again from the
// last batch returned, so a lasting fault fails the same way):
//   InvalidArgument     `from` is inside a batch, not its first event
//   FailedPrecondition  events from `from` on are only in a snapshot: their
//                       logs were removed (LogRetention::kRemove)
//   DataLoss            damage in a log (the file and byte offset), or
//                       sequence numbers missing between batches or logs
//   NotFound, ...       the directory or a file could not be read
//
// Not thread-safe: one thread at a time (the writer may be anywhere).

#ifndef CONTACTLEDGER_LIB_CORE_LOGGED_BATCHES_H_
#define CONTACTLEDGER_LIB_CORE_LOGGED_BATCHES_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "contactledger/env.h"
#include "lib/core/log_files.h"
#include "lib/log/record_io.h"

namespace contactledger {
namespace internal {

// One batch as it was logged.
struct LoggedBatch {
  uint64_t first = 0;  // the sequence number of its first event
  uint64_t last = 0;   // of its last
  std::string bytes;   // the record's payload: a serialised v1::EventBatch
};

// Sets *first and *last to the sequence numbers of the first and last events
// of the serialised v1::EventBatch `payload`, reading only the envelopes'
// sequence numbers (no event is parsed). DataLoss when it does not parse,
// holds no event, or its events are not numbered one after another.
absl::Status LoggedBatchRange(absl::string_view payload, uint64_t* first,
                              uint64_t* last);

class LoggedBatches {
 public:
  // Over the logs of the ledger in `directory` (DIR/*.log and
  // DIR/archive/*.log), from the batch whose first event is `from` on (0 is
  // taken as 1). `env` (Env::Default() when null) is not owned and must
  // outlive this. Reads nothing until Next.
  LoggedBatches(Env* env, std::string directory, uint64_t from);

  LoggedBatches(const LoggedBatches&) = delete;
  LoggedBatches& operator=(const LoggedBatches&) = delete;

  // The next whole batch: true and *batch filled (its bytes replaced). False
  // when the logs hold no whole batch more for now: a writer may append
  // more, and calling Next again later goes on from where it stopped (the
  // byte offset in the log it stopped in: no log is read again from its
  // start). Errors: above.
  absl::StatusOr<bool> Next(LoggedBatch* batch);

  // The first sequence number of the batch Next returns next: `from` before
  // the first, then the last event returned + 1.
  uint64_t next_sequence() const { return next_; }

 private:
  std::string PathOf(const LogFile& log) const;
  // The logs that may hold batches from next_ on, oldest first: after
  // log_ (all when `after_current` is false), of DIR, and of archive/ when
  // those of DIR do not reach back to next_. A newest log still shorter than
  // its header (a writer is creating it) is left out.
  absl::StatusOr<std::vector<LogFile>> Logs(bool after_current);
  // Chooses log_, the log holding next_, when none is; false when there is
  // none yet.
  absl::StatusOr<bool> ChooseFirstLog();
  // Starts reading `log` from its header (checked): makes it log_, with
  // reader_ after the header; false when it is gone (removed since listed).
  absl::StatusOr<bool> StartLog(LogFile log);
  // Opens log_ again (wherever it is now) and starts reader_ at offset_;
  // false when it was removed and is not open any more (nothing more can
  // be read in it).
  absl::StatusOr<bool> OpenCurrent();
  // The next batch of reader_: true and *batch filled, or false at the end
  // of what the file holds now (reader_ gone, offset_ and unread_ kept).
  absl::StatusOr<bool> ReadBatch(LoggedBatch* batch);
  // log_ is read to its end and `pending_` is newer: makes it log_, unless
  // it starts after next_ (the sequence numbers between are in no log).
  absl::Status Advance();
  // The error for sequence numbers next_ ... `end`, in no log found:
  // FailedPrecondition when a snapshot holds them (their logs were
  // removed), else DataLoss saying `where`.
  absl::Status Missing(uint64_t end, const std::string& where);
  // Forgets the file and reader after an error: the next call opens log_
  // again at offset_.
  void Reset();

  Env* const env_;
  const std::string directory_;
  uint64_t next_;            // the first sequence number of the next batch
  bool positioned_ = false;  // a batch was returned (else seeking `from`)

  LogFile log_;          // the log being read; name empty: none chosen yet
  uint64_t offset_ = 0;  // in log_, just past the last record taken
  std::unique_ptr<SequentialFile> file_;  // log_, as last opened
  std::unique_ptr<RecordReader> reader_;  // over file_, while reading it
  // After reader_ reached the end: the bytes of file_ read past offset_, to
  // read on in file_ should log_ be removed (LogRetention::kRemove) before
  // the next call.
  bool unread_valid_ = false;
  std::string unread_;
  // A log newer than log_ was listed: log_ is complete; once read to its end
  // again, pending_ comes next.
  bool draining_ = false;
  LogFile pending_;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_CORE_LOGGED_BATCHES_H_
