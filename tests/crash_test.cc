// Copyright 2026 The ContactLedger Authors.
//
// Crash test on the POSIX Env: a child process appends with sync and is
// killed with SIGKILL at a random moment; the parent reopens the directory and
// checks that
//   - Ledger::Open succeeds without recover_damaged, and what it found damaged
//     is at most a cut-off log tail;
//   - every append the child saw acknowledged is there, with its sequence
//     numbers and its body;
//   - the sequence numbers are 1..last with no gap, and each event is the one
//     the child's (deterministic) plan put at that number;
//   - a batch is there whole or not at all, acknowledged or not;
// and finally that Ledger::Verify finds the directory ok.
//
// Per iteration the child follows a plan derived from (seed, iteration): a
// list of groups, each a single Append or an AppendBatch of 2-5 events, with
// event n of the iteration being an exposure, a person or a health check
// identified by "c<iteration>-<n>" (exposure id, person id, checked person).
// In some iterations the child also calls WriteSnapshot() after a few groups,
// so that kills land inside snapshot writing too. The parent writes a
// snapshot itself every 50 iterations.
//
// The child reports over a pipe: "opened at <last sequence>" after Open, then
// (first n, sequence numbers) after each acknowledged append. The parent
// usually starts its random 0-15 ms timer at "opened", so that the kill lands
// among appends however long replay takes; every 8th iteration it starts the
// timer at fork() and waits only 0-2 ms, so that some kills land inside Open
// (recovery) too.
//
// SIGKILL does not tear a small write(), so to exercise the cut-off tails a
// real crash leaves, every 4th iteration the parent then appends to the
// newest log a torn version of the record the child would have written next
// (a strict prefix of it, a zero-filled block, or the whole record with its
// last byte flipped): Open must cut it off, report it as a truncated tail and
// keep everything before it.
//
// Environment: CONTACTLEDGER_CRASH_ITERATIONS (default 200),
// CONTACTLEDGER_CRASH_SEED (default: from the clock; logged). The test stops
// early, and still passes, once it has run for 60 seconds.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "contactledger/v1/storage.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/log/record_io.h"
#include "tests/ledger_test_util.h"

