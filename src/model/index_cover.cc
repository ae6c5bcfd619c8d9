#include "model/index_cover.h"

#include <algorithm>

namespace dbw::model {

bool IndexCoveredBy(const Index& a, const Index& b) {
  if (a.method != b.method || a.predicate != b.predicate || !a.valid || !b.valid) return false;
  if (a.primary || !a.constraint.empty()) return false;
  if (a.keys.size() > b.keys.size()) return false;
  if (a.keys.size() < b.keys.size() && (a.method != "btree" || a.unique)) return false;
  for (size_t i = 0; i < a.keys.size(); ++i)
    if (!(a.keys[i] == b.keys[i])) return false;
  if (a.unique && !(b.unique && a.keys.size() == b.keys.size() &&
                    a.nulls_not_distinct == b.nulls_not_distinct))
    return false;
  for (const auto& inc : a.include) {
    bool found = std::find(b.include.begin(), b.include.end(), inc) != b.include.end();
    for (const auto& k : b.keys) found = found || k.column == inc;
    if (!found) return false;
  }
  return true;
}

}  // namespace dbw::model
