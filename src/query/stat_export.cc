#include "query/stat_export.h"

#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/file.h"
#include "core/status.h"
#include "query/log_entry.h"

namespace dbw::query {
namespace {

using Fields = std::map<std::string, std::string>;

std::string_view Trimmed(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::string FirstLine(std::string_view s) {
  auto line = std::string(s.substr(0, s.find('\n')));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

bool IsRow(const nlohmann::json& j) { return j.is_object() && j.contains("query") && j["query"].is_string(); }

// The rows of a JSON document: an array of rows, {"statements": [rows]} (`query top --format
// json`), or a `query top` baseline {"statements": {"<fingerprint or queryid>": row}}. Null when it is none.
nlohmann::json JsonRows(const nlohmann::json& j) {
  if (j.is_array()) return j;
  if (!j.is_object() || !j.contains("statements") || j.value("source", "pg_stat_statements") != "pg_stat_statements") return nullptr;
  const auto& st = j["statements"];
  if (st.is_array()) return st;
  if (!st.is_object()) return nullptr;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [id, row] : st.items()) {
    auto r = row;
    if (r.is_object() && !r.contains("queryid")) r["queryid"] = id;
    rows.push_back(std::move(r));
  }
  return rows;
}

bool AllRows(const nlohmann::json& rows) {
  if (!rows.is_array()) return false;
  for (const auto& r : rows)
    if (!IsRow(r)) return false;
  return true;
}

std::string FormatOf(const std::string& path, const std::string& text) {
  auto body = Trimmed(text);
  if (body.empty()) return "";
  if (body.front() == '[' || body.front() == '{') {
    auto first = nlohmann::json::parse(FirstLine(body), nullptr, false);
    if (!first.is_discarded() && IsRow(first)) return "json-lines";
    auto doc = nlohmann::json::parse(std::string(body), nullptr, false);
    if (!doc.is_discarded() && AllRows(JsonRows(doc))) return "json";
    return "";
  }
  // A CSV header names its columns; csvlog (the other CSV a user has) has no header.
  bool query = false, other = false;
  for (const auto& f : CsvFields(FirstLine(body))) {
    query = query || f == "query";
    other = other || f == "calls" || f == "queryid" || f == "total_exec_time" || f == "total_time";
  }
  return query && (other || path.ends_with(".csv")) ? "csv" : "";
}

double Number(const Fields& f, std::initializer_list<const char*> names, double fallback, const std::string& where) {
  for (const char* n : names) {
    auto it = f.find(n);
    if (it == f.end() || it->second.empty()) continue;
    try {
      size_t used = 0;
      double v = std::stod(it->second, &used);
      if (used == it->second.size()) return v;
    } catch (const std::exception&) {
    }
    throw Error(ErrorKind::kInput, where + ": " + n + " '" + it->second + "' is not a number");
  }
  return fallback;
}

StatRow RowOf(const Fields& f, const std::string& where, int line) {
  StatRow r;
  r.line = line;
  auto query = f.find("query");
  if (query == f.end() || query->second.empty()) throw Error(ErrorKind::kInput, where + ": the row has no query text");
  r.query = query->second;
  if (auto id = f.find("queryid"); id != f.end()) r.queryid = id->second;
  r.calls = Number(f, {"calls"}, 1, where);
  const double total = Number(f, {"total_exec_time", "total_time", "total_ms"}, -1, where);
  const double mean = Number(f, {"mean_exec_time", "mean_time", "mean_ms"}, -1, where);
  r.total_ms = total >= 0 ? total : (mean >= 0 ? mean * r.calls : 0);
  r.mean_ms = mean >= 0 ? mean : (r.calls > 0 ? r.total_ms / r.calls : 0);
  r.stddev_ms = Number(f, {"stddev_exec_time", "stddev_time", "stddev_ms"}, 0, where);
  r.rows = Number(f, {"rows"}, 0, where);
  r.shared_blks_hit = Number(f, {"shared_blks_hit"}, -1, where);
  r.shared_blks_read = Number(f, {"shared_blks_read"}, -1, where);
  r.temp_blks = Number(f, {"temp_blks_read"}, 0, where) + Number(f, {"temp_blks_written"}, 0, where);
  if (auto t = f.find("toplevel"); t != f.end()) r.toplevel = !(t->second == "f" || t->second == "false");
  return r;
}

Fields FieldsOf(const nlohmann::json& row) {
  Fields f;
  for (const auto& [k, v] : row.items()) {
    if (v.is_string()) f[k] = v.get<std::string>();
    else if (v.is_boolean()) f[k] = v.get<bool>() ? "t" : "f";
    else if (v.is_number()) f[k] = v.dump();
  }
  return f;
}

void FromCsv(StatExport& out, const std::string& text) {
  std::istringstream in(text);
  std::string line, record;
  std::vector<std::string> header;
  int n = 0, first_line = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (record.empty()) first_line = n;
    record += (record.empty() ? "" : "\n") + line;
    if (OpenQuote(record)) continue;
    auto fields = CsvFields(record);
    record.clear();
    if (header.empty()) {
      header = std::move(fields);
      continue;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (fields.size() != header.size())
      throw Error(ErrorKind::kInput, out.path + ":" + std::to_string(first_line) + ": " + std::to_string(fields.size()) +
                                         " fields where the header has " + std::to_string(header.size()));
    Fields f;
    for (size_t i = 0; i < header.size(); ++i) f[header[i]] = fields[i];
    out.rows.push_back(RowOf(f, out.path + ":" + std::to_string(first_line), first_line));
  }
  if (!record.empty()) throw Error(ErrorKind::kInput, out.path + ":" + std::to_string(first_line) + ": a quoted field is not closed");
}

void FromJsonLines(StatExport& out, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (Trimmed(line).empty()) continue;
    const auto where = out.path + ":" + std::to_string(n);
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error(ErrorKind::kInput, where + ": not a JSON object (one pg_stat_statements row per line)");
    out.rows.push_back(RowOf(FieldsOf(j), where, n));
  }
}

// At most the first `limit` bytes of path; *whole tells whether that is all of it.
std::string ReadHead(const std::string& path, size_t limit, bool* whole) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ReadWholeFile(path);  // its error
  std::string head(limit, '\0');
  in.read(head.data(), static_cast<std::streamsize>(limit));
  head.resize(static_cast<size_t>(in.gcount()));
  *whole = head.size() < limit || in.peek() == std::char_traits<char>::eof();
  return head;
}

}  // namespace

