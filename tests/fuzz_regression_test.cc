// Copyright 2026 The ContactLedger Authors.
//
// Regression tests for what the fuzz targets (fuzz/) and the sanitizer run
// (scripts/asan.sh) found, one scenario each, rebuilt by hand from the
// crashing input so that the reason is readable:
//   - a log cut off inside its header is a clean end for Verify as for Open,
//     also when the file is empty (a null read used to reach memmove);
//   - after recovery skipped damage in a log, appends go to a new log: a
//     skipped length that reached into later records used to run past the
//     end once the log was cut and appended to, hiding every record after
//     it (acknowledged appends included) as a cut-off tail on the next open;
//   - a log's events start at its base sequence and its name agrees with
//     its header, and a newest log that starts after the last event is
//     DataLoss (appends went to a log replayed out of order, or were lost,
//     on the next open);
//   - an Open that fails changes nothing (it used to remove a log cut off
//     inside its header first);
//   - a record time a snapshot cannot keep (after 2262) is damage, not an
//     event whose record time changes when a snapshot is taken;
//   - recovering, a sequence number far ahead of any damage skipped is
//     damage too, not a gap of a trillion lost events to fill;
//   - a snapshot whose columns disagree (a key offset outside its arena, a
//     link that is not to an older row, an area parent that is not one level
//     up, a list holding a row of another owner such as an area listed as
//     its own child, an event with no kind, counts that overflow or promise
//     terabytes)
//     is DataLoss naming the column, not an out-of-bounds read, an endless
//     walk or an allocation failure.
//   - a policy is UTF-8 (text format took any bytes in its name, which
//     then read back differently from JSON), and its durations are at most
//     3650 days (JSON cannot write longer ones; the engine's arithmetic on
//     instants must not overflow);
//   - the synthetic county is the same whatever the compiler: it drew random
//     numbers in a call's arguments, whose order clang and GCC choose
//     differently, so clang builds (asan.sh) generated another county.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "contactledger/ledger.h"
#include "contactledger/synthetic.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/storage.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/env/mem_env.h"
#include "lib/log/record_io.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testutil::At;
using testutil::MakeCounty;
using testutil::MakeExposure;
using testutil::MakeGrid;
using testutil::MakePerson;
using testutil::MakeTownship;
using testutil::MakeVillage;
using testutil::StatusIs;

constexpr char kDir[] = "/ledger";
constexpr int64_t kRecordSeconds = 1580515200;  // 2020-02-01T00:00:00Z

std::string Name(uint64_t sequence) {
  return absl::StrFormat("%020d.log", sequence);
}

std::string LogHeader(uint64_t base) {
  return internal::EncodeHeader(internal::FileHeader{
      std::string(internal::kLogMagic), internal::kFormatVersion, base,
      "contactledger.v1.EventBatch"});
}

// One framed log record: `events` numbered from `first`, recorded at
// `record_seconds`.
std::string Record(std::vector<v1::LedgerEvent> events, uint64_t first,
                   int64_t record_seconds = kRecordSeconds) {
  v1::EventBatch batch;
  for (v1::LedgerEvent& event : events) {
    event.set_sequence_number(first++);
    event.mutable_record_time()->set_seconds(record_seconds);
    *batch.add_events() = std::move(event);
  }
  std::string out;
  internal::AppendRecord(batch.SerializeAsString(), &out);
  return out;
}

class FuzzRegressionTest : public ::testing::Test {
 protected:
  FuzzRegressionTest() { EXPECT_TRUE(env_.CreateDir(kDir).ok()); }

  LedgerOptions Options(bool recover = false) {
    LedgerOptions options;
    options.env = &env_;
    options.recover_damaged = recover;
    return options;
  }
  void Write(const std::string& name, const std::string& bytes) {
    ASSERT_TRUE(env_.SetContents(absl::StrCat(kDir, "/", name), bytes).ok());
  }
  std::string Read(const std::string& name) {
    absl::StatusOr<std::string> bytes =
        env_.Contents(absl::StrCat(kDir, "/", name));
    return bytes.ok() ? *bytes : "<missing>";
  }
  bool Exists(const std::string& name) {
    return env_.FileExists(absl::StrCat(kDir, "/", name));
  }

  internal::MemEnv env_;
};

// --- Logs. ---

