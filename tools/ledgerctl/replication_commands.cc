// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl ship, follow, promote and status (replication_commands.h): a
// ledger directory's log published to the ledger's NATS JetStream stream, a
// read-only replica kept from the stream in another directory, a replica
// made the writer when its writer is gone, and where a directory stands
// against its stream.
//
// ship and follow run until SIGINT or SIGTERM (each ends what it is doing,
// a Ship() or a Poll(), and exits 0), or with --once until there is nothing
// more to do. Any error ends them with exit 1; run them again and they go on
// from where the stream and the directory stand (the Shipper and Follower
// compare them when they start).
//
// status reads the stream's head with the replication layer's stream client
// (lib/replication/nats_stream.h), which finds a stream without creating it:
// the public Shipper and Follower create the stream when it is missing.

#include "tools/ledgerctl/replication_commands.h"

#include <signal.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/ledger.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/open_ledger.h"
#include "tools/ledgerctl/output.h"

#ifdef CONTACTLEDGER_WITH_REPLICATION
#include "contactledger/replication.h"
#endif

namespace contactledger {
namespace ledgerctl {

bool IsReplicaCommand(absl::string_view name) {
  return name == "ship" || name == "follow" || name == "promote" ||
         name == "status";
}

namespace {

// The record time of a ledger's event, from its envelope.
absl::Time RecordTimeOf(const Ledger& ledger, uint64_t sequence) {
  if (sequence == 0) return absl::InfinitePast();
  absl::StatusOr<v1::LedgerEvent> event = ledger.GetEvent(sequence);
  if (!event.ok() || !event->has_record_time()) return absl::InfinitePast();
  return absl::FromUnixSeconds(event->record_time().seconds()) +
         absl::Nanoseconds(event->record_time().nanos());
}

std::string TimeText(absl::Time time, absl::TimeZone zone) {
  if (time == absl::InfinitePast()) return "-";
  return absl::FormatTime(absl::RFC3339_full, time, zone);
}

#ifdef CONTACTLEDGER_WITH_REPLICATION

// --- Stopping on SIGINT and SIGTERM --------------------------------------

// The signal that asked to stop (0: none yet). A second one kills: the
// handler is reset after the first (SA_RESETHAND).
volatile std::sig_atomic_t stop_signal = 0;

extern "C" void OnStopSignal(int signal_number) { stop_signal = signal_number; }

void CatchStopSignals() {
  struct sigaction action = {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool StopAsked() { return stop_signal != 0; }

std::string StopSignalName() {
  return stop_signal == SIGINT ? "SIGINT" : "SIGTERM";
}

// Sleeps for `duration`, or until a stop signal came.
void SleepUnlessStopped(absl::Duration duration) {
  const absl::Time deadline = absl::Now() + duration;
  while (!StopAsked()) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return;
    absl::SleepFor(std::min(left, absl::Milliseconds(50)));
  }
}

// "event 7" or "events 7-9".
std::string EventsText(uint64_t first, uint64_t last) {
  if (first == last) return absl::StrCat("event ", first);
  return absl::StrCat("events ", first, "-", last);
}

// "1 message", "3 messages".
std::string MessagesText(uint64_t count) {
  return absl::StrCat(count, count == 1 ? " message" : " messages");
}

// A line of a command that runs on: written at once, also into a pipe or
// file (a script or a log reading it as it goes).
void PrintNow(absl::string_view line) {
  Print(line);
  std::fflush(stdout);
}

// --- The cluster and the stream --------------------------------------------

// Where a directory stands against its stream: the status line "lag: ...".
std::string LagText(uint64_t directory_last, uint64_t stream_last) {
  const auto events = [](uint64_t n) {
    return absl::StrCat(n, n == 1 ? " event" : " events");
  };
  if (directory_last > stream_last) {
    return absl::StrCat("log ahead of the stream by ",
                        events(directory_last - stream_last),
                        " (not shipped yet)");
  }
  if (stream_last > directory_last) {
    return absl::StrCat("stream ahead of this directory by ",
                        events(stream_last - directory_last));
  }
  return absl::StrCat("none (the directory and the stream both end at event ",
                      stream_last, ")");
}

// --nats URLS: the client URLs, comma-separated, into options->servers.
// Returns 0, or prints the usage error and returns kExitUsage.
int NatsFlag(const Invocation& inv, NatsOptions* options) {
  options->servers.clear();
  for (absl::string_view url : absl::StrSplit(inv.Get("nats"), ',')) {
    url = absl::StripAsciiWhitespace(url);
    if (!url.empty()) options->servers.emplace_back(url);
  }
  if (options->servers.empty()) {
    return UsageError(inv,
                      "--nats: give the cluster's client URLs, "
                      "comma-separated: nats://HOST:PORT,nats://HOST:PORT");
  }
  return kExitOk;
}

// LedgerOptions::ledger_id's characters: 1 to 64 letters, digits, '-', '_'.
bool ValidLedgerId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_') {
      return false;
    }
  }
  return true;
}

// What a ledger's stream holds, read without creating the stream.
struct StreamState {
  bool exists = false;
  StreamHead head;
};

absl::StatusOr<StreamState> ReadStream(const NatsOptions& nats,
                                       const std::string& ledger_id) {
  StreamState state;
  absl::StatusOr<StreamHead> head = ReadStreamHead(nats, ledger_id);
  if (absl::IsNotFound(head.status())) return state;
  if (!head.ok()) return head.status();
  state.exists = true;
  state.head = *head;
  return state;
}

std::string HeadText(const StreamHead& head) {
  return absl::StrCat(MessagesText(head.messages), ", last event ",
                      head.last_event);
}

// The directory of a command that reads an existing ledger's files.
int CheckDirectory(const Invocation& inv) {
  const std::string& dir = inv.dir();
  if (!Env::Default()->FileExists(dir)) {
    return Failed(inv, absl::StrCat("no ledger directory '", dir, "'"));
  }
  if (!HoldsLedger(dir)) {
    return Failed(inv, absl::StrCat("'", dir,
                                    "' holds no ledger (no MANIFEST); check "
                                    "the path"));
  }
  return kExitOk;
}

#else  // !CONTACTLEDGER_WITH_REPLICATION

int WithoutNats(const Invocation& inv) {
  return Failed(inv,
                "this ledgerctl was built without NATS (libnats): ship, "
                "follow and status --nats need it (Debian: libnats-dev, "
                "installed by scripts/install-deps.sh; then build again)");
}

#endif  // CONTACTLEDGER_WITH_REPLICATION

}  // namespace

