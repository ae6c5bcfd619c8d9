#include "pg/result.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <utility>

#include "core/status.h"

namespace dbw::pg {

Result::Result(PGresult* res) : res_(res) {}
Result::Result(Result&& o) noexcept : res_(std::exchange(o.res_, nullptr)) {}
Result& Result::operator=(Result&& o) noexcept {
  if (this != &o) {
    if (res_) PQclear(res_);
    res_ = std::exchange(o.res_, nullptr);
  }
  return *this;
}
Result::~Result() {
  if (res_) PQclear(res_);
}

int Result::rows() const { return res_ ? PQntuples(res_) : 0; }
int Result::columns() const { return res_ ? PQnfields(res_) : 0; }

int Result::column(std::string_view name) const {
  int n = columns();
  for (int i = 0; i < n; ++i)
    if (name == PQfname(res_, i)) return i;
  throw Error(ErrorKind::kInternal, "result has no column '" + std::string(name) + "'");
}

std::string_view Result::name(int col) const { return PQfname(res_, col); }
bool Result::is_null(int row, int col) const { return PQgetisnull(res_, row, col) != 0; }

std::string Result::get(int row, int col) const {
  if (is_null(row, col)) return {};
  return std::string(PQgetvalue(res_, row, col), PQgetlength(res_, row, col));
}

long long Result::get_int(int row, std::string_view col) const {
  int c = column(col);
  return is_null(row, c) ? 0 : std::strtoll(PQgetvalue(res_, row, c), nullptr, 10);
}

double Result::get_double(int row, std::string_view col) const {
  int c = column(col);
  return is_null(row, c) ? 0 : std::strtod(PQgetvalue(res_, row, c), nullptr);
}

bool Result::get_bool(int row, std::string_view col) const {
  int c = column(col);
  return !is_null(row, c) && PQgetvalue(res_, row, c)[0] == 't';
}

long long Result::affected() const {
  const char* s = res_ ? PQcmdTuples(res_) : "";
  return *s ? std::strtoll(s, nullptr, 10) : 0;
}

}  // namespace dbw::pg
