// InferLinePrefix (declared in log_entry.h): a log_line_prefix read back from the lines it wrote.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "query/log_entry.h"

namespace dbw::query {
namespace {

struct Tok {
  enum Kind { kTime, kValue, kLiteral } kind;
  std::string text;
};

bool ValueChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

std::vector<Tok> Tokenize(std::string_view s) {
  std::vector<Tok> out;
  for (size_t i = 0; i < s.size();) {
    if (size_t n = TimestampLength(s.substr(i)); n && (i == 0 || !ValueChar(s[i - 1]))) {
      out.push_back({Tok::kTime, std::string(s.substr(i, n))});
      i += n;
    } else if (ValueChar(s[i])) {
      size_t j = i;
      while (j < s.size() && ValueChar(s[j])) ++j;
      out.push_back({Tok::kValue, std::string(s.substr(i, j - i))});
      i = j;
    } else {
      out.push_back({Tok::kLiteral, std::string(1, s[i])});
      ++i;
    }
  }
  return out;
}

// Shape of a token list: kinds, and the text of punctuation.
std::string Shape(const std::vector<Tok>& t, size_t n) {
  std::string s;
  for (size_t i = 0; i < n && i < t.size(); ++i) s += t[i].kind == Tok::kTime ? "T" : t[i].kind == Tok::kValue ? "V" : "L" + t[i].text;
  return s;
}

bool AllOf(const std::set<std::string>& values, bool (*pred)(const std::string&)) {
  return !values.empty() && std::all_of(values.begin(), values.end(), pred);
}
bool Digits(const std::string& v) { return !v.empty() && std::all_of(v.begin(), v.end(), ::isdigit); }
bool Epoch(const std::string& v) {  // %n: seconds.milliseconds
  auto d = v.find('.');
  return d >= 9 && d != std::string::npos && v.size() - d == 4 && Digits(v.substr(0, d)) && Digits(v.substr(d + 1));
}
bool SessionId(const std::string& v) {  // %c: hex start time '.' hex pid
  auto d = v.find('.');
  return d != std::string::npos && d > 0 && d + 1 < v.size() &&
         std::all_of(v.begin(), v.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '.'; });
}
bool SqlState(const std::string& v) {
  return v.size() == 5 && std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(c) || std::isupper(c); });
}

char FromLabel(std::string label) {
  std::transform(label.begin(), label.end(), label.begin(), ::tolower);
  static const std::map<std::string, char> kLabels = {
      {"user", 'u'}, {"usr", 'u'}, {"u", 'u'}, {"role", 'u'}, {"db", 'd'}, {"database", 'd'}, {"dbname", 'd'},
      {"d", 'd'}, {"app", 'a'}, {"application", 'a'}, {"appname", 'a'}, {"a", 'a'}, {"client", 'h'},
      {"host", 'h'}, {"remote", 'r'}, {"h", 'h'}, {"pid", 'p'}, {"p", 'p'}, {"process", 'p'}, {"line", 'l'},
      {"l", 'l'}, {"session", 'c'}, {"sess", 'c'}, {"c", 'c'}, {"xid", 'x'}, {"txid", 'x'}, {"x", 'x'},
      {"vxid", 'v'}, {"v", 'v'}, {"sqlstate", 'e'}, {"state", 'e'}, {"e", 'e'}, {"tag", 'i'}, {"cmd", 'i'},
      {"backend", 'b'}, {"b", 'b'}, {"queryid", 'Q'}};
  auto it = kLabels.find(label);
  return it == kLabels.end() ? 0 : it->second;
}

}  // namespace