TEST_F(FuzzRegressionTest, ALogCutOffInsideItsHeaderIsACleanEndForVerifyToo) {
  for (size_t cut : {size_t{0}, size_t{30}}) {
    SCOPED_TRACE(absl::StrCat("newest log cut to ", cut, " bytes"));
    Write(Name(1), LogHeader(1) + Record({MakeCounty("c")}, 1));
    Write(Name(2), LogHeader(2).substr(0, cut));
    absl::StatusOr<VerifyReport> verify = Ledger::Verify(Options(), kDir);
    ASSERT_TRUE(verify.ok()) << verify.status();
    EXPECT_TRUE(verify->ok());
    EXPECT_THAT(verify->problems, SizeIs(0));
    EXPECT_THAT(verify->damage,
                Contains(AllOf(Field(&DamagedRange::truncated_tail, true),
                               Field(&DamagedRange::reason,
                                     HasSubstr("log header cut off")))));
    EXPECT_EQ(verify->last_sequence, 1u);

    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(Options(), kDir);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    EXPECT_EQ((*ledger)->last_sequence_number(), 1u);
    ASSERT_TRUE((*ledger)->Append(MakeTownship("t", "c")).ok());
  }
}

TEST_F(FuzzRegressionTest, AppendsAfterSkippedDamageSurviveTheNextOpen) {
  // R3 lies inside a damaged record X whose length (with a good checksum)
  // reaches past R3 into garbage that runs to the end of the file.
  const std::string r1 = Record({MakeCounty("c")}, 1);
  const std::string r2 = Record({MakeTownship("t", "c")}, 2);
  const std::string r3 = Record({MakeVillage("v", "t")}, 3);
  std::string x;
  internal::AppendRecord(std::string(r3.size() + 20, 'x'), &x);
  x.resize(internal::kRecordHeaderBytes);
  x[8] ^= 0x01;  // the payload checksum is wrong
  const std::string log = LogHeader(1) + r1 + r2 + x + r3 +
                          std::string(60, static_cast<char>(0xAB));
  Write(Name(1), log);

  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(Options(/*recover=*/true), kDir);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    EXPECT_EQ((*ledger)->last_sequence_number(), 3u);
    EXPECT_THAT((*ledger)->recovery_report().damage, SizeIs(2));
    absl::StatusOr<uint64_t> appended = (*ledger)->Append(MakeGrid("g", "v"));
    ASSERT_TRUE(appended.ok()) << appended.status();
    EXPECT_EQ(*appended, 4u);
  }
  // The damaged log is never written again; the append went to a new log.
  EXPECT_EQ(Read(Name(1)), log);
  EXPECT_TRUE(Exists(Name(4)));

  absl::StatusOr<std::unique_ptr<Ledger>> reopened =
      Ledger::Open(Options(/*recover=*/true), kDir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->last_sequence_number(), 4u);
  EXPECT_THAT((*reopened)->recovery_report().damage, SizeIs(2));
  EXPECT_TRUE((*reopened)->GetArea("v", ReadOptions()).ok());
  absl::StatusOr<v1::LedgerEvent> grid = (*reopened)->GetEvent(4);
  ASSERT_TRUE(grid.ok()) << grid.status();
  EXPECT_EQ(grid->area().id(), "g");
}

TEST_F(FuzzRegressionTest, ALogHoldingEventsBeforeItsBaseSequenceIsDamage) {
  Write(Name(5), LogHeader(5) + Record({MakeCounty("c")}, 1) +
                     Record({MakeTownship("t", "c")}, 2));
  EXPECT_THAT(Ledger::Open(Options(), kDir),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr(Name(5)), HasSubstr("offset 53"),
                             HasSubstr("before the log's first sequence 5"))));

  // Recovering, the records are skipped, and then the log starts after the
  // events before it (none): the numbers in between are in no file.
  EXPECT_THAT(
      Ledger::Open(Options(/*recover=*/true), kDir),
      StatusIs(absl::StatusCode::kDataLoss,
               AllOf(HasSubstr(Name(5)),
                     HasSubstr("sequence numbers 1 to 4 are missing"))));
}

TEST_F(FuzzRegressionTest, ASequenceJumpNoDamageExplainsIsNotFilled) {
  // An intact batch numbered 10^12 after event 1: recovering used to mark
  // every number in between lost, a byte of memory each.
  const std::string r1 = Record({MakeCounty("c")}, 1);
  Write(Name(1),
        LogHeader(1) + r1 + Record({MakeTownship("t", "c")}, 1000000000000));
  EXPECT_THAT(Ledger::Open(Options(), kDir),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("sequence numbers 2 to 999999999999 are "
                                 "missing")));
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(Options(/*recover=*/true), kDir);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ((*ledger)->last_sequence_number(), 1u);
  EXPECT_EQ((*ledger)->recovery_report().lost_events, 0u);
  EXPECT_THAT(
      (*ledger)->recovery_report().damage,
      Contains(AllOf(Field(&DamagedRange::offset, 53 + r1.size()),
                     Field(&DamagedRange::reason,
                           HasSubstr("more than the damage skipped")))));
}

