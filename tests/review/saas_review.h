// One `dbwright review` of examples/saas per test binary (it takes a while), shared by the
// end-to-end checks and the browser test. The output directory is removed at exit.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "testing/test_env.h"

namespace dbw::testing {

struct SaasReview {
  std::string out_dir;
  CommandResult result;
  nlohmann::json report;  // report.json
};

const SaasReview& SaasRun();

}  // namespace dbw::testing
