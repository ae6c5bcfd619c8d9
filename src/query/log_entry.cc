#include "query/log_entry.h"

#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace dbw::query {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr std::array<std::string_view, 17> kSeverities = {
    "LOG", "ERROR", "STATEMENT", "DETAIL", "HINT", "CONTEXT", "WARNING", "FATAL", "PANIC",
    "NOTICE", "INFO", "DEBUG", "DEBUG1", "DEBUG2", "DEBUG3", "DEBUG4", "DEBUG5"};

// "LOG:  message" -> severity and the offset of the message, or false.
bool SplitSeverity(std::string_view rest, std::string& severity, size_t& msg) {
  size_t colon = rest.find(":  ");
  if (colon == std::string_view::npos || colon > 10) return false;
  auto sev = rest.substr(0, colon);
  for (auto s : kSeverities)
    if (sev == s) {
      severity.assign(sev);
      msg = colon + 3;
      return true;
    }
  return false;
}

}  // namespace

size_t TimestampLength(std::string_view s) {
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':') return 0;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
    if (!IsDigit(s[i])) return 0;
  size_t n = 19;
  if (n < s.size() && s[n] == '.') {
    ++n;
    while (n < s.size() && IsDigit(s[n])) ++n;
  }
  if (n + 1 < s.size() && s[n] == ' ' && (std::isalpha(static_cast<unsigned char>(s[n + 1])) || s[n + 1] == '+' || s[n + 1] == '-')) {
    size_t z = n + 1;
    while (z < s.size() && (std::isalnum(static_cast<unsigned char>(s[z])) || s[z] == '+' || s[z] == '-' || s[z] == ':')) ++z;
    n = z;
  }
  return n;
}

size_t FindSeverity(std::string_view line) {
  for (size_t p = line.find(":  "); p != std::string_view::npos; p = line.find(":  ", p + 1)) {
    size_t b = p;
    while (b > 0 && (std::isupper(static_cast<unsigned char>(line[b - 1])) || IsDigit(line[b - 1]))) --b;
    if (b > 0 && (std::isalnum(static_cast<unsigned char>(line[b - 1])) || line[b - 1] == '_')) continue;
    std::string sev;
    size_t msg;
    if (SplitSeverity(line.substr(b), sev, msg)) return b;
  }
  return std::string_view::npos;
}

bool StartsIndependentEntry(const LinePrefix& prefix, std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty() || line[0] == '\t') return false;
  LogEntry e;
  int r = prefix.Match(line, e);
  std::string sev;
  size_t msg;
  return r >= 0 && SplitSeverity(line.substr(static_cast<size_t>(r)), sev, msg) && sev != "DETAIL";
}

// One CSV record's fields (RFC 4180 quoting, as csvlog writes).
std::vector<std::string> CsvFields(std::string_view rec) {
  std::vector<std::string> f;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < rec.size(); ++i) {
    char c = rec[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < rec.size() && rec[i + 1] == '"') { cur.push_back('"'); ++i; }
        else quoted = false;
      } else {
        cur.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      f.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  f.push_back(std::move(cur));
  return f;
}

// True when the CSV text so far has an open quoted field.
bool OpenQuote(std::string_view rec) {
  bool q = false;
  for (char c : rec) if (c == '"') q = !q;
  return q;
}

LinePrefix LinePrefix::Compile(std::string_view prefix) {
  LinePrefix p;
  p.text_ = prefix;
  bool has_time = false, has_process = false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] == '%' && i + 1 < prefix.size()) {
      // Padding: an optional '-' and a width between '%' and the escape.
      size_t j = i + 1;
      bool left = j < prefix.size() && prefix[j] == '-';
      if (left) ++j;
      int width = 0;
      while (j < prefix.size() && IsDigit(prefix[j])) width = std::min(width * 10 + (prefix[j++] - '0'), 10000);
      if (j >= prefix.size()) break;
      i = j;
      char e = prefix[i];
      if (e == '%') {
        if (p.tokens_.empty() || p.tokens_.back().escape) p.tokens_.push_back({});
        p.tokens_.back().literal.push_back('%');
        continue;
      }
      if (e == 't' || e == 'm' || e == 'n') has_time = true;
      if (e == 'p' || e == 'c') has_process = true;
      p.tokens_.push_back({e, left ? -width : width, {}});
    } else {
      if (p.tokens_.empty() || p.tokens_.back().escape) p.tokens_.push_back({});
      p.tokens_.back().literal.push_back(prefix[i]);
    }
  }
  if (!has_time || !has_process)
    throw Error(ErrorKind::kUsage, "log_line_prefix '" + std::string(prefix) +
                                       "' needs a time escape (%t, %m or %n) and a process escape "
                                       "(%p or %c) to read the log");
  return p;
}

