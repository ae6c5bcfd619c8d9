// Result: an owned PGresult with typed accessors by row and column name or index.
#pragma once

#include <string>
#include <string_view>

typedef struct pg_result PGresult;

namespace dbw::pg {

class Result {
 public:
  explicit Result(PGresult* res = nullptr);
  Result(Result&&) noexcept;
  Result& operator=(Result&&) noexcept;
  ~Result();

  int rows() const;
  int columns() const;
  int column(std::string_view name) const;  // throws Error(kInternal) if absent
  std::string_view name(int col) const;
  bool is_null(int row, int col) const;
  std::string get(int row, int col) const;  // "" for NULL
  std::string get(int row, std::string_view col) const { return get(row, column(col)); }
  long long get_int(int row, std::string_view col) const;  // 0 for NULL
  double get_double(int row, std::string_view col) const;  // 0 for NULL
  bool get_bool(int row, std::string_view col) const;      // 't' is true
  bool is_null(int row, std::string_view col) const { return is_null(row, column(col)); }
  long long affected() const;  // PQcmdTuples
  PGresult* raw() const { return res_; }

 private:
  PGresult* res_ = nullptr;
};

}  // namespace dbw::pg
