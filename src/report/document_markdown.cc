#include "report/document_markdown.h"

#include <fmt/format.h>

#include "report/common.h"
#include "report/markdown.h"

namespace dbw::report {
namespace {

std::string Fence(const std::string& text, const std::string& lang = "") {
  std::string fence = "```";
  while (text.find(fence) != std::string::npos) fence += "`";
  return fence + lang + "\n" + text + (text.empty() || text.back() == '\n' ? "" : "\n") + fence + "\n";
}

std::string TableMd(const Table& t) {
  if (t.header.empty()) return "";
  std::string out = "|";
  for (const auto& h : t.header) out += " " + MarkdownCell(h) + " |";
  out += "\n|";
  for (size_t i = 0; i < t.header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& row : t.rows) {
    out += "|";
    for (const auto& c : row) out += " " + MarkdownCell(c) + " |";
    out += "\n";
  }
  return out;
}

void TreeMd(const TreeNode& n, int depth, std::string& out) {
  out += std::string(depth * 2, ' ') + "-> " + n.label;
  if (!n.detail.empty()) out += "  (" + n.detail + ")";
  for (const auto& m : n.marks) out += "  <- " + m;
  out += "\n";
  for (const auto& c : n.children) TreeMd(c, depth + 1, out);
}

std::string BlockMd(const Block& b) {
  switch (b.kind) {
    case Block::Kind::kText: return b.text + "\n";
    case Block::Kind::kCode: return Fence(b.text);
    case Block::Kind::kSvg: return "";  // drawn in report.html; the files are linked
    case Block::Kind::kFile: return "- [" + MarkdownCell(b.text) + "](" + MarkdownTarget(b.path) + ")\n";
    case Block::Kind::kTable: return TableMd(b.table);
    case Block::Kind::kChart: {
      Table t{{b.chart.title, b.chart.unit.empty() ? "value" : b.chart.unit}, {}};
      for (const auto& [label, v] : b.chart.bars) t.rows.push_back({label, fmt::format("{:.2f}", v)});
      return TableMd(t);
    }
    case Block::Kind::kTree: {
      std::string tree;
      TreeMd(b.tree.root, 0, tree);
      return "**" + MarkdownCell(b.tree.title) + "**" + (b.tree.caption.empty() ? "" : " " + MarkdownCell(b.tree.caption)) +
             "\n\n" + Fence(tree);
    }
  }
  return "";
}

// Findings point at the copies of their rule pages next to the report.
std::vector<Finding> WithLocalDocs(const Document& doc, std::vector<Finding> findings) {
  for (auto& f : findings) {
    auto link = RuleDocLink(doc, f.rule);
    if (!link.empty()) f.docs = link;
  }
  return findings;
}

}  // namespace

std::string RenderDocumentMarkdown(const Document& doc) {
  std::string out = "# " + doc.title + "\n\n";
  for (const auto& [k, v] : doc.facts) out += "- **" + MarkdownCell(k) + "**: " + MarkdownCell(v) + "\n";
  out += "\n## Summary\n\n| area | score | errors | warnings | notices | basis |\n|---|---|---|---|---|---|\n";
  for (const auto& s : doc.scores) {
    out += "| " + MarkdownCell(s.title) + " | " + (s.scored ? fmt::format("{:.0f}", s.score) : "n/a") + " | ";
    if (s.counts.is_object())
      out += fmt::format("{} | {} | {}", s.counts.value("error", 0), s.counts.value("warning", 0),
                         s.counts.value("notice", 0));
    else
      out += " | | ";
    out += " | " + MarkdownCell(s.basis) + " |\n";
  }
  out += "\n### The " + std::to_string(doc.top.size()) +
         " most important findings\n\nRanked by impact = severity weight x scale (rows or time "
         "affected) x risk class (method: docs/review.md).\n\n"
         "| # | impact | severity | rule | object | message | why |\n|---|---|---|---|---|---|---|\n";
  int rank = 0;
  for (const auto& r : doc.top) {
    auto link = RuleDocLink(doc, r.finding.rule);
    std::string rule = MarkdownCode(r.finding.rule);
    if (!link.empty()) rule = "[" + rule + "](" + MarkdownTarget(link) + ")";
    out += fmt::format("| {} | {:.0f} | {} | {} | {} | {} | {} |\n", ++rank, r.impact,
                       SeverityName(r.finding.severity), rule, MarkdownCode(r.finding.object.name),
                       MarkdownCell(r.finding.message), MarkdownCell(r.basis));
  }
  for (const auto& s : doc.sections) {
    out += "\n## " + s.title + "\n\n";
    if (!s.intro.empty()) out += s.intro + "\n";
    for (const auto& a : s.artifacts) {
      out += "\n### " + a.title + "\n\n";
      if (!a.produced) out += "*not produced: " + MarkdownCell(a.reason) + "*\n";
      for (const auto& b : a.blocks) {
        auto md = BlockMd(b);
        if (!md.empty()) out += md + "\n";
      }
    }
    out += "\n### Findings\n\n**" + SummaryLine(s.findings) + "**\n";
    out += MarkdownFindingTables(WithLocalDocs(doc, s.findings), "####");
  }
  return out;
}

}  // namespace dbw::report
