// Copyright 2026 The ContactLedger Authors.
//
// The hostile-input table of docs/SECURITY.md, one test per row: each
// records a known state in a durable ledger (on the in-memory, fault-
// injecting MemEnv, or on the real file system where the row is about it),
// feeds the hostile input, checks the exact status the library answers, and
// then that the state is intact: every event byte for byte, and the same
// again after closing and reopening the directory.

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "contactledger/env.h"
#include "contactledger/import.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "contactledger/v1/storage.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/env/mem_env.h"
#include "lib/log/record_io.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testutil::At;
using testutil::FakeClock;
using testutil::MakeCounty;
using testutil::MakeDate;
using testutil::MakeExposure;
using testutil::MakeHealthCheck;
using testutil::MakeHousehold;
using testutil::MakePerson;
using testutil::MakeRetraction;
using testutil::MakeTownship;
using testutil::MakeVillage;
using testutil::StatusIs;

constexpr char kDir[] = "/ledger";

// Appends that return only once the log is on stable storage.
WriteOptions Synced() {
  WriteOptions options;
  options.sync = true;
  return options;
}

// An Env over a MemEnv whose disk has `free` bytes left for writes. An
// append that does not fit writes what fits and then fails as write(2) does
// on a full disk (ENOSPC, mapped as the POSIX Env maps it); truncating gives
// the bytes back.
class FullDiskEnv : public EnvWrapper {
 public:
  explicit FullDiskEnv(internal::MemEnv* base) : EnvWrapper(base) {}
  void SetFree(uint64_t bytes) { free_ = bytes; }

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) override {
    return Wrap(EnvWrapper::NewWritableFile(path), path);
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(
      const std::string& path) override {
    return Wrap(EnvWrapper::NewAppendableFile(path), path);
  }

 private:
  class File : public WritableFileWrapper {
   public:
    File(FullDiskEnv* env, std::unique_ptr<WritableFile> base, std::string path)
        : WritableFileWrapper(std::move(base)),
          env_(env),
          path_(std::move(path)) {}
    absl::Status Append(absl::string_view data) override {
      if (data.size() <= env_->free_) {
        env_->free_ -= data.size();
        return WritableFileWrapper::Append(data);
      }
      const size_t fits = static_cast<size_t>(env_->free_);
      env_->free_ = 0;
      if (absl::Status s = WritableFileWrapper::Append(data.substr(0, fits));
          !s.ok()) {
        return s;
      }
      return absl::ResourceExhaustedError(
          absl::StrCat("write '", path_, "': No space left on device"));
    }
    absl::Status Truncate(uint64_t size) override {
      absl::StatusOr<uint64_t> before = env_->GetFileSize(path_);
      absl::Status s = WritableFileWrapper::Truncate(size);
      if (s.ok() && before.ok() && *before > size) {
        env_->free_ += *before - size;
      }
      return s;
    }

   private:
    FullDiskEnv* env_;
    std::string path_;
  };

  absl::StatusOr<std::unique_ptr<WritableFile>> Wrap(
      absl::StatusOr<std::unique_ptr<WritableFile>> file,
      const std::string& path) {
    if (!file.ok()) return file.status();
    return std::unique_ptr<WritableFile>(
        new File(this, std::move(*file), path));
  }

  uint64_t free_ = UINT64_MAX;
};

class HostileInputTest : public ::testing::Test {
 protected:
  HostileInputTest() : clock_(At(2020, 1, 24, 8)), disk_(&env_) {}

  LedgerOptions Options() {
    LedgerOptions options;
    options.env = &disk_;
    options.clock = &clock_;
    options.time_zone = absl::FixedTimeZone(8 * 3600);
    // A service taking batches from outside sets a tighter limit than the
    // default (which lets a 10-million-person roster be imported at once).
    options.limits.max_batch_events = 100000;
    return options;
  }

