// Copyright 2026 The ContactLedger Authors.
//
// chain.dot (chain_dot.h): the case from its diagnoses, the close contacts as
// Tracer::Explain explains them, and the second hop from Contacts and
// ExposuresOf, written as Graphviz DOT.

#include "county_drill/chain_dot.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/report.h"
#include "contactledger/tracing.h"
#include "contactledger/v1/ledger.pb.h"
#include "county_drill/county_time.h"
#include "county_drill/support.h"

namespace county_drill {
namespace {

namespace v1 = ::contactledger::v1;

using ::contactledger::DotQuote;
using ::contactledger::Ledger;
using ::contactledger::ReadOptions;
using ::contactledger::Tracer;

// EXPOSURE_SETTING_GATHERING -> "gathering".
std::string SettingName(v1::ExposureSetting setting) {
  std::string name = v1::ExposureSetting_Name(setting);
  absl::string_view view(name);
  if (absl::ConsumePrefix(&view, "EXPOSURE_SETTING_")) {
    std::string lower(view);
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    return lower;
  }
  return name;
}

// "gathering 01-24": an exposure's setting and day.
std::string SettingAndDay(const v1::Exposure& exposure) {
  return absl::StrCat(SettingName(exposure.setting()), " ",
                      Md(DayOf(ToTime(exposure.start()))));
}

// The graph's title, two lines in one DOT string. Each line is quoted by
// DotQuote and the two are joined by a raw line break, which Graphviz draws
// like DOT's "\n"; the committed golden chain.dot (golden/README.md) holds
// the raw break.
std::string Title(absl::string_view first_line, absl::string_view second_line) {
  std::string first = DotQuote(first_line);
  const std::string second = DotQuote(second_line);
  first.pop_back();  // its closing quote
  return absl::StrCat(first, "\n", absl::string_view(second).substr(1));
}

// What the case's diagnoses say.
struct CaseHistory {
  std::optional<absl::CivilDay> onset;
  absl::Time diagnosed = absl::InfiniteFuture();  // first confirmation
  // "p1\ncase\nonset 01-25\nconfirmed 01-27 10:00\nrecovered 02-05".
  std::string label;
};

CaseHistory HistoryOf(const Ledger& ledger, const std::string& case_id,
                      const ReadOptions& read) {
  CaseHistory history;
  std::string events;
  for (const auto& d :
       Unwrap(ledger.DiagnosesOf(case_id, read), "DiagnosesOf")) {
    if (d.body.has_onset()) history.onset = FromDate(d.body.onset());
    const absl::Time t = ToTime(d.body.time());
    if (d.body.status() == v1::DIAGNOSIS_STATUS_CONFIRMED) {
      history.diagnosed = std::min(history.diagnosed, t);
      absl::StrAppend(&events, "\nconfirmed ",
                      absl::FormatTime("%m-%d %H:%M", t, Zone()));
    } else if (d.body.status() == v1::DIAGNOSIS_STATUS_RECOVERED) {
      absl::StrAppend(&events, "\nrecovered ", Md(DayOf(t)));
    }
  }
  history.label = absl::StrCat(
      case_id, "\ncase",
      history.onset.has_value() ? absl::StrCat("\nonset ", Md(*history.onset))
                                : "",
      events);
  return history;
}

// How `x` (a close contact) met `case_id`: "household" by the household
// rule, and the setting and day of each qualifying exposure (those at home
// left out when the household rule already says it).
std::set<std::string> HowTheyMet(const Ledger& ledger,
                                 const contactledger::Explanation& x,
                                 const std::string& case_id) {
  std::set<std::string> how;
  bool household = false;
  for (const auto& s : x.sources) {
    household |= s.person_id == case_id && s.rule == "household";
  }
  if (household) how.insert("household");
  for (const auto& s : x.sources) {
    if (s.person_id != case_id || s.rule == "household") continue;
    for (uint64_t seq : s.exposures) {
      absl::StatusOr<v1::LedgerEvent> e = ledger.GetEvent(seq);
      if (!e.ok() || !e->has_exposure()) continue;
      if (household &&
          e->exposure().setting() == v1::EXPOSURE_SETTING_HOUSEHOLD) {
        continue;
      }
      how.insert(SettingAndDay(e->exposure()));
    }
  }
  return how;
}

// Appends the case, its close contacts and their contacts to `dot`.
void AppendChainOf(const Ledger& ledger, const Tracer& tracer,
                   const std::string& case_id, std::string* dot) {
  const ReadOptions read = tracer.options().read;
  const CaseHistory history = HistoryOf(ledger, case_id, read);
  if (history.diagnosed == absl::InfiniteFuture()) return;
  // The window: from two days before onset (or the diagnosis) to two days
  // after the diagnosis.
  const absl::Time from = history.onset.has_value()
                              ? absl::FromCivil(*history.onset - 2, Zone())
                              : history.diagnosed;
  const absl::Time to = history.diagnosed + absl::Hours(48);
  absl::StrAppend(dot, "  ", DotQuote(case_id),
                  " [label=", DotQuote(history.label),
                  ", shape=doubleoctagon, fillcolor=\"#e53935\", "
                  "fontcolor=white, color=\"#b71c1c\"];\n");

  // Close contacts: everyone the case met in the window, and the household,
  // as the tracer explains them.
  const std::vector<contactledger::ContactAtDistance> reached = Unwrap(
      contactledger::Contacts(ledger, case_id, 2, from, to, read), "Contacts");
  std::set<std::string> candidates;
  for (const auto& c : reached) {
    if (c.hops == 1) candidates.insert(c.person_id);
  }
  if (absl::StatusOr<v1::Person> p = ledger.GetPerson(case_id, read);
      p.ok() && !p->household_id().empty()) {
    for (const std::string& m :
         Unwrap(ledger.HouseholdMembers(p->household_id(), read), "members")) {
      if (m != case_id) candidates.insert(m);
    }
  }
  std::set<std::string> close;
  for (const std::string& id : candidates) {
    absl::StatusOr<contactledger::Explanation> x = tracer.Explain(id);
    if (!x.ok() || !x->role.has_value() ||
        *x->role != contactledger::Role::kCloseContact) {
      continue;
    }
    const std::set<std::string> how = HowTheyMet(ledger, *x, case_id);
    if (how.empty()) continue;
    close.insert(id);
    const std::string label = absl::StrCat(
        id, "\nclose contact",
        x->until.has_value() ? absl::StrCat("\nquarantine to ", Md(*x->until))
                             : "",
        x->in_roster ? "" : "\n(released)");
    absl::StrAppend(dot, "  ", DotQuote(id), " [label=", DotQuote(label),
                    ", fillcolor=\"#ffb74d\", color=\"#e65100\"];\n");
    absl::StrAppend(dot, "  ", DotQuote(case_id), " -> ", DotQuote(id),
                    " [color=\"#c62828\", penwidth=1.5, label=",
                    DotQuote(absl::StrJoin(how, ", ")), "];\n");
  }

  // Two hops: whom the close contacts met in the same window.
  std::set<std::string> second;
  for (const auto& c : reached) {
    if (c.hops == 2 && close.count(c.person_id) == 0) {
      second.insert(c.person_id);
    }
  }
  std::set<std::pair<std::string, std::string>> edges;
  for (const std::string& contact : close) {
    for (const auto& e :
         Unwrap(ledger.ExposuresOf(contact, from, to, read), "Exposures")) {
      const std::string& other =
          e.body.person_a() == contact ? e.body.person_b() : e.body.person_a();
      if (second.count(other) == 0) continue;
      if (!edges.emplace(contact, other).second) continue;
      absl::StrAppend(dot, "  ", DotQuote(contact), " -> ", DotQuote(other),
                      " [label=", DotQuote(SettingAndDay(e.body)), "];\n");
    }
  }
  for (const std::string& id : second) {
    absl::StrAppend(dot, "  ", DotQuote(id), ";\n");
  }
}

}  // namespace

std::string ChainDot(const Ledger& ledger, const Tracer& tracer,
                     absl::Time at) {
  std::string dot = absl::StrCat(
      "// The drill's transmission chain: the case, its close contacts (the\n"
      "// roster's rule) and, in grey, the people the case's contacts met\n"
      "// between the start of the case's infectious window and two days\n"
      "// after its diagnosis (2 hops of contactledger::Contacts).\n"
      "// Render: dot -Tsvg chain.dot -o chain.svg\n"
      "digraph transmission_chain {\n"
      "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=",
      Title(absl::StrCat("Yuanling county drill: the transmission chain as of ",
                         absl::FormatTime("%Y-%m-%d %H:%M %Z", at, Zone())),
            "red: the case; orange: its close contacts (china-2020 rules); "
            "grey: whom the close contacts met, from 2 days before onset to "
            "2 days after diagnosis"),
      "];\n"
      "  node [fontname=\"Helvetica\", fontsize=10, shape=box, "
      "style=\"rounded,filled\", fillcolor=\"#eeeeee\", color=\"#999999\"];\n"
      "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#888888\"];\n");
  for (const contactledger::TransmissionChain& chain :
       tracer.TransmissionChains()) {
    for (const std::string& case_id : chain.cases) {
      AppendChainOf(ledger, tracer, case_id, &dot);
    }
  }
  dot += "}\n";
  return dot;
}

}  // namespace county_drill
