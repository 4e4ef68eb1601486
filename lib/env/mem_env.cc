#include "lib/env/mem_env.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace contactledger {
namespace internal {
namespace {

class MemWritableFile : public WritableFile {
 public:
  MemWritableFile(MemEnv* env, std::shared_ptr<MemEnv::File> file)
      : env_(env), file_(std::move(file)) {}
  absl::Status Append(absl::string_view data) override {
    return env_->FileAppend(file_, data);
  }
  absl::Status Sync() override { return env_->FileSync(file_); }
  absl::Status Truncate(uint64_t size) override {
    return env_->FileTruncate(file_, size);
  }
  absl::Status Close() override { return absl::OkStatus(); }

 private:
  MemEnv* env_;
  std::shared_ptr<MemEnv::File> file_;
};

class MemSequentialFile : public SequentialFile {
 public:
  MemSequentialFile(MemEnv* env, std::shared_ptr<MemEnv::File> file)
      : env_(env), file_(std::move(file)) {}
  absl::StatusOr<absl::string_view> Read(size_t n, char* scratch) override {
    return env_->FileRead(file_, &position_, n, scratch);
  }
  // FileRead reads nothing while the position is past the end.
  absl::Status Skip(uint64_t n) override {
    position_ += n;
    return absl::OkStatus();
  }

 private:
  MemEnv* env_;
  std::shared_ptr<MemEnv::File> file_;
  uint64_t position_ = 0;
};

class MemFileLock : public FileLock {
 public:
  MemFileLock(MemEnv* env, std::string path)
      : env_(env), path_(std::move(path)) {}
  ~MemFileLock() override { env_->Unlock(path_); }

 private:
  MemEnv* env_;
  std::string path_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<MemEnv::File>> MemEnv::Open(
    const std::string& path, bool truncate) {
  auto it = files_.find(path);
  if (it == files_.end()) {
    auto file = std::make_shared<File>();
    files_[path] = file;
    return file;
  }
  if (truncate) {
    // A new file replaces the old one (as O_TRUNC keeps the inode, keep the
    // object, but nothing of it is synced any more).
    it->second->data.clear();
    it->second->synced = 0;
  }
  return it->second;
}

absl::StatusOr<std::unique_ptr<WritableFile>> MemEnv::NewWritableFile(
    const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  absl::StatusOr<std::shared_ptr<File>> file = Open(path, /*truncate=*/true);
  if (!file.ok()) return file.status();
  return std::unique_ptr<WritableFile>(new MemWritableFile(this, *file));
}

absl::StatusOr<std::unique_ptr<WritableFile>> MemEnv::NewAppendableFile(
    const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  absl::StatusOr<std::shared_ptr<File>> file = Open(path, /*truncate=*/false);
  if (!file.ok()) return file.status();
  return std::unique_ptr<WritableFile>(new MemWritableFile(this, *file));
}

absl::StatusOr<std::unique_ptr<SequentialFile>> MemEnv::NewSequentialFile(
    const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) {
    return absl::NotFoundError(absl::StrCat("open '", path, "': no such file"));
  }
  return std::unique_ptr<SequentialFile>(
      new MemSequentialFile(this, it->second));
}

bool MemEnv::FileExists(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  return files_.contains(path) || dirs_.contains(path);
}

absl::StatusOr<uint64_t> MemEnv::GetFileSize(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) {
    return absl::NotFoundError(absl::StrCat("stat '", path, "': no such file"));
  }
  return it->second->data.size();
}

absl::StatusOr<std::vector<std::string>> MemEnv::GetChildren(
    const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!dirs_.contains(dir)) {
    return absl::NotFoundError(
        absl::StrCat("opendir '", dir, "': no such directory"));
  }
  std::vector<std::string> names;
  const std::string prefix = dir + "/";
  for (const auto& [path, file] : files_) {
    if (absl::StartsWith(path, prefix) &&
        path.find('/', prefix.size()) == std::string::npos) {
      names.push_back(path.substr(prefix.size()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::Status MemEnv::RemoveFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (files_.erase(path) == 0) {
    return absl::NotFoundError(
        absl::StrCat("unlink '", path, "': no such file"));
  }
  return absl::OkStatus();
}

absl::Status MemEnv::RenameFile(const std::string& from,
                                const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail_renames_ > 0) {
    --fail_renames_;
    return absl::InternalError(
        absl::StrCat("rename '", from, "': injected fault"));
  }
  auto it = files_.find(from);
  if (it == files_.end()) {
    return absl::NotFoundError(
        absl::StrCat("rename '", from, "': no such file"));
  }
  std::shared_ptr<File> file = it->second;
  files_.erase(it);
  file->entry_synced = false;
  files_[to] = std::move(file);
  return absl::OkStatus();
}

absl::Status MemEnv::CreateDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  dirs_.insert(dir);
  return absl::OkStatus();
}

absl::Status MemEnv::SyncDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail_syncs_ > 0) {
    --fail_syncs_;
    return absl::InternalError(
        absl::StrCat("fsync '", dir, "': injected fault"));
  }
  const std::string prefix = dir + "/";
  for (auto& [path, file] : files_) {
    if (absl::StartsWith(path, prefix)) file->entry_synced = true;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<FileLock>> MemEnv::LockFile(
    const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!locks_.insert(path).second) {
    return absl::FailedPreconditionError(
        absl::StrCat("'", path, "' is locked: the ledger is already open"));
  }
  Open(path, /*truncate=*/false).IgnoreError();
  return std::unique_ptr<FileLock>(new MemFileLock(this, path));
}

void MemEnv::Unlock(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  locks_.erase(path);
}

void MemEnv::FailWrites(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_writes_ = n;
}
void MemEnv::FailSyncs(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_syncs_ = n;
}
void MemEnv::FailRenames(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_renames_ = n;
}
void MemEnv::ShortWrites(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  short_writes_ = n;
}

void MemEnv::DropUnsyncedData() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = files_.begin(); it != files_.end();) {
    File& file = *it->second;
    if (!file.entry_synced && file.synced == 0) {
      files_.erase(it++);
      continue;
    }
    file.data.resize(file.synced);
    ++it;
  }
  locks_.clear();
}

