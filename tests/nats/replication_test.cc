// Copyright 2026 The ContactLedger Authors.
//
// A county ledger shipped to NATS JetStream and followed from it, on the
// real 3-node cluster of the nats_cluster fixture (tests/nats/): the
// follower's ledger is the writer's, event for event and answer for answer;
// shipping resumes exactly once after the shipper or a node dies; a stream
// that is not the log's, and forged messages, are refused with nothing
// applied; a follower in a directory resumes from its own state.

#include "contactledger/replication.h"

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "contactledger/ledger.h"
#include "contactledger/report.h"
#include "contactledger/scope.h"
#include "contactledger/synthetic.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/replication.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "lib/replication/nats_stream.h"
#include "lib/replication/shipped_batches.h"
#include "tests/nats/nats_test_cluster.h"

namespace contactledger {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testutil::NatsJetStream;
using testutil::NatsTestCluster;

v1::LedgerEvent PersonIn(const std::string& id, const std::string& area) {
  v1::LedgerEvent event;
  event.mutable_person()->set_id(id);
  event.mutable_person()->set_area_id(area);
  return event;
}

class ReplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<NatsTestCluster> cluster =
        NatsTestCluster::FromEnvironment();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::make_unique<NatsTestCluster>(*std::move(cluster));
    char pattern[] = "/tmp/replication_test.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    tmp_ = pattern;
    ledger_id_ = NatsTestCluster::UniqueName("county");
    nats_.servers = cluster_->urls();
    nats_.retry_for = absl::Seconds(30);
  }

  void TearDown() override {
    absl::StatusOr<std::unique_ptr<NatsJetStream>> js = cluster_->Connect();
    if (js.ok()) {
      jsErrCode code = static_cast<jsErrCode>(0);
      js_DeleteStream((*js)->js(), LedgerStreamName(ledger_id_).c_str(),
                      nullptr, &code);
    }
    fs::remove_all(tmp_);
  }

  // The county's writer: a durable ledger with this test's id.
  std::unique_ptr<Ledger> OpenWriter(const std::string& name = "writer") {
    LedgerOptions options;
    options.ledger_id = ledger_id_;
    options.time_zone = absl::FixedTimeZone(8 * 3600);
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(options, absl::StrCat(tmp_, "/", name));
    EXPECT_TRUE(ledger.ok()) << ledger.status();
    return ledger.ok() ? std::move(*ledger) : nullptr;
  }

  // A small synthetic county, in batches of `batch_size` events.
  void Generate(Ledger& ledger, int64_t persons, size_t batch_size) {
    SyntheticCountyOptions county;
    county.persons = persons;
    county.days = 20;
    county.batch_size = batch_size;
    absl::StatusOr<SyntheticCountySummary> summary = GenerateSyntheticCounty(
        county, [&](std::vector<v1::LedgerEvent>& batch) {
          return ledger.AppendBatch(batch).status();
        });
    ASSERT_TRUE(summary.ok()) << summary.status();
    summary_ = *summary;
  }

  ShipOptions Ship(size_t max_message_bytes = 512 << 10) const {
    ShipOptions options;
    options.nats = nats_;
    options.max_message_bytes = max_message_bytes;
    return options;
  }

  std::unique_ptr<Follower> Follow(const std::string& directory = "") {
    FollowOptions options;
    options.nats = nats_;
    absl::StatusOr<std::unique_ptr<Follower>> follower = Follower::Open(
        ledger_id_, directory.empty() ? "" : absl::StrCat(tmp_, "/", directory),
        options);
    EXPECT_TRUE(follower.ok()) << follower.status();
    return follower.ok() ? std::move(*follower) : nullptr;
  }

  // Polls until the follower holds `last` (or 30 s pass).
  static void CatchUp(Follower& follower, uint64_t last) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline) {
      absl::StatusOr<uint64_t> applied = follower.Poll(absl::Seconds(1));
      ASSERT_TRUE(applied.ok()) << applied.status();
      if (*applied >= last) return;
    }
    FAIL() << "the follower did not reach event " << last;
  }

  // Publishes `message` straight to the stream, as a forger would.
  void Forge(const v1::ShippedBatches& message, uint64_t expected_last) {
    absl::StatusOr<std::unique_ptr<internal::NatsStream>> stream =
        internal::NatsStream::Connect(nats_, ledger_id_, true);
    ASSERT_TRUE(stream.ok()) << stream.status();
    absl::StatusOr<internal::PublishAck> ack = (*stream)->Publish(
        message.SerializeAsString(), absl::StrCat("forged-", expected_last),
        expected_last);
    ASSERT_TRUE(ack.ok()) << ack.status();
  }

  std::unique_ptr<NatsTestCluster> cluster_;
  std::string tmp_;
  std::string ledger_id_;
  NatsOptions nats_;
  SyntheticCountySummary summary_;
};

