#include "model/schema.h"

#include <algorithm>

namespace dbw::model {

const Column* Table::column(const std::string& n) const {
  for (const auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}

const Constraint* Table::primary_key() const {
  for (const auto& c : constraints)
    if (c.type == "primary_key") return &c;
  return nullptr;
}

bool Sequence::operator==(const Sequence& o) const {
  return schema == o.schema && name == o.name && data_type == o.data_type && start == o.start &&
         increment == o.increment && min_value == o.min_value && max_value == o.max_value &&
         cache == o.cache && cycle == o.cycle && owned_by == o.owned_by && comment == o.comment;
}

const Table* Schema::table(const std::string& qualified) const {
  for (const auto& t : tables)
    if (t.qualified() == qualified) return &t;
  return nullptr;
}

std::vector<const Index*> Schema::indexes_on(const std::string& qualified_table) const {
  std::vector<const Index*> out;
  for (const auto& i : indexes)
    if (i.table == qualified_table) out.push_back(&i);
  return out;
}

const IndexStats* Schema::stats_of_index(const std::string& qualified_index) const {
  for (const auto& s : index_stats)
    if (s.index == qualified_index) return &s;
  return nullptr;
}

bool SameStructure(const Table& a, const Table& b) {
  return a.schema == b.schema && a.name == b.name && a.kind == b.kind &&
         a.persistence == b.persistence && a.parent == b.parent &&
         a.partition_bound == b.partition_bound && a.partitioning == b.partitioning &&
         a.columns == b.columns && a.constraints == b.constraints && a.triggers == b.triggers &&
         a.policies == b.policies && a.rls_enabled == b.rls_enabled &&
         a.rls_forced == b.rls_forced && a.view_definition == b.view_definition &&
         a.comment == b.comment;
}

bool SameStructure(const Schema& a, const Schema& b) {
  if (a.tables.size() != b.tables.size()) return false;
  for (size_t i = 0; i < a.tables.size(); ++i)
    if (!SameStructure(a.tables[i], b.tables[i])) return false;
  return a.schemas == b.schemas && a.indexes == b.indexes && a.enums == b.enums && a.domains == b.domains &&
         a.sequences == b.sequences && a.functions == b.functions &&
         a.extensions == b.extensions;
}

}  // namespace dbw::model
