// Copyright 2026 The ContactLedger Authors.
//
// A follower's checks of a ledger's stream messages (CheckMessage in
// lib/replication/shipped_batches.h), which stand between the network and
// the replica.
//
// Input: stream messages, each a u16 little-endian length and that many
// bytes (a ShippedBatches), read in order as a Follower reads them.
//
// Checks:
//   - a refused message is DataLoss naming its stream sequence, and leaves
//     the parts pending as they were; reading stops there, as a Follower
//     does;
//   - an accepted message continues the events read so far with no gap,
//     its batches hold exactly events first ... last in order, and its hash
//     is the chain over them: recomputed here from the batches' bytes;
//   - the events accepted apply to a replica (AppendRecorded), or are
//     refused by it with nothing recorded; the chain never accepts the same
//     event number twice.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "contactledger/ledger.h"
#include "fuzz/fuzz_util.h"
#include "lib/replication/shipped_batches.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace contactledger;  // NOLINT
  const std::string ledger_id = "county";
  LedgerOptions options;
  options.ledger_id = ledger_id;
  options.replica = true;
  std::unique_ptr<Ledger> replica = Ledger::New(options);
  uint64_t applied = 0;
  internal::ChainHash hash = internal::ZeroHash();
  internal::PendingParts pending;
  size_t at = 0;
  for (uint64_t sequence = 1; at + 2 <= size; ++sequence) {
    const size_t length = data[at] | (size_t{data[at + 1]} << 8);
    at += 2;
    const size_t take = std::min(length, size - at);
    const std::string message(reinterpret_cast<const char*>(data + at), take);
    at += take;
    const internal::PendingParts before = pending;
    absl::StatusOr<internal::CheckedMessage> checked = internal::CheckMessage(
        message, sequence, ledger_id, applied, hash, &pending);
    if (!checked.ok()) {
      FUZZ_CHECK(
          absl::IsDataLoss(checked.status()) &&
              absl::StrContains(checked.status().message(),
                                absl::StrCat("stream message ", sequence, " ")),
          checked.status().ToString());
      FUZZ_CHECK(pending.next == before.next && pending.bytes == before.bytes,
                 "a refused message changed the pending parts");
      break;
    }
    if (checked->batches.empty()) continue;  // a part, more to come
    FUZZ_CHECK(checked->batches.size() == checked->logged.size(), "logged");
    FUZZ_CHECK(checked->message.first_sequence() == applied + 1, "gap");
    internal::ChainHash chain = hash;
    uint64_t next = applied + 1;
    for (size_t b = 0; b < checked->batches.size(); ++b) {
      const v1::EventBatch& batch = *checked->batches[b];
      const uint64_t first = next;
      for (const v1::LedgerEvent& event : batch.events()) {
        FUZZ_CHECK(event.sequence_number() == next, "numbering");
        ++next;
      }
      chain = internal::ChainNext(chain, first, next - 1, checked->logged[b]);
      std::vector<v1::LedgerEvent> events(batch.events().begin(),
                                          batch.events().end());
      const uint64_t before_append = replica->last_sequence_number();
      absl::Status appended = replica->AppendRecorded(events);
      FUZZ_CHECK(
          appended.ok() || replica->last_sequence_number() == before_append,
          "a refused batch left events behind");
      if (!appended.ok()) return 0;  // a Follower stops here too
    }
    FUZZ_CHECK(next - 1 == checked->message.last_sequence(), "last");
    FUZZ_CHECK(chain == checked->hash, "chain");
    applied = next - 1;
    hash = chain;
  }
  return 0;
}
