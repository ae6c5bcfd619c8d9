// Helpers shared by the runner's tests: migration files in a scratch directory, one-value
// queries, and killing a runner with SIGKILL at a known statement boundary.
#pragma once

#include <string>
#include <vector>

#include "pg/connection.h"

namespace dbw::migrate::runner::testing {

// A fresh scratch directory for one test.
std::string TempDir(const std::string& name);
// Writes dir/file with text (replacing it).
void Write(const std::string& dir, const std::string& file, const std::string& text);
long long Scalar(pg::Connection& c, const std::string& query);
bool Exists(pg::Connection& c, const std::string& relation);
// A mixed set: a transactional table creation, a non-transactional migration (an insert, a
// CREATE INDEX CONCURRENTLY, an insert) and a transactional ALTER, each with its rollback.
std::string MixedSet(const std::string& name);
// Starts the runner with the step-marker hook, reads stderr until the k-th marker, kills it -9.
// Returns false when the run ended before the k-th marker; else sets *marker (when given) to the
// marker's line ("dbwright-test-step k VERSION STATEMENT[ before-progress]").
bool KillAtStep(const std::vector<std::string>& args, int k, std::string* marker = nullptr);

}  // namespace dbw::migrate::runner::testing
