// ReviewContext: what every section of the review works from: the options, the discovered
// project, the schema read from the catalog (with the server it came from kept alive), and the
// output directory the artifacts are written to.
#pragma once

#include <string>
#include <vector>

#include "datagen/load.h"
#include "review/options.h"
#include "review/project.h"
#include "source/schema_source.h"

namespace dbw::review {

struct ReviewContext {
  ReviewOptions options;
  Project project;
  source::LoadedSchema loaded;  // schema, conninfo, and the sandbox when review made one
  bool on_sandbox = false;      // the server is a throwaway sandbox this run created
  std::string today;            // YYYY-MM-DD
  bool filled = false;          // --scale: datagen replaced the sandbox's data
  datagen::LoadReport fill;     // what datagen loaded
  std::vector<std::string> files;  // artifacts written, relative to out_dir
  std::vector<std::string> problems;  // artifacts that failed, one sentence each (the run exits 2)

  // Writes an artifact file under the output directory and records it; returns its relative path.
  std::string WriteArtifact(const std::string& relative, const std::string& content);
};

// Discovers the project, loads the schema (DDL and seed into a new sandbox, or --db), with
// --scale fills the sandbox with datagen, and reads its catalog. Throws dbw::Error with one sentence on bad input.
ReviewContext OpenReview(const ReviewOptions& options);

}  // namespace dbw::review
