// Copyright 2026 The ContactLedger Authors.

#include "bench/ledger_answers.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "lib/query/tracing_engine.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace bench {
namespace {

bool IsCaseStatus(uint32_t status) {
  return status == v1::DIAGNOSIS_STATUS_CONFIRMED ||
         status == v1::DIAGNOSIS_STATUS_ASYMPTOMATIC ||
         status == v1::DIAGNOSIS_STATUS_RECOVERED ||
         status == v1::DIAGNOSIS_STATUS_DECEASED;
}

absl::StatusOr<std::unique_ptr<Tracer>> MakeTracer(const Ledger& ledger,
                                                   const TracingParams& p) {
  QueryOptions options;
  options.at = absl::FromUnixSeconds(p.at);
  options.policy = p.policy;
  return Tracer::Create(ledger, options);
}

}  // namespace

absl::StatusOr<CloseContacts> LedgerCloseContacts(const Ledger& ledger,
                                                  absl::string_view case_id,
                                                  const TracingParams& p) {
  using internal::kNoId;
  const internal::LedgerReader reader(ledger);
  const internal::TracingContext c{reader, reader.CutFor(ReadOptions()), p.at,
                                   p.policy};
  const internal::PersonTable& persons = reader.persons();
  const uint32_t person = persons.keys.Find(case_id);
  if (person == kNoId) {
    return absl::NotFoundError(
        absl::StrCat("person '", case_id, "' never occurs in the ledger"));
  }
  // Section 3, for this person: the latest diagnosis, the onset and the
  // diagnosis time (as ComputeTracing works them out for every person).
  const internal::PersonEventTable& diagnoses =
      reader.person_events(internal::kDiagnoses);
  int64_t latest_time = internal::kNever;
  uint32_t latest_row = 0;
  int64_t onset_time = internal::kNever;
  uint32_t onset_row = 0;
  int32_t onset_day = 0;
  int64_t first_case_time = internal::kForever;
  for (uint32_t row = persons.ListHead(internal::kDiagnoses, person);
       row != kNoId; row = diagnoses.next[row]) {
    const int64_t time = diagnoses.time[row];
    if (time > c.at ||
        !reader.events().Visible(internal::EventKind::kDiagnosis, row, c.cut)) {
      continue;
    }
    if (time > latest_time || (time == latest_time && row > latest_row)) {
      latest_time = time;
      latest_row = row;
    }
    if (diagnoses.value[row] != internal::PersonEventTable::kNoDay &&
        (time > onset_time || (time == onset_time && row > onset_row))) {
      onset_time = time;
      onset_row = row;
      onset_day = diagnoses.value[row];
    }
    if (IsCaseStatus(diagnoses.code[row])) {
      first_case_time = std::min(first_case_time, time);
    }
  }
  CloseContacts out;
  if (latest_time == internal::kNever ||
      !IsCaseStatus(diagnoses.code[latest_row])) {
    return out;  // not an index case at `at`
  }
  const int64_t onset =
      onset_time != internal::kNever
          ? absl::ToUnixSeconds(absl::FromCivil(
                internal::CivilDayFromNumber(onset_day), reader.time_zone()))
          : first_case_time;
  const int64_t ws = onset - p.policy.lookback().seconds();
  const int64_t we = internal::Removal(internal::StaysOf(c, person), ws);

  // Section 5: qualifying exposures by partner, then the household.
  struct Acc {
    int64_t first = internal::kForever;
    int64_t last = internal::kNever;
    int64_t overlap = 0;
    bool household = false;
  };
  absl::flat_hash_map<uint32_t, Acc> by_partner;
  internal::ForEachExposureIn(
      c, person, ws, we,
      [&](uint32_t, uint32_t partner, int64_t start, int64_t end) {
        if (start < we && end >= ws) {
          Acc& a = by_partner[partner];
          a.first = std::min(a.first, std::max(start, ws));
          a.last = std::max(a.last, std::min(end, we));
          a.overlap +=
              std::max<int64_t>(0, std::min(end, we) - std::max(start, ws));
        }
      });
  const int64_t min_exposure = p.policy.min_exposure().seconds();
  if (min_exposure > 0) {
    for (auto it = by_partner.begin(); it != by_partner.end();) {
      if (it->second.overlap < min_exposure) {
        by_partner.erase(it++);
      } else {
        ++it;
      }
    }
  }
  if (p.policy.household_rule() && ws <= c.at) {
    for (uint32_t member :
         internal::MembersOf(c, internal::HouseholdOf(c, person))) {
      if (member == person) continue;
      Acc& a = by_partner[member];
      a.first = std::min(a.first, ws);
      a.last = std::max(a.last, std::min(we, c.at));
      a.household = true;
    }
  }
  out.reserve(by_partner.size());
  for (const auto& [partner, a] : by_partner) {
    out.push_back(CloseContact{std::string(persons.keys.Key(partner)), a.first,
                               a.last,
                               a.household && we == internal::kForever});
  }
  std::sort(out.begin(), out.end(),
            [](const CloseContact& x, const CloseContact& y) {
              return x.person_id < y.person_id;
            });
  return out;
}

