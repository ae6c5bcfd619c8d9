// Where the two sides of `model diff` come from: a live database ("db:<conninfo>" or a
// postgres:// URI), a DDL file or directory, or a migrations directory replayed in order
// (*.down.sql skipped). Files are loaded into databases of one shared throwaway sandbox.
#pragma once

#include <memory>
#include <string>

#include "model/schema.h"
#include "pg/sandbox.h"

namespace dbw::modeler {

class DiffInputs {
 public:
  explicit DiffInputs(std::string pg_bin) : pg_bin_(std::move(pg_bin)) {}
  // `label` names the sandbox database ("from", "to"). Throws Error(kInput/kConnection).
  model::Schema Load(const std::string& spec, const std::string& label);
  // The conninfo the last Load read from (a sandbox database for files).
  const std::string& conninfo() const { return conninfo_; }
  pg::Sandbox& sandbox();

 private:
  std::string pg_bin_;
  std::unique_ptr<pg::Sandbox> sandbox_;
  std::string conninfo_;
};

// True for "db:..." and postgres:// or postgresql:// URIs.
bool IsLiveSpec(const std::string& spec);

}  // namespace dbw::modeler
