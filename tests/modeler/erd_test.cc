// ERD: cardinality per FK shape on a real server, the Mermaid follows the erDiagram grammar,
// the DOT renders with Graphviz's dot, and the command's options select what they say.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "core/status.h"
#include "mermaid_check.h"
#include "modeler/erd.h"
#include "modeler/relations.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "source/schema_source.h"
#include "testing/test_env.h"

namespace dbw::modeler {
namespace {

using dbw::testing::CheckMermaidEr;

const model::Schema& Shapes() {
  static model::Schema schema = [] {
    auto conn = pg::Connection::Open(dbw::testing::FreshDatabase("erd_shapes"));
    source::RunSqlFile(conn, dbw::testing::TestData("modeler/fixtures/shapes.sql"));
    return pg::ReadCatalog(conn);
  }();
  return schema;
}

const Relationship& Find(const Relations& rel, const std::string& child, const std::string& parent) {
  for (const auto& r : rel.relationships)
    if (r.child == child && r.parent == parent) return r;
  throw std::runtime_error("no relationship " + child + " -> " + parent);
}

TEST(Relations, OneToOneWhenTheForeignKeyIsTheKey) {
  auto rel = BuildRelations(Shapes());
  const auto& r = Find(rel, "shop.account_settings", "shop.accounts");
  EXPECT_EQ(r.child_end, Cardinality::kZeroOrOne);
  EXPECT_EQ(r.parent_end, Cardinality::kExactlyOne);
}

TEST(Relations, OneToManyRequiredAndOptional) {
  auto rel = BuildRelations(Shapes());
  const auto& required = Find(rel, "shop.invoices", "shop.accounts");
  EXPECT_EQ(required.child_end, Cardinality::kZeroOrMany);
  EXPECT_EQ(required.parent_end, Cardinality::kExactlyOne);
  const auto& optional = Find(rel, "shop.notes", "shop.accounts");
  EXPECT_EQ(optional.child_end, Cardinality::kZeroOrMany);
  EXPECT_EQ(optional.parent_end, Cardinality::kZeroOrOne);
  EXPECT_EQ(RelationshipInWords(required),
            "each invoice belongs to exactly one account; an account has zero or more invoices (columns account_id)");
}

TEST(Relations, JunctionTableIsManyToMany) {
  auto rel = BuildRelations(Shapes());
  ASSERT_EQ(rel.junctions.size(), 1u);
  EXPECT_EQ(rel.junctions[0].table, "shop.invoice_tags");
  std::set<std::string> ends{rel.junctions[0].left.parent, rel.junctions[0].right.parent};
  EXPECT_EQ(ends, (std::set<std::string>{"shop.invoices", "shop.tags"}));
  EXPECT_FALSE(rel.is_junction("shop.stores"));
}

TEST(Relations, SelfReference) {
  auto rel = BuildRelations(Shapes());
  const auto& r = Find(rel, "shop.categories", "shop.categories");
  EXPECT_TRUE(r.self_reference());
  EXPECT_EQ(r.child_end, Cardinality::kZeroOrMany);
  EXPECT_EQ(r.parent_end, Cardinality::kZeroOrOne);
}

TEST(Relations, CompositeKeys) {
  auto rel = BuildRelations(Shapes());
  const auto& many = Find(rel, "shop.stores", "shop.regions");
  EXPECT_EQ(many.child_columns, (std::vector<std::string>{"country", "code"}));
  EXPECT_EQ(many.child_end, Cardinality::kZeroOrMany);
  EXPECT_EQ(many.parent_end, Cardinality::kZeroOrOne);  // code is nullable
  const auto& one = Find(rel, "shop.region_stats", "shop.regions");
  EXPECT_EQ(one.child_end, Cardinality::kZeroOrOne);
  EXPECT_EQ(one.parent_end, Cardinality::kExactlyOne);
}

TEST(Relations, InferredOnlyOnRequest) {
  EXPECT_THROW(Find(BuildRelations(Shapes()), "shop.payments", "shop.invoices"), std::runtime_error);
  RelationOptions o;
  o.infer = true;
  auto rel = BuildRelations(Shapes(), o);
  const auto& r = Find(rel, "shop.payments", "shop.invoices");
  EXPECT_TRUE(r.inferred);
  EXPECT_TRUE(r.constraint.empty());
}

TEST(Erd, PartitionsFoldUnderTheirParentWithBounds) {
  auto diagrams = BuildDiagrams(Shapes(), {});
  ASSERT_EQ(diagrams.size(), 1u);
  for (const auto* t : diagrams[0].tables) EXPECT_FALSE(t->is_partition()) << t->qualified();
  std::string mermaid = RenderMermaid(Shapes(), diagrams[0], {});
  EXPECT_NE(mermaid.find("partition events_2026_01 \"FOR VALUES FROM ('2026-01-01 00:00:00+00') TO"),
            std::string::npos)
      << mermaid;
  EXPECT_NE(mermaid.find("\"shop.accounts\" ||--o{ \"shop.events\""), std::string::npos);
}

TEST(Erd, MermaidFollowsTheGrammar) {
  ErdOptions o;
  o.infer = true;
  auto diagrams = BuildDiagrams(Shapes(), o);
  std::string mermaid = RenderMermaid(Shapes(), diagrams[0], o);
  EXPECT_EQ(CheckMermaidEr(mermaid), std::vector<std::string>{}) << mermaid;
  // Each shape with its tokens: parent end on the left, child end on the right.
  EXPECT_NE(mermaid.find("\"shop.accounts\" ||--o| \"shop.account_settings\""), std::string::npos);
  EXPECT_NE(mermaid.find("\"shop.accounts\" ||--o{ \"shop.invoices\""), std::string::npos);
  EXPECT_NE(mermaid.find("\"shop.accounts\" |o--o{ \"shop.notes\""), std::string::npos);
  EXPECT_NE(mermaid.find("\"shop.categories\" |o--o{ \"shop.categories\""), std::string::npos);
  EXPECT_NE(mermaid.find("\"shop.regions\" ||--o| \"shop.region_stats\""), std::string::npos);
  EXPECT_NE(mermaid.find("\"shop.invoices\" }o--o{ \"shop.tags\" : \"many-to-many via shop.invoice_tags\""),
            std::string::npos);
  EXPECT_NE(mermaid.find("\"shop.invoices\" ||..o{ \"shop.payments\" : \"inferred from invoice_id\""),
            std::string::npos);
  EXPECT_EQ(mermaid.find("\"shop.invoice_tags\" {"), std::string::npos) << "junction drawn as an entity";
}

TEST(Erd, CheckerRejectsBrokenMermaid) {
  EXPECT_FALSE(CheckMermaidEr("erDiagram\n  A ||--o{ B\n").empty());           // no label
  EXPECT_FALSE(CheckMermaidEr("erDiagram\n  A |--o{ B : x\n").empty());        // bad token
  EXPECT_FALSE(CheckMermaidEr("erDiagram\n  A {\n    character varying x\n    int y\n").empty());
  EXPECT_FALSE(CheckMermaidEr("erDiagram\n  A {\n    numeric(10,2) x\n  }\n").empty());
  EXPECT_FALSE(CheckMermaidEr("erDiagram\n  \"a\"b\" ||--o{ B : \"l\"\n").empty());
  EXPECT_TRUE(CheckMermaidEr("erDiagram\n  A {\n    int id PK,FK \"c\"\n  }\n  A ||--o{ B : \"l\"\n").empty());
}

TEST(Erd, DotRendersWithGraphviz) {
  ErdOptions o;
  o.infer = true;
  o.split = "component";
  auto diagrams = BuildDiagrams(Shapes(), o);
  ASSERT_GE(diagrams.size(), 3u);  // accounts..., regions..., categories, settings_kv
  std::vector<std::string> dots;
  for (const auto& d : diagrams) dots.push_back(RenderDot(Shapes(), d, o));
  auto svgs = RenderSvgs(dots);
  ASSERT_EQ(svgs.size(), dots.size());
  EXPECT_NE(svgs[0].find("<svg"), std::string::npos);
  EXPECT_NE(svgs[0].find("shop.accounts"), std::string::npos);
  std::string html = RenderHtml(Shapes(), diagrams, svgs);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("http://cdn"), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_NE(html.find("\"shop.accounts\":{"), std::string::npos);
}

TEST(Erd, ClearErrorWithoutDot) {
  std::string saved = std::getenv("PATH") ? std::getenv("PATH") : "";
  setenv("PATH", "/nonexistent", 1);
  try {
    RenderSvgs({"digraph{}"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kEnvironment);
    EXPECT_NE(std::string(e.what()).find("Graphviz `dot` was not found"), std::string::npos);
  }
  setenv("PATH", saved.c_str(), 1);
}

TEST(Erd, AroundDepthAndGlobs) {
  ErdOptions o;
  o.around = "invoices";
  o.depth = 1;
  auto d = BuildDiagrams(Shapes(), o)[0];
  std::set<std::string> names;
  for (const auto* t : d.tables) names.insert(t->qualified());
  EXPECT_TRUE(names.count("shop.accounts"));
  EXPECT_TRUE(names.count("shop.invoice_tags"));  // shown: tags is two steps away
  EXPECT_FALSE(names.count("shop.notes"));
  ErdOptions g;
  g.tables = {"shop.region*", "stores"};
  auto d2 = BuildDiagrams(Shapes(), g)[0];
  EXPECT_EQ(d2.tables.size(), 3u);
  EXPECT_EQ(d2.relationships.size(), 2u);
  ErdOptions bad;
  bad.around = "nope";
  EXPECT_THROW(BuildDiagrams(Shapes(), bad), Error);
}

TEST(Erd, ExcludeEmptyLeavesOutTablesWithoutRows) {
  auto conn = pg::Connection::Open(dbw::testing::FreshDatabase("erd_empty"));
  conn.ExecScript(
      "CREATE TABLE full_t (id int PRIMARY KEY); INSERT INTO full_t SELECT generate_series(1, 100);"
      "CREATE TABLE empty_t (id int PRIMARY KEY, full_id int REFERENCES full_t); ANALYZE;");
  auto schema = pg::ReadCatalog(conn);
  ErdOptions o;
  o.exclude_empty = true;
  auto d = BuildDiagrams(schema, o)[0];
  ASSERT_EQ(d.tables.size(), 1u);
  EXPECT_EQ(d.tables[0]->qualified(), "public.full_t");
  EXPECT_TRUE(d.relationships.empty());
}

TEST(ErdCommand, SaasExampleAsMermaidHtmlAndSplit) {
  auto saas = dbw::testing::SourcePath("examples/saas");
  auto mermaid = dbw::testing::RunDbwright({"model", "erd", saas, "--format", "mermaid", "--infer"});
  ASSERT_EQ(mermaid.exit_code, 0) << mermaid.err;
  EXPECT_EQ(CheckMermaidEr(mermaid.out), std::vector<std::string>{});
  EXPECT_NE(mermaid.out.find("\"app.accounts\" ||--o| \"app.account_settings\""), std::string::npos);
  EXPECT_NE(mermaid.out.find("\"app.permissions\" }o--o{ \"app.roles\""), std::string::npos);
  EXPECT_NE(mermaid.out.find("\"app.tags\" }o--o{ \"app.tickets\""), std::string::npos);
  EXPECT_NE(mermaid.out.find("\"app.users\" |o..o{ \"app.events\" : \"inferred from actor_user_id\""),
            std::string::npos);
  auto dir = std::filesystem::temp_directory_path() / "dbwright-erd-test";
  std::filesystem::create_directories(dir);
  auto html = dbw::testing::RunDbwright(
      {"model", "erd", saas, "--format", "html", "--split", "component", "-o", (dir / "erd.html").string()});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  auto page = dbw::testing::ReadFile((dir / "erd.html").string());
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("app.accounts"), std::string::npos);
  auto bad = dbw::testing::RunDbwright({"model", "erd", saas, "--format", "png"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("mermaid, dot, svg or html"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dbw::modeler