  void SetUp() override {
    std::unique_ptr<Ledger> ledger = OpenOrDie(Options());
    ASSERT_NE(ledger, nullptr);
    RecordKnownState(ledger.get());
    for (uint64_t s = 1; s <= ledger->last_sequence_number(); ++s) {
      absl::StatusOr<v1::LedgerEvent> event = ledger->GetEvent(s);
      ASSERT_OK(event);
      known_.push_back(event->SerializeAsString());
    }
    ASSERT_EQ(known_.size(), 11u);
    ledger_ = std::move(ledger);
  }

  std::unique_ptr<Ledger> OpenOrDie(const LedgerOptions& options) {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(options, kDir);
    EXPECT_TRUE(ledger.ok()) << ledger.status();
    return ledger.ok() ? std::move(*ledger) : nullptr;
  }

  // 11 events in 6 log records; event 10 retracts event 8.
  static void RecordKnownState(Ledger* ledger) {
    WriteOptions sync;
    sync.sync = true;
    v1::LedgerEvent p1 = MakePerson("p1", "h1");
    p1.mutable_person()->set_name("张三");
    p1.mutable_person()->set_national_id("43000019900101123X");
    p1.mutable_person()->set_phone("13812345678");
    *p1.mutable_person()->mutable_birth_date() = MakeDate(1990, 1, 1);
    ASSERT_OK(ledger->AppendBatch(
        {MakeCounty("c"), MakeTownship("t", "c"), MakeVillage("v", "t")},
        sync));
    ASSERT_OK(ledger->AppendBatch(
        {MakeHousehold("h1", "v", "Li Wei"), p1, MakePerson("p2", "h1")},
        sync));
    ASSERT_OK(ledger->AppendBatch(
        {MakeExposure("p1", "p2", At(2020, 1, 22, 8), At(2020, 1, 22, 9)),
         MakeExposure("p1", "x9", At(2020, 1, 23, 8), At(2020, 1, 23, 9))},
        sync));
    ASSERT_OK(ledger->Append(MakeHealthCheck("p1", At(2020, 1, 24, 8)), sync));
    ASSERT_OK(ledger->Append(MakeRetraction(8, "wrong person"), sync));
    ASSERT_OK(
        ledger->Append(MakeHealthCheck("p2", At(2020, 1, 24, 8), 37.8), sync));
  }

  // Every known event is there, byte for byte, and the indexes answer as
  // before; `more` events may follow.
  void ExpectKnownState(const Ledger& ledger, uint64_t more = 0) {
    ASSERT_EQ(ledger.last_sequence_number(), known_.size() + more);
    for (uint64_t s = 1; s <= known_.size(); ++s) {
      absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(s);
      ASSERT_OK(event);
      EXPECT_EQ(event->SerializeAsString(), known_[s - 1]) << "event " << s;
    }
    const ReadOptions known = testutil::UpTo(known_.size());
    EXPECT_THAT(*ledger.HouseholdMembers("h1", known), ElementsAre("p1", "p2"));
    EXPECT_THAT(ledger.FindPersonsByNationalId("43000019900101123X", known),
                ElementsAre("p1"));
    EXPECT_TRUE(ledger.IsRetracted(8, known));
    EXPECT_THAT(*ledger.ExposuresOf("p1", absl::InfinitePast(),
                                    absl::InfiniteFuture(), known),
                SizeIs(1));
  }

  // The known state now, and again after closing and reopening.
  void ExpectIntactAndReopens(uint64_t more = 0) {
    ExpectKnownState(*ledger_, more);
    ledger_.reset();
    ledger_ = OpenOrDie(Options());
    ASSERT_NE(ledger_, nullptr);
    ExpectKnownState(*ledger_, more);
    EXPECT_TRUE(ledger_->recovery_report().damage.empty());
  }

  std::string OnlyLog() {
    const absl::StatusOr<std::vector<std::string>> names =
        env_.GetChildren(kDir);
    for (const std::string& name : *names) {
      if (absl::EndsWith(name, ".log")) return absl::StrCat(kDir, "/", name);
    }
    return "";
  }

  FakeClock clock_;
  internal::MemEnv env_;
  FullDiskEnv disk_;
  std::vector<std::string> known_;
  std::unique_ptr<Ledger> ledger_;
};

