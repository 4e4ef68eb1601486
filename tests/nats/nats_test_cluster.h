// Copyright 2026 The ContactLedger Authors.
//
// tests/nats/nats_test_cluster.h: the shared 3-node NATS JetStream cluster
// of the tests, seen from C++ (issue 16).
//
// CTest starts the cluster before the tests that require the fixture
// `nats_cluster` and stops it after them (tests/nats/CMakeLists.txt); each of
// those tests gets two environment variables:
//   CONTACTLEDGER_NATS_DIR     the cluster's directory (DIR/urls: the client
//                              URLs, comma-separated; DIR/nodeN.log: logs)
//   CONTACTLEDGER_NATS_SCRIPT  scripts/nats_cluster.sh, which kills and
//                              restarts single nodes
// The nodes are named n1, n2, n3 (their server_name), node i listening on
// urls()[i - 1].
//
//   absl::StatusOr<NatsTestCluster> cluster =
//   NatsTestCluster::FromEnvironment();
//   absl::StatusOr<std::unique_ptr<NatsJetStream>> nats = cluster->Connect();
//   js_Publish(&ack, (*nats)->js(), "subject", data, size, &options, &code);
//   ...
//   absl::StatusOr<int> leader = StreamLeaderNode((*nats)->js(), "STREAM");
//   RestartNodeOnExit restart(*cluster, *leader);  // the cluster stays whole
//   ASSERT_OK(cluster->KillNode(*leader));
//
// Header-only; link libnats (CMake target contactledger_nats), Abseil's
// status and strings.

#ifndef CONTACTLEDGER_TESTS_NATS_NATS_TEST_CLUSTER_H_
#define CONTACTLEDGER_TESTS_NATS_NATS_TEST_CLUSTER_H_

#include <nats/nats.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace contactledger {
namespace testutil {

// A readable text for a failed libnats call: the status, the JetStream error
// code when there is one, and the thread's last libnats error.
inline std::string NatsErrorText(natsStatus status, int code = 0) {
  std::string text = natsStatus_GetText(status);
  if (code != 0) absl::StrAppend(&text, " (JetStream error ", code, ")");
  const char* last = nats_GetLastError(nullptr);
  if (last != nullptr && *last != '\0') absl::StrAppend(&text, ": ", last);
  return text;
}

// How a test connects. The defaults bound every wait: a test never hangs on
// a cluster that is gone.
struct NatsConnectOptions {
  // Per server tried when connecting. Default: 2 s.
  int64_t connect_timeout_ms = 2000;
  // Reconnect attempts per server after the connection is lost (a node
  // killed). Default: 50, which with reconnect_wait_ms covers an election.
  int max_reconnect = 50;
  // Pause before trying the same server again. Default: 200 ms.
  int64_t reconnect_wait_ms = 200;
  // How long JetStream API calls and synchronous publishes wait for their
  // reply. Default: 5 s (libnats's default).
  int64_t jetstream_wait_ms = 5000;
  // The connection's name, seen in the servers' logs and monitoring.
  std::string name = "contactledger-test";
};

// A connection and its JetStream context; both are destroyed with it.
class NatsJetStream {
 public:
  // Connects to any of `urls` (natsOptions_SetServers: libnats does not
  // split a comma-separated URL) and opens a JetStream context.
  static absl::StatusOr<std::unique_ptr<NatsJetStream>> Connect(
      const std::vector<std::string>& urls,
      const NatsConnectOptions& options = NatsConnectOptions()) {
    natsOptions* opts = nullptr;
    natsStatus s = natsOptions_Create(&opts);
    std::vector<const char*> servers;
    for (const std::string& url : urls) servers.push_back(url.c_str());
    if (s == NATS_OK) {
      s = natsOptions_SetServers(opts, servers.data(),
                                 static_cast<int>(servers.size()));
    }
    if (s == NATS_OK) {
      s = natsOptions_SetTimeout(opts, options.connect_timeout_ms);
    }
    if (s == NATS_OK) s = natsOptions_SetAllowReconnect(opts, true);
    if (s == NATS_OK) {
      s = natsOptions_SetMaxReconnect(opts, options.max_reconnect);
    }
    if (s == NATS_OK) {
      s = natsOptions_SetReconnectWait(opts, options.reconnect_wait_ms);
    }
    if (s == NATS_OK) s = natsOptions_SetName(opts, options.name.c_str());
    natsConnection* nc = nullptr;
    if (s == NATS_OK) s = natsConnection_Connect(&nc, opts);
    natsOptions_Destroy(opts);
    if (s != NATS_OK) {
      return absl::UnavailableError(absl::StrCat("cannot connect to NATS at ",
                                                 absl::StrJoin(urls, ","), ": ",
                                                 NatsErrorText(s)));
    }
    std::unique_ptr<NatsJetStream> result(new NatsJetStream(nc));
    jsOptions js_options;
    jsOptions_Init(&js_options);
    js_options.Wait = options.jetstream_wait_ms;
    s = natsConnection_JetStream(&result->js_, nc, &js_options);
    if (s != NATS_OK) {
      return absl::InternalError(absl::StrCat("cannot open JetStream on ",
                                              absl::StrJoin(urls, ","), ": ",
                                              NatsErrorText(s)));
    }
    return result;
  }

