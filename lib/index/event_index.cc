#include "lib/index/event_index.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace contactledger {
namespace internal {

uint64_t EventIndex::Add(EventKind kind, absl::Time record_time,
                         absl::string_view actor) {
  const uint64_t index = kinds_.size();
  if (index % kBlock == 0) block_counts_.push_back(totals_);
  kinds_.push_back(static_cast<uint8_t>(kind));
  const uint32_t actor_id = actors_.FindOrAdd(actor);
  if (runs_.empty() || runs_.back().record_time != record_time ||
      runs_.back().actor != actor_id) {
    runs_.push_back(Run{index + 1, record_time, actor_id});
  }
  return totals_[static_cast<int>(kind)]++;
}

void EventIndex::Retract(uint64_t target, uint64_t by) {
  retracted_by_[target] = by;
  retracted_rows_[RowKey(KindOf(target), RowOf(target))] = by;
}

Cut EventIndex::CutFor(absl::Time known_at, uint64_t sequence_limit) const {
  Cut cut;
  uint64_t last = last_sequence();
  if (known_at < last_record_time()) {
    // The first run recorded after known_at starts just past the cut.
    auto it = std::upper_bound(
        runs_.begin(), runs_.end(), known_at,
        [](absl::Time t, const Run& run) { return t < run.record_time; });
    last = it == runs_.end() ? last : it->first_sequence - 1;
  }
  cut.sequence = std::min(last, sequence_limit);
  const uint64_t block = cut.sequence / kBlock;
  if (block < block_counts_.size()) {
    cut.rows = block_counts_[block];
    for (uint64_t i = block * kBlock; i < cut.sequence; ++i)
      ++cut.rows[kinds_[i]];
  } else {
    cut.rows = totals_;  // cut.sequence == last_sequence() at a block edge
  }
  return cut;
}

uint64_t EventIndex::RowOf(uint64_t sequence) const {
  const uint64_t index = sequence - 1;
  const uint8_t kind = kinds_[index];
  const uint64_t block = index / kBlock;
  uint64_t row = block_counts_[block][kind];
  for (uint64_t i = block * kBlock; i < index; ++i) row += kinds_[i] == kind;
  return row;
}

uint64_t EventIndex::SequenceOf(EventKind kind, uint64_t row) const {
  const int k = static_cast<int>(kind);
  // The last block that starts with at most `row` rows of this kind holds
  // the row.
  auto it = std::upper_bound(
      block_counts_.begin(), block_counts_.end(), row,
      [k](uint64_t r, const std::array<uint64_t, kEventKinds>& counts) {
        return r < counts[k];
      });
  const uint64_t block = static_cast<uint64_t>(it - block_counts_.begin()) - 1;
  uint64_t seen = block_counts_[block][k];
  for (uint64_t i = block * kBlock;; ++i) {
    if (kinds_[i] == k) {
      if (seen == row) return i + 1;
      ++seen;
    }
  }
}

const EventIndex::Run& EventIndex::RunOf(uint64_t sequence) const {
  auto it = std::upper_bound(
      runs_.begin(), runs_.end(), sequence,
      [](uint64_t s, const Run& run) { return s < run.first_sequence; });
  return *(it - 1);
}

absl::Status EventIndex::CheckState() const {
  const uint64_t n = kinds_.size();
  auto fail = [](absl::string_view what) {
    return absl::DataLossError(absl::StrCat("events: ", what));
  };
  std::array<uint64_t, kEventKinds> counts = {};
  if (block_counts_.size() != (n + kBlock - 1) / kBlock) {
    return fail("block counts do not match the number of events");
  }
  for (uint64_t i = 0; i < n; ++i) {
    if (i % kBlock == 0 && block_counts_[i / kBlock] != counts) {
      return fail(absl::StrCat("block counts at event ", i + 1, " are wrong"));
    }
    if (kinds_[i] >= kEventKinds) {
      return fail(absl::StrCat("event ", i + 1, " has no kind"));
    }
    ++counts[kinds_[i]];
  }
  if (counts != totals_) return fail("totals do not match the events");
  if ((n == 0) != runs_.empty() ||
      (n > 0 && runs_.front().first_sequence != 1)) {
    return fail("record-time runs do not start at the first event");
  }
  for (size_t i = 0; i < runs_.size(); ++i) {
    const Run& run = runs_[i];
    if (run.first_sequence > n || run.actor >= actors_.size() ||
        (i > 0 && (run.first_sequence <= runs_[i - 1].first_sequence ||
                   run.record_time < runs_[i - 1].record_time))) {
      return fail(absl::StrCat("record-time run ", i + 1, " is out of order"));
    }
  }
  if (retracted_rows_.size() != retracted_by_.size()) {
    return fail("retracted rows do not match the retractions");
  }
  for (const auto& [target, by] : retracted_by_) {
    if (target == 0 || by <= target || by > n ||
        KindOf(by) != EventKind::kRetraction ||
        KindOf(target) == EventKind::kRetraction ||
        KindOf(target) == EventKind::kLost) {
      return fail(absl::StrCat("retraction of event ", target, " by ", by,
                               " is impossible"));
    }
    auto it = retracted_rows_.find(RowKey(KindOf(target), RowOf(target)));
    if (it == retracted_rows_.end() || it->second != by) {
      return fail(
          absl::StrCat("retracted row of event ", target, " does not match"));
    }
  }
  v1::ImportSource source;
  for (size_t i = 0; i < imports_.size(); ++i) {
    const Import& import = imports_[i];
    if (import.first_sequence == 0 || import.first_sequence > n ||
        (i > 0 && import.first_sequence <= imports_[i - 1].first_sequence) ||
        !import_blobs_.Contains(import.blob)) {
      return fail(absl::StrCat("import ", i + 1, " is out of order"));
    }
    const absl::string_view bytes = import_blobs_.Get(import.blob);
    if (!source.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
        source.events() == 0 ||
        source.events() - 1 > n - import.first_sequence) {
      return fail(absl::StrCat("import ", i + 1, " at event ",
                               import.first_sequence,
                               " does not parse or ends after the last event"));
    }
  }
  return absl::OkStatus();
}

void EventIndex::AddImport(const v1::ImportSource& source) {
  const uint32_t index = static_cast<uint32_t>(imports_.size());
  imports_.push_back(
      Import{last_sequence(), import_blobs_.Add(source.SerializeAsString())});
  imports_by_sha256_[source.sha256()].push_back(index);
}

bool EventIndex::ImportAt(uint64_t sequence, v1::ImportSource* source) const {
  auto it = std::lower_bound(imports_.begin(), imports_.end(), sequence,
                             [](const Import& import, uint64_t s) {
                               return import.first_sequence < s;
                             });
  if (it == imports_.end() || it->first_sequence != sequence) return false;
  const absl::string_view bytes = import_blobs_.Get(it->blob);
  return source->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

std::vector<uint64_t> EventIndex::ImportsOf(absl::string_view sha256) const {
  std::vector<uint64_t> out;
  auto it = imports_by_sha256_.find(sha256);
  if (it == imports_by_sha256_.end()) return out;
  for (uint32_t index : it->second) {
    out.push_back(imports_[index].first_sequence);
  }
  return out;
}

void EventIndex::IndexImports() {
  imports_by_sha256_.clear();
  v1::ImportSource source;
  for (size_t i = 0; i < imports_.size(); ++i) {
    if (!import_blobs_.Contains(imports_[i].blob)) continue;
    const absl::string_view bytes = import_blobs_.Get(imports_[i].blob);
    if (!source.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      continue;
    }
    imports_by_sha256_[source.sha256()].push_back(static_cast<uint32_t>(i));
  }
}

size_t EventIndex::allocated_bytes() const {
  return kinds_.allocated_bytes() +
         block_counts_.capacity() * sizeof(block_counts_[0]) +
         runs_.capacity() * sizeof(Run) + actors_.allocated_bytes() +
         (retracted_by_.capacity() + retracted_rows_.capacity()) *
             (2 * sizeof(uint64_t) + 1) +
         imports_.capacity() * sizeof(Import) + import_blobs_.allocated_bytes();
}

EventKind KindOf(const v1::LedgerEvent& event) {
  switch (event.body_case()) {
    case v1::LedgerEvent::kArea:
      return EventKind::kArea;
    case v1::LedgerEvent::kHousehold:
      return EventKind::kHousehold;
    case v1::LedgerEvent::kPerson:
      return EventKind::kPerson;
    case v1::LedgerEvent::kExposure:
      return EventKind::kExposure;
    case v1::LedgerEvent::kDiagnosis:
      return EventKind::kDiagnosis;
    case v1::LedgerEvent::kQuarantineAction:
      return EventKind::kQuarantineAction;
    case v1::LedgerEvent::kHealthCheck:
      return EventKind::kHealthCheck;
    case v1::LedgerEvent::kCheckpointPassage:
      return EventKind::kCheckpointPassage;
    default:
      return EventKind::kRetraction;
  }
}

}  // namespace internal
}  // namespace contactledger
