// The durable ledger on an in-memory, fault-injecting file system: reopen,
// snapshots, locking, failed writes and syncs, power loss, and damaged logs.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "contactledger/ledger.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/env/mem_env.h"
#include "lib/log/record_io.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using testutil::At;
using testutil::MakeCounty;
using testutil::MakeExposure;
using testutil::MakeHealthCheck;
using testutil::MakeHousehold;
using testutil::MakePerson;
using testutil::MakeRetraction;
using testutil::MakeTownship;
using testutil::MakeVillage;

constexpr char kDir[] = "/ledger";

class DurabilityTest : public ::testing::Test {
 protected:
  LedgerOptions Options() {
    LedgerOptions options;
    options.env = &env_;
    return options;
  }

  std::unique_ptr<Ledger> OpenOrDie(LedgerOptions options) {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(options, kDir);
    EXPECT_TRUE(ledger.ok()) << ledger.status();
    return ledger.ok() ? std::move(*ledger) : nullptr;
  }
  std::unique_ptr<Ledger> OpenOrDie() { return OpenOrDie(Options()); }

  // Records a small county: 11 events in 3 batches plus 3 single appends;
  // event 10 retracts event 8 (the exposure to the unregistered x9).
  void RecordCounty(Ledger* ledger) {
    ASSERT_TRUE(ledger
                    ->AppendBatch({MakeCounty("c"), MakeTownship("t", "c"),
                                   MakeVillage("v", "t")})
                    .ok());
    ASSERT_TRUE(
        ledger
            ->AppendBatch({MakeHousehold("h1", "v", "Li Wei"),
                           MakePerson("p1", "h1"), MakePerson("p2", "h1")})
            .ok());
    ASSERT_TRUE(ledger
                    ->AppendBatch({MakeExposure("p1", "p2", At(2020, 1, 22, 8),
                                                At(2020, 1, 22, 9)),
                                   MakeExposure("p1", "x9", At(2020, 1, 23, 8),
                                                At(2020, 1, 23, 9))})
                    .ok());
    ASSERT_TRUE(ledger->Append(MakeHealthCheck("p1", At(2020, 1, 24, 8))).ok());
    ASSERT_TRUE(ledger->Append(MakeRetraction(8, "wrong person")).ok());
    ASSERT_TRUE(
        ledger->Append(MakeHealthCheck("p2", At(2020, 1, 24, 8), 37.8)).ok());
  }

  std::vector<std::string> Files() {
    absl::StatusOr<std::vector<std::string>> names = env_.GetChildren(kDir);
    return names.ok() ? *names : std::vector<std::string>();
  }
  std::string OnlyLog() {
    for (const std::string& name : Files()) {
      if (absl::EndsWith(name, ".log")) return std::string(kDir) + "/" + name;
    }
    return "";
  }

  internal::MemEnv env_;
};

TEST_F(DurabilityTest, ReopenReplaysEveryEventAndIndex) {
  {
    std::unique_ptr<Ledger> ledger = OpenOrDie();
    RecordCounty(ledger.get());
  }
  std::unique_ptr<Ledger> reopened = OpenOrDie();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->last_sequence_number(), 11u);
  EXPECT_EQ(reopened->recovery_report().replayed_events, 11u);
  EXPECT_THAT(reopened->recovery_report().damage, IsEmpty());
  EXPECT_THAT(*reopened->HouseholdMembers("h1", ReadOptions()),
              ::testing::ElementsAre("p1", "p2"));
  EXPECT_TRUE(reopened->IsRetracted(8, ReadOptions()));
  EXPECT_THAT(reopened->UnregisteredPersons(ReadOptions()), IsEmpty());
  EXPECT_THAT(*reopened->ExposuresOf("p1", absl::InfinitePast(),
                                     absl::InfiniteFuture(), ReadOptions()),
              SizeIs(1));
  // Record times survive the log exactly: known_at cuts agree.
  absl::StatusOr<v1::LedgerEvent> fifth = reopened->GetEvent(5);
  ASSERT_TRUE(fifth.ok());
  ReadOptions at_fifth;
  at_fifth.known_at = testutil::FromProto(fifth->record_time());
  EXPECT_TRUE(reopened->GetPerson("p2", at_fifth).ok());
}