// Every event, byte for byte as JSON, and the closed-loop answers at
// several moments.
void ExpectSameLedger(const Ledger& writer, const Ledger& replica,
                      const SyntheticCountySummary& county) {
  ASSERT_EQ(replica.last_sequence_number(), writer.last_sequence_number());
  EXPECT_EQ(replica.ledger_id(), writer.ledger_id());
  for (uint64_t s = 1; s <= writer.last_sequence_number(); ++s) {
    absl::StatusOr<v1::LedgerEvent> a = writer.GetEvent(s);
    absl::StatusOr<v1::LedgerEvent> b = replica.GetEvent(s);
    ASSERT_TRUE(a.ok() && b.ok()) << s;
    ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*a, *b))
        << "event " << s << "\n"
        << a->ShortDebugString() << "\n"
        << b->ShortDebugString();
  }
  const absl::TimeZone zone = writer.time_zone();
  EXPECT_EQ(replica.time_zone(), zone);
  for (int day : {15, 22, 29}) {
    QueryOptions query;
    query.at = absl::FromCivil(absl::CivilHour(2020, 1, day, 20), zone);
    absl::StatusOr<std::unique_ptr<Tracer>> a = Tracer::Create(writer, query);
    absl::StatusOr<std::unique_ptr<Tracer>> b = Tracer::Create(replica, query);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(WriteRosterCsv((*a)->Roster(), zone),
              WriteRosterCsv((*b)->Roster(), zone))
        << "day " << day;
    EXPECT_EQ(WriteLoopsCsv((*a)->OpenLoops(), zone),
              WriteLoopsCsv((*b)->OpenLoops(), zone))
        << "day " << day;
    absl::StatusOr<std::vector<AreaRollupRow>> ra =
        (*a)->AreaRollup(county.county_id);
    absl::StatusOr<std::vector<AreaRollupRow>> rb =
        (*b)->AreaRollup(county.county_id);
    ASSERT_TRUE(ra.ok() && rb.ok());
    EXPECT_EQ(WriteAreaRollupCsv(*ra), WriteAreaRollupCsv(*rb));
  }
}

