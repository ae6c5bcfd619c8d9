#include "report/renderer.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/status.h"
#include "report/github.h"
#include "report/json.h"
#include "report/markdown.h"
#include "report/sarif.h"
#include "report/text.h"

namespace dbw::report {

namespace {

using RenderFn = std::string (*)(const std::vector<Finding>&, const RenderOptions&);

struct Registration {
  Format format;
  std::string_view name;
  RenderFn render;
};

// The one place formats are registered: name for --format, and the function that renders it.
constexpr std::array<Registration, 5> kRenderers = {{
    {Format::kText, "text", RenderText},
    {Format::kJson, "json", RenderJson},
    {Format::kSarif, "sarif", RenderSarif},
    {Format::kGithub, "github", RenderGithub},
    {Format::kMarkdown, "markdown", RenderMarkdown},
}};

const Registration& Lookup(Format format) {
  for (const auto& r : kRenderers)
    if (r.format == format) return r;
  throw Error(ErrorKind::kInternal, "output format without a renderer");
}

}  // namespace

Format ParseFormat(std::string_view name) {
  std::string valid;
  for (size_t i = 0; i < kRenderers.size(); ++i) {
    if (kRenderers[i].name == name) return kRenderers[i].format;
    if (i > 0) valid += (i + 1 == kRenderers.size()) ? " or " : ", ";
    valid += kRenderers[i].name;
  }
  throw Error(ErrorKind::kUsage, "unknown output format '" + std::string(name) + "': use " + valid);
}

std::string_view FormatName(Format format) { return Lookup(format).name; }

std::optional<std::string> ReadSourceFromDisk(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return content.str();
}

std::string Render(Format format, const std::vector<Finding>& findings,
                   const RenderOptions& options) {
  return Lookup(format).render(findings, options);
}

bool StdoutIsTerminal() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) == 1;
}

}  // namespace dbw::report
