// design/partition-no-default: a range or list partitioned table without a default partition.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class PartitionNoDefault : public Rule {
 public:
  std::string_view id() const override { return "partition-no-default"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "range/list partitioned table without a DEFAULT partition (unmatched rows fail)";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (t.kind != "partitioned_table" || !t.partitioning || t.partitioning->strategy == "hash")
        continue;
      int partitions = 0;
      bool has_default = false;
      for (const auto& p : s.tables)
        if (p.parent == t.qualified()) {
          partitions++;
          if (p.partition_bound == "DEFAULT") has_default = true;
        }
      if (has_default) continue;
      out.push_back(Emit(
          *this, "table", t.qualified(),
          t.qualified() + " (" + t.partitioning->key + ") has no DEFAULT partition: an INSERT whose "
          "key matches no partition fails with 'no partition of relation found for row'",
          {{"partitions", partitions}, {"strategy", t.partitioning->strategy},
           {"partition_key", t.partitioning->key}},
          "-- keep it empty and monitor it: rows landing there mean a missing partition\n"
          "CREATE TABLE " + QName(t.schema, t.name + "_default") + " PARTITION OF " + QTable(t) +
              " DEFAULT;"));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakePartitionNoDefault() { return std::make_unique<PartitionNoDefault>(); }
}  // namespace dbw::design