#ifdef CONTACTLEDGER_WITH_REPLICATION

int RunShip(const Invocation& inv) {
  ShipOptions options;
  if (int rc = NatsFlag(inv, &options.nats); rc != kExitOk) return rc;
  absl::Duration interval = absl::Milliseconds(200);
  if (inv.Has("interval") &&
      (!absl::ParseDuration(inv.Get("interval"), &interval) ||
       interval <= absl::ZeroDuration())) {
    return UsageError(inv, absl::StrCat("--interval: '", inv.Get("interval"),
                                        "' is not a duration above zero, "
                                        "e.g. 200ms, 2s or 1m"));
  }
  if (inv.Has("lease") &&
      (!absl::ParseDuration(inv.Get("lease"), &options.lease) ||
       options.lease < absl::Seconds(1))) {
    return UsageError(inv, absl::StrCat("--lease: '", inv.Get("lease"),
                                        "' is not a duration of 1s or more, "
                                        "e.g. 10s or 1m"));
  }
  if (int rc = CheckDirectory(inv); rc != kExitOk) return rc;
  absl::StatusOr<std::unique_ptr<Shipper>> shipper =
      Shipper::Create(inv.dir(), options);
  if (!shipper.ok()) return Failed(inv, shipper.status());
  const std::string stream = LedgerStreamName((*shipper)->ledger_id());

  auto ship = [&]() -> absl::Status {
    absl::StatusOr<ShipReport> report = (*shipper)->Ship();
    if (!report.ok()) return report.status();
    if (report->events > 0) {
      PrintNow(
          absl::StrCat("shipped ",
                       EventsText(report->head.last_event - report->events + 1,
                                  report->head.last_event),
                       " in ", MessagesText(report->messages), " (stream ",
                       stream, ": ", HeadText(report->head), ")\n"));
    } else if (inv.Has("once")) {
      PrintNow(absl::StrCat("nothing to ship (stream ", stream, ": ",
                            HeadText(report->head), ")\n"));
    }
    return absl::OkStatus();
  };

  if (inv.Has("once")) {
    if (absl::Status s = ship(); !s.ok()) return Failed(inv, s);
    return kExitOk;
  }
  CatchStopSignals();
  PrintNow(absl::StrCat("shipping ledger ", (*shipper)->ledger_id(), " from ",
                        inv.dir(), " to stream ", stream, " (",
                        HeadText((*shipper)->head()),
                        ") until SIGINT or SIGTERM\n"));
  while (!StopAsked()) {
    if (absl::Status s = ship(); !s.ok()) return Failed(inv, s);
    SleepUnlessStopped(interval);
  }
  PrintNow(absl::StrCat("stopped by ", StopSignalName(), " (stream ", stream,
                        ": ", HeadText((*shipper)->head()), ")\n"));
  return kExitOk;
}