TEST_F(ReplicationTest, ShipThenFollowGivesTheWritersLedger) {
  std::unique_ptr<Ledger> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  Generate(*writer, 3000, 700);
  // Small messages: batches grouped, and the larger ones split in parts.
  absl::StatusOr<std::unique_ptr<Shipper>> shipper =
      Shipper::Create(absl::StrCat(tmp_, "/writer"), Ship(16 << 10));
  ASSERT_TRUE(shipper.ok()) << shipper.status();
  absl::StatusOr<ShipReport> shipped = (*shipper)->Ship();
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  EXPECT_EQ(shipped->events, writer->last_sequence_number());
  EXPECT_EQ(shipped->head.last_event, writer->last_sequence_number());
  EXPECT_GT(shipped->messages, shipped->batches / 2);
  absl::StatusOr<StreamHead> head = ReadStreamHead(nats_, ledger_id_);
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->messages, shipped->head.messages);
  EXPECT_EQ(head->last_event, writer->last_sequence_number());
  EXPECT_FALSE(head->partial_batch);
  EXPECT_EQ(ReadStreamHead(nats_, "never-shipped").status().code(),
            absl::StatusCode::kNotFound);

  std::unique_ptr<Follower> follower = Follow();
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower, writer->last_sequence_number());
  ExpectSameLedger(*writer, follower->ledger(), summary_);
  absl::StatusOr<FollowerLag> lag = follower->Lag();
  ASSERT_TRUE(lag.ok()) << lag.status();
  EXPECT_EQ(lag->events_behind, 0u);

  // More appends, shipped by the same Shipper: the follower goes on.
  ASSERT_TRUE(writer->Append(PersonIn("late-1", summary_.county_id)).ok());
  ASSERT_TRUE((*shipper)->Ship().ok());
  CatchUp(*follower, writer->last_sequence_number());
  ExpectSameLedger(*writer, follower->ledger(), summary_);
  // The replica refuses appends; a scoped view over it answers.
  EXPECT_EQ(follower->ledger()
                .Append(PersonIn("late-2", summary_.county_id))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<std::unique_ptr<ScopedLedger>> view = ScopedLedger::Create(
      follower->ledger(), summary_.township_ids[0], "reader");
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_FALSE(
      (*view)->PersonsInArea(summary_.township_ids[0], ReadOptions())->empty());
}

// The stream's messages, checked as a follower checks them: each batch
// once, in order, chained; returns how many events they hold.
uint64_t CheckStream(const NatsOptions& nats, const std::string& ledger_id) {
  absl::StatusOr<std::unique_ptr<internal::NatsStream>> stream =
      internal::NatsStream::Connect(nats, ledger_id, false);
  EXPECT_TRUE(stream.ok()) << stream.status();
  if (!stream.ok()) return 0;
  absl::StatusOr<uint64_t> last = (*stream)->LastSequence();
  EXPECT_TRUE(last.ok()) << last.status();
  uint64_t applied = 0;
  internal::ChainHash hash = internal::ZeroHash();
  internal::PendingParts pending;
  for (uint64_t m = 1; last.ok() && m <= *last; ++m) {
    absl::StatusOr<internal::StreamMessage> data = (*stream)->Get(m);
    EXPECT_TRUE(data.ok()) << data.status();
    if (!data.ok()) return 0;
    absl::StatusOr<internal::CheckedMessage> checked = internal::CheckMessage(
        data->data, m, ledger_id, applied, hash, &pending);
    EXPECT_TRUE(checked.ok()) << checked.status();
    if (!checked.ok()) return 0;
    if (!checked->batches.empty()) {
      applied = checked->message.last_sequence();
      hash = checked->hash;
    }
  }
  return applied;
}

