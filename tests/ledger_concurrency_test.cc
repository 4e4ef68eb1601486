// Copyright 2026 The ContactLedger Authors.
//
// One writer, many readers (contactledger/ledger.h "Threading"): reads that
// run while batches are appended see whole batches only, and reads pinned to
// one sequence_limit agree with each other.

#include <atomic>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
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

// Every batch the writer appends: one new member of household "h", then
// kExposuresPerBatch exposures of "p0" (to persons "c<batch>-<i>"), with start
// times that jump around so that they arrive out of time order.
constexpr int kExposuresPerBatch = 9;
constexpr uint64_t kBatchSize = 1 + kExposuresPerBatch;
constexpr int kMaxBatches = 400;
constexpr int kReaders = 4;

std::vector<v1::LedgerEvent> WriterBatch(int batch) {
  std::vector<v1::LedgerEvent> events;
  events.push_back(MakePerson(absl::StrCat("m", batch), "h"));
  for (int i = 0; i < kExposuresPerBatch; ++i) {
    const int slot = (batch * 7919 + i * 104729) % 5000;
    const absl::Time start = At(2020, 1, 1) + absl::Minutes(slot);
    events.push_back(MakeExposure(absl::StrCat("c", batch, "-", i), "p0", start,
                                  start + absl::Minutes(15)));
  }
  return events;
}

// Records a failure from any thread (gtest assertions are thread-safe, but
// stopping the loops early keeps a broken build from flooding the output).
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

