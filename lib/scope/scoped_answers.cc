// The answers of a scoped view's Tracer. See scoped_answers.h.

#include "lib/scope/scoped_answers.h"

#include <algorithm>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/index/tables.h"
#include "lib/scope/scope_index.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace internal {

namespace {

// A byte that may continue an id: an occurrence of an id next to one is part
// of a longer word, not the id.
bool IdByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return absl::ascii_isalnum(u) || c == '-' || c == '_' || u >= 0x80;
}

using Replacements = std::vector<std::pair<std::string, std::string>>;

class ScopedAnswers : public TracerFilter {
 public:
  ScopedAnswers(const ViewContext& view, std::unique_ptr<const Tracer> inner,
                const ReadOptions& pinned)
      : view_(view), inner_(std::move(inner)) {
    // The source of each roster member, for the texts that quote it.
    for (const RosterEntry& entry : inner_->Roster()) {
      if (!entry.source.empty()) sources_[entry.person_id] = entry.source;
    }
    LedgerReader reader(*view_.ledger);
    scope_ = ScopeAt::Compute(reader, reader.areas().keys.Find(view_.area_id),
                              reader.CutFor(pinned));
  }

  std::vector<RosterEntry> Roster() const override {
    std::vector<RosterEntry> roster = inner_->Roster();
    LedgerReader reader(*view_.ledger);
    std::vector<RosterEntry> out;
    for (RosterEntry& entry : roster) {
      if (!scope_.HasPerson(reader, entry.person_id)) continue;
      if (!entry.source.empty()) entry.source = Show(reader, entry.source);
      out.push_back(std::move(entry));
    }
    return out;
  }

  std::vector<OpenLoop> OpenLoops() const override {
    std::vector<OpenLoop> loops = inner_->OpenLoops();
    LedgerReader reader(*view_.ledger);
    std::vector<OpenLoop> out;
    for (OpenLoop& loop : loops) {
      if (!scope_.HasPerson(reader, loop.person_id)) continue;
      loop.detail = ReplaceIds(loop.detail, Outsiders(reader, loop.person_id));
      out.push_back(std::move(loop));
    }
    return out;
  }

  absl::StatusOr<Explanation> Explain(
      absl::string_view person_id) const override {
    if (absl::Status s = CheckPerson(person_id); !s.ok()) return s;
    absl::StatusOr<Explanation> explained = inner_->Explain(person_id);
    if (!explained.ok()) return explained;
    LedgerReader reader(*view_.ledger);
    Replacements outsiders = Outsiders(reader, person_id);
    for (Explanation::Source& source : explained->sources) {
      if (scope_.HasPerson(reader, source.person_id)) continue;
      std::string opaque = view_.opaque->Person(source.person_id);
      outsiders.emplace_back(source.person_id, opaque);
      source.person_id = std::move(opaque);
    }
    for (std::string& note : explained->notes) {
      note = ReplaceIds(note, outsiders);
    }
    std::sort(explained->sources.begin(), explained->sources.end(),
              [](const Explanation::Source& a, const Explanation::Source& b) {
                return std::tie(a.person_id, a.rule) <
                       std::tie(b.person_id, b.rule);
              });
    return explained;
  }

  absl::StatusOr<std::vector<AreaRollupRow>> AreaRollup(
      absl::string_view area_id) const override {
    {
      LedgerReader reader(*view_.ledger);
      if (!scope_.HasArea(reader, area_id)) {
        return NotInScope("area", area_id, view_.area_id);
      }
    }
    // Every child of an area in scope is in scope, and so is everyone it
    // counts. Persons with no area are in no view's scope: their row (a
    // top area's kUnassignedAreaId) is left out.
    absl::StatusOr<std::vector<AreaRollupRow>> rows =
        inner_->AreaRollup(area_id);
    if (!rows.ok()) return rows;
    rows->erase(std::remove_if(rows->begin(), rows->end(),
                               [](const AreaRollupRow& row) {
                                 return row.area_id == kUnassignedAreaId;
                               }),
                rows->end());
    return rows;
  }

  absl::StatusOr<PassDecision> MayPass(
      absl::string_view person_id,
      absl::string_view checkpoint_id) const override {
    if (checkpoint_id.empty()) {
      return inner_->MayPass(person_id, checkpoint_id);  // its usage error
    }
    if (absl::Status s = CheckPerson(person_id); !s.ok()) return s;
    absl::StatusOr<PassDecision> decision =
        inner_->MayPass(person_id, checkpoint_id);
    if (!decision.ok()) return decision;
    LedgerReader reader(*view_.ledger);
    decision->reason =
        ReplaceIds(decision->reason, Outsiders(reader, person_id));
    return decision;
  }