// Decided from the file's first MiB when that settles it (a server log can be gigabytes): a CSV
// by its header line, JSON lines by a first line that is a row, and a first line that is a
// complete JSON value but not a row, with more after it, is no export (jsonlog). Only a file that
// starts with '[' or a multi-line JSON value is read whole.
bool IsStatExport(const std::string& path) {
  if (path.ends_with(".sql")) return false;
  bool whole = false;
  const std::string head = ReadHead(path, 1 << 20, &whole);
  if (whole) return !FormatOf(path, head).empty();
  const std::string_view body = Trimmed(head);
  const bool line_complete = body.find('\n') != std::string_view::npos;
  if (!body.empty() && line_complete && body.front() != '[') {
    if (body.front() != '{') return !FormatOf(path, head).empty();
    auto first = nlohmann::json::parse(FirstLine(body), nullptr, false);
    if (!first.is_discarded()) {
      if (IsRow(first)) return true;
      if (!Trimmed(body.substr(body.find('\n'))).empty()) return false;
    }
  }
  return !FormatOf(path, ReadWholeFile(path)).empty();
}

StatExport ReadStatExport(const std::string& path) {
  StatExport out;
  out.path = path;
  const auto text = ReadWholeFile(path);
  out.format = FormatOf(path, text);
  if (out.format == "csv") {
    FromCsv(out, text);
  } else if (out.format == "json-lines") {
    FromJsonLines(out, text);
  } else if (out.format == "json") {
    for (const auto& r : JsonRows(nlohmann::json::parse(std::string(Trimmed(text))))) out.rows.push_back(RowOf(FieldsOf(r), path, 0));
  } else {
    throw Error(ErrorKind::kInput, path + " is not a pg_stat_statements export (a CSV with a header naming a \"query\" column, "
                                          "or JSON rows with a \"query\" field)");
  }
  return out;
}

}  // namespace dbw::query
