// Copyright 2026 The ContactLedger Authors.
//
// One record (an area, household or person) with its versions and the
// records around it, as text and JSON (contactledger/report.h): what
// `ledgerctl show` prints.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "contactledger/report.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "lib/report/report_internal.h"
#include "lib/util/names.h"

namespace contactledger {
namespace {

using internal::JsonInlineArray;
using internal::JsonObject;

// Appends (name, value) when value is not empty.
void Add(std::vector<RecordField>* fields, absl::string_view name,
         absl::string_view value) {
  if (!value.empty()) fields->emplace_back(std::string(name), value);
}

std::string DayOf(const v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

// "Wuhan, Hubei 2020-01-10 to 2020-01-20"; a missing day left out.
std::string TravelOf(const v1::TravelEntry& t) {
  std::string out = t.place();
  if (t.has_from()) absl::StrAppend(&out, " ", DayOf(t.from()));
  if (t.has_to()) absl::StrAppend(&out, " to ", DayOf(t.to()));
  return out;
}

// A record time, with the fraction of a second.
std::string RecordTime(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime(absl::RFC3339_full, t, zone);
}

}  // namespace

std::vector<RecordField> RecordFields(const v1::Area& area) {
  std::vector<RecordField> fields;
  Add(&fields, "id", area.id());
  Add(&fields, "parent_id", area.parent_id());
  Add(&fields, "level", internal::NameOf(area.level()));
  Add(&fields, "name", area.name());
  return fields;
}

std::vector<RecordField> RecordFields(const v1::Household& household) {
  std::vector<RecordField> fields;
  Add(&fields, "id", household.id());
  Add(&fields, "area_id", household.area_id());
  Add(&fields, "address", household.address());
  Add(&fields, "responsible_worker", household.responsible_worker());
  return fields;
}

std::vector<RecordField> RecordFields(const v1::Person& person) {
  std::vector<RecordField> fields;
  Add(&fields, "id", person.id());
  Add(&fields, "name", person.name());
  Add(&fields, "national_id", person.national_id());
  Add(&fields, "phone", person.phone());
  if (person.has_birth_date()) {
    Add(&fields, "birth_date", DayOf(person.birth_date()));
  }
  Add(&fields, "household_id", person.household_id());
  Add(&fields, "area_id", person.area_id());
  Add(&fields, "tags", absl::StrJoin(person.tags(), "; "));
  std::vector<std::string> travel;
  for (const v1::TravelEntry& t : person.travel_history()) {
    travel.push_back(TravelOf(t));
  }
  Add(&fields, "travel_history", absl::StrJoin(travel, "; "));
  return fields;
}

std::string WriteRecordText(const RecordSheet& sheet, absl::TimeZone zone) {
  std::string out = absl::StrCat(sheet.kind, " ", sheet.id, "\n");
  for (const auto& [name, value] : sheet.fields) {
    absl::StrAppend(&out, "  ", name, ": ", value, "\n");
  }
  for (const auto& [relation, ids] : sheet.related) {
    absl::StrAppend(&out, "  ", relation, ": ",
                    ids.empty() ? "(none)" : absl::StrJoin(ids, ", "), "\n");
  }
  for (const std::string& note : sheet.notes) {
    absl::StrAppend(&out, "  note: ", note, "\n");
  }
  absl::StrAppend(&out, "versions:", sheet.versions.empty() ? " (none)" : "",
                  "\n");
  for (const RecordVersion& v : sheet.versions) {
    absl::StrAppend(&out, "  ", v.sequence_number, " ",
                    RecordTime(v.record_time, zone));
    if (!v.actor.empty()) absl::StrAppend(&out, " by ", v.actor);
    if (v.retracted) absl::StrAppend(&out, ", retracted by ", v.retracted_by);
    out += "\n";
  }
  return out;
}

std::string WriteRecordJson(const RecordSheet& sheet, absl::TimeZone zone) {
  JsonObject fields;
  for (const auto& [name, value] : sheet.fields) fields.String(name, value);
  JsonObject related;
  for (const auto& [relation, ids] : sheet.related) {
    std::vector<std::string> items;
    for (const std::string& id : ids) items.push_back(JsonString(id));
    related.Raw(relation, JsonInlineArray(items));
  }
  std::vector<std::string> notes, versions;
  for (const std::string& note : sheet.notes) notes.push_back(JsonString(note));
  for (const RecordVersion& v : sheet.versions) {
    JsonObject o;
    o.Number("sequence_number", v.sequence_number)
        .String("record_time", RecordTime(v.record_time, zone))
        .StringOrNull("actor", v.actor)
        .Bool("retracted", v.retracted);
    if (v.retracted) {
      o.Number("retracted_by", v.retracted_by);
    } else {
      o.Null("retracted_by");
    }
    versions.push_back(o.Build());
  }
  return absl::StrCat(JsonObject()
                          .String("kind", sheet.kind)
                          .String("id", sheet.id)
                          .Raw("fields", fields.Build())
                          .Raw("related", related.Build())
                          .Raw("notes", JsonInlineArray(notes))
                          .Raw("versions", JsonInlineArray(versions))
                          .Build(),
                      "\n");
}

}  // namespace contactledger
