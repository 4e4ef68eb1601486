// The messages of a ledger's stream: see shipped_batches.h.

#include "lib/replication/shipped_batches.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lib/util/sha256.h"

namespace contactledger {
namespace internal {
namespace {

void AppendU64(uint64_t value, std::string* out) {
  for (int i = 0; i < 8; ++i)
    out->push_back(static_cast<char>(value >> (8 * i)));
}

bool SameHash(const std::string& bytes, const ChainHash& hash) {
  return bytes.size() == hash.size() &&
         std::equal(hash.begin(), hash.end(),
                    reinterpret_cast<const uint8_t*>(bytes.data()));
}

}  // namespace

std::string HashBytes(const ChainHash& hash) {
  return std::string(reinterpret_cast<const char*>(hash.data()), hash.size());
}

std::string HashHex(const ChainHash& hash) {
  return absl::BytesToHexString(HashBytes(hash));
}

ChainHash ChainNext(const ChainHash& previous, uint64_t first, uint64_t last,
                    absl::string_view bytes) {
  Sha256 sha;
  std::string header = HashBytes(previous);
  AppendU64(first, &header);
  AppendU64(last, &header);
  AppendU64(bytes.size(), &header);
  sha.Update(header);
  sha.Update(bytes);
  return sha.Digest();
}

std::string MessageId(const v1::ShippedBatches& message) {
  std::string id =
      absl::StrCat(message.ledger_id(), ":", message.first_sequence());
  if (message.parts() > 0) absl::StrAppend(&id, ":", message.part());
  return id;
}

absl::StatusOr<v1::ShippedBatches> DecodeMessage(absl::string_view data,
                                                 uint64_t stream_sequence,
                                                 const std::string& ledger_id) {
  v1::ShippedBatches message;
  if (!message.ParseFromArray(data.data(), static_cast<int>(data.size())) ||
      message.ledger_id() != ledger_id) {
    return absl::DataLossError(absl::StrCat("stream message ", stream_sequence,
                                            " is not a message of ledger '",
                                            ledger_id, "'"));
  }
  return message;
}

StreamHead HeadAfter(const v1::ShippedBatches& last, uint64_t messages) {
  StreamHead head;
  head.messages = messages;
  if (last.parts() > 0 && last.part() + 1 < last.parts()) {
    head.partial_batch = true;
    head.last_event = last.first_sequence() - 1;
    return head;
  }
  head.last_event = last.last_sequence();
  if (last.has_record_time()) {
    head.record_time = absl::FromUnixSeconds(last.record_time().seconds()) +
                       absl::Nanoseconds(last.record_time().nanos());
  }
  return head;
}

absl::StatusOr<CheckedMessage> CheckMessage(
    absl::string_view data, uint64_t stream_sequence,
    const std::string& ledger_id, uint64_t applied, const ChainHash& hash,
    PendingParts* pending, CheckedMessage* reuse) {
  auto bad = [&](absl::string_view what) {
    return absl::DataLossError(absl::StrCat("stream message ", stream_sequence,
                                            " of ledger '", ledger_id,
                                            "': ", what, "; nothing applied"));
  };
  CheckedMessage checked;
  if (reuse != nullptr) checked = std::move(*reuse);
  checked.batches.clear();
  checked.logged.clear();
  if (checked.arena == nullptr) {
    checked.arena = std::make_unique<google::protobuf::Arena>();
  } else {
    checked.arena->Reset();
  }
  v1::ShippedBatches& message = checked.message;
  if (!message.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return bad("does not parse as a ShippedBatches message");
  }
  if (message.ledger_id() != ledger_id) {
    return bad(absl::StrCat("is of ledger '", message.ledger_id(), "'"));
  }
  if (message.first_sequence() != applied + 1) {
    return bad(absl::StrCat(
        "begins at event ", message.first_sequence(),
        ", but the events so far end at ", applied,
        message.first_sequence() > applied + 1 ? " (a gap)" : " (a repeat)"));
  }
  if (message.last_sequence() < message.first_sequence()) {
    return bad(absl::StrCat("ends at event ", message.last_sequence(),
                            " before it begins"));
  }
  if (!SameHash(message.previous_hash(), hash)) {
    return bad(absl::StrCat("follows the chain at ",
                            absl::BytesToHexString(message.previous_hash()),
                            ", not at ", HashHex(hash)));
  }
  // A part of a split batch: kept until the last part.
  std::vector<std::string> whole;
  if (message.parts() > 0) {
    if (message.batches_size() != 1 || message.part() >= message.parts() ||
        message.part() != pending->next ||
        (pending->next > 0 && message.parts() != pending->parts)) {
      return bad(absl::StrCat("is part ", message.part(), " of ",
                              message.parts(), " of a batch, expected part ",
                              pending->next));
    }
    if (message.part() + 1 < message.parts()) {
      pending->next = message.part() + 1;
      pending->parts = message.parts();
      pending->bytes += message.batches(0);
      checked.hash = hash;
      return checked;
    }
    whole.push_back(pending->bytes + message.batches(0));
  } else {
    if (pending->next > 0) {
      return bad(absl::StrCat("holds whole batches, expected part ",
                              pending->next, " of a split batch"));
    }
    if (message.batches_size() == 0) return bad("holds no batch");
    for (std::string& bytes : *message.mutable_batches()) {
      whole.push_back(std::move(bytes));
    }
  }
  ChainHash chain = hash;
  uint64_t next = applied + 1;
  for (size_t b = 0; b < whole.size(); ++b) {
    v1::EventBatch& batch =
        *google::protobuf::Arena::CreateMessage<v1::EventBatch>(
            checked.arena.get());
    checked.batches.push_back(&batch);
    if (!batch.ParseFromString(whole[b]) || batch.events_size() == 0) {
      return bad(absl::StrCat("batch ", b, " does not parse or is empty"));
    }
    const uint64_t first = next;
    for (int e = 0; e < batch.events_size(); ++e) {
      const v1::LedgerEvent& event = batch.events(e);
      if (event.sequence_number() != next) {
        return bad(absl::StrCat("batch ", b, " holds event ",
                                event.sequence_number(), " where event ", next,
                                " belongs"));
      }
      ++next;
    }
    chain = ChainNext(chain, first, next - 1, whole[b]);
    checked.logged.push_back(std::move(whole[b]));
  }
  if (next - 1 != message.last_sequence()) {
    return bad(absl::StrCat("says it ends at event ", message.last_sequence(),
                            ", but its batches end at ", next - 1));
  }
  if (!SameHash(message.hash(), chain)) {
    return bad(absl::StrCat("has hash ", absl::BytesToHexString(message.hash()),
                            ", but its batches chain to ", HashHex(chain)));
  }
  checked.hash = chain;
  *pending = PendingParts();
  return checked;
}

}  // namespace internal
}  // namespace contactledger
