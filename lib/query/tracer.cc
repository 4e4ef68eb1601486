// contactledger::Tracer: the closed-loop queries over a TracingResult.

#include <algorithm>
#include <array>
#include <functional>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "contactledger/tracing.h"
#include "lib/query/id_order.h"
#include "lib/query/ledger_reader.h"
#include "lib/query/tracer_filter.h"
#include "lib/query/tracing_engine.h"

namespace contactledger {

using internal::ComputeTracing;
using internal::EventKind;
using internal::kForever;
using internal::kNever;
using internal::kNoId;
using internal::LedgerReader;
using internal::PersonEventTable;
using internal::Stay;
using internal::TracingContext;
using internal::TracingResult;

namespace {

// The persons a walk has reached: open addressing over dense ids, in a
// buffer on the stack while small (most walks reach a few dozen persons),
// in a hash set once it holds more than kInline / 2.
class ReachedSet {
 public:
  ReachedSet() { slots_.fill(kNoId); }

  // Adds `id`; false when it was there already.
  bool Insert(uint32_t id) {
    if (spilled_) return big_.insert(id).second;
    for (size_t i = (id * 0x9E3779B1u) >> (32 - kBits);;
         i = (i + 1) & (kInline - 1)) {
      if (slots_[i] == id) return false;
      if (slots_[i] == kNoId) {
        slots_[i] = id;
        if (++size_ > kInline / 2) Spill();
        return true;
      }
    }
  }

 private:
  static constexpr int kBits = 10;
  static constexpr size_t kInline = size_t{1} << kBits;

  void Spill() {
    big_.reserve(2 * size_);
    for (uint32_t id : slots_) {
      if (id != kNoId) big_.insert(id);
    }
    spilled_ = true;
  }

  std::array<uint32_t, kInline> slots_;
  size_t size_ = 0;
  bool spilled_ = false;
  absl::flat_hash_set<uint32_t> big_;
};

absl::Time Instant(int64_t seconds) { return absl::FromUnixSeconds(seconds); }

absl::CivilDay Day(int64_t day_number) {
  return internal::CivilDayFromNumber(day_number);
}

std::string FormatInstant(int64_t seconds, const absl::TimeZone& zone) {
  return absl::FormatTime(absl::RFC3339_sec, Instant(seconds), zone);
}

const char* PlaceName(v1::QuarantinePlace place) {
  switch (place) {
    case v1::QUARANTINE_PLACE_HOSPITAL:
      return "hospital";
    case v1::QUARANTINE_PLACE_CENTRALIZED:
      return "centralized";
    case v1::QUARANTINE_PLACE_HOME:
      return "home";
    default:
      return "none";
  }
}

const char* StatusName(v1::DiagnosisStatus status) {
  switch (status) {
    case v1::DIAGNOSIS_STATUS_SUSPECTED:
      return "suspected";
    case v1::DIAGNOSIS_STATUS_CONFIRMED:
      return "confirmed";
    case v1::DIAGNOSIS_STATUS_ASYMPTOMATIC:
      return "asymptomatic";
    case v1::DIAGNOSIS_STATUS_RECOVERED:
      return "recovered";
    case v1::DIAGNOSIS_STATUS_DECEASED:
      return "deceased";
    case v1::DIAGNOSIS_STATUS_CLEARED:
      return "cleared";
    default:
      return "unknown";
  }
}

// Seconds of the earliest whole second at or after `t`.
int64_t CeilSeconds(absl::Time t) {
  const int64_t s = absl::ToUnixSeconds(t);
  return absl::FromUnixSeconds(s) < t ? s + 1 : s;
}

struct Loop {
  uint32_t person;
  LoopKind kind;
  int64_t since;
  std::string detail;
};

}  // namespace

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kCase:
      return "case";
    case Role::kCloseContact:
      return "close_contact";
    case Role::kSecondaryContact:
      return "secondary_contact";
  }
  return "";
}

absl::string_view LoopKindName(LoopKind kind) {
  switch (kind) {
    case LoopKind::kUnplaced:
      return "unplaced";
    case LoopKind::kUnisolatedCase:
      return "unisolated_case";
    case LoopKind::kEarlyRelease:
      return "early_release";
    case LoopKind::kMissedCheck:
      return "missed_check";
    case LoopKind::kFeverNotEscalated:
      return "fever_not_escalated";
    case LoopKind::kNoOwner:
      return "no_owner";
    case LoopKind::kCheckpointBreach:
      return "checkpoint_breach";
    case LoopKind::kUnregistered:
      return "unregistered";
  }
  return "";
}

class Tracer::State {
 public:
  const Ledger* ledger = nullptr;
  QueryOptions options;
  // The policy in force (options.policy, always set but in a filtered
  // tracer, which never asks).
  const v1::Policy& policy() const { return *options.policy; }
  ReadOptions pinned;  // the cut seen at creation
  int64_t at = 0;
  TracingResult result;
  // Set for a scoped view's Tracer: every answer comes from it.
  std::unique_ptr<const internal::TracerFilter> filter;

