// Copyright 2026 The ContactLedger Authors.
//
// Threads on a durable ledger (contactledger/ledger.h "Threading" and
// "Durability"):
//   - one writer appending batches (some with sync), four readers pinning
//     their reads to last_sequence_number(), and a thread writing snapshots,
//     all at once, on the in-memory Env and on the POSIX Env: pinned reads
//     agree with each other, see whole batches only and never go backwards;
//     the ledger reopens to the same state;
//   - group commit: four threads appending with sync at once on the POSIX
//     Env all succeed, get the numbers 1..800 once each, and everything is
//     there after reopening.
// Each test runs for a few seconds at most; scripts/tsan.sh runs this file
// under ThreadSanitizer.

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::contactledger::testutil::At;
using ::contactledger::testutil::MakeCounty;
using ::contactledger::testutil::MakeExposure;
using ::contactledger::testutil::MakeHousehold;
using ::contactledger::testutil::MakePerson;
using ::contactledger::testutil::MakeTownship;
using ::contactledger::testutil::SequenceNumbers;
using ::contactledger::testutil::UpTo;

// ---------------------------------------------------------------------------
// Helpers.

// Collects failures from any thread; the loops stop at the first.
class Failures {
 public:
  void Add(const std::string& what) {
    absl::MutexLock lock(&mu_);
    if (messages_.size() < 20) messages_.push_back(what);
    ++count_;
  }
  int count() const {
    absl::MutexLock lock(&mu_);
    return count_;
  }
  std::vector<std::string> messages() const {
    absl::MutexLock lock(&mu_);
    return messages_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> messages_ ABSL_GUARDED_BY(mu_);
  int count_ ABSL_GUARDED_BY(mu_) = 0;
};

// A fresh directory under TEST_TMPDIR or /tmp, removed (one level deep) when
// the test ends.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string pattern =
        absl::StrCat(base != nullptr && *base != '\0' ? base : "/tmp",
                     "/contactledger-threads-XXXXXX");
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    if (path_.empty()) return;
    absl::StatusOr<std::vector<std::string>> names =
        Env::Default()->GetChildren(path_);
    if (names.ok()) {
      for (const std::string& name : *names) {
        Env::Default()
            ->RemoveFile(absl::StrCat(path_, "/", name))
            .IgnoreError();
      }
    }
    ::rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Forwards to another Env, counting the Sync() calls of its files.
class SyncCountingEnv : public EnvWrapper {
 public:
  using EnvWrapper::EnvWrapper;