namespace contactledger {
namespace {

using ::contactledger::testutil::At;
using ::contactledger::testutil::EqualsProto;
using ::contactledger::testutil::MakeExposure;
using ::contactledger::testutil::MakeHealthCheck;
using ::contactledger::testutil::MakePerson;

constexpr int kDefaultIterations = 200;
constexpr double kTimeBudgetSeconds = 60;
constexpr int kParentSnapshotEvery = 50;
constexpr int kMaxKillDelayMicros = 15000;
// A child that somehow outlives its kill point stops appending here.
constexpr int kMaxGroupsPerChild = 20000;

// Child exit codes (the child is normally killed, never exits).
constexpr int kChildOpenFailed = 10;
constexpr int kChildAppendFailed = 11;
constexpr int kChildPipeFailed = 12;
constexpr int kChildSnapshotFailed = 13;
constexpr int kChildPlanDone = 14;

// Pipe messages, native endianness (same machine, same binary). Each message
// is at most 64 bytes, below PIPE_BUF, so a write is all or nothing.
constexpr uint32_t kMsgOpened = 1;  // payload: u64 last sequence number
constexpr uint32_t kMsgAcked =
    2;  // payload: u32 first n, u32 count, u64[count]

// ---------------------------------------------------------------------------
// The plan: what the child of an iteration appends.

struct Plan {
  std::vector<int> group_sizes;   // 1: Append; 2-5: AppendBatch
  int snapshot_after_group = -1;  // the child calls WriteSnapshot after it
};

uint64_t Mix(uint64_t seed, uint64_t iteration) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (iteration + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Plan MakePlan(uint64_t seed, int iteration) {
  std::mt19937_64 random(Mix(seed, static_cast<uint64_t>(iteration)));
  Plan plan;
  plan.group_sizes.reserve(kMaxGroupsPerChild);
  for (int g = 0; g < kMaxGroupsPerChild; ++g) {
    plan.group_sizes.push_back(
        random() % 10 < 6 ? 1 : 2 + static_cast<int>(random() % 4));
  }
  if (random() % 8 == 0) {
    plan.snapshot_after_group = static_cast<int>(random() % 3);
  }
  return plan;
}

std::string EventId(int iteration, int n) {
  return absl::StrCat("c", iteration, "-", n);
}

// Event n of an iteration: an exposure, a person or a health check.
v1::LedgerEvent PlannedEvent(int iteration, int n) {
  const std::string id = EventId(iteration, n);
  const absl::Time time = At(2020, 1, 1) + absl::Minutes(iteration * 997 + n);
  v1::LedgerEvent event;
  switch ((iteration + n) % 3) {
    case 0:
      event = MakeExposure(absl::StrCat("a", id), absl::StrCat("b", id), time,
                           time + absl::Minutes(15));
      event.mutable_exposure()->set_id(id);
      break;
    case 1:
      event = MakePerson(id);
      event.mutable_person()->set_name(absl::StrCat("Person ", n));
      break;
    default:
      event = MakeHealthCheck(id, time, 36.0 + (n % 20) / 10.0);
      break;
  }
  event.set_actor("crash-child");
  return event;
}

// The "c<iteration>-<n>" of an event read back, or false.
bool IdentifyEvent(const v1::LedgerEvent& event, int* iteration, int* n) {
  std::string id;
  switch (event.body_case()) {
    case v1::LedgerEvent::kExposure:
      id = event.exposure().id();
      break;
    case v1::LedgerEvent::kPerson:
      id = event.person().id();
      break;
    case v1::LedgerEvent::kHealthCheck:
      id = event.health_check().person_id();
      break;
    default:
      return false;
  }
  if (id.size() < 2 || id[0] != 'c') return false;
  std::vector<std::string> parts = absl::StrSplit(id.substr(1), '-');
  return parts.size() == 2 && absl::SimpleAtoi(parts[0], iteration) &&
         absl::SimpleAtoi(parts[1], n);
}

// ---------------------------------------------------------------------------
// The child.

bool WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

[[noreturn]] void ChildFail(int code, const std::string& why) {
  const std::string line = absl::StrCat("crash child: ", why, "\n");
  ssize_t ignored = ::write(2, line.data(), line.size());
  (void)ignored;
  _exit(code);
}

[[noreturn]] void RunChild(const std::string& dir, uint64_t seed, int iteration,
                           int pipe_fd) {
  const Plan plan = MakePlan(seed, iteration);
  absl::StatusOr<std::unique_ptr<Ledger>> ledger =
      Ledger::Open(LedgerOptions(), dir);
  if (!ledger.ok()) ChildFail(kChildOpenFailed, ledger.status().ToString());
  {
    char message[12];
    const uint64_t last = (*ledger)->last_sequence_number();
    std::memcpy(message, &kMsgOpened, 4);
    std::memcpy(message + 4, &last, 8);
    if (!WriteAll(pipe_fd, message, sizeof(message))) {
      ChildFail(kChildPipeFailed, "pipe write failed");
    }
  }
  WriteOptions sync;
  sync.sync = true;
  int n = 0;
  std::vector<v1::LedgerEvent> batch;
  for (size_t g = 0; g < plan.group_sizes.size(); ++g) {
    const int size = plan.group_sizes[g];
    const int first_n = n;
    std::vector<uint64_t> sequences;
    if (size == 1) {
      absl::StatusOr<uint64_t> seq =
          (*ledger)->Append(PlannedEvent(iteration, n++), sync);
      if (!seq.ok()) ChildFail(kChildAppendFailed, seq.status().ToString());
      sequences.push_back(*seq);
    } else {
      batch.clear();
      for (int i = 0; i < size; ++i) {
        batch.push_back(PlannedEvent(iteration, n++));
      }
      absl::StatusOr<std::vector<uint64_t>> seqs =
          (*ledger)->AppendBatch(batch, sync);
      if (!seqs.ok()) ChildFail(kChildAppendFailed, seqs.status().ToString());
      sequences = *seqs;
    }
    char message[64];
    const uint32_t first = static_cast<uint32_t>(first_n);
    const uint32_t count = static_cast<uint32_t>(sequences.size());
    std::memcpy(message, &kMsgAcked, 4);
    std::memcpy(message + 4, &first, 4);
    std::memcpy(message + 8, &count, 4);
    std::memcpy(message + 12, sequences.data(), 8 * sequences.size());
    if (!WriteAll(pipe_fd, message, 12 + 8 * sequences.size())) {
      ChildFail(kChildPipeFailed, "pipe write failed");
    }
    if (static_cast<int>(g) == plan.snapshot_after_group) {
      absl::StatusOr<uint64_t> snapshot = (*ledger)->WriteSnapshot();
      if (!snapshot.ok()) {
        ChildFail(kChildSnapshotFailed, snapshot.status().ToString());
      }
    }
  }
  ChildFail(kChildPlanDone, "ran out of plan before being killed");
}

// ---------------------------------------------------------------------------
// The parent.

struct Acked {
  int first_n = 0;
  std::vector<uint64_t> sequences;
};

struct ChildReport {
  bool opened = false;
  uint64_t opened_at = 0;
  std::vector<Acked> acked;
  std::string problem;  // a malformed message stream
};

ChildReport ParseMessages(const std::string& bytes) {
  ChildReport report;
  size_t pos = 0;
  auto take = [&](void* out, size_t size) {
    if (bytes.size() - pos < size) return false;
    std::memcpy(out, bytes.data() + pos, size);
    pos += size;
    return true;
  };
  while (pos < bytes.size()) {
    uint32_t type = 0;
    if (!take(&type, 4)) break;
    if (type == kMsgOpened) {
      if (report.opened || !report.acked.empty() ||
          !take(&report.opened_at, 8)) {
        report.problem = "bad 'opened' message";
        return report;
      }
      report.opened = true;
    } else if (type == kMsgAcked) {
      Acked acked;
      uint32_t first = 0;
      uint32_t count = 0;
      if (!report.opened || !take(&first, 4) || !take(&count, 4) ||
          count == 0 || count > 5) {
        report.problem = "bad 'acked' message";
        return report;
      }
      acked.first_n = static_cast<int>(first);
      acked.sequences.resize(count);
      if (!take(acked.sequences.data(), 8 * count)) {
        report.problem = "cut-off 'acked' message";
        return report;
      }
      report.acked.push_back(std::move(acked));
    } else {
      report.problem = absl::StrCat("unknown message type ", type);
      return report;
    }
  }
  if (pos != bytes.size()) report.problem = "cut-off message";
  return report;
}

// Waits up to `timeout_ms` for `fd` to be readable; reads what is there.
// Returns false at end of file.
bool ReadSome(int fd, std::string* out, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return true;
  char buffer[4096];
  const ssize_t n = ::read(fd, buffer, sizeof(buffer));
  if (n <= 0) return false;
  out->append(buffer, static_cast<size_t>(n));
  return true;
}

std::string TempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string pattern =
      absl::StrCat(base != nullptr && *base != '\0' ? base : "/tmp",
                   "/contactledger-crash-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

void RemoveTree(const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names =
      Env::Default()->GetChildren(dir);
  if (names.ok()) {
    for (const std::string& name : *names) {
      Env::Default()->RemoveFile(absl::StrCat(dir, "/", name)).IgnoreError();
    }
  }
  ::rmdir(dir.c_str());
}

int IntFromEnv(const char* name, int fallback) {
  const char* value = std::getenv(name);
  int parsed = 0;
  if (value != nullptr && absl::SimpleAtoi(value, &parsed) && parsed > 0) {
    return parsed;
  }
  return fallback;
}

uint64_t SeedFromEnv() {
  const char* value = std::getenv("CONTACTLEDGER_CRASH_SEED");
  uint64_t parsed = 0;
  if (value != nullptr && absl::SimpleAtoi(value, &parsed)) return parsed;
  return static_cast<uint64_t>(
      std::chrono::system_clock::now().time_since_epoch().count());
}

// The log whose name sorts last in `dir`, or "".
std::string NewestLog(const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names =
      Env::Default()->GetChildren(dir);
  std::string newest;
  if (!names.ok()) return newest;
  for (const std::string& name : *names) {
    if (absl::EndsWith(name, ".log") && name > newest) newest = name;
  }
  return newest;
}

// Appends to the newest log of `dir` a torn copy of the record holding
// `events` (numbered from `first_sequence`). Returns the log's name, or ""
// when there is no complete log header to append to.
std::string AppendTornRecord(const std::string& dir, int kind,
                             const std::vector<v1::LedgerEvent>& events,
                             uint64_t first_sequence, std::mt19937_64& random) {
  const std::string name = NewestLog(dir);
  if (name.empty()) return "";
  const std::string path = absl::StrCat(dir, "/", name);
  const size_t header_bytes =
      internal::EncodeHeader(
          internal::FileHeader{std::string(internal::kLogMagic),
                               internal::kFormatVersion, 1,
                               "contactledger.v1.EventBatch"})
          .size();
  absl::StatusOr<uint64_t> size = Env::Default()->GetFileSize(path);
  if (!size.ok() || *size < header_bytes) return "";
  v1::EventBatch batch;
  uint64_t sequence = first_sequence;
  for (const v1::LedgerEvent& event : events) {
    v1::LedgerEvent* copy = batch.add_events();
    *copy = event;
    copy->set_sequence_number(sequence++);
    copy->mutable_record_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  }
  std::string record;
  internal::AppendRecord(batch.SerializeAsString(), &record);
  std::string torn;
  switch (kind % 3) {
    case 0:  // a strict prefix: the write stopped part way
      torn = record.substr(0, 1 + random() % (record.size() - 1));
      break;
    case 1:  // blocks allocated but never written
      torn.assign(1 + random() % 64, '\0');
      break;
    default:  // the whole record, its last byte never reached the disk
      torn = record;
      torn.back() = static_cast<char>(torn.back() ^ 0x5a);
      break;
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> file =
      Env::Default()->NewAppendableFile(path);
  if (!file.ok() || !(*file)->Append(torn).ok() || !(*file)->Close().ok()) {
    return "";
  }
  return name;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    ASSERT_FALSE(dir_.empty()) << "mkdtemp: " << std::strerror(errno);
  }
  void TearDown() override {
    if (!HasFailure()) {
      RemoveTree(dir_);
    } else {
      std::printf("crash test: left %s for inspection\n", dir_.c_str());
    }
  }

  // Checks event `sequence` against what the plan put there: event
  // `expected_n` of `expected_iteration`.
  void ExpectPlanned(const Ledger& ledger, uint64_t sequence,
                     int expected_iteration, int expected_n) {
    absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(sequence);
    ASSERT_TRUE(event.ok())
        << "GetEvent(" << sequence << "): " << event.status();
    ASSERT_EQ(event->sequence_number(), sequence);
    int iteration = -1;
    int n = -1;
    ASSERT_TRUE(IdentifyEvent(*event, &iteration, &n))
        << "event " << sequence
        << " is not a crash-child event: " << event->ShortDebugString();
    ASSERT_EQ(iteration, expected_iteration)
        << "event " << sequence << " is " << EventId(iteration, n);
    ASSERT_EQ(n, expected_n)
        << "event " << sequence << " is " << EventId(iteration, n);
    v1::LedgerEvent body = *event;
    body.clear_sequence_number();
    body.clear_record_time();
    ASSERT_THAT(body, EqualsProto(PlannedEvent(iteration, n)))
        << "event " << sequence;
  }

  std::string dir_;
};

TEST_F(CrashTest, SyncedAppendsSurviveSigkill) {
  const int iterations =
      IntFromEnv("CONTACTLEDGER_CRASH_ITERATIONS", kDefaultIterations);
  const uint64_t seed = SeedFromEnv();
  std::printf(
      "crash test: dir %s, %d iterations, seed %llu "
      "(CONTACTLEDGER_CRASH_SEED=%llu reproduces the plans)\n",
      dir_.c_str(), iterations, static_cast<unsigned long long>(seed),
      static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  std::mt19937_64 random(seed);

  // What the parent has verified: model[s] = (iteration, n) of event s.
  std::vector<std::pair<int, int>> model(1);  // model[0] unused
  const auto started = std::chrono::steady_clock::now();
  int done = 0;
  int kills_before_opened = 0;
  int kills_in_appends = 0;
  uint64_t acked_total = 0;
  uint64_t unacked_present_total = 0;
  int tail_repairs = 0;
  int torn_records = 0;
  int child_snapshots = 0;

  for (int iteration = 0; iteration < iterations; ++iteration) {
    const double elapsed = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - started)
                               .count();
    if (elapsed > kTimeBudgetSeconds) {
      std::printf(
          "crash test: stopping after %d iterations: %.1f s time budget "
          "spent\n",
          done, kTimeBudgetSeconds);
      break;
    }
    const uint64_t before = model.size() - 1;
    const Plan plan = MakePlan(seed, iteration);

    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0) << std::strerror(errno);
    ::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);  // best effort
    std::fflush(nullptr);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0) << "fork: " << std::strerror(errno);
    if (child == 0) {
      ::close(fds[0]);
      RunChild(dir_, seed, iteration, fds[1]);
    }
    ::close(fds[1]);
    const int read_fd = fds[0];

    // Start the timer at fork (kill inside Open) or once the child says it
    // has opened the ledger (kill among appends).
    const bool kill_early = iteration % 8 == 7;
    const int delay_us = static_cast<int>(
        random() % ((kill_early ? 2000 : kMaxKillDelayMicros) + 1));
    std::string bytes;
    bool eof = false;
    if (!kill_early) {
      const auto wait_until =
          std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (!eof && bytes.size() < 12 &&
             std::chrono::steady_clock::now() < wait_until) {
        eof = !ReadSome(read_fd, &bytes, 100);
      }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
    ::kill(child, SIGKILL);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
    while (!eof) eof = !ReadSome(read_fd, &bytes, 1000);
    ::close(read_fd);
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
        << "iteration " << iteration << ": the child ended on its own, "
        << (WIFEXITED(wstatus)
                ? absl::StrCat("exit code ", WEXITSTATUS(wstatus))
                : absl::StrCat("signal ", WTERMSIG(wstatus)))
        << " (see its stderr)";

    const ChildReport report = ParseMessages(bytes);
    ASSERT_TRUE(report.problem.empty())
        << "iteration " << iteration << ": " << report.problem;
    if (report.opened) {
      ASSERT_EQ(report.opened_at, before)
          << "iteration " << iteration
          << ": the child opened a different state than the parent verified";
      ++kills_in_appends;
    } else {
      ++kills_before_opened;
    }

    // Every 4th iteration: a torn record after what the child left.
    std::string torn_log;
    if (iteration % 4 == 2) {
      absl::StatusOr<VerifyReport> verify =
          Ledger::Verify(LedgerOptions(), dir_);
      ASSERT_TRUE(verify.ok()) << verify.status();
      uint64_t present = 0;
      size_t next_group = 0;
      while (before + present < verify->last_sequence &&
             next_group < plan.group_sizes.size()) {
        present += static_cast<uint64_t>(plan.group_sizes[next_group++]);
      }
      if (verify->ok() && verify->damage.empty() &&
          before + present == verify->last_sequence) {
        std::vector<v1::LedgerEvent> next;
        for (int i = 0; i < plan.group_sizes[next_group]; ++i) {
          next.push_back(
              PlannedEvent(iteration, static_cast<int>(present) + i));
        }
        torn_log = AppendTornRecord(dir_, iteration / 4, next,
                                    verify->last_sequence + 1, random);
        if (!torn_log.empty()) ++torn_records;
      }
    }

    // Reopen: no damage but a cut-off tail.
    absl::StatusOr<std::unique_ptr<Ledger>> opened =
        Ledger::Open(LedgerOptions(), dir_);
    ASSERT_TRUE(opened.ok())
        << "iteration " << iteration << ": reopen: " << opened.status();
    std::unique_ptr<Ledger> ledger = std::move(*opened);
    for (const DamagedRange& range : ledger->recovery_report().damage) {
      EXPECT_TRUE(range.truncated_tail)
          << "iteration " << iteration << ": damage in " << range.file << " at "
          << range.offset << " (" << range.length
          << " bytes): " << range.reason;
      ++tail_repairs;
    }
    ASSERT_EQ(ledger->recovery_report().lost_events, 0u);
    if (!torn_log.empty()) {
      ASSERT_EQ(ledger->recovery_report().damage.size(), 1u)
          << "iteration " << iteration << ": torn record not reported";
      EXPECT_THAT(ledger->recovery_report().damage[0].file,
                  ::testing::HasSubstr(torn_log));
    }
    const uint64_t last = ledger->last_sequence_number();
    ASSERT_GE(last, before)
        << "iteration " << iteration << ": events verified before are gone";

    // The acknowledged appends: plan order, consecutive numbers after
    // `before`, all present.
    int expected_first_n = 0;
    for (size_t g = 0; g < report.acked.size(); ++g) {
      const Acked& acked = report.acked[g];
      ASSERT_EQ(acked.first_n, expected_first_n)
          << "iteration " << iteration << " group " << g;
      ASSERT_EQ(static_cast<int>(acked.sequences.size()), plan.group_sizes[g])
          << "iteration " << iteration << " group " << g;
      for (size_t i = 0; i < acked.sequences.size(); ++i) {
        const uint64_t expected =
            before + static_cast<uint64_t>(acked.first_n) + i + 1;
        ASSERT_EQ(acked.sequences[i], expected)
            << "iteration " << iteration << " group " << g;
        ASSERT_LE(acked.sequences[i], last)
            << "iteration " << iteration
            << ": an acknowledged synced event is missing after the kill";
      }
      expected_first_n += plan.group_sizes[g];
      acked_total += acked.sequences.size();
    }
    if (plan.snapshot_after_group >= 0 &&
        static_cast<int>(report.acked.size()) > plan.snapshot_after_group) {
      ++child_snapshots;  // the child at least began one
    }

    // The new events: exactly a prefix of whole groups of the plan.
    const uint64_t added = last - before;
    uint64_t whole = 0;
    size_t groups = 0;
    while (whole < added && groups < plan.group_sizes.size()) {
      whole += static_cast<uint64_t>(plan.group_sizes[groups++]);
    }
    ASSERT_EQ(whole, added)
        << "iteration " << iteration << ": a batch is there in part (events "
        << before + 1 << ".." << last << ")";
    ASSERT_GE(groups, report.acked.size());
    unacked_present_total += added - static_cast<uint64_t>(expected_first_n);
    for (uint64_t s = before + 1; s <= last; ++s) {
      ExpectPlanned(*ledger, s, iteration, static_cast<int>(s - before - 1));
      if (HasFatalFailure()) return;
      model.emplace_back(iteration, static_cast<int>(s - before - 1));
    }
    // A batch shares one record time.
    uint64_t s = before + 1;
    for (size_t g = 0; g < groups; ++g) {
      absl::StatusOr<v1::LedgerEvent> first = ledger->GetEvent(s);
      ASSERT_TRUE(first.ok());
      for (int i = 1; i < plan.group_sizes[g]; ++i) {
        absl::StatusOr<v1::LedgerEvent> other = ledger->GetEvent(s + i);
        ASSERT_TRUE(other.ok());
        ASSERT_THAT(other->record_time(), EqualsProto(first->record_time()))
            << "iteration " << iteration << ": batch at " << s;
      }
      s += static_cast<uint64_t>(plan.group_sizes[g]);
    }
    EXPECT_FALSE(ledger->GetEvent(last + 1).ok());

    // Every 10 iterations, everything verified before is still as it was.
    if (iteration % 10 == 9) {
      for (uint64_t t = 1; t <= before; ++t) {
        ExpectPlanned(*ledger, t, model[t].first, model[t].second);
        if (HasFatalFailure()) return;
      }
    }
    if (iteration % kParentSnapshotEvery == kParentSnapshotEvery - 1) {
      absl::StatusOr<uint64_t> snapshot = ledger->WriteSnapshot();
      ASSERT_TRUE(snapshot.ok()) << "iteration " << iteration
                                 << ": WriteSnapshot: " << snapshot.status();
      EXPECT_EQ(*snapshot, last);
    }
    ledger.reset();  // closed before the next fork
    ++done;
  }

  std::printf(
      "crash test: %d iterations (%d killed while opening, %d among "
      "appends), %llu events, %llu acknowledged, %llu present but "
      "unacknowledged, %d torn records injected, %d cut-off tails repaired, "
      "%d child snapshots\n",
      done, kills_before_opened, kills_in_appends,
      static_cast<unsigned long long>(model.size() - 1),
      static_cast<unsigned long long>(acked_total),
      static_cast<unsigned long long>(unacked_present_total), torn_records,
      tail_repairs, child_snapshots);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  if (elapsed <= kTimeBudgetSeconds) {
    EXPECT_GE(done, iterations);
  }
  EXPECT_GT(kills_in_appends, 0);
  EXPECT_GE(tail_repairs, torn_records);

  // The whole directory: a final full check, then Verify.
  {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(LedgerOptions(), dir_);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ASSERT_EQ((*ledger)->last_sequence_number(), model.size() - 1);
    for (uint64_t t = 1; t < model.size(); ++t) {
      ExpectPlanned(**ledger, t, model[t].first, model[t].second);
      if (HasFatalFailure()) return;
    }
  }
  absl::StatusOr<VerifyReport> verify = Ledger::Verify(LedgerOptions(), dir_);
  ASSERT_TRUE(verify.ok()) << verify.status();
  for (const DamagedRange& range : verify->damage) {
    EXPECT_TRUE(range.truncated_tail)
        << range.file << " at " << range.offset << ": " << range.reason;
  }
  for (const std::string& problem : verify->problems) {
    ADD_FAILURE() << "Verify: " << problem;
  }
  EXPECT_TRUE(verify->ok());
  EXPECT_EQ(verify->last_sequence, model.size() - 1);
  EXPECT_EQ(verify->events, model.size() - 1);
}

}  // namespace
}  // namespace contactledger
