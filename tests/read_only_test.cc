// Copyright 2026 The ContactLedger Authors.
//
// Readers beside a writer: Ledger::OpenReadOnly and CatchUp.
//
// In one process, on the in-memory Env: readers open while a writer holds
// the directory, see whole batches only, catch up, stop before a record a
// writer is in the middle of appending (an Env that pauses inside Append),
// follow the writer through snapshots whatever it does with the logs, and
// change no file. In several processes, on the POSIX Env: a writer process
// appends batches in a loop (and snapshots) while reader processes open and
// catch up again and again, each checking that what it sees ends on a batch
// boundary; a record written half by hand while the writer is stopped is
// where readers stop, until its other half arrives. And a directory nobody
// may write (chmod) opens read-only, unchanged.
//
// Every batch holds kBatch events. Batch 0 is the county's setup; batch k
// (k >= 1) registers the persons "b<k>-0" ... "b<k>-4", events 5k+1 ... 5k+5,
// so a reader can tell from its last sequence number alone which batch it
// ends with, and check that batch is all there.

#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/storage.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/env/mem_env.h"
#include "lib/log/record_io.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testutil::MakeCounty;
using testutil::MakeHousehold;
using testutil::MakePerson;
using testutil::MakeTownship;
using testutil::MakeVillage;

constexpr int kBatch = 5;
constexpr char kDir[] = "/ledger";

std::vector<v1::LedgerEvent> SetupBatch() {
  return {MakeCounty("c"), MakeTownship("t", "c"), MakeVillage("v", "t"),
          MakeHousehold("h", "v", "Li Wei"), MakePerson("p0", "h")};
}

// Batch k >= 1.
std::vector<v1::LedgerEvent> Batch(uint64_t k) {
  std::vector<v1::LedgerEvent> batch;
  for (int i = 0; i < kBatch; ++i) {
    batch.push_back(MakePerson(absl::StrCat("b", k, "-", i), "h"));
  }
  return batch;
}

// "" when `ledger` ends on a batch boundary with its last batch whole;
// otherwise what is wrong. Safe while another thread catches up.
std::string CheckWhole(const Ledger& ledger, uint64_t* last_out = nullptr) {
  const uint64_t last = ledger.last_sequence_number();
  if (last_out != nullptr) *last_out = last;
  if (last % kBatch != 0) {
    return absl::StrCat("last sequence number ", last, " is inside a batch");
  }
  if (last <= kBatch) return "";
  ReadOptions read;
  read.sequence_limit = last;
  const uint64_t k = last / kBatch - 1;
  for (int i = 0; i < kBatch; ++i) {
    const uint64_t s = last - kBatch + 1 + i;
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(s, read);
    if (!event.ok()) {
      return absl::StrCat("event ", s, ": ", event.status().ToString());
    }
    const std::string want = absl::StrCat("b", k, "-", i);
    if (event->person().id() != want) {
      return absl::StrCat("event ", s, " is person '", event->person().id(),
                          "', expected '", want, "'");
    }
  }
  return "";
}

// Every event of `ledger`, serialised.
std::vector<std::string> Events(const Ledger& ledger) {
  std::vector<std::string> events;
  for (uint64_t s = 1; s <= ledger.last_sequence_number(); ++s) {
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(s);
    events.push_back(event.ok() ? event->SerializeAsString()
                                : event.status().ToString());
  }
  return events;
}

// The framed log record of batch k, numbered from `first` at `record_time`:
// what a writer would append next.
std::string RecordOf(uint64_t k, uint64_t first, absl::Time record_time) {
  v1::EventBatch batch;
  uint64_t sequence = first;
  for (const v1::LedgerEvent& event : Batch(k)) {
    v1::LedgerEvent* logged = batch.add_events();
    *logged = event;
    logged->set_sequence_number(sequence++);
    *logged->mutable_record_time() = testutil::ToProto(record_time);
  }
  std::string record;
  internal::AppendRecord(batch.SerializeAsString(), &record);
  return record;
}

// Every LogRetention, for the tests run with each, and its name in theirs.
constexpr LogRetention kRetentions[] = {
    LogRetention::kKeep, LogRetention::kArchive, LogRetention::kRemove};

std::string RetentionName(const ::testing::TestParamInfo<LogRetention>& p) {
  switch (p.param) {
    case LogRetention::kKeep:
      return "Keep";
    case LogRetention::kArchive:
      return "Archive";
    case LogRetention::kRemove:
      return "Remove";
  }
  return "Unknown";
}

