// sql::Node, the arena JSON tree the migration lint reads parse trees with: the same values as
// nlohmann::json reads from the same text (escapes, unicode, numbers, nesting), and the same
// answers for absent members.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sql/node.h"
#include "sql/parser.h"

namespace dbw::sql {
namespace {

// Every value of a Node tree equals the nlohmann::json read of the same text.
void ExpectSame(const Node& n, const nlohmann::json& j) {
  ASSERT_EQ(n.is_object(), j.is_object());
  ASSERT_EQ(n.is_array(), j.is_array());
  if (j.is_object()) {
    ASSERT_EQ(n.size(), j.size());
    for (const auto& [k, v] : j.items()) {
      ASSERT_TRUE(n.contains(k)) << k;
      ExpectSame(n[k], v);
    }
  } else if (j.is_array()) {
    ASSERT_EQ(n.size(), j.size());
    for (size_t i = 0; i < j.size(); ++i) ExpectSame(n[i], j[i]);
  } else if (j.is_string()) {
    EXPECT_EQ(n.get<std::string>(), j.get<std::string>());
  } else if (j.is_boolean()) {
    EXPECT_EQ(n.get<bool>(), j.get<bool>());
  } else if (j.is_number_integer()) {
    EXPECT_TRUE(n.is_number_integer());
    EXPECT_EQ(n.get<long long>(), j.get<long long>());
  } else if (j.is_number()) {
    EXPECT_DOUBLE_EQ(n.get<double>(), j.get<double>());
  } else {
    EXPECT_TRUE(n.is_null());
  }
}

TEST(Node, ReadsWhatNlohmannReads) {
  const std::string text =
      R"({"a": [1, -2, 3.5, 1e3, true, false, null, "x\"y\\z\n\t\u00e9\ud83d\ude00/"], "b": {}, "c": [], )"
      R"("d": {"e": {"f": "g"}}, "big": 9007199254740993})";
  NodeTree tree(text);
  ExpectSame(tree.root(), nlohmann::json::parse(text));
  const Node& root = tree.root();
  EXPECT_EQ(root["a"][7].str(), "x\"y\\z\n\t\xc3\xa9\xf0\x9f\x98\x80/");
  EXPECT_EQ(root["d"].begin().key(), "e");
  EXPECT_EQ(root.value("missing", "fallback"), "fallback");
  EXPECT_EQ(root.value("big", 0LL), 9007199254740993LL);
  EXPECT_TRUE(root["missing"]["deeper"].is_null());
  EXPECT_TRUE(root["a"][99].is_null());
  EXPECT_EQ(root.find("nope"), root.end());
  EXPECT_TRUE(root["b"].empty());
  EXPECT_TRUE(root.value("c", Node::EmptyObject()).is_array());
  EXPECT_THROW(NodeTree("{\"a\": [1, 2}"), Error);
  EXPECT_THROW(NodeTree("{\"a\": 1} x"), Error);
}

// A parse tree read with ParseNodes holds what Parse's nlohmann tree holds.
TEST(Node, ParseNodesMatchesParse) {
  const std::string sql =
      "CREATE TABLE t (id bigint PRIMARY KEY, name text DEFAULT 'it''s \\ ok', f float8 DEFAULT 1.5e10);\n"
      "ALTER TABLE t ADD CONSTRAINT c CHECK (name <> E'\\u00e9\\n') NOT VALID;\n"
      "CREATE INDEX CONCURRENTLY t_name ON t (lower(name)) WHERE id > -5;\n"
      "DO $$BEGIN EXECUTE 'SELECT 1'; END$$;\n";
  const auto tree = ParseNodes(sql);
  ExpectSame(tree.root(), Parse(sql));
  EXPECT_THROW(ParseNodes("CREATE TABLE (;"), SyntaxError);
}

}  // namespace
}  // namespace dbw::sql
