// Copyright 2026 The ContactLedger Authors.
//
// contactledger/replication.h: a county ledger replicated on NATS JetStream.
//
// The county's writer keeps its ledger in a directory (Ledger::Open): its
// fsynced log is the record of truth. A Shipper publishes the log's batches,
// in order, to the ledger's stream; Followers elsewhere keep read-only
// replicas from it, which answer every query of the library (ScopedLedger
// included). JetStream replicates the stream over three nodes and fans it
// out; every reader checks what it gets (docs/replication.md: the message
// format, the guarantees, the faults tried).
//
//   stream   LEDGER_<id>, subject ledger.<id>.events, file storage, 3
//            replicas (NatsOptions::replicas), no deletes or purges
//   message  ShippedBatches (replication.proto): consecutive whole batches
//            of the log, up to ShipOptions::max_message_bytes, with their
//            sequence numbers, the last record time, and a SHA-256 hash
//            chained over every batch since the ledger's first; a batch
//            larger than a message goes in parts
//   once     each publish carries MsgId "<id>:<first sequence>[:<part>]"
//            and the stream sequence it expects to follow: a retried
//            publish is a duplicate, a publish by anyone else in between is
//            refused
//
// Example, the county's machine:
//
//   contactledger::ShipOptions ship;
//   ship.nats.servers = {"nats://10.0.0.1:4222", "nats://10.0.0.2:4222"};
//   auto shipper = contactledger::Shipper::Create("county-ledger", ship);
//   // ... after appends (any process may append to the directory):
//   absl::StatusOr<contactledger::ShipReport> shipped = (*shipper)->Ship();
//
// and the command room's:
//
//   contactledger::FollowOptions follow;
//   follow.nats.servers = ship.nats.servers;
//   auto follower = contactledger::Follower::Open(id, "replica", follow);
//   (*follower)->Poll(absl::Seconds(1));   // applies what arrived
//   const contactledger::Ledger& replica = (*follower)->ledger();
//
// Thread safety: a Shipper or Follower is used from one thread at a time;
// a Follower's ledger() may be read from any thread while Poll applies
// (each read sees the state between two batches).

#ifndef CONTACTLEDGER_REPLICATION_H_
#define CONTACTLEDGER_REPLICATION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"

namespace contactledger {

// Where the NATS cluster is and how long to wait for it.
struct NatsOptions {
  // Client URLs of the cluster's nodes ("nats://127.0.0.1:4222"); the
  // client fails over between them. Required.
  std::vector<std::string> servers;
  // How long a connect, a request or a publish may wait for an answer.
  // Default: 5 s.
  absl::Duration timeout = absl::Seconds(5);
  // How long an operation is retried while the cluster has no stream leader
  // (an election after a node died takes ~5 s). Default: 30 s.
  absl::Duration retry_for = absl::Seconds(30);
  // The replicas of a stream the Shipper creates. Default: 3.
  int replicas = 3;
};

// The JetStream names of ledger `ledger_id` (LedgerOptions::ledger_id's
// characters): "LEDGER_<id>" and "ledger.<id>.events".
std::string LedgerStreamName(absl::string_view ledger_id);
std::string LedgerStreamSubject(absl::string_view ledger_id);

// What a ledger's stream holds.
struct StreamHead {
  uint64_t messages = 0;    // the stream's last sequence (0: empty)
  uint64_t last_event = 0;  // the ledger sequence number of the last event
  absl::Time record_time = absl::InfinitePast();  // of that event's batch
  // The last message is a part of a batch whose other parts are still to
  // come (a shipper stopped between them): last_event is the event before
  // that batch.
  bool partial_batch = false;
};

// What the stream of ledger `ledger_id` holds, read without creating it:
// NotFound when the cluster has no stream for it (nothing was shipped);
// DataLoss when its last message is not a message of that ledger;
// Unavailable when the cluster does not answer.
absl::StatusOr<StreamHead> ReadStreamHead(const NatsOptions& nats,
                                          const std::string& ledger_id);

struct ShipOptions {
  NatsOptions nats;
  // Who writes: the name the writer's lease is held in. One writer per
  // ledger: a Shipper for a ledger whose lease another holds, and has
  // renewed within `lease`, is refused. Default: "<host name>:<directory>"
  // (a shipper restarted on the same machine for the same directory is the
  // same writer).
  std::string writer;
  // How long the lease lasts unless renewed; Ship() renews it. A promoted
  // follower may take over once it has lapsed. Default: 10 s.
  absl::Duration lease = absl::Seconds(10);
  // The writer's ledger in this process, when there is one (not owned):
  // fenced (Ledger::Fence) when the lease is lost, so that its appends fail
  // instead of growing a log no one will ship. Default: none.
  Ledger* writer_ledger = nullptr;
  // Batches are grouped into one message up to this many bytes; a batch
  // larger than this goes in parts. Keep it under the server's
  // max_payload (1 MiB by default). Default: 512 KiB.
  size_t max_message_bytes = 512 << 10;
};

// What one Ship() did.
struct ShipReport {
  uint64_t messages = 0;  // published by this call
  uint64_t batches = 0;
  uint64_t events = 0;
  StreamHead head;  // the stream after it
};

// Publishes the batches of a durable ledger's log to its stream.
class Shipper {
 public:
  // For the ledger in `directory` (a writer may have it open; the Shipper
  // only reads its MANIFEST and logs). Connects, creates the stream when
  // missing, and checks it against the log: every message's ledger id, and
  // the hash chain of the log's batches up to the stream's last event.
  // Errors: NotFound for a directory holding no ledger;
  // FailedPrecondition when the stream is ahead of the log or holds batches
  // that are not this log's (another directory with the same id), naming
  // both heads, or when the log no longer holds the batches the stream
  // lacks (LogRetention::kRemove): nothing is published then;
  // Unavailable when the cluster does not answer within retry_for.
  static absl::StatusOr<std::unique_ptr<Shipper>> Create(
      const std::string& directory, const ShipOptions& options);