// ---------------------------------------------------------------------------
// In one process, on the in-memory Env.

// An Env whose next append to a log, once armed, writes half its bytes,
// then waits until released before writing the rest: a writer caught in the
// middle of an append.
class PausingEnv : public EnvWrapper {
 public:
  using EnvWrapper::EnvWrapper;

  void Arm() {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = true;
  }
  void WaitUntilPaused() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return paused_; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) override {
    return Wrap(path, EnvWrapper::NewWritableFile(path));
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(
      const std::string& path) override {
    return Wrap(path, EnvWrapper::NewAppendableFile(path));
  }

 private:
  class File : public WritableFileWrapper {
   public:
    File(PausingEnv* env, std::unique_ptr<WritableFile> target)
        : WritableFileWrapper(std::move(target)), env_(env) {}
    absl::Status Append(absl::string_view data) override {
      {
        std::unique_lock<std::mutex> lock(env_->mu_);
        if (env_->armed_ && data.size() > 1) {
          env_->armed_ = false;
          const size_t half = data.size() / 2;
          if (absl::Status s = target()->Append(data.substr(0, half));
              !s.ok()) {
            return s;
          }
          data.remove_prefix(half);
          env_->paused_ = true;
          env_->cv_.notify_all();
          env_->cv_.wait(lock, [&] { return env_->released_; });
        }
      }
      return target()->Append(data);
    }

   private:
    PausingEnv* env_;
  };

  absl::StatusOr<std::unique_ptr<WritableFile>> Wrap(
      const std::string& path,
      absl::StatusOr<std::unique_ptr<WritableFile>> file) {
    if (!file.ok() || !absl::EndsWith(path, ".log")) return file;
    return std::unique_ptr<WritableFile>(new File(this, std::move(*file)));
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false;
  bool paused_ = false;
  bool released_ = false;
};

class ReadOnlyTest : public ::testing::Test {
 protected:
  LedgerOptions Options() {
    LedgerOptions options;
    options.env = &env_;
    return options;
  }

  std::unique_ptr<Ledger> OpenWriter(LedgerOptions options) {
    return Opened(Ledger::Open(options, kDir));
  }
  std::unique_ptr<Ledger> OpenWriter() { return OpenWriter(Options()); }

  std::unique_ptr<Ledger> OpenReader(LedgerOptions options) {
    return Opened(Ledger::OpenReadOnly(options, kDir));
  }
  std::unique_ptr<Ledger> OpenReader() { return OpenReader(Options()); }

  // The ledger an open returned; nullptr, and a failed expectation, when it
  // failed.
  static std::unique_ptr<Ledger> Opened(
      absl::StatusOr<std::unique_ptr<Ledger>> ledger) {
    EXPECT_TRUE(ledger.ok()) << ledger.status();
    return ledger.ok() ? std::move(*ledger) : nullptr;
  }

  // Batches 1..n after the setup batch (appended when the ledger is empty).
  void AppendBatches(Ledger* ledger, uint64_t n) {
    if (ledger->last_sequence_number() == 0) {
      ASSERT_TRUE(ledger->AppendBatch(SetupBatch()).ok());
    }
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t k = ledger->last_sequence_number() / kBatch;
      absl::StatusOr<std::vector<uint64_t>> appended =
          ledger->AppendBatch(Batch(k));
      ASSERT_TRUE(appended.ok()) << appended.status();
    }
  }

  // Every file of the directory (and of its archive/) with its bytes.
  std::map<std::string, std::string> Tree() {
    std::map<std::string, std::string> tree;
    for (const std::string& dir :
         {std::string(kDir), std::string(kDir) + "/archive"}) {
      absl::StatusOr<std::vector<std::string>> names = env_.GetChildren(dir);
      if (!names.ok()) continue;
      for (const std::string& name : *names) {
        const std::string path = dir + "/" + name;
        tree[path] = env_.Contents(path).value_or("<unreadable>");
      }
    }
    return tree;
  }

  internal::MemEnv env_;
};

