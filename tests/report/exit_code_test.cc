// --fail-on semantics: the exit code is 1 when any finding is at or above the threshold.
#include <gtest/gtest.h>

#include "core/finding.h"
#include "core/status.h"

namespace dbw {
namespace {

Finding At(Severity s) {
  Finding f;
  f.rule = "test/rule";
  f.severity = s;
  return f;
}

TEST(ExitCodeFor, NoFindingsIsSuccessAtEveryThreshold) {
  for (Severity fail_on : {Severity::kError, Severity::kWarning, Severity::kNotice})
    EXPECT_EQ(ExitCodeFor({}, fail_on), 0);
}

TEST(ExitCodeFor, ErrorThresholdFailsOnlyOnErrors) {
  EXPECT_EQ(ExitCodeFor({At(Severity::kNotice), At(Severity::kWarning)}, Severity::kError), 0);
  EXPECT_EQ(ExitCodeFor({At(Severity::kNotice), At(Severity::kError)}, Severity::kError), 1);
}

TEST(ExitCodeFor, WarningThresholdFailsOnWarningsAndErrors) {
  EXPECT_EQ(ExitCodeFor({At(Severity::kNotice)}, Severity::kWarning), 0);
  EXPECT_EQ(ExitCodeFor({At(Severity::kNotice), At(Severity::kWarning)}, Severity::kWarning), 1);
  EXPECT_EQ(ExitCodeFor({At(Severity::kError)}, Severity::kWarning), 1);
}

TEST(ExitCodeFor, NoticeThresholdFailsOnAnyFinding) {
  EXPECT_EQ(ExitCodeFor({At(Severity::kNotice)}, Severity::kNotice), 1);
  EXPECT_EQ(ExitCodeFor({At(Severity::kWarning)}, Severity::kNotice), 1);
  EXPECT_EQ(ExitCodeFor({At(Severity::kError)}, Severity::kNotice), 1);
}

TEST(ExitCodeFor, FailOnValuesParseAsSeverities) {
  EXPECT_EQ(ParseSeverity("error"), Severity::kError);
  EXPECT_EQ(ParseSeverity("warning"), Severity::kWarning);
  EXPECT_EQ(ParseSeverity("notice"), Severity::kNotice);
  EXPECT_EQ(ExitCodeFor({At(Severity::kWarning)}, ParseSeverity("warning")), 1);
  EXPECT_EQ(ExitCodeFor({At(Severity::kWarning)}, ParseSeverity("error")), 0);
}

TEST(ExitCodeFor, BadFailOnIsAUsageError) {
  for (const char* bad : {"info", "Error", "", "warn"}) {
    try {
      ParseSeverity(bad);
      FAIL() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUsage);
      EXPECT_NE(std::string(e.what()).find("error, warning or notice"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace dbw