  int64_t syncs() const { return syncs_.load(); }

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) override {
    return Wrap(EnvWrapper::NewWritableFile(path));
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(
      const std::string& path) override {
    return Wrap(EnvWrapper::NewAppendableFile(path));
  }

 private:
  class File : public WritableFileWrapper {
   public:
    File(std::unique_ptr<WritableFile> base, std::atomic<int64_t>* syncs)
        : WritableFileWrapper(std::move(base)), syncs_(syncs) {}
    absl::Status Sync() override {
      syncs_->fetch_add(1);
      return WritableFileWrapper::Sync();
    }

   private:
    std::atomic<int64_t>* syncs_;
  };

  absl::StatusOr<std::unique_ptr<WritableFile>> Wrap(
      absl::StatusOr<std::unique_ptr<WritableFile>> file) {
    if (!file.ok()) return file.status();
    return std::unique_ptr<WritableFile>(new File(std::move(*file), &syncs_));
  }

  std::atomic<int64_t> syncs_{0};
};

// ---------------------------------------------------------------------------
// Readers, a writer and snapshots on a durable ledger.

// Every writer batch: one new member of household "h", then kP0Exposures
// exposures of "p0" and kP1Exposures of "p1" (the last event of a batch is
// always an exposure of "p1").
constexpr int kP0Exposures = 4;
constexpr int kP1Exposures = 2;
constexpr uint64_t kBatchSize = 1 + kP0Exposures + kP1Exposures;
constexpr int kMaxBatches = 3000;
constexpr int kReaders = 4;
constexpr int kSnapshots = 4;
constexpr uint64_t kSetupEvents = 5;

std::vector<v1::LedgerEvent> WriterBatch(int batch) {
  std::vector<v1::LedgerEvent> events;
  events.push_back(MakePerson(absl::StrCat("m", batch), "h"));
  for (int i = 0; i < kP0Exposures + kP1Exposures; ++i) {
    const int slot = (batch * 7919 + i * 104729) % 5000;
    const absl::Time start = At(2020, 1, 1) + absl::Minutes(slot);
    const std::string subject = i < kP0Exposures ? "p0" : "p1";
    events.push_back(MakeExposure(absl::StrCat("x", batch, "-", i), subject,
                                  start, start + absl::Minutes(15)));
    events.back().mutable_exposure()->set_id(absl::StrCat("w", batch, "-", i));
  }
  return events;
}

// What one pinned read saw.
struct PinnedRead {
  std::vector<uint64_t> p0;
  std::vector<uint64_t> p1;
  std::vector<std::string> p0_bodies;
  std::vector<std::string> members;
  std::string last_event;
};

absl::StatusOr<PinnedRead> ReadPinned(const Ledger& ledger, uint64_t limit) {
  const ReadOptions pinned = UpTo(limit);
  PinnedRead read;
  auto p0 = ledger.ExposuresOf("p0", absl::InfinitePast(),
                               absl::InfiniteFuture(), pinned);
  if (!p0.ok()) return p0.status();
  read.p0 = SequenceNumbers(*p0);
  for (const Recorded<v1::Exposure>& e : *p0) {
    read.p0_bodies.push_back(e.body.SerializeAsString());
  }
  auto p1 = ledger.ExposuresOf("p1", absl::InfinitePast(),
                               absl::InfiniteFuture(), pinned);
  if (!p1.ok()) return p1.status();
  read.p1 = SequenceNumbers(*p1);
  auto members = ledger.HouseholdMembers("h", pinned);
  if (!members.ok()) return members.status();
  read.members = *members;
  auto event = ledger.GetEvent(limit);
  if (!event.ok()) return event.status();
  read.last_event = event->SerializeAsString();
  return read;
}

enum class EnvKind { kMem, kPosix };
void PrintTo(EnvKind kind, std::ostream* os) {
  *os << (kind == EnvKind::kMem ? "MemEnv" : "PosixEnv");
}

class DurableThreadsTest : public ::testing::TestWithParam<EnvKind> {};

TEST_P(DurableThreadsTest, ReadersWriterAndSnapshotsAgree) {
  std::unique_ptr<Env> mem_env;
  std::unique_ptr<TempDir> temp_dir;
  LedgerOptions options;
  std::string dir;
  if (GetParam() == EnvKind::kMem) {
    mem_env = NewMemEnv();
    options.env = mem_env.get();
    dir = "/ledger";
  } else {
    temp_dir = std::make_unique<TempDir>();
    ASSERT_FALSE(temp_dir->path().empty()) << std::strerror(errno);
    dir = temp_dir->path();
  }
  absl::StatusOr<std::unique_ptr<Ledger>> opened = Ledger::Open(options, dir);
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<Ledger> ledger = std::move(*opened);
  ASSERT_TRUE(ledger
                  ->AppendBatch({MakeCounty("c"), MakeTownship("t", "c"),
                                 MakeHousehold("h", "t"), MakePerson("p0", "h"),
                                 MakePerson("p1", "h")})
                  .ok());
  ASSERT_EQ(ledger->last_sequence_number(), kSetupEvents);

  Failures failures;
  std::atomic<bool> writer_done{false};
  std::atomic<int> batches_written{0};
  std::atomic<int> snapshots_written{0};
  std::atomic<int64_t> reads{0};
  const absl::Time deadline = absl::Now() + absl::Seconds(2);

  std::thread writer([&] {
    for (int batch = 0;
         batch < kMaxBatches && absl::Now() < deadline && failures.count() == 0;
         ++batch) {
      WriteOptions write_options;
      write_options.sync = batch % 4 == 0;
      absl::StatusOr<std::vector<uint64_t>> numbers =
          ledger->AppendBatch(WriterBatch(batch), write_options);
      if (!numbers.ok()) {
        failures.Add("writer: " + numbers.status().ToString());
        break;
      }
      const uint64_t first = kSetupEvents + batch * kBatchSize + 1;
      if (numbers->size() != kBatchSize || numbers->front() != first ||
          numbers->back() != first + kBatchSize - 1) {
        failures.Add(absl::StrCat("writer: batch ", batch, " got numbers from ",
                                  numbers->front()));
      }
      batches_written.fetch_add(1);
    }
    writer_done.store(true);
  });

  std::thread snapshotter([&] {
    uint64_t previous = 0;
    for (int i = 0; i < kSnapshots && failures.count() == 0; ++i) {
      absl::SleepFor(absl::Milliseconds(250));
      absl::StatusOr<uint64_t> covered = ledger->WriteSnapshot();
      if (!covered.ok()) {
        failures.Add("WriteSnapshot: " + covered.status().ToString());
        break;
      }
      if (*covered < previous || *covered > ledger->last_sequence_number() ||
          (*covered - kSetupEvents) % kBatchSize != 0) {
        failures.Add(absl::StrCat("WriteSnapshot covered ", *covered, " after ",
                                  previous));
      }
      previous = *covered;
      snapshots_written.fetch_add(1);
    }
  });

  auto reader = [&](int id) {
    uint64_t previous_limit = 0;
    size_t previous_p0 = 0;
    size_t previous_members = 0;
    int iterations = 0;
    while ((!writer_done.load() || iterations < 5) && failures.count() == 0) {
      ++iterations;
      const uint64_t limit = ledger->last_sequence_number();
      const std::string who = absl::StrCat("reader ", id, " at ", limit, ": ");
      if (limit < previous_limit) {
        failures.Add(who + absl::StrCat("went back from ", previous_limit));
      }
      if (limit < kSetupEvents || (limit - kSetupEvents) % kBatchSize != 0) {
        failures.Add(who + "inside a batch");
        continue;
      }
      const uint64_t batches = (limit - kSetupEvents) / kBatchSize;
      absl::StatusOr<PinnedRead> first = ReadPinned(*ledger, limit);
      absl::StatusOr<PinnedRead> second = ReadPinned(*ledger, limit);
      if (!first.ok() || !second.ok()) {
        failures.Add(who + (first.ok() ? second : first).status().ToString());
        continue;
      }
      if (first->p0 != second->p0 || first->p0_bodies != second->p0_bodies ||
          first->p1 != second->p1 || first->members != second->members ||
          first->last_event != second->last_event) {
        failures.Add(who + "two reads at the same limit differ");
      }
      if (first->p0.size() != batches * kP0Exposures ||
          first->p1.size() != batches * kP1Exposures ||
          first->members.size() != batches + 2) {
        failures.Add(who + absl::StrCat(first->p0.size(), " exposures of p0, ",
                                        first->p1.size(), " of p1, ",
                                        first->members.size(),
                                        " members after ", batches,
                                        " batches"));
      }
      for (uint64_t s : first->p0) {
        if (s > limit) failures.Add(who + absl::StrCat("saw event ", s));
      }
      for (uint64_t s : first->p1) {
        if (s > limit) failures.Add(who + absl::StrCat("saw event ", s));
      }
      if (first->p0.size() < previous_p0 ||
          first->members.size() < previous_members) {
        failures.Add(who + "counts went down");
      }
      v1::LedgerEvent last;
      if (!last.ParseFromString(first->last_event) ||
          last.sequence_number() != limit ||
          (batches > 0 &&
           (!last.has_exposure() || last.exposure().person_b() != "p1"))) {
        failures.Add(who + "GetEvent(limit) is " + last.ShortDebugString());
      }
      previous_limit = limit;
      previous_p0 = first->p0.size();
      previous_members = first->members.size();
      reads.fetch_add(1);
    }
  };
  std::vector<std::thread> readers;
  for (int i = 0; i < kReaders; ++i) readers.emplace_back(reader, i);

  writer.join();
  snapshotter.join();
  for (std::thread& r : readers) r.join();
  for (const std::string& message : failures.messages()) {
    ADD_FAILURE() << message;
  }
  ASSERT_EQ(failures.count(), 0);
  EXPECT_GT(batches_written.load(), 0);
  EXPECT_EQ(snapshots_written.load(), kSnapshots);
  EXPECT_GE(reads.load(), kReaders * 5);
  const uint64_t last = ledger->last_sequence_number();
  EXPECT_EQ(last, kSetupEvents + batches_written.load() * kBatchSize);
  absl::StatusOr<PinnedRead> before = ReadPinned(*ledger, last);
  ASSERT_TRUE(before.ok()) << before.status();
  std::printf("%d batches, %lld pinned reads, %d snapshots\n",
              batches_written.load(), static_cast<long long>(reads.load()),
              snapshots_written.load());

  // Reopen: the newest snapshot plus the log after it give the same state.
  ledger.reset();
  opened = Ledger::Open(options, dir);
  ASSERT_TRUE(opened.ok()) << opened.status();
  ledger = std::move(*opened);
  EXPECT_FALSE(ledger->recovery_report().snapshot_file.empty());
  EXPECT_TRUE(ledger->recovery_report().damage.empty());
  ASSERT_EQ(ledger->last_sequence_number(), last);
  absl::StatusOr<PinnedRead> after = ReadPinned(*ledger, last);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->p0, before->p0);
  EXPECT_EQ(after->p0_bodies, before->p0_bodies);
  EXPECT_EQ(after->p1, before->p1);
  EXPECT_EQ(after->members, before->members);
  EXPECT_EQ(after->last_event, before->last_event);
  ledger.reset();
  absl::StatusOr<VerifyReport> verify = Ledger::Verify(options, dir);
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_TRUE(verify->ok());
  EXPECT_EQ(verify->last_sequence, last);
}