  virtual ~Shipper();

  // Publishes every whole batch the log holds beyond the stream's head, in
  // order, and returns once the stream has acknowledged them; renews the
  // lease on the way. Retries through a leader election up to retry_for.
  // FailedPrecondition ("fenced") when another writer took the lease, and
  // when a publish was refused because the stream moved on (someone else
  // published), naming both heads: this Shipper publishes nothing more,
  // and ShipOptions::writer_ledger is fenced.
  virtual absl::StatusOr<ShipReport> Ship() = 0;

  virtual const std::string& ledger_id() const = 0;
  // The stream as this Shipper last saw it.
  virtual StreamHead head() const = 0;

 protected:
  Shipper() = default;
};

struct FollowOptions {
  NatsOptions nats;
  // For the replica (time zone and identity rules come from the stream's
  // ledger; ledger_id and replica are set by the Follower). A new replica
  // directory gets the writer's time zone with `time_zone` here. Default:
  // the defaults.
  LedgerOptions ledger;
};

// How far a Follower is behind its stream.
struct FollowerLag {
  uint64_t applied = 0;      // the replica's last sequence number
  uint64_t stream_last = 0;  // the stream's last event
  uint64_t events_behind = 0;
  // The record time of the stream's last batch minus the replica's.
  absl::Duration behind = absl::ZeroDuration();
};

// Keeps a read-only replica of a ledger from its stream.
class Follower {
 public:
  // A replica of ledger `ledger_id`: in `directory` (created when missing;
  // a replica there resumes from its own state, snapshots included), or in
  // memory when `directory` is empty. Its ledger() has options.ledger's
  // settings with ledger_id and replica set. Errors: those of Ledger::Open;
  // FailedPrecondition for a directory holding another ledger, or one that
  // is not a replica of the stream (its last batch is not the stream's);
  // Unavailable when the cluster does not answer.
  static absl::StatusOr<std::unique_ptr<Follower>> Open(
      const std::string& ledger_id, const std::string& directory,
      const FollowOptions& options);

  virtual ~Follower();

  // Applies what the stream holds beyond the replica, in order, waiting up
  // to `wait` for the first new message; returns the replica's last
  // sequence number. Before applying a message it checks the ledger id,
  // that the sequence numbers follow the replica's on with no gap, and the
  // hash chain; a message that fails is DataLoss naming its stream
  // sequence and what was wrong, nothing of it is applied, and every later
  // Poll returns the same error. While it runs, a second thread reads and
  // checks the next messages (at most 32 MiB ahead) as this one applies.
  virtual absl::StatusOr<uint64_t> Poll(absl::Duration wait) = 0;

  // How far behind the stream the replica is (asks the stream).
  virtual absl::StatusOr<FollowerLag> Lag() = 0;

  // The replica. Appends fail (LedgerOptions::replica); WriteSnapshot works
  // for a replica in a directory.
  virtual Ledger& ledger() = 0;

  // Fail-over: makes this replica (in a directory) the county's writer once
  // the writer's lease has lapsed. Applies everything the stream holds,
  // checks the lease lapsed, reopens the directory as a writable ledger and
  // makes a Shipper for it (`ship`, its writer_ledger set to the ledger),
  // which takes the lease: the ledger goes on from the last batch shipped.
  // The Follower is done after it, whatever the outcome. FailedPrecondition
  // while the lease is held (naming the holder and its expiry) and for a
  // replica in memory; the errors of Poll and Shipper::Create.
  struct Promoted {
    std::unique_ptr<Ledger> ledger;
    std::unique_ptr<Shipper> shipper;
  };
  virtual absl::StatusOr<Promoted> Promote(const ShipOptions& ship) = 0;

 protected:
  Follower() = default;
};

}  // namespace contactledger

#endif  // CONTACTLEDGER_REPLICATION_H_
