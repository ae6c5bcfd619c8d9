#include "migrate/client_check.h"

namespace dbw::migrate {

bool StopStatementsWhenClientIsGone(pg::Connection& c) {
  if (c.ServerVersion() < 140000) return false;
  // Session-wide (is_local false), set outside any transaction so no ROLLBACK undoes it.
  c.Exec("SELECT set_config('client_connection_check_interval', $1, false)", {kClientCheckInterval});
  return true;
}

}  // namespace dbw::migrate
