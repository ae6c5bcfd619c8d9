#include "report/document.h"

namespace dbw::report {

Block TextBlock(std::string text) {
  Block b;
  b.kind = Block::Kind::kText;
  b.text = std::move(text);
  return b;
}

Block CodeBlock(std::string text) {
  Block b;
  b.kind = Block::Kind::kCode;
  b.text = std::move(text);
  return b;
}

Block SvgBlock(std::string svg) {
  Block b;
  b.kind = Block::Kind::kSvg;
  // Graphviz and other tools put an XML prologue and DOCTYPE first; HTML wants the element.
  auto start = svg.find("<svg");
  b.text = start == std::string::npos ? std::move(svg) : svg.substr(start);
  return b;
}

Block FileBlock(std::string label, std::string path) {
  Block b;
  b.kind = Block::Kind::kFile;
  b.text = std::move(label);
  b.path = std::move(path);
  return b;
}

Block TableBlock(Table table) {
  Block b;
  b.kind = Block::Kind::kTable;
  b.table = std::move(table);
  return b;
}

Block ChartBlock(Chart chart) {
  Block b;
  b.kind = Block::Kind::kChart;
  b.chart = std::move(chart);
  return b;
}

Block TreeBlock(Tree tree) {
  Block b;
  b.kind = Block::Kind::kTree;
  b.tree = std::move(tree);
  return b;
}

Artifact NotProduced(std::string id, std::string title, std::string reason) {
  Artifact a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.produced = false;
  a.reason = std::move(reason);
  return a;
}

std::string RuleAnchor(const std::string& rule) {
  std::string out = "rule-";
  for (char c : rule) out += (c == '/' ? '-' : c);
  return out;
}

std::string RuleDocLink(const Document& doc, const std::string& rule) {
  if (doc.rule_docs_dir.empty() || !doc.rule_docs.count(rule)) return "";
  return doc.rule_docs_dir + "/" + rule + ".md";
}

}  // namespace dbw::report