TEST_F(DurabilityTest, ReopenedLedgerKeepsAppendingAfterItsLog) {
  {
    std::unique_ptr<Ledger> ledger = OpenOrDie();
    RecordCounty(ledger.get());
  }
  {
    std::unique_ptr<Ledger> ledger = OpenOrDie();
    ASSERT_TRUE(ledger->Append(MakePerson("p3", "h1")).ok());
  }
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  EXPECT_EQ(ledger->last_sequence_number(), 12u);
  EXPECT_THAT(*ledger->HouseholdMembers("h1", ReadOptions()),
              ::testing::ElementsAre("p1", "p2", "p3"));
}

TEST_F(DurabilityTest, SnapshotReopensToTheSameStateWithoutReplay) {
  std::unique_ptr<Ledger> before;
  {
    std::unique_ptr<Ledger> ledger = OpenOrDie();
    RecordCounty(ledger.get());
    absl::StatusOr<uint64_t> covered = ledger->WriteSnapshot();
    ASSERT_TRUE(covered.ok()) << covered.status();
    EXPECT_EQ(*covered, 11u);
    ASSERT_TRUE(ledger->Append(MakePerson("p3", "h1")).ok());
  }
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  const RecoveryReport& report = ledger->recovery_report();
  EXPECT_EQ(report.snapshot_sequence, 11u);
  EXPECT_EQ(report.snapshot_file, "00000000000000000011.snapshot");
  EXPECT_EQ(report.replayed_events, 1u);
  // The log the snapshot covers is kept (LogRetention::kKeep), but not
  // read: only the new log after the snapshot was replayed.
  EXPECT_THAT(Files(),
              ::testing::UnorderedElementsAre(
                  "LOCK", "MANIFEST", "00000000000000000011.snapshot",
                  "00000000000000000001.log", "00000000000000000012.log"));
  EXPECT_THAT(report.log_files,
              ::testing::ElementsAre("00000000000000000012.log"));
  EXPECT_THAT(*ledger->HouseholdMembers("h1", ReadOptions()),
              ::testing::ElementsAre("p1", "p2", "p3"));
  EXPECT_TRUE(ledger->IsRetracted(8, ReadOptions()));
  EXPECT_EQ(ledger->Stats().exposures, 2u);
  EXPECT_EQ(ledger->Stats().health_checks, 2u);
  EXPECT_EQ(ledger->GetEvent(8)->exposure().person_b(), "x9");
  // Snapshot, reopen again: identical events.
  ASSERT_TRUE(ledger->WriteSnapshot().ok());
  std::vector<std::string> events;
  for (uint64_t s = 1; s <= ledger->last_sequence_number(); ++s) {
    events.push_back(ledger->GetEvent(s)->SerializeAsString());
  }
  ledger.reset();
  ledger = OpenOrDie();
  ASSERT_EQ(ledger->last_sequence_number(), events.size());
  for (uint64_t s = 1; s <= events.size(); ++s) {
    EXPECT_EQ(ledger->GetEvent(s)->SerializeAsString(), events[s - 1]);
  }
}

// Ids of up to 15 bytes sit in their key slots, longer ones in an arena,
// and resident ids in the arena layout (lib/columns/key_map.h); snapshots
// store all of them as one arena. Persons, households and exposures keyed
// by ids on both sides of the limit, and resident ids, come back from a
// snapshot (and from a second one written by the reopened ledger) the same.
TEST_F(DurabilityTest, SnapshotKeepsIdsOnBothSidesOfTheInlineLimit) {
  const std::vector<std::string> ids = {
      "p", "fifteen-bytes-1", "sixteen-bytes-12",
      "a-person-id-of-forty-bytes-0000000000000",
      "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9x"};  // 15 bytes of UTF-8
  const std::string long_household = "a-household-id-longer-than-fifteen";
  const std::string resident = "430922198001010010";
  auto check = [&](Ledger* ledger, const std::string& when) {
    SCOPED_TRACE(when);
    EXPECT_THAT(*ledger->HouseholdMembers(long_household, ReadOptions()),
                ::testing::UnorderedElementsAreArray(ids));
    for (const std::string& id : ids) {
      EXPECT_TRUE(ledger->GetPerson(id, ReadOptions()).ok()) << id;
      EXPECT_THAT(*ledger->ExposuresOf(id, absl::InfinitePast(),
                                       absl::InfiniteFuture(), ReadOptions()),
                  SizeIs(2))
          << id;
    }
    EXPECT_THAT(ledger->FindPersonsByNationalId(resident, ReadOptions()),
                ::testing::ElementsAre(ids[3]));
    EXPECT_FALSE(ledger->GetPerson("sixteen-bytes-13", ReadOptions()).ok());
  };
  {
    std::unique_ptr<Ledger> ledger = OpenOrDie();
    ASSERT_NE(ledger, nullptr);
    ASSERT_TRUE(ledger
                    ->AppendBatch({MakeCounty("c"), MakeTownship("t", "c"),
                                   MakeVillage("v", "t"),
                                   MakeHousehold(long_household, "v", "Li")})
                    .ok());
    for (size_t i = 0; i < ids.size(); ++i) {
      v1::LedgerEvent person = MakePerson(ids[i], long_household);
      if (i == 3) person.mutable_person()->set_national_id(resident);
      ASSERT_TRUE(ledger->Append(person).ok()) << i;
    }
    for (size_t i = 0; i < ids.size(); ++i) {
      const std::string& next = ids[(i + 1) % ids.size()];
      ASSERT_TRUE(
          ledger
              ->Append(MakeExposure(ids[i], next, At(2020, 1, 22, 8 + i),
                                    At(2020, 1, 22, 9 + i)))
              .ok());
    }
    check(ledger.get(), "as appended");
    ASSERT_TRUE(ledger->WriteSnapshot().ok());
  }
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->recovery_report().replayed_events, 0u);
  check(ledger.get(), "from the snapshot");
  ASSERT_TRUE(ledger->WriteSnapshot().ok());
  ledger.reset();
  ledger = OpenOrDie();
  ASSERT_NE(ledger, nullptr);
  check(ledger.get(), "from the second snapshot");
}