TEST_F(ReplicationTest, ShipperKilledAtRandomPointsResumesExactlyOnce) {
  std::unique_ptr<Ledger> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  const std::string dir = absl::StrCat(tmp_, "/writer");
  std::mt19937 random(20200123);
  int killed = 0;
  for (int round = 0; round < 50; ++round) {
    // Batches of 1 to 300 persons.
    std::vector<v1::LedgerEvent> batch;
    if (round == 0) {
      v1::LedgerEvent county;
      county.mutable_area()->set_id("c");
      county.mutable_area()->set_level(v1::AREA_LEVEL_COUNTY);
      batch.push_back(county);
    }
    const int persons = 1 + static_cast<int>(random() % 300);
    for (int i = 0; i < persons; ++i) {
      batch.push_back(PersonIn(absl::StrCat("r", round, "-", i), "c"));
    }
    ASSERT_TRUE(writer->AppendBatch(batch).ok());
    // A shipper process, killed after 0-40 ms: before, while or after it
    // publishes.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      absl::StatusOr<std::unique_ptr<Shipper>> shipper =
          Shipper::Create(dir, Ship(2 << 10));
      if (!shipper.ok()) ::_exit(2);
      ::_exit((*shipper)->Ship().ok() ? 0 : 3);
    }
    absl::SleepFor(absl::Milliseconds(random() % 40));
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    if (WIFSIGNALED(status)) {
      ++killed;
    } else {
      ASSERT_EQ(WEXITSTATUS(status), 0) << "round " << round;
    }
  }
  absl::StatusOr<std::unique_ptr<Shipper>> shipper =
      Shipper::Create(dir, Ship(2 << 10));
  ASSERT_TRUE(shipper.ok()) << shipper.status();
  ASSERT_TRUE((*shipper)->Ship().ok());
  EXPECT_EQ(CheckStream(nats_, ledger_id_), writer->last_sequence_number());
  EXPECT_GT(killed, 10) << "the kills should land mid-work";
  std::unique_ptr<Follower> follower = Follow();
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower, writer->last_sequence_number());
  EXPECT_EQ(follower->ledger().last_sequence_number(),
            writer->last_sequence_number());
}

TEST_F(ReplicationTest, StreamLeaderKilledWhileShippingLosesAndRepeatsNothing) {
  std::unique_ptr<Ledger> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  Generate(*writer, 2000, 100);
  absl::StatusOr<std::unique_ptr<Shipper>> shipper =
      Shipper::Create(absl::StrCat(tmp_, "/writer"), Ship(4 << 10));
  ASSERT_TRUE(shipper.ok()) << shipper.status();
  absl::StatusOr<std::unique_ptr<NatsJetStream>> js = cluster_->Connect();
  ASSERT_TRUE(js.ok()) << js.status();
  absl::StatusOr<int> leader =
      testutil::StreamLeaderNode((*js)->js(), LedgerStreamName(ledger_id_));
  ASSERT_TRUE(leader.ok()) << leader.status();
  js->reset();
  testutil::RestartNodeOnExit restart(*cluster_, *leader);
  // Kill the leader while Ship() publishes the county.
  std::thread killer([&] {
    absl::SleepFor(absl::Milliseconds(50));
    EXPECT_TRUE(cluster_->KillNode(*leader).ok());
  });
  absl::StatusOr<ShipReport> shipped = (*shipper)->Ship();
  killer.join();
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  // More while the node is down, then with it back.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(
        writer->Append(PersonIn(absl::StrCat("down-", i), summary_.county_id))
            .ok());
  }
  ASSERT_TRUE((*shipper)->Ship().ok());
  ASSERT_TRUE(restart.RestartNow().ok());
  ASSERT_TRUE((*shipper)->Ship().ok());
  EXPECT_EQ(CheckStream(nats_, ledger_id_), writer->last_sequence_number());
  std::unique_ptr<Follower> follower = Follow();
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower, writer->last_sequence_number());
  ExpectSameLedger(*writer, follower->ledger(), summary_);
}

TEST_F(ReplicationTest, AnotherDirectoryWithTheSameIdIsRefused) {
  std::unique_ptr<Ledger> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Append(PersonIn("p1", "")).ok());
  ASSERT_TRUE(writer->Append(PersonIn("p2", "")).ok());
  absl::StatusOr<std::unique_ptr<Shipper>> shipper =
      Shipper::Create(absl::StrCat(tmp_, "/writer"), Ship());
  ASSERT_TRUE(shipper.ok()) << shipper.status();
  ASSERT_TRUE((*shipper)->Ship().ok());
  // Same id, same number of events, other content.
  std::unique_ptr<Ledger> impostor = OpenWriter("impostor");
  ASSERT_NE(impostor, nullptr);
  ASSERT_TRUE(impostor->Append(PersonIn("x1", "")).ok());
  ASSERT_TRUE(impostor->Append(PersonIn("x2", "")).ok());
  EXPECT_THAT(
      Shipper::Create(absl::StrCat(tmp_, "/impostor"), Ship()),
      testing::Property(&absl::StatusOr<std::unique_ptr<Shipper>>::status,
                        testing::Property(&absl::Status::message,
                                          HasSubstr("not this log's"))));
  // Fewer events than the stream: the stream is ahead.
  std::unique_ptr<Ledger> behind = OpenWriter("behind");
  ASSERT_NE(behind, nullptr);
  ASSERT_TRUE(behind->Append(PersonIn("p1", "")).ok());
  absl::StatusOr<std::unique_ptr<Shipper>> refused =
      Shipper::Create(absl::StrCat(tmp_, "/behind"), Ship());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("ahead of the log"));
  // The stream still holds the writer's two events only.
  EXPECT_EQ(CheckStream(nats_, ledger_id_), 2u);
}

