// Copyright 2026 The ContactLedger Authors.
//
// LoggedBatches (lib/core/logged_batches.h): the batches a ledger
// directory's logs hold, read from the files beside a writer, for a shipper.
//
// Each test writes a real ledger in a fresh temporary directory with
// Ledger::Open on the POSIX Env and reads it with LoggedBatches: the batches
// come back exactly as appended and as logged, from any batch on; a `from`
// inside a batch, events only in a snapshot, damage and gaps are errors; the
// reader follows the writer through WriteSnapshot whatever it does with the
// logs, stops at a record cut off at the end and goes on from there without
// reading the logs again; and it keeps up with a writer in another thread.
//
// Batch k (k >= 1) registers persons "b<k>-0" ... in household "h": k % 4 + 1
// of them, so that batches differ in size; batch 0 sets up the county.

#include "lib/core/logged_batches.h"

#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/storage.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "lib/core/log_files.h"
#include "lib/log/record_io.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using internal::LoggedBatch;
using internal::LoggedBatches;
using ::testing::AllOf;
using ::testing::HasSubstr;
using testutil::MakeCounty;
using testutil::MakeHousehold;
using testutil::MakePerson;
using testutil::MakeTownship;
using testutil::MakeVillage;
using testutil::StatusIs;

namespace fs = std::filesystem;

// A StatusOr that is OK and holds `value`.
MATCHER_P(IsOkAnd, value,
          "is OK and holds " + ::testing::PrintToString(value)) {
  if (!arg.ok()) {
    *result_listener << "whose status is " << arg.status();
    return false;
  }
  *result_listener << "which holds " << ::testing::PrintToString(*arg);
  return *arg == value;
}

// A fresh directory under TEST_TMPDIR or the system's, removed with what it
// holds.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string pattern =
        (base != nullptr ? fs::path(base) : fs::temp_directory_path()) /
        "logged_batches_test.XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  // A directory in it (not created).
  std::string Sub(const std::string& name) const {
    return absl::StrCat(path_, "/", name);
  }

 private:
  std::string path_;
};

std::vector<v1::LedgerEvent> Batch(uint64_t k) {
  if (k == 0) {
    return {MakeCounty("c"), MakeTownship("t", "c"), MakeVillage("v", "t"),
            MakeHousehold("h", "v", "Li Wei"), MakePerson("p0", "h")};
  }
  std::vector<v1::LedgerEvent> batch;
  for (uint64_t i = 0; i <= k % 4; ++i) {
    batch.push_back(MakePerson(absl::StrCat("b", k, "-", i), "h"));
  }
  return batch;
}

// What a test appended: per batch, its range and its events.
struct Appended {
  uint64_t first = 0;
  uint64_t last = 0;
  std::vector<v1::LedgerEvent> events;
};

// Appends batches `from` ... `to` - 1.
std::vector<Appended> AppendBatches(Ledger* ledger, uint64_t from,
                                    uint64_t to) {
  std::vector<Appended> appended;
  for (uint64_t k = from; k < to; ++k) {
    std::vector<v1::LedgerEvent> events = Batch(k);
    absl::StatusOr<std::vector<uint64_t>> sequences =
        ledger->AppendBatch(events);
    EXPECT_TRUE(sequences.ok()) << sequences.status();
    if (!sequences.ok()) break;
    appended.push_back({sequences->front(), sequences->back(), events});
  }
  return appended;
}

std::unique_ptr<Ledger> OpenWriter(const std::string& dir,
                                   LogRetention retention) {
  LedgerOptions options;
  options.log_retention = retention;
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(options, dir);
  EXPECT_TRUE(ledger.ok()) << ledger.status();
  return ledger.ok() ? std::move(*ledger) : nullptr;
}