TEST_F(DurabilityTest, SecondOpenOfTheSameDirectoryIsRefused) {
  std::unique_ptr<Ledger> first = OpenOrDie();
  absl::StatusOr<std::unique_ptr<Ledger>> second =
      Ledger::Open(Options(), kDir);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr("in use"));
  first.reset();
  EXPECT_TRUE(Ledger::Open(Options(), kDir).ok());
}

TEST_F(DurabilityTest, MissingDirectoryWithoutCreateIsNotFound) {
  LedgerOptions options = Options();
  options.create_if_missing = false;
  EXPECT_EQ(Ledger::Open(options, "/nowhere").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(DurabilityTest, ErrorIfExistsRefusesAnExistingLedger) {
  OpenOrDie().reset();
  LedgerOptions options = Options();
  options.error_if_exists = true;
  EXPECT_EQ(Ledger::Open(options, kDir).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(DurabilityTest, InMemoryLedgerCannotSnapshot) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  EXPECT_EQ(ledger->WriteSnapshot().status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(DurabilityTest, FailedWriteRejectsTheAppendAndKeepsTheLedgerUsable) {
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  RecordCounty(ledger.get());
  env_.FailWrites(1);
  absl::StatusOr<uint64_t> failed = ledger->Append(MakePerson("p3", "h1"));
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(ledger->last_sequence_number(), 11u);
  EXPECT_FALSE(ledger->GetPerson("p3", ReadOptions()).ok());
  ASSERT_TRUE(ledger->Append(MakePerson("p4", "h1")).ok());
  ledger.reset();
  ledger = OpenOrDie();
  EXPECT_EQ(ledger->last_sequence_number(), 12u);
  EXPECT_TRUE(ledger->GetPerson("p4", ReadOptions()).ok());
  EXPECT_FALSE(ledger->GetPerson("p3", ReadOptions()).ok());
  EXPECT_THAT(ledger->recovery_report().damage, IsEmpty());
}

TEST_F(DurabilityTest, ShortWriteIsCutOffAndLeavesNoDamage) {
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  RecordCounty(ledger.get());
  env_.ShortWrites(1);
  EXPECT_FALSE(
      ledger->AppendBatch({MakePerson("p3", "h1"), MakePerson("p4", "h1")})
          .ok());
  ASSERT_TRUE(ledger->Append(MakePerson("p5", "h1")).ok());
  ledger.reset();
  ledger = OpenOrDie();
  EXPECT_EQ(ledger->last_sequence_number(), 12u);
  EXPECT_EQ(ledger->GetEvent(12)->person().id(), "p5");
  EXPECT_THAT(ledger->recovery_report().damage, IsEmpty());
}

TEST_F(DurabilityTest, FailedSyncStopsAppendsUntilReopen) {
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  RecordCounty(ledger.get());
  WriteOptions sync;
  sync.sync = true;
  ASSERT_TRUE(ledger->Append(MakePerson("p3", "h1"), sync).ok());
  env_.FailSyncs(1);
  EXPECT_FALSE(ledger->Append(MakePerson("p4", "h1"), sync).ok());
  // The ledger does not pretend: later appends fail too, reads go on.
  EXPECT_FALSE(ledger->Append(MakePerson("p5", "h1")).ok());
  EXPECT_TRUE(ledger->GetPerson("p3", ReadOptions()).ok());
  EXPECT_EQ(ledger->last_sequence_number(), 12u);
  ledger.reset();
  env_.DropUnsyncedData();
  ledger = OpenOrDie();
  // Every acknowledged event is there.
  EXPECT_GE(ledger->last_sequence_number(), 12u);
  EXPECT_TRUE(ledger->GetPerson("p3", ReadOptions()).ok());
  ASSERT_TRUE(ledger->Append(MakePerson("p6", "h1"), sync).ok());
}

TEST_F(DurabilityTest, PowerLossKeepsEverySyncedAppend) {
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  WriteOptions sync;
  sync.sync = true;
  ASSERT_TRUE(
      ledger->AppendBatch({MakeCounty("c"), MakeTownship("t", "c")}, sync)
          .ok());
  ASSERT_TRUE(ledger->Append(MakeVillage("v", "t")).ok());  // not synced
  ledger.reset();
  env_.DropUnsyncedData();
  ledger = OpenOrDie();
  EXPECT_EQ(ledger->last_sequence_number(), 2u);
  EXPECT_TRUE(ledger->GetArea("t", ReadOptions()).ok());
  // The ledger continues cleanly after the loss.
  ASSERT_TRUE(ledger->Append(MakeVillage("v2", "t"), sync).ok());
  ledger.reset();
  ledger = OpenOrDie();
  EXPECT_EQ(ledger->last_sequence_number(), 3u);
  EXPECT_EQ(ledger->GetEvent(3)->area().id(), "v2");
}

TEST_F(DurabilityTest, FailedRenameLeavesThePreviousStateAndNoTemporary) {
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  RecordCounty(ledger.get());
  env_.FailRenames(1);
  EXPECT_FALSE(ledger->WriteSnapshot().ok());
  for (const std::string& name : Files()) {
    EXPECT_FALSE(absl::EndsWith(name, ".tmp")) << name;
    EXPECT_FALSE(absl::EndsWith(name, ".snapshot")) << name;
  }
  ASSERT_TRUE(ledger->Append(MakePerson("p3", "h1")).ok());
  ledger.reset();
  ledger = OpenOrDie();
  EXPECT_EQ(ledger->last_sequence_number(), 12u);
}

TEST_F(DurabilityTest, CrashDuringSnapshotLeavesLogsThatStillReplay) {
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  RecordCounty(ledger.get());
  ASSERT_TRUE(ledger->WriteSnapshot().ok());
  ASSERT_TRUE(ledger->Append(MakePerson("p3", "h1")).ok());
  // A second snapshot whose directory sync fails after the rename.
  env_.FailSyncs(1);
  // The rename happened before the failed sync; drop what was not synced.
  (void)ledger->WriteSnapshot();
  ledger.reset();
  env_.DropUnsyncedData();
  ledger = OpenOrDie();
  EXPECT_GE(ledger->last_sequence_number(), 11u);
  EXPECT_TRUE(ledger->GetPerson("p2", ReadOptions()).ok());
}

// --- Damaged logs. ---

class DamagedLogTest : public DurabilityTest {
 protected:
  // Records the county, closes, and returns the log's bytes and the offset
  // of its last record.
  void SetUp() override {
    std::unique_ptr<Ledger> ledger = OpenOrDie();
    RecordCounty(ledger.get());
    ledger.reset();
    log_ = OnlyLog();
    ASSERT_FALSE(log_.empty());
    bytes_ = *env_.Contents(log_);
    // Walk the records to find where each starts.
    size_t pos = internal::EncodeHeader(
                     internal::FileHeader{"CLEDGLOG", 1, 1,
                                          "contactledger.v1.EventBatch"})
                     .size();
    header_bytes_ = pos;
    while (pos < bytes_.size()) {
      record_starts_.push_back(pos);
      uint32_t length = 0;
      for (int i = 3; i >= 0; --i) {
        length = (length << 8) | static_cast<uint8_t>(bytes_[pos + i]);
      }
      pos += internal::kRecordHeaderBytes + length;
    }
    ASSERT_EQ(pos, bytes_.size());
    ASSERT_EQ(record_starts_.size(), 6u);  // 3 batches + 3 single appends
  }

  void Put(std::string contents) {
    ASSERT_TRUE(env_.SetContents(log_, std::move(contents)).ok());
  }

  std::string log_;
  std::string bytes_;
  size_t header_bytes_ = 0;
  std::vector<size_t> record_starts_;
};

TEST_F(DamagedLogTest, TailCutAtEveryByteOfTheLastRecordIsACleanEnd) {
  const size_t last = record_starts_.back();
  for (size_t cut = last; cut < bytes_.size(); ++cut) {
    Put(bytes_.substr(0, cut));
    std::unique_ptr<Ledger> ledger = OpenOrDie();
    ASSERT_NE(ledger, nullptr) << "cut at " << cut;
    EXPECT_EQ(ledger->last_sequence_number(), 10u) << "cut at " << cut;
    const RecoveryReport& report = ledger->recovery_report();
    if (cut == last) {
      EXPECT_THAT(report.damage, IsEmpty());
    } else {
      ASSERT_THAT(report.damage, SizeIs(1)) << "cut at " << cut;
      EXPECT_TRUE(report.damage[0].truncated_tail);
      EXPECT_EQ(report.damage[0].offset, last);
      EXPECT_EQ(report.damage[0].length, cut - last);
    }
    // The tail was cut off the file: appends continue after record 11.
    ASSERT_TRUE(ledger->Append(MakePerson("p9", "h1")).ok());
    ledger.reset();
    ledger = OpenOrDie();
    EXPECT_EQ(ledger->last_sequence_number(), 11u);
    EXPECT_THAT(ledger->recovery_report().damage, IsEmpty());
    ledger.reset();
  }
}

TEST_F(DamagedLogTest, ZeroFilledTailIsACleanEnd) {
  Put(bytes_ + std::string(4096, '\0'));
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->last_sequence_number(), 11u);
  ASSERT_THAT(ledger->recovery_report().damage, SizeIs(1));
  EXPECT_TRUE(ledger->recovery_report().damage[0].truncated_tail);
  EXPECT_EQ(ledger->recovery_report().damage[0].reason, "zero-filled tail");
}

TEST_F(DamagedLogTest, PayloadBitFlipInTheMiddleIsDataLossWithItsOffset) {
  std::string damaged = bytes_;
  const size_t record = record_starts_[1];
  damaged[record + internal::kRecordHeaderBytes + 5] ^= 0x10;
  Put(damaged);
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(Options(), kDir);
  ASSERT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(), HasSubstr(log_));
  EXPECT_THAT(ledger.status().message(),
              HasSubstr("offset " + std::to_string(record)));
  EXPECT_THAT(ledger.status().message(), HasSubstr("checksum"));
}

TEST_F(DamagedLogTest, RecoverSkipsTheDamagedRecordAndReportsIt) {
  std::string damaged = bytes_;
  const size_t record = record_starts_[1];  // the household batch, seq 4-6
  damaged[record + internal::kRecordHeaderBytes + 5] ^= 0x10;
  Put(damaged);
  LedgerOptions options = Options();
  options.recover_damaged = true;
  std::unique_ptr<Ledger> ledger = OpenOrDie(options);
  ASSERT_NE(ledger, nullptr);
  const RecoveryReport& report = ledger->recovery_report();
  ASSERT_THAT(report.damage, SizeIs(1));
  EXPECT_FALSE(report.damage[0].truncated_tail);
  EXPECT_EQ(report.damage[0].offset, record);
  EXPECT_EQ(report.damage[0].length, record_starts_[2] - record);
  EXPECT_EQ(report.lost_events, 3u);
  // Everything else is there with its own sequence number.
  EXPECT_EQ(ledger->last_sequence_number(), 11u);
  EXPECT_EQ(ledger->GetEvent(5).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(ledger->GetEvent(7)->exposure().person_a(), "p1");
  EXPECT_TRUE(ledger->GetArea("v", ReadOptions()).ok());
  EXPECT_FALSE(ledger->GetHousehold("h1", ReadOptions()).ok());
  // Verify tells the same story.
  ledger.reset();
  absl::StatusOr<VerifyReport> verify = Ledger::Verify(Options(), kDir);
  ASSERT_TRUE(verify.ok());
  EXPECT_FALSE(verify->ok());
  EXPECT_THAT(verify->damage, SizeIs(1));
}

TEST_F(DamagedLogTest, LengthBitFlipInARecordHeaderIsDataLoss) {
  std::string damaged = bytes_;
  damaged[record_starts_[2] + 1] ^= 0x01;
  Put(damaged);
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(Options(), kDir);
  ASSERT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(),
              HasSubstr("offset " + std::to_string(record_starts_[2])));
}

TEST_F(DamagedLogTest, FileHeaderBitFlipIsDataLoss) {
  std::string damaged = bytes_;
  damaged[14] ^= 0x40;  // inside base_sequence
  Put(damaged);
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(Options(), kDir);
  ASSERT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(), HasSubstr("header checksum"));
}

TEST_F(DamagedLogTest, WrongMagicIsDataLoss) {
  std::string damaged = bytes_;
  damaged.replace(0, 8, "NOTALOG!");
  Put(damaged);
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(Options(), kDir);
  ASSERT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(), HasSubstr("wrong magic"));
}

TEST_F(DamagedLogTest, NewerFormatVersionIsRefused) {
  const std::string newer = internal::EncodeHeader(
      internal::FileHeader{"CLEDGLOG", 2, 1, "contactledger.v1.EventBatch"});
  Put(newer + bytes_.substr(header_bytes_));
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(Options(), kDir);
  ASSERT_EQ(ledger.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(ledger.status().message(), HasSubstr("version 2"));
}

TEST_F(DamagedLogTest, EmptyLogFileIsATornCreation) {
  Put("");
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->last_sequence_number(), 0u);
  ASSERT_TRUE(ledger->Append(MakeCounty("c")).ok());
  ledger.reset();
  EXPECT_EQ(OpenOrDie()->last_sequence_number(), 1u);
}

TEST_F(DamagedLogTest, TornLastRecordIsACleanEnd) {
  std::string damaged = bytes_;
  damaged[damaged.size() - 3] ^= 0xff;
  Put(damaged);
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->last_sequence_number(), 10u);
  ASSERT_THAT(ledger->recovery_report().damage, SizeIs(1));
  EXPECT_TRUE(ledger->recovery_report().damage[0].truncated_tail);
}