  TracingContext Context(const LedgerReader& r) const {
    return TracingContext{r, r.CutFor(pinned), at, policy()};
  }

  std::vector<Loop> Loops(const TracingContext& c) const;
  // Loops(), computed once per Tracer: OpenLoops() and every AreaRollup()
  // call share it (the answer depends only on the pinned cut, `at` and the
  // policy). Thread-safe.
  const std::vector<Loop>& CachedLoops(const TracingContext& c) const {
    std::call_once(loops_once_, [&] { loops_ = Loops(c); });
    return loops_;
  }
  // Sets every field of *entry to the person's roster entry (reusing the
  // strings' memory).
  void FillEntry(const TracingContext& c, uint32_t person,
                 RosterEntry* entry) const;

  // What AreaRollup() counts besides persons and households, one (area,
  // field) pair per count for the persons that have an area: field is a
  // Tally::Field, or kLoops + the LoopKind. Computed once per Tracer (like
  // the loops, it depends only on the pinned cut, `at` and the policy) and
  // shared by every AreaRollup() call, which then only sorts it into its
  // rows.
  struct Tally {
    enum Field : uint32_t {
      kActiveCase,
      kCloseContact,
      kSecondaryContact,
      kInHospital,
      kInCentralized,
      kAtHome,
      kCheckLast24h,
      kLoops,
    };
    uint32_t area;
    uint32_t field;
  };
  const std::vector<Tally>& CachedTallies(const TracingContext& c) const;

 private:
  mutable std::once_flag loops_once_;
  mutable std::vector<Loop> loops_;
  mutable std::once_flag tallies_once_;
  mutable std::vector<Tally> tallies_;
};

const std::vector<Tracer::State::Tally>& Tracer::State::CachedTallies(
    const TracingContext& c) const {
  std::call_once(tallies_once_, [&] {
    const LedgerReader& reader = c.reader;
    const internal::EventIndex& events = reader.events();
    auto add = [&](uint32_t person, uint32_t field) {
      const uint32_t a = internal::AreaOf(c, person);
      if (a != kNoId) tallies_.push_back(Tally{a, field});
    };
    for (uint32_t person : result.roster) {
      if (result.cases.contains(person)) {
        add(person, Tally::kActiveCase);
      } else if (result.contacts.at(person).role == Role::kCloseContact) {
        add(person, Tally::kCloseContact);
      } else {
        add(person, Tally::kSecondaryContact);
      }
    }
    const PersonEventTable& actions =
        reader.person_events(internal::kQuarantineActions);
    absl::flat_hash_set<uint32_t> with_actions;
    const uint64_t action_rows =
        c.cut.rows[static_cast<int>(EventKind::kQuarantineAction)];
    for (uint32_t row = 0; row < action_rows; ++row) {
      if (actions.time[row] <= c.at &&
          events.Visible(EventKind::kQuarantineAction, row, c.cut)) {
        with_actions.insert(actions.person[row]);
      }
    }
    for (uint32_t person : with_actions) {
      const internal::Stays stays = internal::StaysOf(c, person);
      const Stay* open = internal::OpenStayAt(stays, c.at);
      if (open == nullptr) continue;
      switch (open->place) {
        case v1::QUARANTINE_PLACE_HOSPITAL:
          add(person, Tally::kInHospital);
          break;
        case v1::QUARANTINE_PLACE_CENTRALIZED:
          add(person, Tally::kInCentralized);
          break;
        default:
          add(person, Tally::kAtHome);
          break;
      }
    }
    for (const Loop& loop : CachedLoops(c)) {
      add(loop.person, Tally::kLoops + static_cast<uint32_t>(loop.kind));
    }
    const PersonEventTable& checks =
        reader.person_events(internal::kHealthChecks);
    const uint64_t check_rows =
        c.cut.rows[static_cast<int>(EventKind::kHealthCheck)];
    for (uint32_t row = 0; row < check_rows; ++row) {
      if (checks.time[row] <= c.at && checks.time[row] > c.at - 86400 &&
          events.Visible(EventKind::kHealthCheck, row, c.cut)) {
        add(checks.person[row], Tally::kCheckLast24h);
      }
    }
  });
  return tallies_;
}

void Tracer::State::FillEntry(const TracingContext& c, uint32_t person,
                              RosterEntry* entry) const {
  const auto& keys = c.reader.persons().keys;
  const absl::string_view id = keys.Key(person);
  entry->person_id.assign(id.data(), id.size());
  if (auto it = result.cases.find(person); it != result.cases.end()) {
    entry->role = Role::kCase;
    entry->source.clear();
    entry->last_exposure = absl::InfinitePast();
    entry->until.reset();
    entry->continuous = false;
    entry->place = v1::QUARANTINE_PLACE_HOSPITAL;
    entry->required_since = Instant(it->second.diagnosis_time);
    return;
  }
  const internal::ContactInfo& contact = result.contacts.at(person);
  entry->role = contact.role;
  const absl::string_view source = keys.Key(contact.source);
  entry->source.assign(source.data(), source.size());
  entry->last_exposure = Instant(contact.last);
  if (contact.until_day) {
    entry->until = Day(*contact.until_day);
  } else {
    entry->until.reset();
  }
  entry->continuous = contact.continuous;
  entry->place = contact.place;
  entry->required_since = Instant(contact.required_since);
}