TEST_F(ReadOnlyTest, ReadOnlyOpen_SeesCommittedBatchesWhileWriterHoldsLock) {
  std::unique_ptr<Ledger> writer = OpenWriter();
  AppendBatches(writer.get(), 3);
  // A second writer is refused; readers, any number, are not.
  absl::StatusOr<std::unique_ptr<Ledger>> second =
      Ledger::Open(Options(), kDir);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr("in use"));
  std::unique_ptr<Ledger> reader = OpenReader();
  std::unique_ptr<Ledger> other = OpenReader();
  ASSERT_NE(reader, nullptr);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(reader->last_sequence_number(), 20u);
  EXPECT_EQ(reader->recovery_report().replayed_events, 20u);
  EXPECT_EQ(Events(*reader), Events(*writer));
  EXPECT_EQ(CheckWhole(*reader), "");
  EXPECT_TRUE(reader->GetPerson("b3-4", ReadOptions()).ok());
  EXPECT_EQ(reader->time_zone(), writer->time_zone());
  // The writer goes on; a reader sees it once it catches up.
  AppendBatches(writer.get(), 2);
  EXPECT_EQ(reader->last_sequence_number(), 20u);
  absl::StatusOr<uint64_t> caught = reader->CatchUp();
  ASSERT_TRUE(caught.ok()) << caught.status();
  EXPECT_EQ(*caught, 30u);
  EXPECT_EQ(Events(*reader), Events(*writer));
  // Nothing new: CatchUp returns the same number.
  EXPECT_EQ(*reader->CatchUp(), 30u);
  EXPECT_EQ(*other->CatchUp(), 30u);
  EXPECT_EQ(reader->recovery_report().log_files,
            std::vector<std::string>{"00000000000000000001.log"});
}

