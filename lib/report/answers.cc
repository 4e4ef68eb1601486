// Copyright 2026 The ContactLedger Authors.
//
// The Tracer's other answers as text (contactledger/report.h): an
// explanation, an area roll-up, a pass decision, the contacts within K hops
// and the transmission chains, in CSV and JSON (explanation and pass decision
// also as plain text, the chains also as Graphviz DOT).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "contactledger/report.h"
#include "contactledger/tracing.h"
#include "lib/report/report_internal.h"

namespace contactledger {
namespace {

using internal::Day;
using internal::Instant;
using internal::JsonInlineArray;
using internal::JsonObject;
using internal::Sequences;

// The loop kinds, one roll-up column each, in LoopKind order.
constexpr int kLoopKinds = static_cast<int>(LoopKind::kUnregistered) + 1;

// A roll-up row's count of open loops of kind `k` (0 when it holds none).
uint64_t LoopCount(const AreaRollupRow& row, int k) {
  return k < static_cast<int>(row.loops.size()) ? row.loops[k] : 0;
}

std::string RoleOf(const Explanation& x) {
  return x.role.has_value() ? std::string(RoleName(*x.role)) : std::string();
}

// "allowed", "refused" or "unknown_person". A decision built by hand with
// only `allowed` cleared reads as refused.
absl::string_view Verdict(const PassDecision& decision) {
  if (!decision.allowed && decision.verdict == PassVerdict::kAllowed) {
    return PassVerdictName(PassVerdict::kRefused);
  }
  return PassVerdictName(decision.verdict);
}

}  // namespace

// --- Explanation -----------------------------------------------------------

std::string WriteExplanationText(const Explanation& x, absl::TimeZone zone) {
  const std::string role = RoleOf(x);
  std::string out = absl::StrCat("person ", x.person_id, ": ");
  if (x.in_roster) {
    absl::StrAppend(&out, "in the roster as ", role, "\n");
  } else if (!role.empty()) {
    absl::StrAppend(&out, "not in the roster (", role, ")\n");
  } else {
    absl::StrAppend(&out, "not in the roster\n");
  }
  if (x.until.has_value()) {
    absl::StrAppend(&out, "until: ", Day(x.until), "\n");
  }
  for (const Explanation::Phase& p : x.phases) {
    absl::StrAppend(&out, "phase: ", QuarantinePlaceName(p.place), " ",
                    Day(p.first_day), " to ", Day(p.last_day), "\n");
  }
  for (const Explanation::Source& s : x.sources) {
    absl::StrAppend(&out, "source: ", s.person_id, " by ", s.rule);
    if (!s.exposures.empty()) {
      absl::StrAppend(&out, ", exposures ", Sequences(s.exposures, ", "));
    }
    absl::StrAppend(&out, "; first ", Instant(s.first, zone));
    if (s.continuous) {
      absl::StrAppend(&out, "; continuous");
    } else {
      absl::StrAppend(&out, "; last exposure ", Instant(s.last_exposure, zone));
    }
    absl::StrAppend(&out, "; overlap ", absl::FormatDuration(s.overlap), "\n");
  }
  for (const std::string& note : x.notes) {
    absl::StrAppend(&out, "note: ", note, "\n");
  }
  return out;
}

std::string WriteExplanationCsv(const Explanation& x, absl::TimeZone zone) {
  const std::string role = RoleOf(x);
  const std::string in_roster = x.in_roster ? "true" : "false";
  std::string out =
      "person_id,in_roster,role,source,rule,exposures,first,last_exposure,"
      "overlap_seconds,continuous,until\n";
  if (x.sources.empty()) {
    out += CsvRow({x.person_id, in_roster, role, "", "", "", "", "", "", "",
                   Day(x.until)});
  }
  for (const Explanation::Source& s : x.sources) {
    out += CsvRow({x.person_id, in_roster, role, s.person_id, s.rule,
                   Sequences(s.exposures, ";"), Instant(s.first, zone),
                   Instant(s.last_exposure, zone),
                   absl::StrCat(absl::ToInt64Seconds(s.overlap)),
                   s.continuous ? "true" : "false", Day(x.until)});
  }
  return out;
}

std::string WriteExplanationJson(const Explanation& x, absl::TimeZone zone) {
  std::vector<std::string> sources, phases, notes;
  for (const Explanation::Source& s : x.sources) {
    sources.push_back(
        JsonObject()
            .String("source", s.person_id)
            .String("rule", s.rule)
            .Raw("exposures",
                 absl::StrCat("[", Sequences(s.exposures, ", "), "]"))
            .StringOrNull("first", Instant(s.first, zone))
            .StringOrNull("last_exposure", Instant(s.last_exposure, zone))
            .Number("overlap_seconds", absl::ToInt64Seconds(s.overlap))
            .Bool("continuous", s.continuous)
            .Build());
  }
  for (const Explanation::Phase& p : x.phases) {
    phases.push_back(JsonObject()
                         .String("place", QuarantinePlaceName(p.place))
                         .String("first_day", Day(p.first_day))
                         .String("last_day", Day(p.last_day))
                         .Build());
  }
  for (const std::string& note : x.notes) notes.push_back(JsonString(note));
  return absl::StrCat(JsonObject()
                          .String("person_id", x.person_id)
                          .Bool("in_roster", x.in_roster)
                          .StringOrNull("role", RoleOf(x))
                          .StringOrNull("until", Day(x.until))
                          .Raw("sources", JsonInlineArray(sources))
                          .Raw("phases", JsonInlineArray(phases))
                          .Raw("notes", JsonInlineArray(notes))
                          .Build(),
                      "\n");
}

// --- Area roll-up ----------------------------------------------------------

std::string WriteAreaRollupCsv(absl::Span<const AreaRollupRow> rows) {
  std::vector<std::string> header = {"area_id",
                                     "name",
                                     "persons",
                                     "households",
                                     "active_cases",
                                     "close_contacts",
                                     "secondary_contacts",
                                     "in_hospital",
                                     "in_centralized",
                                     "at_home"};
  for (int k = 0; k < kLoopKinds; ++k) {
    header.push_back(std::string(LoopKindName(static_cast<LoopKind>(k))));
  }
  header.push_back("checks_last_24h");
  std::string out = CsvRow(header);
  for (const AreaRollupRow& r : rows) {
    std::vector<std::string> row = {r.area_id,
                                    r.name,
                                    absl::StrCat(r.persons),
                                    absl::StrCat(r.households),
                                    absl::StrCat(r.active_cases),
                                    absl::StrCat(r.close_contacts),
                                    absl::StrCat(r.secondary_contacts),
                                    absl::StrCat(r.in_hospital),
                                    absl::StrCat(r.in_centralized),
                                    absl::StrCat(r.at_home)};
    for (int k = 0; k < kLoopKinds; ++k) {
      row.push_back(absl::StrCat(LoopCount(r, k)));
    }
    row.push_back(absl::StrCat(r.checks_last_24h));
    out += CsvRow(row);
  }
  return out;
}

std::string WriteAreaRollupJson(absl::Span<const AreaRollupRow> rows) {
  std::vector<std::string> items;
  items.reserve(rows.size());
  for (const AreaRollupRow& r : rows) {
    JsonObject o;
    o.String("area_id", r.area_id)
        .String("name", r.name)
        .Number("persons", r.persons)
        .Number("households", r.households)
        .Number("active_cases", r.active_cases)
        .Number("close_contacts", r.close_contacts)
        .Number("secondary_contacts", r.secondary_contacts)
        .Number("in_hospital", r.in_hospital)
        .Number("in_centralized", r.in_centralized)
        .Number("at_home", r.at_home);
    for (int k = 0; k < kLoopKinds; ++k) {
      o.Number(LoopKindName(static_cast<LoopKind>(k)), LoopCount(r, k));
    }
    o.Number("checks_last_24h", r.checks_last_24h);
    items.push_back(o.Build());
  }
  return JsonArray(items);
}

// --- Pass decision ---------------------------------------------------------

std::string WritePassDecisionText(const PassDecision& decision) {
  const absl::string_view verdict =
      decision.verdict == PassVerdict::kUnknownPerson
          ? absl::string_view("unknown person")
          : Verdict(decision);
  return absl::StrCat(verdict, decision.reason.empty() ? "" : ": ",
                      decision.reason, "\n");
}

std::string WritePassDecisionCsv(absl::string_view person_id,
                                 absl::string_view checkpoint_id,
                                 const PassDecision& decision) {
  return absl::StrCat(
      "person_id,checkpoint_id,decision,reason\n",
      CsvRow({std::string(person_id), std::string(checkpoint_id),
              std::string(Verdict(decision)), decision.reason}));
}

std::string WritePassDecisionJson(absl::string_view person_id,
                                  absl::string_view checkpoint_id,
                                  const PassDecision& decision) {
  return absl::StrCat(JsonObject()
                          .String("person_id", person_id)
                          .String("checkpoint_id", checkpoint_id)
                          .Bool("allowed", decision.allowed)
                          .String("verdict", Verdict(decision))
                          .String("reason", decision.reason)
                          .Build(),
                      "\n");
}

// --- Contacts within K hops ------------------------------------------------

std::string WriteContactsCsv(absl::Span<const ContactAtDistance> contacts) {
  std::string out = "person_id,hops\n";
  for (const ContactAtDistance& c : contacts) {
    out += CsvRow({c.person_id, absl::StrCat(c.hops)});
  }
  return out;
}

std::string WriteContactsJson(absl::Span<const ContactAtDistance> contacts) {
  std::vector<std::string> items;
  items.reserve(contacts.size());
  for (const ContactAtDistance& c : contacts) {
    items.push_back(JsonObject()
                        .String("person_id", c.person_id)
                        .Number("hops", c.hops)
                        .Build());
  }
  return JsonArray(items);
}

// --- Transmission chains ---------------------------------------------------

std::string WriteTransmissionChainsCsv(
    absl::Span<const TransmissionChain> chains) {
  std::string out = "chain,from,to,rule,exposures\n";
  for (size_t i = 0; i < chains.size(); ++i) {
    const TransmissionChain& chain = chains[i];
    const std::string number = absl::StrCat(i + 1);
    if (chain.edges.empty()) {
      for (const std::string& c : chain.cases) {
        out += CsvRow({number, c, "", "", ""});
      }
    }
    for (const TransmissionChain::Edge& e : chain.edges) {
      out +=
          CsvRow({number, e.from, e.to, e.rule, Sequences(e.exposures, ";")});
    }
  }
  return out;
}

std::string WriteTransmissionChainsJson(
    absl::Span<const TransmissionChain> chains) {
  std::vector<std::string> items;
  items.reserve(chains.size());
  for (size_t i = 0; i < chains.size(); ++i) {
    const TransmissionChain& chain = chains[i];
    std::vector<std::string> cases, edges;
    for (const std::string& c : chain.cases) cases.push_back(JsonString(c));
    for (const TransmissionChain::Edge& e : chain.edges) {
      edges.push_back(
          JsonObject()
              .String("from", e.from)
              .String("to", e.to)
              .String("rule", e.rule)
              .Raw("exposures",
                   absl::StrCat("[", Sequences(e.exposures, ", "), "]"))
              .Build());
    }
    items.push_back(JsonObject()
                        .Number("chain", static_cast<uint64_t>(i + 1))
                        .Raw("cases", JsonInlineArray(cases))
                        .Raw("edges", JsonInlineArray(edges))
                        .Build());
  }
  return JsonArray(items);
}

std::string WriteTransmissionChainsDot(
    absl::Span<const TransmissionChain> chains) {
  std::string out = "digraph transmission_chains {\n  node [shape=box];\n";
  for (size_t i = 0; i < chains.size(); ++i) {
    const TransmissionChain& chain = chains[i];
    absl::StrAppend(
        &out, "  subgraph ", DotQuote(absl::StrCat("cluster_", i + 1)),
        " {\n    label=", DotQuote(absl::StrCat("chain ", i + 1)), ";\n");
    for (const std::string& c : chain.cases) {
      absl::StrAppend(&out, "    ", DotQuote(c), ";\n");
    }
    for (const TransmissionChain::Edge& e : chain.edges) {
      std::string label = e.rule;
      if (!e.exposures.empty()) {
        absl::StrAppend(&label, " ", Sequences(e.exposures, ","));
      }
      absl::StrAppend(&out, "    ", DotQuote(e.from), " -> ", DotQuote(e.to),
                      " [label=", DotQuote(label), "];\n");
    }
    out += "  }\n";
  }
  out += "}\n";
  return out;
}

}  // namespace contactledger
