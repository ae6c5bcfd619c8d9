#include "report/html.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/common.h"
#include "report/svg_chart.h"
#include "core/escape.h"

namespace dbw::report {
namespace {

std::string E(std::string_view s) { return EscapeMarkup(s); }

constexpr const char* kStyle = R"CSS(
:root{--err:#c62828;--warn:#ef6c00;--note:#1565c0;--ok:#2e7d32;--line:#dde1e6;--mute:#5f6b7a}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1d2733;background:#f5f7fa}
header{background:#1d2733;color:#fff;padding:18px 28px}
header h1{margin:0 0 6px;font-size:22px}
header dl{display:flex;flex-wrap:wrap;gap:4px 22px;margin:0;font-size:12px;color:#c9d3de}
header dt{font-weight:600;color:#fff}header dd{margin:0 0 0 4px}
header dl div{display:flex}
nav{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);padding:8px 28px;display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px}
nav a{color:#1d2733;text-decoration:none}nav a:hover{text-decoration:underline}
main{padding:8px 28px 40px;max-width:1400px}
.report-section{background:#fff;border:1px solid var(--line);border-radius:6px;margin:18px 0;padding:4px 20px 16px}
h2{font-size:19px;border-bottom:1px solid var(--line);padding-bottom:6px}
h3{font-size:15px;margin:18px 0 6px}
.scores{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 12px}
.score{border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:170px}
.score .name{font-weight:600}.score .value{font-size:28px;font-weight:700}
.score .basis{font-size:11px;color:var(--mute);max-width:240px}
.score .meter{height:6px;background:#e8ebef;border-radius:3px;margin:4px 0}
.score .meter span{display:block;height:6px;border-radius:3px;background:var(--ok)}
.score.low .meter span{background:var(--err)}.score.mid .meter span{background:var(--warn)}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f0f3f6;font-weight:600}
td code,td pre{font-size:12px}
td{overflow-wrap:anywhere}td pre{white-space:pre-wrap}
pre{background:#f6f8fa;border:1px solid var(--line);border-radius:4px;padding:8px;overflow:auto;max-height:480px;font-size:12px}
.sev{font-weight:700;text-transform:uppercase;font-size:11px;padding:1px 5px;border-radius:3px;color:#fff}
.sev-error{background:var(--err)}.sev-warning{background:var(--warn)}.sev-notice{background:var(--note)}
.not-produced{color:var(--mute);font-style:italic;border-left:3px solid var(--warn);padding-left:8px}
.artifact{margin:10px 0 16px}
.svgbox{overflow:auto;max-height:640px;border:1px solid var(--line);border-radius:4px;background:#fff;padding:6px}
.chart .bar{fill:#3f7fbf}.chart .chart-title{font-weight:600;font-size:13px}
.chart .chart-label,.chart .chart-value{font-size:11px;fill:#1d2733}.chart .axis{stroke:#999}
ul.tree{list-style:none;padding-left:18px;margin:2px 0;font:12px/1.5 ui-monospace,Menlo,Consolas,monospace}
ul.tree.root{padding-left:0}
.tree .node{display:inline-block;position:relative;padding:0 4px}
.tree .share{position:absolute;left:0;top:2px;bottom:2px;background:#ffe0b2;z-index:0;border-radius:2px}
.tree .label{position:relative;z-index:1}.tree .detail{color:var(--mute)}
.tree .mark{color:var(--err);font-weight:600}
.toolbar{font-size:12px;color:var(--mute);margin:6px 0}
.toolbar label{margin-right:10px}
.findings tr.hidden{display:none}
.doc h4{margin:10px 0 4px}
.files a{margin-right:14px}
details summary{cursor:pointer;color:#1d4f91}
.muted{color:var(--mute)}
)CSS";

// Filters rows by severity; marks the page ready so a browser test can tell the script ran.
constexpr const char* kScript = R"JS(
(function(){
  var boxes=document.querySelectorAll('.toolbar input[data-sev]');
  function apply(){
    var show={};
    boxes.forEach(function(b){show[b.dataset.sev]=b.checked;});
    document.querySelectorAll('table.findings tr[data-sev]').forEach(function(tr){
      tr.classList.toggle('hidden',show[tr.dataset.sev]===false);
    });
    document.querySelectorAll('[data-count-for]').forEach(function(el){
      var t=document.getElementById(el.dataset.countFor);
      el.textContent=t?t.querySelectorAll('tr[data-sev]:not(.hidden)').length:0;
    });
  }
  boxes.forEach(function(b){b.addEventListener('change',function(){
    boxes.forEach(function(o){if(o.dataset.sev===b.dataset.sev)o.checked=b.checked;});apply();});});
  apply();
  document.documentElement.dataset.ready='1';
})();
)JS";

std::string Sev(Severity s) {
  auto name = std::string(SeverityName(s));
  return "<span class=\"sev sev-" + name + "\">" + name + "</span>";
}

std::string RuleLink(const std::string& rule) {
  return "<a class=\"rule\" href=\"#" + E(RuleAnchor(rule)) + "\"><code>" + E(rule) + "</code></a>";
}

std::string Object(const Finding& f) {
  std::string out = E(f.object.kind);
  if (!f.object.name.empty()) out += " <code>" + E(f.object.name) + "</code>";
  if (f.location) {
    out += "<br><span class=\"muted\">" + E(f.location->file);
    if (f.location->line > 0) out += ":" + std::to_string(f.location->line);
    if (f.location->column > 0) out += ":" + std::to_string(f.location->column);
    out += "</span>";
  }
  return out;
}

std::string Toolbar() {
  std::string out = "<div class=\"toolbar\">show:";
  for (auto s : {"error", "warning", "notice"})
    out += fmt::format(" <label><input type=\"checkbox\" data-sev=\"{}\" checked> {}</label>", s, s);
  return out + "</div>";
}

std::string FindingsTable(const std::vector<Finding>& findings, const std::string& id) {
  if (findings.empty()) return "<p class=\"muted\">No findings.</p>";
  std::string out = Toolbar() + "<p class=\"muted\"><span data-count-for=\"" + E(id) + "\">" +
                    std::to_string(findings.size()) + "</span> shown of " +
                    std::to_string(findings.size()) + " (" + E(SummaryLine(findings)) + ")</p>";
  out += "<table class=\"findings\" id=\"" + E(id) +
         "\"><tr><th>severity</th><th>rule</th><th>object</th><th>message</th><th>fix and evidence</th></tr>";
  for (const auto& f : findings) {
    out += "<tr data-sev=\"" + std::string(SeverityName(f.severity)) + "\"><td>" + Sev(f.severity) +
           "</td><td>" + RuleLink(f.rule) + "</td><td>" + Object(f) + "</td><td>" + E(f.message) + "</td><td>";
    if (!f.fix.empty()) out += "<pre>" + E(f.fix) + "</pre>";
    if (const auto artifact = ArtifactOf(f); !artifact.empty())
      out += "<p>see <a href=\"" + E(artifact) + "\">" + E(artifact) + "</a></p>";
    auto evidence = EvidenceText(f.evidence);
    if (!evidence.empty()) out += "<details><summary>evidence</summary><code>" + E(evidence) + "</code></details>";
    out += "</td></tr>";
  }
  return out + "</table>";
}

std::string TableHtml(const Table& t) {
  std::string out = "<table><tr>";
  for (const auto& h : t.header) out += "<th>" + E(h) + "</th>";
  out += "</tr>";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (const auto& c : row) out += "<td>" + E(c) + "</td>";
    out += "</tr>";
  }
  return out + "</table>";
}

void TreeNodeHtml(const TreeNode& n, std::string& out) {
  out += fmt::format("<li><span class=\"node\"><span class=\"share\" style=\"width:{:.1f}%\"></span>"
                     "<span class=\"label\">{}</span></span> <span class=\"detail\">{}</span>",
                     std::clamp(n.share, 0.0, 1.0) * 100, E(n.label), E(n.detail));
  for (const auto& m : n.marks) out += " <a class=\"mark\" href=\"#" + E(RuleAnchor(m)) + "\">&larr; " + E(m) + "</a>";
  if (!n.children.empty()) {
    out += "<ul class=\"tree\">";
    for (const auto& c : n.children) TreeNodeHtml(c, out);
    out += "</ul>";
  }
  out += "</li>";
}

std::string BlockHtml(const Block& b) {
  switch (b.kind) {
    case Block::Kind::kText: return "<p>" + E(b.text) + "</p>";
    case Block::Kind::kCode: return "<pre>" + E(b.text) + "</pre>";
    case Block::Kind::kSvg: return "<div class=\"svgbox\">" + b.text + "</div>";
    case Block::Kind::kFile:
      return "<p class=\"files\">file: <a href=\"" + E(b.path) + "\">" + E(b.text) + "</a></p>";
    case Block::Kind::kTable: return TableHtml(b.table);
    case Block::Kind::kChart: return "<div class=\"svgbox\">" + RenderChartSvg(b.chart) + "</div>";
    case Block::Kind::kTree: {
      std::string out = "<details class=\"plan\" open><summary>" + E(b.tree.title) + "</summary>";
      if (!b.tree.caption.empty()) out += "<p class=\"muted\">" + E(b.tree.caption) + "</p>";
      out += "<ul class=\"tree root\">";
      TreeNodeHtml(b.tree.root, out);
      return out + "</ul></details>";
    }
  }
  return "";
}

// Inline Markdown of the rule pages: `code`, **bold**, [text](target) shown as text.
std::string InlineMd(const std::string& line) {
  std::string out;
  bool code = false, bold = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '`') {
      out += code ? "</code>" : "<code>";
      code = !code;
    } else if (!code && line.compare(i, 2, "**") == 0) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      ++i;
    } else {
      out += E(std::string_view(&line[i], 1));
    }
  }
  if (code) out += "</code>";
  if (bold) out += "</strong>";
  return out;
}

// The subset of Markdown the rule pages use: headings, fenced code, lists and paragraphs.
std::string MarkdownHtml(const std::string& md) {
  std::string out, para;
  bool fence = false, list = false;
  auto flush = [&] {
    if (!para.empty()) out += "<p>" + para + "</p>";
    para.clear();
    if (list) out += "</ul>";
    list = false;
  };
  for (const auto& line : SplitLines(md)) {
    if (line.rfind("```", 0) == 0) {
      if (!fence) flush();
      out += fence ? "</pre>" : "<pre>";
      fence = !fence;
      continue;
    }
    if (fence) {
      out += E(line) + "\n";
      continue;
    }
    if (line.empty()) {
      flush();
    } else if (line[0] == '#') {
      flush();
      size_t level = line.find_first_not_of('#');
      if (level == std::string::npos) continue;
      if (level == 1) continue;  // the page title is the rule id, shown already
      out += "<h4>" + InlineMd(line.substr(line.find_first_not_of("# "))) + "</h4>";
    } else if (line.rfind("- ", 0) == 0) {
      if (!para.empty()) out += "<p>" + para + "</p>", para.clear();
      if (!list) out += "<ul>";
      list = true;
      out += "<li>" + InlineMd(line.substr(2)) + "</li>";
    } else {
      para += (para.empty() ? "" : " ") + InlineMd(line);
    }
  }
  if (fence) out += "</pre>";
  flush();
  return out;
}

std::string Summary(const Document& doc) {
  std::string out = "<section id=\"summary\" class=\"report-section\" data-section=\"summary\"><h2>Summary</h2>";
  out += "<div class=\"scores\">";
  Chart chart;
  chart.title = "Score per area (0-100)";
  for (const auto& s : doc.scores) {
    std::string band = !s.scored ? "" : s.score < 50 ? " low" : s.score < 80 ? " mid" : "";
    out += "<div class=\"score" + band + "\" data-area=\"" + E(s.area) + "\"><div class=\"name\">" + E(s.title) + "</div>";
    if (s.scored) {
      out += fmt::format("<div class=\"value\">{:.0f}</div><div class=\"meter\"><span style=\"width:{:.0f}%\"></span></div>",
                         s.score, s.score);
      chart.bars.emplace_back(s.title, std::round(s.score));
    } else {
      out += "<div class=\"value muted\">n/a</div>";
    }
    if (s.counts.is_object())
      out += fmt::format("<div>{}: {}, {}: {}, {}: {}</div>", "errors", s.counts.value("error", 0), "warnings",
                         s.counts.value("warning", 0), "notices", s.counts.value("notice", 0));
    out += "<div class=\"basis\">" + E(s.basis) + "</div></div>";
  }
  out += "</div>";
  if (!chart.bars.empty()) out += "<div class=\"svgbox\">" + RenderChartSvg(chart) + "</div>";
  out += "<h3>The " + std::to_string(doc.top.size()) +
         " most important findings</h3><p class=\"muted\">Ranked by impact = severity weight &times; "
         "scale (rows or time affected) &times; risk class; see the method in docs/review.md.</p>";
  if (doc.top.empty()) return out + "<p class=\"muted\">No findings.</p></section>";
  out += "<table class=\"top\"><tr><th>#</th><th>impact</th><th>severity</th><th>rule</th><th>object</th>"
         "<th>message</th><th>why it ranks here</th></tr>";
  int rank = 0;
  for (const auto& r : doc.top) {
    out += fmt::format("<tr><td>{}</td><td>{:.0f}</td><td>{}</td><td>{}</td><td>{}</td><td>{} <a href=\"#sec-{}\">"
                       "(section)</a></td><td class=\"muted\">{}</td></tr>",
                       ++rank, r.impact, Sev(r.finding.severity), RuleLink(r.finding.rule), Object(r.finding),
                       E(r.finding.message), E(r.section), E(r.basis));
  }
  return out + "</table></section>";
}

std::string SectionHtml(const Section& s) {
  std::string out = "<section id=\"sec-" + E(s.id) + "\" class=\"report-section\" data-section=\"" + E(s.id) +
                    "\"><h2>" + E(s.title) + "</h2>";
  if (!s.intro.empty()) out += "<p>" + E(s.intro) + "</p>";
  for (const auto& a : s.artifacts) {
    out += "<div class=\"artifact\" id=\"art-" + E(s.id) + "-" + E(a.id) + "\" data-produced=\"" +
           (a.produced ? "yes" : "no") + "\"><h3>" + E(a.title) + "</h3>";
    if (!a.produced) out += "<p class=\"not-produced\">not produced: " + E(a.reason) + "</p>";
    for (const auto& b : a.blocks) out += BlockHtml(b);
    out += "</div>";
  }
  out += "<h3>Findings</h3>" + FindingsTable(s.findings, "findings-" + s.id);
  return out + "</section>";
}

std::string RuleReference(const Document& doc) {
  std::vector<std::string> rules;
  for (const auto& s : doc.sections)
    for (const auto& f : s.findings) rules.push_back(f.rule);
  std::sort(rules.begin(), rules.end());
  rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
  std::string out = "<section id=\"rules\" class=\"report-section\" data-section=\"rules\"><h2>Rule reference</h2>"
                    "<p class=\"muted\">Every rule a finding in this report cites: what it catches, why it "
                    "matters, the safe alternative.</p>";
  for (const auto& r : rules) {
    out += "<div class=\"doc\" id=\"" + E(RuleAnchor(r)) + "\"><h3><code>" + E(r) + "</code></h3>";
    auto link = RuleDocLink(doc, r);
    auto it = doc.rule_docs.find(r);
    if (it == doc.rule_docs.end()) {
      out += "<p class=\"not-produced\">no doc page found for this rule (" + E(RuleDocPath(r)) + ")</p>";
    } else {
      if (!link.empty()) out += "<p class=\"files\">page: <a href=\"" + E(link) + "\">" + E(link) + "</a></p>";
      out += "<details><summary>read</summary>" + MarkdownHtml(it->second) + "</details>";
    }
    out += "</div>";
  }
  return out + "</section>";
}

}  // namespace

std::string RenderHtml(const Document& doc) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                    "<title>" + E(doc.title) + "</title><style>" + kStyle + "</style></head><body>";
  out += "<header><h1>" + E(doc.title) + "</h1><dl>";
  for (const auto& [k, v] : doc.facts) out += "<div><dt>" + E(k) + "</dt><dd>" + E(v) + "</dd></div>";
  out += "</dl></header><nav><a href=\"#summary\">Summary</a>";
  for (const auto& s : doc.sections) out += "<a href=\"#sec-" + E(s.id) + "\">" + E(s.title) + "</a>";
  out += "<a href=\"#rules\">Rule reference</a></nav><main>";
  out += Summary(doc);
  for (const auto& s : doc.sections) out += SectionHtml(s);
  out += RuleReference(doc);
  out += "</main><script>" + std::string(kScript) + "</script></body></html>\n";
  return out;
}

}  // namespace dbw::report
