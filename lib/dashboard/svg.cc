// Copyright 2026 The ContactLedger Authors.
//
// The dashboard's SVG drawings (svg.h): line charts of the days, and the
// layered layout and drawing of a transmission chain.

#include "lib/dashboard/svg.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "contactledger/dashboard.h"
#include "contactledger/tracing.h"
#include "lib/util/text.h"

namespace contactledger {
namespace internal {
namespace {

// Chart geometry, in SVG user units.
constexpr double kChartWidth = 380;
constexpr double kChartHeight = 170;
constexpr double kChartLeft = 44;  // room for the y labels
constexpr double kChartRight = 12;
constexpr double kChartTop = 12;
constexpr double kChartBottom = 26;  // room for the x labels

// Chain geometry.
constexpr double kBoxWidth = 164;
constexpr double kBoxHeight = 42;
constexpr double kGapX = 26;
constexpr double kGapY = 58;
constexpr double kMargin = 12;
// Ids longer than this many code points are cut in the box (the full id is
// in its tooltip).
constexpr size_t kBoxChars = 20;

std::string Num(double x) { return absl::StrFormat("%.1f", x); }

// The first `max` code points of `text`, with "…" when it was longer.
std::string Shorten(absl::string_view text, size_t max) {
  size_t i = 0;
  size_t count = 0;
  while (i < text.size() && count < max) {
    const size_t n = Utf8SequenceAt(text, i);
    i += n == 0 ? 1 : n;
    ++count;
  }
  if (i >= text.size()) return std::string(text);
  return absl::StrCat(text.substr(0, i), "\xE2\x80\xA6");
}

}  // namespace

uint64_t RoundAxisMax(uint64_t value) {
  uint64_t scale = 1;
  while (true) {
    for (uint64_t step : {1, 2, 5}) {
      if (step * scale >= value) return step * scale;
    }
    if (scale > UINT64_MAX / 100) return value;
    scale *= 10;
  }
}

std::string LineChartSvg(absl::string_view id, absl::string_view caption,
                         absl::string_view css_class,
                         const std::vector<ChartPoint>& points) {
  uint64_t max = 0;
  for (const ChartPoint& p : points) max = std::max(max, p.value);
  const uint64_t top = RoundAxisMax(max);
  const double plot_w = kChartWidth - kChartLeft - kChartRight;
  const double plot_h = kChartHeight - kChartTop - kChartBottom;
  const double bottom = kChartTop + plot_h;
  auto x_of = [&](size_t i) {
    if (points.size() <= 1) return kChartLeft + plot_w / 2;
    return kChartLeft + plot_w * static_cast<double>(i) /
                            static_cast<double>(points.size() - 1);
  };
  auto y_of = [&](uint64_t v) {
    return bottom - plot_h * static_cast<double>(v) / static_cast<double>(top);
  };
  std::string svg = absl::StrCat(
      "<svg id=\"", EscapeHtml(id), "\" class=\"chart\" viewBox=\"0 0 ",
      Num(kChartWidth), " ", Num(kChartHeight), "\" width=\"", Num(kChartWidth),
      "\" height=\"", Num(kChartHeight), "\" role=\"img\" aria-label=\"",
      EscapeHtml(caption), "\">\n");
  // The y axis: gridlines at 0, half and the top.
  for (uint64_t tick : {uint64_t{0}, top / 2, top}) {
    if (tick == top / 2 && (top % 2 != 0 || top < 2)) continue;
    const double y = y_of(tick);
    absl::StrAppend(&svg, "<line class=\"grid\" x1=\"", Num(kChartLeft),
                    "\" y1=\"", Num(y), "\" x2=\"", Num(kChartLeft + plot_w),
                    "\" y2=\"", Num(y), "\"/><text class=\"axis\" x=\"",
                    Num(kChartLeft - 6), "\" y=\"", Num(y + 4),
                    "\" text-anchor=\"end\">", tick, "</text>\n");
  }
  // The x labels: first, middle and last.
  std::vector<size_t> labelled;
  if (!points.empty()) {
    labelled = {0, (points.size() - 1) / 2, points.size() - 1};
    labelled.erase(std::unique(labelled.begin(), labelled.end()),
                   labelled.end());
  }
  for (size_t i : labelled) {
    // The first and last labels lean inwards, so that the box cuts neither.
    absl::string_view anchor = "middle";
    double x = x_of(i);
    if (points.size() > 1 && i == 0) {
      anchor = "start";
      x -= 4;
    } else if (points.size() > 1 && i + 1 == points.size()) {
      anchor = "end";
      x += 4;
    }
    absl::StrAppend(&svg, "<text class=\"axis\" x=\"", Num(x), "\" y=\"",
                    Num(kChartHeight - 8), "\" text-anchor=\"", anchor, "\">",
                    EscapeHtml(points[i].label), "</text>\n");
  }
  std::vector<std::string> coords;
  coords.reserve(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    coords.push_back(
        absl::StrCat(Num(x_of(i)), ",", Num(y_of(points[i].value))));
  }
  absl::StrAppend(&svg, "<polyline class=\"line ", EscapeHtml(css_class),
                  "\" fill=\"none\" points=\"", absl::StrJoin(coords, " "),
                  "\"/>\n");
  for (size_t i = 0; i < points.size(); ++i) {
    absl::StrAppend(&svg, "<circle class=\"dot ", EscapeHtml(css_class),
                    "\" cx=\"", Num(x_of(i)), "\" cy=\"",
                    Num(y_of(points[i].value)), "\" r=\"3\"><title>",
                    EscapeHtml(points[i].tooltip), "</title></circle>\n");
  }
  svg += "</svg>";
  return svg;
}

ChainLayout LayoutChain(const TransmissionChain& chain) {
  ChainLayout layout;
  absl::flat_hash_map<std::string, int> index;
  auto node_of = [&](const std::string& id) {
    auto [it, inserted] =
        index.emplace(id, static_cast<int>(layout.nodes.size()));
    if (inserted) layout.nodes.push_back({id, -1, 0});
    return it->second;
  };
  for (const std::string& id : chain.cases) node_of(id);
  for (const TransmissionChain::Edge& edge : chain.edges) {
    const int from = node_of(edge.from);
    const int to = node_of(edge.to);
    layout.links.push_back({from, to, edge.rule, edge.exposures});
  }
  const int n = static_cast<int>(layout.nodes.size());
  std::vector<std::vector<int>> out(n), in(n);
  for (const ChainLayout::Link& link : layout.links) {
    if (link.from == link.to) continue;
    out[link.from].push_back(link.to);
    in[link.to].push_back(link.from);
  }
  // Layers: breadth-first from the nodes nothing links to; what a cycle
  // keeps unreached starts again from its smallest id.
  std::deque<int> queue;
  for (int i = 0; i < n; ++i) {
    if (in[i].empty()) {
      layout.nodes[i].layer = 0;
      queue.push_back(i);
    }
  }
  while (true) {
    while (!queue.empty()) {
      const int u = queue.front();
      queue.pop_front();
      for (int v : out[u]) {
        if (layout.nodes[v].layer < 0) {
          layout.nodes[v].layer = layout.nodes[u].layer + 1;
          queue.push_back(v);
        }
      }
    }
    int smallest = -1;
    for (int i = 0; i < n; ++i) {
      if (layout.nodes[i].layer >= 0) continue;
      if (smallest < 0 || layout.nodes[i].id < layout.nodes[smallest].id) {
        smallest = i;
      }
    }
    if (smallest < 0) break;
    layout.nodes[smallest].layer = 0;
    queue.push_back(smallest);
  }
  for (const ChainLayout::Node& node : layout.nodes) {
    layout.layers = std::max(layout.layers, node.layer + 1);
  }
  // Slots, layer by layer: by the mean slot of the nodes above that link to
  // the node, then by id.
  std::vector<std::vector<int>> by_layer(layout.layers);
  for (int i = 0; i < n; ++i) by_layer[layout.nodes[i].layer].push_back(i);
  for (int layer = 0; layer < layout.layers; ++layer) {
    std::vector<std::pair<double, int>> order;
    for (int i : by_layer[layer]) {
      double sum = 0;
      int count = 0;
      for (int parent : in[i]) {
        if (layout.nodes[parent].layer < layer) {
          sum += layout.nodes[parent].slot;
          ++count;
        }
      }
      order.emplace_back(count == 0 ? -1.0 : sum / count, i);
    }
    std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      return layout.nodes[a.second].id < layout.nodes[b.second].id;
    });
    for (size_t s = 0; s < order.size(); ++s) {
      layout.nodes[order[s].second].slot = static_cast<int>(s);
    }
    layout.widest = std::max(layout.widest, static_cast<int>(order.size()));
  }
  return layout;
}