TEST_F(ReadOnlyTest, ReadOnlyOpen_AppendAndSnapshotAreFailedPrecondition) {
  {
    std::unique_ptr<Ledger> writer = OpenWriter();
    AppendBatches(writer.get(), 1);
  }
  const std::map<std::string, std::string> before = Tree();
  std::unique_ptr<Ledger> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  absl::StatusOr<uint64_t> appended = reader->Append(MakePerson("x", "h"));
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(appended.status().message(), HasSubstr("opened read-only"));
  EXPECT_EQ(reader->AppendBatch(Batch(2)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<uint64_t> snapshot = reader->WriteSnapshot();
  EXPECT_EQ(snapshot.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(snapshot.status().message(), HasSubstr("opened read-only"));
  EXPECT_EQ(reader->last_sequence_number(), 10u);
  EXPECT_EQ(Tree(), before);
}

TEST_F(ReadOnlyTest, CatchUp_OnAWritableLedgerIsFailedPrecondition) {
  std::unique_ptr<Ledger> writer = OpenWriter();
  EXPECT_EQ(writer->CatchUp().status().code(),
            absl::StatusCode::kFailedPrecondition);
  std::unique_ptr<Ledger> memory = Ledger::New(LedgerOptions());
  EXPECT_EQ(memory->CatchUp().status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ReadOnlyTest, ReadOnlyOpen_OfAMissingDirectoryOrLedgerIsNotFound) {
  absl::StatusOr<std::unique_ptr<Ledger>> missing =
      Ledger::OpenReadOnly(Options(), "/nowhere");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("does not exist"));
  EXPECT_FALSE(env_.FileExists("/nowhere"));
  ASSERT_TRUE(env_.CreateDir("/empty").ok());
  absl::StatusOr<std::unique_ptr<Ledger>> empty =
      Ledger::OpenReadOnly(Options(), "/empty");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(empty.status().message(), HasSubstr("holds no ledger"));
  EXPECT_THAT(*env_.GetChildren("/empty"), IsEmpty());
}

TEST_F(ReadOnlyTest, ReadOnlyOpen_ChangesNoFileOfAnOldDirectory) {
  // A directory from before manifests, with a temporary file and a record
  // cut off at the end of its log: Open would write a MANIFEST, remove the
  // temporary and cut the tail. A reader does none of it.
  std::string log;
  {
    std::unique_ptr<Ledger> writer = OpenWriter();
    AppendBatches(writer.get(), 2);
    log = std::string(kDir) + "/00000000000000000001.log";
  }
  ASSERT_TRUE(env_.RemoveFile(std::string(kDir) + "/MANIFEST").ok());
  ASSERT_TRUE(env_.SetContents(std::string(kDir) + "/LEDGERCTL",
                               "time_zone=Asia/Shanghai\n")
                  .ok());
  ASSERT_TRUE(
      env_.SetContents(std::string(kDir) + "/00000000000000000009.snapshot.tmp",
                       "half a snapshot")
          .ok());
  const std::string whole = *env_.Contents(log);
  const std::string next = RecordOf(3, 16, absl::FromUnixSeconds(2000000000));
  ASSERT_TRUE(env_.SetContents(log, whole + next.substr(0, 20)).ok());
  const std::map<std::string, std::string> before = Tree();

  std::unique_ptr<Ledger> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->last_sequence_number(), 15u);
  EXPECT_EQ(reader->time_zone().name(), "Asia/Shanghai");
  // The tail is where a writer may be appending: not damage.
  EXPECT_THAT(reader->recovery_report().damage, IsEmpty());
  EXPECT_EQ(*reader->CatchUp(), 15u);
  EXPECT_EQ(Tree(), before);
  // The rest of the record arrives: the reader reads it whole.
  ASSERT_TRUE(env_.SetContents(log, whole + next).ok());
  EXPECT_EQ(*reader->CatchUp(), 20u);
  EXPECT_EQ(CheckWhole(*reader), "");
  // Options contradicting the old settings are refused, as by Open.
  LedgerOptions utc = Options();
  utc.time_zone = absl::UTCTimeZone();
  EXPECT_EQ(Ledger::OpenReadOnly(utc, kDir).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ReadOnlyTest, ReadOnlyOpen_StopsBeforeTheBatchAWriterIsAppending) {
  PausingEnv pausing(&env_);
  LedgerOptions options = Options();
  options.env = &pausing;
  std::unique_ptr<Ledger> writer = OpenWriter(options);
  AppendBatches(writer.get(), 2);
  std::unique_ptr<Ledger> early = OpenReader(options);
  ASSERT_NE(early, nullptr);
  // The writer stops half way through the record of batch 3.
  pausing.Arm();
  std::thread appending([&] {
    absl::StatusOr<std::vector<uint64_t>> appended =
        writer->AppendBatch(Batch(3));
    EXPECT_TRUE(appended.ok()) << appended.status();
  });
  pausing.WaitUntilPaused();
  std::unique_ptr<Ledger> during = OpenReader(options);
  ASSERT_NE(during, nullptr);
  EXPECT_EQ(during->last_sequence_number(), 15u);
  EXPECT_EQ(CheckWhole(*during), "");
  EXPECT_EQ(*early->CatchUp(), 15u);
  EXPECT_EQ(*during->CatchUp(), 15u);
  // The rest arrives.
  pausing.Release();
  appending.join();
  EXPECT_EQ(*during->CatchUp(), 20u);
  EXPECT_EQ(*early->CatchUp(), 20u);
  EXPECT_EQ(CheckWhole(*during), "");
  EXPECT_EQ(Events(*during), Events(*writer));
  EXPECT_EQ(OpenReader(options)->last_sequence_number(), 20u);
}

TEST_F(ReadOnlyTest, CatchUp_ReadsWhatANewWriterAppendsAfterCuttingATail) {
  // A writer died in the middle of batch 3; a reader stops before it. The
  // next writer cuts the tail off and appends other bytes there: the reader
  // reads them, not what it had seen of the dead writer's record.
  {
    std::unique_ptr<Ledger> writer = OpenWriter();
    AppendBatches(writer.get(), 2);
  }
  const std::string log = std::string(kDir) + "/00000000000000000001.log";
  const std::string whole = *env_.Contents(log);
  const std::string dead = RecordOf(7, 16, absl::FromUnixSeconds(2000000000));
  ASSERT_TRUE(env_.SetContents(log, whole + dead.substr(0, 40)).ok());
  std::unique_ptr<Ledger> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->last_sequence_number(), 15u);
  std::unique_ptr<Ledger> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(*env_.Contents(log), whole);  // the writer cut the tail
  AppendBatches(writer.get(), 2);
  EXPECT_EQ(*reader->CatchUp(), 25u);
  EXPECT_EQ(CheckWhole(*reader), "");
  EXPECT_EQ(Events(*reader), Events(*writer));
}

class ReadOnlyRetentionTest
    : public ReadOnlyTest,
      public ::testing::WithParamInterface<LogRetention> {};

TEST_P(ReadOnlyRetentionTest, CatchUp_FollowsTheWriterThroughSnapshots) {
  LedgerOptions options = Options();
  options.log_retention = GetParam();
  std::unique_ptr<Ledger> writer = OpenWriter(options);
  AppendBatches(writer.get(), 2);
  std::unique_ptr<Ledger> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    // More batches in the log the reader stopped in, then a snapshot that
    // keeps, archives or removes that log, then a batch in the new log.
    AppendBatches(writer.get(), 2);
    ASSERT_TRUE(writer->WriteSnapshot().ok());
    AppendBatches(writer.get(), 1);
    absl::StatusOr<uint64_t> caught = reader->CatchUp();
    ASSERT_TRUE(caught.ok()) << caught.status();
    EXPECT_EQ(*caught, writer->last_sequence_number());
    EXPECT_EQ(Events(*reader), Events(*writer));
    // A new reader opens from the snapshot.
    std::unique_ptr<Ledger> fresh = OpenReader();
    ASSERT_NE(fresh, nullptr);
    EXPECT_FALSE(fresh->recovery_report().snapshot_file.empty());
    EXPECT_EQ(Events(*fresh), Events(*writer));
  }
  // Two snapshots while a reader does not look: the log after the one it
  // stopped in is gone too when the logs are removed.
  AppendBatches(writer.get(), 1);
  ASSERT_TRUE(writer->WriteSnapshot().ok());
  AppendBatches(writer.get(), 1);
  ASSERT_TRUE(writer->WriteSnapshot().ok());
  AppendBatches(writer.get(), 1);
  absl::StatusOr<uint64_t> caught = reader->CatchUp();
  if (GetParam() == LogRetention::kRemove) {
    EXPECT_EQ(caught.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(caught.status().message(), HasSubstr("open the ledger again"));
    EXPECT_EQ(CheckWhole(*reader), "");
    reader = OpenReader();
    ASSERT_NE(reader, nullptr);
  } else {
    ASSERT_TRUE(caught.ok()) << caught.status();
  }
  EXPECT_EQ(Events(*reader), Events(*writer));
}

INSTANTIATE_TEST_SUITE_P(EachRetention, ReadOnlyRetentionTest,
                         ::testing::ValuesIn(kRetentions), RetentionName);

TEST_F(ReadOnlyTest, CatchUp_LetsReadersOnOtherThreadsReadMeanwhile) {
  std::unique_ptr<Ledger> writer = OpenWriter();
  AppendBatches(writer.get(), 1);
  std::unique_ptr<Ledger> reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  std::atomic<bool> done{false};
  std::mutex errors_mu;
  std::vector<std::string> errors;
  auto fail = [&](const std::string& error) {
    std::lock_guard<std::mutex> lock(errors_mu);
    errors.push_back(error);
  };
  std::thread writing([&] {
    for (int i = 0; i < 300; ++i) {
      const uint64_t k = writer->last_sequence_number() / kBatch;
      if (!writer->AppendBatch(Batch(k)).ok()) fail("append failed");
    }
    done = true;
  });
  std::thread catching_up([&] {
    while (true) {
      const bool last_round = done;
      absl::StatusOr<uint64_t> caught = reader->CatchUp();
      if (!caught.ok()) fail(caught.status().ToString());
      if (last_round) break;
    }
  });
  std::vector<std::thread> reading;
  for (int r = 0; r < 3; ++r) {
    reading.emplace_back([&] {
      uint64_t previous = 0;
      while (!done) {
        uint64_t last = 0;
        if (std::string error = CheckWhole(*reader, &last); !error.empty()) {
          fail(error);
        }
        if (last < previous) fail("the last sequence number went back");
        previous = last;
      }
    });
  }
  writing.join();
  catching_up.join();
  for (std::thread& t : reading) t.join();
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(reader->last_sequence_number(), writer->last_sequence_number());
  EXPECT_EQ(Events(*reader), Events(*writer));
}

// ---------------------------------------------------------------------------
// Processes, on the POSIX Env.

// A fresh directory under TEST_TMPDIR or /tmp, removed with what it holds.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string pattern =
        absl::StrCat(base != nullptr ? base : "/tmp", "/read_only_test.XXXXXX");
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code error;
    // Writable again first, after a test made it read-only.
    for (auto it = std::filesystem::recursive_directory_iterator(path_, error);
         !error && it != std::filesystem::recursive_directory_iterator();
         it.increment(error)) {
      ::chmod(it->path().c_str(), it->is_directory() ? 0755 : 0644);
    }
    ::chmod(path_.c_str(), 0755);
    std::filesystem::remove_all(path_, error);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Every file under `dir` with its mode and bytes.
std::map<std::string, std::string> FileTree(const std::string& dir) {
  std::map<std::string, std::string> tree;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    struct stat st;
    ::stat(entry.path().c_str(), &st);
    std::string contents = absl::StrCat("mode ", st.st_mode, "\n");
    if (entry.is_regular_file()) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      contents += bytes.str();
    }
    tree[entry.path().string()] = contents;
  }
  return tree;
}

