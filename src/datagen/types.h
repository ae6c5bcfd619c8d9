// The column types datagen can generate, resolved from the server catalog (domains to their
// base type, arrays to their element), the generated value, and its COPY BINARY encoding.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pg/connection.h"

namespace dbw::datagen {

enum class Kind {
  kBool, kInt2, kInt4, kInt8, kFloat4, kFloat8, kNumeric, kMoney, kText, kBytea, kDate,
  kTimestamp, kTimestampTz, kTime, kInterval, kUuid, kJson, kJsonb, kInet, kCidr, kTsvector, kEnum,
  kArray, kRange, kMultirange, kUnsupported,
};

struct TypeInfo {
  Kind kind = Kind::kUnsupported;
  std::string name;          // format_type, for messages
  unsigned oid = 0;
  int precision = 0;         // numeric
  int scale = 0;             // numeric (scaled integer representation)
  int max_length = -1;       // varchar(n)/char(n); -1 unbounded
  bool fixed_char = false;   // char(n): padded by the server
  int dims = 1;              // array: dimensions (pg_attribute.attndims, at most 3)
  std::vector<std::string> labels;       // enum
  std::shared_ptr<TypeInfo> element;     // array element, range subtype, multirange's range
  // Domain CHECK constraints along the domain chain: (name, expression over VALUE).
  std::vector<std::pair<std::string, std::string>> checks;
  bool Integral() const;     // kinds whose values live in Value::i
  bool Temporal() const;     // date, timestamps, time: Value::i in days or microseconds
};

// One generated value. Numbers live in i (integers, scaled numerics, money cents, days and
// microseconds since 2000-01-01, range lower bound, IPv4 address) or d (floats); strings and
// bytes in s; arrays (row-major; dimensions after the first have 2 elements), multiranges (its
// ranges) and tsvectors (lexeme in s, position in i) in items; ranges use i..i2 (lower
// inclusive, upper exclusive); cidr's prefix length is i2.
struct Value {
  bool null = false;
  int64_t i = 0, i2 = 0;
  double d = 0;
  std::string s;
  std::vector<Value> items;
};

// The scalar a range or multirange is made of (the type itself for other kinds).
const TypeInfo& Subtype(const TypeInfo& t);
// Elements of an array of dims dimensions with n1 entries in the first: n1 x 2 x 2 ...
size_t ArrayItems(size_t n1, int dims);

// Resolves types by OID with a cache (a few small catalog queries per distinct type).
class TypeResolver {
 public:
  explicit TypeResolver(pg::Connection& conn) : conn_(conn) {}
  TypeInfo Resolve(unsigned oid, int typmod);

 private:
  pg::Connection& conn_;
  std::map<std::pair<unsigned, int>, TypeInfo> cache_;
};

// Appends the COPY BINARY field (length word + bytes, or -1 for NULL) for v of type t.
void EncodeField(const TypeInfo& t, const Value& v, std::string& out);
// The COPY BINARY file header and trailer.
void EncodeHeader(std::string& out);
void EncodeTrailer(std::string& out);
inline void PutU16(std::string& out, uint16_t v) { out.push_back(char(v >> 8)); out.push_back(char(v)); }
void PutU32(std::string& out, uint32_t v);
void PutU64(std::string& out, uint64_t v);

// A value as SQL literal text (for messages and tests): numbers, dates and timestamps in ISO
// form, strings as they are.
std::string ValueText(const TypeInfo& t, const Value& v);
// Parses a literal (override value, CHECK constant, partition bound) into a value of type t.
// Throws Error(kInput) naming what when it cannot.
Value ParseLiteral(const TypeInfo& t, const std::string& text, const std::string& what);

// Days since 2000-01-01 of a civil date, and back.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d);
constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

}  // namespace dbw::datagen
