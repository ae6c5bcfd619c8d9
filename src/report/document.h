// Document: a report made of sections and artifacts (text, tables, code, inline SVG, charts,
// trees) plus findings, area scores and the ranked top findings. `dbwright review` builds one;
// the HTML and Markdown renderers draw it. It knows nothing about where its content came from.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"

namespace dbw::report {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// A chart drawn as inline SVG: one bar per label. A histogram keeps its buckets in order.
struct Chart {
  std::string title;
  std::string unit;  // of the values, e.g. "ms"
  std::vector<std::pair<std::string, double>> bars;
  bool histogram = false;
};

// A tree such as a query plan: one line per node with a bar for its share of the whole.
struct TreeNode {
  std::string label;
  std::string detail;
  double share = 0;                 // 0..1
  std::vector<std::string> marks;   // rules whose findings point at this node
  std::vector<TreeNode> children;
};

struct Tree {
  std::string title;
  std::string caption;
  TreeNode root;
};

struct Block {
  enum class Kind { kText, kTable, kCode, kSvg, kChart, kTree, kFile };
  Kind kind = Kind::kText;
  std::string text;  // kText: a paragraph; kCode: preformatted; kSvg: markup; kFile: label
  std::string path;  // kFile: path relative to the report
  Table table;
  Chart chart;
  Tree tree;
};

Block TextBlock(std::string text);
Block CodeBlock(std::string text);
Block SvgBlock(std::string svg);
Block FileBlock(std::string label, std::string path);
Block TableBlock(Table table);
Block ChartBlock(Chart chart);
Block TreeBlock(Tree tree);

// One output of a section. When it could not be produced, `reason` says why in one sentence.
struct Artifact {
  std::string id;
  std::string title;
  bool produced = false;
  std::string reason;
  std::vector<Block> blocks;
};

Artifact NotProduced(std::string id, std::string title, std::string reason);

struct Section {
  std::string id;     // anchor and key in report.json
  std::string title;
  std::string area;   // the area its findings score in
  std::string intro;  // one paragraph: what was run on which input
  std::vector<Artifact> artifacts;
  std::vector<Finding> findings;
  nlohmann::json data = nlohmann::json::object();  // the artifacts' data for report.json
};

struct AreaScore {
  std::string area;
  std::string title;
  bool scored = false;  // false: nothing in this area could run
  double score = 0;     // 0..100
  std::string basis;    // how the figure was made
  nlohmann::json counts;  // {"error": n, "warning": n, "notice": n}
};

struct RankedFinding {
  Finding finding;
  double impact = 0;
  std::string basis;    // the terms of the impact estimate, readable
  std::string section;  // id of the section it came from
};

struct Document {
  std::string title;
  std::vector<std::pair<std::string, std::string>> facts;  // label, value (inputs, time ...)
  std::vector<AreaScore> scores;
  std::vector<RankedFinding> top;
  std::vector<Section> sections;
  // Rule doc pages the findings link to: rule -> Markdown text, and the directory (relative to
  // the report) the pages were copied to; empty when the docs were not found.
  std::map<std::string, std::string> rule_docs;
  std::string rule_docs_dir;
};

// Anchor of a rule's entry in the report's rule reference: "rule-design-no-primary-key".
std::string RuleAnchor(const std::string& rule);
// The rule's doc page relative to the report (rule_docs_dir/<group>/<id>.md), or "" without docs.
std::string RuleDocLink(const Document& doc, const std::string& rule);

}  // namespace dbw::report
