// Copyright 2026 The ContactLedger Authors.
//
// tests/nats/nats_cluster_test.cc: the test cluster (scripts/nats_cluster.sh,
// started by the CTest fixture nats_cluster) works, and NATS JetStream does
// what the replicated ledger of issue 16 relies on:
//   - a 3-replica file stream that refuses deletes and purges;
//   - exactly-once publishing: a retried publish with the same MsgId is
//     reported as a duplicate with the original sequence, and a publish that
//     expects a stale last sequence is refused (error 10071);
//   - SIGKILL of the stream leader's node: after an election a new leader
//     takes the retried publishes, the killed node catches up when restarted,
//     and every message is there exactly once, in order;
//   - key-value compare-and-set (create, update at a revision, a stale
//     revision refused): the writer's lease.
// Each test makes streams and buckets of its own, with names unique to the
// run, and deletes them at the end.

#include <nats/nats.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/nats/nats_test_cluster.h"

namespace contactledger {
namespace testutil {
namespace {

constexpr int kWrongLastSequence = 10071;  // JSStreamWrongLastSequenceErr

// One synchronous publish's outcome.
struct PublishResult {
  natsStatus status = NATS_OK;
  int error_code = 0;  // jsErrCode, 0 when none
  uint64_t sequence = 0;
  bool duplicate = false;
  std::string error;  // when status is not NATS_OK
};

// Publishes `data` on `subject` with message id `msg_id`, expecting the
// stream's last sequence to be `expect_last_seq`; 0 expects no message yet
// (ExpectLastSeq = 0 means "not set" to libnats, so ExpectNoMessage).
PublishResult Publish(jsCtx* js, const std::string& subject,
                      const std::string& data, const std::string& msg_id,
                      uint64_t expect_last_seq, int64_t max_wait_ms = 5000) {
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MsgId = msg_id.c_str();
  options.MaxWait = max_wait_ms;
  if (expect_last_seq == 0) {
    options.ExpectNoMessage = true;
  } else {
    options.ExpectLastSeq = expect_last_seq;
  }
  jsPubAck* ack = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  PublishResult result;
  result.status = js_Publish(&ack, js, subject.c_str(), data.data(),
                             static_cast<int>(data.size()), &options, &code);
  result.error_code = static_cast<int>(code);
  if (result.status == NATS_OK) {
    result.sequence = ack->Sequence;
    result.duplicate = ack->Duplicate;
  } else {
    result.error = NatsErrorText(result.status, code);
  }
  if (ack != nullptr) jsPubAck_Destroy(ack);
  return result;
}

std::string BatchData(int i) { return absl::StrCat("batch ", i); }

class NatsClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<NatsTestCluster> cluster =
        NatsTestCluster::FromEnvironment();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::make_unique<NatsTestCluster>(*std::move(cluster));
    absl::StatusOr<std::unique_ptr<NatsJetStream>> nats = cluster_->Connect();
    ASSERT_TRUE(nats.ok()) << nats.status();
    nats_ = *std::move(nats);
  }

  void TearDown() override {
    if (nats_ == nullptr) return;
    for (const std::string& stream : streams_) {
      jsErrCode code = static_cast<jsErrCode>(0);
      natsStatus s = js_DeleteStream(js(), stream.c_str(), nullptr, &code);
      EXPECT_EQ(s, NATS_OK)
          << "deleting stream " << stream << ": " << NatsErrorText(s, code);
    }
    for (const std::string& bucket : buckets_) {
      natsStatus s = js_DeleteKeyValue(js(), bucket.c_str());
      EXPECT_EQ(s, NATS_OK)
          << "deleting bucket " << bucket << ": " << NatsErrorText(s);
    }
  }

  jsCtx* js() const { return nats_->js(); }