TEST_F(DamagedLogTest, VerifyOfAnIntactDirectoryIsOk) {
  absl::StatusOr<VerifyReport> report = Ledger::Verify(Options(), kDir);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->last_sequence, 11u);
  EXPECT_EQ(report->events, 11u);
  ASSERT_THAT(report->files, SizeIs(1));
  EXPECT_EQ(report->files[0].records, 6u);
  EXPECT_EQ(report->files[0].first_sequence, 1u);
  EXPECT_EQ(report->files[0].last_sequence, 11u);
}

TEST_F(DurabilityTest, DamagedSnapshotIsDataLossNamingTheFile) {
  {
    std::unique_ptr<Ledger> ledger = OpenOrDie();
    RecordCounty(ledger.get());
    ASSERT_TRUE(ledger->WriteSnapshot().ok());
  }
  const std::string snapshot =
      std::string(kDir) + "/00000000000000000011.snapshot";
  std::string bytes = *env_.Contents(snapshot);
  bytes[bytes.size() / 2] ^= 0x20;
  ASSERT_TRUE(env_.SetContents(snapshot, bytes).ok());
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(Options(), kDir);
  ASSERT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(), HasSubstr("snapshot"));
  absl::StatusOr<VerifyReport> verify = Ledger::Verify(Options(), kDir);
  ASSERT_TRUE(verify.ok());
  EXPECT_FALSE(verify->ok());
}

