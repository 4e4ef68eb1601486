// Ledger::AppendRecorded (a batch recorded elsewhere, numbers and record
// time kept: restore, a follower) and the ImportSource an importer puts on a
// batch's first event: checked, kept through reopening and snapshots, shown
// by GetEvent, found by FindImports.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/import.h"
#include "contactledger/ledger.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testutil::At;
using testutil::FakeClock;
using testutil::MakeCounty;
using testutil::MakeExposure;
using testutil::MakePerson;
using testutil::MakeRetraction;
using testutil::StatusIs;

const std::string kSha(64, 'a');
const std::string kOtherSha(64, 'b');

v1::ImportSource Source(const std::string& sha, uint64_t events) {
  v1::ImportSource source;
  source.set_file_name("persons.csv");
  source.set_sha256(sha);
  source.set_events(events);
  return source;
}

// Two persons, then an import of an exposure between them, a second batch
// from another actor, and a retraction: every envelope field in use.
std::unique_ptr<Ledger> Original(FakeClock* clock) {
  LedgerOptions options;
  options.clock = clock;
  std::unique_ptr<Ledger> ledger = Ledger::New(options);
  std::vector<v1::LedgerEvent> first = {MakeCounty("c"), MakePerson("p1"),
                                        MakePerson("p2")};
  EXPECT_TRUE(ledger->AppendBatch(first).ok());
  clock->Advance(absl::Minutes(5));
  std::vector<v1::LedgerEvent> imported = {
      MakeExposure("p1", "p2", At(2020, 1, 20, 8), At(2020, 1, 20, 9)),
      MakeExposure("p2", "p3", At(2020, 1, 21, 8), At(2020, 1, 21, 9))};
  *imported[0].mutable_import_source() = Source(kSha, 2);
  for (auto& e : imported) e.set_actor("office");
  EXPECT_TRUE(ledger->AppendBatch(imported).ok());
  clock->Advance(absl::Minutes(5));
  EXPECT_TRUE(ledger->Append(MakeRetraction(5, "wrong pair")).ok());
  return ledger;
}

std::vector<v1::LedgerEvent> AllEvents(const Ledger& ledger) {
  std::vector<v1::LedgerEvent> events;
  for (uint64_t s = 1; s <= ledger.last_sequence_number(); ++s) {
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(s);
    EXPECT_TRUE(event.ok()) << event.status();
    if (event.ok()) events.push_back(*event);
  }
  return events;
}

TEST(AppendRecorded, CopiesALedgerEventForEventEnvelopesIncluded) {
  FakeClock clock(At(2020, 1, 22, 10));
  std::unique_ptr<Ledger> original = Original(&clock);
  const std::vector<v1::LedgerEvent> events = AllEvents(*original);
  ASSERT_EQ(events.size(), 6u);
  EXPECT_TRUE(events[3].has_import_source());
  EXPECT_FALSE(events[4].has_import_source());

  FakeClock later(At(2021, 1, 1));  // the copy's clock is never read
  LedgerOptions options;
  options.clock = &later;
  std::unique_ptr<Ledger> copy = Ledger::New(options);
  ASSERT_TRUE(copy->AppendRecorded({events[0], events[1], events[2]}).ok());
  ASSERT_TRUE(copy->AppendRecorded({events[3], events[4]}).ok());
  ASSERT_TRUE(copy->AppendRecorded({events[5]}).ok());
  EXPECT_EQ(later.readings(), 0);

  const std::vector<v1::LedgerEvent> copied = AllEvents(*copy);
  ASSERT_EQ(copied.size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(copied[i],
                                                                   events[i]))
        << "event " << i + 1 << ":\n"
        << copied[i].DebugString() << "vs\n"
        << events[i].DebugString();
  }
  EXPECT_TRUE(copy->IsRetracted(5, ReadOptions()));
  // "As known then" holds in the copy: before the retraction's record time
  // the exposure is visible.
  ReadOptions before;
  before.known_at = At(2020, 1, 22, 10, 7);
  EXPECT_FALSE(copy->IsRetracted(5, before));
  std::vector<ImportRecord> imports = FindImports(*copy, kSha);
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].first_sequence, 4u);
  EXPECT_EQ(imports[0].last_sequence, 5u);
  EXPECT_EQ(imports[0].actor, "office");
  EXPECT_EQ(imports[0].record_time, At(2020, 1, 22, 10, 5));
}

