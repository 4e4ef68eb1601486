// Copyright 2026 The ContactLedger Authors.
//
// Tracer::OpenLoops(): where the loop is still open at `at` (docs/rules.md
// section 8). FindOpenLoops runs one step per kind of loop, in this order:
//
//   AddRosterLoops         unisolated_case, early_release, unplaced and
//                          no_owner, for the persons in the roster
//   AddMissedChecks        missed_check, for everyone with a stay open
//   AddUnescalatedFevers   fever_not_escalated
//   AddCheckpointBreaches  checkpoint_breach
//   AddUnregistered        unregistered
//
// and sorts what they found by person id, kind and since.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/tracing.h"
#include "lib/query/tracer_state.h"
#include "lib/query/tracing_engine.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace internal {
namespace {

// The stays of the persons the steps ask about, each read once. Node-based:
// callers hold the stays of one person while asking for another's.
class StayCache {
 public:
  explicit StayCache(const TracingContext& c) : c_(c) {}

  const Stays& Of(uint32_t person) {
    auto it = stays_.find(person);
    if (it == stays_.end())
      it = stays_.emplace(person, StaysOf(c_, person)).first;
    return it->second;
  }

 private:
  const TracingContext& c_;
  absl::node_hash_map<uint32_t, Stays> stays_;
};

// ---------------------------------------------------------------------------
// Roster members: unisolated_case, early_release, unplaced, no_owner.

// unisolated_case: an index case not in a hospital or centralized stay once
// the placement deadline after its diagnosis has passed.
void AddUnisolatedCase(const TracingContext& c, uint32_t person,
                       const CaseInfo& info, const Stay* open,
                       std::vector<Loop>* loops) {
  const int64_t placement = c.policy.placement_deadline().seconds();
  const bool removed =
      open != nullptr && (open->place == v1::QUARANTINE_PLACE_HOSPITAL ||
                          open->place == v1::QUARANTINE_PLACE_CENTRALIZED);
  if (removed || c.at < info.diagnosis_time + placement) return;
  loops->push_back(
      Loop{person, LoopKind::kUnisolatedCase, info.diagnosis_time + placement,
           absl::StrCat(TracerStatusName(info.status),
                        " case not in a hospital or centralized stay")});
}

// early_release: a contact without an open stay whose stay ended after it
// was required; unplaced: one with no such stay by the placement deadline.
void AddUnplacedContact(const TracingContext& c, uint32_t person,
                        const ContactInfo& contact, const Stays& own,
                        std::vector<Loop>* loops) {
  const absl::TimeZone& zone = c.reader.time_zone();
  const int64_t placement = c.policy.placement_deadline().seconds();
  const int64_t required_since = contact.required_since;
  int64_t released = kNever;
  for (const Stay& stay : own) {
    if (stay.end != kForever && stay.end > required_since && stay.end <= c.at) {
      released = std::max(released, stay.end);
    }
  }
  const std::string who =
      absl::StrCat(RoleName(contact.role), " of ",
                   c.reader.persons().keys.Key(contact.source),
                   "; required place ", TracerPlaceName(contact.place));
  if (released != kNever) {
    loops->push_back(
        Loop{person, LoopKind::kEarlyRelease, released,
             absl::StrCat(
                 who, "; stay ended ", FormatInstant(released, zone),
                 contact.until_day
                     ? absl::StrCat(" before ",
                                    absl::FormatCivilTime(
                                        CivilDayFromNumber(*contact.until_day)))
                     : std::string(" while continuous"))});
  } else if (c.at >= required_since + placement) {
    loops->push_back(Loop{person, LoopKind::kUnplaced,
                          required_since + placement,
                          absl::StrCat(who, "; no stay since ",
                                       FormatInstant(required_since, zone))});
  }
}

// Why nobody answers for the person's household ("no household", or the
// household has no responsible worker); "" when someone does.
std::string OwnerGap(const TracingContext& c, uint32_t person) {
  const uint32_t household = HouseholdOf(c, person);
  if (household == kNoId) return "no household";
  const HouseholdTable& h = c.reader.households();
  const uint32_t version =
      EffectiveVersion(h, c.reader.events(), household, c.cut);
  if (!HouseholdRecordAt(c.reader, version).responsible_worker().empty()) {
    return "";
  }
  return absl::StrCat("household ", h.keys.Key(household),
                      " has no responsible worker");
}

void AddRosterLoops(const TracingContext& c, const TracingResult& result,
                    StayCache* stays, std::vector<Loop>* loops) {
  for (uint32_t person : result.roster) {
    const Stays& own = stays->Of(person);
    const Stay* open = OpenStayAt(own, c.at);
    int64_t required_since;
    if (auto it = result.cases.find(person); it != result.cases.end()) {
      required_since = it->second.diagnosis_time;
      AddUnisolatedCase(c, person, it->second, open, loops);
    } else {
      const ContactInfo& contact = result.contacts.at(person);
      required_since = contact.required_since;
      if (open == nullptr) AddUnplacedContact(c, person, contact, own, loops);
    }
    std::string gap = OwnerGap(c, person);
    if (!gap.empty()) {
      loops->push_back(
          Loop{person, LoopKind::kNoOwner, required_since, std::move(gap)});
    }
  }
}

// ---------------------------------------------------------------------------
// missed_check.

// The time of the person's latest visible health check at or before c.at,
// or kNever.
int64_t LastCheck(const TracingContext& c, uint32_t person) {
  const PersonEventTable& checks = c.reader.person_events(kHealthChecks);
  const EventIndex& events = c.reader.events();
  int64_t last = kNever;
  for (uint32_t row = c.reader.persons().ListHead(kHealthChecks, person);
       row != kNoId; row = checks.next[row]) {
    if (checks.time[row] <= c.at &&
        events.Visible(EventKind::kHealthCheck, row, c.cut)) {
      last = std::max(last, checks.time[row]);
    }
  }
  return last;
}

// missed_check: a person in a stay open at `at` not checked within the
// policy's interval (since the last check, or since the stay began).
void AddMissedChecks(const TracingContext& c, StayCache* stays,
                     std::vector<Loop>* loops) {
  const absl::TimeZone& zone = c.reader.time_zone();
  const int64_t interval = c.policy.check_interval().seconds();
  for (uint32_t person : PersonsWithActions(c)) {
    const Stay* open = OpenStayAt(stays->Of(person), c.at);
    if (open == nullptr) continue;
    const int64_t last_check = LastCheck(c, person);
    const int64_t from = std::max(last_check, open->start);
    if (c.at - from <= interval) continue;
    loops->push_back(Loop{
        person, LoopKind::kMissedCheck, from + interval,
        last_check >= open->start
            ? absl::StrCat("last check ", FormatInstant(last_check, zone))
            : absl::StrCat("no check since the ", TracerPlaceName(open->place),
                           " stay began ", FormatInstant(open->start, zone))});
  }
}

// ---------------------------------------------------------------------------
// fever_not_escalated.

// The rows of the visible checks at or before c.at that show a fever (at or
// above the policy's threshold, or with symptoms), per person.
absl::flat_hash_map<uint32_t, std::vector<uint32_t>> FeverRows(
    const TracingContext& c) {
  const PersonEventTable& checks = c.reader.person_events(kHealthChecks);
  const EventIndex& events = c.reader.events();
  const int64_t threshold = static_cast<int64_t>(
      std::llround(c.policy.fever_threshold_celsius() * 100));
  const uint64_t rows = c.cut.rows[static_cast<int>(EventKind::kHealthCheck)];
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> fevers;
  for (uint32_t row = 0; row < rows; ++row) {
    if (checks.time[row] > c.at ||
        !events.Visible(EventKind::kHealthCheck, row, c.cut)) {
      continue;
    }
    // The column holds 0.01 °C; near the threshold, compare the recorded
    // value itself.
    bool fever = checks.code[row] != 0 || checks.value[row] > threshold + 1;
    if (!fever && checks.value[row] >= threshold - 1) {
      fever = HealthCheckRecordAt(c.reader, row).temperature_celsius() >=
              c.policy.fever_threshold_celsius();
    }
    if (fever) fevers[checks.person[row]].push_back(row);
  }
  return fevers;
}

// Whether the person has a visible diagnosis timed in [t, c.at].
bool DiagnosedSince(const TracingContext& c, uint32_t person, int64_t t) {
  const PersonEventTable& diagnoses = c.reader.person_events(kDiagnoses);
  for (uint32_t d = c.reader.persons().ListHead(kDiagnoses, person); d != kNoId;
       d = diagnoses.next[d]) {
    if (diagnoses.time[d] >= t && diagnoses.time[d] <= c.at &&
        c.reader.events().Visible(EventKind::kDiagnosis, d, c.cut)) {
      return true;
    }
  }
  return false;
}

// fever_not_escalated: per person, the earliest fever older than the
// escalation deadline with no diagnosis since.
void AddUnescalatedFevers(const TracingContext& c, std::vector<Loop>* loops) {
  const PersonEventTable& checks = c.reader.person_events(kHealthChecks);
  const absl::TimeZone& zone = c.reader.time_zone();
  const int64_t escalation = c.policy.escalation_deadline().seconds();
  for (auto& [person, rows] : FeverRows(c)) {
    std::sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
      return checks.time[a] != checks.time[b] ? checks.time[a] < checks.time[b]
                                              : a < b;
    });
    for (uint32_t row : rows) {
      const int64_t t = checks.time[row];
      if (c.at - t <= escalation) break;  // later fevers are later still
      if (DiagnosedSince(c, person, t)) continue;
      loops->push_back(
          Loop{person, LoopKind::kFeverNotEscalated, t + escalation,
               absl::StrFormat("%.1f °C%s at %s, no diagnosis since",
                               checks.value[row] / 100.0,
                               checks.code[row] != 0 ? " with symptoms" : "",
                               FormatInstant(t, zone))});
      break;
    }
  }
}