// --- Log retention: the logs are the record, snapshots a cache. ---

class LogRetentionTest : public DurabilityTest {
 protected:
  using DurabilityTest::Options;
  LedgerOptions Options(LogRetention retention) {
    LedgerOptions options = DurabilityTest::Options();
    options.log_retention = retention;
    return options;
  }

  // The county (11 events), a snapshot, p3, a second snapshot, p4: three
  // logs in all (1, 12 and 13). Returns every event, serialised.
  std::vector<std::string> RecordWithTwoSnapshots(LogRetention retention) {
    std::unique_ptr<Ledger> ledger = OpenOrDie(Options(retention));
    RecordCounty(ledger.get());
    EXPECT_EQ(*ledger->WriteSnapshot(), 11u);
    EXPECT_TRUE(ledger->Append(MakePerson("p3", "h1")).ok());
    EXPECT_EQ(*ledger->WriteSnapshot(), 12u);
    EXPECT_TRUE(ledger->Append(MakePerson("p4", "h1")).ok());
    return Events(*ledger);
  }

  static std::vector<std::string> Events(const Ledger& ledger) {
    std::vector<std::string> events;
    for (uint64_t s = 1; s <= ledger.last_sequence_number(); ++s) {
      absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(s);
      EXPECT_TRUE(event.ok()) << s << ": " << event.status();
      events.push_back(event.ok() ? event->SerializeAsString() : "");
    }
    return events;
  }