absl::StatusOr<std::string> MemEnv::Contents(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return absl::NotFoundError(path);
  return it->second->data;
}

absl::Status MemEnv::SetContents(const std::string& path,
                                 std::string contents) {
  std::lock_guard<std::mutex> lock(mu_);
  absl::StatusOr<std::shared_ptr<File>> file = Open(path, false);
  if (!file.ok()) return file.status();
  (*file)->data = std::move(contents);
  (*file)->synced = (*file)->data.size();
  (*file)->entry_synced = true;
  return absl::OkStatus();
}

absl::Status MemEnv::FileAppend(const std::shared_ptr<File>& file,
                                absl::string_view data) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail_writes_ > 0) {
    --fail_writes_;
    return absl::InternalError("write: injected fault");
  }
  if (short_writes_ > 0) {
    --short_writes_;
    file->data.append(data.data(), data.size() / 2);
    return absl::InternalError("write: injected short write");
  }
  file->data.append(data.data(), data.size());
  return absl::OkStatus();
}

absl::Status MemEnv::FileSync(const std::shared_ptr<File>& file) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail_syncs_ > 0) {
    --fail_syncs_;
    return absl::InternalError("fsync: injected fault");
  }
  file->synced = file->data.size();
  return absl::OkStatus();
}

absl::Status MemEnv::FileTruncate(const std::shared_ptr<File>& file,
                                  uint64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  if (size < file->data.size()) file->data.resize(size);
  file->synced = std::min<uint64_t>(file->synced, size);
  return absl::OkStatus();
}

absl::StatusOr<absl::string_view> MemEnv::FileRead(
    const std::shared_ptr<File>& file, uint64_t* position, size_t n,
    char* scratch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (*position >= file->data.size()) return absl::string_view();
  const size_t take =
      std::min<size_t>(n, file->data.size() - static_cast<size_t>(*position));
  std::memcpy(scratch, file->data.data() + *position, take);
  *position += take;
  return absl::string_view(scratch, take);
}

}  // namespace internal

std::unique_ptr<Env> NewMemEnv() {
  return std::make_unique<internal::MemEnv>();
}

}  // namespace contactledger
