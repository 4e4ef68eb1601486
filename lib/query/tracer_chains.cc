// Copyright 2026 The ContactLedger Authors.
//
// Tracer::TransmissionChains(): the index cases linked by the exposures (or
// the household rule) that made one a contact of another. The cases are
// joined by union-find over the TracingResult's case edges; each group is a
// chain.

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "contactledger/tracing.h"
#include "lib/query/tracer_state.h"
#include "lib/query/tracing_engine.h"
#include "lib/state/reader.h"

namespace contactledger {
namespace {

using internal::TracingResult;

// The cases, grouped: each case maps to the representative of its chain.
class CaseGroups {
 public:
  explicit CaseGroups(const TracingResult& result) {
    for (const auto& [person, info] : result.cases) parent_[person] = person;
    for (const internal::CaseEdge& edge : result.case_edges) {
      parent_[Find(edge.from)] = Find(edge.to);
    }
  }

  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }

 private:
  absl::flat_hash_map<uint32_t, uint32_t> parent_;
};

// The edge as the answer shows it: ids, the rule's name and the exposures'
// sequence numbers.
TransmissionChain::Edge ChainEdge(const internal::LedgerReader& reader,
                                  const internal::CaseEdge& edge) {
  const auto& keys = reader.persons().keys;
  TransmissionChain::Edge out;
  out.from = std::string(keys.Key(edge.from));
  out.to = std::string(keys.Key(edge.to));
  out.rule = internal::SourceRuleName(edge.rule);
  for (uint32_t row : edge.exposure_rows) {
    out.exposures.push_back(
        reader.events().SequenceOf(internal::EventKind::kExposure, row));
  }
  return out;
}

// Sorts the chain's cases and edges, and the chains by their first case.
std::vector<TransmissionChain> SortedChains(
    absl::flat_hash_map<uint32_t, TransmissionChain> chains) {
  std::vector<TransmissionChain> out;
  for (auto& [root, chain] : chains) {
    std::sort(chain.cases.begin(), chain.cases.end());
    std::sort(
        chain.edges.begin(), chain.edges.end(),
        [](const TransmissionChain::Edge& a, const TransmissionChain::Edge& b) {
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

}  // namespace

std::vector<TransmissionChain> Tracer::TransmissionChains() const {
  if (state_->filter != nullptr) return state_->filter->TransmissionChains();
  internal::LedgerReader reader(*state_->ledger);
  const TracingResult& result = state_->result;
  CaseGroups groups(result);
  absl::flat_hash_map<uint32_t, TransmissionChain> chains;
  for (const auto& [person, info] : result.cases) {
    chains[groups.Find(person)].cases.push_back(
        std::string(reader.persons().keys.Key(person)));
  }
  for (const internal::CaseEdge& edge : result.case_edges) {
    chains[groups.Find(edge.from)].edges.push_back(ChainEdge(reader, edge));
  }
  return SortedChains(std::move(chains));
}

}  // namespace contactledger
