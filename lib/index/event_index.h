// EventIndex: what every sequence number is, when it was recorded, by whom,
// and which events are retracted; and the cut of the ledger a read sees.
//
// Each event is one byte (its kind). Record times and actors are kept per
// run of consecutive events that share both (a batch is one run), and the
// number of events of each kind is kept at every 1024th event, so that
//   - a sequence number maps to (kind, row in that kind's table) and back,
//   - a read's cut (known_at, sequence_limit) maps to one sequence number
//     and, per kind, the number of rows it sees,
// at a cost of about one byte per event.

#ifndef CONTACTLEDGER_LIB_INDEX_EVENT_INDEX_H_
#define CONTACTLEDGER_LIB_INDEX_EVENT_INDEX_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/v1/ledger.pb.h"
#include "lib/columns/key_map.h"
#include "lib/columns/segmented_array.h"
#include "lib/columns/string_arena.h"

namespace contactledger {
namespace internal {

enum class EventKind : uint8_t {
  kArea = 0,
  kHousehold,
  kPerson,
  kExposure,
  kDiagnosis,
  kQuarantineAction,
  kHealthCheck,
  kCheckpointPassage,
  kRetraction,
  // A sequence number whose event was lost to log damage skipped on
  // recovery: it has no row anywhere and is never visible.
  kLost,
};
inline constexpr int kEventKinds = 10;

// The kind of the event's body; the event must have one.
EventKind KindOf(const v1::LedgerEvent& event);

// The part of the ledger one read sees.
struct Cut {
  uint64_t sequence = 0;                        // last visible event
  std::array<uint64_t, kEventKinds> rows = {};  // visible rows per kind
};

class EventIndex {
 public:
  EventIndex() = default;
  EventIndex(const EventIndex&) = delete;
  EventIndex& operator=(const EventIndex&) = delete;

  uint64_t last_sequence() const { return kinds_.size(); }
  absl::Time last_record_time() const {
    return runs_.empty() ? absl::InfinitePast() : runs_.back().record_time;
  }
  uint64_t count(EventKind kind) const {
    return totals_[static_cast<int>(kind)];
  }

  // Records the next event; returns its row in `kind`'s table.
  // `record_time` must not be before last_record_time().
  uint64_t Add(EventKind kind, absl::Time record_time, absl::string_view actor);

  // Marks `target` as retracted by event `by`.
  void Retract(uint64_t target, uint64_t by);

  // The cut that sees everything recorded.
  Cut FullCut() const { return Cut{last_sequence(), totals_}; }

  // The cut for a read limited by record time and sequence number.
  Cut CutFor(absl::Time known_at, uint64_t sequence_limit) const;

  EventKind KindOf(uint64_t sequence) const {
    return static_cast<EventKind>(kinds_[sequence - 1]);
  }
  // The row of event `sequence` in its kind's table.
  uint64_t RowOf(uint64_t sequence) const;
  // The sequence number of row `row` of `kind`'s table.
  uint64_t SequenceOf(EventKind kind, uint64_t row) const;

  absl::Time RecordTimeOf(uint64_t sequence) const {
    return RunOf(sequence).record_time;
  }
  absl::string_view ActorOf(uint64_t sequence) const {
    return actors_.Key(RunOf(sequence).actor);
  }

  // The retraction that retracted `sequence`, or 0.
  uint64_t RetractedBy(uint64_t sequence) const {
    auto it = retracted_by_.find(sequence);
    return it == retracted_by_.end() ? 0 : it->second;
  }
  bool IsRetracted(uint64_t sequence, const Cut& cut) const {
    if (retracted_by_.empty()) return false;
    const uint64_t by = RetractedBy(sequence);
    return by != 0 && by <= cut.sequence;
  }