std::string NewestLogIn(const std::string& dir) {
  std::string newest;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (absl::EndsWith(name, ".log") && name > newest) newest = name;
  }
  return absl::StrCat(dir, "/", newest);
}

void AppendBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << bytes;
}

// The child processes: they report failures on stderr and by exit status.
[[noreturn]] void ChildFail(const std::string& what) {
  std::fprintf(stderr, "child %d: %s\n", static_cast<int>(::getpid()),
               what.c_str());
  std::fflush(stderr);
  ::_exit(1);
}

// Appends batches until killed (or `max_batches`), snapshotting every
// `snapshot_every` batches (0: never); writes a byte to `report_fd` after
// each batch.
[[noreturn]] void RunWriter(const std::string& dir, LogRetention retention,
                            int snapshot_every, int report_fd,
                            int max_batches) {
  LedgerOptions options;
  options.log_retention = retention;
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(options, dir);
  if (!ledger.ok()) ChildFail("writer: " + ledger.status().ToString());
  if ((*ledger)->last_sequence_number() == 0 &&
      !(*ledger)->AppendBatch(SetupBatch()).ok()) {
    ChildFail("writer: setup batch failed");
  }
  for (int i = 0; max_batches == 0 || i < max_batches; ++i) {
    const uint64_t k = (*ledger)->last_sequence_number() / kBatch;
    absl::StatusOr<std::vector<uint64_t>> appended =
        (*ledger)->AppendBatch(Batch(k));
    if (!appended.ok()) ChildFail("writer: " + appended.status().ToString());
    if (report_fd >= 0 && ::write(report_fd, "b", 1) != 1) {
      ChildFail("writer: report pipe");
    }
    if (snapshot_every > 0 && k % snapshot_every == 0) {
      absl::StatusOr<uint64_t> snapshot = (*ledger)->WriteSnapshot();
      if (!snapshot.ok()) ChildFail("writer: " + snapshot.status().ToString());
    }
    ::usleep(300);
  }
  ::_exit(0);
}