std::vector<Loop> Tracer::State::Loops(const TracingContext& c) const {
  std::vector<Loop> loops;
  const LedgerReader& r = c.reader;
  const internal::EventIndex& events = r.events();
  const absl::TimeZone& zone = r.time_zone();
  const auto& keys = r.persons().keys;
  const int64_t placement = policy().placement_deadline().seconds();

  // Node-based: callers hold a stay of one person while asking for others.
  absl::node_hash_map<uint32_t, internal::Stays> stays;
  auto stays_of = [&](uint32_t person) -> const internal::Stays& {
    auto it = stays.find(person);
    if (it == stays.end()) {
      it = stays.emplace(person, internal::StaysOf(c, person)).first;
    }
    return it->second;
  };

  // Roster members: unplaced, early_release, unisolated_case, no_owner.
  for (uint32_t person : result.roster) {
    const internal::Stays& own = stays_of(person);
    const Stay* open = internal::OpenStayAt(own, at);
    int64_t required_since;
    if (auto it = result.cases.find(person); it != result.cases.end()) {
      const internal::CaseInfo& info = it->second;
      required_since = info.diagnosis_time;
      const bool removed =
          open != nullptr && (open->place == v1::QUARANTINE_PLACE_HOSPITAL ||
                              open->place == v1::QUARANTINE_PLACE_CENTRALIZED);
      if (!removed && at >= info.diagnosis_time + placement) {
        loops.push_back(Loop{person, LoopKind::kUnisolatedCase,
                             info.diagnosis_time + placement,
                             absl::StrCat(StatusName(info.status),
                                          " case not in a hospital or "
                                          "centralized stay")});
      }
    } else {
      const internal::ContactInfo& contact = result.contacts.at(person);
      required_since = contact.required_since;
      if (open == nullptr) {
        int64_t released = kNever;
        for (const Stay& stay : own) {
          if (stay.end != kForever && stay.end > required_since &&
              stay.end <= at) {
            released = std::max(released, stay.end);
          }
        }
        const std::string who = absl::StrCat(
            RoleName(contact.role), " of ", keys.Key(contact.source),
            "; required place ", PlaceName(contact.place));
        if (released != kNever) {
          loops.push_back(Loop{
              person, LoopKind::kEarlyRelease, released,
              absl::StrCat(
                  who, "; stay ended ", FormatInstant(released, zone),
                  contact.until_day
                      ? absl::StrCat(" before ", absl::FormatCivilTime(
                                                     Day(*contact.until_day)))
                      : std::string(" while continuous"))});
        } else if (at >= required_since + placement) {
          loops.push_back(
              Loop{person, LoopKind::kUnplaced, required_since + placement,
                   absl::StrCat(who, "; no stay since ",
                                FormatInstant(required_since, zone))});
        }
      }
    }
    const uint32_t household = internal::HouseholdOf(c, person);
    std::string owner_gap;
    if (household == kNoId) {
      owner_gap = "no household";
    } else {
      const auto& h = r.households();
      const uint32_t version = EffectiveVersion(h, events, household, c.cut);
      v1::Household body;
      const absl::string_view bytes = h.blobs.Get(h.v_blob[version]);
      body.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
      if (body.responsible_worker().empty()) {
        owner_gap = absl::StrCat("household ", h.keys.Key(household),
                                 " has no responsible worker");
      }
    }
    if (!owner_gap.empty()) {
      loops.push_back(
          Loop{person, LoopKind::kNoOwner, required_since, owner_gap});
    }
  }

  // Everyone with a stay open at `at`: missed_check.
  const PersonEventTable& actions =
      r.person_events(internal::kQuarantineActions);
  const PersonEventTable& checks = r.person_events(internal::kHealthChecks);
  const uint64_t action_rows =
      c.cut.rows[static_cast<int>(EventKind::kQuarantineAction)];
  absl::flat_hash_set<uint32_t> with_actions;
  for (uint32_t row = 0; row < action_rows; ++row) {
    if (actions.time[row] <= at &&
        events.Visible(EventKind::kQuarantineAction, row, c.cut)) {
      with_actions.insert(actions.person[row]);
    }
  }
  const int64_t interval = policy().check_interval().seconds();
  for (uint32_t person : with_actions) {
    const Stay* open = internal::OpenStayAt(stays_of(person), at);
    if (open == nullptr) continue;
    int64_t last_check = kNever;
    for (uint32_t row = r.persons().ListHead(internal::kHealthChecks, person);
         row != kNoId; row = checks.next[row]) {
      if (checks.time[row] <= at &&
          events.Visible(EventKind::kHealthCheck, row, c.cut)) {
        last_check = std::max(last_check, checks.time[row]);
      }
    }
    const int64_t from = std::max(last_check, open->start);
    if (at - from > interval) {
      loops.push_back(Loop{
          person, LoopKind::kMissedCheck, from + interval,
          last_check >= open->start
              ? absl::StrCat("last check ", FormatInstant(last_check, zone))
              : absl::StrCat("no check since the ", PlaceName(open->place),
                             " stay began ",
                             FormatInstant(open->start, zone))});
    }
  }

  // fever_not_escalated: the earliest unescalated fever per person.
  const int64_t threshold = static_cast<int64_t>(
      std::llround(policy().fever_threshold_celsius() * 100));
  const int64_t escalation = policy().escalation_deadline().seconds();
  const uint64_t check_rows =
      c.cut.rows[static_cast<int>(EventKind::kHealthCheck)];
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> fevers;
  for (uint32_t row = 0; row < check_rows; ++row) {
    if (checks.time[row] > at ||
        !events.Visible(EventKind::kHealthCheck, row, c.cut)) {
      continue;
    }
    // The column holds 0.01 °C; near the threshold, compare the recorded
    // value itself.
    bool fever = checks.code[row] != 0 || checks.value[row] > threshold + 1;
    if (!fever && checks.value[row] >= threshold - 1) {
      v1::HealthCheck body;
      const absl::string_view bytes = checks.blobs.Get(checks.blob[row]);
      body.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
      fever = body.temperature_celsius() >= policy().fever_threshold_celsius();
    }
    if (fever) fevers[checks.person[row]].push_back(row);
  }
  const PersonEventTable& diagnoses = r.person_events(internal::kDiagnoses);
  for (auto& [person, rows] : fevers) {
    std::sort(rows.begin(), rows.end(), [&](uint32_t a, uint32_t b) {
      return checks.time[a] != checks.time[b] ? checks.time[a] < checks.time[b]
                                              : a < b;
    });
    for (uint32_t row : rows) {
      const int64_t t = checks.time[row];
      if (at - t <= escalation) break;  // later fevers are later still
      bool escalated = false;
      for (uint32_t d = r.persons().ListHead(internal::kDiagnoses, person);
           d != kNoId; d = diagnoses.next[d]) {
        if (diagnoses.time[d] >= t && diagnoses.time[d] <= at &&
            events.Visible(EventKind::kDiagnosis, d, c.cut)) {
          escalated = true;
          break;
        }
      }
      if (escalated) continue;
      loops.push_back(
          Loop{person, LoopKind::kFeverNotEscalated, t + escalation,
               absl::StrFormat("%.1f °C%s at %s, no diagnosis since",
                               checks.value[row] / 100.0,
                               checks.code[row] != 0 ? " with symptoms" : "",
                               FormatInstant(t, zone))});
      break;
    }
  }

  // checkpoint_breach: a passage while in a stay or in the roster.
  const PersonEventTable& passages = r.person_events(internal::kPassages);
  const uint64_t passage_rows =
      c.cut.rows[static_cast<int>(EventKind::kCheckpointPassage)];
  // Who could be in the roster at any time up to `at`: within one hop
  // (exposure or household) of someone with a case-status diagnosis, or two
  // when the policy has secondary contacts (a close contact is one hop from
  // its case, a secondary contact two).
  const int reach_hops = policy().secondary_contact_phases().empty() ? 1 : 2;
  absl::flat_hash_set<uint32_t> reach;
  bool reach_built = false;
  auto build_reach = [&] {
    reach_built = true;
    std::vector<uint32_t> frontier;
    const uint64_t diagnosis_rows =
        c.cut.rows[static_cast<int>(EventKind::kDiagnosis)];
    for (uint32_t row = 0; row < diagnosis_rows; ++row) {
      const int status = static_cast<int>(diagnoses.code[row]);
      if (diagnoses.time[row] <= at && status != v1::DIAGNOSIS_STATUS_CLEARED &&
          events.Visible(EventKind::kDiagnosis, row, c.cut) &&
          reach.insert(diagnoses.person[row]).second) {
        frontier.push_back(diagnoses.person[row]);
      }
    }
    for (int hop = 0; hop < reach_hops; ++hop) {
      std::vector<uint32_t> next;
      auto visit = [&](uint32_t other) {
        if (reach.insert(other).second) next.push_back(other);
      };
      for (uint32_t person : frontier) {
        internal::ForEachExposure(
            c, person, [&](uint32_t, uint32_t partner, int64_t, int64_t) {
              visit(partner);
            });
        for (uint32_t member :
             internal::MembersOf(c, internal::HouseholdOf(c, person))) {
          visit(member);
        }
      }
      frontier = std::move(next);
    }
  };
  absl::flat_hash_map<int64_t, absl::flat_hash_set<uint32_t>> roster_at;
  for (uint32_t row = 0; row < passage_rows; ++row) {
    const int64_t t = passages.time[row];
    if (t > at || !events.Visible(EventKind::kCheckpointPassage, row, c.cut)) {
      continue;
    }
    const uint32_t person = passages.person[row];
    v1::CheckpointPassage body;
    const absl::string_view bytes = passages.blobs.Get(passages.blob[row]);
    body.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
    const std::string where = absl::StrCat(
        "passed ", body.checkpoint_id(),
        body.direction() == v1::PASSAGE_DIRECTION_IN ? " (in)" : " (out)");
    if (const Stay* open = internal::OpenStayAt(stays_of(person), t)) {
      loops.push_back(Loop{
          person, LoopKind::kCheckpointBreach, t,
          absl::StrCat(where, " during a ", PlaceName(open->place), " stay")});
      continue;
    }
    if (!reach_built) build_reach();
    if (!reach.contains(person)) continue;
    auto it = roster_at.find(t);
    if (it == roster_at.end()) {
      TracingContext then{r, c.cut, t, policy()};
      TracingResult past = ComputeTracing(then);
      it = roster_at
               .emplace(t, absl::flat_hash_set<uint32_t>(past.roster.begin(),
                                                         past.roster.end()))
               .first;
    }
    if (it->second.contains(person)) {
      loops.push_back(Loop{person, LoopKind::kCheckpointBreach, t,
                           absl::StrCat(where, " while in the roster")});
    }
  }

  // unregistered: referenced, never registered (as of the cut).
  const auto& persons = r.persons();
  const internal::ExposureTable& exposures = r.exposures();
  static constexpr EventKind kListKinds[internal::kPersonLists] = {
      EventKind::kDiagnosis, EventKind::kQuarantineAction,
      EventKind::kHealthCheck, EventKind::kCheckpointPassage};
  absl::flat_hash_set<uint32_t> candidates;
  for (size_t i = 0; i < persons.maybe_unregistered.size(); ++i) {
    candidates.insert(persons.maybe_unregistered[i]);
  }
  for (uint32_t person : candidates) {
    if (persons.latest[person] != kNoId &&
        EffectiveVersion(persons, events, person, c.cut) != kNoId) {
      continue;
    }
    int64_t first = kForever;
    int references = 0;
    exposures.ForEachRowOf(person, [&](uint32_t row) {
      const int64_t start = exposures.start(row);
      if (start <= at && events.Visible(EventKind::kExposure, row, c.cut)) {
        first = std::min(first, start);
        ++references;
      }
    });
    for (int list = 0; list < internal::kPersonLists; ++list) {
      const PersonEventTable& t =
          r.person_events(static_cast<internal::PersonList>(list));
      for (uint32_t row = persons.ListHead(list, person); row != kNoId;
           row = t.next[row]) {
        if (t.time[row] <= at && events.Visible(kListKinds[list], row, c.cut)) {
          first = std::min(first, t.time[row]);
          ++references;
        }
      }
    }
    if (references > 0) {
      loops.push_back(Loop{person, LoopKind::kUnregistered, first,
                           absl::StrCat("referenced by ", references,
                                        references == 1 ? " event" : " events",
                                        ", never registered")});
    }
  }

  std::sort(loops.begin(), loops.end(), [&keys](const Loop& a, const Loop& b) {
    if (a.person != b.person) return keys.Key(a.person) < keys.Key(b.person);
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.since < b.since;
  });
  return loops;
}