// ---------------------------------------------------------------------------
// checkpoint_breach.

// Who could be in the roster at any time up to c.at: within one hop
// (exposure or household) of someone with a case-status diagnosis, or two
// when the policy has secondary contacts (a close contact is one hop from
// its case, a secondary contact two).
absl::flat_hash_set<uint32_t> RosterReach(const TracingContext& c) {
  const PersonEventTable& diagnoses = c.reader.person_events(kDiagnoses);
  const EventIndex& events = c.reader.events();
  const int hops = c.policy.secondary_contact_phases().empty() ? 1 : 2;
  absl::flat_hash_set<uint32_t> reach;
  std::vector<uint32_t> frontier;
  const uint64_t rows = c.cut.rows[static_cast<int>(EventKind::kDiagnosis)];
  for (uint32_t row = 0; row < rows; ++row) {
    const int status = static_cast<int>(diagnoses.code[row]);
    if (diagnoses.time[row] <= c.at && status != v1::DIAGNOSIS_STATUS_CLEARED &&
        events.Visible(EventKind::kDiagnosis, row, c.cut) &&
        reach.insert(diagnoses.person[row]).second) {
      frontier.push_back(diagnoses.person[row]);
    }
  }
  for (int hop = 0; hop < hops; ++hop) {
    std::vector<uint32_t> next;
    auto visit = [&](uint32_t other) {
      if (reach.insert(other).second) next.push_back(other);
    };
    for (uint32_t person : frontier) {
      ForEachExposure(c, person,
                      [&](uint32_t, uint32_t partner, int64_t, int64_t) {
                        visit(partner);
                      });
      for (uint32_t member : MembersOf(c, HouseholdOf(c, person))) {
        visit(member);
      }
    }
    frontier = std::move(next);
  }
  return reach;
}

