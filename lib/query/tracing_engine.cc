#include "lib/query/tracing_engine.h"

#include <algorithm>
#include <utility>

#include "absl/time/civil_time.h"

// GCC 12 reports the inline storage of a moved, empty absl::InlinedVector
// (Source::exposure_rows) as "maybe uninitialized"; it is not read.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace contactledger {
namespace internal {
namespace {

bool IsCaseStatus(int status, const v1::Policy& policy) {
  switch (status) {
    case v1::DIAGNOSIS_STATUS_CONFIRMED:
    case v1::DIAGNOSIS_STATUS_ASYMPTOMATIC:
    case v1::DIAGNOSIS_STATUS_RECOVERED:
    case v1::DIAGNOSIS_STATUS_DECEASED:
      return true;
    case v1::DIAGNOSIS_STATUS_SUSPECTED:
      return policy.trace_suspected();
    default:
      return false;
  }
}

bool IsActiveStatus(int status, const v1::Policy& policy) {
  return status == v1::DIAGNOSIS_STATUS_CONFIRMED ||
         status == v1::DIAGNOSIS_STATUS_ASYMPTOMATIC ||
         (status == v1::DIAGNOSIS_STATUS_SUSPECTED && policy.trace_suspected());
}

// Accumulates one qualifying exposure (clipped to [start, end]) against the
// window [ws, we) into `source`.
void AddQualifying(uint32_t row, int64_t start, int64_t end, int64_t ws,
                   int64_t we, Source* source) {
  source->exposure_rows.push_back(row);
  source->first = std::min(source->first, std::max(start, ws));
  source->last = std::max(source->last, std::min(end, we));
  source->overlap +=
      std::max<int64_t>(0, std::min(end, we) - std::max(start, ws));
}

// The partners whose exposures to `person` qualify against [ws, we), with
// their sources (rule `rule`, from `person`), in partner order.
using PartnerSources = absl::InlinedVector<std::pair<uint32_t, Source>, 8>;

PartnerSources QualifyingPartners(const TracingContext& c, uint32_t person,
                                  int64_t ws, int64_t we, SourceRule rule) {
  // The qualifying exposures, sorted by (partner, row), then one Source per
  // run of a partner: a person has a few dozen exposures at most, so a
  // sorted vector beats a hash map and its allocations.
  struct Hit {
    uint32_t partner;
    uint32_t row;
    int64_t start;
    int64_t end;
  };
  absl::InlinedVector<Hit, 32> hits;
  ForEachExposureIn(
      c, person, ws, we,
      [&](uint32_t row, uint32_t partner, int64_t start, int64_t end) {
        if (start < we && end >= ws)
          hits.push_back(Hit{partner, row, start, end});
      });
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.partner != b.partner ? a.partner < b.partner : a.row < b.row;
  });
  const int64_t min_exposure = c.policy.min_exposure().seconds();
  PartnerSources out;
  for (size_t i = 0; i < hits.size();) {
    Source source;
    source.from = person;
    source.rule = rule;
    const uint32_t partner = hits[i].partner;
    for (; i < hits.size() && hits[i].partner == partner; ++i) {
      AddQualifying(hits[i].row, hits[i].start, hits[i].end, ws, we, &source);
    }
    if (min_exposure == 0 || source.overlap >= min_exposure) {
      out.emplace_back(partner, std::move(source));
    }
  }
  return out;
}

// Fills the roster fields of a contact from its sources (section 7).
void Finish(const TracingContext& c, ContactInfo* contact) {
  const auto& phases = contact->role == Role::kCloseContact
                           ? c.policy.close_contact_phases()
                           : c.policy.secondary_contact_phases();
  const PersonTable& persons = c.reader.persons();
  for (const Source& s : contact->sources) {
    contact->continuous |= s.continuous;
    contact->required_since =
        std::min(contact->required_since, s.required_since);
    if (contact->source == kNoId || s.last > contact->last ||
        (s.last == contact->last &&
         persons.keys.Key(s.from) < persons.keys.Key(contact->source))) {
      contact->last = s.last;
      contact->source = s.from;
    }
  }
  const absl::TimeZone& zone = c.reader.time_zone();
  const int64_t today = DayOf(c.at, zone);
  const int64_t last_day = DayOf(contact->last, zone);
  if (!contact->continuous) {
    contact->until_day = last_day + TotalDays(phases);
  }
  contact->in_roster = contact->continuous || *contact->until_day >= today;
  contact->place = PhasePlace(phases, last_day, today, contact->continuous);
}

}  // namespace

const char* SourceRuleName(SourceRule rule) {
  switch (rule) {
    case SourceRule::kExposure:
      return "exposure";
    case SourceRule::kHousehold:
      return "household";
    case SourceRule::kSecondaryExposure:
      return "secondary_exposure";
    case SourceRule::kSecondaryHousehold:
      return "secondary_household";
  }
  return "";
}