int LinePrefix::Match(std::string_view line, LogEntry& e) const {
  size_t pos = 0;
  for (size_t k = 0; k < tokens_.size(); ++k) {
    const auto& t = tokens_[k];
    if (!t.escape) {
      if (line.compare(pos, t.literal.size(), t.literal) != 0) return -1;
      pos += t.literal.size();
      continue;
    }
    if (t.escape == 'q') {
      // Non-session processes stop the prefix here; try the rest, else accept the prefix so far.
      LinePrefix rest;
      rest.tokens_.assign(tokens_.begin() + static_cast<long>(k) + 1, tokens_.end());
      LogEntry copy = e;
      int r = rest.Match(line.substr(pos), copy);
      std::string sev;
      size_t msg;
      if (r >= 0 && SplitSeverity(line.substr(pos + static_cast<size_t>(r)), sev, msg)) {
        e = std::move(copy);
        return static_cast<int>(pos) + r;
      }
      return static_cast<int>(pos);
    }
    const size_t start = pos;
    // Right-aligned padding: the spaces before the value.
    while (t.width > 1 && pos < line.size() && line[pos] == ' ' && static_cast<int>(pos - start) < t.width - 1) ++pos;
    size_t end;
    if (t.escape == 't' || t.escape == 'm' || t.escape == 's') {
      size_t n = TimestampLength(line.substr(pos));
      if (!n) return -1;
      end = pos + n;
    } else if (t.escape == 'p' || t.escape == 'l' || t.escape == 'n' || t.escape == 'P') {
      end = pos;
      while (end < line.size() && (IsDigit(line[end]) || (t.escape == 'n' && line[end] == '.'))) ++end;
      if (end == pos) return -1;
    } else if (k + 1 < tokens_.size() && !tokens_[k + 1].escape) {
      end = line.find(tokens_[k + 1].literal, pos);
      if (end == std::string_view::npos) return -1;
    } else {
      end = line.find(' ', pos);
      if (end == std::string_view::npos) return -1;
    }
    auto v = line.substr(pos, end - pos);
    if (t.width < 0)
      while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    switch (t.escape) {
      case 't': case 'm': case 'n': e.time.assign(v); break;
      case 'p': if (e.session.empty()) e.session.assign(v); break;
      case 'c': e.session.assign(v); break;
      case 'u': e.user.assign(v); break;
      case 'd': e.database.assign(v); break;
      case 'a': e.application.assign(v); break;
      case 'e': e.sqlstate.assign(v); break;
      case 'v': e.vxid.assign(v); break;
      case 'x': e.xid.assign(v); break;
      default: break;
    }
    pos = end;
    // Left-aligned padding: the spaces after the value.
    while (t.width < 0 && pos < line.size() && line[pos] == ' ' && static_cast<int>(pos - start) < -t.width) ++pos;
  }
  return static_cast<int>(pos);
}

bool DetectLogFormat(std::string_view head, LogFormat& format, std::string& prefix) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < head.size() && lines.size() < 400) {
    size_t nl = head.find('\n', pos);
    if (nl == std::string_view::npos) nl = head.size();
    if (nl > pos) lines.push_back(head.substr(pos, nl - pos));
    pos = nl + 1;
  }
  if (lines.empty()) { format = LogFormat::kStderr; return false; }
  if (lines[0].starts_with("{")) { format = LogFormat::kJson; return true; }
  size_t ts = TimestampLength(lines[0]);
  if (ts && ts < lines[0].size() && lines[0][ts] == ',') { format = LogFormat::kCsv; return true; }
  format = LogFormat::kStderr;
  static const char* kCandidates[] = {
      "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
      "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
      "%t [%p]: user=%u,db=%d,app=%a,client=%h ",
      "%m [%p]: user=%u,db=%d,app=%a,client=%h ",
      "%m [%p] %q%u@%d ",
      "%t [%p] %q%u@%d ",
      "%m [%p] user=%u db=%d app=%a ",
      "%t [%p]: [%l-1] ",
      "%m [%p]: [%l-1] ",
      "%m [%p]: ",
      "%t [%p]: ",
      "%m [%p] ",
      "%t [%p] ",
      "%m %p ",
      "%t %p ",
  };
  // How many lines a prefix reads, of those that start an entry.
  int entries = 0;
  for (auto l : lines) entries += l[0] != '\t';
  auto reads = [&](const std::string& candidate) {
    auto p = LinePrefix::Compile(candidate);
    int ok = 0;
    for (auto l : lines) {
      LogEntry e;
      int r = p.Match(l, e);
      std::string sev;
      size_t msg;
      if (r >= 0 && SplitSeverity(l.substr(static_cast<size_t>(r)), sev, msg)) ++ok;
    }
    return ok;
  };
  int best = 0;
  for (const char* c : kCandidates)
    if (int ok = reads(c); ok > best) { best = ok; prefix = c; }
  // None of the usual prefixes reads nine lines in ten: infer this server's.
  if (best * 10 < entries * 9)
    if (auto inferred = InferLinePrefix(lines); !inferred.empty())
      if (int ok = reads(inferred); ok > best) { best = ok; prefix = inferred; }
  return best > 0;
}