TEST(LedgerConcurrency, ReadersSeeWholeBatchesWhileAWriterAppends) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  ASSERT_OK(
      ledger->AppendBatch({MakeCounty("c"), MakeTownship("t", "c"),
                           MakeHousehold("h", "t"), MakePerson("p0", "h")}));
  const uint64_t setup_events = ledger->last_sequence_number();
  ASSERT_EQ(setup_events, 4u);

  std::atomic<bool> writer_done{false};
  std::atomic<int> batches_written{0};
  Failures failures;
  const absl::Time deadline = absl::Now() + absl::Seconds(2);

  std::thread writer([&] {
    for (int batch = 0;
         batch < kMaxBatches && absl::Now() < deadline && failures.count() == 0;
         ++batch) {
      absl::StatusOr<std::vector<uint64_t>> numbers =
          ledger->AppendBatch(WriterBatch(batch));
      if (!numbers.ok()) {
        failures.Add("writer: " + numbers.status().ToString());
        break;
      }
      const uint64_t first = setup_events + batch * kBatchSize + 1;
      if (numbers->size() != kBatchSize || numbers->front() != first) {
        failures.Add(absl::StrCat("writer: batch ", batch, " got numbers from ",
                                  numbers->empty() ? 0 : numbers->front()));
      }
      batches_written.fetch_add(1);
      // Give the readers time to run between batches.
      absl::SleepFor(absl::Microseconds(500));
    }
    writer_done.store(true);
  });

  std::atomic<int64_t> reads{0};
  // The distinct limits the readers saw: more than one shows that reads
  // interleaved with appends.
  absl::Mutex limits_mu;
  std::set<uint64_t> limits_seen;
  auto reader = [&](int reader_id) {
    int iterations = 0;
    // Read until the writer is done, and at least a few times after.
    while ((!writer_done.load() || iterations < 5) && failures.count() == 0) {
      ++iterations;
      const uint64_t limit = ledger->last_sequence_number();
      if (limit < setup_events || (limit - setup_events) % kBatchSize != 0) {
        failures.Add(absl::StrCat("reader ", reader_id,
                                  ": last_sequence_number ", limit,
                                  " is inside a batch"));
        continue;
      }
      {
        absl::MutexLock lock(&limits_mu);
        limits_seen.insert(limit);
      }
      const uint64_t batches = (limit - setup_events) / kBatchSize;
      const ReadOptions pinned = UpTo(limit);

      auto exposures = ledger->ExposuresOf("p0", absl::InfinitePast(),
                                           absl::InfiniteFuture(), pinned);
      if (!exposures.ok()) {
        failures.Add(exposures.status().ToString());
        continue;
      }
      if (exposures->size() != batches * kExposuresPerBatch) {
        failures.Add(absl::StrCat("reader ", reader_id, ": ", exposures->size(),
                                  " exposures of p0 at limit ", limit,
                                  ", expected ", batches * kExposuresPerBatch));
      }
      for (size_t i = 0; i < exposures->size(); ++i) {
        const Recorded<v1::Exposure>& e = (*exposures)[i];
        if (e.sequence_number > limit) {
          failures.Add(absl::StrCat("reader ", reader_id, ": exposure ",
                                    e.sequence_number, " beyond limit ",
                                    limit));
        }
        if (i > 0) {
          const Recorded<v1::Exposure>& prev = (*exposures)[i - 1];
          const int64_t a = prev.body.start().seconds();
          const int64_t b = e.body.start().seconds();
          if (a > b || (a == b && prev.sequence_number >= e.sequence_number)) {
            failures.Add(absl::StrCat("reader ", reader_id,
                                      ": exposures out of order at ", i));
          }
        }
      }

      auto members = ledger->HouseholdMembers("h", pinned);
      if (!members.ok()) {
        failures.Add(members.status().ToString());
      } else if (members->size() != batches + 1) {
        failures.Add(absl::StrCat("reader ", reader_id, ": ", members->size(),
                                  " members of h at limit ", limit,
                                  ", expected ", batches + 1));
      }

      // Unpinned Stats must also show whole batches.
      const LedgerStats stats = ledger->Stats();
      if (stats.events < limit ||
          (stats.events - setup_events) % kBatchSize != 0 ||
          stats.exposures !=
              (stats.events - setup_events) / kBatchSize * kExposuresPerBatch) {
        failures.Add(absl::StrCat(
            "reader ", reader_id, ": stats events=", stats.events,
            " exposures=", stats.exposures, " after limit ", limit));
      }

      // Re-reading with the same limit gives the same answer, however many
      // batches were appended in between.
      auto again = ledger->ExposuresOf("p0", absl::InfinitePast(),
                                       absl::InfiniteFuture(), pinned);
      if (!again.ok() ||
          SequenceNumbers(*again) != SequenceNumbers(*exposures)) {
        failures.Add(absl::StrCat("reader ", reader_id, ": re-read at limit ",
                                  limit, " differs"));
      }
      auto members_again = ledger->HouseholdMembers("h", pinned);
      if (members.ok() && (!members_again.ok() || *members_again != *members)) {
        failures.Add(absl::StrCat("reader ", reader_id,
                                  ": members re-read at limit ", limit,
                                  " differ"));
      }
      reads.fetch_add(1);
    }
  };

  std::vector<std::thread> readers;
  for (int i = 0; i < kReaders; ++i) readers.emplace_back(reader, i);
  writer.join();
  for (std::thread& r : readers) r.join();

  for (const std::string& message : failures.messages()) {
    ADD_FAILURE() << message;
  }
  EXPECT_EQ(failures.count(), 0);
  EXPECT_GT(batches_written.load(), 0);
  EXPECT_GE(reads.load(), kReaders * 5);
  {
    absl::MutexLock lock(&limits_mu);
    EXPECT_GT(limits_seen.size(), 1u);
    RecordProperty("distinct_limits", static_cast<int>(limits_seen.size()));
  }
  RecordProperty("batches", batches_written.load());
  RecordProperty("reads", static_cast<int>(reads.load()));
  EXPECT_EQ(ledger->last_sequence_number(),
            setup_events + batches_written.load() * kBatchSize);
  const LedgerStats stats = ledger->Stats();
  EXPECT_EQ(stats.exposures,
            static_cast<uint64_t>(batches_written.load()) * kExposuresPerBatch);
}

// Appends from several threads are serialised: every event gets exactly one
// number and no number is given twice.
TEST(LedgerConcurrency, ConcurrentAppendsGetDistinctSequenceNumbers) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  std::vector<std::vector<uint64_t>> numbers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ledger, &numbers, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const absl::Time start = At(2020, 1, 20) + absl::Minutes(i);
        absl::StatusOr<uint64_t> n = ledger->Append(MakeExposure(
            absl::StrCat("a", t), absl::StrCat("b", i), start, start));
        if (n.ok()) numbers[t].push_back(*n);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<bool> seen(kThreads * kPerThread + 1, false);
  for (const std::vector<uint64_t>& list : numbers) {
    EXPECT_EQ(list.size(), static_cast<size_t>(kPerThread));
    for (size_t i = 0; i < list.size(); ++i) {
      ASSERT_GE(list[i], 1u);
      ASSERT_LE(list[i], seen.size() - 1);
      EXPECT_FALSE(seen[list[i]]) << "number " << list[i] << " given twice";
      seen[list[i]] = true;
      if (i > 0) {
        EXPECT_GT(list[i], list[i - 1]);
      }
    }
  }
  EXPECT_EQ(ledger->last_sequence_number(),
            static_cast<uint64_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace contactledger