namespace {

// The instant a civil transition of `zone` takes effect.
int64_t TransitionInstant(const absl::TimeZone& zone,
                          const absl::TimeZone::CivilTransition& transition) {
  const absl::TimeZone::TimeInfo when = zone.At(transition.to);
  const absl::Time instant =
      when.kind == absl::TimeZone::TimeInfo::UNIQUE ? when.pre : when.trans;
  return absl::ToUnixSeconds(instant);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

int64_t DayOf(int64_t seconds, const absl::TimeZone& zone) {
  // Queries convert many instants in one zone: remember, per thread, the
  // last spans of instants between two of the zone's UTC offset changes
  // (years long in most zones, everything in a fixed-offset zone). Inside
  // one the civil day is arithmetic on the offset.
  constexpr int64_t kDay = 24 * 60 * 60;
  struct Span {
    absl::TimeZone zone;
    int64_t begin = 0;  // [begin, end): one UTC offset throughout
    int64_t end = 0;
    int64_t offset = 0;  // seconds east of UTC
  };
  constexpr int kSpans = 2;
  thread_local Span spans[kSpans];
  thread_local int next_span = 0;
  for (const Span& span : spans) {
    if (seconds >= span.begin && seconds < span.end && span.zone == zone) {
      return FloorDiv(seconds + span.offset, kDay);
    }
  }
  const absl::Time t = absl::FromUnixSeconds(seconds);
  const absl::TimeZone::CivilInfo info = zone.At(t);
  const int64_t day = absl::CivilDay(info.cs) - absl::CivilDay(1970, 1, 1);
  // The span between the offset changes around t, kept clear of the ends of
  // the representable range (a zone without changes gets +-2^50 seconds).
  constexpr int64_t kFar = int64_t{1} << 50;
  int64_t begin = -kFar;
  int64_t end = kFar;
  absl::TimeZone::CivilTransition transition;
  if (zone.NextTransition(t, &transition)) {
    end = std::min(end, TransitionInstant(zone, transition));
  }
  if (zone.PrevTransition(t + absl::Seconds(1), &transition)) {
    begin = std::max(begin, TransitionInstant(zone, transition));
  }
  // Cache only a span that holds `seconds` and has t's offset at both ends,
  // so that a surprise in the transition list costs speed, not a wrong day.
  if (begin <= seconds && seconds < end &&
      FloorDiv(seconds + info.offset, kDay) == day &&
      zone.At(absl::FromUnixSeconds(begin)).offset == info.offset &&
      zone.At(absl::FromUnixSeconds(end - 1)).offset == info.offset) {
    spans[next_span] = Span{zone, begin, end, info.offset};
    next_span = (next_span + 1) % kSpans;
  }
  return day;
}

absl::CivilDay CivilDayFromNumber(int64_t day_number) {
  // Days to year, month and day in the proleptic Gregorian calendar, by
  // 400-year eras of 146097 days counted from 0000-03-01, so that the leap
  // day ends a year.
  const int64_t z = day_number + 719468;  // days since 0000-03-01
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;  // day of the era, [0, 146096]
  const int64_t yoe =
      (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;    // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;  // month from March, [0, 11]
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return absl::CivilDay(y, static_cast<int>(m), static_cast<int>(d));
}

int64_t TotalDays(
    const google::protobuf::RepeatedPtrField<v1::QuarantinePhase>& phases) {
  int64_t total = 0;
  for (const v1::QuarantinePhase& phase : phases) total += phase.days();
  return total;
}

v1::QuarantinePlace PhasePlace(
    const google::protobuf::RepeatedPtrField<v1::QuarantinePhase>& phases,
    int64_t last_day, int64_t day, bool continuous) {
  if (phases.empty()) return v1::QUARANTINE_PLACE_UNSPECIFIED;
  const int64_t d = day - last_day;
  if (continuous || d <= 0) return phases.Get(0).place();
  int64_t end = 0;
  for (const v1::QuarantinePhase& phase : phases) {
    end += phase.days();
    if (d <= end) return phase.place();
  }
  return v1::QUARANTINE_PLACE_UNSPECIFIED;
}

Stays StaysOf(const TracingContext& c, uint32_t person) {
  const PersonEventTable& t = c.reader.person_events(kQuarantineActions);
  const EventIndex& events = c.reader.events();
  absl::InlinedVector<uint32_t, 8> rows;
  for (uint32_t row = c.reader.persons().ListHead(kQuarantineActions, person);
       row != kNoId; row = t.next[row]) {
    if (t.time[row] <= c.at &&
        events.Visible(EventKind::kQuarantineAction, row, c.cut)) {
      rows.push_back(row);
    }
  }
  std::sort(rows.begin(), rows.end(), [&t](uint32_t a, uint32_t b) {
    return t.time[a] != t.time[b] ? t.time[a] < t.time[b] : a < b;
  });
  Stays stays;
  bool open = false;
  for (uint32_t row : rows) {
    const uint32_t action = t.code[row] & 0xff;
    const auto place = static_cast<v1::QuarantinePlace>(t.code[row] >> 8);
    if (open) {
      stays.back().end = t.time[row];  // an end, or a transfer
      open = false;
    }
    if (action == v1::QUARANTINE_ACTION_KIND_START) {
      stays.push_back(Stay{t.time[row], kForever, place});
      open = true;
    }
  }
  return stays;
}

int64_t Removal(const Stays& stays, int64_t m) {
  for (const Stay& stay : stays) {  // in start order
    if ((stay.place == v1::QUARANTINE_PLACE_HOSPITAL ||
         stay.place == v1::QUARANTINE_PLACE_CENTRALIZED) &&
        stay.end > m) {
      return std::max(stay.start, m);
    }
  }
  return kForever;
}

const Stay* OpenStayAt(const Stays& stays, int64_t m) {
  for (const Stay& stay : stays) {
    if (stay.start <= m && stay.end > m) return &stay;
  }
  return nullptr;
}

uint32_t HouseholdOf(const TracingContext& c, uint32_t person) {
  const PersonTable& persons = c.reader.persons();
  const uint32_t version =
      EffectiveVersion(persons, c.reader.events(), person, c.cut);
  return version == kNoId ? kNoId : persons.v_household[version];
}

uint32_t AreaOf(const TracingContext& c, uint32_t person) {
  const PersonTable& persons = c.reader.persons();
  const uint32_t version =
      EffectiveVersion(persons, c.reader.events(), person, c.cut);
  return version == kNoId ? kNoId
                          : PersonAreaAt(persons, c.reader.households(),
                                         c.reader.events(), version, c.cut);
}

PersonIds MembersOf(const TracingContext& c, uint32_t household) {
  PersonIds members;
  if (household == kNoId) return members;
  const PersonTable& persons = c.reader.persons();
  for (uint32_t row = c.reader.households().member_head[household];
       row != kNoId; row = persons.v_next_in_household[row]) {
    const uint32_t person = persons.v_entity[row];
    if (EffectiveVersion(persons, c.reader.events(), person, c.cut) == row) {
      members.push_back(person);
    }
  }
  std::sort(members.begin(), members.end());
  return members;
}

TracingResult ComputeTracing(const TracingContext& c) {
  TracingResult result;
  const v1::Policy& policy = c.policy;
  const absl::TimeZone& zone = c.reader.time_zone();
  const EventIndex& events = c.reader.events();

  // Section 3: the index cases, from the diagnoses timed by `at`.
  struct Seen {
    int64_t latest_time = kNever;
    uint32_t latest_row = 0;
    int64_t onset_time = kNever;  // of the latest diagnosis with an onset
    uint32_t onset_row = 0;
    int32_t onset_day = 0;
    int64_t first_case_time = kForever;
  };
  PooledHashMap<uint32_t, Seen> seen;
  const PersonEventTable& diagnoses = c.reader.person_events(kDiagnoses);
  seen.reserve(c.cut.rows[static_cast<int>(EventKind::kDiagnosis)]);
  const uint64_t diagnosis_rows =
      c.cut.rows[static_cast<int>(EventKind::kDiagnosis)];
  for (uint32_t row = 0; row < diagnosis_rows; ++row) {
    const int64_t time = diagnoses.time[row];
    if (time > c.at || !events.Visible(EventKind::kDiagnosis, row, c.cut)) {
      continue;
    }
    Seen& s = seen[diagnoses.person[row]];
    if (time >= s.latest_time) {  // rows ascend: ties go to the later one
      s.latest_time = time;
      s.latest_row = row;
    }
    if (diagnoses.value[row] != PersonEventTable::kNoDay &&
        time >= s.onset_time) {
      s.onset_time = time;
      s.onset_row = row;
      s.onset_day = diagnoses.value[row];
    }
    if (IsCaseStatus(static_cast<int>(diagnoses.code[row]), policy)) {
      s.first_case_time = std::min(s.first_case_time, time);
    }
  }
  // Sized up front: growing them would allocate again and again, and
  // allocations are slow in a fragmented heap.
  PooledVector<uint32_t> case_ids;
  case_ids.reserve(seen.size());
  result.cases.reserve(seen.size());
  result.contacts.reserve(8 * seen.size());
  for (const auto& [person, s] : seen) {
    const int status = static_cast<int>(diagnoses.code[s.latest_row]);
    if (!IsCaseStatus(status, policy)) continue;
    CaseInfo info;
    info.status = static_cast<v1::DiagnosisStatus>(status);
    info.active = IsActiveStatus(status, policy);
    info.diagnosis_time = s.first_case_time;
    info.onset = s.onset_time != kNever
                     ? absl::ToUnixSeconds(absl::FromCivil(
                           CivilDayFromNumber(s.onset_day), zone))
                     : s.first_case_time;
    info.ws = info.onset - policy.lookback().seconds();
    info.we = Removal(StaysOf(c, person), info.ws);
    result.cases[person] = info;
    case_ids.push_back(person);
  }
  std::sort(case_ids.begin(), case_ids.end());

  // Section 5: close contacts.
  auto add_source = [&](uint32_t person, Role role, Source source) {
    ContactInfo& contact = result.contacts[person];
    contact.role = role;
    contact.sources.push_back(std::move(source));
  };
  // Start loading every case's exposure rows at once (see PrefetchRowsOf).
  c.reader.exposures().PrefetchRowsOf(case_ids.data(), case_ids.size());
  for (uint32_t case_id : case_ids) {
    const CaseInfo& info = result.cases[case_id];
    for (auto& [partner, source] : QualifyingPartners(
             c, case_id, info.ws, info.we, SourceRule::kExposure)) {
      source.required_since = std::max(info.diagnosis_time, source.first);
      if (result.cases.contains(partner)) {
        result.case_edges.push_back(CaseEdge{
            case_id, partner, SourceRule::kExposure, source.exposure_rows});
        continue;
      }
      add_source(partner, Role::kCloseContact, std::move(source));
    }
    if (policy.household_rule() && info.ws <= c.at) {
      for (uint32_t member : MembersOf(c, HouseholdOf(c, case_id))) {
        if (member == case_id) continue;
        if (result.cases.contains(member)) {
          result.case_edges.push_back(
              CaseEdge{case_id, member, SourceRule::kHousehold, {}});
          continue;
        }
        Source source;
        source.from = case_id;
        source.rule = SourceRule::kHousehold;
        source.first = info.ws;
        source.last = std::min(info.we, c.at);
        source.overlap = source.last - info.ws;
        source.continuous = info.we == kForever;
        source.required_since = std::max(info.diagnosis_time, info.ws);
        add_source(member, Role::kCloseContact, std::move(source));
      }
    }
  }

  // Section 6: secondary contacts.
  if (!policy.secondary_contact_phases().empty()) {
    PooledVector<uint32_t> close_ids;
    close_ids.reserve(result.contacts.size());
    for (const auto& [person, contact] : result.contacts) {
      close_ids.push_back(person);
    }
    std::sort(close_ids.begin(), close_ids.end());
    c.reader.exposures().PrefetchRowsOf(close_ids.data(), close_ids.size());
    PooledVector<std::pair<uint32_t, Source>> secondary;
    for (uint32_t close_id : close_ids) {
      ContactInfo& close = result.contacts[close_id];
      int64_t f = kForever;
      int64_t required = kForever;
      for (const Source& s : close.sources) {
        f = std::min(f, s.first);
        required = std::min(required, s.required_since);
      }
      close.window_start = f;
      const int64_t removal = Removal(StaysOf(c, close_id), f);
      auto eligible = [&](uint32_t person) {
        return !result.cases.contains(person) &&
               !result.contacts.contains(person);
      };
      for (auto& [partner, source] : QualifyingPartners(
               c, close_id, f, removal, SourceRule::kSecondaryExposure)) {
        if (!eligible(partner)) continue;
        source.required_since = std::max(required, source.first);
        secondary.emplace_back(partner, std::move(source));
      }
      if (policy.household_rule() && f <= c.at) {
        for (uint32_t member : MembersOf(c, HouseholdOf(c, close_id))) {
          if (member == close_id || !eligible(member)) continue;
          Source source;
          source.from = close_id;
          source.rule = SourceRule::kSecondaryHousehold;
          source.first = f;
          source.last = std::min(removal, c.at);
          source.overlap = source.last - f;
          source.continuous = removal == kForever;
          source.required_since = std::max(required, f);
          secondary.emplace_back(member, std::move(source));
        }
      }
    }
    for (auto& [person, source] : secondary) {
      add_source(person, Role::kSecondaryContact, std::move(source));
    }
  }

  // Section 7: the roster.
  result.roster.reserve(result.cases.size() + result.contacts.size());
  for (uint32_t case_id : case_ids) {
    if (result.cases[case_id].active) result.roster.push_back(case_id);
  }
  for (auto& [person, contact] : result.contacts) {
    Finish(c, &contact);
    if (contact.in_roster) result.roster.push_back(person);
  }
  return result;
}

}  // namespace internal
}  // namespace contactledger
