#include "review/rule_docs.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace dbw::review {

std::string RuleDocsRoot() {
  std::error_code ec;
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("DBWRIGHT_DOCS")) candidates.emplace_back(fs::path(env) / "rules");
  candidates.emplace_back(fs::path(DBWRIGHT_SOURCE_DIR) / "docs" / "rules");
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path().parent_path() / "docs" / "rules");                   // build/dbwright
    candidates.push_back(exe.parent_path().parent_path() / "share" / "dbwright" / "docs" / "rules");  // installed
  }
  for (const auto& c : candidates)
    if (fs::is_directory(c, ec)) return c.string();
  return "";
}

void AttachRuleDocs(ReviewContext& ctx, report::Document& doc) {
  auto root = RuleDocsRoot();
  if (root.empty()) return;
  std::set<std::string> rules;
  for (const auto& s : doc.sections)
    for (const auto& f : s.findings) rules.insert(f.rule);
  for (const auto& rule : rules) {
    std::ifstream in(fs::path(root) / (rule + ".md"), std::ios::binary);
    if (!in) continue;
    std::ostringstream ss;
    ss << in.rdbuf();
    doc.rule_docs[rule] = ss.str();
    ctx.WriteArtifact("rules/" + rule + ".md", ss.str());
  }
  doc.rule_docs_dir = "rules";
}

}  // namespace dbw::review