// "" when `got` is `want`'s batch: the same range, and bytes that parse to
// its events numbered from its first, all with one record time.
std::string Mismatch(const LoggedBatch& got, const Appended& want) {
  if (got.first != want.first || got.last != want.last) {
    return absl::StrCat("batch ", got.first, "-", got.last, ", expected ",
                        want.first, "-", want.last);
  }
  v1::EventBatch batch;
  if (!batch.ParseFromString(got.bytes)) return "bytes do not parse";
  if (batch.events_size() != static_cast<int>(want.events.size())) {
    return absl::StrCat("batch ", got.first, " holds ", batch.events_size(),
                        " events, expected ", want.events.size());
  }
  for (int i = 0; i < batch.events_size(); ++i) {
    v1::LedgerEvent event = batch.events(i);
    if (event.sequence_number() != want.first + i) {
      return absl::StrCat("event ", i, " of batch ", got.first, " is number ",
                          event.sequence_number());
    }
    if (!google::protobuf::util::MessageDifferencer::Equals(
            event.record_time(), batch.events(0).record_time())) {
      return "record times differ within a batch";
    }
    event.clear_sequence_number();
    event.clear_record_time();
    if (!google::protobuf::util::MessageDifferencer::Equals(event,
                                                            want.events[i])) {
      return absl::StrCat("event ", want.first + i, " is ",
                          event.ShortDebugString(), ", expected ",
                          want.events[i].ShortDebugString());
    }
  }
  return "";
}

// Every batch Next returns until it returns false.
std::vector<LoggedBatch> ReadAvailable(LoggedBatches* batches) {
  std::vector<LoggedBatch> read;
  while (true) {
    LoggedBatch batch;
    absl::StatusOr<bool> more = batches->Next(&batch);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) return read;
    read.push_back(std::move(batch));
  }
}

void ExpectSame(const std::vector<LoggedBatch>& got,
                const std::vector<Appended>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(Mismatch(got[i], want[i]), "") << "batch " << i;
  }
}

template <typename T>
std::vector<T> Concat(std::vector<T> a, const std::vector<T>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string LogName(uint64_t first) {
  return internal::NumberedName(first, internal::kLogSuffix);
}

// The payloads of the records of the log at `path`, and their offsets.
std::vector<std::pair<uint64_t, std::string>> Records(const std::string& path) {
  std::vector<std::pair<uint64_t, std::string>> records;
  absl::StatusOr<std::unique_ptr<SequentialFile>> file =
      Env::Default()->NewSequentialFile(path);
  EXPECT_TRUE(file.ok()) << file.status();
  if (!file.ok()) return records;
  internal::RecordReader reader(file->get(), path, /*recover=*/false);
  EXPECT_TRUE(reader.ReadHeader(internal::kLogMagic).ok());
  absl::string_view payload;
  uint64_t offset = 0;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&payload, &offset);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) return records;
    records.emplace_back(offset, std::string(payload));
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// An Env that counts the bytes read from files, to tell that a reader does
// not read a log again.
class CountingEnv : public EnvWrapper {
 public:
  CountingEnv() : EnvWrapper(Env::Default()) {}

  absl::StatusOr<std::unique_ptr<SequentialFile>> NewSequentialFile(
      const std::string& path) override {
    absl::StatusOr<std::unique_ptr<SequentialFile>> file =
        EnvWrapper::NewSequentialFile(path);
    if (!file.ok()) return file;
    return std::unique_ptr<SequentialFile>(
        new CountingFile(std::move(*file), &bytes_read_));
  }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  class CountingFile : public SequentialFile {
   public:
    CountingFile(std::unique_ptr<SequentialFile> target,
                 std::atomic<uint64_t>* bytes)
        : target_(std::move(target)), bytes_(bytes) {}
    absl::StatusOr<absl::string_view> Read(size_t n, char* scratch) override {
      absl::StatusOr<absl::string_view> got = target_->Read(n, scratch);
      if (got.ok()) *bytes_ += got->size();
      return got;
    }
    absl::Status Skip(uint64_t n) override { return target_->Skip(n); }

   private:
    std::unique_ptr<SequentialFile> target_;
    std::atomic<uint64_t>* bytes_;
  };
  std::atomic<uint64_t> bytes_read_{0};
};

