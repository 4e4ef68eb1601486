// The Ledger: validation, then application of events to the tables in
// lib/index/tables.h, and the reads over them. See contactledger/ledger.h.

#include "contactledger/ledger.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/ledger_impl.h"
#include "lib/core/time_util.h"
#include "lib/core/validator.h"
#include "lib/index/event_index.h"
#include "lib/index/tables.h"

namespace contactledger {

using internal::AreaTable;
using internal::Cut;
using internal::EffectiveVersion;
using internal::EventIndex;
using internal::EventKind;
using internal::ExposureTable;
using internal::HouseholdTable;
using internal::kNoId;
using internal::PersonEventTable;
using internal::PersonTable;

namespace {

class RealClock : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

// Parses `bytes` into `message`; the bytes were written by this process.
template <typename Message>
Message Parse(absl::string_view bytes) {
  Message message;
  message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  return message;
}

// Seconds of the earliest whole second at or after `t` (saturating).
int64_t CeilSeconds(absl::Time t) {
  const int64_t s = absl::ToUnixSeconds(t);
  return absl::FromUnixSeconds(s) < t ? s + 1 : s;
}

}  // namespace

Clock* Clock::Real() {
  static Clock* const clock = new RealClock;
  return clock;
}

// ---------------------------------------------------------------------------
// Appending.

absl::StatusOr<std::vector<uint64_t>> Ledger::Impl::AppendBatch(
    absl::Span<const v1::LedgerEvent> batch, const WriteOptions& options) {
  if (batch.empty()) return std::vector<uint64_t>();
  Writer writer;
  writer.events = batch;
  writer.sync = options.sync;
  writer.expected_last_sequence = options.expected_last_sequence;
  std::unique_lock<std::mutex> queue(queue_mu_);
  queue_.push_back(&writer);
  writer.cv.wait(queue,
                 [&] { return writer.done || &writer == queue_.front(); });
  if (writer.done) return std::move(writer.result);
  // This writer leads: it commits everything queued so far as one group.
  std::vector<Writer*> group(queue_.begin(), queue_.end());
  queue.unlock();
  {
    std::lock_guard<std::mutex> commit(commit_mu_);
    CommitGroup(group);
  }
  queue.lock();
  for (Writer* w : group) {
    queue_.pop_front();
    if (w != &writer) {
      w->done = true;
      w->cv.notify_one();
    }
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  return std::move(writer.result);
}

void Ledger::Impl::CommitGroup(const std::vector<Writer*>& group) {
  if (!broken_.ok()) {
    for (Writer* w : group) w->result = broken_;
    return;
  }
  // Validate each batch against the ledger plus the batches accepted before
  // it in this group. A failing batch is dropped; the validator is rebuilt
  // from the accepted ones so that nothing of the failed batch lingers.
  std::vector<Writer*> accepted;
  auto make_validator = [this] {
    return std::make_unique<internal::BatchValidator>(
        areas_, households_, events_, events_.FullCut(), 0, &options_);
  };
  std::unique_ptr<internal::BatchValidator> validator = make_validator();
  uint64_t last = events_.last_sequence();  // after the accepted batches
  for (Writer* w : group) {
    if (w->expected_last_sequence.has_value() &&
        *w->expected_last_sequence != last) {
      w->result = absl::AbortedError(absl::StrCat(
          "the ledger's last sequence number is ", last, ", not the ",
          *w->expected_last_sequence, " expected; nothing recorded"));
      continue;
    }
    validator->BeginBatch(w->events.size());
    absl::Status status;
    for (const v1::LedgerEvent& event : w->events) {
      status = validator->Check(event);
      if (!status.ok()) break;
    }
    if (status.ok()) {
      accepted.push_back(w);
      last += w->events.size();
      continue;
    }
    w->result = status;
    validator = make_validator();
    for (Writer* ok : accepted) {
      validator->BeginBatch(ok->events.size());
      for (const v1::LedgerEvent& event : ok->events) {
        validator->Check(event).IgnoreError();  // passed before
      }
    }
  }
  if (accepted.empty()) return;

  // One record time for the group, never before the previous one, to whole
  // nanoseconds so that it round-trips through google.protobuf.Timestamp.
  absl::Time now = options_.clock->Now();
  now = absl::FromUnixNanos(absl::ToUnixNanos(now));
  const absl::Time record_time = std::max(now, events_.last_record_time());

  if (log_ != nullptr) {
    std::string records;
    bool sync = false;
    uint64_t sequence = events_.last_sequence();
    std::string payload;
    for (Writer* w : accepted) {
      sync |= w->sync;
      payload.clear();
      for (const v1::LedgerEvent& event : w->events) {
        AppendLoggedEvent(event, ++sequence, record_time, &payload);
      }
      if (payload.size() > internal::kMaxRecordBytes) {
        absl::Status status = absl::ResourceExhaustedError(absl::StrCat(
            "batch of ", w->events.size(), " events is ", payload.size(),
            " bytes logged, more than the ", internal::kMaxRecordBytes,
            " a log record may hold; split it"));
        for (Writer* a : accepted) a->result = status;
        return;
      }
      internal::AppendRecord(payload, &records);
    }
    if (absl::Status status = WriteLog(records, sync); !status.ok()) {
      for (Writer* w : accepted) w->result = status;
      return;
    }
  }

  std::unique_lock<std::shared_mutex> lock(mu_);
  for (Writer* w : accepted) w->result = ApplyBatch(w->events, record_time);
}

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

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

}  // namespace

// Appends `event`, numbered, as one `events` entry of an EventBatch. The
// envelope fields are appended after the body's bytes (a parser merges
// them), which saves copying the event; an event whose caller set them is
// copied and overwritten instead, since "ignored on input" must hold.
void Ledger::Impl::AppendLoggedEvent(const v1::LedgerEvent& event,
                                     uint64_t sequence, absl::Time record_time,
                                     std::string* payload) {
  google::protobuf::Timestamp stamp;
  internal::SetTimestamp(record_time, &stamp);
  std::string envelope;
  envelope.push_back(0x08);  // field 1, varint: sequence_number
  PutVarint(sequence, &envelope);
  envelope.push_back(0x12);  // field 2, length-delimited: record_time
  PutVarint(stamp.ByteSizeLong(), &envelope);
  stamp.AppendToString(&envelope);
  payload->push_back(0x0a);  // EventBatch field 1, length-delimited
  if (event.sequence_number() == 0 && !event.has_record_time()) {
    PutVarint(event.ByteSizeLong() + envelope.size(), payload);
    event.AppendToString(payload);
    payload->append(envelope);
    return;
  }
  v1::LedgerEvent copy = event;
  copy.set_sequence_number(sequence);
  *copy.mutable_record_time() = stamp;
  PutVarint(copy.ByteSizeLong(), payload);
  copy.AppendToString(payload);
}

std::vector<uint64_t> Ledger::Impl::ApplyBatch(
    absl::Span<const v1::LedgerEvent> batch, absl::Time record_time) {
  std::vector<uint64_t> sequences;
  sequences.reserve(batch.size());
  // Ids are looked up in hash tables and key slots far larger than the
  // caches: pipeline the lookups of the events' person ids (and a person's
  // household and national id), loading the hash entries 12 events ahead,
  // the key slots 8 ahead and long keys 4 ahead (KeyMap::Prefetch), so that
  // their cache misses overlap.
  const internal::KeyMap& keys = persons_.keys;
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
  auto slots = [](const internal::KeyMap& k, const std::string& id) {
    k.Prefetch(id);
  };
  auto offsets = [](const internal::KeyMap& k, const std::string& id) {
    k.PrefetchIdOf(id);
  };
  auto key_bytes = [](const internal::KeyMap& k, const std::string& id) {
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
    events_.Add(internal::KindOf(event), record_time, event.actor());
    const uint64_t sequence = events_.last_sequence();
    Apply(event, sequence);
    sequences.push_back(sequence);
  }
  return sequences;
}

void Ledger::Impl::Apply(const v1::LedgerEvent& event, uint64_t sequence) {
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
      ApplyPersonEvent(internal::kDiagnoses, d, d.time().seconds(), d.status(),
                       d.has_onset() ? internal::DateToDays(d.onset())
                                     : PersonEventTable::kNoDay);
      break;
    }
    case v1::LedgerEvent::kQuarantineAction: {
      const v1::QuarantineAction& q = event.quarantine_action();
      ApplyPersonEvent(internal::kQuarantineActions, q, q.time().seconds(),
                       q.action() | (q.place() << 8), 0);
      break;
    }
    case v1::LedgerEvent::kHealthCheck: {
      const v1::HealthCheck& c = event.health_check();
      ApplyPersonEvent(
          internal::kHealthChecks, c, c.time().seconds(),
          c.symptoms_size() > 0 ? 1 : 0,
          static_cast<int32_t>(std::lround(c.temperature_celsius() * 100)));
      break;
    }
    case v1::LedgerEvent::kCheckpointPassage: {
      const v1::CheckpointPassage& p = event.checkpoint_passage();
      ApplyPersonEvent(internal::kPassages, p, p.time().seconds(),
                       p.direction(), 0);
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

void Ledger::Impl::ApplyArea(const v1::Area& area) {
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

void Ledger::Impl::ApplyHousehold(const v1::Household& household) {
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

uint32_t Ledger::Impl::PersonId(absl::string_view id, bool registering) {
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

void Ledger::Impl::Recount(EventKind kind, uint32_t entity) {
  const internal::Cut now = events_.FullCut();
  internal::SegmentedArray<uint32_t>* counted;
  internal::SegmentedArray<uint32_t>* counts;
  uint32_t area = kNoId;
  if (kind == EventKind::kPerson) {
    counted = &persons_.counted_area;
    counts = &areas_.person_count;
    const uint32_t v = EffectiveVersion(persons_, events_, entity, now);
    if (v != kNoId) area = persons_.v_area[v];
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
}

void Ledger::Impl::RecountRetracted(uint64_t target) {
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

void Ledger::Impl::ApplyPerson(const v1::Person& person) {
  PersonTable& t = persons_;
  const uint32_t row = static_cast<uint32_t>(t.v_entity.size());
  const uint32_t id = PersonId(person.id(), /*registering=*/true);
  const uint32_t household = person.household_id().empty()
                                 ? kNoId
                                 : households_.keys.Find(person.household_id());
  uint32_t area = kNoId;
  if (!person.area_id().empty()) {
    area = areas_.keys.Find(person.area_id());
  } else if (household != kNoId) {
    const uint32_t version =
        EffectiveVersion(households_, events_, household, events_.FullCut());
    area = households_.v_area[version];
  }
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

void Ledger::Impl::ApplyExposure(const v1::Exposure& exposure) {
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
void Ledger::Impl::ApplyPersonEvent(internal::PersonList list, const Body& body,
                                    int64_t time, uint32_t code,
                                    int32_t value) {
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

v1::Area Ledger::Impl::AreaAt(uint32_t row) const {
  v1::Area area = Parse<v1::Area>(areas_.blobs.Get(areas_.v_blob[row]));
  area.set_id(std::string(areas_.keys.Key(areas_.v_entity[row])));
  if (areas_.v_parent[row] != kNoId) {
    area.set_parent_id(std::string(areas_.keys.Key(areas_.v_parent[row])));
  }
  return area;
}

v1::Household Ledger::Impl::HouseholdAt(uint32_t row) const {
  const HouseholdTable& t = households_;
  v1::Household household = Parse<v1::Household>(t.blobs.Get(t.v_blob[row]));
  household.set_id(std::string(t.keys.Key(t.v_entity[row])));
  household.set_area_id(std::string(areas_.keys.Key(t.v_area[row])));
  return household;
}

v1::Person Ledger::Impl::PersonAt(uint32_t row) const {
  const PersonTable& t = persons_;
  v1::Person person = Parse<v1::Person>(t.blobs.Get(t.v_blob[row]));
  person.set_id(std::string(t.keys.Key(t.v_entity[row])));
  if (t.v_household[row] != kNoId) {
    person.set_household_id(
        std::string(households_.keys.Key(t.v_household[row])));
  }
  if (t.v_national_id[row] != kNoId) {
    person.set_national_id(
        std::string(t.national_ids.Key(t.v_national_id[row])));
  }
  return person;
}

v1::Exposure Ledger::Impl::ExposureAt(uint32_t row) const {
  const ExposureTable& t = exposures_;
  v1::Exposure exposure;
  if (auto it = t.extra.find(row); it != t.extra.end()) {
    exposure = Parse<v1::Exposure>(t.blobs.Get(it->second));
  }
  exposure.set_person_a(std::string(persons_.keys.Key(t.rows[row].person_a)));
  exposure.set_person_b(std::string(persons_.keys.Key(t.rows[row].person_b)));
  internal::SetTimestampSeconds(t.start(row), exposure.mutable_start());
  internal::SetTimestampSeconds(t.end(row), exposure.mutable_end());
  exposure.set_setting(static_cast<v1::ExposureSetting>(t.setting[row]));
  return exposure;
}

template <typename Body>
Body Ledger::Impl::PersonEventAt(internal::PersonList list,
                                 uint32_t row) const {
  const PersonEventTable& t = person_events_[list];
  Body body = Parse<Body>(t.blobs.Get(t.blob[row]));
  body.set_person_id(std::string(persons_.keys.Key(t.person[row])));
  return body;
}

absl::StatusOr<v1::LedgerEvent> Ledger::Impl::GetEvent(
    uint64_t sequence) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  if (sequence == 0 || sequence > events_.last_sequence()) {
    return absl::NotFoundError(absl::StrCat("no event ", sequence,
                                            " (the ledger's last is ",
                                            events_.last_sequence(), ")"));
  }
  v1::LedgerEvent event;
  event.set_sequence_number(sequence);
  internal::SetTimestamp(events_.RecordTimeOf(sequence),
                         event.mutable_record_time());
  event.set_actor(std::string(events_.ActorOf(sequence)));
  const uint64_t row64 = events_.RowOf(sequence);
  const uint32_t row = static_cast<uint32_t>(row64);
  switch (events_.KindOf(sequence)) {
    case EventKind::kArea:
      *event.mutable_area() = AreaAt(row);
      break;
    case EventKind::kHousehold:
      *event.mutable_household() = HouseholdAt(row);
      break;
    case EventKind::kPerson:
      *event.mutable_person() = PersonAt(row);
      break;
    case EventKind::kExposure:
      *event.mutable_exposure() = ExposureAt(row);
      break;
    case EventKind::kDiagnosis:
      *event.mutable_diagnosis() =
          PersonEventAt<v1::Diagnosis>(internal::kDiagnoses, row);
      break;
    case EventKind::kQuarantineAction:
      *event.mutable_quarantine_action() = PersonEventAt<v1::QuarantineAction>(
          internal::kQuarantineActions, row);
      break;
    case EventKind::kHealthCheck:
      *event.mutable_health_check() =
          PersonEventAt<v1::HealthCheck>(internal::kHealthChecks, row);
      break;
    case EventKind::kCheckpointPassage:
      *event.mutable_checkpoint_passage() =
          PersonEventAt<v1::CheckpointPassage>(internal::kPassages, row);
      break;
    case EventKind::kRetraction:
      *event.mutable_retraction() = RetractionAt(row64);
      break;
    case EventKind::kLost:
      return absl::DataLossError(absl::StrCat(
          "event ", sequence, " was lost to log damage skipped on recovery"));
  }
  return event;
}

// ---------------------------------------------------------------------------
// Reading.

absl::StatusOr<uint32_t> Ledger::Impl::VisibleArea(absl::string_view id,
                                                   const Cut& cut) const {
  const uint32_t area = areas_.keys.Find(id);
  if (area == kNoId) {
    return absl::NotFoundError(absl::StrCat("no area '", id, "' is recorded"));
  }
  if (EffectiveVersion(areas_, events_, area, cut) == kNoId) {
    return absl::NotFoundError(absl::StrCat(
        "area '", id, "' has no version visible at sequence ", cut.sequence));
  }
  return area;
}

absl::StatusOr<uint32_t> Ledger::Impl::VisibleHousehold(absl::string_view id,
                                                        const Cut& cut) const {
  const uint32_t household = households_.keys.Find(id);
  if (household == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("no household '", id, "' is recorded"));
  }
  if (EffectiveVersion(households_, events_, household, cut) == kNoId) {
    return absl::NotFoundError(absl::StrCat("household '", id,
                                            "' has no version visible at "
                                            "sequence ",
                                            cut.sequence));
  }
  return household;
}

absl::StatusOr<uint32_t> Ledger::Impl::KnownPerson(absl::string_view id) const {
  const uint32_t person = persons_.keys.Find(id);
  if (person == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("person '", id, "' never occurs in the ledger"));
  }
  return person;
}

std::vector<std::string> Ledger::Impl::SortedKeys(
    const internal::KeyMap& keys, std::vector<uint32_t> ids) const {
  std::vector<absl::string_view> views;
  views.reserve(ids.size());
  for (uint32_t id : ids) views.push_back(keys.Key(id));
  std::sort(views.begin(), views.end());
  return std::vector<std::string>(views.begin(), views.end());
}

absl::StatusOr<v1::Area> Ledger::Impl::GetArea(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  absl::StatusOr<uint32_t> area = VisibleArea(id, cut);
  if (!area.ok()) return area.status();
  return AreaAt(EffectiveVersion(areas_, events_, *area, cut));
}

absl::StatusOr<v1::Household> Ledger::Impl::GetHousehold(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  absl::StatusOr<uint32_t> household = VisibleHousehold(id, cut);
  if (!household.ok()) return household.status();
  return HouseholdAt(EffectiveVersion(households_, events_, *household, cut));
}

absl::StatusOr<v1::Person> Ledger::Impl::GetPerson(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  const uint32_t person = persons_.keys.Find(id);
  if (person == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("no person '", id, "' is recorded"));
  }
  const uint32_t version = EffectiveVersion(persons_, events_, person, cut);
  if (version == kNoId) {
    return absl::NotFoundError(absl::StrCat(
        "person '", id, "' is not registered at sequence ", cut.sequence));
  }
  return PersonAt(version);
}

std::vector<std::string> Ledger::Impl::FindPersonsByNationalId(
    absl::string_view national_id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  const uint32_t nid = persons_.national_ids.Find(national_id);
  std::vector<uint32_t> found;
  if (nid == kNoId) return {};
  for (uint32_t row = persons_.national_id_head[nid]; row != kNoId;
       row = persons_.v_next_same_national_id[row]) {
    const uint32_t person = persons_.v_entity[row];
    if (EffectiveVersion(persons_, events_, person, cut) == row) {
      found.push_back(person);
    }
  }
  return SortedKeys(persons_.keys, std::move(found));
}

absl::StatusOr<std::vector<std::string>> Ledger::Impl::HouseholdMembers(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  absl::StatusOr<uint32_t> household = VisibleHousehold(id, cut);
  if (!household.ok()) return household.status();
  std::vector<uint32_t> members;
  for (uint32_t row = households_.member_head[*household]; row != kNoId;
       row = persons_.v_next_in_household[row]) {
    const uint32_t person = persons_.v_entity[row];
    if (EffectiveVersion(persons_, events_, person, cut) == row) {
      members.push_back(person);
    }
  }
  return SortedKeys(persons_.keys, std::move(members));
}

std::vector<uint32_t> Ledger::Impl::Children(uint32_t area,
                                             const Cut& cut) const {
  std::vector<uint32_t> children;
  for (uint32_t row = areas_.child_head[area]; row != kNoId;
       row = areas_.v_next_sibling[row]) {
    const uint32_t child = areas_.v_entity[row];
    if (EffectiveVersion(areas_, events_, child, cut) == row) {
      children.push_back(child);
    }
  }
  std::sort(children.begin(), children.end(), [this](uint32_t a, uint32_t b) {
    return areas_.keys.Key(a) < areas_.keys.Key(b);
  });
  return children;
}

void Ledger::Impl::CollectSubtree(uint32_t area, const Cut& cut,
                                  std::vector<uint32_t>* out) const {
  out->push_back(area);
  for (uint32_t child : Children(area, cut)) CollectSubtree(child, cut, out);
}

absl::StatusOr<std::vector<std::string>> Ledger::Impl::ChildAreas(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  absl::StatusOr<uint32_t> area = VisibleArea(id, cut);
  if (!area.ok()) return area.status();
  std::vector<std::string> out;
  for (uint32_t child : Children(*area, cut)) {
    out.emplace_back(areas_.keys.Key(child));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> Ledger::Impl::AreaSubtree(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  absl::StatusOr<uint32_t> area = VisibleArea(id, cut);
  if (!area.ok()) return area.status();
  std::vector<uint32_t> subtree;
  CollectSubtree(*area, cut, &subtree);
  std::vector<std::string> out;
  out.reserve(subtree.size());
  for (uint32_t a : subtree) out.emplace_back(areas_.keys.Key(a));
  return out;
}

absl::StatusOr<std::vector<std::string>> Ledger::Impl::PersonsInArea(
    absl::string_view id, const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  absl::StatusOr<uint32_t> area = VisibleArea(id, cut);
  if (!area.ok()) return area.status();
  std::vector<uint32_t> subtree;
  CollectSubtree(*area, cut, &subtree);
  std::vector<uint32_t> found;
  for (uint32_t a : subtree) {
    for (uint32_t row = areas_.person_head[a]; row != kNoId;
         row = persons_.v_next_in_area[row]) {
      const uint32_t person = persons_.v_entity[row];
      if (EffectiveVersion(persons_, events_, person, cut) == row) {
        found.push_back(person);
      }
    }
  }
  return SortedKeys(persons_.keys, std::move(found));
}

bool Ledger::Impl::ReferencedIn(uint32_t person, const Cut& cut) const {
  if (exposures_.AnyRowOf(person, [&](uint32_t row) {
        return events_.Visible(EventKind::kExposure, row, cut);
      })) {
    return true;
  }
  static constexpr EventKind kListKinds[internal::kPersonLists] = {
      EventKind::kDiagnosis, EventKind::kQuarantineAction,
      EventKind::kHealthCheck, EventKind::kCheckpointPassage};
  for (int list = 0; list < internal::kPersonLists; ++list) {
    for (uint32_t row = persons_.ListHead(list, person); row != kNoId;
         row = person_events_[list].next[row]) {
      if (events_.Visible(kListKinds[list], row, cut)) return true;
    }
  }
  return false;
}

std::vector<std::string> Ledger::Impl::UnregisteredPersons(
    const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  std::vector<uint32_t> found;
  const uint32_t persons = static_cast<uint32_t>(persons_.keys.size());
  for (uint32_t person = 0; person < persons; ++person) {
    if (EffectiveVersion(persons_, events_, person, cut) == kNoId &&
        ReferencedIn(person, cut)) {
      found.push_back(person);
    }
  }
  return SortedKeys(persons_.keys, std::move(found));
}

absl::StatusOr<std::vector<Recorded<v1::Exposure>>> Ledger::Impl::ExposuresOf(
    absl::string_view id, absl::Time from, absl::Time to,
    const ReadOptions& options) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  absl::StatusOr<uint32_t> person = KnownPerson(id);
  if (!person.ok()) return person.status();
  const int64_t from_s = CeilSeconds(from);
  const int64_t to_s = absl::ToUnixSeconds(to);
  std::vector<uint32_t> rows;
  exposures_.ForEachRowOf(*person, [&](uint32_t row) {
    if (exposures_.start(row) > to_s || exposures_.end(row) < from_s) return;
    if (events_.Visible(EventKind::kExposure, row, cut)) rows.push_back(row);
  });
  // By start time, then sequence number (rows are in sequence order).
  std::sort(rows.begin(), rows.end(), [this](uint32_t a, uint32_t b) {
    const int64_t sa = exposures_.start(a);
    const int64_t sb = exposures_.start(b);
    return sa != sb ? sa < sb : a < b;
  });
  std::vector<Recorded<v1::Exposure>> out;
  out.reserve(rows.size());
  for (uint32_t row : rows) {
    out.push_back(MakeRecorded(EventKind::kExposure, row, ExposureAt(row)));
  }
  return out;
}

template <typename Body>
absl::StatusOr<std::vector<Recorded<Body>>> Ledger::Impl::PersonEventsOf(
    internal::PersonList list, absl::string_view id,
    const ReadOptions& options) const {
  static constexpr EventKind kListKinds[internal::kPersonLists] = {
      EventKind::kDiagnosis, EventKind::kQuarantineAction,
      EventKind::kHealthCheck, EventKind::kCheckpointPassage};
  std::shared_lock<std::shared_mutex> lock(mu_);
  const Cut cut = CutFor(options);
  absl::StatusOr<uint32_t> person = KnownPerson(id);
  if (!person.ok()) return person.status();
  const PersonEventTable& t = person_events_[list];
  std::vector<uint32_t> rows;
  for (uint32_t row = persons_.ListHead(list, *person); row != kNoId;
       row = t.next[row]) {
    if (events_.Visible(kListKinds[list], row, cut)) rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [&t](uint32_t a, uint32_t b) {
    return t.time[a] != t.time[b] ? t.time[a] < t.time[b] : a < b;
  });
  std::vector<Recorded<Body>> out;
  out.reserve(rows.size());
  for (uint32_t row : rows) {
    out.push_back(
        MakeRecorded(kListKinds[list], row, PersonEventAt<Body>(list, row)));
  }
  return out;
}

LedgerStats Ledger::Impl::Stats() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  LedgerStats stats;
  stats.events = events_.last_sequence();
  stats.areas = areas_.keys.size();
  stats.households = households_.keys.size();
  stats.persons = persons_.keys.size();
  stats.person_versions = persons_.v_entity.size();
  stats.exposures = events_.count(EventKind::kExposure);
  stats.diagnoses = events_.count(EventKind::kDiagnosis);
  stats.quarantine_actions = events_.count(EventKind::kQuarantineAction);
  stats.health_checks = events_.count(EventKind::kHealthCheck);
  stats.checkpoint_passages = events_.count(EventKind::kCheckpointPassage);
  stats.retractions = events_.count(EventKind::kRetraction);
  uint64_t bytes = events_.allocated_bytes() + areas_.allocated_bytes() +
                   households_.allocated_bytes() + persons_.allocated_bytes() +
                   exposures_.allocated_bytes() +
                   retraction_blob_.allocated_bytes() +
                   retraction_blobs_.allocated_bytes();
  for (const auto& t : person_events_) bytes += t.allocated_bytes();
  stats.memory_bytes = bytes;
  return stats;
}

// ---------------------------------------------------------------------------
// The public class forwards to Impl.

std::unique_ptr<Ledger> Ledger::New(const LedgerOptions& options) {
  return std::unique_ptr<Ledger>(new Ledger(std::make_unique<Impl>(options)));
}

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;

absl::StatusOr<uint64_t> Ledger::Append(const v1::LedgerEvent& event,
                                        const WriteOptions& write_options) {
  absl::StatusOr<std::vector<uint64_t>> sequences =
      impl_->AppendBatch(absl::MakeConstSpan(&event, 1), write_options);
  if (!sequences.ok()) return sequences.status();
  return sequences->front();
}

absl::StatusOr<std::vector<uint64_t>> Ledger::AppendBatch(
    absl::Span<const v1::LedgerEvent> events,
    const WriteOptions& write_options) {
  return impl_->AppendBatch(events, write_options);
}

uint64_t Ledger::last_sequence_number() const {
  return impl_->last_sequence_number();
}

absl::StatusOr<v1::LedgerEvent> Ledger::GetEvent(
    uint64_t sequence_number) const {
  return impl_->GetEvent(sequence_number);
}

bool Ledger::IsRetracted(uint64_t sequence_number,
                         const ReadOptions& options) const {
  return impl_->IsRetracted(sequence_number, options);
}

absl::StatusOr<v1::Area> Ledger::GetArea(absl::string_view area_id,
                                         const ReadOptions& options) const {
  return impl_->GetArea(area_id, options);
}

absl::StatusOr<v1::Household> Ledger::GetHousehold(
    absl::string_view household_id, const ReadOptions& options) const {
  return impl_->GetHousehold(household_id, options);
}

absl::StatusOr<v1::Person> Ledger::GetPerson(absl::string_view person_id,
                                             const ReadOptions& options) const {
  return impl_->GetPerson(person_id, options);
}

std::vector<std::string> Ledger::FindPersonsByNationalId(
    absl::string_view national_id, const ReadOptions& options) const {
  return impl_->FindPersonsByNationalId(national_id, options);
}

absl::StatusOr<std::vector<std::string>> Ledger::HouseholdMembers(
    absl::string_view household_id, const ReadOptions& options) const {
  return impl_->HouseholdMembers(household_id, options);
}

absl::StatusOr<std::vector<std::string>> Ledger::ChildAreas(
    absl::string_view area_id, const ReadOptions& options) const {
  return impl_->ChildAreas(area_id, options);
}

absl::StatusOr<std::vector<std::string>> Ledger::AreaSubtree(
    absl::string_view area_id, const ReadOptions& options) const {
  return impl_->AreaSubtree(area_id, options);
}

absl::StatusOr<std::vector<std::string>> Ledger::PersonsInArea(
    absl::string_view area_id, const ReadOptions& options) const {
  return impl_->PersonsInArea(area_id, options);
}

std::vector<std::string> Ledger::UnregisteredPersons(
    const ReadOptions& options) const {
  return impl_->UnregisteredPersons(options);
}

absl::StatusOr<std::vector<Recorded<v1::Exposure>>> Ledger::ExposuresOf(
    absl::string_view person_id, absl::Time from, absl::Time to,
    const ReadOptions& options) const {
  return impl_->ExposuresOf(person_id, from, to, options);
}

absl::StatusOr<std::vector<Recorded<v1::Diagnosis>>> Ledger::DiagnosesOf(
    absl::string_view person_id, const ReadOptions& options) const {
  return impl_->PersonEventsOf<v1::Diagnosis>(internal::kDiagnoses, person_id,
                                              options);
}

absl::StatusOr<std::vector<Recorded<v1::QuarantineAction>>>
Ledger::QuarantineActionsOf(absl::string_view person_id,
                            const ReadOptions& options) const {
  return impl_->PersonEventsOf<v1::QuarantineAction>(
      internal::kQuarantineActions, person_id, options);
}

absl::StatusOr<std::vector<Recorded<v1::HealthCheck>>> Ledger::HealthChecksOf(
    absl::string_view person_id, const ReadOptions& options) const {
  return impl_->PersonEventsOf<v1::HealthCheck>(internal::kHealthChecks,
                                                person_id, options);
}

absl::StatusOr<std::vector<Recorded<v1::CheckpointPassage>>> Ledger::PassagesOf(
    absl::string_view person_id, const ReadOptions& options) const {
  return impl_->PersonEventsOf<v1::CheckpointPassage>(internal::kPassages,
                                                      person_id, options);
}

LedgerStats Ledger::Stats() const { return impl_->Stats(); }

const LedgerOptions& Ledger::options() const { return impl_->options(); }

}  // namespace contactledger
