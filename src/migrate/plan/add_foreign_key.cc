// A foreign key without blocking writes for a full scan: the referenced key first (a unique
// index built CONCURRENTLY when there is none), an index on the referencing column, the
// constraint NOT VALID (new rows checked at once), then VALIDATE under SHARE UPDATE EXCLUSIVE.
// All of it is built after the backfills of the same plan (phase build): the indexes then cover
// the data as it will stay, and no backfill batch is checked against a key or updates an index.
#include "core/status.h"
#include "migrate/plan/plan.h"
#include "migrate/plan/util.h"

namespace dbw::migrate::plan {
using namespace util;
namespace {

bool UniqueOn(const model::Schema& schema, const model::Table& t, const std::string& column) {
  for (const auto* ix : schema.indexes_on(t.qualified()))
    if (ix->unique && ix->valid && !ix->predicate && ix->keys.size() == 1 && ix->keys[0].column == column) return true;
  return false;
}

bool LeadingIndexOn(const model::Schema& schema, const model::Table& t, const std::string& column) {
  for (const auto* ix : schema.indexes_on(t.qualified()))
    if (ix->valid && !ix->predicate && !ix->keys.empty() && ix->keys[0].column == column) return true;
  return false;
}

}  // namespace

Plan AddForeignKey(const model::Schema& schema, const std::string& spec) {
  const auto [col_spec, target] = SplitSpec(spec, ':', "--add-fk");
  const auto ref = FindColumn(schema, col_spec);
  const auto& t = *ref.table;
  const auto& col = *ref.column;
  // The target is a table (its single-column primary key) or table.column.
  const model::Table* rt = nullptr;
  std::string rc;
  if (const auto* whole = schema.table(target.find('.') == std::string::npos ? "public." + target : target)) {
    rt = whole;
    const auto* pk = whole->primary_key();
    if (!pk || pk->columns.size() != 1)
      throw Error(ErrorKind::kInput, "--add-fk " + spec + ": " + whole->qualified() + " has no single-column primary key; name the column (table.column)");
    rc = pk->columns[0];
  } else {
    const auto r = FindColumn(schema, target);
    rt = r.table;
    rc = r.column->name;
  }
  if (rt->column(rc)->type != col.type)
    throw Error(ErrorKind::kInput, "--add-fk " + spec + ": " + t.qualified() + "." + col.name + " is " + col.type + " but " + rt->qualified() +
                                       "." + rc + " is " + rt->column(rc)->type + "; change the type first (--change-type)");
  const std::string qt = QT(t), qrt = QT(*rt), fk = Name({t.name, col.name, "fkey"});

  Plan p;
  p.title = "add foreign key " + t.qualified() + "." + col.name + " -> " + rt->qualified() + "." + rc;
  p.columns = {{t.qualified() + "." + col.name, "--add-fk"}};

  // The referenced key and the referencing index first: the constraint needs the one, and its
  // validation and every delete on the referenced table use the other.
  Step keys;
  keys.name = Name({"build", t.name, col.name, "fk_indexes"});
  keys.phase = "build";
  keys.summary = "indexes the foreign key needs, built CONCURRENTLY";
  if (!UniqueOn(schema, *rt, rc)) {
    const std::string uk = Name({rt->name, rc, "key"});
    keys.up.push_back("CREATE UNIQUE INDEX CONCURRENTLY " + Q(uk) + " ON " + qrt + " (" + Q(rc) + ")");
    keys.up.push_back("ALTER TABLE " + qrt + " ADD CONSTRAINT " + Q(uk) + " UNIQUE USING INDEX " + Q(uk));
    keys.down.push_back("ALTER TABLE " + qrt + " DROP CONSTRAINT IF EXISTS " + Q(uk));
  }
  if (!LeadingIndexOn(schema, t, col.name)) {
    const std::string ix = Name({t.name, col.name, "idx"});
    keys.up.push_back("CREATE INDEX CONCURRENTLY " + Q(ix) + " ON " + qt + " (" + Q(col.name) + ")");
    keys.down.insert(keys.down.begin(), "DROP INDEX CONCURRENTLY IF EXISTS " + Q(t.schema) + "." + Q(ix));
  }
  if (!keys.up.empty()) p.steps.push_back(keys);

  Step add;
  add.name = Name({"build", t.name, col.name, "fkey_not_valid"});
  add.phase = "build";
  add.summary = "add the foreign key NOT VALID: new and changed rows are checked at once, existing rows are not scanned";
  add.deploy_before = "Every running application version must write only values of " + t.qualified() + "." + col.name + " that exist in " +
                      rt->qualified() + "." + rc + " (or NULL)";
  add.up.push_back("ALTER TABLE " + qt + " ADD CONSTRAINT " + Q(fk) + " FOREIGN KEY (" + Q(col.name) + ") REFERENCES " + qrt + " (" + Q(rc) +
                   ") NOT VALID");
  add.down.push_back("ALTER TABLE " + qt + " DROP CONSTRAINT IF EXISTS " + Q(fk));
  p.steps.push_back(add);

  Step validate;
  validate.name = Name({"validate", t.name, col.name, "fkey"});
  validate.phase = "build";
  validate.summary = "VALIDATE the foreign key (SHARE UPDATE EXCLUSIVE on " + t.qualified() + ", ROW SHARE on " + rt->qualified() + ")";
  validate.up.push_back("ALTER TABLE " + qt + " VALIDATE CONSTRAINT " + Q(fk));
  validate.down.push_back("ALTER TABLE " + qt + " DROP CONSTRAINT " + Q(fk));
  validate.down.push_back(add.up.back());
  p.steps.push_back(validate);
  p.notes.push_back("rows of " + t.qualified() + " whose " + col.name + " has no match make the validate step fail; find them with: SELECT " +
                    Q(col.name) + " FROM " + qt + " c WHERE " + Q(col.name) + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + qrt +
                    " p WHERE p." + Q(rc) + " = c." + Q(col.name) + ")");
  return p;
}

}  // namespace dbw::migrate::plan
