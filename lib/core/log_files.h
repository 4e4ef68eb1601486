// The files of a ledger directory by name: which logs and snapshots it
// holds, which logs hold the events from a sequence number on (those of
// DIR/archive/ too, under LogRetention::kArchive), and opening a log
// wherever an archiving writer moved it. Shared by the ledger's own reading
// (durability.cc: Open, OpenReadOnly, CatchUp, Verify) and by the reader of
// the logged batches (logged_batches.h). File formats: docs/log_format.md.

#ifndef CONTACTLEDGER_LIB_CORE_LOG_FILES_H_
#define CONTACTLEDGER_LIB_CORE_LOG_FILES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "contactledger/env.h"

namespace contactledger {
namespace internal {

inline constexpr absl::string_view kLogSuffix = ".log";
inline constexpr absl::string_view kSnapshotSuffix = ".snapshot";
inline constexpr absl::string_view kTempSuffix = ".tmp";
// The payload type a log's header names.
inline constexpr absl::string_view kLogType = "contactledger.v1.EventBatch";
// Where LogRetention::kArchive moves the logs a snapshot covers.
inline constexpr char kArchiveDir[] = "archive";
// How many times a reader lists the directory again when a writer's
// WriteSnapshot removed or archived a file it listed (OpenReadOnly,
// CatchUp, Verify, LoggedBatches). Each retry sees the snapshot that caused
// it, so one is nearly always enough.
inline constexpr int kReadAttempts = 8;

// A log file of a ledger directory: `DIR/NAME`, or `DIR/archive/NAME` for
// one LogRetention::kArchive moved there.
struct LogFile {
  uint64_t first = 0;     // the sequence number in its name
  std::string name;       // "<20 digits>.log"
  bool archived = false;  // in DIR/archive/
  // The path in the directory: NAME or archive/NAME.
  std::string RelativePath() const;
};

// "<sequence as 20 digits><suffix>".
std::string NumberedName(uint64_t sequence, absl::string_view suffix);
// Parses "<20 digits><suffix>".
bool ParseNumbered(absl::string_view name, absl::string_view suffix,
                   uint64_t* sequence);

// The header of the log whose first event is `first`.
std::string LogHeader(uint64_t first);

struct DirectoryListing {
  std::vector<std::pair<uint64_t, std::string>> snapshots;  // newest first
  std::vector<LogFile> logs;                                // oldest first
  std::vector<std::string> temporaries;
  // A MANIFEST or the legacy LEDGERCTL settings file.
  bool settings = false;
};

// The snapshots, logs (not those of archive/) and temporaries of `dir`.
absl::StatusOr<DirectoryListing> ListDirectory(Env* env,
                                               const std::string& dir);

// Whether `dir` holds other snapshots or logs than `listing` says: a writer
// is at work, and what seemed missing may be there on a second look.
bool DirectoryChanged(Env* env, const std::string& dir,
                      const DirectoryListing& listing);

// The logs in DIR/archive/, oldest first; none when it does not exist.
absl::StatusOr<std::vector<LogFile>> ListArchive(Env* env,
                                                 const std::string& dir);

// The logs to read, oldest first, for a state whose next sequence number is
// `start`, given the logs of DIR that start after `after` (`logs`, oldest
// first): when they do not reach back to `start`, the archived logs before
// them (and after `after`) come first; then every log that the next one
// shows to hold nothing from `start` on is left out (its events all precede
// the next log's first, which is at most `start`).
absl::StatusOr<std::vector<LogFile>> LogsToReplay(Env* env,
                                                  const std::string& dir,
                                                  std::vector<LogFile> logs,
                                                  uint64_t start,
                                                  uint64_t after = 0);

// Opens `log` of directory `dir` for reading: where it was listed, else where
// an archiving writer may have moved it since (DIR/archive/NAME, or back),
// and then updates log->archived. NotFound when it is in neither.
absl::StatusOr<std::unique_ptr<SequentialFile>> OpenLogFile(
    Env* env, const std::string& dir, LogFile* log);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_CORE_LOG_FILES_H_
