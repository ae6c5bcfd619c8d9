#include "report/svg_chart.h"

#include "core/escape.h"

#include <algorithm>

#include <fmt/format.h>

namespace dbw::report {
namespace {

std::string Value(double v, const std::string& unit) {
  std::string n = v >= 100 || v == static_cast<long long>(v) ? fmt::format("{:.0f}", v)
                                                             : fmt::format("{:.2f}", v);
  return unit.empty() ? n : n + " " + unit;
}

// Labels longer than this are cut with an ellipsis; the full text is the bar's <title>.
std::string Short(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = n - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return s.substr(0, cut) + "\u2026";
}

std::string Horizontal(const Chart& c) {
  const int label_w = 300, bar_w = 420, row_h = 22, top = 28;
  const int height = top + row_h * static_cast<int>(c.bars.size()) + 8;
  double max = 0;
  for (const auto& [_, v] : c.bars) max = std::max(max, v);
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"{}\" "
      "height=\"{}\" viewBox=\"0 0 {} {}\"><title>{}</title>",
      label_w + bar_w + 120, height, label_w + bar_w + 120, height, EscapeMarkup(c.title));
  out += fmt::format("<text x=\"0\" y=\"16\" class=\"chart-title\">{}</text>", EscapeMarkup(c.title));
  for (size_t i = 0; i < c.bars.size(); ++i) {
    const auto& [label, v] = c.bars[i];
    int y = top + static_cast<int>(i) * row_h;
    double w = max > 0 ? bar_w * v / max : 0;
    out += fmt::format(
        "<g><title>{}: {}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"chart-label\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" class=\"bar\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" class=\"chart-value\">{}</text></g>",
        EscapeMarkup(label), EscapeMarkup(Value(v, c.unit)), label_w - 6, y + 15, EscapeMarkup(Short(label, 44)),
        label_w, y + 3, std::max(w, 1.0), row_h - 6, label_w + std::max(w, 1.0) + 4, y + 15,
        EscapeMarkup(Value(v, c.unit)));
  }
  return out + "</svg>";
}

std::string Vertical(const Chart& c) {
  const int left = 40, col_w = 56, plot_h = 160, top = 28, bottom = 28;
  const int width = left + col_w * static_cast<int>(c.bars.size()) + 10;
  const int height = top + plot_h + bottom;
  double max = 0;
  for (const auto& [_, v] : c.bars) max = std::max(max, v);
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"{}\" "
      "height=\"{}\" viewBox=\"0 0 {} {}\"><title>{}</title>",
      width, height, width, height, EscapeMarkup(c.title));
  out += fmt::format("<text x=\"0\" y=\"16\" class=\"chart-title\">{}</text>", EscapeMarkup(c.title));
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"axis\"/>", left, top + plot_h,
                     width, top + plot_h);
  for (size_t i = 0; i < c.bars.size(); ++i) {
    const auto& [label, v] = c.bars[i];
    double h = max > 0 ? plot_h * v / max : 0;
    int x = left + static_cast<int>(i) * col_w;
    out += fmt::format(
        "<g><title>{}: {}</title><rect x=\"{}\" y=\"{:.1f}\" width=\"{}\" height=\"{:.1f}\" class=\"bar\"/>"
        "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"middle\" class=\"chart-value\">{}</text>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"chart-label\">{}</text></g>",
        EscapeMarkup(label), EscapeMarkup(Value(v, c.unit)), x + 4, top + plot_h - h, col_w - 8, h,
        x + col_w / 2, top + plot_h - h - 4, EscapeMarkup(Value(v, "")), x + col_w / 2, top + plot_h + 16,
        EscapeMarkup(Short(label, 9)));
  }
  return out + "</svg>";
}

}  // namespace

std::string RenderChartSvg(const Chart& chart) {
  return chart.histogram ? Vertical(chart) : Horizontal(chart);
}

}  // namespace dbw::report