// ---------------------------------------------------------------------------
// Reading what is there.

TEST(LoggedBatchesTest, BatchesComeBackExactlyAsAppendedAndLogged) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kKeep);
  ASSERT_NE(writer, nullptr);
  const std::vector<Appended> appended = AppendBatches(writer.get(), 0, 9);

  LoggedBatches batches(Env::Default(), dir, 1);
  EXPECT_EQ(batches.next_sequence(), 1u);
  const std::vector<LoggedBatch> read = ReadAvailable(&batches);
  ExpectSame(read, appended);
  EXPECT_EQ(batches.next_sequence(), appended.back().last + 1);

  // The bytes are the log's record payloads, byte for byte.
  const std::vector<std::pair<uint64_t, std::string>> records =
      Records(absl::StrCat(dir, "/", LogName(1)));
  ASSERT_EQ(records.size(), read.size());
  for (size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].bytes, records[i].second) << "batch " << i;
  }

  // Nothing more for now, however often asked.
  LoggedBatch batch;
  EXPECT_THAT(batches.Next(&batch), IsOkAnd(false));
  EXPECT_THAT(batches.Next(&batch), IsOkAnd(false));
}

TEST(LoggedBatchesTest, RangeIsReadWithoutParsingTheEvents) {
  v1::EventBatch batch;
  for (uint64_t s = 41; s <= 44; ++s) {
    v1::LedgerEvent* event = batch.add_events();
    *event = MakePerson(absl::StrCat("p", s), "h");
    event->set_sequence_number(s);
  }
  uint64_t first = 0;
  uint64_t last = 0;
  ASSERT_OK(
      internal::LoggedBatchRange(batch.SerializeAsString(), &first, &last));
  EXPECT_EQ(first, 41u);
  EXPECT_EQ(last, 44u);

  batch.mutable_events(2)->set_sequence_number(50);
  EXPECT_THAT(
      internal::LoggedBatchRange(batch.SerializeAsString(), &first, &last),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr("batch event 3 has sequence number 50, expected 43")));
  EXPECT_THAT(internal::LoggedBatchRange("", &first, &last),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("empty batch")));
  batch.mutable_events(2)->set_sequence_number(43);
  const std::string cut = batch.SerializeAsString();
  EXPECT_THAT(
      internal::LoggedBatchRange(cut.substr(0, cut.size() - 3), &first, &last),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("does not parse")));
}

TEST(LoggedBatchesTest, StartsFromAMiddleBatch) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kKeep);
  ASSERT_NE(writer, nullptr);
  const std::vector<Appended> appended = AppendBatches(writer.get(), 0, 8);

  LoggedBatches batches(Env::Default(), dir, appended[5].first);
  EXPECT_EQ(batches.next_sequence(), appended[5].first);
  ExpectSame(ReadAvailable(&batches),
             std::vector<Appended>(appended.begin() + 5, appended.end()));
}

TEST(LoggedBatchesTest, FromInsideABatchIsInvalidArgumentNamingTheBatch) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kKeep);
  ASSERT_NE(writer, nullptr);
  const std::vector<Appended> appended = AppendBatches(writer.get(), 0, 5);
  const Appended& inside = appended[3];  // 4 events
  ASSERT_GT(inside.last, inside.first);

  LoggedBatches batches(Env::Default(), dir, inside.first + 1);
  LoggedBatch batch;
  EXPECT_THAT(
      batches.Next(&batch),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr(absl::StrCat("batch of sequence numbers ",
                                      inside.first, " to ", inside.last))));
}

TEST(LoggedBatchesTest, FromPastTheEndWaitsForTheWriter) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kKeep);
  ASSERT_NE(writer, nullptr);
  const std::vector<Appended> appended = AppendBatches(writer.get(), 0, 3);

  LoggedBatches batches(Env::Default(), dir, appended.back().last + 1);
  LoggedBatch batch;
  EXPECT_THAT(batches.Next(&batch), IsOkAnd(false));
  const std::vector<Appended> more = AppendBatches(writer.get(), 3, 5);
  ExpectSame(ReadAvailable(&batches), more);
}