TEST_F(FuzzRegressionTest, ALogWhoseNameAndHeaderDisagreeIsDamage) {
  Write(Name(7), LogHeader(1) + Record({MakeCounty("c")}, 1));
  EXPECT_THAT(
      Ledger::Open(Options(/*recover=*/true), kDir),
      StatusIs(absl::StatusCode::kDataLoss,
               AllOf(HasSubstr(Name(7)),
                     HasSubstr("the header says the log starts at sequence 1, "
                               "the name at 7"))));
}

TEST_F(FuzzRegressionTest, ANewestLogThatStartsAfterTheLastEventIsDataLoss) {
  // 1.log holds nothing but a cut-off record header, 3.log nothing at all:
  // event 1 and 2 are in no file. Appends used to go on in a log that sorts
  // before 3.log (or into 3.log, numbered before its base), and the next open
  // replayed them out of order, or not at all.
  Write(Name(1), LogHeader(1) + std::string(5, '\x7f'));
  Write(Name(3), LogHeader(3));
  for (bool recover : {false, true}) {
    EXPECT_THAT(
        Ledger::Open(Options(recover), kDir),
        StatusIs(absl::StatusCode::kDataLoss,
                 AllOf(HasSubstr(Name(3)),
                       HasSubstr("the newest log starts at sequence 3, but the "
                                 "events before it end at 0"))));
  }
  absl::StatusOr<VerifyReport> verify = Ledger::Verify(Options(), kDir);
  ASSERT_TRUE(verify.ok()) << verify.status();
  EXPECT_FALSE(verify->ok());
  EXPECT_THAT(verify->problems,
              Contains(HasSubstr("sequence numbers 1 to 2 are missing")));
  EXPECT_EQ(Read(Name(1)), LogHeader(1) + std::string(5, '\x7f'));
  EXPECT_EQ(Read(Name(3)), LogHeader(3));
}

TEST_F(FuzzRegressionTest, AFailedOpenChangesNoFile) {
  // 1.log holds a record that does not parse (skipped when recovering), and
  // 3.log starts after the events before it (none); 9.log was cut off inside
  // its header, and used to be removed before the open failed.
  std::string unparsable;
  internal::AppendRecord("\xff\xff\xff", &unparsable);
  const std::string log1 = LogHeader(1) + unparsable;
  const std::string log9 = LogHeader(9).substr(0, 30);
  Write(Name(1), log1);
  Write(Name(3), LogHeader(3));
  Write(Name(9), log9);
  EXPECT_THAT(
      Ledger::Open(Options(/*recover=*/true), kDir),
      StatusIs(absl::StatusCode::kDataLoss,
               AllOf(HasSubstr(Name(3)),
                     HasSubstr("sequence numbers 1 to 2 are missing"))));
  EXPECT_EQ(Read(Name(1)), log1);
  EXPECT_EQ(Read(Name(3)), LogHeader(3));
  EXPECT_EQ(Read(Name(9)), log9);
  // Nor is the manifest of this directory from before manifests written.
  EXPECT_FALSE(Exists("MANIFEST"));
}

TEST_F(FuzzRegressionTest, ARecordTimeASnapshotCannotKeepIsDamage) {
  // 2947-05-01: past the int64 nanoseconds a snapshot keeps record times in.
  Write(Name(1), LogHeader(1) + Record({MakeCounty("c")}, 1, 30842485504));
  EXPECT_THAT(Ledger::Open(Options(), kDir),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr(Name(1)), HasSubstr("offset 53"),
                             HasSubstr("is not one the ledger records"))));
}

// --- Snapshots. ---

