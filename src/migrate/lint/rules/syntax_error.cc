// Statements PostgreSQL's grammar rejects. Reported by the linter itself (with line:column)
// when parsing fails; registered so it can be documented, included and excluded like any rule.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {

extern const Rule kSyntaxError{"syntax-error", "SQL that PostgreSQL's parser rejects", nullptr};

}  // namespace dbw::migrate::lint
