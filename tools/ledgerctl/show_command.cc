// Copyright 2026 The ContactLedger Authors.
//
// ledgerctl show (commands.h): one area, household or person as the ledger
// knew it (--known-at), with each of its versions and the records around it,
// read through the public API (contactledger/ledger_view.h, and the version
// lists of contactledger/tracing.h) and the --scope view when given, written
// by contactledger/report.h (WriteRecordText, WriteRecordJson).

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/ledger_view.h"
#include "contactledger/privacy.h"
#include "contactledger/report.h"
#include "contactledger/scope.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "tools/ledgerctl/commands.h"
#include "tools/ledgerctl/flags.h"
#include "tools/ledgerctl/open_ledger.h"
#include "tools/ledgerctl/output.h"

namespace contactledger {
namespace ledgerctl {
namespace {

// What `show` reads with: the view, the read's cut, and --at.
struct ShowContext {
  const LedgerView& view;
  ReadOptions read;
  absl::Time at = absl::InfiniteFuture();
};

// `event` redacted for output with --redact (names, ids, phones, addresses
// and workers cut, birth dates left out: contactledger/privacy.h); as it is
// otherwise.
v1::LedgerEvent Shown(v1::LedgerEvent event) {
  if (const Redactor* redactor = OutputRedactor()) redactor->Redact(&event);
  return event;
}

std::vector<std::string> IdsOr(absl::StatusOr<std::vector<std::string>> ids) {
  return ids.ok() ? *std::move(ids) : std::vector<std::string>();
}

// The sequence number of the current version: the last one not retracted.
uint64_t CurrentVersion(const std::vector<RecordVersion>& versions) {
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    if (!it->retracted) return it->sequence_number;
  }
  return 0;
}

// Puts a record's versions on the sheet, and the fields of `current`, its
// current version as the read sees it, as printed (Shown; `in_event` is
// where a LedgerEvent holds such a record: &v1::LedgerEvent::mutable_area,
// ...). When the read sees none, every version being retracted, a note says
// so instead, and it returns false.
template <typename Record>
bool PutVersions(std::vector<RecordVersion> versions,
                 const absl::StatusOr<Record>& current,
                 Record* (v1::LedgerEvent::*in_event)(), RecordSheet* sheet) {
  sheet->versions = std::move(versions);
  if (!current.ok()) {
    sheet->notes.push_back(
        "every version is retracted as of the read: the record has no "
        "current version");
    return false;
  }
  v1::LedgerEvent event;
  *(event.*in_event)() = *current;
  v1::LedgerEvent shown = Shown(std::move(event));
  sheet->fields = RecordFields(*(shown.*in_event)());
  return true;
}

absl::Status ShowArea(const ShowContext& c, const std::string& id,
                      RecordSheet* sheet) {
  absl::StatusOr<std::vector<RecordVersion>> versions =
      AreaVersions(c.view, id, c.read);
  if (!versions.ok()) return versions.status();
  absl::StatusOr<v1::Area> area = c.view.GetArea(id, c.read);
  if (!PutVersions(*std::move(versions), area, &v1::LedgerEvent::mutable_area,
                   sheet)) {
    return absl::OkStatus();
  }
  std::vector<std::string> parent;
  if (!area->parent_id().empty()) parent.push_back(area->parent_id());
  sheet->related.emplace_back("parent", std::move(parent));
  sheet->related.emplace_back("children", IdsOr(c.view.ChildAreas(id, c.read)));
  return absl::OkStatus();
}

absl::Status ShowHousehold(const ShowContext& c, const std::string& id,
                           RecordSheet* sheet) {
  absl::StatusOr<std::vector<RecordVersion>> versions =
      HouseholdVersions(c.view, id, c.read);
  if (!versions.ok()) return versions.status();
  absl::StatusOr<v1::Household> household = c.view.GetHousehold(id, c.read);
  if (!PutVersions(*std::move(versions), household,
                   &v1::LedgerEvent::mutable_household, sheet)) {
    return absl::OkStatus();
  }
  sheet->related.emplace_back("area",
                              std::vector<std::string>{household->area_id()});
  sheet->related.emplace_back("members",
                              IdsOr(c.view.HouseholdMembers(id, c.read)));
  return absl::OkStatus();
}

// "N WHAT" with WHAT in the plural unless N is 1.
std::string Count(size_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// The person's latest diagnosis and open stay at c.at, and how many events
// of each kind name them.
absl::Status PersonNotes(const ShowContext& c, const std::string& id,
                         RecordSheet* sheet) {
  const absl::TimeZone zone = c.view.time_zone();
  const std::string when =
      c.at == absl::InfiniteFuture()
          ? std::string("latest recorded")
          : absl::StrCat("at ",
                         absl::FormatTime(absl::RFC3339_sec, c.at, zone));
  absl::StatusOr<std::vector<Recorded<v1::Diagnosis>>> diagnoses =
      c.view.DiagnosesOf(id, c.read);
  if (!diagnoses.ok()) return diagnoses.status();
  const Recorded<v1::Diagnosis>* latest = nullptr;
  for (const Recorded<v1::Diagnosis>& d : *diagnoses) {
    if (absl::FromUnixSeconds(d.body.time().seconds()) <= c.at) latest = &d;
  }
  if (latest == nullptr) {
    sheet->notes.push_back(absl::StrCat("diagnosis (", when, "): none"));
  } else {
    v1::LedgerEvent event;
    *event.mutable_diagnosis() = latest->body;
    sheet->notes.push_back(absl::StrCat(
        "diagnosis (", when,
        "): ", AuditEventDetail(Shown(std::move(event)), id, nullptr, zone),
        " (event ", latest->sequence_number, ")"));
  }
  absl::StatusOr<std::vector<Recorded<v1::QuarantineAction>>> actions =
      c.view.QuarantineActionsOf(id, c.read);
  if (!actions.ok()) return actions.status();
  // Replayed in event-time order: a start opens a stay, an end closes it.
  const Recorded<v1::QuarantineAction>* open = nullptr;
  for (const Recorded<v1::QuarantineAction>& a : *actions) {
    if (absl::FromUnixSeconds(a.body.time().seconds()) > c.at) continue;
    open = a.body.action() == v1::QUARANTINE_ACTION_KIND_START ? &a : nullptr;
  }
  if (open == nullptr) {
    sheet->notes.push_back(absl::StrCat("stay (", when, "): none open"));
  } else {
    sheet->notes.push_back(absl::StrCat(
        "stay (", when, "): ", QuarantinePlaceName(open->body.place()),
        " since ",
        absl::FormatTime(absl::RFC3339_sec,
                         absl::FromUnixSeconds(open->body.time().seconds()),
                         zone),
        " (event ", open->sequence_number, ")"));
  }
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
      c.view.ExposuresOf(id, absl::InfinitePast(), absl::InfiniteFuture(),
                         c.read);
  absl::StatusOr<std::vector<Recorded<v1::HealthCheck>>> checks =
      c.view.HealthChecksOf(id, c.read);
  absl::StatusOr<std::vector<Recorded<v1::CheckpointPassage>>> passages =
      c.view.PassagesOf(id, c.read);
  if (!exposures.ok()) return exposures.status();
  if (!checks.ok()) return checks.status();
  if (!passages.ok()) return passages.status();
  sheet->notes.push_back(absl::StrCat(
      "recorded: ", Count(exposures->size(), "exposure", "exposures"), ", ",
      Count(diagnoses->size(), "diagnosis", "diagnoses"), ", ",
      Count(actions->size(), "quarantine action", "quarantine actions"), ", ",
      Count(checks->size(), "health check", "health checks"), ", ",
      Count(passages->size(), "passage", "passages"),
      " (ledgerctl audit lists them)"));
  return absl::OkStatus();
}

// Whether an exposure, diagnosis, stay, check or passage the read sees
// names the person.
absl::StatusOr<bool> NamedByEvents(const ShowContext& c,
                                   const std::string& id) {
  absl::StatusOr<std::vector<Recorded<v1::Exposure>>> exposures =
      c.view.ExposuresOf(id, absl::InfinitePast(), absl::InfiniteFuture(),
                         c.read);
  if (!exposures.ok()) return exposures.status();
  absl::StatusOr<std::vector<Recorded<v1::Diagnosis>>> diagnoses =
      c.view.DiagnosesOf(id, c.read);
  absl::StatusOr<std::vector<Recorded<v1::QuarantineAction>>> actions =
      c.view.QuarantineActionsOf(id, c.read);
  absl::StatusOr<std::vector<Recorded<v1::HealthCheck>>> checks =
      c.view.HealthChecksOf(id, c.read);
  absl::StatusOr<std::vector<Recorded<v1::CheckpointPassage>>> passages =
      c.view.PassagesOf(id, c.read);
  for (const absl::Status& s : {diagnoses.status(), actions.status(),
                                checks.status(), passages.status()}) {
    if (!s.ok()) return s;
  }
  return !exposures->empty() || !diagnoses->empty() || !actions->empty() ||
         !checks->empty() || !passages->empty();
}

absl::Status ShowPerson(const ShowContext& c, const std::string& id,
                        RecordSheet* sheet) {
  absl::StatusOr<std::vector<RecordVersion>> versions =
      PersonVersions(c.view, id, c.read);
  if (!versions.ok()) {
    if (!absl::IsNotFound(versions.status())) return versions.status();
    // Never registered: named by other events as of the read, or unknown.
    absl::StatusOr<bool> named = NamedByEvents(c, id);
    if (!named.ok() && !absl::IsNotFound(named.status())) {
      return named.status();
    }
    if (!named.ok() || !*named) {
      return absl::NotFoundError(absl::StrCat(
          "person '", id, "' is not in the ledger (as of the read)"));
    }
    sheet->notes.push_back(
        "not registered: no Person version as of the read, only events "
        "that name the id");
    return PersonNotes(c, id, sheet);
  }
  absl::StatusOr<v1::Person> person = c.view.GetPerson(id, c.read);
  if (!PutVersions(*std::move(versions), person,
                   &v1::LedgerEvent::mutable_person, sheet)) {
    return PersonNotes(c, id, sheet);
  }
  std::vector<std::string> household, area;
  if (!person->household_id().empty()) {
    household.push_back(person->household_id());
  }
  if (!person->area_id().empty()) {
    area.push_back(person->area_id());
  } else if (!person->household_id().empty()) {
    // The household's area when the current version was recorded
    // (LedgerView::PersonsInArea).
    ReadOptions then = c.read;
    then.sequence_limit = CurrentVersion(sheet->versions);
    absl::StatusOr<v1::Household> home =
        c.view.GetHousehold(person->household_id(), then);
    if (home.ok()) area.push_back(home->area_id());
  }
  sheet->related.emplace_back("household", std::move(household));
  sheet->related.emplace_back("area", std::move(area));
  return PersonNotes(c, id, sheet);
}

}  // namespace

int RunShow(const Invocation& inv) {
  const int given = inv.Has("area") + inv.Has("household") + inv.Has("person");
  if (given != 1) {
    return UsageError(inv,
                      "give exactly one of --area ID, --household ID and "
                      "--person ID");
  }
  const std::string format = FormatOf(inv);
  ReadOptions read;
  if (inv.Has("known-at")) {
    if (int rc = TimeFlag(inv, "known-at", &read.known_at); rc != 0) return rc;
  }
  absl::Time at = absl::InfiniteFuture();
  if (inv.Has("at")) {
    if (int rc = TimeFlag(inv, "at", &at); rc != 0) return rc;
  }
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<ScopedLedger> view;
  if (int rc = OpenAtOneCut(inv, &read, &ledger, &view); rc != 0) return rc;
  const ShowContext c{ReaderOf(*ledger, view), read, at};
  RecordSheet sheet;
  absl::Status shown;
  if (inv.Has("area")) {
    sheet.kind = "area";
    sheet.id = inv.Get("area");
    shown = ShowArea(c, sheet.id, &sheet);
  } else if (inv.Has("household")) {
    sheet.kind = "household";
    sheet.id = inv.Get("household");
    shown = ShowHousehold(c, sheet.id, &sheet);
  } else {
    sheet.kind = "person";
    sheet.id = inv.Get("person");
    shown = ShowPerson(c, sheet.id, &sheet);
  }
  if (!shown.ok()) return Failed(inv, UnknownIdError(inv, shown));
  Print(format == "json" ? WriteRecordJson(sheet, ledger->time_zone())
                         : WriteRecordText(sheet, ledger->time_zone()));
  return kExitOk;
}

}  // namespace ledgerctl
}  // namespace contactledger