std::string InferLinePrefix(const std::vector<std::string_view>& lines) {
  std::vector<std::vector<Tok>> toks;
  std::set<std::string> users, dbs, apps;
  for (auto l : lines) {
    if (l.empty() || l[0] == '\t') continue;
    size_t sev = FindSeverity(l);
    if (sev == std::string_view::npos) continue;
    toks.push_back(Tokenize(l.substr(0, sev)));
    auto msg = l.substr(sev);
    if (auto a = msg.find("connection authorized: "); a != std::string_view::npos) {
      auto field = [&](std::string_view k, std::set<std::string>& into) {
        auto p = msg.find(k, a);
        if (p == std::string_view::npos) return;
        p += k.size();
        into.insert(std::string(msg.substr(p, msg.find(' ', p) == std::string_view::npos ? std::string_view::npos : msg.find(' ', p) - p)));
      };
      field("user=", users);
      field("database=", dbs);
      field("application_name=", apps);
    }
  }
  if (toks.empty()) return {};
  // The most common full shape is the clients'; the longest is preferred on ties.
  std::map<std::string, std::pair<int, size_t>> shapes;
  for (size_t i = 0; i < toks.size(); ++i) {
    auto& s = shapes[Shape(toks[i], toks[i].size())];
    if (s.first++ == 0) s.second = i;
  }
  auto best = std::max_element(shapes.begin(), shapes.end(), [&](auto& a, auto& b) {
    return a.second.first != b.second.first ? a.second.first < b.second.first : a.first.size() < b.first.size();
  });
  const auto& model = toks[best->second.second];
  const std::string model_shape = best->first;
  std::vector<const std::vector<Tok>*> same;
  for (const auto& t : toks)
    if (Shape(t, t.size()) == model_shape) same.push_back(&t);
  // %q: background processes write a shorter prefix that is the start of the clients'.
  size_t q_at = 0;
  for (const auto& [shape, seen] : shapes)
    if (shape.size() < model_shape.size() && model_shape.starts_with(shape) && toks[seen.second].size() > q_at)
      q_at = toks[seen.second].size();
  std::vector<std::set<std::string>> values(model.size());
  for (const auto* t : same)
    for (size_t k = 0; k < model.size(); ++k) values[k].insert((*t)[k].text);
  std::vector<char> esc(model.size(), 0);
  // A virtual transaction id, "3/12": two numbers around a '/'.
  for (size_t k = 0; k + 2 < model.size(); ++k)
    if (model[k].kind == Tok::kValue && model[k + 1].text == "/" && model[k + 2].kind == Tok::kValue &&
        AllOf(values[k], Digits) && AllOf(values[k + 2], Digits) && values[k + 2].size() > 1) {
      esc[k] = 'v';
      esc[k + 2] = '-';  // read by the %v before it
    }
  int times = 0;
  bool have_pid = false, has_session = false;
  for (size_t k = 0; k < model.size(); ++k)
    has_session = has_session || (model[k].kind == Tok::kValue && values[k].size() > 1 && AllOf(values[k], SessionId) &&
                                   !AllOf(values[k], Epoch));
  // Values that stay the same in this stretch of log but name a field: labelled ones, and the
  // user, database and application the server's connection lines name (each taken once).
  std::set<char> taken;
  for (size_t k = 0; k < model.size(); ++k) {
    if (model[k].kind != Tok::kValue || values[k].size() != 1 || esc[k]) continue;
    char label = k >= 2 && model[k - 1].kind == Tok::kLiteral && model[k - 2].kind == Tok::kValue &&
                         values[k - 2].size() == 1 ? FromLabel(model[k - 2].text) : 0;
    const auto& v = *values[k].begin();
    char e = label ? label : users.count(v) && !taken.count('u') ? 'u' : dbs.count(v) && !taken.count('d') ? 'd'
                           : apps.count(v) && !taken.count('a') ? 'a' : 0;
    if (e) { esc[k] = e; taken.insert(e); have_pid = have_pid || e == 'p'; }
  }
  for (size_t k = 0; k < model.size(); ++k) {
    if (model[k].kind == Tok::kTime) {
      esc[k] = times++ ? 's' : model[k].text.find('.') != std::string::npos ? 'm' : 't';
      continue;
    }
    if (model[k].kind != Tok::kValue || values[k].size() < 2 || esc[k]) continue;  // constant: literal
    // A label just before: "user=", "pid:", "db "...
    if (k >= 2 && model[k - 1].kind == Tok::kLiteral && model[k - 2].kind == Tok::kValue && values[k - 2].size() == 1)
      esc[k] = FromLabel(model[k - 2].text);
    if (esc[k]) { have_pid = have_pid || esc[k] == 'p'; taken.insert(esc[k]); continue; }
    const auto& v = values[k];
    if (AllOf(v, Epoch)) esc[k] = 'n';
    else if (AllOf(v, SqlState) && v.count("00000")) esc[k] = 'e';  // success is 00000
    else if (AllOf(v, Digits) && !have_pid && !has_session) { esc[k] = 'p'; have_pid = true; }
    else if (AllOf(v, Digits)) esc[k] = 'l';
    else if (AllOf(v, SessionId)) esc[k] = 'c';
    else if (AllOf(v, SqlState)) esc[k] = 'e';
    else if (k + 2 < model.size() && model[k + 1].text == "@" && model[k + 2].kind == Tok::kValue) taken.insert(esc[k] = 'u');
    else if (k >= 2 && model[k - 1].text == "@" && esc[k - 2] == 'u') taken.insert(esc[k] = 'd');
    else {
      auto within = [&](const std::set<std::string>& known) {
        return std::all_of(v.begin(), v.end(), [&](const std::string& x) { return known.count(x) > 0; });
      };
      esc[k] = within(users) && !taken.count('u') ? 'u' : within(dbs) && !taken.count('d') ? 'd'
               : within(apps) && !taken.count('a') ? 'a' : 'b';
      taken.insert(esc[k]);
    }
  }
  std::string prefix;
  for (size_t k = 0; k < model.size(); ++k) {
    if (q_at && k == q_at) prefix += "%q";
    if (esc[k] == '-') continue;
    if (esc[k] == 'v') { prefix += "%v"; k += 1; continue; }
    if (esc[k]) prefix += std::string("%") + esc[k];
    else if (model[k].text == "%") prefix += "%%";
    else prefix += model[k].text;
  }
  bool time = prefix.find("%m") != std::string::npos || prefix.find("%t") != std::string::npos ||
              prefix.find("%n") != std::string::npos;
  bool process = prefix.find("%p") != std::string::npos || prefix.find("%c") != std::string::npos;
  return time && process ? prefix : std::string();
}

}  // namespace dbw::query
