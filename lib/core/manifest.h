// The MANIFEST of a ledger directory (docs/log_format.md): the format
// version, the ledger's id, its time zone and identity rules. Open reads it
// and holds the ledger to it: the settings change every answer, so they
// belong to the directory, not to whichever program opens it.
//
// A directory made before manifests has none; its first open writes one,
// with the settings it was made with: those of the `LEDGERCTL` file that
// ledgerctl kept then ("time_zone=...", "identity_rules=..." lines), else
// the ones the opener gives, else the defaults (UTC, china). An opener
// whose options contradict the old file is refused as for any manifest.

#ifndef CONTACTLEDGER_LIB_CORE_MANIFEST_H_
#define CONTACTLEDGER_LIB_CORE_MANIFEST_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/env.h"
#include "contactledger/options.h"
#include "contactledger/v1/storage.pb.h"

namespace contactledger {
namespace internal {

inline constexpr char kManifestFile[] = "MANIFEST";
inline constexpr uint32_t kManifestFormatVersion = 1;

// The manifest of `directory`: NotFound when it has none; DataLoss naming
// the file and byte offset when it is damaged or says something this
// library cannot use (a format version it does not know, an unknown zone or
// identity rules).
absl::StatusOr<v1::LedgerManifest> ReadManifest(Env* env,
                                                const std::string& directory);

// A manifest for a new directory (or one from before manifests): the
// settings of the old ledgerctl settings file when `directory` has one, else
// those of `options`, else the defaults (UTC, china).
absl::StatusOr<v1::LedgerManifest> NewManifest(Env* env,
                                               const std::string& directory,
                                               const LedgerOptions& options,
                                               absl::Time now);

// Writes `manifest` to `directory` atomically: a temporary file, synced,
// renamed, and the directory synced.
absl::Status WriteManifest(Env* env, const std::string& directory,
                           const v1::LedgerManifest& manifest);

// Holds `options` to `manifest`: FailedPrecondition naming both values when
// it sets a time zone or identity rules the manifest does not say; otherwise
// fills them in from the manifest.
// OK for a LedgerOptions::ledger_id as options.h describes it (empty, or 1
// to 64 ASCII letters, digits, '-' and '_'); InvalidArgument otherwise.
absl::Status CheckLedgerId(absl::string_view id);

absl::Status ApplyManifest(const v1::LedgerManifest& manifest,
                           const std::string& directory,
                           LedgerOptions* options);

// Marks `directory` a replica in its MANIFEST (a Follower, once it found
// the directory's events on the stream), or clears the mark
// (Follower::Promote, after the stream is applied and the lease has
// lapsed). OK when the mark is so already; the errors of ReadManifest and
// WriteManifest.
absl::Status SetReplicaMark(Env* env, const std::string& directory,
                            bool replica);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_CORE_MANIFEST_H_