class SnapshotRegressionTest : public FuzzRegressionTest {
 protected:
  // A ledger with areas, a person with two versions and an exposure, saved
  // in a snapshot (and nothing else).
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(Options(), kDir);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ASSERT_TRUE(
        (*ledger)
            ->AppendBatch(
                {MakeCounty("c"), MakeTownship("t", "c"),
                 MakePerson("p1", "", "t"), MakePerson("p1", "", "c"),
                 MakeExposure("p1", "p2", At(2020, 2, 1), At(2020, 2, 1, 1))})
            .ok());
    absl::StatusOr<uint64_t> at = (*ledger)->WriteSnapshot();
    ASSERT_TRUE(at.ok()) << at.status();
    snapshot_ = absl::StrFormat("%020d.snapshot", *at);
  }

  // Rewrites the snapshot, calling `change` on every section (with framing
  // and checksums redone, so that only the change is wrong).
  void Rewrite(const std::function<void(v1::SnapshotSection*)>& change) {
    const std::string old = Read(snapshot_);
    std::unique_ptr<SequentialFile> file =
        std::move(env_.NewSequentialFile(absl::StrCat(kDir, "/", snapshot_)))
            .value();
    internal::RecordReader reader(file.get(), snapshot_, /*recover=*/false);
    absl::StatusOr<internal::FileHeader> header =
        reader.ReadHeader(internal::kSnapshotMagic);
    ASSERT_TRUE(header.ok()) << header.status();
    std::string out = internal::EncodeHeader(*header);
    absl::string_view payload;
    uint64_t offset = 0;
    while (true) {
      absl::StatusOr<bool> more = reader.Next(&payload, &offset);
      ASSERT_TRUE(more.ok()) << more.status();
      if (!*more) break;
      v1::SnapshotSection section;
      ASSERT_TRUE(section.ParseFromArray(payload.data(),
                                         static_cast<int>(payload.size())));
      change(&section);
      internal::AppendRecord(section.SerializeAsString(), &out);
    }
    ASSERT_NE(out, old) << "the change changed nothing";
    Write(snapshot_, out);
  }

  // Sets the first uint32 of the first data section named `column`.
  void SetFirstU32(const std::string& column, uint32_t value) {
    bool done = false;
    Rewrite([&](v1::SnapshotSection* s) {
      if (done || s->name() != column || s->data().size() < 4) return;
      std::string data = s->data();
      for (int i = 0; i < 4; ++i) data[i] = static_cast<char>(value >> (8 * i));
      s->set_data(data);
      done = true;
    });
  }

  void ExpectDataLoss(const std::string& column, const std::string& reason) {
    EXPECT_THAT(Ledger::Open(Options(), kDir),
                StatusIs(absl::StatusCode::kDataLoss,
                         AllOf(HasSubstr(snapshot_), HasSubstr(column),
                               HasSubstr(reason))));
    absl::StatusOr<VerifyReport> verify = Ledger::Verify(Options(), kDir);
    ASSERT_TRUE(verify.ok()) << verify.status();
    EXPECT_FALSE(verify->ok());
  }

  std::string snapshot_;
};

TEST_F(SnapshotRegressionTest, AKeyOffsetOutsideItsArenaIsDamage) {
  SetFirstU32("persons.keys.offsets", 0xFFFFFF00u);
  ExpectDataLoss("persons.keys", "outside its arena");
}

TEST_F(SnapshotRegressionTest, AVersionLinkThatIsNotToAnOlderRowIsDamage) {
  // Person version 0 naming itself as its older version: an endless walk.
  SetFirstU32("persons.v_prev", 0);
  ExpectDataLoss("persons.v_prev", "is not older");
}

TEST_F(SnapshotRegressionTest, AnAreaParentThatIsNotOneLevelUpIsDamage) {
  // The county made its own parent: a cycle in the area tree.
  SetFirstU32("areas.v_parent", 0);
  ExpectDataLoss("areas.v_parent", "not one level up");
}

TEST_F(SnapshotRegressionTest, AnAreaListedAsItsOwnChildIsDamage) {
  // Issue 15: the county's first child made its own version row, so that a
  // subtree walk descends into the county forever (checksums all valid).
  SetFirstU32("areas.child_head", 0);
  ExpectDataLoss("areas.child_head",
                 "column 'areas.child_head' row 0: row 0 on the list of 0 "
                 "belongs to none");
}

TEST_F(SnapshotRegressionTest, AMembershipListHoldingAnotherAreasRowIsDamage) {
  // The county's person list made to start at p1's first version, which
  // names the township.
  SetFirstU32("areas.person_head", 0);
  ExpectDataLoss("areas.person_head", "row 0 on the list of 0 belongs to 1");
}

