// design/partition-unique-per-partition: a partitioned table whose uniqueness is declared only on
// its partitions, because a key on the parent would have to include the partition key.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

std::vector<std::string> PlainKeys(const model::Index& ix) {
  std::vector<std::string> cols;
  for (const auto& k : ix.keys) {
    if (k.column.empty()) return {};
    cols.push_back(k.column);
  }
  return cols;
}

class PartitionUniquePerPartition : public Rule {
 public:
  std::string_view id() const override { return "partition-unique-per-partition"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "partitioned table whose PK/unique exists only per partition (the parent's would "
           "have to include the partition key)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    std::map<std::string, std::map<std::vector<std::string>, std::vector<std::string>>> per_parent;
    for (const auto& t : s.tables) {
      if (!t.is_partition()) continue;
      const auto* parent = TableNamed(s, ctx, t.parent);
      if (!parent || !parent->partitioning) continue;
      for (const auto* ix : IndexesOn(s, ctx, t.qualified())) {
        if (!ix->unique || ix->predicate) continue;
        auto cols = PlainKeys(*ix);
        if (cols.empty()) continue;
        bool on_parent = false;
        for (const auto* p : IndexesOn(s, ctx, parent->qualified()))
          if (p->unique && !p->predicate && PlainKeys(*p) == cols) on_parent = true;
        if (!on_parent) per_parent[parent->qualified()][cols].push_back(ix->schema + "." + ix->name);
      }
    }
    for (const auto& [parent_name, keys] : per_parent) {
      const auto* parent = TableNamed(s, ctx, parent_name);
      const auto& pk = parent->partitioning->key_columns;
      for (const auto& [cols, indexes] : keys) {
        std::vector<std::string> with_key = cols;
        for (const auto& k : pk)
          if (!k.empty() && std::find(with_key.begin(), with_key.end(), k) == with_key.end())
            with_key.push_back(k);
        std::string name = NewName(*parent, with_key, "key");
        out.push_back(Emit(
            *this, "table", parent_name,
            "(" + ColumnList(cols) + ") is unique only within each partition of " + parent_name +
                " (" + std::to_string(indexes.size()) + " partition indexes): the same value can "
                "exist in two partitions; a unique key on the parent must include the partition "
                "key (" + parent->partitioning->key + ")",
            {{"columns", cols}, {"partition_key", parent->partitioning->key}, {"partition_indexes", indexes}},
            "-- either make the key include the partition key (values of " + ColumnList(cols) +
                " stay unique only together with it) ...\n" +
                CreateIndexSql(*parent, name, "(" + ColumnList(with_key) + ")", true) +
                "\n-- ... or keep global uniqueness by generating " + ColumnList(cols) +
                " from one identity/sequence and documenting that partitions cannot collide"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakePartitionUniquePerPartition() { return std::make_unique<PartitionUniquePerPartition>(); }
}  // namespace dbw::design
