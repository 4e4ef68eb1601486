// Copyright 2026 The ContactLedger Authors.
//
// The roster and open loops as CSV and JSON, and the CSV and JSON building
// blocks every writer of contactledger/report.h uses.

#include "contactledger/report.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lib/report/report_internal.h"
#include "lib/util/names.h"

namespace contactledger {
namespace {

using internal::Day;
using internal::Instant;
using internal::JsonObject;

// The fields of one roster row, in column order, "" for empty.
struct RosterRow {
  std::string person_id, role, source, last_exposure, until, continuous, place;
};

RosterRow RosterFields(const RosterEntry& e, absl::TimeZone zone) {
  const bool is_case = e.role == Role::kCase;
  RosterRow row;
  row.person_id = e.person_id;
  row.role = std::string(RoleName(e.role));
  if (!is_case) {
    row.source = e.source;
    row.last_exposure = Instant(e.last_exposure, zone);
    row.until = Day(e.until);
    row.continuous = e.continuous ? "true" : "false";
  }
  row.place = std::string(QuarantinePlaceName(e.place));
  return row;
}

}  // namespace

absl::string_view QuarantinePlaceName(v1::QuarantinePlace place) {
  return internal::NameOf(place);
}

namespace {

// True for an integer as the writers print one: an optional '-' and digits.
// A spreadsheet reads it as a number, not a formula.
bool IsInteger(absl::string_view value) {
  if (!value.empty() && value[0] == '-') value.remove_prefix(1);
  if (value.empty()) return false;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// True when a spreadsheet would take the cell for a formula (OWASP, "CSV
// Injection"): it begins with '=', '+', '-', '@', tab or CR.
bool LooksLikeFormula(absl::string_view value) {
  if (value.empty()) return false;
  switch (value[0]) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return !IsInteger(value);
    default:
      return false;
  }
}

}  // namespace

std::string CsvField(absl::string_view value) {
  // A formula is neutralised by a leading "'", inside the quotes if any.
  const absl::string_view neutraliser = LooksLikeFormula(value) ? "'" : "";
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return absl::StrCat(neutraliser, value);
  }
  std::string out = absl::StrCat("\"", neutraliser);
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvRow(absl::Span<const std::string> fields) {
  std::string row;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) row.push_back(',');
    row += CsvField(fields[i]);
  }
  row.push_back('\n');
  return row;
}

std::string JsonString(absl::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xF]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string JsonArray(absl::Span<const std::string> items) {
  if (items.empty()) return "[]\n";
  std::string out = "[\n";
  for (size_t i = 0; i < items.size(); ++i) {
    absl::StrAppend(&out, "  ", items[i], i + 1 < items.size() ? ",\n" : "\n");
  }
  out += "]\n";
  return out;
}

std::string WriteRosterCsv(absl::Span<const RosterEntry> roster,
                           absl::TimeZone zone) {
  std::string out =
      "person_id,role,source,last_exposure,until,continuous,place\n";
  for (const RosterEntry& e : roster) {
    RosterRow r = RosterFields(e, zone);
    out += CsvRow({r.person_id, r.role, r.source, r.last_exposure, r.until,
                   r.continuous, r.place});
  }
  return out;
}

std::string WriteRosterJson(absl::Span<const RosterEntry> roster,
                            absl::TimeZone zone) {
  std::vector<std::string> items;
  items.reserve(roster.size());
  for (const RosterEntry& e : roster) {
    RosterRow r = RosterFields(e, zone);
    items.push_back(
        JsonObject()
            .String("person_id", r.person_id)
            .String("role", r.role)
            .StringOrNull("source", r.source)
            .StringOrNull("last_exposure", r.last_exposure)
            .StringOrNull("until", r.until)
            .Raw("continuous", r.continuous.empty() ? "null" : r.continuous)
            .StringOrNull("place", r.place)
            .Build());
  }
  return JsonArray(items);
}

std::string WriteLoopsCsv(absl::Span<const OpenLoop> loops,
                          absl::TimeZone zone) {
  std::string out = "person_id,kind,since,detail\n";
  for (const OpenLoop& l : loops) {
    out += CsvRow({l.person_id, std::string(LoopKindName(l.kind)),
                   Instant(l.since, zone), l.detail});
  }
  return out;
}

std::string WriteLoopsJson(absl::Span<const OpenLoop> loops,
                           absl::TimeZone zone) {
  std::vector<std::string> items;
  items.reserve(loops.size());
  for (const OpenLoop& l : loops) {
    items.push_back(JsonObject()
                        .String("person_id", l.person_id)
                        .String("kind", LoopKindName(l.kind))
                        .StringOrNull("since", Instant(l.since, zone))
                        .String("detail", l.detail)
                        .Build());
  }
  return JsonArray(items);
}

}  // namespace contactledger