// Opens the ledger read-only again and again for `seconds`, catching up a
// few times after each open, checking every time that it ends on a whole
// batch and never goes back. Fails unless CatchUp advanced at least once.
[[noreturn]] void RunReader(const std::string& dir, LogRetention retention,
                            double seconds) {
  const absl::Time deadline = absl::Now() + absl::Seconds(seconds);
  int advanced = 0;
  int opens = 0;
  uint64_t seen = 0;
  while (absl::Now() < deadline) {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::OpenReadOnly(LedgerOptions(), dir);
    if (!ledger.ok()) ChildFail("OpenReadOnly: " + ledger.status().ToString());
    ++opens;
    uint64_t previous = 0;
    if (std::string e = CheckWhole(**ledger, &previous); !e.empty()) {
      ChildFail("after opening: " + e);
    }
    if (previous < seen) ChildFail("a later open saw less");
    seen = previous;
    for (int i = 0; i < 8; ++i) {
      ::usleep(3000);
      absl::StatusOr<uint64_t> caught = (*ledger)->CatchUp();
      if (!caught.ok()) {
        // Two snapshots between two calls may have removed what it had not
        // read: reopen.
        if (retention == LogRetention::kRemove &&
            absl::IsFailedPrecondition(caught.status())) {
          break;
        }
        ChildFail("CatchUp: " + caught.status().ToString());
      }
      uint64_t last = 0;
      if (std::string e = CheckWhole(**ledger, &last); !e.empty()) {
        ChildFail("after CatchUp: " + e);
      }
      if (last != *caught) ChildFail("CatchUp's number is not the last");
      if (last < previous) ChildFail("CatchUp went back");
      if (last > previous) ++advanced;
      previous = last;
      seen = last;
    }
  }
  if (advanced == 0) ChildFail("CatchUp never advanced");
  std::fprintf(stderr, "reader %d: %d opens, %d advancing catch-ups, at %llu\n",
               static_cast<int>(::getpid()), opens, advanced,
               static_cast<unsigned long long>(seen));
  ::_exit(0);
}

// Waits for `pid`; "" when it exited 0.
std::string Reap(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return "waitpid failed";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  return absl::StrCat("child ", pid, " ended with status ", status);
}

// A writer process (RunWriter, appending until killed) and the pipe on which
// it reports each batch.
struct WriterProcess {
  pid_t pid = -1;
  int report_fd = -1;
};

