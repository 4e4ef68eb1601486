// LedgerState::Apply and ApplyRecorded: events into the columns of
// lib/index/tables.h (the write lock held).

#include <algorithm>
#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/state/ledger_state.h"
#include "lib/util/time_util.h"

namespace contactledger {
namespace internal {

namespace {

// The bytes of `message` with the fields `strip` clears left out (those the
// tables hold in columns), serialised into a buffer kept per thread: the
// message is copied into a kept one of its type, reusing its strings'
// memory, rather than built anew for every event of a bulk load.
template <typename Message, typename Strip>
absl::string_view StrippedBytes(const Message& message, Strip strip) {
  thread_local Message rest;
  thread_local std::string bytes;
  rest.CopyFrom(message);
  strip(rest);
  rest.SerializeToString(&bytes);
  return bytes;
}

}  // namespace

std::vector<uint64_t> LedgerState::Apply(
    absl::Span<const v1::LedgerEvent> batch, absl::Time record_time) {
  std::vector<uint64_t> sequences;
  sequences.reserve(batch.size());
  // Ids are looked up in hash tables and key slots far larger than the
  // caches: pipeline the lookups of the events' person ids (and a person's
  // household and national id), loading the hash entries 12 events ahead,
  // the key slots 8 ahead and long keys 4 ahead (KeyMap::Prefetch), so that
  // their cache misses overlap.
  const KeyMap& keys = persons_.keys;
  auto prefetch = [&](size_t i, auto stage) {
    if (i >= batch.size()) return;
    const v1::LedgerEvent& event = batch[i];
    switch (event.body_case()) {
      case v1::LedgerEvent::kExposure:
        stage(keys, event.exposure().person_a());
        stage(keys, event.exposure().person_b());
        break;
      case v1::LedgerEvent::kPerson: {
        const v1::Person& person = event.person();
        stage(keys, person.id());
        if (!person.household_id().empty()) {
          stage(households_.keys, person.household_id());
        }
        if (!person.national_id().empty()) {
          stage(persons_.national_ids, person.national_id());
        }
        break;
      }
      case v1::LedgerEvent::kDiagnosis:
        stage(keys, event.diagnosis().person_id());
        break;
      case v1::LedgerEvent::kQuarantineAction:
        stage(keys, event.quarantine_action().person_id());
        break;
      case v1::LedgerEvent::kHealthCheck:
        stage(keys, event.health_check().person_id());
        break;
      case v1::LedgerEvent::kCheckpointPassage:
        stage(keys, event.checkpoint_passage().person_id());
        break;
      default:
        break;
    }
  };
  auto slots = [](const KeyMap& k, const std::string& id) { k.Prefetch(id); };
  auto offsets = [](const KeyMap& k, const std::string& id) {
    k.PrefetchIdOf(id);
  };
  auto key_bytes = [](const KeyMap& k, const std::string& id) {
    k.PrefetchKeyOf(id);
  };
  for (size_t i = 0; i < 12; ++i) prefetch(i, slots);
  for (size_t i = 0; i < 8; ++i) prefetch(i, offsets);
  for (size_t i = 0; i < 4; ++i) prefetch(i, key_bytes);
  for (size_t i = 0; i < batch.size(); ++i) {
    prefetch(i + 12, slots);
    prefetch(i + 8, offsets);
    prefetch(i + 4, key_bytes);
    const v1::LedgerEvent& event = batch[i];
    events_.Add(KindOf(event), record_time, event.actor());
    if (event.has_import_source()) events_.AddImport(event.import_source());
    const uint64_t sequence = events_.last_sequence();
    ApplyEvent(event, sequence);
    sequences.push_back(sequence);
  }
  return sequences;
}

void LedgerState::ApplyEvent(const v1::LedgerEvent& event, uint64_t sequence) {
  switch (event.body_case()) {
    case v1::LedgerEvent::kArea:
      ApplyArea(event.area());
      break;
    case v1::LedgerEvent::kHousehold:
      ApplyHousehold(event.household());
      break;
    case v1::LedgerEvent::kPerson:
      ApplyPerson(event.person());
      break;
    case v1::LedgerEvent::kExposure:
      ApplyExposure(event.exposure());
      break;
    case v1::LedgerEvent::kDiagnosis: {
      const v1::Diagnosis& d = event.diagnosis();
      ApplyPersonEvent(
          kDiagnoses, d, d.time().seconds(), d.status(),
          d.has_onset() ? DateToDays(d.onset()) : PersonEventTable::kNoDay);
      break;
    }
    case v1::LedgerEvent::kQuarantineAction: {
      const v1::QuarantineAction& q = event.quarantine_action();
      ApplyPersonEvent(kQuarantineActions, q, q.time().seconds(),
                       q.action() | (q.place() << 8), 0);
      break;
    }
    case v1::LedgerEvent::kHealthCheck: {
      const v1::HealthCheck& c = event.health_check();
      ApplyPersonEvent(
          kHealthChecks, c, c.time().seconds(), c.symptoms_size() > 0 ? 1 : 0,
          static_cast<int32_t>(std::lround(c.temperature_celsius() * 100)));
      break;
    }
    case v1::LedgerEvent::kCheckpointPassage: {
      const v1::CheckpointPassage& p = event.checkpoint_passage();
      ApplyPersonEvent(kPassages, p, p.time().seconds(), p.direction(), 0);
      break;
    }
    case v1::LedgerEvent::kRetraction:
      retraction_blob_.push_back(
          retraction_blobs_.Add(event.retraction().SerializeAsString()));
      events_.Retract(event.retraction().sequence_number(), sequence);
      RecountRetracted(event.retraction().sequence_number());
      break;
    case v1::LedgerEvent::BODY_NOT_SET:
      break;  // rejected by the validator
  }
}

void LedgerState::ApplyArea(const v1::Area& area) {
  AreaTable& t = areas_;
  const uint32_t row = static_cast<uint32_t>(t.v_entity.size());
  const size_t known = t.keys.size();
  const uint32_t id = t.keys.FindOrAdd(area.id());
  if (id == known) {
    t.latest.push_back(kNoId);
    t.level.push_back(static_cast<uint8_t>(area.level()));
    t.child_head.push_back(kNoId);
    t.household_head.push_back(kNoId);
    t.person_head.push_back(kNoId);
    t.person_count.push_back(0);
    t.household_count.push_back(0);
  }
  const uint32_t parent =
      area.parent_id().empty() ? kNoId : t.keys.Find(area.parent_id());
  t.v_entity.push_back(id);
  t.v_prev.push_back(t.latest[id]);
  t.latest[id] = row;
  t.v_parent.push_back(parent);
  if (parent != kNoId) {
    t.v_next_sibling.push_back(t.child_head[parent]);
    t.child_head[parent] = row;
  } else {
    t.v_next_sibling.push_back(kNoId);
  }
  t.v_blob.push_back(t.blobs.Add(StrippedBytes(area, [](v1::Area& rest) {
    rest.clear_id();
    rest.clear_parent_id();
  })));
}

void LedgerState::ApplyHousehold(const v1::Household& household) {
  HouseholdTable& t = households_;
  const uint32_t row = static_cast<uint32_t>(t.v_entity.size());
  const size_t known = t.keys.size();
  const uint32_t id = t.keys.FindOrAdd(household.id());
  if (id == known) {
    t.latest.push_back(kNoId);
    t.member_head.push_back(kNoId);
    t.counted_area.push_back(kNoId);
  }
  const uint32_t area = areas_.keys.Find(household.area_id());
  t.v_entity.push_back(id);
  t.v_prev.push_back(t.latest[id]);
  t.latest[id] = row;
  t.v_area.push_back(area);
  t.v_next_in_area.push_back(areas_.household_head[area]);
  areas_.household_head[area] = row;
  t.v_blob.push_back(
      t.blobs.Add(StrippedBytes(household, [](v1::Household& rest) {
        rest.clear_id();
        rest.clear_area_id();
      })));
  Recount(EventKind::kHousehold, id);
}

uint32_t LedgerState::PersonId(absl::string_view id, bool registering) {
  PersonTable& t = persons_;
  const size_t known = t.keys.size();
  const uint32_t person = t.keys.FindOrAdd(id);
  if (person == known) {
    t.latest.push_back(kNoId);
    exposures_.AddPerson();
    t.counted_area.push_back(kNoId);
    if (!registering) t.maybe_unregistered.push_back(person);
  }
  return person;
}

void LedgerState::Recount(EventKind kind, uint32_t entity) {
  const Cut now = events_.FullCut();
  SegmentedArray<uint32_t>* counted;
  SegmentedArray<uint32_t>* counts;
  uint32_t area = kNoId;
  if (kind == EventKind::kPerson) {
    counted = &persons_.counted_area;
    counts = &areas_.person_count;
    const uint32_t v = EffectiveVersion(persons_, events_, entity, now);
    if (v != kNoId) area = PersonAreaAt(persons_, households_, events_, v, now);
  } else {
    counted = &households_.counted_area;
    counts = &areas_.household_count;
    const uint32_t v = EffectiveVersion(households_, events_, entity, now);
    if (v != kNoId) area = households_.v_area[v];
  }
  const uint32_t old = (*counted)[entity];
  if (old == area) return;
  if (old != kNoId) --(*counts)[old];
  if (area != kNoId) ++(*counts)[area];
  (*counted)[entity] = area;
  if (kind == EventKind::kHousehold) {
    // The members in the household's area (no area of their own) move with
    // it: a walk over the versions naming the household, once per move.
    for (uint32_t row = households_.member_head[entity]; row != kNoId;
         row = persons_.v_next_in_household[row]) {
      const uint32_t person = persons_.v_entity[row];
      if (persons_.v_area[row] == kNoId &&
          EffectiveVersion(persons_, events_, person, now) == row) {
        Recount(EventKind::kPerson, person);
      }
    }
  }
}

void LedgerState::RecountRetracted(uint64_t target) {
  const EventKind kind = events_.KindOf(target);
  if (kind == EventKind::kPerson) {
    const uint32_t person =
        persons_.v_entity[static_cast<uint32_t>(events_.RowOf(target))];
    Recount(kind, person);
    persons_.maybe_unregistered.push_back(person);
  } else if (kind == EventKind::kHousehold) {
    Recount(kind,
            households_.v_entity[static_cast<uint32_t>(events_.RowOf(target))]);
  }
}

void LedgerState::ApplyPerson(const v1::Person& person) {
  PersonTable& t = persons_;
  const uint32_t row = static_cast<uint32_t>(t.v_entity.size());
  const uint32_t id = PersonId(person.id(), /*registering=*/true);
  const uint32_t household = person.household_id().empty()
                                 ? kNoId
                                 : households_.keys.Find(person.household_id());
  // Only an area of its own: one in the household's follows the household
  // (PersonAreaAt).
  const uint32_t area =
      person.area_id().empty() ? kNoId : areas_.keys.Find(person.area_id());
  t.v_entity.push_back(id);
  t.v_prev.push_back(t.latest[id]);
  t.latest[id] = row;
  t.v_household.push_back(household);
  t.v_area.push_back(area);
  if (household != kNoId) {
    t.v_next_in_household.push_back(households_.member_head[household]);
    households_.member_head[household] = row;
  } else {
    t.v_next_in_household.push_back(kNoId);
  }
  if (area != kNoId) {
    t.v_next_in_area.push_back(areas_.person_head[area]);
    areas_.person_head[area] = row;
  } else {
    t.v_next_in_area.push_back(kNoId);
  }
  if (!person.national_id().empty()) {
    const size_t known = t.national_ids.size();
    const uint32_t nid = t.national_ids.FindOrAdd(person.national_id());
    if (nid == known) t.national_id_head.push_back(kNoId);
    t.v_national_id.push_back(nid);
    t.v_next_same_national_id.push_back(t.national_id_head[nid]);
    t.national_id_head[nid] = row;
  } else {
    t.v_national_id.push_back(kNoId);
    t.v_next_same_national_id.push_back(kNoId);
  }
  t.v_blob.push_back(t.blobs.Add(StrippedBytes(person, [](v1::Person& rest) {
    rest.clear_id();
    rest.clear_household_id();
    rest.clear_national_id();
  })));
  Recount(EventKind::kPerson, id);
}

void LedgerState::ApplyExposure(const v1::Exposure& exposure) {
  ExposureTable& t = exposures_;
  const uint32_t a = PersonId(exposure.person_a());
  const uint32_t b = PersonId(exposure.person_b());
  const uint32_t row = t.AppendRow(
      a, b, exposure.start().seconds(),
      static_cast<uint32_t>(exposure.end().seconds() -
                            exposure.start().seconds()),
      static_cast<uint8_t>(exposure.setting()), persons_.keys.size());
  if (!exposure.id().empty() || !exposure.note().empty()) {
    v1::Exposure extra;
    extra.set_id(exposure.id());
    extra.set_note(exposure.note());
    t.extra[row] = t.blobs.Add(extra.SerializeAsString());
  }
}

template <typename Body>
void LedgerState::ApplyPersonEvent(PersonList list, const Body& body,
                                   int64_t time, uint32_t code, int32_t value) {
  PersonEventTable& t = person_events_[list];
  const uint32_t row = static_cast<uint32_t>(t.person.size());
  const uint32_t person = PersonId(body.person_id());
  t.person.push_back(person);
  uint32_t& head = persons_.MutableListHead(list, person);
  t.next.push_back(head);
  head = row;
  t.time.push_back(time);
  t.code.push_back(code);
  t.value.push_back(value);
  t.blob.push_back(t.blobs.Add(
      StrippedBytes(body, [](Body& rest) { rest.clear_person_id(); })));
}

// ---------------------------------------------------------------------------
// Rebuilding records.

absl::Status LedgerState::CheckRecorded(const v1::EventBatch& batch,
                                        bool recovering,
                                        uint64_t lost_allowed) const {
  if (batch.events().empty()) {
    return absl::DataLossError("a recorded batch is empty");
  }
  const uint64_t expected = events_.last_sequence() + 1;
  const uint64_t first = batch.events(0).sequence_number();
  const absl::Time record_time = ToTime(batch.events(0).record_time());
  for (int i = 0; i < batch.events_size(); ++i) {
    const v1::LedgerEvent& event = batch.events(i);
    if (event.sequence_number() != first + static_cast<uint64_t>(i)) {
      return absl::DataLossError(
          absl::StrFormat("batch event %d has sequence number %d, expected %d",
                          i + 1, event.sequence_number(), first + i));
    }
    if (ToTime(event.record_time()) != record_time) {
      return absl::DataLossError("the events of a batch differ in record time");
    }
  }
  if (first < expected) {
    return absl::DataLossError(absl::StrFormat(
        "batch starts at sequence %d but the ledger is already at %d", first,
        expected - 1));
  }
  // The writer records whole nanoseconds that fit an int64 (as snapshots
  // keep them); any other record time would change in a snapshot.
  if (absl::FromUnixNanos(absl::ToUnixNanos(record_time)) != record_time) {
    return absl::DataLossError(absl::StrFormat(
        "record time %s is not one the ledger records (whole nanoseconds "
        "from 1677 to 2262)",
        absl::FormatTime(record_time)));
  }
  if (record_time < events_.last_record_time()) {
    return absl::DataLossError(
        absl::StrFormat("record time %s is before the previous batch's %s",
                        absl::FormatTime(record_time),
                        absl::FormatTime(events_.last_record_time())));
  }
  if (first > expected && !recovering) {
    return absl::DataLossError(absl::StrFormat(
        "sequence numbers %d to %d are missing", expected, first - 1));
  }
  // As many sequence numbers may be marked lost as the damage skipped could
  // have held (a logged event takes at least a byte); a jump further ahead is
  // damage itself (a number, not bytes, went wrong), and filling it would
  // take a byte of memory per number.
  if (first - expected > lost_allowed) {
    return absl::DataLossError(absl::StrFormat(
        "sequence numbers %d to %d are missing, more than the damage skipped "
        "before them could have held",
        expected, first - 1));
  }
  return absl::OkStatus();
}

uint64_t LedgerState::ApplyRecorded(const v1::EventBatch& batch) {
  const uint64_t first = batch.events(0).sequence_number();
  const absl::Time record_time = ToTime(batch.events(0).record_time());
  // Lost sequence numbers are filled first, so that the batch's events get
  // the numbers they were recorded with.
  uint64_t lost = 0;
  for (uint64_t s = events_.last_sequence() + 1; s < first; ++s) {
    events_.Add(EventKind::kLost, record_time, "");
    ++lost;
  }
  for (const v1::LedgerEvent& event : batch.events()) {
    events_.Add(KindOf(event), record_time, event.actor());
    if (event.has_import_source()) events_.AddImport(event.import_source());
    ApplyEvent(event, events_.last_sequence());
  }
  return lost;
}

}  // namespace internal
}  // namespace contactledger