  // Whether row `row` of `kind` is in the cut and not retracted in it.
  bool Visible(EventKind kind, uint64_t row, const Cut& cut) const {
    if (row >= cut.rows[static_cast<int>(kind)]) return false;
    if (retracted_rows_.empty()) return true;
    auto it = retracted_rows_.find(RowKey(kind, row));
    return it == retracted_rows_.end() || it->second > cut.sequence;
  }

  // --- Imports: the ImportSource of each batch an importer recorded. ---
  // Records that the batch whose first event is the last one added carries
  // `source`.
  void AddImport(const v1::ImportSource& source);
  // The ImportSource of the batch that starts at `sequence`, if any.
  bool ImportAt(uint64_t sequence, v1::ImportSource* source) const;
  // The first sequence numbers of the imports of content `sha256`, in order.
  std::vector<uint64_t> ImportsOf(absl::string_view sha256) const;

  size_t allocated_bytes() const;

  // After loading from a snapshot: OK when the index is one appends could
  // have built (kinds, block counts, totals, runs and retractions agree),
  // so that no lookup leaves its arrays; else DataLoss naming what is wrong.
  absl::Status CheckState() const;

  // Lists the index's state to a snapshot visitor (lib/columns/snapshot_io.h).
  template <typename Visitor>
  void Visit(Visitor& v) {
    v("events.kinds", kinds_);
    v("events.block_counts", block_counts_);
    v.Value("events.totals", totals_);
    std::vector<SavedRun> runs;
    if (!Visitor::kLoading) {
      for (const Run& run : runs_) {
        runs.push_back(SavedRun{run.first_sequence,
                                absl::ToUnixNanos(run.record_time), run.actor,
                                0});
      }
    }
    v("events.runs", runs);
    if (Visitor::kLoading) {
      for (const SavedRun& run : runs) {
        runs_.push_back(Run{run.first_sequence,
                            absl::FromUnixNanos(run.record_unix_nanos),
                            run.actor});
      }
    }
    v("events.actors", actors_);
    v("events.retracted_by", retracted_by_);
    v("events.retracted_rows", retracted_rows_);
    // Added with imports: a snapshot from before has no import to load.
    if (v.Has("events.imports")) {
      v("events.imports", imports_);
      v("events.import_blobs", import_blobs_);
    }
    if (Visitor::kLoading) IndexImports();
  }

 private:
  struct SavedRun {
    uint64_t first_sequence;
    int64_t record_unix_nanos;
    uint32_t actor;
    uint32_t padding;
  };

  static constexpr int kBlockBits = 10;
  static constexpr uint64_t kBlock = uint64_t{1} << kBlockBits;

  struct Run {
    uint64_t first_sequence;
    absl::Time record_time;
    uint32_t actor;
  };

  struct Import {
    uint64_t first_sequence;
    uint64_t blob;  // the serialised ImportSource, in import_blobs_
  };
  // Fills imports_by_sha256_ from imports_ (after a load; CheckState then
  // checks what it could not read).
  void IndexImports();

  static uint64_t RowKey(EventKind kind, uint64_t row) {
    return (static_cast<uint64_t>(kind) << 56) | row;
  }
  const Run& RunOf(uint64_t sequence) const;

  SegmentedArray<uint8_t> kinds_;  // kinds_[seq - 1]
  // block_counts_[b][k]: events of kind k among the first b * kBlock events.
  std::vector<std::array<uint64_t, kEventKinds>> block_counts_;
  std::array<uint64_t, kEventKinds> totals_ = {};
  std::vector<Run> runs_;
  KeyMap actors_;
  absl::flat_hash_map<uint64_t, uint64_t> retracted_by_;    // seq -> by
  absl::flat_hash_map<uint64_t, uint64_t> retracted_rows_;  // RowKey -> by
  std::vector<Import> imports_;                             // in sequence order
  StringArena import_blobs_;
  // sha256 -> indexes into imports_, in order.
  absl::flat_hash_map<std::string, std::vector<uint32_t>> imports_by_sha256_;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_INDEX_EVENT_INDEX_H_