// ---------------------------------------------------------------------------

absl::StatusOr<Tracer> Tracer::Create(const Ledger& ledger,
                                      const QueryOptions& options) {
  if (options.at == absl::InfinitePast() ||
      options.at == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError(
        "QueryOptions.at: a finite moment is required");
  }
  auto state = std::make_unique<State>();
  state->ledger = &ledger;
  state->options = options;  // the one copy of the policy
  if (!state->options.policy.has_value()) {
    state->options.policy = *PolicyPreset("china-2020");
  }
  if (absl::Status s = ValidatePolicy(state->policy()); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("QueryOptions.policy: ", s.message()));
  }
  state->at = absl::ToUnixSeconds(options.at);
  LedgerReader reader(ledger);
  state->pinned.sequence_limit = reader.CutFor(options.read).sequence;
  state->result = ComputeTracing(state->Context(reader));
  return Tracer(std::move(state));
}

Tracer::Tracer(std::unique_ptr<State> state) : state_(std::move(state)) {}

Tracer internal::TracerAccess::Filtered(
    const Ledger& ledger, const QueryOptions& options,
    std::unique_ptr<const TracerFilter> filter) {
  auto state = std::make_unique<Tracer::State>();
  state->ledger = &ledger;
  state->options = options;
  state->filter = std::move(filter);
  return Tracer(std::move(state));
}