// --- Malformed UTF-8, on every path in. ---

TEST_F(HostileInputTest, MalformedUtf8InAnAppendedEventIsRefused) {
  v1::LedgerEvent person = MakePerson("p3", "h1");
  person.mutable_person()->set_name(std::string("Li\xFF", 3));
  EXPECT_THAT(ledger_->Append(person),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "event 1 of 1 (person 'p3'): name: malformed UTF-8 at "
                       "byte 2 (0xFF)"));
  ExpectIntactAndReopens();
}

TEST_F(HostileInputTest, MalformedUtf8InACsvFileIsRefused) {
  ImportOptions options;
  options.file_name = "persons.csv";
  EXPECT_THAT(ImportCsv(*ledger_, ImportKind::kPersons,
                        "person_id,household_id,name\n"
                        "p3,h1,Wang\n"
                        "p4,h1,Li\xFF\n",
                        options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "persons.csv: line 3, column 9: malformed UTF-8 at "
                       "byte offset 47 (byte 0xFF)"));
  ExpectIntactAndReopens();
}

TEST_F(HostileInputTest, MalformedUtf8InAJsonLinesFileIsRefused) {
  ImportOptions options;
  options.file_name = "events.jsonl";
  EXPECT_THAT(ImportJsonl(*ledger_,
                          "{\"person\": {\"id\": \"p3\", \"name\": \"Li\xC0\xAF"
                          "\"}}\n",
                          options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "events.jsonl: line 1, column 36: malformed UTF-8 at "
                       "byte offset 35 (byte 0xC0)"));
  ExpectIntactAndReopens();
}

// A record with a good checksum whose event is not UTF-8, as an older
// writer that did not check could have logged: protobuf refuses to parse it.
TEST_F(HostileInputTest, MalformedUtf8InALoggedRecordIsDataLossAtItsOffset) {
  ledger_.reset();
  const std::string log = OnlyLog();
  const std::string bytes = *env_.Contents(log);
  v1::EventBatch batch;
  v1::LedgerEvent* event = batch.add_events();
  *event = MakePerson("p3", "h1");
  event->mutable_person()->set_name("Li?");
  event->set_sequence_number(12);
  *event->mutable_record_time() = testutil::ToProto(At(2020, 1, 24, 9));
  std::string payload = batch.SerializeAsString();
  payload[payload.find("Li?") + 2] = '\xFF';
  std::string damaged = bytes;
  internal::AppendRecord(payload, &damaged);
  ASSERT_OK(env_.SetContents(log, damaged));

  absl::StatusOr<std::unique_ptr<Ledger>> refused =
      Ledger::Open(Options(), kDir);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kDataLoss,
                                absl::StrCat(log, ": offset ", bytes.size(),
                                             ": record does not parse as an "
                                             "EventBatch")));
  EXPECT_EQ(*env_.Contents(log), damaged);  // a failed open changes nothing
  // Asked to recover, the ledger skips the record and reports it.
  LedgerOptions recover = Options();
  recover.recover_damaged = true;
  ledger_ = OpenOrDie(recover);
  ASSERT_NE(ledger_, nullptr);
  ExpectKnownState(*ledger_);
  ASSERT_THAT(ledger_->recovery_report().damage, SizeIs(1));
  EXPECT_EQ(ledger_->recovery_report().damage[0].offset, bytes.size());
}

// --- Huge fields, batches and files. ---

TEST_F(HostileInputTest, HugeFieldIsRefusedNamingItsLimit) {
  v1::LedgerEvent person = MakePerson("p3", "h1");
  person.mutable_person()->set_name(std::string(1 << 20, 'n'));
  EXPECT_THAT(ledger_->Append(person),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "event 1 of 1 (person 'p3'): name: is 1048576 bytes, "
                       "more than the 256 allowed (Limits::max_name_bytes)"));
  ImportOptions options;
  options.file_name = "persons.csv";
  EXPECT_THAT(
      ImportCsv(
          *ledger_, ImportKind::kPersons,
          absl::StrCat("person_id,name\np3,", std::string(1 << 20, 'n'), "\n"),
          options),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "persons.csv: line 2 (byte offset 15) is 1048579 bytes, more "
               "than the 65536 allowed (Limits::max_line_bytes)"));
  ExpectIntactAndReopens();
}

