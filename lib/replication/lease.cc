// WriterLease: see lease.h.

#include "lib/replication/lease.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace internal {
namespace {

std::string Describe(const v1::WriterLease& lease) {
  return absl::StrCat(
      "'", lease.writer(), "' until ",
      absl::FormatTime(absl::RFC3339_sec, ToTime(lease.expires()),
                       absl::UTCTimeZone()));
}

// The bucket's value for a lease.
std::string Value(const std::string& writer, absl::Time expires,
                  uint64_t shipped) {
  v1::WriterLease lease;
  lease.set_writer(writer);
  SetTimestamp(expires, lease.mutable_expires());
  lease.set_shipped_sequence(shipped);
  return lease.SerializeAsString();
}

}  // namespace

Lease::~Lease() {
  if (kv_ != nullptr) kvStore_Destroy(kv_);
}

absl::StatusOr<std::unique_ptr<Lease>> Lease::Open(NatsStream& stream) {
  kvStore* kv = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = Retrying(stream.options().retry_for, &code, [&] {
    return js_KeyValue(&kv, stream.js(), kLeaseBucket);
  });
  if (s != NATS_OK) {
    kvConfig config;
    kvConfig_Init(&config);
    config.Bucket = kLeaseBucket;
    config.History = 1;
    config.StorageType = js_FileStorage;
    config.Replicas = stream.options().replicas;
    s = Retrying(stream.options().retry_for, &code,
                 [&] { return js_CreateKeyValue(&kv, stream.js(), &config); });
    // Another writer may have made it meanwhile.
    if (s != NATS_OK) s = js_KeyValue(&kv, stream.js(), kLeaseBucket);
  }
  if (s != NATS_OK) {
    return absl::UnavailableError(
        absl::StrCat("NATS: the writers' lease bucket ", kLeaseBucket, ": ",
                     natsStatus_GetText(s)));
  }
  std::unique_ptr<Lease> lease(new Lease(stream, kv));
  lease->key_ = stream.name();
  return lease;
}

absl::StatusOr<std::optional<v1::WriterLease>> Lease::Read(uint64_t* revision) {
  kvEntry* entry = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s = Retrying(stream_.options().retry_for, &code, [&] {
    return kvStore_Get(&entry, kv_, key_.c_str());
  });
  *revision = 0;
  if (s == NATS_NOT_FOUND) return std::optional<v1::WriterLease>();
  if (s != NATS_OK) {
    return absl::UnavailableError(absl::StrCat(
        "NATS: reading the lease of ", key_, ": ", natsStatus_GetText(s)));
  }
  v1::WriterLease lease;
  const bool parsed =
      lease.ParseFromArray(kvEntry_Value(entry), kvEntry_ValueLen(entry));
  *revision = kvEntry_Revision(entry);
  kvEntry_Destroy(entry);
  if (!parsed) {
    return absl::DataLossError(
        absl::StrCat("the lease of ", key_, " does not parse"));
  }
  return std::optional<v1::WriterLease>(lease);
}

absl::StatusOr<std::optional<v1::WriterLease>> Lease::Current() {
  uint64_t revision = 0;
  return Read(&revision);
}

absl::Status Lease::Take(const std::string& writer, absl::Duration duration,
                         uint64_t shipped) {
  uint64_t revision = 0;
  absl::StatusOr<std::optional<v1::WriterLease>> current = Read(&revision);
  if (!current.ok()) return current.status();
  const absl::Time now = absl::Now();
  if (current->has_value() && (*current)->writer() != writer &&
      ToTime((*current)->expires()) > now) {
    return absl::FailedPreconditionError(absl::StrCat(
        "ledger stream ", key_, " is written by ", Describe(**current),
        ": one writer at a time (its lease must lapse first)"));
  }
  const std::string value = Value(writer, now + duration, shipped);
  uint64_t written = 0;
  const natsStatus s =
      current->has_value()
          ? kvStore_Update(&written, kv_, key_.c_str(), value.data(),
                           static_cast<int>(value.size()), revision)
          : kvStore_Create(&written, kv_, key_.c_str(), value.data(),
                           static_cast<int>(value.size()));
  if (s != NATS_OK) {
    return absl::FailedPreconditionError(absl::StrCat(
        "ledger stream ", key_, ": another writer took the lease while ",
        writer, " was taking it: ", natsStatus_GetText(s)));
  }
  writer_ = writer;
  revision_ = written;
  expires_ = now + duration;
  return absl::OkStatus();
}

absl::Status Lease::Renew(absl::Duration duration, uint64_t shipped) {
  const absl::Time now = absl::Now();
  const std::string value = Value(writer_, now + duration, shipped);
  uint64_t written = 0;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s = Retrying(stream_.options().retry_for, &code, [&] {
    return kvStore_Update(&written, kv_, key_.c_str(), value.data(),
                          static_cast<int>(value.size()), revision_);
  });
  if (s != NATS_OK) {
    if (Transient(s, code)) {
      return absl::UnavailableError(absl::StrCat(
          "NATS: renewing the lease of ", key_, ": ", natsStatus_GetText(s)));
    }
    uint64_t revision = 0;
    absl::StatusOr<std::optional<v1::WriterLease>> current = Read(&revision);
    return absl::FailedPreconditionError(absl::StrCat(
        "fenced: ", writer_, " no longer holds the lease of ledger stream ",
        key_, "; it is held by ",
        current.ok() && current->has_value() ? Describe(**current)
                                             : std::string("no one"),
        ". This writer's unshipped events stay in its log: reconcile them "
        "at the new writer (docs/replication.md)"));
  }
  revision_ = written;
  expires_ = now + duration;
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace contactledger
