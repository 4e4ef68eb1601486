// Copyright 2026 The ContactLedger Authors.
//
// contactledger/env.h: the file system as the ledger sees it.
//
// Every file a durable ledger touches goes through an Env, so that tests and
// embedders can put the ledger on something other than the local disk:
//
//   Env::Default()  the POSIX file system (never destroyed).
//   NewMemEnv()     an in-memory file system, for tests and tools that
//                   want a durable ledger without a disk.
//   EnvWrapper      forwards to another Env: override only what changes;
//                   the way to inject faults (fail a write, a sync or a
//                   rename) into a ledger under test.
//
// Thread safety: an Env may be used from several threads at once. A single
// file object is used by one thread at a time.
//
// Example (a durable ledger kept in memory, then the files it wrote):
//
//   std::unique_ptr<contactledger::Env> env = contactledger::NewMemEnv();
//   contactledger::LedgerOptions options;
//   options.env = env.get();  // not owned: must outlive the ledger
//   absl::StatusOr<std::unique_ptr<contactledger::Ledger>> ledger =
//       contactledger::Ledger::Open(options, "/county");
//   ... (*ledger)->Append(event) ...
//   absl::StatusOr<std::vector<std::string>> files =
//       env->GetChildren("/county");  // LOCK, MANIFEST, the log
//                                    // (docs/log_format.md)

#ifndef CONTACTLEDGER_ENV_H_
#define CONTACTLEDGER_ENV_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace contactledger {

// A file written front to back.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends `data`. On error some prefix of `data` may have been written.
  virtual absl::Status Append(absl::string_view data) = 0;
  // Makes everything appended so far durable (fsync).
  virtual absl::Status Sync() = 0;
  // Cuts the file to `size` bytes (size <= current size); later appends
  // continue from there.
  virtual absl::Status Truncate(uint64_t size) = 0;
  virtual absl::Status Close() = 0;
};

// A file read front to back.
class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to `n` bytes into `scratch` (which must hold n bytes) and
  // returns the bytes read; fewer than n only at the end of the file.
  virtual absl::StatusOr<absl::string_view> Read(size_t n, char* scratch) = 0;
  // Skips `n` bytes, as reading and dropping them would: the next Read
  // starts after them. Skipping past the end of the file is not an error;
  // where reading then goes on is up to the Env (the default stops at the
  // end; POSIX and the in-memory Env move the position past it, and read
  // nothing until the file grows that far), so skip only bytes known to be
  // there. The default reads and discards; Env::Default() and NewMemEnv()
  // move the file position instead. Used to go on reading a log from where
  // an earlier read stopped (Ledger::CatchUp).
  virtual absl::Status Skip(uint64_t n);
};

// A held lock on a file; unlocked when destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class Env {
 public:
  virtual ~Env() = default;

  // The POSIX file system. Never destroyed.
  static Env* Default();

  // Creates or truncates `path` for writing.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) = 0;
  // Opens `path` for appending at its end, creating it when missing.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(
      const std::string& path) = 0;
  virtual absl::StatusOr<std::unique_ptr<SequentialFile>> NewSequentialFile(
      const std::string& path) = 0;

  virtual bool FileExists(const std::string& path) = 0;
  virtual absl::StatusOr<uint64_t> GetFileSize(const std::string& path) = 0;
  // The names (not paths) of the entries in `dir`.
  virtual absl::StatusOr<std::vector<std::string>> GetChildren(
      const std::string& dir) = 0;
  virtual absl::Status RemoveFile(const std::string& path) = 0;
  // Atomically replaces `to` with `from`.
  virtual absl::Status RenameFile(const std::string& from,
                                  const std::string& to) = 0;
  // Creates `dir` (not its parents); OK when it exists.
  virtual absl::Status CreateDir(const std::string& dir) = 0;
  // Makes the directory's entries (creations, renames, removals) durable.
  virtual absl::Status SyncDir(const std::string& dir) = 0;
  // Takes an exclusive lock on `path` (created when missing), held until the
  // returned object is destroyed. FailedPrecondition when another holder,
  // in this process or another, has it.
  virtual absl::StatusOr<std::unique_ptr<FileLock>> LockFile(
      const std::string& path) = 0;
};

// An Env that forwards every call to another, for an Env that changes only
// a few of them (counts syncs, fails writes past a quota, logs renames):
// derive from it and override those; each override may call the
// EnvWrapper's own to forward. The target is not owned and must outlive the
// wrapper.
//
//   class RenameLoggingEnv : public contactledger::EnvWrapper {
//    public:
//     using EnvWrapper::EnvWrapper;
//     absl::Status RenameFile(const std::string& from,
//                             const std::string& to) override {
//       std::cerr << "rename " << from << " -> " << to << "\n";
//       return EnvWrapper::RenameFile(from, to);
//     }
//   };
//   RenameLoggingEnv env(contactledger::Env::Default());
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}

  Env* target() const { return target_; }

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) override {
    return target_->NewWritableFile(path);
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(
      const std::string& path) override {
    return target_->NewAppendableFile(path);
  }
  absl::StatusOr<std::unique_ptr<SequentialFile>> NewSequentialFile(
      const std::string& path) override {
    return target_->NewSequentialFile(path);
  }
  bool FileExists(const std::string& path) override {
    return target_->FileExists(path);
  }
  absl::StatusOr<uint64_t> GetFileSize(const std::string& path) override {
    return target_->GetFileSize(path);
  }
  absl::StatusOr<std::vector<std::string>> GetChildren(
      const std::string& dir) override {
    return target_->GetChildren(dir);
  }
  absl::Status RemoveFile(const std::string& path) override {
    return target_->RemoveFile(path);
  }
  absl::Status RenameFile(const std::string& from,
                          const std::string& to) override {
    return target_->RenameFile(from, to);
  }
  absl::Status CreateDir(const std::string& dir) override {
    return target_->CreateDir(dir);
  }
  absl::Status SyncDir(const std::string& dir) override {
    return target_->SyncDir(dir);
  }
  absl::StatusOr<std::unique_ptr<FileLock>> LockFile(
      const std::string& path) override {
    return target_->LockFile(path);
  }

 private:
  Env* target_;
};

// A WritableFile that forwards every call to another, which it owns: the
// file-level counterpart of EnvWrapper, for the files such an Env returns.
class WritableFileWrapper : public WritableFile {
 public:
  explicit WritableFileWrapper(std::unique_ptr<WritableFile> target)
      : target_(std::move(target)) {}

  WritableFile* target() const { return target_.get(); }

  absl::Status Append(absl::string_view data) override {
    return target_->Append(data);
  }
  absl::Status Sync() override { return target_->Sync(); }
  absl::Status Truncate(uint64_t size) override {
    return target_->Truncate(size);
  }
  absl::Status Close() override { return target_->Close(); }

 private:
  std::unique_ptr<WritableFile> target_;
};

// A new, empty in-memory file system.
std::unique_ptr<Env> NewMemEnv();

// Reads the whole of `path` through `env`.
absl::StatusOr<std::string> ReadFileToString(Env* env, const std::string& path);

}  // namespace contactledger

#endif  // CONTACTLEDGER_ENV_H_
