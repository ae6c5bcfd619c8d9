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

// A log_line_prefix compiled for matching: any combination of PostgreSQL's escapes, with their
// optional padding (%-10u, %8p); escapes with a time (%t %m %n) and a process (%p %c) are
// required to tell entries apart.
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
    int width = 0;        // padding: %10p right-aligned (> 0), %-10p left-aligned (< 0)
    std::string literal;
  };
  std::string text_;
  std::vector<Token> tokens_;
};

// Length of a timestamp as %t/%m/%s print it ("2026-11-24 11:10:39[.123] UTC") at the start
// of s, or 0.
size_t TimestampLength(std::string_view s);
// Offset of a line's "SEVERITY:  " (LOG, ERROR, DETAIL ...), or npos.
size_t FindSeverity(std::string_view line);

// True when a stderr log line starts an entry that nothing before it belongs to: it matches the
// prefix and is neither a continuation line nor a DETAIL line (which goes with the entry before).
bool StartsIndependentEntry(const LinePrefix& prefix, std::string_view line);

// Infers the log_line_prefix of stderr log lines whose prefix is none of the usual ones: the
// text before each line's severity, split into timestamps, values and punctuation; values that
// never change are literal, the others become escapes from their labels (user=, db= ...), the
// server's "connection authorized" lines, and their shapes (pid, line number, session id,
// virtual xid, epoch, SQLSTATE); a shorter shape of background processes places %q. Empty
// when no prefix with a time and a process escape comes out.
std::string InferLinePrefix(const std::vector<std::string_view>& lines);

// Detects the format and, for stderr logs, the prefix from the first lines of a log.
// The usual prefixes are tried, and an inferred one (InferLinePrefix); the one that reads most
// lines wins. Returns false when none reads a line (then the caller asks for --prefix).
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
