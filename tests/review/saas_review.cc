#include "saas_review.h"

namespace dbw::testing {

const SaasReview& SaasRun() {
  static const SaasReview run = [] {
    SaasReview r;
    r.out_dir = TempDir("dbwright-review") + "/report";
    r.result = RunDbwright({"review", SourcePath("examples/saas"), "--tenant-column", "account_id", "--out", r.out_dir});
    if (r.result.exit_code == 1) r.report = nlohmann::json::parse(ReadFile(r.out_dir + "/report.json"));
    return r;
  }();
  return run;
}

}  // namespace dbw::testing