TEST_F(HostileInputTest, HugeBatchIsResourceExhausted) {
  std::vector<v1::LedgerEvent> batch(100001,
                                     MakeHealthCheck("p1", At(2020, 1, 25)));
  EXPECT_THAT(ledger_->AppendBatch(batch),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       "batch of 100001 events is more than the 100000 "
                       "allowed (Limits::max_batch_events); split it"));
  ExpectIntactAndReopens();
}

TEST_F(HostileInputTest, HugeFileIsRefusedBeforeItIsRead) {
  // The default limit is 4 GiB; a ledger may set a smaller one.
  ledger_.reset();
  LedgerOptions options = Options();
  options.limits.max_import_bytes = 1 << 20;
  ledger_ = OpenOrDie(options);
  ASSERT_OK(env_.CreateDir("/in"));
  ASSERT_OK(env_.SetContents(
      "/in/exposures.csv", absl::StrCat("person_a,person_b,start,end,setting\n",
                                        std::string(1 << 20, '\n'))));
  EXPECT_THAT(ImportCsvFile(*ledger_, ImportKind::kExposures,
                            "/in/exposures.csv", {}, &env_),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       "/in/exposures.csv: 1048612 bytes, more than the "
                       "1048576 an import may read "
                       "(Limits::max_import_bytes)"));
  ExpectIntactAndReopens();
}

// --- Wrong columns. ---

TEST_F(HostileInputTest, WrongColumnsAreRefused) {
  ImportOptions options;
  options.file_name = "exposures.csv";
  const auto import = [&](const std::string& csv) {
    return ImportCsv(*ledger_, ImportKind::kExposures, csv, options);
  };
  EXPECT_THAT(import("person_a,person_b,start,end,setting,duration\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("exposures.csv: line 1, column \"duration\": "
                                 "unknown column (exposures columns: ")));
  EXPECT_THAT(import("person_a,person_b,start,setting\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("exposures.csv: line 1: missing required "
                                 "column \"end\"")));
  EXPECT_THAT(import("person_a,person_b,start,end,setting\n"
                     "p1,p2,2020-01-25T08:00:00+08:00,"
                     "2020-01-25T09:00:00+08:00,work,extra\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "exposures.csv: line 2: 6 fields, but the header has "
                       "5"));
  EXPECT_THAT(import("person_a,person_a,start,end,setting\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "exposures.csv: line 1, column \"person_a\": the "
                       "column appears twice"));
  ExpectIntactAndReopens();
}

// --- Bad times. ---

TEST_F(HostileInputTest, BadTimesAreRefused) {
  ImportOptions options;
  options.file_name = "checks.csv";
  const auto import = [&](const std::string& time) {
    return ImportCsv(
        *ledger_, ImportKind::kChecks,
        absl::StrCat("person_id,time,temperature_c\np1,", time, ",36.8\n"),
        options);
  };
  EXPECT_THAT(import("2020-02-30T08:00:00+08:00"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("checks.csv: line 2, column \"time\": "
                                 "\"2020-02-30T08:00:00+08:00\" is not an RFC "
                                 "3339 time with an offset")));
  EXPECT_THAT(import("2020-02-01T08:00:00"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is not an RFC 3339 time with an offset")));
  EXPECT_THAT(import("2020-02-01T08:00:00.5+08:00"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("has a fraction of a second")));
  EXPECT_THAT(import("infinite-future"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("is not an RFC 3339 time")));
  EXPECT_THAT(import("10000-01-01T00:00:00Z"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("checks.csv: line 2, column \"time\"")));
  v1::LedgerEvent check = MakeHealthCheck("p1", At(2020, 1, 25));
  check.mutable_health_check()->mutable_time()->set_seconds(-62135596801);
  EXPECT_THAT(ledger_->Append(check),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "event 1 of 1 (health_check 'p1'): time: seconds "
                       "-62135596801 is outside years 1..9999"));
  check.mutable_health_check()->mutable_time()->set_seconds(1579939200);
  check.mutable_health_check()->mutable_time()->set_nanos(5);
  EXPECT_THAT(ledger_->Append(check),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "event 1 of 1 (health_check 'p1'): time: has nanos 5; "
                       "event instants are kept to the whole second"));
  v1::LedgerEvent backwards =
      MakeExposure("p1", "p2", At(2020, 1, 25, 9), At(2020, 1, 25, 8));
  EXPECT_THAT(ledger_->Append(backwards),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("end: start (1579942800) is after end "
                                 "(1579939200)")));
  ExpectIntactAndReopens();
}