TEST(AppendRecorded, RefusesAGapARepeatOrAnEarlierRecordTimeAndRecordsNothing) {
  FakeClock clock(At(2020, 1, 22, 10));
  std::unique_ptr<Ledger> original = Original(&clock);
  const std::vector<v1::LedgerEvent> events = AllEvents(*original);
  std::unique_ptr<Ledger> copy = Ledger::New(LedgerOptions());
  ASSERT_TRUE(copy->AppendRecorded({events[0], events[1], events[2]}).ok());

  EXPECT_THAT(copy->AppendRecorded({events[4]}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("sequence numbers 4 to 4 are missing")));
  EXPECT_THAT(copy->AppendRecorded({events[2]}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the ledger is already at 3")));
  v1::LedgerEvent early = events[3];
  *early.mutable_record_time() = events[0].record_time();
  early.mutable_record_time()->set_seconds(early.record_time().seconds() - 1);
  early.clear_import_source();
  EXPECT_THAT(copy->AppendRecorded({early}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("before the previous batch")));
  v1::LedgerEvent mixed = events[4];
  mixed.set_sequence_number(5);
  mixed.mutable_record_time()->set_seconds(mixed.record_time().seconds() + 1);
  EXPECT_THAT(copy->AppendRecorded({events[3], mixed}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("differ in record time")));
  EXPECT_THAT(copy->AppendRecorded({}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs")));
  EXPECT_EQ(copy->last_sequence_number(), 3u);
}

TEST(AppendRecorded, ValidatesBodiesAsAnAppendDoes) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  v1::LedgerEvent self =
      MakeExposure("p1", "p1", At(2020, 1, 20, 8), At(2020, 1, 20, 9));
  self.set_sequence_number(1);
  *self.mutable_record_time() = testutil::ToProto(At(2020, 1, 22));
  EXPECT_THAT(
      ledger->AppendRecorded({self}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("themself")));
  EXPECT_EQ(ledger->last_sequence_number(), 0u);
}

TEST(ImportSource, OnlyOnTheFirstEventNamingTheBatchSize) {
  std::unique_ptr<Ledger> ledger = Ledger::New(LedgerOptions());
  std::vector<v1::LedgerEvent> batch = {MakePerson("p1"), MakePerson("p2")};
  *batch[1].mutable_import_source() = Source(kSha, 2);
  EXPECT_THAT(ledger->AppendBatch(batch),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("only the first event of a batch")));
  batch[1].clear_import_source();
  *batch[0].mutable_import_source() = Source(kSha, 3);
  EXPECT_THAT(ledger->AppendBatch(batch),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("import_source.events: 3, but the batch "
                                 "holds 2")));
  *batch[0].mutable_import_source() = Source("ABC", 2);
  EXPECT_THAT(ledger->AppendBatch(batch),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("64 lower-case hex digits")));
  *batch[0].mutable_import_source() = Source(kSha, 2);
  batch[0].mutable_import_source()->clear_file_name();
  EXPECT_THAT(ledger->AppendBatch(batch),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("import_source.file_name")));
  EXPECT_EQ(ledger->last_sequence_number(), 0u);
  EXPECT_THAT(FindImports(*ledger, kSha), IsEmpty());
}

TEST(ImportSource, FoundByContentAsKnownThen) {
  FakeClock clock(At(2020, 1, 22, 10));
  LedgerOptions options;
  options.clock = &clock;
  std::unique_ptr<Ledger> ledger = Ledger::New(options);
  std::vector<v1::LedgerEvent> batch = {MakePerson("p1")};
  *batch[0].mutable_import_source() = Source(kSha, 1);
  ASSERT_TRUE(ledger->AppendBatch(batch).ok());
  clock.Advance(absl::Hours(1));
  batch = {MakePerson("p2")};
  *batch[0].mutable_import_source() = Source(kOtherSha, 1);
  ASSERT_TRUE(ledger->AppendBatch(batch).ok());
  clock.Advance(absl::Hours(1));
  batch = {MakePerson("p1")};
  *batch[0].mutable_import_source() = Source(kSha, 1);
  ASSERT_TRUE(ledger->AppendBatch(batch).ok());

  std::vector<uint64_t> firsts;
  for (const ImportRecord& r : FindImports(*ledger, kSha)) {
    firsts.push_back(r.first_sequence);
  }
  EXPECT_THAT(firsts, ElementsAre(1, 3));
  ReadOptions then;
  then.known_at = At(2020, 1, 22, 10, 30);
  ASSERT_EQ(FindImports(*ledger, kSha, then).size(), 1u);
  EXPECT_THAT(FindImports(*ledger, std::string(64, 'c')), IsEmpty());
}

TEST(ImportSource, KeptThroughReopeningAndSnapshots) {
  std::unique_ptr<Env> env = NewMemEnv();
  LedgerOptions options;
  options.env = env.get();
  v1::LedgerEvent expected;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Ledger> ledger,
                         Ledger::Open(options, "/county"));
    std::vector<v1::LedgerEvent> batch = {MakePerson("p1"), MakePerson("p2")};
    *batch[0].mutable_import_source() = Source(kSha, 2);
    ASSERT_TRUE(ledger->AppendBatch(batch).ok());
    ASSERT_OK_AND_ASSIGN(expected, ledger->GetEvent(1));
    ASSERT_TRUE(expected.has_import_source());
  }
  for (bool snapshot : {false, true}) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Ledger> ledger,
                         Ledger::Open(options, "/county"));
    ASSERT_OK_AND_ASSIGN(v1::LedgerEvent event, ledger->GetEvent(1));
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(event, expected))
        << (snapshot ? "after a snapshot" : "after replaying the log");
    ASSERT_EQ(FindImports(*ledger, kSha).size(), 1u);
    EXPECT_EQ(FindImports(*ledger, kSha)[0].last_sequence, 2u);
    ASSERT_OK_AND_ASSIGN(v1::LedgerEvent second, ledger->GetEvent(2));
    EXPECT_FALSE(second.has_import_source());
    if (!snapshot) {
      ASSERT_TRUE(ledger->WriteSnapshot().ok());
    }
  }
}

TEST(AppendRecorded, LoggedAndReplayedLikeAnAppend) {
  std::unique_ptr<Env> env = NewMemEnv();
  LedgerOptions options;
  options.env = env.get();
  FakeClock clock(At(2020, 1, 22, 10));
  const std::vector<v1::LedgerEvent> events = AllEvents(*Original(&clock));
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Ledger> copy,
                         Ledger::Open(options, "/copy"));
    ASSERT_TRUE(copy->AppendRecorded({events[0], events[1], events[2]}).ok());
    ASSERT_TRUE(copy->AppendRecorded({events[3], events[4]}).ok());
    ASSERT_TRUE(copy->AppendRecorded({events[5]}).ok());
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Ledger> reopened,
                       Ledger::Open(options, "/copy"));
  const std::vector<v1::LedgerEvent> replayed = AllEvents(*reopened);
  ASSERT_EQ(replayed.size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(replayed[i],
                                                                   events[i]))
        << "event " << i + 1;
  }
}

}  // namespace
}  // namespace contactledger