Tracer::Tracer(Tracer&&) noexcept = default;
Tracer& Tracer::operator=(Tracer&&) noexcept = default;
Tracer::~Tracer() = default;

const QueryOptions& Tracer::options() const { return state_->options; }

std::vector<RosterEntry> Tracer::Roster() const {
  std::vector<RosterEntry> roster;
  Roster(&roster);
  return roster;
}

void Tracer::Roster(std::vector<RosterEntry>* out) const {
  if (state_->filter != nullptr) {
    *out = state_->filter->Roster();
    return;
  }
  LedgerReader reader(*state_->ledger);
  const TracingContext c = state_->Context(reader);
  // Sort the persons by id first, then fill each entry once, in order.
  internal::PooledVector<std::pair<int, uint32_t>> persons;
  persons.reserve(state_->result.roster.size());
  for (uint32_t person : state_->result.roster) persons.emplace_back(0, person);
  out->resize(persons.size());
  RosterEntry* entry = out->data();
  for (const internal::IdOrderEntry& e :
       internal::OrderById(reader.persons().keys, persons)) {
    state_->FillEntry(c, e.person, entry++);
  }
}

std::vector<OpenLoop> Tracer::OpenLoops() const {
  if (state_->filter != nullptr) return state_->filter->OpenLoops();
  LedgerReader reader(*state_->ledger);
  const TracingContext c = state_->Context(reader);
  std::vector<OpenLoop> out;
  for (const Loop& loop : state_->CachedLoops(c)) {
    out.push_back(OpenLoop{std::string(reader.persons().keys.Key(loop.person)),
                           loop.kind, Instant(loop.since), loop.detail});
  }
  return out;
}