// --- Injected separators. ---

TEST_F(HostileInputTest, InjectedSeparatorsAreDataOrRefusedNeverStructure) {
  ImportOptions options;
  options.file_name = "persons.csv";
  // A quoted line break in an id would forge a line of every CSV output.
  EXPECT_THAT(ImportCsv(*ledger_, ImportKind::kPersons,
                        "person_id,household_id\n\"p3\np4\",h1\n", options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "persons.csv: line 2, column \"person_id\": control "
                       "character U+000A at byte 2 (this field is one line "
                       "of text)"));
  // A stray quote is malformed CSV.
  EXPECT_THAT(ImportCsv(*ledger_, ImportKind::kPersons,
                        "person_id,household_id\np3\",h1\n", options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "persons.csv: line 2, column 3: a quote inside an "
                       "unquoted field (quote the whole field and double the "
                       "quote)"));
  // Two events on one JSON line.
  options.file_name = "events.jsonl";
  EXPECT_THAT(
      ImportJsonl(
          *ledger_,
          "{\"person\": {\"id\": \"p3\"}}{\"person\": {\"id\": \"p4\"}}\n",
          options),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("events.jsonl: line 1: not a LedgerEvent in protobuf "
                         "JSON")));
  ExpectIntactAndReopens();
  // Quoted commas, quotes and line breaks in free text are data: recorded
  // as they are, and written back escaped.
  options.file_name = "households.csv";
  ASSERT_OK(ImportCsv(*ledger_, ImportKind::kHouseholds,
                      "household_id,area_id,address\n"
                      "h2,v,\"Building 2, \"\"East\"\"\nRoom 301\"\n",
                      options));
  EXPECT_EQ(ledger_->GetHousehold("h2", ReadOptions())->address(),
            "Building 2, \"East\"\nRoom 301");
  ExpectIntactAndReopens(1);
}

// --- Damaged files. ---

// The offsets of the log's records (6 of them, see RecordKnownState).
std::vector<size_t> RecordStarts(const std::string& bytes) {
  size_t pos =
      internal::EncodeHeader(
          internal::FileHeader{"CLEDGLOG", 1, 1, "contactledger.v1.EventBatch"})
          .size();
  std::vector<size_t> starts;
  while (pos < bytes.size()) {
    starts.push_back(pos);
    uint32_t length = 0;
    for (int i = 3; i >= 0; --i) {
      length = (length << 8) | static_cast<uint8_t>(bytes[pos + i]);
    }
    pos += internal::kRecordHeaderBytes + length;
  }
  return starts;
}

TEST_F(HostileInputTest, TruncatedLogEndsCleanlyBeforeTheCutRecord) {
  ledger_.reset();
  const std::string log = OnlyLog();
  const std::string bytes = *env_.Contents(log);
  const std::vector<size_t> starts = RecordStarts(bytes);
  ASSERT_THAT(starts, SizeIs(6));
  ASSERT_OK(env_.SetContents(log, bytes.substr(0, starts[5] + 7)));
  ledger_ = OpenOrDie(Options());
  ASSERT_NE(ledger_, nullptr);
  // The cut-off last record (event 11) is gone, reported as a clean end;
  // events 1-10 are intact.
  ASSERT_EQ(ledger_->last_sequence_number(), 10u);
  for (uint64_t s = 1; s <= 10; ++s) {
    EXPECT_EQ(ledger_->GetEvent(s)->SerializeAsString(), known_[s - 1]);
  }
  ASSERT_THAT(ledger_->recovery_report().damage, SizeIs(1));
  EXPECT_TRUE(ledger_->recovery_report().damage[0].truncated_tail);
  EXPECT_EQ(ledger_->recovery_report().damage[0].offset, starts[5]);
}