// Forks a writer on `dir` into *writer.
void StartWriter(const std::string& dir, LogRetention retention,
                 int snapshot_every, WriterProcess* writer) {
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  writer->pid = ::fork();
  ASSERT_GE(writer->pid, 0);
  if (writer->pid == 0) {
    ::close(report[0]);
    RunWriter(dir, retention, snapshot_every, report[1], 0);
  }
  ::close(report[1]);
  writer->report_fd = report[0];
}

// Returns once `writer` has reported `n` more batches.
void WaitForBatches(const WriterProcess& writer, int n) {
  char byte;
  for (int i = 0; i < n; ++i) ASSERT_EQ(::read(writer.report_fd, &byte, 1), 1);
}

// Kills `writer` wherever it is, and closes its pipe.
void KillWriter(const WriterProcess& writer) {
  ::kill(writer.pid, SIGKILL);
  ::waitpid(writer.pid, nullptr, 0);
  ::close(writer.report_fd);
}

class ReadOnlyProcessTest : public ::testing::TestWithParam<LogRetention> {};

TEST_P(ReadOnlyProcessTest,
       ReadOnlyOpen_SeesCommittedBatchesWhileWriterHoldsLock) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string ledger_dir = dir.path() + "/ledger";
  WriterProcess writer;
  ASSERT_NO_FATAL_FAILURE(
      StartWriter(ledger_dir, GetParam(), /*snapshot_every=*/40, &writer));
  // Wait for the first batches.
  ASSERT_NO_FATAL_FAILURE(WaitForBatches(writer, 3));
  std::vector<pid_t> readers;
  for (int r = 0; r < 3; ++r) {
    const pid_t reader = ::fork();
    ASSERT_GE(reader, 0);
    if (reader == 0) RunReader(ledger_dir, GetParam(), 1.5);
    readers.push_back(reader);
  }
  // Meanwhile, here: the writer holds the lock, a reader opens beside it.
  absl::StatusOr<std::unique_ptr<Ledger>> refused =
      Ledger::Open(LedgerOptions(), ledger_dir);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("in use"));
  absl::StatusOr<std::unique_ptr<Ledger>> here =
      Ledger::OpenReadOnly(LedgerOptions(), ledger_dir);
  ASSERT_TRUE(here.ok()) << here.status();
  EXPECT_EQ(CheckWhole(**here), "");
  for (pid_t reader : readers) EXPECT_EQ(Reap(reader), "");
  // Stop the writer (wherever it is: the log ends cleanly or with a cut-off
  // record either way).
  KillWriter(writer);
  // Everything the writer recorded is whole, here and for a writer.
  absl::StatusOr<uint64_t> caught = (*here)->CatchUp();
  if (GetParam() != LogRetention::kRemove) {
    ASSERT_TRUE(caught.ok()) << caught.status();
  }
  absl::StatusOr<std::unique_ptr<Ledger>> reopened =
      Ledger::Open(LedgerOptions(), ledger_dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(CheckWhole(**reopened), "");
  EXPECT_GT((*reopened)->last_sequence_number(), 15u);
  if (caught.ok()) {
    EXPECT_EQ(*caught, (*reopened)->last_sequence_number());
    EXPECT_EQ(Events(**here), Events(**reopened));
  }
  absl::StatusOr<VerifyReport> verify =
      Ledger::Verify(LedgerOptions(), ledger_dir);
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_TRUE(verify->ok());
}

INSTANTIATE_TEST_SUITE_P(EachRetention, ReadOnlyProcessTest,
                         ::testing::ValuesIn(kRetentions), RetentionName);