  NatsJetStream(const NatsJetStream&) = delete;
  NatsJetStream& operator=(const NatsJetStream&) = delete;
  ~NatsJetStream() {
    if (js_ != nullptr) jsCtx_Destroy(js_);
    natsConnection_Destroy(nc_);
  }

  natsConnection* connection() const { return nc_; }
  jsCtx* js() const { return js_; }

 private:
  explicit NatsJetStream(natsConnection* nc) : nc_(nc) {}

  natsConnection* nc_;
  jsCtx* js_ = nullptr;
};

// The cluster the fixture started.
class NatsTestCluster {
 public:
  // Reads CONTACTLEDGER_NATS_DIR, CONTACTLEDGER_NATS_SCRIPT and DIR/urls.
  // FailedPrecondition when the test was not given the fixture.
  static absl::StatusOr<NatsTestCluster> FromEnvironment() {
    const char* dir = std::getenv("CONTACTLEDGER_NATS_DIR");
    const char* script = std::getenv("CONTACTLEDGER_NATS_SCRIPT");
    if (dir == nullptr || *dir == '\0' || script == nullptr ||
        *script == '\0') {
      return absl::FailedPreconditionError(
          "CONTACTLEDGER_NATS_DIR and CONTACTLEDGER_NATS_SCRIPT are not set: "
          "run this test through CTest, which starts the NATS cluster "
          "(fixture nats_cluster)");
    }
    const std::string urls_path = absl::StrCat(dir, "/urls");
    std::ifstream in(urls_path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot read ", urls_path,
                       ": did the fixture test nats_cluster_start pass?"));
    }
    std::vector<std::string> urls = absl::StrSplit(
        absl::StripAsciiWhitespace(text.str()), ',', absl::SkipWhitespace());
    if (urls.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(urls_path, " holds no URL"));
    }
    return NatsTestCluster(dir, script, std::move(urls));
  }

  const std::string& dir() const { return dir_; }
  // The client URLs, node i's at [i - 1].
  const std::vector<std::string>& urls() const { return urls_; }
  // The URLs comma-separated, as ledgerctl --nats takes them.
  std::string urls_string() const { return absl::StrJoin(urls_, ","); }
  int num_nodes() const { return static_cast<int>(urls_.size()); }

  // Connects to the whole cluster.
  absl::StatusOr<std::unique_ptr<NatsJetStream>> Connect(
      const NatsConnectOptions& options = NatsConnectOptions()) const {
    return NatsJetStream::Connect(urls_, options);
  }

  // SIGKILLs node `node` (1-based) and waits until it is gone.
  absl::Status KillNode(int node) const { return RunScript("kill", node); }
  // Starts node `node` again with its config and waits until its /healthz
  // says ok (which needs a JetStream meta leader: up to an election).
  absl::Status RestartNode(int node) const {
    return RunScript("restart", node);
  }

  // The node number of a server name ("n2" -> 2), e.g. of a stream's
  // leader (jsStreamInfo Cluster->Leader).
  static absl::StatusOr<int> NodeOfServerName(absl::string_view name) {
    int node = 0;
    if (!absl::ConsumePrefix(&name, "n") || !absl::SimpleAtoi(name, &node) ||
        node < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", name, "' is not a test node's name (n1, n2, ...)"));
    }
    return node;
  }

  // A name no other test run uses, for streams and buckets: PREFIX_<pid>_
  // <microseconds since the epoch>_<counter>. Letters, digits and '_' only.
  static std::string UniqueName(absl::string_view prefix) {
    static std::atomic<int> counter{0};
    return absl::StrCat(prefix, "_", static_cast<int64_t>(getpid()), "_",
                        absl::ToUnixMicros(absl::Now()), "_", counter++);
  }

 private:
  NatsTestCluster(std::string dir, std::string script,
                  std::vector<std::string> urls)
      : dir_(std::move(dir)),
        script_(std::move(script)),
        urls_(std::move(urls)) {}

  static std::string ShellQuote(absl::string_view s) {
    std::string quoted = "'";
    for (char c : s) {
      if (c == '\'') {
        quoted += "'\\''";
      } else {
        quoted += c;
      }
    }
    return quoted + "'";
  }

  absl::Status RunScript(absl::string_view command, int node) const {
    if (node < 1 || node > num_nodes()) {
      return absl::InvalidArgumentError(
          absl::StrCat("no node ", node, " in a cluster of ", num_nodes()));
    }
    const std::string line =
        absl::StrCat("bash ", ShellQuote(script_), " ", command, " ", node, " ",
                     ShellQuote(dir_));
    const int rc = std::system(line.c_str());
    if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
      return absl::InternalError(
          absl::StrCat("`", line, "` failed (wait status ", rc, "); see ", dir_,
                       "/node", node, ".log"));
    }
    return absl::OkStatus();
  }

  std::string dir_;
  std::string script_;
  std::vector<std::string> urls_;
};

