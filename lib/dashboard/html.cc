// Copyright 2026 The ContactLedger Authors.
//
// WriteDashboardHtml (contactledger/dashboard.h): the page, written as one
// string from a DashboardData. No script: the drill-downs are <details>
// elements, so the page reads the same in any browser and under a policy
// that forbids every script. The one style sheet is inline and allowed by
// its hash; the drawings are inline SVG (svg.h). Every text from the data
// goes through EscapeHtml.
//
// The tables carry data- attributes (data-area, data-kind, data-person) so
// that a program reading the page (tests/browser/dashboard_browser_test.py)
// can find the rows without depending on the wording around them.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/dashboard.h"
#include "contactledger/report.h"
#include "contactledger/tracing.h"
#include "lib/dashboard/loop_kinds.h"
#include "lib/dashboard/svg.h"
#include "lib/util/sha256.h"
#include "lib/util/text.h"

namespace contactledger {
namespace {

constexpr int kLoopKinds = internal::kDashboardLoopKinds;
// A kind's list is open on the page when it has at most this many people.
constexpr uint64_t kOpenListUpTo = 50;

// The page's style sheet: system fonts only (nothing to fetch), print- and
// screen-friendly, no style attributes anywhere (the policy allows this
// sheet by its hash, and nothing else).
constexpr absl::string_view kStyle = R"css(
:root { --ink: #1d2433; --muted: #5b6475; --line: #d8dde6; --band: #f3f5f9;
  --case: #c0392b; --roster: #1f6fb2; --loops: #d4841c; }
* { box-sizing: border-box; }
body { margin: 0; padding: 0 24px 32px; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, "Segoe UI", "Noto Sans", "Microsoft YaHei",
  "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
header { border-bottom: 3px solid var(--roster); padding: 16px 0 8px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line);
  padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: var(--muted); margin: 0; }
.redacted { color: var(--case); font-weight: 600; }
nav a { margin-right: 14px; color: var(--roster); text-decoration: none; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 0; padding: 0;
  list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px;
  min-width: 140px; background: var(--band); }
.cards .n { display: block; font-size: 24px; font-weight: 600; }
.cards .l { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left;
  vertical-align: top; }
th { background: var(--band); font-weight: 600; font-size: 12px; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td:first-child { white-space: nowrap; }
tfoot td { font-weight: 600; border-top: 2px solid var(--ink); }
tr.busy td { background: #fff6e8; }
details { margin: 4px 0; border: 1px solid var(--line); border-radius: 6px;
  padding: 4px 10px; }
details[open] { padding-bottom: 8px; }
summary { cursor: pointer; }
.more { color: var(--muted); font-style: italic; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
figure { margin: 0; }
figcaption { font-weight: 600; font-size: 13px; }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
svg .axis { fill: var(--muted); }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .line { stroke-width: 2; }
svg .roster { stroke: var(--roster); fill: var(--roster); }
svg .cases { stroke: var(--case); fill: var(--case); }
svg .loops { stroke: var(--loops); fill: var(--loops); }
svg polyline.line { fill: none; }
.chains { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }
svg.chain rect { fill: #fdecea; stroke: var(--case); stroke-width: 1.5; }
svg.chain path { stroke: var(--ink); stroke-width: 1.4; }
svg.chain path.head { fill: var(--ink); stroke: none; }
svg.chain .id { font-weight: 600; }
svg.chain .note, svg.chain .rule { fill: var(--muted); font-size: 10px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
)css";

// One sentence per loop kind (docs/rules.md section 8), in LoopKind order.
constexpr absl::string_view kLoopMeaning[] = {
    "contacts in the roster with no stay open",
    "active cases not in hospital or centralized quarantine",
    "contacts whose stay ended before their quarantine did",
    "persons in a stay whose health check is overdue",
    "fevers or symptoms not followed by a diagnosis",
    "roster members with no household or no responsible worker",
    "checkpoint passages by persons who had to stay",
    "person ids named by events but never registered",
};
static_assert(sizeof(kLoopMeaning) / sizeof(kLoopMeaning[0]) == kLoopKinds,
              "one sentence per LoopKind: add the new kind's meaning");

std::string Instant(absl::Time t, absl::TimeZone zone) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return "";
  return absl::FormatTime(absl::RFC3339_sec, t, zone);
}

// A <time> element of an instant to the nanosecond (a day's end,
// 23:59:59.999999999), so that a reader can ask ledgerctl at exactly it.
std::string FullTimeElement(absl::Time t, absl::TimeZone zone) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) return "";
  const std::string rfc = absl::FormatTime(absl::RFC3339_full, t, zone);
  return absl::StrCat("<time datetime=\"", rfc, "\">", rfc, "</time>");
}

// "2020-02-08 22:00 +08:00" for the headings.
std::string Readable(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%d %H:%M %Ez", t, zone);
}

// A <time> element of an instant.
std::string TimeElement(absl::Time t, absl::TimeZone zone) {
  const std::string rfc = Instant(t, zone);
  if (rfc.empty()) return "";
  return absl::StrCat("<time datetime=\"", rfc, "\">", rfc, "</time>");
}

std::string Td(absl::string_view text) {
  return absl::StrCat("<td>", EscapeHtml(text), "</td>");
}
std::string TdNum(uint64_t n) {
  return absl::StrCat("<td class=\"n\">", n, "</td>");
}

uint64_t LoopTotal(const AreaRollupRow& row) {
  uint64_t total = 0;
  for (uint64_t n : row.loops) total += n;
  return total;
}

constexpr absl::string_view kRollupHead =
    "<thead><tr><th>Area</th><th>Name</th><th class=\"n\">Persons</th>"
    "<th class=\"n\">Households</th><th class=\"n\">Active cases</th>"
    "<th class=\"n\">Close contacts</th><th class=\"n\">Secondary "
    "contacts</th><th class=\"n\">In hospital</th><th "
    "class=\"n\">Centralized</th><th class=\"n\">At home</th><th "
    "class=\"n\">Open loops</th><th class=\"n\">Checks, 24 h</th></tr>"
    "</thead>\n";

// The counts of a roll-up row, as cells.
std::string RollupCells(const AreaRollupRow& row) {
  return absl::StrCat(TdNum(row.persons), TdNum(row.households),
                      TdNum(row.active_cases), TdNum(row.close_contacts),
                      TdNum(row.secondary_contacts), TdNum(row.in_hospital),
                      TdNum(row.in_centralized), TdNum(row.at_home),
                      TdNum(LoopTotal(row)), TdNum(row.checks_last_24h));
}

bool Busy(const AreaRollupRow& row) {
  return row.active_cases + row.close_contacts + row.secondary_contacts +
             LoopTotal(row) >
         0;
}

// One row of a roll-up table; `anchor`, when not empty, links the id to the
// drill-down.
std::string RollupRow(const AreaRollupRow& row, absl::string_view anchor) {
  const std::string id = anchor.empty()
                             ? EscapeHtml(row.area_id)
                             : absl::StrCat("<a href=\"#", anchor, "\">",
                                            EscapeHtml(row.area_id), "</a>");
  return absl::StrCat("<tr data-area=\"", EscapeHtml(row.area_id), "\"",
                      Busy(row) ? " class=\"busy\"" : "", "><td>", id, "</td>",
                      Td(row.name), RollupCells(row), "</tr>\n");
}

// The sum of `rows`, for the total line.
AreaRollupRow Total(const std::vector<DashboardArea>& areas) {
  AreaRollupRow total;
  for (const DashboardArea& a : areas) {
    const AreaRollupRow& r = a.row;
    total.persons += r.persons;
    total.households += r.households;
    total.active_cases += r.active_cases;
    total.close_contacts += r.close_contacts;
    total.secondary_contacts += r.secondary_contacts;
    total.in_hospital += r.in_hospital;
    total.in_centralized += r.in_centralized;
    total.at_home += r.at_home;
    for (size_t k = 0; k < total.loops.size() && k < r.loops.size(); ++k) {
      total.loops[k] += r.loops[k];
    }
    total.checks_last_24h += r.checks_last_24h;
  }
  return total;
}

class PageWriter {
 public:
  explicit PageWriter(const DashboardData& data) : data_(data) {}

  std::string Write() {
    Head();
    Summary();
    Charts();
    // What needs doing first, then the overview by area (the longest).
    Loops();
    Roster();
    Chains();
    Rollup();
    absl::StrAppend(&out_,
                    "<footer>Written by ContactLedger from the ledger as of "
                    "event ",
                    data_.last_sequence,
                    ". Every figure is a Tracer's answer "
                    "(contactledger/tracing.h, docs/rules.md); 'ledgerctl "
                    "roster', 'loops', 'rollup' and 'chains' give the same "
                    "as CSV.</footer>\n</body>\n</html>\n");
    return std::move(out_);
  }

 private:
  const DashboardPerson* Person(absl::string_view id) const {
    auto it = std::lower_bound(data_.people.begin(), data_.people.end(), id,
                               [](const auto& entry, absl::string_view key) {
                                 return entry.first < key;
                               });
    if (it == data_.people.end() || it->first != id) return nullptr;
    return &it->second;
  }

  // Name and area cells of a listed person.
  std::string PersonCells(absl::string_view id) const {
    const DashboardPerson* person = Person(id);
    if (person == nullptr) return "<td></td><td></td>";
    return absl::StrCat(Td(person->name), Td(person->area_id));
  }

  void Head() {
    const absl::TimeZone zone = data_.zone;
    absl::StrAppend(
        &out_,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" "
        "content=\"",
        EscapeHtml(DashboardContentSecurityPolicy(kStyle)),
        "\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta "
        "name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">\n<meta name=\"generator\" "
        "content=\"ContactLedger\">\n<title>",
        EscapeHtml(data_.title), "</title>\n<style>", kStyle,
        "</style>\n</head>\n<body>\n<header>\n<h1>", EscapeHtml(data_.title),
        "</h1>\n<p class=\"meta\" id=\"moment\" data-at=\"",
        Instant(data_.at, zone), "\">As of <time datetime=\"",
        Instant(data_.at, zone), "\">", Readable(data_.at, zone), "</time>");
    if (data_.known_at != absl::InfiniteFuture()) {
      absl::StrAppend(&out_, ", as the ledger knew it at ",
                      Readable(data_.known_at, zone));
    }
    absl::StrAppend(&out_, "; area ", EscapeHtml(data_.area_id));
    if (!data_.area_name.empty()) {
      absl::StrAppend(&out_, " (", EscapeHtml(data_.area_name), ")");
    }
    absl::StrAppend(&out_, "; policy ",
                    EscapeHtml(data_.policy_name.empty() ? "china-2020"
                                                         : data_.policy_name),
                    "; ledger event ", data_.last_sequence, "; time zone ",
                    EscapeHtml(zone.name()), ".</p>\n");
    if (data_.redacted) {
      out_ +=
          "<p class=\"redacted\" id=\"redacted\">Redacted: names, national "
          "ids, phone numbers, addresses and responsible workers are "
          "masked.</p>\n";
    }
    out_ +=
        "<nav><a href=\"#charts\">Days</a><a href=\"#loops\">Open "
        "loops</a><a href=\"#roster\">Roster</a><a "
        "href=\"#chains\">Chains</a><a href=\"#rollup\">Areas</a></nav>\n"
        "</header>\n";
  }

  void Summary() {
    uint64_t cases = 0, close = 0, secondary = 0;
    for (const RosterEntry& e : data_.roster) {
      if (e.role == Role::kCase) ++cases;
      if (e.role == Role::kCloseContact) ++close;
      if (e.role == Role::kSecondaryContact) ++secondary;
    }
    auto card = [&](absl::string_view id, uint64_t n, absl::string_view what) {
      absl::StrAppend(&out_, "<li id=\"", id, "\"><span class=\"n\">", n,
                      "</span><span class=\"l\">", what, "</span></li>");
    };
    out_ += "<ul class=\"cards\" id=\"summary\">";
    card("count-roster", data_.roster.size(), "in the roster");
    card("count-cases", cases, "active cases");
    card("count-close", close, "close contacts");
    card("count-secondary", secondary, "secondary contacts");
    card("count-loops", data_.loops.size(), "open loops");
    card("count-chains", data_.chains.size(), "transmission chains");
    out_ += "</ul>\n";
  }

  void Charts() {
    const absl::TimeZone zone = data_.zone;
    absl::StrAppend(&out_, "<section id=\"charts\">\n<h2>The last ",
                    data_.days.size(),
                    data_.days.size() == 1 ? " day" : " days",
                    "</h2>\n<p class=\"meta\">Each day as it stood at its "
                    "end (its last instant, 23:59:59.999999999 in ",
                    EscapeHtml(zone.name()),
                    "); the last day at the page's moment.</p>\n<div "
                    "class=\"charts\">\n");
    struct Series {
      const char* id;
      const char* caption;
      const char* css;
      uint64_t DashboardDay::*field;
    };
    const Series series[] = {
        {"chart-roster", "In the roster", "roster", &DashboardDay::roster},
        {"chart-cases", "Active cases", "cases", &DashboardDay::cases},
        {"chart-loops", "Open loops", "loops", &DashboardDay::open_loops},
    };
    for (const Series& s : series) {
      std::vector<internal::ChartPoint> points;
      for (const DashboardDay& day : data_.days) {
        const std::string date = absl::FormatCivilTime(day.day);
        points.push_back({date.substr(5), day.*(s.field),
                          absl::StrCat(date, ": ", day.*(s.field))});
      }
      absl::StrAppend(&out_, "<figure><figcaption>", s.caption, "</figcaption>",
                      internal::LineChartSvg(s.id, s.caption, s.css, points),
                      "</figure>\n");
    }
    out_ +=
        "</div>\n<details class=\"figures\"><summary>The figures, day by "
        "day</summary>\n<table "
        "id=\"days\"><thead><tr><th>Day</th><th>At</th><th "
        "class=\"n\">Roster</th><th class=\"n\">Active cases</th><th "
        "class=\"n\">Close contacts</th><th class=\"n\">Secondary "
        "contacts</th><th class=\"n\">Open loops</th></tr></thead>\n<tbody>\n";
    for (const DashboardDay& day : data_.days) {
      const std::string date = absl::FormatCivilTime(day.day);
      absl::StrAppend(&out_, "<tr data-day=\"", date, "\"><td>", date,
                      "</td><td>", FullTimeElement(day.at, zone), "</td>",
                      TdNum(day.roster), TdNum(day.cases),
                      TdNum(day.close_contacts), TdNum(day.secondary_contacts),
                      TdNum(day.open_loops), "</tr>\n");
    }
    out_ += "</tbody></table>\n</details>\n</section>\n";
  }

  void Rollup() {
    absl::StrAppend(
        &out_, "<section id=\"rollup\">\n<h2>", "By area: ",
        EscapeHtml(data_.area_name.empty() ? data_.area_id : data_.area_name),
        "</h2>\n<table id=\"rollup-table\" data-parent=\"",
        EscapeHtml(data_.area_id), "\">", kRollupHead, "<tbody>\n");
    for (size_t i = 0; i < data_.areas.size(); ++i) {
      const DashboardArea& area = data_.areas[i];
      absl::StrAppend(&out_,
                      RollupRow(area.row, area.children.empty()
                                              ? std::string()
                                              : absl::StrCat("area-", i + 1)));
    }
    absl::StrAppend(&out_,
                    "</tbody>\n<tfoot><tr id=\"rollup-total\"><td>total</td>"
                    "<td></td>",
                    RollupCells(Total(data_.areas)),
                    "</tr></tfoot>\n</table>\n");
    bool any = false;
    for (size_t i = 0; i < data_.areas.size(); ++i) {
      const DashboardArea& area = data_.areas[i];
      if (area.children.empty()) continue;
      if (!any) {
        out_ +=
            "<h3>Drill-down</h3>\n<p class=\"meta\">Open an area to see its "
            "own areas (those with cases, contacts or open loops are "
            "open).</p>\n";
        any = true;
      }
      const AreaRollupRow& r = area.row;
      absl::StrAppend(
          &out_, "<details class=\"drill\" id=\"area-", i + 1,
          "\" data-area=\"", EscapeHtml(r.area_id), "\"",
          Busy(r) ? " open" : "", "><summary><b>",
          EscapeHtml(r.name.empty() ? r.area_id : r.name), "</b> (",
          EscapeHtml(r.area_id), "): ", area.children.size(),
          area.children.size() == 1 ? " area, " : " areas, ", r.active_cases,
          " active cases, ", r.close_contacts, " close contacts, ",
          LoopTotal(r),
          " open loops</summary>\n<table class=\"children\" data-parent=\"",
          EscapeHtml(r.area_id), "\">", kRollupHead, "<tbody>\n");
      for (const AreaRollupRow& child : area.children) {
        out_ += RollupRow(child, "");
      }
      out_ += "</tbody></table>\n</details>\n";
    }
    out_ += "</section>\n";
  }

  void Loops() {
    std::vector<uint64_t> counts(kLoopKinds, 0);
    for (const OpenLoop& loop : data_.loops) {
      ++counts[static_cast<int>(loop.kind)];
    }
    absl::StrAppend(
        &out_, "<section id=\"loops\">\n<h2>Open loops: ", data_.loops.size(),
        "</h2>\n<table id=\"loop-kinds\"><thead><tr><th>Kind</th>"
        "<th>Meaning</th><th class=\"n\">Open</th></tr></thead>"
        "\n<tbody>\n");
    for (int k = 0; k < kLoopKinds; ++k) {
      const absl::string_view name = LoopKindName(static_cast<LoopKind>(k));
      absl::StrAppend(
          &out_, "<tr data-kind=\"", name, "\"",
          counts[k] > 0 ? " class=\"busy\"" : "", "><td>",
          counts[k] > 0
              ? absl::StrCat("<a href=\"#loops-", name, "\">", name, "</a>")
              : std::string(name),
          "</td><td>", kLoopMeaning[k], "</td>", TdNum(counts[k]), "</tr>\n");
    }
    out_ += "</tbody></table>\n";
    const uint64_t max = static_cast<uint64_t>(data_.max_listed);
    for (int k = 0; k < kLoopKinds; ++k) {
      if (counts[k] == 0) continue;
      const absl::string_view name = LoopKindName(static_cast<LoopKind>(k));
      absl::StrAppend(&out_, "<details class=\"loops\" id=\"loops-", name,
                      "\" data-kind=\"", name, "\"",
                      counts[k] <= kOpenListUpTo ? " open" : "",
                      "><summary><b>", name, "</b>: ", counts[k],
                      "</summary>\n<table class=\"people\" data-kind=\"", name,
                      "\"><thead><tr><th>Person</th><th>Name</th><th>Area</th>"
                      "<th>Since</th><th>Detail</th></tr></thead>\n<tbody>\n");
      uint64_t listed = 0;
      for (const OpenLoop& loop : data_.loops) {
        if (static_cast<int>(loop.kind) != k) continue;
        if (listed++ >= max) continue;
        absl::StrAppend(&out_, "<tr data-person=\"", EscapeHtml(loop.person_id),
                        "\">", Td(loop.person_id), PersonCells(loop.person_id),
                        "<td>", TimeElement(loop.since, data_.zone), "</td>",
                        Td(loop.detail), "</tr>\n");
      }
      out_ += "</tbody></table>\n";
      if (counts[k] > max) {
        absl::StrAppend(&out_, "<p class=\"more\">and ", counts[k] - max,
                        " more: 'ledgerctl loops' lists them all.</p>\n");
      }
      out_ += "</details>\n";
    }
    out_ += "</section>\n";
  }

  void Roster() {
    absl::StrAppend(
        &out_, "<section id=\"roster\">\n<h2>Roster: ", data_.roster.size(),
        "</h2>\n<p class=\"meta\">Who must be quarantined, where, until which "
        "day (docs/rules.md section 7).</p>\n<table "
        "id=\"roster-table\"><thead><tr><th>Person</th><th>Name</th>"
        "<th>Area</th><th>Role</th><th>Place</th><th>Until</th><th>Source</th>"
        "<th>Last exposure</th><th>Continuous</th></tr></thead>\n<tbody>\n");
    const size_t max = static_cast<size_t>(data_.max_listed);
    for (size_t i = 0; i < data_.roster.size() && i < max; ++i) {
      const RosterEntry& e = data_.roster[i];
      const bool is_case = e.role == Role::kCase;
      absl::StrAppend(
          &out_, "<tr data-person=\"", EscapeHtml(e.person_id), "\">",
          Td(e.person_id), PersonCells(e.person_id), Td(RoleName(e.role)),
          Td(QuarantinePlaceName(e.place)),
          Td(e.until.has_value() ? absl::FormatCivilTime(*e.until) : ""),
          Td(e.source), "<td>",
          is_case ? std::string() : TimeElement(e.last_exposure, data_.zone),
          "</td>", Td(is_case ? "" : (e.continuous ? "true" : "false")),
          "</tr>\n");
    }
    out_ += "</tbody></table>\n";
    if (data_.roster.size() > max) {
      absl::StrAppend(&out_, "<p class=\"more\">and ",
                      data_.roster.size() - max,
                      " more: 'ledgerctl roster' lists them all.</p>\n");
    }
    out_ += "</section>\n";
  }

  void Chains() {
    absl::StrAppend(&out_, "<section id=\"chains\">\n<h2>Transmission chains: ",
                    data_.chains.size(),
                    "</h2>\n<p class=\"meta\">The index cases linked by "
                    "qualifying exposures or the household rule; each "
                    "arrow names its rule. A chain of more than ",
                    internal::kMaxChainNodes,
                    " cases is drawn from its first cases down.</p>\n"
                    "<div class=\"chains\">\n");
    const size_t max = static_cast<size_t>(data_.max_listed);
    for (size_t c = 0; c < data_.chains.size() && c < max; ++c) {
      const TransmissionChain& chain = data_.chains[c];
      const internal::ChainDrawing drawing =
          internal::ChainSvg(chain, static_cast<int>(c + 1));
      absl::StrAppend(&out_, "<figure data-chain=\"", c + 1,
                      "\"><figcaption>Chain ", c + 1, ": ", drawing.cases,
                      drawing.cases == 1 ? " case" : " cases", "</figcaption>",
                      drawing.svg);
      if (drawing.drawn < drawing.cases) {
        absl::StrAppend(&out_, "<p class=\"more\">and ",
                        drawing.cases - drawing.drawn,
                        " more cases: see 'ledgerctl chains'.</p>");
      }
      out_ += "</figure>\n";
    }
    out_ += "</div>\n";
    if (data_.chains.size() > max) {
      absl::StrAppend(&out_, "<p class=\"more\">and ",
                      data_.chains.size() - max,
                      " more: 'ledgerctl chains' lists them all.</p>\n");
    }
    out_ += "</section>\n";
  }

  const DashboardData& data_;
  std::string out_;
};

}  // namespace

std::string EscapeHtml(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '&':
        out += "&amp;";
        ++i;
        continue;
      case '<':
        out += "&lt;";
        ++i;
        continue;
      case '>':
        out += "&gt;";
        ++i;
        continue;
      case '"':
        out += "&quot;";
        ++i;
        continue;
      case '\'':
        out += "&#39;";
        ++i;
        continue;
      default:
        break;
    }
    const size_t n = internal::Utf8SequenceAt(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a malformed byte
      ++i;
      continue;
    }
    const uint32_t code = internal::DecodeUtf8(text, i, n);
    const bool control = (code < 0x20 && code != '\t' && code != '\n') ||
                         (code >= 0x7F && code < 0xA0);
    if (control) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(text.data() + i, n);
    }
    i += n;
  }
  return out;
}

std::string DashboardContentSecurityPolicy(absl::string_view style) {
  internal::Sha256 sha;
  sha.Update(style);
  const std::array<uint8_t, 32> digest = sha.Digest();
  const std::string hash = absl::Base64Escape(absl::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
  return absl::StrCat("default-src 'none'; style-src 'sha256-", hash,
                      "'; base-uri 'none'; form-action 'none'");
}

std::string WriteDashboardHtml(const DashboardData& data) {
  return PageWriter(data).Write();
}

}  // namespace contactledger