EntryReader::EntryReader(LogFormat format, std::string prefix, std::function<void(LogEntry&)> sink)
    : format_(format), sink_(std::move(sink)) {
  if (format_ == LogFormat::kStderr) prefix_ = LinePrefix::Compile(prefix);
}

void EntryReader::Emit() {
  if (has_pending_) sink_(pending_);
  has_pending_ = false;
}

void EntryReader::Feed(std::string_view line) {
  ++lines_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  switch (format_) {
    case LogFormat::kStderr: FeedStderr(line); break;
    case LogFormat::kCsv: FeedCsv(line); break;
    case LogFormat::kJson: FeedJson(line); break;
  }
}

void EntryReader::FeedStderr(std::string_view line) {
  if (!line.empty() && line[0] == '\t') {
    if (has_pending_) {
      pending_.message.push_back('\n');
      pending_.message.append(line.substr(1));
    } else {
      ++malformed_;
    }
    return;
  }
  // One scratch entry reused line after line: its strings keep their buffers.
  LogEntry& e = scratch_;
  for (auto* f : {&e.time, &e.session, &e.user, &e.database, &e.application, &e.sqlstate, &e.detail,
                  &e.statement, &e.vxid, &e.xid})
    f->clear();
  int r = prefix_.Match(line, e);
  std::string sev;
  size_t msg = 0;
  if (r < 0 || !SplitSeverity(line.substr(static_cast<size_t>(r)), sev, msg)) {
    if (!line.empty()) ++malformed_;
    return;
  }
  Emit();
  e.severity = std::move(sev);
  e.message.assign(line.substr(static_cast<size_t>(r) + msg));
  std::swap(pending_, scratch_);
  has_pending_ = true;
}

void EntryReader::FeedCsv(std::string_view line) {
  if (!csv_record_.empty()) csv_record_.push_back('\n');
  csv_record_.append(line);
  if (OpenQuote(csv_record_)) return;
  auto f = CsvFields(csv_record_);
  csv_record_.clear();
  if (f.size() < 23) { ++malformed_; return; }
  LogEntry e;
  e.time = f[0];
  e.user = f[1];
  e.database = f[2];
  e.session = f[5].empty() ? f[3] : f[5];
  e.severity = f[11];
  e.sqlstate = f[12];
  e.message = f[13];
  e.detail = f[14];
  e.statement = f[19];
  e.vxid = f[9];
  e.xid = f[10];
  e.application = f[22];
  sink_(e);
}

void EntryReader::FeedJson(std::string_view line) {
  if (line.empty()) return;
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) { ++malformed_; return; }
  LogEntry e;
  e.time = j.value("timestamp", "");
  e.user = j.value("user", "");
  e.database = j.value("dbname", "");
  e.session = j.value("session_id", "");
  if (e.session.empty() && j.contains("pid")) e.session = j["pid"].dump();
  e.severity = j.value("error_severity", "");
  e.sqlstate = j.value("state_code", "");
  e.message = j.value("message", "");
  e.detail = j.value("detail", "");
  e.statement = j.value("statement", "");
  e.application = j.value("application_name", "");
  e.vxid = j.value("vxid", "");
  if (auto t = j.find("txid"); t != j.end()) e.xid = t->is_string() ? t->get<std::string>() : t->dump();
  sink_(e);
}

void EntryReader::Finish() {
  if (!csv_record_.empty()) { ++malformed_; csv_record_.clear(); }
  Emit();
}

}  // namespace dbw::query
