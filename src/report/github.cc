#include "report/github.h"

#include <fmt/format.h>

#include "report/common.h"

namespace dbw::report {

namespace {

// Escaping GitHub's runner applies to a workflow command's message.
std::string EscapeData(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

// Property values additionally escape the separators of "key=value,key=value::".
std::string EscapeProperty(std::string_view s) {
  std::string out;
  for (char c : EscapeData(s)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view Command(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNotice: return "notice";
  }
  return "notice";
}

}  // namespace

std::string RenderGithub(const std::vector<Finding>& findings, const RenderOptions& options) {
  std::string out;
  for (const auto& f : findings) {
    std::string properties;
    if (f.location) {
      properties += "file=" + EscapeProperty(f.location->file);
      if (f.location->line > 0) {
        properties += ",line=" + std::to_string(f.location->line);
        if (f.location->column > 0) properties += ",col=" + std::to_string(f.location->column);
      }
      properties += ",";
    }
    properties += "title=" + EscapeProperty(f.rule);

    std::string message;
    // An annotation without a file shows on the run summary: name the object it is about.
    if (!f.location && !f.object.name.empty())
      message += (f.object.kind.empty() ? "" : f.object.kind + " ") + f.object.name + ": ";
    message += f.message;
    const std::string evidence = EvidenceText(f.evidence);
    if (!evidence.empty()) message += "\nevidence: " + evidence;
    if (!f.fix.empty()) message += "\nfix: " + f.fix;
    message += "\ndocs: " + DocsOf(f);

    out += "::" + std::string(Command(f.severity)) + " " + properties + "::" + EscapeData(message) +
           "\n";
  }
  // The score as one notice without a file: it shows on the run's annotation summary.
  if (options.score) {
    std::string message = ScoreHeadline(*options.score);
    for (const auto& [part, value] : ScoreShortfalls(*options.score))
      message += fmt::format("\n{:6.1f}  {}", value, part);
    out += "::notice title=" + EscapeProperty(options.score->title) + "::" + EscapeData(message) + "\n";
  }
  return out;
}

}  // namespace dbw::report