TEST_F(HostileInputTest, BitFlippedLogIsDataLossAndRecoverySkipsOnlyIt) {
  ledger_.reset();
  const std::string log = OnlyLog();
  const std::string bytes = *env_.Contents(log);
  const std::vector<size_t> starts = RecordStarts(bytes);
  std::string damaged = bytes;
  damaged[starts[3] + internal::kRecordHeaderBytes + 3] ^= 0x08;  // seq 9
  ASSERT_OK(env_.SetContents(log, damaged));
  EXPECT_THAT(Ledger::Open(Options(), kDir),
              StatusIs(absl::StatusCode::kDataLoss,
                       absl::StrCat(log, ": offset ", starts[3],
                                    ": record payload checksum mismatch")));
  EXPECT_EQ(*env_.Contents(log), damaged);  // nothing was changed
  LedgerOptions recover = Options();
  recover.recover_damaged = true;
  ledger_ = OpenOrDie(recover);
  ASSERT_NE(ledger_, nullptr);
  EXPECT_EQ(ledger_->recovery_report().lost_events, 1u);
  EXPECT_EQ(ledger_->last_sequence_number(), 11u);
  for (uint64_t s = 1; s <= 11; ++s) {
    if (s == 9) {
      EXPECT_EQ(ledger_->GetEvent(s).status().code(),
                absl::StatusCode::kDataLoss);
    } else {
      EXPECT_EQ(ledger_->GetEvent(s)->SerializeAsString(), known_[s - 1]);
    }
  }
  // With the byte put back, the directory opens to the known state.
  ledger_.reset();
  ASSERT_OK(env_.SetContents(log, bytes));
  ledger_ = OpenOrDie(Options());
  ASSERT_NE(ledger_, nullptr);
  ExpectKnownState(*ledger_);
}

TEST_F(HostileInputTest, DamagedSnapshotIsDataLossNamingTheFile) {
  ASSERT_OK(ledger_->WriteSnapshot());
  ledger_.reset();
  const std::string snapshot =
      absl::StrCat(kDir, "/00000000000000000011.snapshot");
  const std::string bytes = *env_.Contents(snapshot);
  for (const std::string& damaged :
       {bytes.substr(0, bytes.size() / 2),
        std::string(bytes).replace(bytes.size() / 2, 1, "\x5A")}) {
    ASSERT_OK(env_.SetContents(snapshot, damaged));
    absl::StatusOr<std::unique_ptr<Ledger>> refused =
        Ledger::Open(Options(), kDir);
    EXPECT_THAT(refused,
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr(snapshot)));
    EXPECT_EQ(*env_.Contents(snapshot), damaged);
  }
  ASSERT_OK(env_.SetContents(snapshot, bytes));
  ledger_ = OpenOrDie(Options());
  ASSERT_NE(ledger_, nullptr);
  ExpectKnownState(*ledger_);
}

// --- The directory opened twice. ---