TEST(ReadOnlyProcess, ReadOnlyOpen_HalfARecordWrittenByHandIsWhereReadersStop) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string ledger_dir = dir.path() + "/ledger";
  WriterProcess writer;
  ASSERT_NO_FATAL_FAILURE(
      StartWriter(ledger_dir, LogRetention::kKeep, 0, &writer));
  ASSERT_NO_FATAL_FAILURE(WaitForBatches(writer, 10));
  // Stop the writer between two appends (a write() to a file is not cut
  // by a signal), holding its lock.
  ASSERT_EQ(::kill(writer.pid, SIGSTOP), 0);
  ::waitpid(writer.pid, nullptr, WUNTRACED);
  absl::StatusOr<std::unique_ptr<Ledger>> early =
      Ledger::OpenReadOnly(LedgerOptions(), ledger_dir);
  ASSERT_TRUE(early.ok()) << early.status();
  const uint64_t last = (*early)->last_sequence_number();
  ASSERT_EQ(CheckWhole(**early), "");
  absl::StatusOr<v1::LedgerEvent> last_event = (*early)->GetEvent(last);
  ASSERT_TRUE(last_event.ok());
  // The next batch's record, as the writer would append it, half of it.
  const std::string record = RecordOf(
      last / kBatch, last + 1,
      testutil::FromProto(last_event->record_time()) + absl::Seconds(1));
  const std::string log = NewestLogIn(ledger_dir);
  AppendBytes(log, record.substr(0, record.size() / 2));
  absl::StatusOr<std::unique_ptr<Ledger>> during =
      Ledger::OpenReadOnly(LedgerOptions(), ledger_dir);
  ASSERT_TRUE(during.ok()) << during.status();
  EXPECT_EQ((*during)->last_sequence_number(), last);
  EXPECT_EQ(CheckWhole(**during), "");
  EXPECT_EQ(*(*early)->CatchUp(), last);
  EXPECT_EQ(*(*during)->CatchUp(), last);
  // The rest of the record arrives.
  AppendBytes(log, record.substr(record.size() / 2));
  EXPECT_EQ(*(*during)->CatchUp(), last + kBatch);
  EXPECT_EQ(*(*early)->CatchUp(), last + kBatch);
  EXPECT_EQ(CheckWhole(**during), "");
  EXPECT_TRUE(
      (*during)
          ->GetPerson(absl::StrCat("b", last / kBatch, "-4"), ReadOptions())
          .ok());
  // The stopped writer does not know of that record: it must not go on.
  KillWriter(writer);
  // A new writer finds the record whole and appends after it; readers
  // follow.
  absl::StatusOr<std::unique_ptr<Ledger>> next =
      Ledger::Open(LedgerOptions(), ledger_dir);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ((*next)->last_sequence_number(), last + kBatch);
  ASSERT_TRUE((*next)->AppendBatch(Batch(last / kBatch + 1)).ok());
  EXPECT_EQ(*(*during)->CatchUp(), last + 2 * kBatch);
  EXPECT_EQ(Events(**during), Events(**next));
}

TEST(ReadOnlyProcess, ReadOnlyOpen_OnAReadOnlyDirectoryChangesNoFile) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string ledger_dir = dir.path() + "/ledger";
  std::vector<std::string> events;
  {
    LedgerOptions options;
    options.log_retention = LogRetention::kArchive;
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(options, ledger_dir);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ASSERT_TRUE((*ledger)->AppendBatch(SetupBatch()).ok());
    for (uint64_t k = 1; k <= 6; ++k) {
      ASSERT_TRUE((*ledger)->AppendBatch(Batch(k)).ok());
      if (k % 3 == 0) {
        ASSERT_TRUE((*ledger)->WriteSnapshot().ok());
      }
    }
    ASSERT_TRUE((*ledger)->AppendBatch(Batch(7)).ok());
    events = Events(**ledger);
  }
  // What Open would remove.
  AppendBytes(ledger_dir + "/00000000000000000099.snapshot.tmp", "half");
  // Nobody may write: the directory, archive/ and every file.
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(ledger_dir)) {
    ASSERT_EQ(::chmod(entry.path().c_str(), entry.is_directory() ? 0555 : 0444),
              0);
  }
  ASSERT_EQ(::chmod(ledger_dir.c_str(), 0555), 0);
  const std::map<std::string, std::string> before = FileTree(ledger_dir);

  absl::StatusOr<std::unique_ptr<Ledger>> reader =
      Ledger::OpenReadOnly(LedgerOptions(), ledger_dir);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(Events(**reader), events);
  EXPECT_EQ(CheckWhole(**reader), "");
  EXPECT_EQ(*(*reader)->CatchUp(), events.size());
  absl::StatusOr<VerifyReport> verify =
      Ledger::Verify(LedgerOptions(), ledger_dir);
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_TRUE(verify->ok());
  EXPECT_EQ(FileTree(ledger_dir), before);
  if (::geteuid() == 0) {
    // Root ignores the permissions: a writer would open. The reader's
    // leaving every file as it was is checked above all the same.
    std::printf(
        "running as root: the read-only directory is writable to "
        "root, so that a writer fails to open it is not checked\n");
    return;
  }
  absl::StatusOr<std::unique_ptr<Ledger>> writer =
      Ledger::Open(LedgerOptions(), ledger_dir);
  EXPECT_FALSE(writer.ok());
  EXPECT_EQ(FileTree(ledger_dir), before);
}

}  // namespace
}  // namespace contactledger