absl::StatusOr<HopContacts> LedgerTwoHop(const Ledger& ledger,
                                         absl::string_view person_id,
                                         int64_t from, int64_t to) {
  absl::StatusOr<std::vector<ContactAtDistance>> contacts =
      Contacts(ledger, person_id, 2, absl::FromUnixSeconds(from),
               absl::FromUnixSeconds(to));
  if (!contacts.ok()) return contacts.status();
  HopContacts out;
  out.reserve(contacts->size());
  for (ContactAtDistance& c : *contacts) {
    out.push_back(HopContact{std::move(c.person_id), c.hops});
  }
  return out;
}

absl::StatusOr<RosterRows> LedgerRoster(const Ledger& ledger,
                                        const TracingParams& p) {
  absl::StatusOr<std::unique_ptr<Tracer>> tracer = MakeTracer(ledger, p);
  if (!tracer.ok()) return tracer.status();
  // The entries go into a vector kept per thread, as an application that
  // asks again and again would keep one (Tracer::Roster(&entries)).
  thread_local std::vector<RosterEntry> roster;
  (*tracer)->Roster(&roster);
  RosterRows out;
  out.reserve(roster.size());
  for (const RosterEntry& e : roster) {
    RosterRow row;
    row.person_id = e.person_id;
    row.role = e.role;
    row.required_since = absl::ToUnixSeconds(e.required_since);
    if (e.role != Role::kCase) {
      row.source = e.source;
      row.last = absl::ToUnixSeconds(e.last_exposure);
      row.continuous = e.continuous;
      if (e.until.has_value()) {
        row.until_day = *e.until - absl::CivilDay(1970, 1, 1);
      }
    }
    out.push_back(std::move(row));
  }
  return out;  // Roster() is sorted by person_id
}

absl::StatusOr<VillageRows> LedgerVillageRollup(const Ledger& ledger,
                                                const TracingParams& p,
                                                absl::string_view county_id) {
  absl::StatusOr<std::unique_ptr<Tracer>> tracer = MakeTracer(ledger, p);
  if (!tracer.ok()) return tracer.status();
  absl::StatusOr<std::vector<std::string>> townships =
      ledger.ChildAreas(county_id, ReadOptions());
  if (!townships.ok()) return townships.status();
  VillageRows out;
  for (const std::string& township : *townships) {
    absl::StatusOr<std::vector<AreaRollupRow>> rows =
        (*tracer)->AreaRollup(township);
    if (!rows.ok()) return rows.status();
    for (AreaRollupRow& r : *rows) {
      out.push_back(VillageRow{std::move(r.area_id), r.persons, r.households,
                               r.active_cases, r.close_contacts});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const VillageRow& a, const VillageRow& b) {
              return a.area_id < b.area_id;
            });
  return out;
}

absl::StatusOr<LoopRows> LedgerOpenLoops(const Ledger& ledger,
                                         const TracingParams& p) {
  absl::StatusOr<std::unique_ptr<Tracer>> tracer = MakeTracer(ledger, p);
  if (!tracer.ok()) return tracer.status();
  LoopRows out;
  for (OpenLoop& loop : (*tracer)->OpenLoops()) {
    out.push_back(LoopRow{std::move(loop.person_id), loop.kind,
                          absl::ToUnixSeconds(loop.since)});
  }
  return out;  // sorted by person_id, kind, since
}

}  // namespace bench
}  // namespace contactledger