// A reader that stopped after a batch, never told "no more", sees what the
// writer appended meanwhile at the next call (a Shipper reads so).
TEST(LoggedBatchesTest, ReaderStoppedAfterABatchSeesTheNextAppendAtOnce) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kKeep);
  ASSERT_NE(writer, nullptr);
  const std::vector<Appended> appended = AppendBatches(writer.get(), 0, 3);
  LoggedBatches batches(Env::Default(), dir, 1);
  LoggedBatch batch;
  for (const Appended& want : appended) {
    ASSERT_THAT(batches.Next(&batch), IsOkAnd(true));
    EXPECT_EQ(batch.last, want.last);
  }
  const std::vector<Appended> more = AppendBatches(writer.get(), 3, 4);
  ASSERT_THAT(batches.Next(&batch), IsOkAnd(true));
  EXPECT_EQ(batch.first, more[0].first);
  EXPECT_EQ(batch.last, more[0].last);
}

TEST(LoggedBatchesTest, NewLedgerWithoutBatchesHasNoneYet) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kKeep);
  ASSERT_NE(writer, nullptr);
  LoggedBatches batches(Env::Default(), dir, 1);
  LoggedBatch batch;
  EXPECT_THAT(batches.Next(&batch), IsOkAnd(false));
  const std::vector<Appended> appended = AppendBatches(writer.get(), 0, 2);
  ExpectSame(ReadAvailable(&batches), appended);
}

// ---------------------------------------------------------------------------
// Snapshots and what they do with the logs.

class LoggedBatchesRetentionTest
    : public ::testing::TestWithParam<LogRetention> {};

TEST_P(LoggedBatchesRetentionTest, ReadsAcrossSnapshots) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, GetParam());
  ASSERT_NE(writer, nullptr);
  std::vector<Appended> appended = AppendBatches(writer.get(), 0, 4);
  ASSERT_OK(writer->WriteSnapshot());
  appended = Concat(appended, AppendBatches(writer.get(), 4, 7));
  ASSERT_OK(writer->WriteSnapshot());
  appended = Concat(appended, AppendBatches(writer.get(), 7, 9));
  if (GetParam() == LogRetention::kArchive) {
    EXPECT_TRUE(fs::exists(absl::StrCat(dir, "/archive/", LogName(1))));
    EXPECT_FALSE(fs::exists(absl::StrCat(dir, "/", LogName(1))));
  }

  LoggedBatches all(Env::Default(), dir, 1);
  ExpectSame(ReadAvailable(&all), appended);

  // From the first batch of the second log on: the first log is not needed.
  LoggedBatches later(Env::Default(), dir, appended[4].first);
  ExpectSame(ReadAvailable(&later),
             std::vector<Appended>(appended.begin() + 4, appended.end()));
}

TEST_P(LoggedBatchesRetentionTest, FollowsTheWriterThroughSnapshots) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, GetParam());
  ASSERT_NE(writer, nullptr);
  std::vector<Appended> appended = AppendBatches(writer.get(), 0, 3);
  LoggedBatches batches(Env::Default(), dir, 1);
  std::vector<LoggedBatch> read = ReadAvailable(&batches);

  // More batches, then a snapshot that starts a new log (and, archiving,
  // moves the one the reader is in), then more in the new log, then all
  // that again before the reader looks.
  std::vector<Appended> more = AppendBatches(writer.get(), 3, 5);
  ASSERT_OK(writer->WriteSnapshot());
  more = Concat(more, AppendBatches(writer.get(), 5, 7));
  read = Concat(read, ReadAvailable(&batches));
  more = Concat(more, AppendBatches(writer.get(), 7, 8));
  ASSERT_OK(writer->WriteSnapshot());
  more = Concat(more, AppendBatches(writer.get(), 8, 9));
  ASSERT_OK(writer->WriteSnapshot());
  more = Concat(more, AppendBatches(writer.get(), 9, 11));
  read = Concat(read, ReadAvailable(&batches));
  ExpectSame(read, Concat(appended, more));
}

