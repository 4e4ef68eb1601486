// Copyright 2026 The ContactLedger Authors.
//
// contactledger/env.h: EnvWrapper and WritableFileWrapper forward every call
// to their targets, and an override changes only its own call.

#include "contactledger/env.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string ReadAll(Env* env, const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFileToString(env, path);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : "";
}

TEST(EnvWrapper, ForwardsEveryCallToItsTarget) {
  std::unique_ptr<Env> mem = NewMemEnv();
  EnvWrapper env(mem.get());
  EXPECT_EQ(env.target(), mem.get());

  ASSERT_OK(env.CreateDir("/d"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<WritableFile> file,
                       env.NewWritableFile("/d/a"));
  ASSERT_OK(file->Append("hello"));
  ASSERT_OK(file->Sync());
  ASSERT_OK(file->Close());
  EXPECT_TRUE(mem->FileExists("/d/a"));
  EXPECT_TRUE(env.FileExists("/d/a"));
  ASSERT_OK_AND_ASSIGN(uint64_t size, env.GetFileSize("/d/a"));
  EXPECT_EQ(size, 5u);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<WritableFile> more,
                       env.NewAppendableFile("/d/a"));
  ASSERT_OK(more->Append(" world"));
  ASSERT_OK(more->Close());
  EXPECT_EQ(ReadAll(mem.get(), "/d/a"), "hello world");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<SequentialFile> in,
                       env.NewSequentialFile("/d/a"));
  char scratch[64];
  ASSERT_OK_AND_ASSIGN(absl::string_view read, in->Read(64, scratch));
  EXPECT_EQ(read, "hello world");

  ASSERT_OK_AND_ASSIGN(std::vector<std::string> children,
                       env.GetChildren("/d"));
  EXPECT_THAT(children, ElementsAre("a"));
  ASSERT_OK(env.RenameFile("/d/a", "/d/b"));
  EXPECT_FALSE(mem->FileExists("/d/a"));
  EXPECT_TRUE(mem->FileExists("/d/b"));
  ASSERT_OK(env.SyncDir("/d"));

  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<FileLock> lock,
                         env.LockFile("/d/LOCK"));
    // The target sees the wrapper's lock.
    EXPECT_EQ(mem->LockFile("/d/LOCK").status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_OK(mem->LockFile("/d/LOCK").status());

  ASSERT_OK(env.RemoveFile("/d/b"));
  EXPECT_FALSE(mem->FileExists("/d/b"));
  // Errors come back as the target gives them.
  EXPECT_EQ(env.GetFileSize("/d/missing").status(),
            mem->GetFileSize("/d/missing").status());
  EXPECT_EQ(env.NewSequentialFile("/d/missing").status(),
            mem->NewSequentialFile("/d/missing").status());
}

// Counts renames and upper-cases what its files append; everything else
// goes through untouched.
class ShoutingEnv : public EnvWrapper {
 public:
  using EnvWrapper::EnvWrapper;
  int renames = 0;

  absl::Status RenameFile(const std::string& from,
                          const std::string& to) override {
    ++renames;
    return EnvWrapper::RenameFile(from, to);
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) override {
    absl::StatusOr<std::unique_ptr<WritableFile>> file =
        EnvWrapper::NewWritableFile(path);
    if (!file.ok()) return file.status();
    return std::unique_ptr<WritableFile>(new Shouting(std::move(*file)));
  }

 private:
  class Shouting : public WritableFileWrapper {
   public:
    using WritableFileWrapper::WritableFileWrapper;
    absl::Status Append(absl::string_view data) override {
      return WritableFileWrapper::Append(absl::AsciiStrToUpper(data));
    }
  };
};

TEST(EnvWrapper, AnOverrideChangesOnlyItsOwnCall) {
  std::unique_ptr<Env> mem = NewMemEnv();
  ShoutingEnv env(mem.get());
  ASSERT_OK(env.CreateDir("/d"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<WritableFile> file,
                       env.NewWritableFile("/d/a"));
  ASSERT_OK(file->Append("quiet words"));
  // Truncate, Sync and Close go to the wrapped file as they are.
  ASSERT_OK(file->Truncate(5));
  ASSERT_OK(file->Append("!"));
  ASSERT_OK(file->Sync());
  ASSERT_OK(file->Close());
  EXPECT_EQ(ReadAll(mem.get(), "/d/a"), "QUIET!");
  // Appendable files are not overridden: they write as given.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<WritableFile> more,
                       env.NewAppendableFile("/d/a"));
  ASSERT_OK(more->Append(" ok"));
  ASSERT_OK(more->Close());
  EXPECT_EQ(ReadAll(mem.get(), "/d/a"), "QUIET! ok");

  ASSERT_OK(env.RenameFile("/d/a", "/d/b"));
  ASSERT_OK(env.RemoveFile("/d/b"));
  EXPECT_EQ(env.renames, 1);
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> children,
                       env.GetChildren("/d"));
  EXPECT_THAT(children, IsEmpty());
}

}  // namespace
}  // namespace contactledger