  std::vector<std::string> Archived() {
    absl::StatusOr<std::vector<std::string>> names =
        env_.GetChildren(std::string(kDir) + "/archive");
    return names.ok() ? *names : std::vector<std::string>();
  }

  void RemoveSnapshots() {
    for (const std::string& name : Files()) {
      if (absl::EndsWith(name, ".snapshot")) {
        ASSERT_TRUE(env_.RemoveFile(std::string(kDir) + "/" + name).ok());
      }
    }
  }
};

TEST_F(LogRetentionTest, WriteSnapshotKeepsEveryLogByDefault) {
  EXPECT_EQ(LedgerOptions().log_retention, LogRetention::kKeep);
  const std::vector<std::string> events =
      RecordWithTwoSnapshots(LogRetention::kKeep);
  ASSERT_EQ(events.size(), 13u);
  // Only the older snapshot went.
  EXPECT_THAT(Files(),
              ::testing::UnorderedElementsAre(
                  "LOCK", "MANIFEST", "00000000000000000012.snapshot",
                  "00000000000000000001.log", "00000000000000000012.log",
                  "00000000000000000013.log"));
  {
    // Reopened: from the snapshot, reading only the log after it.
    std::unique_ptr<Ledger> ledger = OpenOrDie();
    EXPECT_EQ(ledger->recovery_report().snapshot_sequence, 12u);
    EXPECT_THAT(ledger->recovery_report().log_files,
                ::testing::ElementsAre("00000000000000000013.log"));
    EXPECT_EQ(ledger->recovery_report().replayed_events, 1u);
    EXPECT_EQ(Events(*ledger), events);
  }
  // Deleting the snapshot loses nothing: the logs replay to the same events.
  RemoveSnapshots();
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  EXPECT_TRUE(ledger->recovery_report().snapshot_file.empty());
  EXPECT_EQ(ledger->recovery_report().replayed_events, 13u);
  EXPECT_EQ(Events(*ledger), events);
  EXPECT_TRUE(ledger->IsRetracted(8, ReadOptions()));
}

