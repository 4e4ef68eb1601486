// Copyright 2026 The ContactLedger Authors.
//
// GatherDashboard and RedactDashboard (contactledger/dashboard.h): the
// dashboard's data asked of Tracers over a LedgerView, the charted days on a
// few threads, and every string of it through a Redactor.
//
// Every Tracer of one page reads the same cut: the read's sequence_limit is
// pinned to the view's last sequence number before the first is created, so
// that a writer appending meanwhile cannot make the day series disagree with
// the tables.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/dashboard.h"
#include "contactledger/ledger_view.h"
#include "contactledger/privacy.h"
#include "contactledger/tracing.h"
#include "lib/dashboard/loop_kinds.h"

namespace contactledger {
namespace {

constexpr int kMaxDays = 366;
constexpr int kMaxThreads = 64;

absl::Status CheckOptions(const DashboardOptions& options) {
  if (options.query.at == absl::InfinitePast() ||
      options.query.at == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError(
        "DashboardOptions.query.at: the page's moment is required");
  }
  if (options.area_id.empty()) {
    return absl::InvalidArgumentError(
        "DashboardOptions.area_id: the area to roll up is required");
  }
  if (options.days < 1 || options.days > kMaxDays) {
    return absl::InvalidArgumentError(absl::StrCat(
        "DashboardOptions.days: ", options.days, " is outside 1-", kMaxDays));
  }
  if (options.max_listed < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "DashboardOptions.max_listed: ", options.max_listed, " is below 1"));
  }
  if (options.threads < 1 || options.threads > kMaxThreads) {
    return absl::InvalidArgumentError(
        absl::StrCat("DashboardOptions.threads: ", options.threads,
                     " is outside 1-", kMaxThreads));
  }
  return absl::OkStatus();
}

// The figures of `day` at `at`, from a Tracer of its own.
absl::Status CountDay(const LedgerView& view, const QueryOptions& base,
                      DashboardDay* day) {
  QueryOptions query = base;
  query.at = day->at;
  absl::StatusOr<std::unique_ptr<Tracer>> tracer = Tracer::Create(view, query);
  if (!tracer.ok()) return tracer.status();
  std::vector<RosterEntry> roster;
  (*tracer)->Roster(&roster);
  day->roster = roster.size();
  for (const RosterEntry& entry : roster) {
    switch (entry.role) {
      case Role::kCase:
        ++day->cases;
        break;
      case Role::kCloseContact:
        ++day->close_contacts;
        break;
      case Role::kSecondaryContact:
        ++day->secondary_contacts;
        break;
    }
  }
  day->open_loops = (*tracer)->OpenLoops().size();
  return absl::OkStatus();
}

// The charted days, oldest first: each at its end (the last nanosecond
// before the next day begins), the last at `at`. Counted on up to `threads`
// threads (the Tracer and the view may be read from several).
absl::Status CountDays(const LedgerView& view, const QueryOptions& query,
                       int days, int threads, std::vector<DashboardDay>* out) {
  const absl::TimeZone zone = view.time_zone();
  const absl::CivilDay last = absl::ToCivilDay(query.at, zone);
  out->resize(days);
  for (int i = 0; i < days; ++i) {
    DashboardDay& day = (*out)[i];
    day.day = last - (days - 1 - i);
    day.at = std::min(absl::FromCivil(day.day + 1, zone) - absl::Nanoseconds(1),
                      query.at);
  }
  std::vector<absl::Status> status(days);
  std::atomic<int> next{0};
  auto work = [&]() {
    for (int i = next++; i < days; i = next++) {
      status[i] = CountDay(view, query, &(*out)[i]);
    }
  };
  const int helpers = std::min(threads, days) - 1;
  std::vector<std::thread> pool;
  pool.reserve(helpers);
  for (int t = 0; t < helpers; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  for (int i = 0; i < days; ++i) {
    if (!status[i].ok()) {
      return absl::Status(
          status[i].code(),
          absl::StrCat("the figures of ", absl::FormatCivilTime((*out)[i].day),
                       ": ", status[i].message()));
    }
  }
  return absl::OkStatus();
}

// The person's area: their own, or their household's.
std::string AreaOf(const LedgerView& view, const v1::Person& person,
                   const ReadOptions& read) {
  if (!person.area_id().empty()) return person.area_id();
  if (person.household_id().empty()) return "";
  absl::StatusOr<v1::Household> household =
      view.GetHousehold(person.household_id(), read);
  return household.ok() ? household->area_id() : "";
}

// The names and areas of the people the page lists by name: the first
// max_listed of the roster and of each kind of loop (the chains show ids
// only). A person the view cannot show (never registered, or outside a
// scoped view) is listed with neither.
void FindPeople(const LedgerView& view, const ReadOptions& read,
                DashboardData* data) {
  const size_t max = static_cast<size_t>(data->max_listed);
  std::map<std::string, DashboardPerson> people;
  for (size_t i = 0; i < data->roster.size() && i < max; ++i) {
    people[data->roster[i].person_id];
  }
  std::vector<size_t> per_kind(internal::kDashboardLoopKinds, 0);
  for (const OpenLoop& loop : data->loops) {
    if (per_kind[static_cast<int>(loop.kind)]++ < max) people[loop.person_id];
  }
  data->people.reserve(people.size());
  for (auto& [id, person] : people) {
    absl::StatusOr<v1::Person> found = view.GetPerson(id, read);
    if (found.ok()) {
      person.name = found->name();
      person.area_id = AreaOf(view, *found, read);
    }
    data->people.emplace_back(id, std::move(person));
  }
}

// `status` of the roll-up of `area_id`, saying so.
absl::Status RollupError(absl::string_view area_id,
                         const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat("AreaRollup of '", area_id,
                                                  "': ", status.message()));
}

