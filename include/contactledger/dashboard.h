// Copyright 2026 The ContactLedger Authors.
//
// contactledger/dashboard.h: the county dashboard, one self-contained HTML
// page.
//
// A county command room looks at a screen, not at CSV. The dashboard is one
// HTML file that opens from a USB stick on an offline office PC: no script,
// no network, no external style, image or font. It shows, as of one moment:
//
//   - the roll-up of an area (a county) by child area (township), each with
//     a drill-down to its own children (villages) in a <details> element;
//   - the open loops by kind, with the people in each;
//   - the roster with the place each person must be and until which day;
//   - the transmission chains, drawn as inline SVG (a layered layout of the
//     index cases and the links between them, each link with its rule; a
//     chain of more than 60 cases is drawn from its top, with a note of how
//     many more `ledgerctl chains` lists);
//   - inline SVG charts, with their figures in a table, of the roster size,
//     the active cases and the open loops on each of the last N days, each
//     day evaluated at its end in the ledger's time zone (its last instant,
//     the start of the next day less 1 ns; the last day at the page's
//     moment).
//
// It is made in two steps, so that a program can change or redact the data
// before it is written:
//
//   GatherDashboard     asks Tracers (contactledger/tracing.h) over a
//                       LedgerView (a Ledger, or a ScopedLedger for one
//                       area's page) and returns a DashboardData
//   RedactDashboard     passes every string of it through a Redactor
//                       (contactledger/privacy.h), as `ledgerctl --redact`
//                       does with what it prints, and masks every name
//                       with RedactName
//   WriteDashboardHtml  the page: a pure function of the DashboardData
//
// Every string taken from the ledger (ids, names, loop details) is escaped
// for HTML (EscapeHtml): a person named <script>alert(1)</script> shows as
// that text. The page carries a Content-Security-Policy that forbids any
// fetch: default-src 'none', its one inline style sheet allowed by its
// SHA-256 hash, no image, no script at all.
//
// Example:
//
//   contactledger::DashboardOptions options;
//   options.query.at = absl::FromCivil(absl::CivilHour(2020, 2, 8, 22), zone);
//   options.area_id = "yl";  // the county
//   absl::StatusOr<contactledger::DashboardData> data =
//       contactledger::GatherDashboard(*ledger, options);
//   if (!data.ok()) return data.status();
//   std::string html = contactledger::WriteDashboardHtml(*data);
//
// `ledgerctl dashboard DIR --at TIME --out FILE.html` writes the same page.
//
// Cost: one Tracer at the moment (its roster, open loops, chains, the
// area's roll-up and one roll-up per child area) and one Tracer per charted
// day (its roster and open loops), computed on `DashboardOptions::threads`
// threads; then the names of the people listed in the roster and loop
// tables. For a county of 600,000
// persons and 14 days, about 11 ms on a 2-core VM, writing included
// (bench/dashboard_benchmark.cc).
//
// Thread safety: GatherDashboard may run beside appends: it pins one cut
// itself (query.read.sequence_limit, lowered to the view's last sequence
// number when it starts), so every table and every charted day of one page
// sees the same events, and DashboardData::last_sequence names that cut.
// The caller need not set sequence_limit (set it to page an older cut). The
// other functions are pure.

#ifndef CONTACTLEDGER_DASHBOARD_H_
#define CONTACTLEDGER_DASHBOARD_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger_view.h"
#include "contactledger/privacy.h"
#include "contactledger/tracing.h"

