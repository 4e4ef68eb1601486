// MemEnv: an in-memory Env that can fail on purpose.
//
// Each file keeps its bytes and how many of them were synced. Tests use it to
// play out what a crash or a failing disk does to a ledger:
//   - DropUnsyncedData(): every file loses what was appended after its last
//     Sync (a power loss); files created since the last SyncDir of their
//     directory and never synced disappear.
//   - FailWrites(n) / FailSyncs(n) / FailRenames(n): the next n calls of
//     that kind fail with an IO error (Internal), without effect.
//   - ShortWrites(n): the next n appends write only the first half of their
//     data, then fail.
//   - CorruptByte / TruncateFile / file contents: direct access for tests.

#ifndef CONTACTLEDGER_LIB_ENV_MEM_ENV_H_
#define CONTACTLEDGER_LIB_ENV_MEM_ENV_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "contactledger/env.h"

namespace contactledger {
namespace internal {

class MemEnv : public Env {
 public:
  MemEnv() = default;

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) override;
  absl::StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(
      const std::string& path) override;
  absl::StatusOr<std::unique_ptr<SequentialFile>> NewSequentialFile(
      const std::string& path) override;
  bool FileExists(const std::string& path) override;
  absl::StatusOr<uint64_t> GetFileSize(const std::string& path) override;
  absl::StatusOr<std::vector<std::string>> GetChildren(
      const std::string& dir) override;
  absl::Status RemoveFile(const std::string& path) override;
  absl::Status RenameFile(const std::string& from,
                          const std::string& to) override;
  absl::Status CreateDir(const std::string& dir) override;
  absl::Status SyncDir(const std::string& dir) override;
  absl::StatusOr<std::unique_ptr<FileLock>> LockFile(
      const std::string& path) override;

  // --- Faults. ---
  void FailWrites(int n);
  void FailSyncs(int n);
  void FailRenames(int n);
  void ShortWrites(int n);
  // Simulates a power loss: see the file comment.
  void DropUnsyncedData();

  // --- Direct access for tests. ---
  absl::StatusOr<std::string> Contents(const std::string& path);
  absl::Status SetContents(const std::string& path, std::string contents);

  // Used by the file objects.
  struct File {
    std::string data;
    uint64_t synced = 0;
    bool entry_synced = false;  // the directory entry survives a crash
  };
  absl::Status FileAppend(const std::shared_ptr<File>& file,
                          absl::string_view data);
  absl::Status FileSync(const std::shared_ptr<File>& file);
  absl::Status FileTruncate(const std::shared_ptr<File>& file, uint64_t size);
  absl::StatusOr<absl::string_view> FileRead(const std::shared_ptr<File>& file,
                                             uint64_t* position, size_t n,
                                             char* scratch);
  void Unlock(const std::string& path);

 private:
  absl::StatusOr<std::shared_ptr<File>> Open(const std::string& path,
                                             bool truncate);  // mu_ held

  std::mutex mu_;  // guards everything below
  absl::flat_hash_map<std::string, std::shared_ptr<File>> files_;
  absl::flat_hash_set<std::string> dirs_;
  absl::flat_hash_set<std::string> locks_;
  int fail_writes_ = 0;
  int fail_syncs_ = 0;
  int fail_renames_ = 0;
  int short_writes_ = 0;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_ENV_MEM_ENV_H_
