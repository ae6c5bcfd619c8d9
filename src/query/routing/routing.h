// Read-replica routing: each statement of a workload file, in order, classified as a write, a
// read that must stay on the primary (inside a transaction that writes, or reading a table the
// statement just before it wrote: read-your-writes) or a read a replica may serve (heavy when
// its estimated cost is at least a threshold, with --db).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dbw::query::routing {

struct RoutingOptions {
  std::string conninfo;      // optional: EXPLAIN each read for its estimated cost
  double heavy_cost = 1000;  // a replica-safe read at or above this cost is "heavy"
};

struct Route {
  std::string name;          // "-- name:" or q<N>
  std::string file;
  int line = 0;
  std::string target;        // primary, replica
  std::string kind;          // write, primary-read, replica-read, transaction-control, session
  std::string reason;
  std::vector<std::string> tables;  // tables read or written
  double cost = -1;          // -1 unknown
  bool heavy = false;
};

// Throws sql::SyntaxError located in the file.
std::vector<Route> RouteWorkload(const std::string& text, const std::string& file, const RoutingOptions& options);

nlohmann::json RoutesJson(const std::vector<Route>& routes);
std::string RenderRoutes(const std::vector<Route>& routes);

}  // namespace dbw::query::routing