INSTANTIATE_TEST_SUITE_P(Envs, DurableThreadsTest,
                         ::testing::Values(EnvKind::kMem, EnvKind::kPosix),
                         [](const ::testing::TestParamInfo<EnvKind>& info) {
                           return info.param == EnvKind::kMem ? "MemEnv"
                                                              : "PosixEnv";
                         });

// ---------------------------------------------------------------------------
// Group commit.

TEST(GroupCommitTest, ConcurrentSyncedAppendsAllLand) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  constexpr uint64_t kTotal = kThreads * kPerThread;
  TempDir dir;
  ASSERT_FALSE(dir.path().empty()) << std::strerror(errno);
  SyncCountingEnv env(Env::Default());
  LedgerOptions options;
  options.env = &env;

  std::vector<std::vector<uint64_t>> numbers(kThreads);
  int64_t syncs = 0;
  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(options, dir.path());
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    const int64_t syncs_at_open = env.syncs();
    Failures failures;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        WriteOptions sync;
        sync.sync = true;
        for (int i = 0; i < kPerThread; ++i) {
          const absl::Time start = At(2020, 1, 20) + absl::Minutes(i);
          v1::LedgerEvent event =
              MakeExposure(absl::StrCat("a", t), absl::StrCat("b", i), start,
                           start + absl::Minutes(5));
          event.mutable_exposure()->set_id(absl::StrCat("t", t, "-", i));
          absl::StatusOr<uint64_t> n = (*ledger)->Append(event, sync);
          if (!n.ok()) {
            failures.Add(absl::StrCat("thread ", t, " append ", i, ": ",
                                      n.status().ToString()));
            return;
          }
          numbers[t].push_back(*n);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (const std::string& message : failures.messages()) {
      ADD_FAILURE() << message;
    }
    ASSERT_EQ(failures.count(), 0);
    syncs = env.syncs() - syncs_at_open;
    EXPECT_EQ((*ledger)->last_sequence_number(), kTotal);
  }
  // Every sync append was acknowledged after an fsync; a group shares one.
  std::printf("%llu synced appends, %lld fsyncs (%.2f appends per fsync)\n",
              static_cast<unsigned long long>(kTotal),
              static_cast<long long>(syncs),
              syncs > 0 ? static_cast<double>(kTotal) / syncs : 0.0);
  EXPECT_GE(syncs, 1);
  EXPECT_LE(syncs, static_cast<int64_t>(kTotal));

  // The numbers 1..800, once each, increasing within a thread.
  std::vector<std::pair<int, int>> owner(kTotal + 1, {-1, -1});
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(numbers[t].size(), static_cast<size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i) {
      const uint64_t n = numbers[t][i];
      ASSERT_GE(n, 1u);
      ASSERT_LE(n, kTotal);
      ASSERT_EQ(owner[n].first, -1) << "number " << n << " given twice";
      owner[n] = {t, i};
      if (i > 0) {
        EXPECT_GT(n, numbers[t][i - 1]);
      }
    }
  }

  // After reopening, all 800 are there, each the event its thread sent.
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(LedgerOptions(), dir.path());
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_TRUE((*ledger)->recovery_report().damage.empty());
  ASSERT_EQ((*ledger)->last_sequence_number(), kTotal);
  for (uint64_t n = 1; n <= kTotal; ++n) {
    absl::StatusOr<v1::LedgerEvent> event = (*ledger)->GetEvent(n);
    ASSERT_TRUE(event.ok()) << n << ": " << event.status();
    ASSERT_TRUE(event->has_exposure()) << n;
    EXPECT_EQ(event->exposure().id(),
              absl::StrCat("t", owner[n].first, "-", owner[n].second))
        << "event " << n;
  }
  for (int t = 0; t < kThreads; ++t) {
    auto exposures =
        (*ledger)->ExposuresOf(absl::StrCat("a", t), absl::InfinitePast(),
                               absl::InfiniteFuture(), ReadOptions());
    ASSERT_TRUE(exposures.ok()) << exposures.status();
    EXPECT_EQ(exposures->size(), static_cast<size_t>(kPerThread));
  }
}

}  // namespace
}  // namespace contactledger