TEST_F(ReplicationTest, ForgedMessagesStopTheFollowerWithNothingApplied) {
  std::unique_ptr<Ledger> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Append(PersonIn("p1", "")).ok());
  absl::StatusOr<std::unique_ptr<Shipper>> shipper =
      Shipper::Create(absl::StrCat(tmp_, "/writer"), Ship());
  ASSERT_TRUE(shipper.ok()) << shipper.status();
  ASSERT_TRUE((*shipper)->Ship().ok());
  std::unique_ptr<Follower> follower = Follow();
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower, 1);

  // A real continuation, taken apart below.
  ASSERT_TRUE(writer->Append(PersonIn("p2", "")).ok());
  absl::StatusOr<std::unique_ptr<internal::NatsStream>> stream =
      internal::NatsStream::Connect(nats_, ledger_id_, false);
  ASSERT_TRUE(stream.ok());
  absl::StatusOr<internal::StreamMessage> first = (*stream)->Get(1);
  ASSERT_TRUE(first.ok());
  v1::ShippedBatches shipped_one;
  ASSERT_TRUE(shipped_one.ParseFromString(first->data));
  v1::EventBatch batch;
  *batch.add_events() = *writer->GetEvent(2);
  v1::ShippedBatches good;
  good.set_ledger_id(ledger_id_);
  good.set_first_sequence(2);
  good.set_last_sequence(2);
  good.set_previous_hash(shipped_one.hash());
  good.add_batches(batch.SerializeAsString());
  internal::ChainHash previous;
  std::copy(shipped_one.hash().begin(), shipped_one.hash().end(),
            previous.begin());
  good.set_hash(internal::HashBytes(
      internal::ChainNext(previous, 2, 2, good.batches(0))));

  v1::ShippedBatches bad_hash = good;
  bad_hash.set_hash(std::string(32, 'x'));
  Forge(bad_hash, 1);
  absl::StatusOr<uint64_t> polled = follower->Poll(absl::Seconds(5));
  ASSERT_FALSE(polled.ok());
  EXPECT_EQ(polled.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(polled.status().message(), HasSubstr("stream message 2"));
  EXPECT_THAT(polled.status().message(), HasSubstr("chain"));
  EXPECT_EQ(follower->ledger().last_sequence_number(), 1u);
  // It stays stopped; a new follower stops at the same message.
  EXPECT_FALSE(follower->Poll(absl::Milliseconds(10)).ok());
  std::unique_ptr<Follower> again = Follow();
  ASSERT_NE(again, nullptr);
  polled = again->Poll(absl::Seconds(5));
  ASSERT_FALSE(polled.ok());
  EXPECT_EQ(again->ledger().last_sequence_number(), 1u);
  // The writer's shipper refuses a stream someone else wrote to.
  absl::StatusOr<ShipReport> refused = (*shipper)->Ship();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);

  // The other forgeries, each on a stream of its own after one real message.
  struct Forgery {
    const char* name;
    void (*forge)(v1::ShippedBatches*);
    const char* says;
  };
  const Forgery forgeries[] = {
      {"wrong ledger id",
       [](v1::ShippedBatches* m) { m->set_ledger_id("another-county"); },
       "is of ledger 'another-county'"},
      {"a gap",
       [](v1::ShippedBatches* m) {
         m->set_first_sequence(3);
         m->set_last_sequence(3);
       },
       "a gap"},
      {"an event numbered out of place",
       [](v1::ShippedBatches* m) {
         v1::EventBatch b;
         b.ParseFromString(m->batches(0));
         b.mutable_events(0)->set_sequence_number(7);
         m->set_batches(0, b.SerializeAsString());
       },
       "holds event 7 where event 2 belongs"},
  };
  for (const Forgery& forgery : forgeries) {
    SCOPED_TRACE(forgery.name);
    // The writer's first message again, on a new stream.
    std::string id = NatsTestCluster::UniqueName("forged");
    absl::StatusOr<std::unique_ptr<internal::NatsStream>> other =
        internal::NatsStream::Connect(nats_, id, true);
    ASSERT_TRUE(other.ok());
    v1::ShippedBatches real = shipped_one;
    real.set_ledger_id(id);
    ASSERT_TRUE((*other)->Publish(real.SerializeAsString(), "m1", 0).ok());
    v1::ShippedBatches forged = good;
    forged.set_ledger_id(id);
    forgery.forge(&forged);
    ASSERT_TRUE((*other)->Publish(forged.SerializeAsString(), "m2", 1).ok());
    FollowOptions options;
    options.nats = nats_;
    absl::StatusOr<std::unique_ptr<Follower>> f =
        Follower::Open(id, "", options);
    ASSERT_TRUE(f.ok()) << f.status();
    absl::StatusOr<uint64_t> result = (*f)->Poll(absl::Seconds(5));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(result.status().message(), HasSubstr("stream message 2"));
    EXPECT_THAT(result.status().message(), HasSubstr(forgery.says));
    EXPECT_EQ((*f)->ledger().last_sequence_number(), 1u);
    absl::StatusOr<std::unique_ptr<NatsJetStream>> js = cluster_->Connect();
    ASSERT_TRUE(js.ok());
    jsErrCode code = static_cast<jsErrCode>(0);
    js_DeleteStream((*js)->js(), LedgerStreamName(id).c_str(), nullptr, &code);
  }
}