void RedactRow(const Redactor& redactor, AreaRollupRow* row) {
  row->area_id = redactor.Text(row->area_id);
  row->name = redactor.Text(row->name);
}

}  // namespace

absl::StatusOr<DashboardData> GatherDashboard(const LedgerView& view,
                                              const DashboardOptions& options) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  QueryOptions query = options.query;
  // One cut for every Tracer of the page.
  query.read.sequence_limit =
      std::min(query.read.sequence_limit, view.last_sequence_number());

  DashboardData data;
  data.zone = view.time_zone();
  data.at = query.at;
  data.known_at = query.read.known_at;
  data.last_sequence = query.read.sequence_limit;
  data.area_id = options.area_id;
  data.max_listed = options.max_listed;

  absl::StatusOr<std::unique_ptr<Tracer>> created = Tracer::Create(view, query);
  if (!created.ok()) return created.status();
  const Tracer& tracer = **created;
  data.policy_name = tracer.options().policy.has_value()
                         ? tracer.options().policy->name()
                         : std::string("china-2020");  // the default

  absl::StatusOr<v1::Area> area = view.GetArea(options.area_id, query.read);
  if (!area.ok()) {
    return absl::Status(
        area.status().code(),
        absl::StrCat("DashboardOptions.area_id '", options.area_id,
                     "': ", area.status().message()));
  }
  data.area_name = area->name();
  data.title =
      !options.title.empty()
          ? options.title
          : absl::StrCat(data.area_name.empty() ? data.area_id : data.area_name,
                         ": contact tracing dashboard");

  absl::StatusOr<std::vector<AreaRollupRow>> rows =
      tracer.AreaRollup(options.area_id);
  if (!rows.ok()) return RollupError(options.area_id, rows.status());
  data.areas.reserve(rows->size());
  for (AreaRollupRow& row : *rows) {
    DashboardArea area_data;
    if (row.area_id != kUnassignedAreaId) {
      absl::StatusOr<std::vector<AreaRollupRow>> children =
          tracer.AreaRollup(row.area_id);
      if (!children.ok()) return RollupError(row.area_id, children.status());
      area_data.children = *std::move(children);
    }
    area_data.row = std::move(row);
    data.areas.push_back(std::move(area_data));
  }

  tracer.Roster(&data.roster);
  data.loops = tracer.OpenLoops();
  data.chains = tracer.TransmissionChains();
  if (absl::Status s =
          CountDays(view, query, options.days, options.threads, &data.days);
      !s.ok()) {
    return s;
  }
  FindPeople(view, query.read, &data);
  return data;
}

void RedactDashboard(const Redactor& redactor, DashboardData* data) {
  data->title = redactor.Text(data->title);
  data->policy_name = redactor.Text(data->policy_name);
  data->area_id = redactor.Text(data->area_id);
  data->area_name = redactor.Text(data->area_name);
  for (DashboardArea& area : data->areas) {
    RedactRow(redactor, &area.row);
    for (AreaRollupRow& child : area.children) RedactRow(redactor, &child);
  }
  for (RosterEntry& entry : data->roster) {
    entry.person_id = redactor.Text(entry.person_id);
    entry.source = redactor.Text(entry.source);
  }
  for (OpenLoop& loop : data->loops) {
    loop.person_id = redactor.Text(loop.person_id);
    loop.detail = redactor.Text(loop.detail);
  }
  for (TransmissionChain& chain : data->chains) {
    for (std::string& id : chain.cases) id = redactor.Text(id);
    for (TransmissionChain::Edge& edge : chain.edges) {
      edge.from = redactor.Text(edge.from);
      edge.to = redactor.Text(edge.to);
    }
  }
  for (auto& [id, person] : data->people) {
    id = redactor.Text(id);
    // Fail closed, as `ledgerctl show --redact` (Redactor::Redact): every
    // name is masked by RedactName, whether or not the redactor learned it
    // (a one-character name is never learned; a Redactor that learned
    // nothing knows no name at all).
    person.name = RedactName(person.name);
    person.area_id = redactor.Text(person.area_id);
  }
  // Two ids may redact to the same text: keep the list sorted for lookups.
  std::stable_sort(
      data->people.begin(), data->people.end(),
      [](const auto& a, const auto& b) { return a.first < b.first; });
  data->redacted = true;
}

}  // namespace contactledger
