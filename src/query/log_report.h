// Log report: statements from PostgreSQL server logs normalized and fingerprinted with libpg_query
// and aggregated (top by total time and count, slowest runs, percentiles, breakdowns, errors, temp
// files, lock waits), plus N+1 findings. Streams: a log is read in pieces cut at entry boundaries,
// parsed and aggregated by -j threads in parallel, and merged in log order, with each session's
// state at the pieces' edges stitched so the result does not depend on the pieces; memory grows
// with distinct fingerprints, open sessions and the pieces in flight, not with the log's size.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"

namespace dbw::query {

struct LogOptions {
  std::string prefix;            // log_line_prefix of stderr logs; empty: detect
  int top = 20;                  // rows per top list
  int n_plus_one_count = 10;     // consecutive runs of one fingerprint in a session
  double n_plus_one_ms = 10;     // ... whose total time is at least this
  int threads = 2;               // threads parsing pieces (1: all in the calling thread)
  size_t chunk_bytes = 8 << 20;  // size of a piece (cut at the next entry boundary)
  std::string baseline;          // compare p95 per fingerprint with this baseline file
  std::string save_baseline;     // write this log's p95 per fingerprint here
  double regression_factor = 2;  // p95 above factor x baseline: query/p95-regression
};

struct LogReport {
  nlohmann::json report;          // see docs/query.md ("query logs" JSON)
  std::vector<Finding> findings;  // n-plus-one, auto_explain plan rules, p95-regression, new-statement-seq-scan
};

// Reads the files ('-' is stdin; .gz and .zst are decompressed by gzip/zstd) in order.
// Throws Error(kInput) when a file cannot be read or a stderr log's prefix cannot be detected.
LogReport AnalyzeLogs(const std::vector<std::string>& files, const LogOptions& options);

// The report as readable text.
std::string RenderLogReport(const nlohmann::json& report);

}  // namespace dbw::query