TEST_F(HostileInputTest, DirectoryOpenedTwiceIsRefusedWhileTheFirstGoesOn) {
  EXPECT_THAT(
      Ledger::Open(Options(), kDir),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in use")));
  ASSERT_OK(ledger_->Append(MakePerson("p3", "h1")));
  ExpectIntactAndReopens(1);
}

TEST(HostileInputPosixTest, DirectoryOpenedTwiceOnDiskIsRefused) {
  const std::string dir =
      absl::StrCat(::testing::TempDir(), "/hostile_twice_", getpid());
  LedgerOptions options;
  // In this process.
  {
    absl::StatusOr<std::unique_ptr<Ledger>> first = Ledger::Open(options, dir);
    ASSERT_OK(first);
    EXPECT_THAT(
        Ledger::Open(options, dir),
        StatusIs(absl::StatusCode::kFailedPrecondition,
                 absl::StrCat("ledger directory '", dir, "' is in use: '", dir,
                              "/LOCK' is locked: the ledger is open "
                              "in this process")));
  }
  // From another process (ledgerctl run twice): a child holds the ledger,
  // records, and goes on recording after this process was refused.
  int to_parent[2], to_child[2];
  ASSERT_EQ(pipe(to_parent), 0);
  ASSERT_EQ(pipe(to_child), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    absl::StatusOr<std::unique_ptr<Ledger>> held = Ledger::Open(options, dir);
    bool ok = held.ok() && (*held)->Append(MakeCounty("c"), Synced()).ok();
    char byte = ok ? 'o' : 'e';
    ok = write(to_parent[1], &byte, 1) == 1 && read(to_child[0], &byte, 1) == 1;
    ok = ok && (*held)->Append(MakeTownship("t", "c"), Synced()).ok();
    _exit(ok ? 0 : 1);
  }
  char byte = 0;
  ASSERT_EQ(read(to_parent[0], &byte, 1), 1);
  ASSERT_EQ(byte, 'o');
  EXPECT_THAT(
      Ledger::Open(options, dir),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               absl::StrCat("ledger directory '", dir, "' is in use: '", dir,
                            "/LOCK' is locked: the ledger is open in "
                            "another process")));
  ASSERT_EQ(write(to_child[1], &byte, 1), 1);
  int child_status = 0;
  ASSERT_EQ(waitpid(child, &child_status, 0), child);
  EXPECT_TRUE(WIFEXITED(child_status) && WEXITSTATUS(child_status) == 0);
  for (int fd : {to_parent[0], to_parent[1], to_child[0], to_child[1]}) {
    close(fd);
  }
  absl::StatusOr<std::unique_ptr<Ledger>> reopened = Ledger::Open(options, dir);
  ASSERT_OK(reopened);
  EXPECT_EQ((*reopened)->last_sequence_number(), 2u);
  EXPECT_OK((*reopened)->GetArea("t", ReadOptions()));
  reopened->reset();
  const absl::StatusOr<std::vector<std::string>> names =
      Env::Default()->GetChildren(dir);
  ASSERT_OK(names);
  for (const std::string& name : *names) {
    ASSERT_OK(Env::Default()->RemoveFile(absl::StrCat(dir, "/", name)));
  }
  rmdir(dir.c_str());
}

// --- A full disk. ---

TEST_F(HostileInputTest, FullDiskFailsTheAppendAndLosesNothing) {
  disk_.SetFree(10);  // less than one record
  v1::LedgerEvent p3 = MakePerson("p3", "h1");
  EXPECT_THAT(ledger_->Append(p3, Synced()),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       absl::StrCat("write '", OnlyLog(),
                                    "': No space left on device")));
  EXPECT_FALSE(ledger_->GetPerson("p3", ReadOptions()).ok());
  // A snapshot on the full disk fails too and keeps the old files.
  disk_.SetFree(100);
  EXPECT_THAT(ledger_->WriteSnapshot(),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       absl::StrCat("write '", kDir,
                                    "/00000000000000000011.snapshot.tmp': No "
                                    "space left on device")));
  const absl::StatusOr<std::vector<std::string>> names = env_.GetChildren(kDir);
  ASSERT_OK(names);
  for (const std::string& name : *names) {
    EXPECT_FALSE(absl::EndsWith(name, ".tmp")) << name;
    EXPECT_FALSE(absl::EndsWith(name, ".snapshot")) << name;
  }
  // Space freed: appends go on after the known events.
  disk_.SetFree(UINT64_MAX);
  ASSERT_OK(ledger_->Append(p3, Synced()));
  ExpectIntactAndReopens(1);
  EXPECT_TRUE(ledger_->GetPerson("p3", ReadOptions()).ok());
}

}  // namespace
}  // namespace contactledger