INSTANTIATE_TEST_SUITE_P(KeepAndArchive, LoggedBatchesRetentionTest,
                         ::testing::Values(LogRetention::kKeep,
                                           LogRetention::kArchive),
                         [](const ::testing::TestParamInfo<LogRetention>& p) {
                           return p.param == LogRetention::kKeep
                                      ? std::string("Keep")
                                      : std::string("Archive");
                         });

TEST(LoggedBatchesTest, EventsOnlyInASnapshotAreFailedPrecondition) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kRemove);
  ASSERT_NE(writer, nullptr);
  std::vector<Appended> appended = AppendBatches(writer.get(), 0, 4);
  ASSERT_OK_AND_ASSIGN(const uint64_t covered, writer->WriteSnapshot());
  appended = Concat(appended, AppendBatches(writer.get(), 4, 6));

  for (const uint64_t from : {uint64_t{1}, appended[2].first}) {
    LoggedBatches batches(Env::Default(), dir, from);
    LoggedBatch batch;
    EXPECT_THAT(batches.Next(&batch),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr(absl::StrCat("from sequence ", from,
                                                      " to ", covered)),
                               HasSubstr("only in the snapshot"),
                               HasSubstr("LogRetention::kRemove"),
                               HasSubstr("kKeep or kArchive"))));
  }
  // The batches after the snapshot are in a log.
  LoggedBatches after(Env::Default(), dir, covered + 1);
  ExpectSame(ReadAvailable(&after),
             std::vector<Appended>(appended.begin() + 4, appended.end()));
}

TEST(LoggedBatchesTest, ReaderBehindTwoRemovingSnapshotsIsFailedPrecondition) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kRemove);
  ASSERT_NE(writer, nullptr);
  std::vector<Appended> appended = AppendBatches(writer.get(), 0, 2);
  LoggedBatches batches(Env::Default(), dir, 1);
  std::vector<LoggedBatch> read = ReadAvailable(&batches);

  // One snapshot removes the log the reader is in, which it still has open:
  // it reads on to that log's end, then in the new log.
  std::vector<Appended> more = AppendBatches(writer.get(), 2, 4);
  ASSERT_OK(writer->WriteSnapshot());
  more = Concat(more, AppendBatches(writer.get(), 4, 5));
  read = Concat(read, ReadAvailable(&batches));
  ExpectSame(read, Concat(appended, more));

  // Two snapshots remove the log it is in and the next, unread: those
  // events are only in the snapshot now.
  AppendBatches(writer.get(), 5, 6);
  ASSERT_OK(writer->WriteSnapshot());
  AppendBatches(writer.get(), 6, 7);
  ASSERT_OK(writer->WriteSnapshot());
  AppendBatches(writer.get(), 7, 8);
  LoggedBatch batch;
  absl::StatusOr<bool> next = batches.Next(&batch);
  while (next.ok() && *next) next = batches.Next(&batch);
  EXPECT_THAT(next, StatusIs(absl::StatusCode::kFailedPrecondition,
                             HasSubstr("kKeep or kArchive")));
}

// ---------------------------------------------------------------------------
// Tailing.