absl::StatusOr<Explanation> Tracer::Explain(absl::string_view person_id) const {
  if (state_->filter != nullptr) return state_->filter->Explain(person_id);
  LedgerReader reader(*state_->ledger);
  const auto& keys = reader.persons().keys;
  const uint32_t person = keys.Find(person_id);
  if (person == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("person '", person_id, "' never occurs in the ledger"));
  }
  const absl::TimeZone& zone = reader.time_zone();
  const TracingResult& result = state_->result;
  Explanation e;
  e.person_id = std::string(person_id);
  if (auto it = result.cases.find(person); it != result.cases.end()) {
    const internal::CaseInfo& info = it->second;
    e.role = Role::kCase;
    e.in_roster = info.active;
    e.notes.push_back(
        absl::StrCat(info.active ? "active" : "inactive",
                     " index case: latest status ", StatusName(info.status),
                     "; diagnosed ", FormatInstant(info.diagnosis_time, zone),
                     "; onset ", FormatInstant(info.onset, zone)));
    e.notes.push_back(
        absl::StrCat("infectious window [", FormatInstant(info.ws, zone), ", ",
                     info.we == kForever ? std::string("not removed")
                                         : FormatInstant(info.we, zone),
                     ")"));
    if (info.active) e.notes.push_back("required place: hospital");
    return e;
  }
  auto it = result.contacts.find(person);
  if (it == result.contacts.end()) {
    e.notes.push_back(absl::StrCat(
        "not an index case and no qualifying exposure to an index case as of ",
        FormatInstant(state_->at, zone)));
    return e;
  }
  const internal::ContactInfo& contact = it->second;
  e.role = contact.role;
  e.in_roster = contact.in_roster;
  for (const internal::Source& s : contact.sources) {
    Explanation::Source source;
    source.person_id = std::string(keys.Key(s.from));
    source.rule = internal::SourceRuleName(s.rule);
    for (uint32_t row : s.exposure_rows) {
      source.exposures.push_back(
          reader.events().SequenceOf(EventKind::kExposure, row));
    }
    source.first = Instant(s.first);
    source.last_exposure = Instant(s.last);
    source.overlap = absl::Seconds(s.overlap);
    source.continuous = s.continuous;
    e.sources.push_back(std::move(source));
  }
  std::sort(e.sources.begin(), e.sources.end(),
            [](const Explanation::Source& a, const Explanation::Source& b) {
              return std::tie(a.person_id, a.rule) <
                     std::tie(b.person_id, b.rule);
            });
  const auto& phases = contact.role == Role::kCloseContact
                           ? state_->policy().close_contact_phases()
                           : state_->policy().secondary_contact_phases();
  if (contact.continuous) {
    e.notes.push_back(absl::StrCat(
        "continuous: exposed while ", keys.Key(contact.source),
        " stays in the community; first phase: ", PlaceName(contact.place)));
  } else {
    e.until = Day(*contact.until_day);
    const int64_t day0 = internal::DayOf(contact.last, zone);
    int64_t end = 0;
    for (int i = 0; i < phases.size(); ++i) {
      const int64_t first = i == 0 ? day0 : day0 + end + 1;
      end += phases.Get(i).days();
      e.phases.push_back(Explanation::Phase{phases.Get(i).place(), Day(first),
                                            Day(day0 + end)});
    }
    if (!contact.in_roster) {
      e.notes.push_back(absl::StrCat("quarantine ended on ",
                                     absl::FormatCivilTime(*e.until)));
    }
  }
  e.notes.push_back(absl::StrCat("required since ",
                                 FormatInstant(contact.required_since, zone)));
  return e;
}

