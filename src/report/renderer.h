// Renderer: turns findings into one of the output formats a command offers with --format.
// Every format is a renderer of the same findings; adding a rule never touches this code.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"

namespace dbw::report {

enum class Format { kText, kJson, kSarif, kGithub, kMarkdown };

// Parses "text", "json", "sarif", "github" or "markdown"; throws Error(kUsage) otherwise.
Format ParseFormat(std::string_view name);
std::string_view FormatName(Format format);

// The whole content of a file, or nullopt when it cannot be read.
std::optional<std::string> ReadSourceFromDisk(const std::string& file);

// A score a command computes alongside its findings (design lint: per table and overall). Every
// format carries it: json as the top-level "score" member (beside, not inside, the findings
// contract), sarif in the run's properties, and text, markdown and github as a summary with the
// parts that lost points.
struct Score {
  std::string title;   // "design score"
  double overall = 0;  // 0..100
  std::string basis;   // how it was computed, one short phrase: "53 rules; schema-level objects 100.0"
  std::vector<std::pair<std::string, double>> parts;  // object -> 0..100, in the order to show
  nlohmann::json json;  // the machine-readable form, as json and sarif carry it
};

struct RenderOptions {
  std::string command;  // e.g. "migrate lint"
  std::optional<Score> score;
  bool color = false;   // ANSI colour in the text format
  // Where the text format gets the source line it quotes; empty means "do not quote".
  std::function<std::optional<std::string>(const std::string& file)> read_source =
      ReadSourceFromDisk;
};

// Renders findings in the order given (callers decide the order, e.g. with SortFindings).
std::string Render(Format format, const std::vector<Finding>& findings,
                   const RenderOptions& options);

// True when stdout is a terminal and NO_COLOR is unset or empty (https://no-color.org).
bool StdoutIsTerminal();

}  // namespace dbw::report