namespace contactledger {

struct DashboardOptions {
  // The moment (required), the read and the policy of every answer.
  QueryOptions query;
  // The area the page rolls up: one row per child, each with its own
  // children. Required.
  std::string area_id;
  // The days charted: the `days` civil days in the ledger's zone that end
  // with the day of query.at. 1 to 366. Default: 14.
  int days = 14;
  // The most people the page lists in the roster table and in each kind of
  // open loop, and the most chains it draws; the counts are always whole,
  // and a note says how many more there are. 1 or more. Default: 500.
  int max_listed = 500;
  // Threads for the days' Tracers (1 to 64). Default: 2.
  int threads = 2;
  // The page's title; default "AREA_NAME: contact tracing dashboard".
  std::string title;
};

// A person the page lists, with what the page shows beside the id.
struct DashboardPerson {
  std::string name;     // the registered name; empty when unknown
  std::string area_id;  // the person's area (PersonsInArea's rule); or ""
};

// The figures of one charted day.
struct DashboardDay {
  absl::CivilDay day;
  absl::Time
      at;  // the day's last instant (next day's start - 1 ns), or query.at
  uint64_t roster = 0;  // entries of the roster
  uint64_t cases = 0;   // of them, role case (the active cases)
  uint64_t close_contacts = 0;
  uint64_t secondary_contacts = 0;
  uint64_t open_loops = 0;
};

// One child area of the roll-up, with the roll-up of its own children (empty
// for an area without children and for the kUnassignedAreaId row).
struct DashboardArea {
  AreaRollupRow row;
  std::vector<AreaRollupRow> children;
};

// Everything the page shows.
struct DashboardData {
  std::string title;
  std::string area_id;    // the area rolled up
  std::string area_name;  // its name ("" when it has none)
  absl::TimeZone zone;    // the ledger's: every time is written in it
  absl::Time at;
  absl::Time known_at = absl::InfiniteFuture();
  std::string policy_name;
  uint64_t last_sequence = 0;  // the ledger's last event when gathered
  int max_listed = 500;        // DashboardOptions::max_listed

  std::vector<DashboardArea> areas;  // the area's children, sorted by id
  std::vector<RosterEntry> roster;   // Tracer::Roster()
  std::vector<OpenLoop> loops;       // Tracer::OpenLoops()
  std::vector<TransmissionChain> chains;
  std::vector<DashboardDay> days;  // oldest first; the last is at `at`
  // The people listed by the roster and loop tables (at most max_listed of
  // each), by person id, sorted. The chains show ids only.
  std::vector<std::pair<std::string, DashboardPerson>> people;
  // Set by RedactDashboard: the page says so.
  bool redacted = false;
};

// Gathers the page's data from `view` as `options` say. InvalidArgument
// naming the option for a missing query.at or area_id, days outside 1-366,
// max_listed below 1 or threads outside 1-64; the Tracer's errors
// (an invalid policy); NotFound for an unknown area (PermissionDenied for
// one outside a scoped view).
absl::StatusOr<DashboardData> GatherDashboard(const LedgerView& view,
                                              const DashboardOptions& options);

// Every string of `data` that came from the ledger or the caller (ids,
// details, areas, the title, the policy's name) through redactor.Text();
// every person's name through RedactName, fail-closed as `ledgerctl show
// --redact` (Redactor::Redact): masked whether or not the redactor learned
// it, so a one-character name and a Redactor that learned nothing leak
// none. Sets data->redacted.
void RedactDashboard(const Redactor& redactor, DashboardData* data);

// The page: a UTF-8 HTML5 document, a pure function of `data`.
std::string WriteDashboardHtml(const DashboardData& data);

// `text` escaped for HTML text and attribute values: & < > " ' as
// character references; a malformed UTF-8 byte and a control character but
// tab and line feed as U+FFFD. EscapeHtml("<b>") is "&lt;b&gt;".
std::string EscapeHtml(absl::string_view text);

// The Content-Security-Policy of a page whose one inline style sheet is
// `style`: default-src 'none'; style-src 'sha256-BASE64' of `style`;
// base-uri 'none'; form-action 'none'. No img-src: the page has no image
// (its drawings are inline SVG), so default-src 'none' forbids every one.
std::string DashboardContentSecurityPolicy(absl::string_view style);

}  // namespace contactledger

#endif  // CONTACTLEDGER_DASHBOARD_H_
