// Section 1: the Data Modeler's artifacts from the catalog, plus the modeling checks.
#include <fmt/format.h>

#include "modeler/dictionary.h"
#include "modeler/erd.h"
#include "modeler/lint/lint.h"
#include "review/sections.h"

namespace dbw::review {
namespace {

report::Artifact Erd(ReviewContext& ctx, nlohmann::json& data) {
  const auto& schema = ctx.loaded.schema;
  modeler::ErdOptions eo;
  auto diagrams = modeler::BuildDiagrams(schema, eo);
  report::Artifact a{.id = "erd", .title = "Entity-relationship diagram", .produced = true};
  std::string mermaid, dot;
  std::vector<std::string> dots;
  for (const auto& d : diagrams) {
    mermaid += modeler::RenderMermaid(schema, d, eo);
    dots.push_back(modeler::RenderDot(schema, d, eo));
    dot += dots.back();
  }
  a.blocks.push_back(report::FileBlock("erd.mmd (Mermaid)", ctx.WriteArtifact("erd.mmd", mermaid)));
  a.blocks.push_back(report::FileBlock("erd.dot (Graphviz)", ctx.WriteArtifact("erd.dot", dot)));
  data["diagrams"] = diagrams.size();
  data["mermaid"] = mermaid;
  if (modeler::FindDot().empty()) {
    a.blocks.push_back(report::TextBlock("No SVG: Graphviz (dot) is not installed."));
    return a;
  }
  auto svgs = modeler::RenderSvgs(dots);
  a.blocks.push_back(report::FileBlock("erd.html (pan, zoom, table details)",
                                       ctx.WriteArtifact("erd.html", modeler::RenderHtml(schema, diagrams, svgs))));
  for (size_t i = 0; i < svgs.size(); ++i) {
    auto name = svgs.size() == 1 ? std::string("erd.svg") : fmt::format("erd-{}.svg", i + 1);
    a.blocks.push_back(report::FileBlock(name, ctx.WriteArtifact(name, svgs[i])));
    a.blocks.push_back(report::SvgBlock(svgs[i]));
  }
  return a;
}

report::Artifact Dictionary(ReviewContext& ctx, nlohmann::json& data) {
  const auto& schema = ctx.loaded.schema;
  report::Artifact a{.id = "dictionary", .title = "Data dictionary", .produced = true};
  modeler::DictionaryOptions md;
  a.blocks.push_back(report::FileBlock("dictionary.md", ctx.WriteArtifact("dictionary.md", modeler::RenderDictionary(schema, md))));
  md.format = "html";
  a.blocks.push_back(report::FileBlock("dictionary.html", ctx.WriteArtifact("dictionary.html", modeler::RenderDictionary(schema, md))));
  report::Table t{{"table", "kind", "columns", "rows (estimate)", "comment"}, {}};
  data["tables"] = nlohmann::json::array();
  for (const auto& table : schema.tables) {
    if (table.is_partition()) continue;  // described with their parent
    auto rows = table.stats.estimated_rows;
    t.rows.push_back({table.qualified(), table.kind, std::to_string(table.columns.size()),
                      rows < 0 ? "" : fmt::format("{:.0f}", rows), table.comment.value_or("")});
    data["tables"].push_back({{"name", table.qualified()}, {"kind", table.kind}, {"columns", table.columns.size()},
                              {"estimated_rows", rows}});
  }
  a.blocks.push_back(report::TableBlock(std::move(t)));
  return a;
}

}  // namespace

report::Section ModelSection(ReviewContext& ctx) {
  const auto& schema = ctx.loaded.schema;
  report::Section s;
  s.id = "model";
  s.title = "ERD and data dictionary";
  s.area = "model";
  s.intro = fmt::format("Read from the catalog of {}: {} relations in {} schemas. The diagram follows the "
                        "foreign keys; the dictionary is written from the COMMENTs. Checks: `model lint`.",
                        ctx.on_sandbox ? "the sandbox" : "the database", schema.tables.size(), schema.schemas.size());
  s.artifacts.push_back(Erd(ctx, s.data));
  s.artifacts.push_back(Dictionary(ctx, s.data));
  modeler::LintOptions lo;
  lo.tenant_column = ctx.options.tenant_column;
  s.findings = modeler::LintModel(schema, lo);
  return s;
}

}  // namespace dbw::review