int RunFollow(const Invocation& inv) {
  FollowOptions options;
  if (int rc = NatsFlag(inv, &options.nats); rc != kExitOk) return rc;
  const std::string id = inv.Get("ledger");
  if (!ValidLedgerId(id)) {
    return UsageError(inv, absl::StrCat("--ledger: '", id,
                                        "' is not a ledger id (1 to 64 "
                                        "letters, digits, '-' and '_'; "
                                        "'ledgerctl status DIR' prints a "
                                        "ledger's)"));
  }
  const std::string& dir = inv.dir();
  const std::string stream = LedgerStreamName(id);
  // The stream must be there: the Follower would create an empty one for
  // an id that was never shipped (a mistyped --ledger), and wait on it.
  absl::StatusOr<StreamState> state = ReadStream(options.nats, id);
  if (!state.ok()) return Failed(inv, state.status());
  if (!state->exists) {
    return Failed(inv, absl::StrCat("no stream ", stream,
                                    " on the cluster: nothing of ledger '", id,
                                    "' was shipped there (check --ledger "
                                    "against 'ledgerctl status WRITER_DIR'; "
                                    "'ledgerctl ship' creates the stream)"));
  }
  absl::StatusOr<std::unique_ptr<Follower>> opened =
      Follower::Open(id, dir, options);
  if (!opened.ok()) return Failed(inv, OpenError(dir, opened.status()));
  Follower& follower = **opened;
  Ledger& replica = follower.ledger();
  const uint64_t at_open = replica.last_sequence_number();
  const bool once = inv.Has("once");
  if (!once) {
    CatchStopSignals();
    PrintNow(absl::StrCat("following stream ", stream, " into ", dir,
                          " from event ", at_open,
                          " until SIGINT or SIGTERM\n"));
  }

  absl::Status result;
  FollowerLag lag;
  // --once: how many polls in a row may bring nothing while the stream says
  // it holds more (an election takes seconds; a shipper killed between the
  // parts of a large batch leaves a stream that ends inside it).
  constexpr int kEmptyPollsAllowed = 30;
  int empty_polls = 0;
  while (true) {
    const uint64_t before = replica.last_sequence_number();
    if (once) {
      absl::StatusOr<FollowerLag> now = follower.Lag();
      if (!now.ok()) {
        result = now.status();
        break;
      }
      lag = *now;
      if (lag.events_behind == 0) break;
    }
    absl::StatusOr<uint64_t> applied = follower.Poll(absl::Seconds(1));
    if (!applied.ok()) {
      result = applied.status();
      break;
    }
    if (*applied == before && once && ++empty_polls >= kEmptyPollsAllowed) {
      result = absl::DeadlineExceededError(absl::StrCat(
          "stream ", stream, " ends at event ", lag.stream_last,
          " but nothing after event ", *applied, " came in ",
          kEmptyPollsAllowed, " s (the rest of a batch shipped in parts?)"));
      break;
    }
    if (*applied > before) {
      empty_polls = 0;
      absl::StatusOr<FollowerLag> now = follower.Lag();
      if (!now.ok()) {
        result = now.status();
        break;
      }
      lag = *now;
      PrintNow(absl::StrCat(
          "applied ", EventsText(before + 1, *applied), " (replica at event ",
          *applied, ", stream at event ", std::max(lag.stream_last, *applied),
          ": ", lag.events_behind, " events behind)\n"));
    }
    if (!once && StopAsked()) break;
  }

  // What was applied is in the replica's log; a snapshot makes the next
  // open quick. Also after an error: everything applied was checked.
  const uint64_t last = replica.last_sequence_number();
  if (last > at_open) {
    absl::StatusOr<uint64_t> snapshot = replica.WriteSnapshot();
    if (!snapshot.ok()) {
      if (result.ok()) result = snapshot.status();
    } else {
      PrintNow(absl::StrCat("snapshot of the replica at event ", *snapshot,
                            " written\n"));
    }
  }
  if (!result.ok()) return Failed(inv, result);
  if (once) {
    PrintNow(absl::StrCat("replica of ledger ", id, " in ", dir, " at event ",
                          last, ", the end of stream ", stream, "\n"));
  } else {
    PrintNow(absl::StrCat("stopped by ", StopSignalName(),
                          " (replica at event ", last, ")\n"));
  }
  return kExitOk;
}

