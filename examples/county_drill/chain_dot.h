// Copyright 2026 The ContactLedger Authors.
//
// chain.dot: the drill's transmission chain as a Graphviz digraph. The case
// (red), its close contacts (orange) with how each met the case, and in grey
// the people those contacts met between two days before the case's onset and
// two days after its diagnosis (two hops of contactledger::Contacts).

#ifndef EXAMPLES_COUNTY_DRILL_CHAIN_DOT_H_
#define EXAMPLES_COUNTY_DRILL_CHAIN_DOT_H_

#include <string>

#include "absl/time/time.h"
#include "contactledger/ledger.h"
#include "contactledger/tracing.h"

namespace county_drill {

// The DOT text, as `tracer` answers (its moment is `at`, named in the
// title). Every id and label is quoted by contactledger::DotQuote.
std::string ChainDot(const contactledger::Ledger& ledger,
                     const contactledger::Tracer& tracer, absl::Time at);

}  // namespace county_drill

#endif  // EXAMPLES_COUNTY_DRILL_CHAIN_DOT_H_