// The roster at each moment a passage asks about, computed once per moment.
class PastRosters {
 public:
  explicit PastRosters(const TracingContext& c) : c_(c) {}

  bool Contains(int64_t t, uint32_t person) {
    auto it = rosters_.find(t);
    if (it == rosters_.end()) {
      TracingContext then{c_.reader, c_.cut, t, c_.policy};
      TracingResult past = ComputeTracing(then);
      it = rosters_
               .emplace(t, absl::flat_hash_set<uint32_t>(past.roster.begin(),
                                                         past.roster.end()))
               .first;
    }
    return it->second.contains(person);
  }

 private:
  const TracingContext& c_;
  absl::flat_hash_map<int64_t, absl::flat_hash_set<uint32_t>> rosters_;
};

// checkpoint_breach: a passage while in a stay, or while in the roster as
// it stood at the passage.
void AddCheckpointBreaches(const TracingContext& c, StayCache* stays,
                           std::vector<Loop>* loops) {
  const PersonEventTable& passages = c.reader.person_events(kPassages);
  const uint64_t rows =
      c.cut.rows[static_cast<int>(EventKind::kCheckpointPassage)];
  std::optional<absl::flat_hash_set<uint32_t>> reach;  // built when needed
  PastRosters rosters(c);
  for (uint32_t row = 0; row < rows; ++row) {
    const int64_t t = passages.time[row];
    if (t > c.at ||
        !c.reader.events().Visible(EventKind::kCheckpointPassage, row, c.cut)) {
      continue;
    }
    const uint32_t person = passages.person[row];
    const v1::CheckpointPassage body = PassageRecordAt(c.reader, row);
    const std::string where = absl::StrCat(
        "passed ", body.checkpoint_id(),
        body.direction() == v1::PASSAGE_DIRECTION_IN ? " (in)" : " (out)");
    if (const Stay* open = OpenStayAt(stays->Of(person), t)) {
      loops->push_back(
          Loop{person, LoopKind::kCheckpointBreach, t,
               absl::StrCat(where, " during a ", TracerPlaceName(open->place),
                            " stay")});
      continue;
    }
    if (!reach.has_value()) reach = RosterReach(c);
    if (!reach->contains(person)) continue;
    if (rosters.Contains(t, person)) {
      loops->push_back(Loop{person, LoopKind::kCheckpointBreach, t,
                            absl::StrCat(where, " while in the roster")});
    }
  }
}

