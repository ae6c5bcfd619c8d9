// Makes the server stop a migration session's statement soon after the dbwright process that
// sent it is gone (killed, or its machine lost), instead of running it to the end in production.
#pragma once

#include "pg/connection.h"

namespace dbw::migrate {

// How often the server checks that the client is still connected while a statement runs.
inline constexpr const char* kClientCheckInterval = "1s";

// Sets client_connection_check_interval for the session of `c` (PostgreSQL 14+; older servers
// have no such setting and are left as they are). Returns whether it was set.
bool StopStatementsWhenClientIsGone(pg::Connection& c);

}  // namespace dbw::migrate
