#include "report/markdown.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "report/common.h"

namespace dbw::report {

namespace {

// Text in a table cell: Markdown punctuation is backslash-escaped (so a message cannot turn
// into a link, emphasis or HTML, and a pipe cannot end the cell); newlines become <br>.
std::string Cell(std::string_view s) {
  constexpr std::string_view kPunctuation = "\\`*_[]<>|~&#!";
  std::string out;
  for (char c : s) {
    if (c == '\r') continue;
    if (c == '\n') {
      out += "<br>";
      continue;
    }
    if (kPunctuation.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A code span in a table cell: the backtick fence is longer than any run inside, pipes are
// escaped (GFM reads \| in a cell as a literal pipe, even in code), newlines become spaces.
std::string Code(std::string_view s) {
  if (s.empty()) return "";
  std::string body;
  size_t run = 0, longest = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (c == '|')
      body += "\\|";
    else if (c == '\n')
      body += ' ';
    else if (c != '\r')
      body += c;
  }
  const std::string fence(longest + 1, '`');
  const bool pad =
      body.front() == '`' || body.back() == '`' || (body.front() == ' ' && body.back() == ' ');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

// A link target: characters that would end or break "(...)" are percent-encoded.
std::string Target(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case ' ': out += "%20"; break;
      case '(': out += "%28"; break;
      case ')': out += "%29"; break;
      case '|': out += "%7C"; break;
      case '<': out += "%3C"; break;
      case '>': out += "%3E"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Location(const SourceLocation& loc) {
  std::string text = loc.file;
  if (loc.line > 0) {
    text += ":" + std::to_string(loc.line);
    if (loc.column > 0) text += ":" + std::to_string(loc.column);
  }
  return Code(text);
}

std::string Row(const Finding& f) {
  std::string object = f.object.kind.empty() ? "" : Cell(f.object.kind);
  if (!f.object.name.empty()) object += (object.empty() ? "" : " ") + Code(f.object.name);
  const std::string evidence = EvidenceText(f.evidence), artifact = ArtifactOf(f);
  return "| [" + Code(f.rule) + "](" + Target(DocsOf(f)) + ") | " + object + " | " +
         (f.location ? Location(*f.location) : "") + " | " + Cell(f.message) + " | " +
         Code(evidence) + " | " + Code(f.fix) + (artifact.empty() ? "" : " see [" + Cell(artifact) + "](" + Target(artifact) + ")") +
         " |\n";
}

}  // namespace

std::string MarkdownFindingTables(const std::vector<Finding>& findings, const std::string& heading) {
  struct Group {
    Severity severity;
    std::string_view title;
  };
  constexpr std::array<Group, 3> kGroups = {{{Severity::kError, "Errors"},
                                             {Severity::kWarning, "Warnings"},
                                             {Severity::kNotice, "Notices"}}};
  std::string out;
  for (const auto& group : kGroups) {
    const auto count = std::count_if(findings.begin(), findings.end(), [&](const Finding& f) {
      return f.severity == group.severity;
    });
    if (count == 0) continue;
    out += "\n" + heading + " " + std::string(group.title) + " (" + std::to_string(count) + ")\n\n";
    out += "| Rule | Object | Location | Message | Evidence | Fix |\n";
    out += "|---|---|---|---|---|---|\n";
    for (const auto& f : findings)
      if (f.severity == group.severity) out += Row(f);
  }
  return out;
}

std::string MarkdownCell(std::string_view s) { return Cell(s); }
std::string MarkdownCode(std::string_view s) { return Code(s); }
std::string MarkdownTarget(std::string_view s) { return Target(s); }

std::string RenderMarkdown(const std::vector<Finding>& findings, const RenderOptions& options) {
  std::string out = "## dbwright";
  if (!options.command.empty()) out += " " + Cell(options.command);
  out += "\n\n**" + SummaryLine(findings) + "**\n";
  if (options.score) {
    out += "\n**" + Cell(ScoreHeadline(*options.score)) + "**\n";
    auto shortfalls = ScoreShortfalls(*options.score);
    if (!shortfalls.empty()) {
      out += "\n| Object | Score |\n|---|---|\n";
      for (const auto& [part, value] : shortfalls)
        out += "| " + Code(part) + " | " + fmt::format("{:.1f}", value) + " |\n";
    }
  }
  if (findings.empty()) return out + "\nNo findings.\n";
  return out + MarkdownFindingTables(findings, "###");
}

}  // namespace dbw::report
