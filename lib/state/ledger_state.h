// LedgerState: what a ledger knows, in memory: the event index, the tables of
// areas, households, persons, exposures and person events, the retractions,
// and the decoding of their records. LevelDB's MemTable is the model: the
// state is changed only by applying events in sequence order, and read
// through a handle that holds its lock shared (LedgerReader, reader.h).
//
// Two ways in, both under the write lock (a LedgerWriter):
//   - Apply: events just accepted by a writer, numbered here with the next
//     sequence numbers and one record time (Ledger::AppendBatch);
//   - ApplyRecorded: events that already carry their sequence numbers and
//     record time (log replay, and a follower applying what a leader
//     recorded), checked to continue this state exactly.
// Neither validates the bodies: the caller runs the BatchValidator
// (lib/core/validator.h) first, against this state.
//
// The reads of contactledger/ledger_view.h are implemented here (reads.cc);
// they take the lock themselves. The query engine, scoped views and the
// redactor read the columns through a LedgerReader.

#ifndef CONTACTLEDGER_LIB_STATE_LEDGER_STATE_H_
#define CONTACTLEDGER_LIB_STATE_LEDGER_STATE_H_

#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "contactledger/ledger.h"
#include "contactledger/v1/ledger.pb.h"
#include "contactledger/v1/storage.pb.h"
#include "lib/columns/snapshot_io.h"
#include "lib/index/event_index.h"
#include "lib/index/tables.h"

namespace contactledger {
namespace internal {

class LedgerState {
 public:
  explicit LedgerState(absl::TimeZone zone) : zone_(zone) {}
  LedgerState(const LedgerState&) = delete;
  LedgerState& operator=(const LedgerState&) = delete;

  // The zone civil days are taken in (docs/rules.md section 1).
  const absl::TimeZone& time_zone() const { return zone_; }
  void set_time_zone(absl::TimeZone zone) { zone_ = zone; }

  // --- Applying (the caller holds a LedgerWriter). ---

  // Numbers `batch` after the last event and records it with `record_time`;
  // returns the sequence numbers.
  std::vector<uint64_t> Apply(absl::Span<const v1::LedgerEvent> batch,
                              absl::Time record_time);

  // Checks that `batch` (a logged EventBatch: non-empty, every event with its
  // sequence number and record time) continues this state: consecutive numbers
  // starting right after the last event (or, `recovering` from skipped damage,
  // after at most `lost_allowed` lost ones), one record time in whole
  // nanoseconds, not before the last one. DataLoss naming the event and numbers
  // otherwise.
  absl::Status CheckRecorded(const v1::EventBatch& batch, bool recovering,
                             uint64_t lost_allowed) const;
  // Applies a batch CheckRecorded accepted (and the validator passed): first
  // marks the sequence numbers before it as lost, returning how many.
  uint64_t ApplyRecorded(const v1::EventBatch& batch);

  // --- Snapshots (snapshot.cc; the layout is docs/log_format.md's). ---
  void SaveColumns(SnapshotSink& sink) const;
  // Loads the columns into this empty state, then checks them (CheckColumns)
  // and rebuilds the exposure adjacency. DataLoss naming the column and row.
  absl::Status LoadColumns(SnapshotSource& source);
  // OK when the state is one appends could have built (state_check.cc).
  absl::Status CheckColumns() const;

  // --- Columns (read under a LedgerReader or LedgerWriter). ---
  const EventIndex& events() const { return events_; }
  const AreaTable& areas() const { return areas_; }
  const HouseholdTable& households() const { return households_; }
  const PersonTable& persons() const { return persons_; }
  const ExposureTable& exposures() const { return exposures_; }
  const PersonEventTable& person_events(PersonList list) const {
    return person_events_[list];
  }
  // The cut a read with `options` sees; O(1) for a read of everything.
  Cut CutFor(const ReadOptions& options) const;

  // --- Records decoded from the columns (under a reader). ---
  // The stored part of a record only, the fields the columns hold (ids, the
  // area, the person) left unset: for queries that read a field of the body
  // in a loop.
  v1::Area AreaBodyAt(uint32_t row) const;
  v1::Household HouseholdBodyAt(uint32_t row) const;
  template <typename Body>
  Body PersonEventBodyAt(PersonList list, uint32_t row) const;
  // Whole records, as appended.
  v1::Area AreaAt(uint32_t row) const;
  v1::Household HouseholdAt(uint32_t row) const;
  v1::Person PersonAt(uint32_t row) const;
  v1::Exposure ExposureAt(uint32_t row) const;
  template <typename Body>
  Body PersonEventAt(PersonList list, uint32_t row) const;
  v1::Retraction RetractionAt(uint64_t row) const;
  // The event with this sequence number, envelope included.
  absl::StatusOr<v1::LedgerEvent> EventAt(uint64_t sequence) const;

