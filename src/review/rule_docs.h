// Rule doc pages for the report: found in the source tree's docs/rules (or next to the binary's
// tree), read, and copied beside the report so its links resolve from disk and in a repository.
#pragma once

#include <string>

#include "report/document.h"
#include "review/context.h"

namespace dbw::review {

// The docs/rules directory, or "" when it cannot be found.
std::string RuleDocsRoot();

// Reads the page of every rule the document's findings cite into doc.rule_docs and copies it to
// <out>/rules/<group>/<id>.md (doc.rule_docs_dir = "rules"). Rules without a page stay absent.
void AttachRuleDocs(ReviewContext& ctx, report::Document& doc);

}  // namespace dbw::review
