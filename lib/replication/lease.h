// WriterLease: one writer per ledger, held in JetStream key-value bucket
// LEDGER_LEASES (3 replicas), key <ledger id>, value a v1::WriterLease
// (who, until when, the last event shipped).
//
// Taken by a create (no one ever held it) or by a compare-and-set on the
// revision read (it lapsed, or it is the taker's own), renewed by a
// compare-and-set on the revision this holder wrote last: so a writer that
// lost it (another took it after it lapsed) fails to renew and is fenced.
// Expiry is the holder's wall clock: machines must keep their clocks
// within a fraction of the lease (docs/replication.md).

#ifndef CONTACTLEDGER_LIB_REPLICATION_LEASE_H_
#define CONTACTLEDGER_LIB_REPLICATION_LEASE_H_

#include <nats/nats.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "contactledger/v1/replication.pb.h"
#include "lib/replication/nats_stream.h"

namespace contactledger {
namespace internal {

inline constexpr char kLeaseBucket[] = "LEDGER_LEASES";

class Lease {
 public:
  // The lease of `stream`'s ledger (the bucket is created when missing).
  static absl::StatusOr<std::unique_ptr<Lease>> Open(NatsStream& stream);
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  // The lease as it stands, or nullopt when no one ever held it.
  absl::StatusOr<std::optional<v1::WriterLease>> Current();

  // Takes the lease for `writer` until now + `duration` when no one holds
  // it, it lapsed, or `writer` holds it already. FailedPrecondition naming
  // the holder and the expiry when another holds it, and when another took
  // it between the read and the write.
  absl::Status Take(const std::string& writer, absl::Duration duration,
                    uint64_t shipped);

  // Renews the lease this holder took, until now + `duration`.
  // FailedPrecondition ("fenced") naming the new holder when another took
  // it meanwhile.
  absl::Status Renew(absl::Duration duration, uint64_t shipped);

  const std::string& writer() const { return writer_; }
  absl::Time expires() const { return expires_; }

 private:
  Lease(NatsStream& stream, kvStore* kv) : stream_(stream), kv_(kv) {}
  // The entry and its revision (0 when missing).
  absl::StatusOr<std::optional<v1::WriterLease>> Read(uint64_t* revision);

  NatsStream& stream_;
  kvStore* kv_;
  std::string key_;
  std::string writer_;
  uint64_t revision_ = 0;  // of the value this holder wrote last
  absl::Time expires_ = absl::InfinitePast();
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_REPLICATION_LEASE_H_