TEST(LoggedBatchesTest, TailingGoesOnWithoutReadingTheLogsAgain) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kKeep);
  ASSERT_NE(writer, nullptr);
  std::vector<Appended> appended = AppendBatches(writer.get(), 0, 200);
  CountingEnv env;
  LoggedBatches batches(&env, dir, 1);
  std::vector<LoggedBatch> read = ReadAvailable(&batches);
  const uint64_t log_bytes = fs::file_size(absl::StrCat(dir, "/", LogName(1)));
  EXPECT_GE(env.bytes_read(), log_bytes);
  ASSERT_GT(log_bytes, 10000u) << "the log should be far bigger than a batch";

  // One more batch in the same log: only it is read.
  uint64_t before = env.bytes_read();
  std::vector<Appended> more = AppendBatches(writer.get(), 200, 201);
  read = Concat(read, ReadAvailable(&batches));
  EXPECT_LT(env.bytes_read() - before, 1000u);

  // A snapshot starts a new log; a batch in each: the rest of the old log
  // and the new one are read, not the old one from its start.
  before = env.bytes_read();
  more = Concat(more, AppendBatches(writer.get(), 201, 202));
  ASSERT_OK(writer->WriteSnapshot());
  more = Concat(more, AppendBatches(writer.get(), 202, 203));
  read = Concat(read, ReadAvailable(&batches));
  EXPECT_LT(env.bytes_read() - before, 2000u);
  ExpectSame(read, Concat(appended, more));

  // And nothing when nothing was added.
  before = env.bytes_read();
  LoggedBatch batch;
  EXPECT_THAT(batches.Next(&batch), IsOkAnd(false));
  EXPECT_LT(env.bytes_read() - before, 100u);
}

TEST(LoggedBatchesTest, RecordCutOffAtTheEndIsAWriterMidAppend) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kKeep);
  ASSERT_NE(writer, nullptr);
  const std::vector<Appended> appended = AppendBatches(writer.get(), 0, 5);
  writer.reset();

  // A copy whose log ends inside its last record.
  const std::string copy = scratch.Sub("copy");
  fs::copy(dir, copy);
  const std::string log = absl::StrCat(copy, "/", LogName(1));
  const std::string whole = ReadFile(log);
  const std::vector<std::pair<uint64_t, std::string>> records = Records(log);
  ASSERT_EQ(records.size(), appended.size());
  const uint64_t cut = records.back().first + internal::kRecordHeaderBytes + 3;
  WriteFile(log, whole.substr(0, cut));

  LoggedBatches batches(Env::Default(), copy, 1);
  ExpectSame(ReadAvailable(&batches),
             std::vector<Appended>(appended.begin(), appended.end() - 1));
  EXPECT_EQ(batches.next_sequence(), appended.back().first);

  // Only the record header there: still nothing.
  WriteFile(log, whole.substr(0, records.back().first + 5));
  LoggedBatch batch;
  EXPECT_THAT(batches.Next(&batch), IsOkAnd(false));

  // The writer finishes the record.
  WriteFile(log, whole);
  ExpectSame(ReadAvailable(&batches), {appended.back()});
}

TEST(LoggedBatchesTest, FlippedByteInTheMiddleIsDataLossNamingFileAndOffset) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, LogRetention::kKeep);
  ASSERT_NE(writer, nullptr);
  const std::vector<Appended> appended = AppendBatches(writer.get(), 0, 6);
  writer.reset();
  const std::string log = absl::StrCat(dir, "/", LogName(1));
  const std::vector<std::pair<uint64_t, std::string>> records = Records(log);
  ASSERT_EQ(records.size(), appended.size());

  // A byte of the third record's payload.
  const uint64_t damaged = records[2].first;
  std::string bytes = ReadFile(log);
  bytes[damaged + internal::kRecordHeaderBytes + 4] ^= 0x20;
  WriteFile(log, bytes);

  LoggedBatches batches(Env::Default(), dir, 1);
  LoggedBatch batch;
  for (int i = 0; i < 2; ++i) {
    ASSERT_THAT(batches.Next(&batch), IsOkAnd(true));
    EXPECT_EQ(Mismatch(batch, appended[i]), "");
  }
  const auto data_loss = StatusIs(
      absl::StatusCode::kDataLoss,
      AllOf(HasSubstr(log), HasSubstr(absl::StrCat("offset ", damaged)),
            HasSubstr("checksum")));
  EXPECT_THAT(batches.Next(&batch), data_loss);
  EXPECT_THAT(batches.Next(&batch), data_loss);  // and again, not skipped
  EXPECT_EQ(batches.next_sequence(), appended[2].first);
}

