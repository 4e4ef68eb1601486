#include "lib/core/log_files.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/core/manifest.h"
#include "lib/log/record_io.h"

namespace contactledger {
namespace internal {

std::string LogFile::RelativePath() const {
  return archived ? absl::StrCat(kArchiveDir, "/", name) : name;
}

std::string NumberedName(uint64_t sequence, absl::string_view suffix) {
  return absl::StrCat(absl::StrFormat("%020d", sequence), suffix);
}

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

std::string LogHeader(uint64_t first) {
  return EncodeHeader(FileHeader{std::string(kLogMagic), kFormatVersion, first,
                                 std::string(kLogType)});
}

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
      listing.logs.push_back(LogFile{sequence, name, false});
    } else if (absl::EndsWith(name, kTempSuffix)) {
      listing.temporaries.push_back(name);
    } else if (name == kManifestFile || name == "LEDGERCTL") {
      listing.settings = true;
    }
  }
  std::sort(listing.snapshots.rbegin(), listing.snapshots.rend());
  std::sort(
      listing.logs.begin(), listing.logs.end(),
      [](const LogFile& a, const LogFile& b) { return a.first < b.first; });
  return listing;
}

bool DirectoryChanged(Env* env, const std::string& dir,
                      const DirectoryListing& listing) {
  absl::StatusOr<DirectoryListing> again = ListDirectory(env, dir);
  if (!again.ok()) return true;
  auto same_log = [](const LogFile& a, const LogFile& b) {
    return a.name == b.name;
  };
  return again->snapshots != listing.snapshots ||
         !std::equal(again->logs.begin(), again->logs.end(),
                     listing.logs.begin(), listing.logs.end(), same_log);
}

absl::StatusOr<std::vector<LogFile>> ListArchive(Env* env,
                                                 const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names =
      env->GetChildren(absl::StrCat(dir, "/", kArchiveDir));
  if (absl::IsNotFound(names.status())) return std::vector<LogFile>();
  if (!names.ok()) return names.status();
  std::vector<LogFile> logs;
  for (const std::string& name : *names) {
    uint64_t sequence = 0;
    if (ParseNumbered(name, kLogSuffix, &sequence)) {
      logs.push_back(LogFile{sequence, name, true});
    }
  }
  std::sort(logs.begin(), logs.end(), [](const LogFile& a, const LogFile& b) {
    return a.first < b.first;
  });
  return logs;
}

absl::StatusOr<std::vector<LogFile>> LogsToReplay(Env* env,
                                                  const std::string& dir,
                                                  std::vector<LogFile> logs,
                                                  uint64_t start,
                                                  uint64_t after) {
  if (logs.empty() || logs.front().first > start) {
    absl::StatusOr<std::vector<LogFile>> archived = ListArchive(env, dir);
    if (!archived.ok()) return archived.status();
    const uint64_t before = logs.empty() ? UINT64_MAX : logs.front().first;
    std::vector<LogFile> all;
    for (LogFile& log : *archived) {
      if (log.first > after && log.first < before) all.push_back(log);
    }
    all.insert(all.end(), logs.begin(), logs.end());
    logs = std::move(all);
  }
  std::vector<LogFile> kept;
  for (size_t i = 0; i < logs.size(); ++i) {
    if (i + 1 < logs.size() && logs[i + 1].first <= start) continue;
    kept.push_back(logs[i]);
  }
  return kept;
}

absl::StatusOr<std::unique_ptr<SequentialFile>> OpenLogFile(
    Env* env, const std::string& dir, LogFile* log) {
  absl::StatusOr<std::unique_ptr<SequentialFile>> file =
      env->NewSequentialFile(absl::StrCat(dir, "/", log->RelativePath()));
  if (!absl::IsNotFound(file.status())) return file;
  LogFile moved = *log;
  moved.archived = !moved.archived;
  absl::StatusOr<std::unique_ptr<SequentialFile>> elsewhere =
      env->NewSequentialFile(absl::StrCat(dir, "/", moved.RelativePath()));
  if (absl::IsNotFound(elsewhere.status())) return file.status();
  if (elsewhere.ok()) *log = moved;
  return elsewhere;
}

}  // namespace internal
}  // namespace contactledger