  // --- The reads of contactledger/ledger_view.h (each takes the lock). ---
  uint64_t last_sequence_number() const;
  absl::StatusOr<v1::LedgerEvent> GetEvent(uint64_t sequence,
                                           const ReadOptions& options) const;
  bool IsRetracted(uint64_t sequence, const ReadOptions& options) const;
  absl::StatusOr<v1::Area> GetArea(absl::string_view id,
                                   const ReadOptions& options) const;
  absl::StatusOr<v1::Household> GetHousehold(absl::string_view id,
                                             const ReadOptions& options) const;
  absl::StatusOr<v1::Person> GetPerson(absl::string_view id,
                                       const ReadOptions& options) const;
  std::vector<std::string> FindPersonsByNationalId(
      absl::string_view national_id, const ReadOptions& options) const;
  absl::StatusOr<std::vector<std::string>> HouseholdMembers(
      absl::string_view id, const ReadOptions& options) const;
  absl::StatusOr<std::vector<std::string>> ChildAreas(
      absl::string_view id, const ReadOptions& options) const;
  std::vector<std::string> TopLevelAreas(const ReadOptions& options) const;
  absl::StatusOr<std::vector<std::string>> AreaSubtree(
      absl::string_view id, const ReadOptions& options) const;
  absl::StatusOr<std::vector<std::string>> PersonsInArea(
      absl::string_view id, const ReadOptions& options) const;
  std::vector<std::string> UnregisteredPersons(
      const ReadOptions& options) const;
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> ExposuresOf(
      absl::string_view id, absl::Time from, absl::Time to,
      const ReadOptions& options) const;
  template <typename Body>
  absl::StatusOr<std::vector<Recorded<Body>>> PersonEventsOf(
      PersonList list, absl::string_view id, const ReadOptions& options) const;
  // Counts, without memory_bytes' lock-free part left out.
  LedgerStats Stats() const;

 private:
  friend class LedgerReader;
  friend class LedgerWriter;

  // --- Applying (write lock held). ---
  void ApplyEvent(const v1::LedgerEvent& event, uint64_t sequence);
  void ApplyArea(const v1::Area& area);
  void ApplyHousehold(const v1::Household& household);
  void ApplyPerson(const v1::Person& person);
  void ApplyExposure(const v1::Exposure& exposure);
  template <typename Body>
  void ApplyPersonEvent(PersonList list, const Body& body, int64_t time,
                        uint32_t code, int32_t value);
  // The dense id of `id`, adding an unregistered person when new.
  uint32_t PersonId(absl::string_view id, bool registering = false);
  // Moves a person's or household's count to the area of its latest
  // unretracted version (a household's members in its area with it).
  void Recount(EventKind kind, uint32_t entity);
  // Recounts the entity whose version event `target` was retracted.
  void RecountRetracted(uint64_t target);
  // Brings a snapshot's persons.v_area (from before persons.v_own_area) to
  // today's meaning: clears the household's area from the versions that had
  // none of their own, relinks the areas' person lists, recounts.
  void OwnPersonAreas();

  // Lists every column, in the fixed order of docs/log_format.md, to a
  // SnapshotSink (save) or SnapshotSource (load).
  template <typename Visitor, typename State>
  static void VisitColumns(Visitor& visitor, State& state);

  // --- Reading helpers (lock held). ---
  Cut CutForLocked(const ReadOptions& options) const {
    return events_.CutFor(options.known_at, options.sequence_limit);
  }
  // The dense id of a visible area / household, or a NotFound error.
  absl::StatusOr<uint32_t> VisibleArea(absl::string_view id,
                                       const Cut& cut) const;
  absl::StatusOr<uint32_t> VisibleHousehold(absl::string_view id,
                                            const Cut& cut) const;
  absl::StatusOr<uint32_t> KnownPerson(absl::string_view id) const;
  // The visible children of `area`, sorted by id.
  std::vector<uint32_t> Children(uint32_t area, const Cut& cut) const;
  void CollectSubtree(uint32_t area, const Cut& cut,
                      std::vector<uint32_t>* out) const;
  bool ReferencedIn(uint32_t person, const Cut& cut) const;
  std::vector<std::string> SortedKeys(const KeyMap& keys,
                                      std::vector<uint32_t> ids) const;
  template <typename Body>
  Recorded<Body> MakeRecorded(EventKind kind, uint64_t row, Body body) const {
    Recorded<Body> out;
    out.sequence_number = events_.SequenceOf(kind, row);
    out.record_time = events_.RecordTimeOf(out.sequence_number);
    out.body = std::move(body);
    return out;
  }

  absl::TimeZone zone_;

  // Readers hold mu_ shared; applying holds it exclusively.
  mutable std::shared_mutex mu_;
  EventIndex events_;
  AreaTable areas_;
  HouseholdTable households_;
  PersonTable persons_;
  ExposureTable exposures_;
  // Set while loading a snapshot whose persons.v_area is as recorded.
  bool person_areas_as_recorded_ = false;
  PersonEventTable person_events_[kPersonLists];
  SegmentedArray<uint64_t> retraction_blob_;
  StringArena retraction_blobs_;
};

// The write lock on a state, for as long as it lives.
class LedgerWriter {
 public:
  explicit LedgerWriter(LedgerState& state) : state_(state), lock_(state.mu_) {}
  LedgerState& state() const { return state_; }

 private:
  LedgerState& state_;
  std::unique_lock<std::shared_mutex> lock_;
};

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_STATE_LEDGER_STATE_H_