TEST_F(ReplicationTest, FollowerInADirectoryResumesFromItsOwnSnapshot) {
  std::unique_ptr<Ledger> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  Generate(*writer, 1500, 500);
  absl::StatusOr<std::unique_ptr<Shipper>> shipper =
      Shipper::Create(absl::StrCat(tmp_, "/writer"), Ship(8 << 10));
  ASSERT_TRUE(shipper.ok()) << shipper.status();
  ASSERT_TRUE((*shipper)->Ship().ok());
  uint64_t first_part = 0;
  {
    std::unique_ptr<Follower> follower = Follow("replica");
    ASSERT_NE(follower, nullptr);
    CatchUp(*follower, writer->last_sequence_number());
    first_part = follower->ledger().last_sequence_number();
    ASSERT_TRUE(follower->ledger().WriteSnapshot().ok());
  }
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(
        writer->Append(PersonIn(absl::StrCat("later-", i), summary_.county_id))
            .ok());
  }
  ASSERT_TRUE((*shipper)->Ship().ok());
  std::unique_ptr<Follower> follower = Follow("replica");
  ASSERT_NE(follower, nullptr);
  // Reopened from its snapshot, not from the stream's start.
  EXPECT_EQ(follower->ledger().recovery_report().snapshot_sequence, first_part);
  EXPECT_EQ(follower->ledger().last_sequence_number(), first_part);
  absl::StatusOr<FollowerLag> lag = follower->Lag();
  ASSERT_TRUE(lag.ok());
  EXPECT_EQ(lag->events_behind, 30u);
  CatchUp(*follower, writer->last_sequence_number());
  ExpectSameLedger(*writer, follower->ledger(), summary_);
}

