// A `-- dbwright:ignore` that suppresses nothing. Reported by the linter after each file.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {

extern const Rule kUnusedIgnore{"unused-ignore", "dbwright:ignore comment that suppresses nothing", nullptr};

}  // namespace dbw::migrate::lint
