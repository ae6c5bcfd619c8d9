// ERD: selects the part of a schema a diagram shows and renders it as Mermaid erDiagram,
// Graphviz DOT, SVG (through the real `dot`) or a self-contained interactive HTML page.
#pragma once

#include <string>
#include <vector>

#include "model/schema.h"
#include "modeler/relations.h"

namespace dbw::modeler {

struct ErdOptions {
  std::vector<std::string> tables;  // globs on "schema.table" or "table"; empty: all
  std::string around;               // only tables within `depth` relations of this one
  int depth = 1;
  bool exclude_empty = false;       // leave out tables that hold no rows
  bool infer = false;               // add relations inferred from `<table>_id` names
  std::string split;                // "", "component" or "schema": one diagram per group
  bool columns = true;              // list columns inside the entities
};

// One diagram: the tables it shows (partitions folded into their parents) and its relations.
struct Diagram {
  std::string title;
  std::vector<const model::Table*> tables;
  std::vector<Relationship> relationships;  // not those folded into a many-to-many
  std::vector<Junction> many_to_many;       // drawn as one edge between the two ends
  std::vector<std::string> hidden_junctions;  // junction tables not drawn as entities
};

// Throws Error(kUsage) when --around names an unknown table or --split an unknown mode.
std::vector<Diagram> BuildDiagrams(const model::Schema& schema, const ErdOptions& options);

std::string RenderMermaid(const model::Schema& schema, const Diagram& d, const ErdOptions& o);
std::string RenderDot(const model::Schema& schema, const Diagram& d, const ErdOptions& o);
// Runs Graphviz `dot -Tsvg` once over all the graphs (one SVG each, in order); throws
// Error(kEnvironment) when dot is missing or fails.
std::vector<std::string> RenderSvgs(const std::vector<std::string>& dot_sources);
// A page with every diagram's SVG embedded, pan/zoom and a side panel per table. No network.
std::string RenderHtml(const model::Schema& schema, const std::vector<Diagram>& diagrams,
                       const std::vector<std::string>& svgs);

// Where `dot` is (searching PATH); empty when Graphviz is not installed.
std::string FindDot();

}  // namespace dbw::modeler