// ---------------------------------------------------------------------------
// unregistered.

// The event kind of each person-keyed list (PersonList order).
constexpr EventKind kListKinds[kPersonLists] = {
    EventKind::kDiagnosis, EventKind::kQuarantineAction,
    EventKind::kHealthCheck, EventKind::kCheckpointPassage};

// How many visible events timed at or before c.at name the person, and the
// earliest of their times (kForever for none).
struct References {
  int count = 0;
  int64_t first = kForever;
};

References ReferencesTo(const TracingContext& c, uint32_t person) {
  const EventIndex& events = c.reader.events();
  const ExposureTable& exposures = c.reader.exposures();
  References refs;
  exposures.ForEachRowOf(person, [&](uint32_t row) {
    const int64_t start = exposures.start(row);
    if (start <= c.at && events.Visible(EventKind::kExposure, row, c.cut)) {
      refs.first = std::min(refs.first, start);
      ++refs.count;
    }
  });
  for (int list = 0; list < kPersonLists; ++list) {
    const PersonEventTable& t =
        c.reader.person_events(static_cast<PersonList>(list));
    for (uint32_t row = c.reader.persons().ListHead(list, person); row != kNoId;
         row = t.next[row]) {
      if (t.time[row] <= c.at && events.Visible(kListKinds[list], row, c.cut)) {
        refs.first = std::min(refs.first, t.time[row]);
        ++refs.count;
      }
    }
  }
  return refs;
}

// unregistered: a person events refer to who was never registered (as of
// the cut).
void AddUnregistered(const TracingContext& c, std::vector<Loop>* loops) {
  const PersonTable& persons = c.reader.persons();
  absl::flat_hash_set<uint32_t> candidates;
  for (size_t i = 0; i < persons.maybe_unregistered.size(); ++i) {
    candidates.insert(persons.maybe_unregistered[i]);
  }
  for (uint32_t person : candidates) {
    if (persons.latest[person] != kNoId &&
        EffectiveVersion(persons, c.reader.events(), person, c.cut) != kNoId) {
      continue;
    }
    const References refs = ReferencesTo(c, person);
    if (refs.count == 0) continue;
    loops->push_back(Loop{person, LoopKind::kUnregistered, refs.first,
                          absl::StrCat("referenced by ", refs.count,
                                       refs.count == 1 ? " event" : " events",
                                       ", never registered")});
  }
}

// ---------------------------------------------------------------------------

void SortLoops(const TracingContext& c, std::vector<Loop>* loops) {
  const auto& keys = c.reader.persons().keys;
  std::sort(loops->begin(), loops->end(),
            [&keys](const Loop& a, const Loop& b) {
              if (a.person != b.person) {
                return keys.Key(a.person) < keys.Key(b.person);
              }
              if (a.kind != b.kind) return a.kind < b.kind;
              return a.since < b.since;
            });
}

}  // namespace

std::vector<Loop> FindOpenLoops(const TracingContext& c,
                                const TracingResult& result) {
  std::vector<Loop> loops;
  StayCache stays(c);
  AddRosterLoops(c, result, &stays, &loops);
  AddMissedChecks(c, &stays, &loops);
  AddUnescalatedFevers(c, &loops);
  AddCheckpointBreaches(c, &stays, &loops);
  AddUnregistered(c, &loops);
  SortLoops(c, &loops);
  return loops;
}

}  // namespace internal

std::vector<OpenLoop> Tracer::OpenLoops() const {
  if (state_->filter != nullptr) return state_->filter->OpenLoops();
  internal::LedgerReader reader(*state_->ledger);
  const internal::TracingContext c = state_->Context(reader);
  std::vector<OpenLoop> out;
  for (const internal::Loop& loop : state_->CachedLoops(c)) {
    out.push_back(OpenLoop{std::string(reader.persons().keys.Key(loop.person)),
                           loop.kind, absl::FromUnixSeconds(loop.since),
                           loop.detail});
  }
  return out;
}

}  // namespace contactledger