// A log written by hand: `batches` are the [first, last] of each record.
void WriteLog(const std::string& path, uint64_t first,
              const std::vector<std::pair<uint64_t, uint64_t>>& batches) {
  std::string bytes = internal::LogHeader(first);
  for (const auto& [from, to] : batches) {
    v1::EventBatch batch;
    for (uint64_t s = from; s <= to; ++s) {
      v1::LedgerEvent* event = batch.add_events();
      *event = MakePerson(absl::StrCat("p", s), "h");
      event->set_sequence_number(s);
    }
    internal::AppendRecord(batch.SerializeAsString(), &bytes);
  }
  WriteFile(path, bytes);
}

TEST(LoggedBatchesTest, GapBetweenBatchesIsDataLossNamingTheNumbers) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  fs::create_directory(dir);
  WriteLog(absl::StrCat(dir, "/", LogName(1)), 1, {{1, 2}, {3, 5}, {8, 9}});
  LoggedBatches batches(Env::Default(), dir, 1);
  LoggedBatch batch;
  ASSERT_THAT(batches.Next(&batch), IsOkAnd(true));
  ASSERT_THAT(batches.Next(&batch), IsOkAnd(true));
  EXPECT_THAT(
      batches.Next(&batch),
      StatusIs(absl::StatusCode::kDataLoss,
               AllOf(HasSubstr(LogName(1)),
                     HasSubstr("sequence numbers 6 to 7 are missing"))));
}

TEST(LoggedBatchesTest, GapBetweenLogsIsDataLossNamingTheNumbers) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  fs::create_directory(dir);
  WriteLog(absl::StrCat(dir, "/", LogName(1)), 1, {{1, 2}, {3, 5}});
  WriteLog(absl::StrCat(dir, "/", LogName(9)), 9, {{9, 10}});
  LoggedBatches batches(Env::Default(), dir, 1);
  LoggedBatch batch;
  ASSERT_THAT(batches.Next(&batch), IsOkAnd(true));
  ASSERT_THAT(batches.Next(&batch), IsOkAnd(true));
  EXPECT_THAT(
      batches.Next(&batch),
      StatusIs(absl::StatusCode::kDataLoss,
               AllOf(HasSubstr(LogName(9)),
                     HasSubstr("sequence numbers 6 to 8 are in no log"))));

  // From inside the gap: the same.
  LoggedBatches inside(Env::Default(), dir, 7);
  EXPECT_THAT(inside.Next(&batch),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("sequence numbers 7 to 8 are in no log")));
}

// ---------------------------------------------------------------------------
// A writer in another thread.

TEST_P(LoggedBatchesRetentionTest, EveryBatchArrivesOnceInOrderWhileAppended) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("ledger");
  std::unique_ptr<Ledger> writer = OpenWriter(dir, GetParam());
  ASSERT_NE(writer, nullptr);
  constexpr uint64_t kBatches = 400;
  std::vector<Appended> appended;
  std::atomic<bool> writer_done{false};
  std::thread thread([&] {
    for (uint64_t k = 0; k < kBatches; ++k) {
      appended = Concat(appended, AppendBatches(writer.get(), k, k + 1));
      if (k % 97 == 50) EXPECT_OK(writer->WriteSnapshot());
      // Now and then a pause, so that the reader catches up and tails.
      if (k % 20 == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    writer_done = true;
  });

  LoggedBatches batches(Env::Default(), dir, 1);
  std::vector<LoggedBatch> read;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (read.size() < kBatches &&
         std::chrono::steady_clock::now() < deadline) {
    LoggedBatch batch;
    absl::StatusOr<bool> more = batches.Next(&batch);
    if (!more.ok()) {
      ADD_FAILURE() << more.status();
      break;
    }
    if (*more) {
      read.push_back(std::move(batch));
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  thread.join();
  ASSERT_TRUE(writer_done);
  ExpectSame(read, appended);
  LoggedBatch batch;
  EXPECT_THAT(batches.Next(&batch), IsOkAnd(false));
}

}  // namespace
}  // namespace contactledger