TEST_F(LogRetentionTest, OpenReadsNoLogTheSnapshotCovers) {
  RecordWithTwoSnapshots(LogRetention::kKeep);
  // Damage in a covered log: the open never reads it; Verify does.
  const std::string covered = std::string(kDir) + "/00000000000000000001.log";
  std::string bytes = *env_.Contents(covered);
  bytes[bytes.size() / 2] ^= 0x10;
  ASSERT_TRUE(env_.SetContents(covered, bytes).ok());
  std::unique_ptr<Ledger> ledger = OpenOrDie();
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->last_sequence_number(), 13u);
  EXPECT_THAT(ledger->recovery_report().damage, IsEmpty());
  ledger.reset();
  absl::StatusOr<VerifyReport> verify = Ledger::Verify(Options(), kDir);
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_FALSE(verify->ok());
  ASSERT_THAT(verify->damage, SizeIs(1));
  EXPECT_THAT(verify->damage[0].file, HasSubstr("00000000000000000001.log"));
}

TEST_F(LogRetentionTest, ArchiveMovesCoveredLogsAndOpensWithOrWithoutSnapshot) {
  const std::vector<std::string> events =
      RecordWithTwoSnapshots(LogRetention::kArchive);
  EXPECT_THAT(Files(), ::testing::UnorderedElementsAre(
                           "LOCK", "MANIFEST", "00000000000000000012.snapshot",
                           "00000000000000000013.log"));
  EXPECT_THAT(Archived(), ::testing::ElementsAre("00000000000000000001.log",
                                                 "00000000000000000012.log"));
  {
    std::unique_ptr<Ledger> ledger = OpenOrDie(Options(LogRetention::kArchive));
    EXPECT_THAT(ledger->recovery_report().log_files,
                ::testing::ElementsAre("00000000000000000013.log"));
    EXPECT_EQ(Events(*ledger), events);
  }
  // Verify checks the archived logs too, and counts the snapshot's events.
  absl::StatusOr<VerifyReport> verify = Ledger::Verify(Options(), kDir);
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_TRUE(verify->ok());
  std::vector<std::string> names;
  for (const VerifyReport::File& file : verify->files) {
    names.push_back(file.name);
  }
  EXPECT_THAT(names, ::testing::ElementsAre("00000000000000000012.snapshot",
                                            "archive/00000000000000000001.log",
                                            "archive/00000000000000000012.log",
                                            "00000000000000000013.log"));
  EXPECT_EQ(verify->files[1].records, 6u);
  EXPECT_EQ(verify->files[1].last_sequence, 11u);
  EXPECT_EQ(verify->last_sequence, 13u);
  // Without the snapshot the open reads the archived logs first.
  RemoveSnapshots();
  std::unique_ptr<Ledger> ledger = OpenOrDie(Options(LogRetention::kArchive));
  ASSERT_NE(ledger, nullptr);
  EXPECT_THAT(ledger->recovery_report().log_files,
              ::testing::ElementsAre("archive/00000000000000000001.log",
                                     "archive/00000000000000000012.log",
                                     "00000000000000000013.log"));
  EXPECT_EQ(Events(*ledger), events);
  // And it appends on after them, in DIR.
  ASSERT_TRUE(ledger->Append(MakePerson("p5", "h1")).ok());
  ledger.reset();
  EXPECT_EQ(OpenOrDie()->last_sequence_number(), 14u);
}

