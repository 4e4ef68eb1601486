// Copyright 2026 The ContactLedger Authors.
//
// The dashboard's drawings (contactledger/dashboard.h), as inline SVG
// elements for an HTML page: a line chart of one figure per day, and one
// transmission chain in a layered layout of our own (no Graphviz at render
// time). Every text in them goes through EscapeHtml; they fetch nothing
// (arrowheads are markers defined in the same <svg>).

#ifndef CONTACTLEDGER_LIB_DASHBOARD_SVG_H_
#define CONTACTLEDGER_LIB_DASHBOARD_SVG_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "contactledger/tracing.h"

namespace contactledger {
namespace internal {

// One point of a line chart: its x label ("02-08"), its value and the text
// of its tooltip.
struct ChartPoint {
  std::string label;
  uint64_t value = 0;
  std::string tooltip;
};

// An <svg> line chart of `points` (oldest first), labelled `caption` for
// screen readers, its y axis from 0 to a round number at or above the
// largest value, x labels at the first, middle and last points. `css_class`
// names the class that colours the line. `id` becomes the svg's id.
std::string LineChartSvg(absl::string_view id, absl::string_view caption,
                         absl::string_view css_class,
                         const std::vector<ChartPoint>& points);

// The smallest of 1, 2, 5, 10, 20, 50, ... at or above `value` (1 for 0).
uint64_t RoundAxisMax(uint64_t value);

// The layered layout of a chain: a node per case (and per endpoint of an
// edge that is not among the cases), each with its layer (0 at the top:
// the cases no link leads to, then breadth-first along the links; a cycle
// with no such case starts at its smallest id) and its slot in the layer
// (ordered by the mean slot of the nodes linking to it, then by id).
struct ChainLayout {
  struct Node {
    std::string id;
    int layer = 0;
    int slot = 0;
  };
  struct Link {
    int from = 0;  // node indices
    int to = 0;
    std::string rule;
    std::vector<uint64_t> exposures;
  };
  std::vector<Node> nodes;  // in the order of chain.cases
  std::vector<Link> links;
  int layers = 0;  // the number of layers
  int widest = 0;  // the most nodes in one layer
};
ChainLayout LayoutChain(const TransmissionChain& chain);

// The most cases one chain's drawing shows: a larger chain is drawn from
// the top of its layout (the kMaxChainNodes nodes of the lowest layers,
// then slots), so that one huge chain cannot make a giant page.
inline constexpr size_t kMaxChainNodes = 60;

// The drawing of a chain, and how many of its cases it shows.
struct ChainDrawing {
  std::string svg;
  size_t cases = 0;  // the chain's nodes (its cases and link endpoints)
  size_t drawn = 0;  // of them, drawn: at most `max_nodes`
};

// The <svg> of chain number `number` (from 1): a box per case with its id,
// an arrow per link labelled with its rule, the exposures' sequence numbers
// in its tooltip. At most `max_nodes` cases (1 or more) are drawn, with the
// links between them.
ChainDrawing ChainSvg(const TransmissionChain& chain, int number,
                      size_t max_nodes = kMaxChainNodes);

}  // namespace internal
}  // namespace contactledger

#endif  // CONTACTLEDGER_LIB_DASHBOARD_SVG_H_