int RunPromote(const Invocation& inv) {
  ShipOptions options;
  if (int rc = NatsFlag(inv, &options.nats); rc != kExitOk) return rc;
  if (int rc = CheckDirectory(inv); rc != kExitOk) return rc;
  const std::string& dir = inv.dir();
  std::string id;
  {
    std::unique_ptr<Ledger> ledger;
    if (int rc = OpenLedger(inv, &ledger, OpenMode::kReadOnly); rc != kExitOk) {
      return rc;
    }
    if (!ledger->options().replica) {
      return Failed(inv, absl::StrCat("'", dir,
                                      "' is not a replica (its MANIFEST): it "
                                      "is a writer's directory already"));
    }
    id = ledger->ledger_id();
  }
  FollowOptions follow;
  follow.nats = options.nats;
  absl::StatusOr<std::unique_ptr<Follower>> follower =
      Follower::Open(id, dir, follow);
  if (!follower.ok()) return Failed(inv, OpenError(dir, follower.status()));
  absl::StatusOr<Follower::Promoted> promoted = (*follower)->Promote(options);
  if (!promoted.ok()) return Failed(inv, promoted.status());
  // The lease is this directory's now; the first Ship() renews it.
  absl::StatusOr<ShipReport> shipped = promoted->shipper->Ship();
  if (!shipped.ok()) return Failed(inv, shipped.status());
  const uint64_t last = promoted->ledger->last_sequence_number();
  PrintNow(absl::StrCat(
      "promoted ", dir, ": the writer of ledger ", id, " from event ", last,
      " (stream ", LedgerStreamName(id), ": ", HeadText(shipped->head),
      "); record here now, and run 'ledgerctl ship ", dir,
      " --nats URLS' within ", absl::FormatDuration(options.lease),
      " to keep the lease\n"));
  return kExitOk;
}

#else  // !CONTACTLEDGER_WITH_REPLICATION

int RunShip(const Invocation& inv) { return WithoutNats(inv); }
int RunFollow(const Invocation& inv) { return WithoutNats(inv); }
int RunPromote(const Invocation& inv) { return WithoutNats(inv); }

#endif  // CONTACTLEDGER_WITH_REPLICATION

int RunStatus(const Invocation& inv) {
#ifdef CONTACTLEDGER_WITH_REPLICATION
  NatsOptions nats;
  if (inv.Has("nats")) {
    if (int rc = NatsFlag(inv, &nats); rc != kExitOk) return rc;
  }
#else
  if (inv.Has("nats")) return WithoutNats(inv);
#endif
  std::unique_ptr<Ledger> ledger;
  if (int rc = OpenLedger(inv, &ledger, OpenMode::kReadOnly); rc != kExitOk) {
    return rc;
  }
  const std::string& id = ledger->ledger_id();
  const uint64_t last = ledger->last_sequence_number();
  const absl::TimeZone zone = ledger->time_zone();
  std::string text = absl::StrCat(
      "directory: ", inv.dir(), "\n", "ledger id: ", id.empty() ? "-" : id,
      "\n", "role: ",
      ledger->options().replica ? "replica (follow keeps it; promote makes it "
                                  "the writer)"
                                : "writer",
      "\n", "last event: ", last, "\n",
      "last record time: ", TimeText(RecordTimeOf(*ledger, last), zone), "\n");
#ifdef CONTACTLEDGER_WITH_REPLICATION
  if (inv.Has("nats")) {
    if (id.empty()) {
      Print(text);
      return Failed(inv, absl::StrCat("'", inv.dir(),
                                      "' records no ledger id in its "
                                      "MANIFEST, so it has no stream"));
    }
    absl::StatusOr<StreamState> state = ReadStream(nats, id);
    if (!state.ok()) {
      Print(text);
      return Failed(inv, state.status());
    }
    const std::string stream = LedgerStreamName(id);
    if (!state->exists) {
      absl::StrAppend(&text, "stream: ", stream,
                      " does not exist (nothing shipped yet)\n");
    } else {
      absl::StrAppend(&text, "stream: ", stream, " (", HeadText(state->head),
                      state->head.partial_batch
                          ? ", then the first parts of a larger batch"
                          : "",
                      ")\n", "stream record time: ",
                      TimeText(state->head.record_time, zone), "\n");
    }
    absl::StrAppend(&text, "lag: ", LagText(last, state->head.last_event),
                    "\n");
  }
#endif
  Print(text);
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