absl::StatusOr<std::vector<AreaRollupRow>> Tracer::AreaRollup(
    absl::string_view area_id) const {
  if (state_->filter != nullptr) return state_->filter->AreaRollup(area_id);
  LedgerReader reader(*state_->ledger);
  const TracingContext c = state_->Context(reader);
  const internal::AreaTable& areas = reader.areas();
  const internal::EventIndex& events = reader.events();
  const uint32_t area = areas.keys.Find(area_id);
  if (area == kNoId || EffectiveVersion(areas, events, area, c.cut) == kNoId) {
    return absl::NotFoundError(absl::StrCat("no area '", area_id, "'"));
  }
  auto children_of = [&](uint32_t parent) {
    std::vector<uint32_t> children;
    for (uint32_t row = areas.child_head[parent]; row != kNoId;
         row = areas.v_next_sibling[row]) {
      const uint32_t child = areas.v_entity[row];
      if (EffectiveVersion(areas, events, child, c.cut) == row) {
        children.push_back(child);
      }
    }
    std::sort(children.begin(), children.end(), [&](uint32_t a, uint32_t b) {
      return areas.keys.Key(a) < areas.keys.Key(b);
    });
    return children;
  };
  const std::vector<uint32_t> children = children_of(area);
  std::vector<AreaRollupRow> rows(children.size());
  absl::flat_hash_map<uint32_t, size_t> row_of;  // area in a subtree -> row
  for (size_t i = 0; i < children.size(); ++i) {
    const uint32_t child = children[i];
    rows[i].area_id = std::string(areas.keys.Key(child));
    v1::Area body;
    const absl::string_view bytes = areas.blobs.Get(
        areas.v_blob[EffectiveVersion(areas, events, child, c.cut)]);
    body.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
    rows[i].name = body.name();
    std::vector<uint32_t> stack = {child};
    while (!stack.empty()) {
      const uint32_t a = stack.back();
      stack.pop_back();
      row_of[a] = i;
      for (uint32_t grandchild : children_of(a)) stack.push_back(grandchild);
    }
  }
  const internal::PersonTable& persons = reader.persons();
  const internal::HouseholdTable& households = reader.households();
  // The present is counted on every append; a view of the past is counted
  // here.
  const bool present = c.cut.sequence == events.last_sequence();
  for (const auto& [a, i] : row_of) {
    if (present) {
      rows[i].persons += areas.person_count[a];
      rows[i].households += areas.household_count[a];
      continue;
    }
    for (uint32_t row = areas.person_head[a]; row != kNoId;
         row = persons.v_next_in_area[row]) {
      if (EffectiveVersion(persons, events, persons.v_entity[row], c.cut) ==
          row) {
        ++rows[i].persons;
      }
    }
    for (uint32_t row = areas.household_head[a]; row != kNoId;
         row = households.v_next_in_area[row]) {
      if (EffectiveVersion(households, events, households.v_entity[row],
                           c.cut) == row) {
        ++rows[i].households;
      }
    }
  }
  using Tally = State::Tally;
  for (const Tally& t : state_->CachedTallies(c)) {
    auto it = row_of.find(t.area);
    if (it == row_of.end()) continue;
    AreaRollupRow& row = rows[it->second];
    switch (t.field) {
      case Tally::kActiveCase:
        ++row.active_cases;
        break;
      case Tally::kCloseContact:
        ++row.close_contacts;
        break;
      case Tally::kSecondaryContact:
        ++row.secondary_contacts;
        break;
      case Tally::kInHospital:
        ++row.in_hospital;
        break;
      case Tally::kInCentralized:
        ++row.in_centralized;
        break;
      case Tally::kAtHome:
        ++row.at_home;
        break;
      case Tally::kCheckLast24h:
        ++row.checks_last_24h;
        break;
      default:
        ++row.loops[t.field - Tally::kLoops];
        break;
    }
  }
  return rows;
}

absl::StatusOr<PassDecision> Tracer::MayPass(
    absl::string_view person_id, absl::string_view checkpoint_id) const {
  if (state_->filter != nullptr) {
    return state_->filter->MayPass(person_id, checkpoint_id);
  }
  if (checkpoint_id.empty()) {
    return absl::InvalidArgumentError("checkpoint_id: is required and empty");
  }
  LedgerReader reader(*state_->ledger);
  const TracingContext c = state_->Context(reader);
  const absl::TimeZone& zone = reader.time_zone();
  PassDecision decision;
  const uint32_t person = reader.persons().keys.Find(person_id);
  if (person == kNoId) {
    decision.reason = absl::StrCat("person '", person_id,
                                   "' is not in the ledger: no stay and not "
                                   "in the roster");
    return decision;
  }
  const internal::Stays stays = internal::StaysOf(c, person);
  if (const Stay* open = internal::OpenStayAt(stays, c.at)) {
    decision.allowed = false;
    decision.reason =
        absl::StrCat("in a ", PlaceName(open->place), " stay since ",
                     FormatInstant(open->start, zone));
    return decision;
  }
  const TracingResult& result = state_->result;
  if (auto it = result.cases.find(person);
      it != result.cases.end() && it->second.active) {
    decision.allowed = false;
    decision.reason = absl::StrCat("active ", StatusName(it->second.status),
                                   " case: must be in hospital");
    return decision;
  }
  if (auto it = result.contacts.find(person);
      it != result.contacts.end() && it->second.in_roster) {
    const internal::ContactInfo& contact = it->second;
    decision.allowed = false;
    decision.reason = absl::StrCat(
        RoleName(contact.role), " of ",
        reader.persons().keys.Key(contact.source),
        contact.continuous
            ? std::string(", exposure continuing")
            : absl::StrCat(" until ",
                           absl::FormatCivilTime(Day(*contact.until_day))),
        ": must be at ", PlaceName(contact.place), " (checkpoint ",
        checkpoint_id, ")");
    return decision;
  }
  decision.reason = "no open stay and not in the roster";
  return decision;
}