TEST_F(LogRetentionTest, RemoveDeletesCoveredLogsAndTheLedgerStillOpens) {
  const std::vector<std::string> events =
      RecordWithTwoSnapshots(LogRetention::kRemove);
  // What WriteSnapshot did before LogRetention: history only in the snapshot.
  EXPECT_THAT(Files(), ::testing::UnorderedElementsAre(
                           "LOCK", "MANIFEST", "00000000000000000012.snapshot",
                           "00000000000000000013.log"));
  EXPECT_THAT(Archived(), IsEmpty());
  // Such a ledger (one from an older version too) opens, with the default
  // retention, and reads every event from the state.
  {
    std::unique_ptr<Ledger> ledger = OpenOrDie();
    ASSERT_NE(ledger, nullptr);
    EXPECT_EQ(Events(*ledger), events);
    absl::StatusOr<std::unique_ptr<Ledger>> reader =
        Ledger::OpenReadOnly(Options(), kDir);
    ASSERT_TRUE(reader.ok()) << reader.status();
    EXPECT_EQ(Events(**reader), events);
  }
  // Verify counts the snapshot by what it holds.
  absl::StatusOr<VerifyReport> verify = Ledger::Verify(Options(), kDir);
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_TRUE(verify->ok());
  ASSERT_THAT(verify->files, SizeIs(2));
  EXPECT_TRUE(verify->files[0].snapshot);
  EXPECT_EQ(verify->files[0].first_sequence, 1u);
  EXPECT_EQ(verify->files[0].last_sequence, 12u);
  EXPECT_GT(verify->files[0].records, 80u);  // its sections
  EXPECT_FALSE(verify->files[1].snapshot);
  EXPECT_EQ(verify->files[1].first_sequence, 13u);
  EXPECT_EQ(verify->events, 13u);
  // Without the snapshot, events 1-12 are in no file.
  RemoveSnapshots();
  absl::StatusOr<std::unique_ptr<Ledger>> lost = Ledger::Open(Options(), kDir);
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(lost.status().message(),
              HasSubstr("sequence numbers 1 to 12 are missing"));
}

TEST_F(LogRetentionTest, EachOpenMayChooseItsOwnRetention) {
  // Kept logs, then an archiving writer: it archives the kept ones too.
  {
    std::unique_ptr<Ledger> ledger = OpenOrDie(Options(LogRetention::kKeep));
    RecordCounty(ledger.get());
    ASSERT_TRUE(ledger->WriteSnapshot().ok());
  }
  std::unique_ptr<Ledger> ledger = OpenOrDie(Options(LogRetention::kArchive));
  ASSERT_TRUE(ledger->Append(MakePerson("p3", "h1")).ok());
  ASSERT_TRUE(ledger->WriteSnapshot().ok());
  EXPECT_THAT(Archived(), ::testing::ElementsAre("00000000000000000001.log",
                                                 "00000000000000000012.log"));
  const std::vector<std::string> events = Events(*ledger);
  ledger.reset();
  RemoveSnapshots();
  EXPECT_EQ(Events(*OpenOrDie()), events);
}

}  // namespace
}  // namespace contactledger
