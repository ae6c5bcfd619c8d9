#include "pg/connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <regex>
#include <utility>

#include "core/status.h"

namespace dbw::pg {
namespace {

void CollectNotice(void* arg, const PGresult* res) {
  auto* notices = static_cast<std::vector<std::string>*>(arg);
  const char* msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  if (msg) notices->emplace_back(msg);
}

// The server's message with its SQLSTATE; libpq's own message when there is no result.
Error ServerError(PGconn* conn, const PGresult* res) {
  std::string sqlstate, message;
  int position = 0;
  if (res) {
    if (const char* p = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION)) position = std::atoi(p);
    if (const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE)) sqlstate = s;
    if (const char* m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) message = m;
    if (const char* d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL))
      message += std::string(" (") + d + ")";
  }
  if (message.empty()) {
    message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
  }
  ErrorKind kind = PQstatus(conn) == CONNECTION_OK ? ErrorKind::kServer : ErrorKind::kConnection;
  if (sqlstate.empty()) return Error(kind, message);
  return Error(kind, message, sqlstate, position);
}

Result Check(PGconn* conn, PGresult* res) {
  Result r(res);
  if (!res) throw ServerError(conn, nullptr);
  auto st = PQresultStatus(res);
  if (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE || st == PGRES_NONFATAL_ERROR)
    throw ServerError(conn, res);
  return r;
}

// libpq's connection failure text names host and user but never the password; we still strip
// anything that looks like one in case a future libpq echoes the conninfo.
std::string ConnectFailure(PGconn* conn, const std::string& conninfo) {
  std::string msg = PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  for (auto pos = msg.find('\n'); pos != std::string::npos; pos = msg.find('\n')) msg[pos] = ' ';
  std::string hint;
  if (msg.find("password authentication failed") != std::string::npos)
    hint = " Check the user and password (PGPASSWORD or ~/.pgpass).";
  else if (msg.find("Connection refused") != std::string::npos ||
           msg.find("No such file or directory") != std::string::npos)
    hint = " Is the server running and is the host/port right?";
  else if (msg.find("does not exist") != std::string::npos)
    hint = " Check the database and user names.";
  return "cannot connect to " + RedactConninfo(conninfo) + ": " + msg + "." + hint;
}

}  // namespace

std::string RedactConninfo(const std::string& conninfo) {
  if (conninfo.empty()) return "the default server (PG* variables)";
  std::string s = conninfo;
  // URI form: scheme://user:password@host
  static const std::regex uri_pw(R"(^([a-zA-Z]+://[^/:@]*):[^@/]*@)");
  s = std::regex_replace(s, uri_pw, "$1:***@");
  // URI query parameter and keyword/value form: password=...
  static const std::regex kv_pw(R"((^|[\s?&])password\s*=\s*('(\\.|[^'])*'|[^\s&]*))");
  s = std::regex_replace(s, kv_pw, "$1password=***");
  return s;
}

Connection Connection::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn) throw Error(ErrorKind::kConnection, "out of memory while connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = ConnectFailure(conn, conninfo);
    PQfinish(conn);
    throw Error(ErrorKind::kConnection, msg);
  }
  return Connection(conn);
}

Connection Connection::Clone() const {
  PQconninfoOption* options = PQconninfo(conn_);
  if (!options) throw Error(ErrorKind::kConnection, "out of memory while cloning a connection");
  std::vector<const char*> keys, values;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val) continue;
    keys.push_back(o->keyword);
    values.push_back(o->val);
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 0);
  PQconninfoFree(options);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = conn ? PQerrorMessage(conn) : "out of memory";
    if (conn) PQfinish(conn);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    throw Error(ErrorKind::kConnection, "cannot open a second connection: " + msg);
  }
  return Connection(conn);
}

Connection::Connection(PGconn* conn)
    : conn_(conn), notices_(std::make_shared<std::vector<std::string>>()) {
  PQsetNoticeReceiver(conn_, CollectNotice, notices_.get());
}
Connection::Connection(Connection&& o) noexcept
    : conn_(std::exchange(o.conn_, nullptr)), notices_(std::move(o.notices_)) {}
Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    if (conn_) PQfinish(conn_);
    conn_ = std::exchange(o.conn_, nullptr);
    notices_ = std::move(o.notices_);
  }
  return *this;
}
Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Result Connection::Exec(std::string_view sql, const std::vector<Param>& params) {
  std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Check(conn_, PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                   values.data(), nullptr, nullptr, 0));
}

void Connection::ExecScript(std::string_view sql) {
  std::string text(sql);
  if (!PQsendQuery(conn_, text.c_str())) throw ServerError(conn_, nullptr);
  std::optional<Error> first;
  while (PGresult* res = PQgetResult(conn_)) {
    Result r(res);
    auto st = PQresultStatus(res);
    if (!first && (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE))
      first = ServerError(conn_, res);
    if (st == PGRES_COPY_IN) PQputCopyEnd(conn_, "COPY FROM STDIN is not supported in scripts");
  }
  if (first) throw *first;
}

long long Connection::CopyIn(std::string_view copy_sql, std::string_view data) {
  CopyStart(copy_sql);
  constexpr size_t kChunk = 1 << 20;
  for (size_t off = 0; off < data.size(); off += kChunk) CopyPut(data.substr(off, kChunk));
  return CopyEnd();
}

void Connection::CopyStart(std::string_view copy_sql) {
  Result start(PQexec(conn_, std::string(copy_sql).c_str()));
  if (PQresultStatus(start.raw()) != PGRES_COPY_IN) throw ServerError(conn_, start.raw());
}

void Connection::CopyPut(std::string_view data) {
  if (!data.empty() && PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1)
    throw ServerError(conn_, nullptr);
}

long long Connection::CopyEnd() {
  if (PQputCopyEnd(conn_, nullptr) != 1) throw ServerError(conn_, nullptr);
  Result end = Check(conn_, PQgetResult(conn_));
  while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  return end.affected();
}

std::string Connection::CopyOut(std::string_view copy_sql) {
  Result start(PQexec(conn_, std::string(copy_sql).c_str()));
  if (PQresultStatus(start.raw()) != PGRES_COPY_OUT) throw ServerError(conn_, start.raw());
  std::string out;
  char* buf = nullptr;
  int n;
  while ((n = PQgetCopyData(conn_, &buf, 0)) > 0) {
    out.append(buf, n);
    PQfreemem(buf);
  }
  if (n == -2) throw ServerError(conn_, nullptr);
  Check(conn_, PQgetResult(conn_));
  while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  return out;
}

std::string Connection::QuoteIdent(std::string_view ident) const {
  char* q = PQescapeIdentifier(conn_, ident.data(), ident.size());
  if (!q) throw Error(ErrorKind::kInput, "cannot quote identifier: " + std::string(PQerrorMessage(conn_)));
  std::string s(q);
  PQfreemem(q);
  return s;
}

std::string Connection::QuoteLiteral(std::string_view value) const {
  char* q = PQescapeLiteral(conn_, value.data(), value.size());
  if (!q) throw Error(ErrorKind::kInput, "cannot quote literal: " + std::string(PQerrorMessage(conn_)));
  std::string s(q);
  PQfreemem(q);
  return s;
}

int Connection::ServerVersion() const { return PQserverVersion(conn_); }
std::string Connection::Database() const { return PQdb(conn_); }

std::vector<std::string> Connection::TakeNotices() {
  std::vector<std::string> out;
  out.swap(*notices_);
  return out;
}

}  // namespace dbw::pg