TEST_F(SnapshotRegressionTest, AnEventWithoutAKindIsDamage) {
  bool done = false;
  Rewrite([&](v1::SnapshotSection* s) {
    if (done || s->name() != "events.kinds" || s->data().empty()) return;
    std::string data = s->data();
    data[0] = 42;
    s->set_data(data);
    done = true;
  });
  ExpectDataLoss("events", "event 1 has no kind");
}

TEST_F(SnapshotRegressionTest, ASectionCountThatOverflowsIsDamage) {
  // 2^62 + n four-byte values "fit" n values' bytes when multiplied out.
  Rewrite([&](v1::SnapshotSection* s) {
    if (s->name() == "persons.latest") {
      s->set_count(s->count() + (uint64_t{1} << 62));
    }
  });
  ExpectDataLoss("persons.latest", "does not match its count");
}

TEST_F(SnapshotRegressionTest, ACountPromisingTerabytesIsDamage) {
  // A std::vector column whose header promises 2^40 entries.
  Rewrite([&](v1::SnapshotSection* s) {
    if (s->name() == "events.block_counts" && s->data().empty()) {
      s->set_count(uint64_t{1} << 40);
    }
  });
  ExpectDataLoss("events.block_counts", "instead");
}

// --- Policies. ---

constexpr char kPolicy[] = R"pb(
  name: "county"
  lookback { seconds: 172800 }
  close_contact_phases { place: QUARANTINE_PLACE_CENTRALIZED days: 14 }
  check_interval { seconds: 43200 }
  fever_threshold_celsius: 37.3
  escalation_deadline { seconds: 7200 }
)pb";

TEST(PolicyRegressionTest, APolicyThatIsNotUtf8IsRejectedWithItsPosition) {
  ASSERT_TRUE(ParsePolicy(kPolicy).ok());
  std::string text = kPolicy;
  text.replace(text.find("county"), 6, "coun\xfft");
  EXPECT_THAT(ParsePolicy(text),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("policy"), HasSubstr("line 2"),
                             HasSubstr("malformed UTF-8"))));
}

TEST(PolicyRegressionTest, ADurationOverTenYearsIsRejectedNamingTheField) {
  for (const char* field : {"lookback", "escalation_deadline"}) {
    SCOPED_TRACE(field);
    std::string text = kPolicy;
    const std::string from = absl::StrCat(field, " { seconds: ");
    const size_t at = text.find(from) + from.size();
    text.replace(at, text.find(' ', at) - at, "9223372036854775807");
    EXPECT_THAT(
        ParsePolicy(text),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 AllOf(HasSubstr(field), HasSubstr("at most 3650 days"))));
  }
  // Ten years exactly is still a policy.
  std::string text = kPolicy;
  text.replace(text.find("172800"), 6, "315360000");
  EXPECT_TRUE(ParsePolicy(text).ok());
}

// --- The synthetic county. ---

TEST(SyntheticCountyRegressionTest, IsTheSameWhateverTheCompiler) {
  SyntheticCountyOptions options;
  options.persons = 2000;
  options.time_zone = absl::UTCTimeZone();
  std::vector<v1::LedgerEvent> events;
  absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
      options, [&](std::vector<v1::LedgerEvent>& batch) {
        events.insert(events.end(), batch.begin(), batch.end());
        return absl::OkStatus();
      });
  ASSERT_TRUE(summary.ok()) << summary.status();
  std::vector<const v1::Person*> persons;
  const v1::CheckpointPassage* passage = nullptr;
  for (const v1::LedgerEvent& e : events) {
    if (e.has_person()) persons.push_back(&e.person());
    if (e.has_checkpoint_passage() && passage == nullptr) {
      passage = &e.checkpoint_passage();
    }
  }
  // The values GCC's builds have always generated (names and phones drew
  // three and two numbers in one call, passages two).
  ASSERT_GE(persons.size(), 2u);
  EXPECT_EQ(persons[0]->name(), "\u5411\u5e73");
  EXPECT_EQ(persons[0]->phone(), "19583457560");
  EXPECT_EQ(persons[1]->name(), "\u5f90\u654f\u6d9b");
  EXPECT_EQ(persons[1]->phone(), "19545735880");
  ASSERT_NE(passage, nullptr);
  EXPECT_EQ(passage->person_id(), "p00000614");
  EXPECT_EQ(passage->checkpoint_id(), "yl-t02-cp4");
  EXPECT_EQ(
      passage->time().seconds(),
      absl::ToUnixSeconds(absl::FromCivil(
          absl::CivilSecond(2020, 2, 8, 19, 23, 40), absl::UTCTimeZone())));
}

}  // namespace
}  // namespace contactledger