// Restarts a node that a fault test kills when it goes out of scope, so that
// the tests after it find the whole cluster even when it fails half-way.
//
//   RestartNodeOnExit restart(cluster, node);
//   ASSERT_OK(cluster.KillNode(node));
//   ...
//   ASSERT_OK(restart.RestartNow());  // or leave it to the destructor
class RestartNodeOnExit {
 public:
  RestartNodeOnExit(const NatsTestCluster& cluster, int node)
      : cluster_(cluster), node_(node) {}
  RestartNodeOnExit(const RestartNodeOnExit&) = delete;
  RestartNodeOnExit& operator=(const RestartNodeOnExit&) = delete;
  ~RestartNodeOnExit() {
    if (!done_) (void)cluster_.RestartNode(node_);
  }

  absl::Status RestartNow() {
    done_ = true;
    return cluster_.RestartNode(node_);
  }

 private:
  const NatsTestCluster& cluster_;
  const int node_;
  bool done_ = false;
};

// The node that leads stream `stream` (its number, from the leader's
// server_name).
inline absl::StatusOr<int> StreamLeaderNode(jsCtx* js,
                                            const std::string& stream) {
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&info, js, stream.c_str(), nullptr, &code);
  if (s != NATS_OK) {
    return absl::UnavailableError(absl::StrCat("no info on stream ", stream,
                                               ": ", NatsErrorText(s, code)));
  }
  std::string leader;
  if (info->Cluster != nullptr && info->Cluster->Leader != nullptr) {
    leader = info->Cluster->Leader;
  }
  jsStreamInfo_Destroy(info);
  if (leader.empty()) {
    return absl::UnavailableError(
        absl::StrCat("stream ", stream, " has no leader now"));
  }
  return NatsTestCluster::NodeOfServerName(leader);
}

}  // namespace testutil
}  // namespace contactledger

#endif  // CONTACTLEDGER_TESTS_NATS_NATS_TEST_CLUSTER_H_
