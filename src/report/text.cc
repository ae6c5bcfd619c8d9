#include "report/text.h"

#include <fmt/format.h>

#include <map>

#include "report/common.h"

namespace dbw::report {

namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kMagenta = "\x1b[1;35m";
constexpr std::string_view kCyan = "\x1b[1;36m";
constexpr std::string_view kGreen = "\x1b[1;32m";

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  std::string operator()(std::string_view text, std::string_view style) const {
    if (!color_ || text.empty()) return std::string(text);
    return std::string(style) + std::string(text) + std::string(kReset);
  }

 private:
  bool color_;
};

std::string_view SeverityStyle(Severity s) {
  switch (s) {
    case Severity::kError: return kRed;
    case Severity::kWarning: return kMagenta;
    case Severity::kNotice: return kCyan;
  }
  return kBold;
}

// Length of the UTF-8 sequence starting at s[i], or 0 when the bytes there are not valid UTF-8.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0 && c >= 0xC2)
    n = 2;
  else if ((c & 0xF0) == 0xE0)
    n = 3;
  else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
    n = 4;
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

// One character of untrusted text as it is printed. Control characters (C0 other than tab and
// newline, DEL, C1) and bytes that are not UTF-8 are shown escaped, so the text cannot move the
// cursor or recolour the terminal.
struct Shown {
  std::string text;
  size_t bytes = 1;  // consumed from the input
  bool escaped = false;
};

Shown ShowCharacter(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const size_t n = Utf8Length(s, i);
  const bool c0 = n == 1 && ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f);
  const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
  if (n == 0 || c0) return {fmt::format("\\x{:02x}", c), 1, true};
  if (c1) return {fmt::format("\\u{:04x}", static_cast<unsigned char>(s[i + 1])), 2, true};
  return {std::string(s.substr(i, n)), n, false};
}

// Makes text safe for a terminal; newlines are kept (the caller lays them out).
std::string Sanitize(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const Shown shown = ShowCharacter(text, i);
    out += shown.text;
    i += shown.bytes;
  }
  return out;
}

struct QuotedLine {
  std::string text;   // the line as displayed
  std::string caret;  // whitespace that puts a caret under the column (tabs copied as tabs)
};

// Walks the line one character (code point) at a time; column counts characters, 1-based.
QuotedLine Quote(std::string_view line, int column) {
  QuotedLine q;
  int position = 1;
  for (size_t i = 0; i < line.size(); ++position) {
    const Shown shown = ShowCharacter(line, i);
    i += shown.bytes;
    q.text += shown.text;
    if (position >= column) continue;
    if (shown.text == "\t")
      q.caret += '\t';
    else
      q.caret += std::string(shown.escaped ? shown.text.size() : 1, ' ');
  }
  return q;
}

// Indents every line after the first, so a multi-line text stays inside its finding.
std::string IndentContinuation(std::string_view text, std::string_view indent) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

std::string LocationPrefix(const SourceLocation& loc) {
  std::string out = Sanitize(loc.file) + ":";
  if (loc.line > 0) {
    out += std::to_string(loc.line) + ":";
    if (loc.column > 0) out += std::to_string(loc.column) + ":";
  }
  return out;
}

class SourceCache {
 public:
  explicit SourceCache(const RenderOptions& options) : options_(options) {}
  // The 1-based line of file, or nullopt when the file or line is not available.
  std::optional<std::string> Line(const std::string& file, int line) {
    auto it = files_.find(file);
    if (it == files_.end()) {
      std::optional<std::vector<std::string>> lines;
      if (options_.read_source) {
        if (auto content = options_.read_source(file)) lines = SplitLines(*content);
      }
      it = files_.emplace(file, std::move(lines)).first;
    }
    if (!it->second || line < 1 || static_cast<size_t>(line) > it->second->size())
      return std::nullopt;
    return (*it->second)[line - 1];
  }

 private:
  const RenderOptions& options_;
  std::map<std::string, std::optional<std::vector<std::string>>> files_;
};

void RenderOne(const Finding& f, const Painter& paint, SourceCache& sources, std::string& out) {
  const std::string message = Sanitize(f.message);
  const size_t newline = message.find('\n');
  const std::string first = message.substr(0, newline);
  const std::string rest = newline == std::string::npos ? "" : message.substr(newline);

  if (f.location) out += paint(LocationPrefix(*f.location), kBold) + " ";
  out += paint(std::string(SeverityName(f.severity)) + ":", SeverityStyle(f.severity)) + " ";
  if (!f.location && !(f.object.kind.empty() && f.object.name.empty())) {
    std::string object = f.object.kind;
    if (!object.empty() && !f.object.name.empty()) object += " ";
    out += Sanitize(object + f.object.name) + ": ";
  }
  out += first + " [" + Sanitize(f.rule) + "]";
  out += IndentContinuation(rest, "  ") + "\n";

  if (f.location && f.location->line > 0) {
    if (auto line = sources.Line(f.location->file, f.location->line)) {
      const QuotedLine q = Quote(*line, f.location->column);
      const std::string gutter = fmt::format("{:>5} | ", f.location->line);
      out += gutter + q.text + "\n";
      if (f.location->column > 0)
        out += std::string(gutter.size() - 2, ' ') + "| " + q.caret + paint("^", kGreen) + "\n";
    }
  }
  const std::string evidence = EvidenceText(f.evidence);
  if (!evidence.empty()) out += "  evidence: " + Sanitize(evidence) + "\n";
  if (!f.fix.empty()) out += "  fix: " + IndentContinuation(Sanitize(f.fix), "       ") + "\n";
  out += "  docs: " + Sanitize(DocsOf(f)) + "\n";
}

}  // namespace

std::string RenderText(const std::vector<Finding>& findings, const RenderOptions& options) {
  const Painter paint(options.color);
  SourceCache sources(options);
  std::string out;
  for (const auto& f : findings) RenderOne(f, paint, sources, out);
  out += paint(SummaryLine(findings), kBold) + "\n";
  if (options.score) {
    out += "\n" + paint(ScoreHeadline(*options.score), kBold) + "\n";
    for (const auto& [part, value] : ScoreShortfalls(*options.score))
      out += fmt::format("  {:6.1f}  {}\n", value, Sanitize(part));
  }
  return out;
}

}  // namespace dbw::report