namespace {

// `chain` cut to the `max_nodes` nodes at the top of its layout (by layer,
// then slot), with the links between them. `layout` is LayoutChain(chain),
// with more than `max_nodes` nodes.
TransmissionChain TopOfChain(const TransmissionChain& chain,
                             const ChainLayout& layout, size_t max_nodes) {
  std::vector<int> order(layout.nodes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const ChainLayout::Node& x = layout.nodes[a];
    const ChainLayout::Node& y = layout.nodes[b];
    if (x.layer != y.layer) return x.layer < y.layer;
    return x.slot < y.slot;
  });
  order.resize(std::min(order.size(), max_nodes));
  absl::flat_hash_set<std::string> kept;
  for (int i : order) kept.insert(layout.nodes[i].id);
  TransmissionChain top;
  for (const std::string& id : chain.cases) {
    if (kept.contains(id)) top.cases.push_back(id);
  }
  for (const TransmissionChain::Edge& edge : chain.edges) {
    if (kept.contains(edge.from) && kept.contains(edge.to)) {
      top.edges.push_back(edge);
    }
  }
  return top;
}

}  // namespace

ChainDrawing ChainSvg(const TransmissionChain& chain, int number,
                      size_t max_nodes) {
  ChainDrawing drawing;
  ChainLayout layout = LayoutChain(chain);
  drawing.cases = layout.nodes.size();
  max_nodes = std::max<size_t>(max_nodes, 1);
  if (layout.nodes.size() > max_nodes) {
    layout = LayoutChain(TopOfChain(chain, layout, max_nodes));
  }
  drawing.drawn = layout.nodes.size();
  std::vector<int> layer_size(layout.layers, 0);
  for (const ChainLayout::Node& node : layout.nodes) ++layer_size[node.layer];
  const double width =
      2 * kMargin + layout.widest * kBoxWidth + (layout.widest - 1) * kGapX;
  const double height =
      2 * kMargin + layout.layers * kBoxHeight + (layout.layers - 1) * kGapY;
  // A node's box: its layer centred across the widest.
  auto left_of = [&](const ChainLayout::Node& node) {
    const double row = layer_size[node.layer] * kBoxWidth +
                       (layer_size[node.layer] - 1) * kGapX;
    return (width - row) / 2 + node.slot * (kBoxWidth + kGapX);
  };
  auto top_of = [&](const ChainLayout::Node& node) {
    return kMargin + node.layer * (kBoxHeight + kGapY);
  };
  const std::string marker = absl::StrCat("arrow-", number);
  std::string svg = absl::StrCat(
      "<svg class=\"chain\" data-chain=\"", number, "\" viewBox=\"0 0 ",
      Num(width), " ", Num(height), "\" width=\"", Num(width), "\" height=\"",
      Num(height), "\" role=\"img\" aria-label=\"chain ", number, ": ",
      drawing.cases, drawing.cases == 1 ? " case" : " cases",
      drawing.drawn < drawing.cases
          ? absl::StrCat(", the first ", drawing.drawn, " drawn")
          : std::string(),
      "\">\n<defs><marker id=\"", marker,
      "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
      "markerHeight=\"7\" orient=\"auto-start-reverse\"><path class=\"head\" "
      "d=\"M0,0L10,5L0,10z\"/></marker></defs>\n");
  for (const ChainLayout::Link& link : layout.links) {
    const ChainLayout::Node& from = layout.nodes[link.from];
    const ChainLayout::Node& to = layout.nodes[link.to];
    const double x1 = left_of(from) + kBoxWidth / 2;
    const double x2 = left_of(to) + kBoxWidth / 2;
    std::string path;
    double label_x = 0, label_y = 0;
    if (to.layer > from.layer) {
      const double y1 = top_of(from) + kBoxHeight;
      const double y2 = top_of(to);
      path =
          absl::StrCat("M", Num(x1), ",", Num(y1), "L", Num(x2), ",", Num(y2));
      label_x = (x1 + x2) / 2 + 4;
      label_y = (y1 + y2) / 2;
    } else {
      // Back or sideways (a cycle): a curve out to the right of both.
      const double y1 = top_of(from) + kBoxHeight / 2;
      const double y2 = top_of(to) + kBoxHeight / 2;
      const double right = std::max(left_of(from), left_of(to)) + kBoxWidth;
      path = absl::StrCat("M", Num(left_of(from) + kBoxWidth), ",", Num(y1),
                          "C", Num(right + kGapX), ",", Num(y1), " ",
                          Num(right + kGapX), ",", Num(y2), " ",
                          Num(left_of(to) + kBoxWidth), ",", Num(y2));
      label_x = right + 2;
      label_y = (y1 + y2) / 2;
    }
    absl::StrAppend(
        &svg, "<g class=\"link\" data-from=\"", EscapeHtml(from.id),
        "\" data-to=\"", EscapeHtml(to.id), "\"><title>", EscapeHtml(from.id),
        " to ", EscapeHtml(to.id), " by ", EscapeHtml(link.rule),
        link.exposures.empty() ? "" : ", exposures ",
        absl::StrJoin(link.exposures, ", "), "</title><path d=\"", path,
        "\" fill=\"none\" marker-end=\"url(#", marker,
        ")\"/><text class=\"rule\" x=\"", Num(label_x), "\" y=\"", Num(label_y),
        "\">", EscapeHtml(link.rule), "</text></g>\n");
  }
  for (const ChainLayout::Node& node : layout.nodes) {
    const double x = left_of(node);
    const double y = top_of(node);
    absl::StrAppend(&svg, "<g class=\"case\" data-case=\"", EscapeHtml(node.id),
                    "\"><title>", EscapeHtml(node.id), "</title><rect x=\"",
                    Num(x), "\" y=\"", Num(y), "\" width=\"", Num(kBoxWidth),
                    "\" height=\"", Num(kBoxHeight),
                    "\" rx=\"6\"/><text class=\"id\" x=\"",
                    Num(x + kBoxWidth / 2), "\" y=\"",
                    Num(y + kBoxHeight / 2 + 4), "\" text-anchor=\"middle\">",
                    EscapeHtml(Shorten(node.id, kBoxChars)), "</text></g>\n");
  }
  svg += "</svg>";
  drawing.svg = std::move(svg);
  return drawing;
}

}  // namespace internal
}  // namespace contactledger