std::vector<TransmissionChain> Tracer::TransmissionChains() const {
  if (state_->filter != nullptr) return state_->filter->TransmissionChains();
  LedgerReader reader(*state_->ledger);
  const auto& keys = reader.persons().keys;
  const TracingResult& result = state_->result;
  absl::flat_hash_map<uint32_t, uint32_t> parent;
  for (const auto& [person, info] : result.cases) parent[person] = person;
  std::function<uint32_t(uint32_t)> find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const internal::CaseEdge& edge : result.case_edges) {
    parent[find(edge.from)] = find(edge.to);
  }
  absl::flat_hash_map<uint32_t, TransmissionChain> chains;
  for (const auto& [person, info] : result.cases) {
    chains[find(person)].cases.push_back(std::string(keys.Key(person)));
  }
  for (const internal::CaseEdge& edge : result.case_edges) {
    TransmissionChain::Edge out;
    out.from = std::string(keys.Key(edge.from));
    out.to = std::string(keys.Key(edge.to));
    out.rule = internal::SourceRuleName(edge.rule);
    for (uint32_t row : edge.exposure_rows) {
      out.exposures.push_back(
          reader.events().SequenceOf(EventKind::kExposure, row));
    }
    chains[find(edge.from)].edges.push_back(std::move(out));
  }
  std::vector<TransmissionChain> out;
  for (auto& [root, chain] : chains) {
    std::sort(chain.cases.begin(), chain.cases.end());
    std::sort(
        chain.edges.begin(), chain.edges.end(),
        [](const TransmissionChain::Edge& a, const TransmissionChain::Edge& b) {
          return std::tie(a.from, a.to, a.rule) <
                 std::tie(b.from, b.to, b.rule);
        });
    out.push_back(std::move(chain));
  }
  std::sort(out.begin(), out.end(),
            [](const TransmissionChain& a, const TransmissionChain& b) {
              return a.cases.front() < b.cases.front();
            });
  return out;
}

absl::StatusOr<std::vector<ContactAtDistance>> Contacts(
    const Ledger& ledger, absl::string_view person_id, int hops,
    absl::Time from, absl::Time to, const ReadOptions& read) {
  if (hops < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("hops: must be at least 1, got ", hops));
  }
  if (from > to) {
    return absl::InvalidArgumentError("from: is after to");
  }
  LedgerReader reader(ledger);
  const internal::Cut cut = reader.CutFor(read);
  const auto& persons = reader.persons();
  const uint32_t start = persons.keys.Find(person_id);
  if (start == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("person '", person_id, "' never occurs in the ledger"));
  }
  const int64_t from_s = CeilSeconds(from);
  const int64_t to_s = absl::ToUnixSeconds(to);
  const internal::ExposureTable& exposures = reader.exposures();
  // Breadth first: `order` lists the persons reached, level by level; a
  // level's persons are walked together so that their rows load together.
  // The lists live per thread: walks run often, and allocations are slow
  // in a fragmented heap. A walk that grew them far leaves them trimmed.
  // (Not from the block pool: a two-hop walk takes a few microseconds, and
  // the pool's lock for these lists measured 10-20% of it.)
  ReachedSet reached;
  reached.Insert(start);
  thread_local std::vector<uint32_t> order;
  thread_local std::vector<std::pair<int, uint32_t>> found;  // (hops, person)
  order.clear();
  if (order.capacity() > 65536) order.shrink_to_fit();
  found.clear();
  if (found.capacity() > 65536) found.shrink_to_fit();
  order.push_back(start);
  size_t level_begin = 0;
  size_t level_end = 1;
  for (int hop = 1; hop <= hops && level_begin < level_end; ++hop) {
    exposures.PrefetchRowsOf(order.data() + level_begin,
                             level_end - level_begin, from_s, to_s);
    for (size_t i = level_begin; i < level_end; ++i) {
      const uint32_t person = order[i];
      exposures.ForEachRowOf(person, [&](uint32_t row) {
        if (!exposures.MayOverlap(row, from_s, to_s)) return;
        const int64_t start = exposures.start(row);
        if (start > to_s || start + exposures.rows[row].seconds < from_s) {
          return;
        }
        if (!reader.events().Visible(EventKind::kExposure, row, cut)) return;
        const uint32_t partner = exposures.Partner(row, person);
        if (reached.Insert(partner)) {
          order.push_back(partner);
          found.emplace_back(hop, partner);
          persons.keys.PrefetchSlot(partner);  // for the answer's ids
        }
      });
    }
    level_begin = level_end;
    level_end = order.size();
  }
  std::vector<ContactAtDistance> out;
  out.reserve(found.size());
  for (const internal::IdOrderEntry& e :
       internal::OrderById(persons.keys, found)) {
    out.push_back(ContactAtDistance{std::string(e.id), e.group});
  }
  return out;
}

}  // namespace contactledger