  std::vector<TransmissionChain> TransmissionChains() const override {
    std::vector<TransmissionChain> chains = inner_->TransmissionChains();
    LedgerReader reader(*view_.ledger);
    std::vector<TransmissionChain> out;
    for (TransmissionChain& chain : chains) {
      bool any = false;
      for (const std::string& c : chain.cases) {
        any = any || scope_.HasPerson(reader, c);
      }
      if (!any) continue;
      for (std::string& c : chain.cases) c = Show(reader, c);
      for (TransmissionChain::Edge& edge : chain.edges) {
        edge.from = Show(reader, edge.from);
        edge.to = Show(reader, edge.to);
      }
      std::sort(chain.cases.begin(), chain.cases.end());
      std::sort(chain.edges.begin(), chain.edges.end(),
                [](const TransmissionChain::Edge& a,
                   const TransmissionChain::Edge& b) {
                  return std::tie(a.from, a.to, a.rule) <
                         std::tie(b.from, b.to, b.rule);
                });
      out.push_back(std::move(chain));
    }
    std::sort(out.begin(), out.end(),
              [](const TransmissionChain& a, const TransmissionChain& b) {
                return a.cases.front() < b.cases.front();
              });
    return out;
  }

 private:
  absl::Status CheckPerson(absl::string_view person_id) const {
    LedgerReader reader(*view_.ledger);
    if (scope_.HasPerson(reader, person_id)) return absl::OkStatus();
    return NotInScope("person", person_id, view_.area_id);
  }

  // The id itself when in scope, else its opaque id.
  std::string Show(const LedgerReader& reader, const std::string& id) const {
    return scope_.HasPerson(reader, id) ? id : view_.opaque->Person(id);
  }

  // The outsiders that texts about `person` (in scope) may quote: the
  // source of its roster entry and its household, when outside the scope.
  Replacements Outsiders(const LedgerReader& reader,
                         absl::string_view person) const {
    Replacements out;
    if (auto it = sources_.find(person);
        it != sources_.end() && !scope_.HasPerson(reader, it->second)) {
      out.emplace_back(it->second, view_.opaque->Person(it->second));
    }
    const PersonTable& persons = reader.persons();
    const uint32_t dense = persons.keys.Find(person);
    const uint32_t version =
        dense == kNoId
            ? kNoId
            : EffectiveVersion(persons, reader.events(), dense, scope_.cut());
    if (version != kNoId && persons.v_household[version] != kNoId &&
        !scope_.HasHousehold(reader, persons.v_household[version])) {
      const std::string household(
          reader.households().keys.Key(persons.v_household[version]));
      out.emplace_back(household, view_.opaque->Household(household));
    }
    return out;
  }

  ViewContext view_;
  std::unique_ptr<const Tracer> inner_;
  ScopeAt scope_;
  absl::flat_hash_map<std::string, std::string> sources_;
};

}  // namespace

absl::Status NotInScope(absl::string_view what, absl::string_view id,
                        absl::string_view area_id) {
  return absl::PermissionDeniedError(
      absl::StrCat("no ", what, " '", id, "' in the scope of this view (area '",
                   area_id, "')"));
}

std::string ReplaceIds(absl::string_view text, Replacements replacements) {
  // Longer ids first: an id inside a longer one is then never replaced
  // first (and a replacement, "ext-" and hex digits, never holds a
  // stand-alone id).
  std::sort(replacements.begin(), replacements.end(),
            [](const auto& a, const auto& b) {
              return a.first.size() > b.first.size();
            });
  std::string out(text);
  for (const auto& [id, replacement] : replacements) {
    if (id.empty()) continue;
    std::string next;
    size_t pos = 0;
    while (true) {
      const size_t found = out.find(id, pos);
      if (found == std::string::npos) {
        next.append(out, pos, std::string::npos);
        break;
      }
      const size_t end = found + id.size();
      const bool alone = (found == 0 || !IdByte(out[found - 1])) &&
                         (end == out.size() || !IdByte(out[end]));
      next.append(out, pos, found - pos);
      next += alone ? replacement : id;
      pos = end;
    }
    out = std::move(next);
  }
  return out;
}

std::unique_ptr<const TracerFilter> NewScopedAnswers(
    const ViewContext& view, std::unique_ptr<const Tracer> inner,
    const ReadOptions& pinned) {
  return std::make_unique<ScopedAnswers>(view, std::move(inner), pinned);
}

}  // namespace internal
}  // namespace contactledger
