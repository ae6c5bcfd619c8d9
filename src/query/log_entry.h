// Log entries: PostgreSQL server log lines (stderr with a log_line_prefix, csvlog, jsonlog) read
// into one record per message, with continuation lines joined. Streaming: entries are handed to a
// callback as soon as they are complete.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dbw::query {

struct LogEntry {
  std::string time;
  std::string session;   // pid, or the session id when the format has one
  std::string user, database, application, sqlstate;
  std::string severity;  // LOG, ERROR, STATEMENT, DETAIL ...
  std::string message;
  std::string detail;
  std::string statement; // csvlog/jsonlog: the query the message belongs to
  std::string vxid, xid; // virtual and real transaction ids (%v, %x; csvlog and jsonlog fields)
};

enum class LogFormat { kStderr, kCsv, kJson };

// A log_line_prefix compiled for matching; escapes with a time (%t %m %n %s) and a process
// (%p %c) are required to tell entries apart.
class LinePrefix {
 public:
  // Throws Error(kUsage) when the prefix has no time or no process escape.
  static LinePrefix Compile(std::string_view prefix);
  // Matches the prefix at the start of line; on success fills e and returns the byte offset of
  // the text after it, else -1.
  int Match(std::string_view line, LogEntry& e) const;
  const std::string& text() const { return text_; }

 private:
  struct Token {
    char escape = 0;      // 0: literal
    std::string literal;
  };
  std::string text_;
  std::vector<Token> tokens_;
};

// Detects the format and, for stderr logs, the prefix from the first lines of a log.
// Returns false when no known prefix matches (then the caller asks for --prefix).
bool DetectLogFormat(std::string_view head, LogFormat& format, std::string& prefix);

// Turns lines into entries. Feed() takes one line (without '\n'); Finish() flushes the last entry.
class EntryReader {
 public:
  EntryReader(LogFormat format, std::string prefix, std::function<void(LogEntry&)> sink);
  void Feed(std::string_view line);
  void Finish();
  long long malformed() const { return malformed_; }
  long long lines() const { return lines_; }

 private:
  void FeedStderr(std::string_view line);
  void FeedCsv(std::string_view line);
  void FeedJson(std::string_view line);
  void Emit();

  LogFormat format_;
  LinePrefix prefix_;
  std::function<void(LogEntry&)> sink_;
  LogEntry pending_, scratch_;
  bool has_pending_ = false;
  std::string csv_record_;  // a CSV record spanning lines (quoted newlines)
  long long malformed_ = 0, lines_ = 0;
};

// One CSV record's fields (RFC 4180 quoting, as csvlog and psql's \copy ... csv write).
std::vector<std::string> CsvFields(std::string_view record);
// True when the CSV text so far has an open quoted field (the record continues on the next line).
bool OpenQuote(std::string_view record);

}  // namespace dbw::query