TEST_F(ReplicationTest, OneWriterAtATimeAndAPromotedFollowerGoesOn) {
  std::unique_ptr<Ledger> writer = OpenWriter();
  ASSERT_NE(writer, nullptr);
  Generate(*writer, 800, 400);
  const std::string dir = absl::StrCat(tmp_, "/writer");
  ShipOptions a = Ship();
  a.writer = "county-a";
  a.lease = absl::Seconds(2);
  a.writer_ledger = writer.get();
  absl::StatusOr<std::unique_ptr<Shipper>> shipper = Shipper::Create(dir, a);
  ASSERT_TRUE(shipper.ok()) << shipper.status();
  ASSERT_TRUE((*shipper)->Ship().ok());
  const uint64_t shipped = writer->last_sequence_number();

  // A second writer while the first holds the lease.
  ShipOptions b = Ship();
  b.writer = "county-b";
  absl::StatusOr<std::unique_ptr<Shipper>> second = Shipper::Create(dir, b);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(), HasSubstr("written by 'county-a'"));

  std::unique_ptr<Follower> follower = Follow("replica");
  ASSERT_NE(follower, nullptr);
  CatchUp(*follower, shipped);
  // The directory is a replica whoever opens it (its MANIFEST says so).
  {
    absl::StatusOr<std::unique_ptr<Ledger>> opened =
        Ledger::OpenReadOnly(LedgerOptions(), absl::StrCat(tmp_, "/replica"));
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_TRUE((*opened)->options().replica);
  }
  ShipOptions f = Ship();
  f.writer = "command-room";
  absl::StatusOr<Follower::Promoted> early = follower->Promote(f);
  ASSERT_FALSE(early.ok());
  EXPECT_THAT(early.status().message(), HasSubstr("lease has lapsed"));

  // County A goes silent (its machine died) with a tail it never shipped.
  ASSERT_TRUE(writer->Append(PersonIn("unshipped", summary_.county_id)).ok());
  absl::SleepFor(absl::Seconds(2.5));
  follower.reset();  // the first Promote ended it
  follower = Follow("replica");
  ASSERT_NE(follower, nullptr);
  absl::StatusOr<Follower::Promoted> promoted = follower->Promote(f);
  ASSERT_TRUE(promoted.ok()) << promoted.status();
  EXPECT_EQ(promoted->ledger->last_sequence_number(), shipped);
  EXPECT_FALSE(promoted->ledger->options().replica);
  absl::StatusOr<uint64_t> next =
      promoted->ledger->Append(PersonIn("after-fail-over", summary_.county_id));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(*next, shipped + 1);
  absl::StatusOr<ShipReport> after = promoted->shipper->Ship();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->events, 1u);
  EXPECT_EQ(after->head.last_event, shipped + 1);

  // County A comes back: its shipper is fenced, and so are its appends.
  absl::StatusOr<ShipReport> stale = (*shipper)->Ship();
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(stale.status().message(), HasSubstr("fenced"));
  absl::StatusOr<uint64_t> refused =
      writer->Append(PersonIn("too-late", summary_.county_id));
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("fenced"));
  // A new shipper for A's directory is refused too: nothing diverges.
  ShipOptions a_again = a;
  a_again.writer_ledger = nullptr;
  EXPECT_FALSE(Shipper::Create(dir, a_again).ok());
  EXPECT_EQ(CheckStream(nats_, ledger_id_), shipped + 1);

  // Another follower sees the promoted writer's ledger.
  std::unique_ptr<Follower> reader = Follow();
  ASSERT_NE(reader, nullptr);
  CatchUp(*reader, shipped + 1);
  EXPECT_EQ(reader->ledger().GetEvent(shipped + 1)->person().id(),
            "after-fail-over");
}

}  // namespace
}  // namespace contactledger