  // Creates stream `name` on `subject` as a county's stream will be: 3
  // replicas on file storage, no deletes, no purges, a 2-minute duplicate
  // window. Retries for up to 10 s while the cluster cannot place it yet.
  absl::Status AddLedgerStream(const std::string& name,
                               const std::string& subject) {
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    const char* subjects[] = {subject.c_str()};
    config.Name = name.c_str();
    config.Subjects = subjects;
    config.SubjectsLen = 1;
    config.Storage = js_FileStorage;
    config.Replicas = 3;
    config.DenyDelete = true;
    config.DenyPurge = true;
    config.Duplicates = int64_t{120} * 1000 * 1000 * 1000;  // nanoseconds
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (true) {
      jsStreamInfo* info = nullptr;
      jsErrCode code = static_cast<jsErrCode>(0);
      natsStatus s = js_AddStream(&info, js(), &config, nullptr, &code);
      if (info != nullptr) jsStreamInfo_Destroy(info);
      if (s == NATS_OK) {
        streams_.push_back(name);
        return absl::OkStatus();
      }
      if (absl::Now() > deadline) {
        return absl::UnavailableError(absl::StrCat(
            "cannot create stream ", name, ": ", NatsErrorText(s, code)));
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
  }

  // The stream's state, or a failure.
  absl::StatusOr<jsStreamState> StreamState(const std::string& stream) {
    jsStreamInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s =
        js_GetStreamInfo(&info, js(), stream.c_str(), nullptr, &code);
    if (s != NATS_OK) {
      return absl::UnavailableError(absl::StrCat("no info on stream ", stream,
                                                 ": ", NatsErrorText(s, code)));
    }
    jsStreamState state = info->State;
    // Only the counters are used; the pointers die with the info.
    state.Deleted = nullptr;
    state.Lost = nullptr;
    state.Subjects = nullptr;
    jsStreamInfo_Destroy(info);
    return state;
  }

  // OK once the stream has a leader and every other replica is online and
  // current; Unavailable (saying which is not) otherwise.
  absl::Status AllReplicasCurrent(const std::string& stream) {
    jsStreamInfo* info = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s =
        js_GetStreamInfo(&info, js(), stream.c_str(), nullptr, &code);
    if (s != NATS_OK) {
      return absl::UnavailableError(absl::StrCat("no info on stream ", stream,
                                                 ": ", NatsErrorText(s, code)));
    }
    absl::Status status = absl::OkStatus();
    const jsClusterInfo* cluster = info->Cluster;
    if (cluster == nullptr || cluster->Leader == nullptr ||
        cluster->ReplicasLen != 2) {
      status = absl::UnavailableError(
          absl::StrCat("stream ", stream, " has no leader and 2 replicas"));
    } else {
      for (int i = 0; i < cluster->ReplicasLen; ++i) {
        const jsPeerInfo* peer = cluster->Replicas[i];
        if (peer->Offline || !peer->Current) {
          status = absl::UnavailableError(
              absl::StrCat("replica ", peer->Name, " of ", stream, " is ",
                           peer->Offline ? "offline" : "not current", " (lag ",
                           peer->Lag, ")"));
        }
      }
    }
    jsStreamInfo_Destroy(info);
    return status;
  }

  // Reads messages 1..n of `stream` by sequence; expects BatchData(i) at
  // sequence i and nothing after n.
  void ExpectBatchesOnceInOrder(const std::string& stream, int n) {
    for (int i = 1; i <= n; ++i) {
      natsMsg* msg = nullptr;
      jsErrCode code = static_cast<jsErrCode>(0);
      natsStatus s = js_GetMsg(&msg, js(), stream.c_str(),
                               static_cast<uint64_t>(i), nullptr, &code);
      ASSERT_EQ(s, NATS_OK) << "message " << i << " of " << stream << ": "
                            << NatsErrorText(s, code);
      EXPECT_EQ(natsMsg_GetSequence(msg), static_cast<uint64_t>(i));
      EXPECT_EQ(std::string(natsMsg_GetData(msg), natsMsg_GetDataLength(msg)),
                BatchData(i));
      natsMsg_Destroy(msg);
    }
    natsMsg* msg = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = js_GetMsg(&msg, js(), stream.c_str(),
                             static_cast<uint64_t>(n) + 1, nullptr, &code);
    EXPECT_NE(s, NATS_OK) << "a message after " << n << " in " << stream;
    if (msg != nullptr) natsMsg_Destroy(msg);
    absl::StatusOr<jsStreamState> state = StreamState(stream);
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_EQ(state->Msgs, static_cast<uint64_t>(n));
    EXPECT_EQ(state->FirstSeq, uint64_t{1});
    EXPECT_EQ(state->LastSeq, static_cast<uint64_t>(n));
  }

  std::unique_ptr<NatsTestCluster> cluster_;
  std::unique_ptr<NatsJetStream> nats_;
  std::vector<std::string> streams_;  // deleted in TearDown
  std::vector<std::string> buckets_;  // deleted in TearDown
};

TEST_F(NatsClusterTest, EveryNodeServesJetStream) {
  ASSERT_EQ(cluster_->num_nodes(), 3);
  for (int node = 1; node <= cluster_->num_nodes(); ++node) {
    const std::string& url = cluster_->urls()[node - 1];
    EXPECT_TRUE(absl::StartsWith(url, "nats://127.0.0.1:")) << url;
    absl::StatusOr<std::unique_ptr<NatsJetStream>> one =
        NatsJetStream::Connect({url});
    ASSERT_TRUE(one.ok()) << one.status();
    jsAccountInfo* account = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    natsStatus s = js_GetAccountInfo(&account, (*one)->js(), nullptr, &code);
    EXPECT_EQ(s, NATS_OK) << "node n" << node << " at " << url << ": "
                          << NatsErrorText(s, code);
    if (account != nullptr) jsAccountInfo_Destroy(account);
  }
  EXPECT_EQ(NatsTestCluster::NodeOfServerName("n2").value_or(0), 2);
  EXPECT_FALSE(NatsTestCluster::NodeOfServerName("nats-2").ok());
}

TEST_F(NatsClusterTest, PublishIsExactlyOnceByMsgIdAndExpectedSequence) {
  const std::string stream = NatsTestCluster::UniqueName("CLTEST_ONCE");
  const std::string subject = absl::StrCat("cltest.", stream, ".events");
  const absl::Status added = AddLedgerStream(stream, subject);
  ASSERT_TRUE(added.ok()) << added;

  PublishResult first = Publish(js(), subject, BatchData(1), "id-1", 0);
  ASSERT_EQ(first.status, NATS_OK) << first.error;
  EXPECT_EQ(first.sequence, 1u);
  EXPECT_FALSE(first.duplicate);
  PublishResult second = Publish(js(), subject, BatchData(2), "id-2", 1);
  ASSERT_EQ(second.status, NATS_OK) << second.error;
  EXPECT_EQ(second.sequence, 2u);
  EXPECT_FALSE(second.duplicate);

  // Retries, as after a lost acknowledgement: the same message id with the
  // same expectation is a duplicate at the original sequence, not stored
  // again and not refused.
  PublishResult retry = Publish(js(), subject, BatchData(2), "id-2", 1);
  ASSERT_EQ(retry.status, NATS_OK) << retry.error;
  EXPECT_TRUE(retry.duplicate);
  EXPECT_EQ(retry.sequence, 2u);
  PublishResult retry_first = Publish(js(), subject, BatchData(1), "id-1", 0);
  ASSERT_EQ(retry_first.status, NATS_OK) << retry_first.error;
  EXPECT_TRUE(retry_first.duplicate);
  EXPECT_EQ(retry_first.sequence, 1u);

  // A writer that is behind the stream (a fenced former writer) is refused,
  // whether it expects a stale sequence or an empty stream.
  PublishResult stale = Publish(js(), subject, BatchData(3), "id-3", 1);
  EXPECT_NE(stale.status, NATS_OK);
  EXPECT_EQ(stale.error_code, kWrongLastSequence) << stale.error;
  PublishResult stale_empty = Publish(js(), subject, BatchData(3), "id-3", 0);
  EXPECT_NE(stale_empty.status, NATS_OK);
  EXPECT_EQ(stale_empty.error_code, kWrongLastSequence) << stale_empty.error;
  // The refused message id was not remembered: the right expectation goes.
  PublishResult third = Publish(js(), subject, BatchData(3), "id-3", 2);
  ASSERT_EQ(third.status, NATS_OK) << third.error;
  EXPECT_EQ(third.sequence, 3u);
  EXPECT_FALSE(third.duplicate);

  // The stream refuses deletes and purges.
  jsErrCode code = static_cast<jsErrCode>(0);
  EXPECT_NE(js_DeleteMsg(js(), stream.c_str(), 1, nullptr, &code), NATS_OK);
  EXPECT_NE(js_PurgeStream(js(), stream.c_str(), nullptr, &code), NATS_OK);

  ExpectBatchesOnceInOrder(stream, 3);
}

TEST_F(NatsClusterTest, StreamLeaderKilledLosesNothing) {
  const std::string stream = NatsTestCluster::UniqueName("CLTEST_FAILOVER");
  const std::string subject = absl::StrCat("cltest.", stream, ".events");
  const absl::Status added = AddLedgerStream(stream, subject);
  ASSERT_TRUE(added.ok()) << added;
  constexpr int kBefore = 10;
  constexpr int kTotal = 20;
  uint64_t last = 0;
  for (int i = 1; i <= kBefore; ++i) {
    PublishResult r =
        Publish(js(), subject, BatchData(i), absl::StrCat("id-", i), last);
    ASSERT_EQ(r.status, NATS_OK) << "batch " << i << ": " << r.error;
    ASSERT_EQ(r.sequence, last + 1);
    last = r.sequence;
  }

  absl::StatusOr<int> leader = StreamLeaderNode(js(), stream);
  ASSERT_TRUE(leader.ok()) << leader.status();
  RestartNodeOnExit restart(*cluster_, *leader);
  const absl::Time killed = absl::Now();
  const absl::Status kill = cluster_->KillNode(*leader);
  ASSERT_TRUE(kill.ok()) << kill;

  // Keep publishing, each batch retried with its id and expectation until a
  // leader takes it; a retry of a batch that was stored after all is a
  // duplicate at the expected sequence.
  const absl::Time deadline = killed + absl::Seconds(20);
  absl::Duration failover = absl::ZeroDuration();
  int attempts = 0;
  std::vector<std::pair<std::string, int>> errors;  // in turn, how often
  for (int i = kBefore + 1; i <= kTotal; ++i) {
    while (true) {
      ++attempts;
      PublishResult r =
          Publish(js(), subject, BatchData(i), absl::StrCat("id-", i), last,
                  /*max_wait_ms=*/1000);
      if (r.status == NATS_OK) {
        ASSERT_EQ(r.sequence, last + 1) << "batch " << i;
        last = r.sequence;
        if (failover == absl::ZeroDuration()) failover = absl::Now() - killed;
        break;
      }
      // Refused because the stream moved: something was stored that this
      // writer does not know of. Never expected here.
      ASSERT_NE(r.error_code, kWrongLastSequence)
          << "batch " << i << ": " << r.error;
      ASSERT_LT(absl::Now(), deadline)
          << "no leader took batch " << i << " within 20 s of killing n"
          << *leader << ": " << r.error;
      if (errors.empty() || errors.back().first != r.error) {
        errors.emplace_back(r.error, 0);
      }
      ++errors.back().second;
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  std::cout << "killed stream leader n" << *leader << "; a new leader took "
            << "publishes after " << absl::FormatDuration(failover) << " ("
            << attempts << " publish attempts for " << kTotal - kBefore
            << " batches)" << std::endl;
  for (const auto& [error, count] : errors) {
    std::cout << "  " << count << " x " << error << std::endl;
  }
  RecordProperty("failover_ms",
                 static_cast<int>(absl::ToInt64Milliseconds(failover)));

  const absl::Time restart_begin = absl::Now();
  const absl::Status restarted = restart.RestartNow();
  ASSERT_TRUE(restarted.ok()) << restarted;
  // The restarted node catches up: every replica is current again.
  absl::Status current = AllReplicasCurrent(stream);
  const absl::Time current_deadline = absl::Now() + absl::Seconds(15);
  while (!current.ok() && absl::Now() < current_deadline) {
    absl::SleepFor(absl::Milliseconds(100));
    current = AllReplicasCurrent(stream);
  }
  EXPECT_TRUE(current.ok()) << current;
  std::cout << "restarted n" << *leader << "; all replicas current after "
            << absl::FormatDuration(absl::Now() - restart_begin) << std::endl;

  ExpectBatchesOnceInOrder(stream, kTotal);
}

TEST_F(NatsClusterTest, KeyValueCompareAndSet) {
  const std::string bucket = NatsTestCluster::UniqueName("CLTEST_LEASE");
  kvConfig config;
  kvConfig_Init(&config);
  config.Bucket = bucket.c_str();
  config.History = 1;
  config.StorageType = js_FileStorage;
  config.Replicas = 3;
  kvStore* kv = nullptr;
  natsStatus s = NATS_OK;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while ((s = js_CreateKeyValue(&kv, js(), &config)) != NATS_OK &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  ASSERT_EQ(s, NATS_OK) << "creating bucket " << bucket << ": "
                        << NatsErrorText(s);
  buckets_.push_back(bucket);
  std::unique_ptr<kvStore, void (*)(kvStore*)> kv_owner(kv, &kvStore_Destroy);

  // Taking the lease: create succeeds once, for one writer only.
  uint64_t taken = 0;
  s = kvStore_CreateString(&taken, kv, "writer", "node-a");
  ASSERT_EQ(s, NATS_OK) << NatsErrorText(s);
  EXPECT_GT(taken, 0u);
  uint64_t unused = 0;
  s = kvStore_CreateString(&unused, kv, "writer", "node-b");
  EXPECT_NE(s, NATS_OK) << "a second create of the lease";

  // Renewing it: an update at the revision read.
  uint64_t renewed = 0;
  s = kvStore_UpdateString(&renewed, kv, "writer", "node-a renewed", taken);
  ASSERT_EQ(s, NATS_OK) << NatsErrorText(s);
  EXPECT_GT(renewed, taken);

  // A writer holding a stale revision is refused.
  s = kvStore_UpdateString(&unused, kv, "writer", "node-b", taken);
  EXPECT_NE(s, NATS_OK) << "an update at a stale revision";
  if (s != NATS_OK) {
    EXPECT_TRUE(absl::StrContains(NatsErrorText(s), "wrong last sequence"))
        << NatsErrorText(s);
  }

  kvEntry* entry = nullptr;
  s = kvStore_Get(&entry, kv, "writer");
  ASSERT_EQ(s, NATS_OK) << NatsErrorText(s);
  EXPECT_EQ(std::string(kvEntry_ValueString(entry)), "node-a renewed");
  EXPECT_EQ(kvEntry_Revision(entry), renewed);
  kvEntry_Destroy(entry);
}

}  // namespace
}  // namespace testutil
}  // namespace contactledger
