#include "datagen/types.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdio>

#include "core/status.h"
#include "datagen/random.h"

namespace dbw::datagen {

bool TypeInfo::Integral() const {
  switch (kind) {
    case Kind::kInt2: case Kind::kInt4: case Kind::kInt8: case Kind::kNumeric: case Kind::kMoney:
    case Kind::kDate: case Kind::kTimestamp: case Kind::kTimestampTz: case Kind::kTime:
    case Kind::kInterval:
      return true;
    default:
      return false;
  }
}

bool TypeInfo::Temporal() const {
  return kind == Kind::kDate || kind == Kind::kTimestamp || kind == Kind::kTimestampTz ||
         kind == Kind::kTime || kind == Kind::kInterval;
}

namespace {

Kind KindOf(const std::string& n) {
  static const std::map<std::string, Kind> kinds = {
      {"bool", Kind::kBool}, {"int2", Kind::kInt2}, {"int4", Kind::kInt4}, {"int8", Kind::kInt8},
      {"float4", Kind::kFloat4}, {"float8", Kind::kFloat8}, {"numeric", Kind::kNumeric},
      {"money", Kind::kMoney}, {"text", Kind::kText}, {"varchar", Kind::kText},
      {"bpchar", Kind::kText}, {"bytea", Kind::kBytea}, {"date", Kind::kDate},
      {"timestamp", Kind::kTimestamp}, {"timestamptz", Kind::kTimestampTz}, {"time", Kind::kTime},
      {"interval", Kind::kInterval}, {"uuid", Kind::kUuid}, {"json", Kind::kJson},
      {"jsonb", Kind::kJsonb}, {"inet", Kind::kInet}, {"cidr", Kind::kCidr}, {"tsvector", Kind::kTsvector}};
  auto it = kinds.find(n);
  return it == kinds.end() ? Kind::kUnsupported : it->second;
}

}  // namespace

const TypeInfo& Subtype(const TypeInfo& t) {
  if (t.kind == Kind::kRange) return *t.element;
  if (t.kind == Kind::kMultirange) return *t.element->element;
  return t;
}

size_t ArrayItems(size_t n1, int dims) { return n1 << (std::max(dims, 1) - 1); }

TypeInfo TypeResolver::Resolve(unsigned oid, int typmod) {
  auto key = std::make_pair(oid, typmod);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  auto r = conn_.Exec(
      "SELECT t.typname, t.typtype, t.typelem, t.typbasetype, t.typtypmod, t.typcategory, "
      "n.nspname, format_type(t.oid, $2::int) AS fmt, "
      "(SELECT rngsubtype FROM pg_range WHERE rngtypid = t.oid) AS sub "
      "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = $1::oid",
      {std::to_string(oid), std::to_string(typmod)});
  TypeInfo t;
  t.oid = oid;
  if (r.rows() == 1) {
    t.name = r.get(0, "fmt");
    std::string typname = r.get(0, "typname"), typtype = r.get(0, "typtype");
    if (typtype == "d") {
      int base_mod = static_cast<int>(r.get_int(0, "typtypmod"));
      TypeInfo base = Resolve(static_cast<unsigned>(r.get_int(0, "typbasetype")), base_mod);
      base.name = t.name;
      base.oid = oid;  // an array of the domain names the domain as its element type
      auto checks = conn_.Exec("SELECT conname, pg_get_expr(conbin, 0, true) AS expr FROM pg_constraint "
                               "WHERE contypid = $1::oid AND contype = 'c' ORDER BY conname", {std::to_string(oid)});
      for (int i = 0; i < checks.rows(); ++i) base.checks.emplace_back(checks.get(i, "conname"), checks.get(i, "expr"));
      return cache_[key] = base;
    }
    if (typtype == "e") {
      t.kind = Kind::kEnum;
      auto labels = conn_.Exec("SELECT enumlabel FROM pg_enum WHERE enumtypid = $1::oid ORDER BY enumsortorder",
                               {std::to_string(oid)});
      for (int i = 0; i < labels.rows(); ++i) t.labels.push_back(labels.get(i, 0));
    } else if (typtype == "r") {
      TypeInfo sub = Resolve(static_cast<unsigned>(r.get_int(0, "sub")), -1);
      if ((sub.kind == Kind::kInt4 || sub.kind == Kind::kInt8 || sub.kind == Kind::kNumeric || sub.kind == Kind::kDate ||
           sub.kind == Kind::kTimestamp || sub.kind == Kind::kTimestampTz) && sub.checks.empty()) {
        t.kind = Kind::kRange;
        t.element = std::make_shared<TypeInfo>(sub);
      }
    } else if (typtype == "m") {
      auto range = conn_.Exec("SELECT rngtypid FROM pg_range WHERE rngmultitypid = $1::oid", {std::to_string(oid)});
      if (range.rows() == 1) {
        TypeInfo rt = Resolve(static_cast<unsigned>(range.get_int(0, "rngtypid")), -1);
        if (rt.kind == Kind::kRange) {
          t.kind = Kind::kMultirange;
          t.element = std::make_shared<TypeInfo>(rt);
        }
      }
    } else if (r.get(0, "typcategory") == "A" && r.get_int(0, "typelem") != 0) {
      // Elements are not held to a domain's CHECK constraints: an array of such a domain is not generated.
      TypeInfo elem = Resolve(static_cast<unsigned>(r.get_int(0, "typelem")), typmod);
      if (elem.kind != Kind::kUnsupported && elem.kind != Kind::kArray && elem.checks.empty()) {
        t.kind = Kind::kArray;
        t.element = std::make_shared<TypeInfo>(elem);
      }
    } else if (r.get(0, "nspname") == "pg_catalog") {
      t.kind = KindOf(typname);
      if ((typname == "varchar" || typname == "bpchar") && typmod >= 4) t.max_length = typmod - 4;
      t.fixed_char = typname == "bpchar";
      if (t.kind == Kind::kNumeric) {
        if (typmod >= 4) {
          t.precision = ((typmod - 4) >> 16) & 0xffff;
          t.scale = (typmod - 4) & 0xffff;
          if (t.scale > 0x7ff) t.scale = 0;  // negative scales (PG15): treat as integers
        } else {
          t.precision = 14;
          t.scale = 2;
        }
      }
    }
  }
  return cache_[key] = t;
}

void PutU32(std::string& out, uint32_t v) {
  char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  out.append(b, 4);
}

void PutU64(std::string& out, uint64_t v) {
  PutU32(out, static_cast<uint32_t>(v >> 32));
  PutU32(out, static_cast<uint32_t>(v));
}

void EncodeHeader(std::string& out) {
  out.append("PGCOPY\n\377\r\n\0", 11);
  PutU32(out, 0);
  PutU32(out, 0);
}

void EncodeTrailer(std::string& out) { PutU16(out, 0xffff); }

namespace {

// NUMERIC's binary form: base-10000 digits of |v| / 10^scale with a weight and a sign.
void EncodeNumeric(int64_t v, int scale, std::string& out) {
  U128 a = v < 0 ? static_cast<U128>(-(v + 1)) + 1 : static_cast<U128>(v);
  int pad = (4 - scale % 4) % 4;
  for (int i = 0; i < pad; ++i) a *= 10;
  int frac_groups = (scale + pad) / 4;
  uint16_t groups[16];
  int n = 0;
  while (a > 0) {
    groups[n++] = static_cast<uint16_t>(a % 10000);
    a /= 10000;
  }
  // groups[0] is the least significant; drop trailing zero groups (least significant end).
  int low = 0;
  while (low < n && groups[low] == 0) ++low;
  int ndigits = n - low;
  int weight = n - frac_groups - 1;
  size_t len_pos = out.size();
  PutU32(out, 0);
  PutU16(out, static_cast<uint16_t>(ndigits));
  PutU16(out, static_cast<uint16_t>(ndigits ? weight : 0));
  PutU16(out, v < 0 ? 0x4000 : 0);
  PutU16(out, static_cast<uint16_t>(scale));
  for (int i = n - 1; i >= low; --i) PutU16(out, groups[i]);
  uint32_t len = static_cast<uint32_t>(out.size() - len_pos - 4);
  out[len_pos] = char(len >> 24); out[len_pos + 1] = char(len >> 16);
  out[len_pos + 2] = char(len >> 8); out[len_pos + 3] = char(len);
}

void EncodeBody(const TypeInfo& t, const Value& v, std::string& out);

void EncodeSized(const TypeInfo& t, const Value& v, std::string& out) {
  size_t len_pos = out.size();
  PutU32(out, 0);
  EncodeBody(t, v, out);
  uint32_t len = static_cast<uint32_t>(out.size() - len_pos - 4);
  out[len_pos] = char(len >> 24); out[len_pos + 1] = char(len >> 16);
  out[len_pos + 2] = char(len >> 8); out[len_pos + 3] = char(len);
}

void EncodeBody(const TypeInfo& t, const Value& v, std::string& out) {
  switch (t.kind) {
    case Kind::kBool: out.push_back(v.i ? 1 : 0); break;
    case Kind::kInt2: PutU16(out, static_cast<uint16_t>(v.i)); break;
    case Kind::kInt4: case Kind::kDate: PutU32(out, static_cast<uint32_t>(v.i)); break;
    case Kind::kInt8: case Kind::kMoney: case Kind::kTimestamp: case Kind::kTimestampTz: case Kind::kTime:
      PutU64(out, static_cast<uint64_t>(v.i)); break;
    case Kind::kInterval: PutU64(out, static_cast<uint64_t>(v.i)); PutU32(out, 0); PutU32(out, 0); break;
    case Kind::kFloat4: { float f = static_cast<float>(v.d); uint32_t u; std::memcpy(&u, &f, 4); PutU32(out, u); break; }
    case Kind::kFloat8: { uint64_t u; std::memcpy(&u, &v.d, 8); PutU64(out, u); break; }
    case Kind::kJsonb: out.push_back(1); out += v.s; break;
    case Kind::kText: case Kind::kBytea: case Kind::kJson: case Kind::kEnum: case Kind::kUuid:
      out += v.s; break;
    case Kind::kInet: case Kind::kCidr:  // family, prefix bits, is_cidr, address length, address
      out.push_back(2); out.push_back(static_cast<char>(t.kind == Kind::kCidr ? v.i2 : 32));
      out.push_back(t.kind == Kind::kCidr ? 1 : 0); out.push_back(4);
      PutU32(out, static_cast<uint32_t>(v.i)); break;
    case Kind::kTsvector:  // lexemes in order, each NUL-terminated with its positions
      PutU32(out, static_cast<uint32_t>(v.items.size()));
      for (const auto& lexeme : v.items) {
        out += lexeme.s;
        out.push_back('\0');
        PutU16(out, 1);
        PutU16(out, static_cast<uint16_t>(lexeme.i));
      }
      break;
    case Kind::kArray: {
      const TypeInfo& e = *t.element;
      int dims = v.items.empty() ? 0 : std::max(t.dims, 1);
      PutU32(out, static_cast<uint32_t>(dims));
      PutU32(out, 0);
      PutU32(out, e.oid);
      for (int k = 0; k < dims; ++k) {
        PutU32(out, static_cast<uint32_t>(k == 0 ? v.items.size() / ArrayItems(1, dims) : 2));
        PutU32(out, 1);
      }
      for (const auto& item : v.items) EncodeField(e, item, out);
      break;
    }
    case Kind::kRange: {
      out.push_back(0x02);  // [lower, upper)
      Value lo, hi;
      lo.i = v.i;
      hi.i = v.i2;
      EncodeField(*t.element, lo, out);
      EncodeField(*t.element, hi, out);
      break;
    }
    case Kind::kMultirange:
      PutU32(out, static_cast<uint32_t>(v.items.size()));
      for (const auto& range : v.items) EncodeField(*t.element, range, out);
      break;
    case Kind::kNumeric: case Kind::kUnsupported: break;
  }
}

}  // namespace

void EncodeField(const TypeInfo& t, const Value& v, std::string& out) {
  if (v.null) return PutU32(out, 0xffffffffu);
  if (t.kind == Kind::kNumeric) return EncodeNumeric(v.i, t.scale, out);
  EncodeSized(t, v, out);
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468 - 10957;  // 10957: 1970 -> 2000
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468 + 10957;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

namespace {

std::string Scaled(int64_t v, int scale) {
  std::string s = std::to_string(v < 0 ? -v : v);
  if (scale > 0) {
    if (static_cast<int>(s.size()) <= scale) s.insert(0, scale - s.size() + 1, '0');
    s.insert(s.size() - scale, ".");
  }
  return (v < 0 ? "-" : "") + s;
}

std::string Timestamp(int64_t us, bool date_only) {
  int64_t days = us / kMicrosPerDay, rest = us % kMicrosPerDay;
  if (rest < 0) { rest += kMicrosPerDay; --days; }
  int64_t y; unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buf[64];
  if (date_only) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  } else {
    long long secs = rest / 1000000;
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld.%06lld", static_cast<long long>(y),
                  m, d, secs / 3600, secs / 60 % 60, secs % 60, static_cast<long long>(rest % 1000000));
  }
  return buf;
}

[[noreturn]] void Bad(const std::string& what, const std::string& text, const TypeInfo& t) {
  throw Error(ErrorKind::kInput, what + ": '" + text + "' is not a valid " + t.name + " value");
}

int64_t ParseScaled(const std::string& text, int scale, const std::string& what, const TypeInfo& t) {
  std::string s = text;
  bool neg = !s.empty() && s[0] == '-';
  if (neg || (!s.empty() && s[0] == '+')) s.erase(0, 1);
  auto dot = s.find('.');
  std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  if (whole.empty() && frac.empty()) Bad(what, text, t);
  for (char c : whole + frac) if (c < '0' || c > '9') Bad(what, text, t);
  if (static_cast<int>(frac.size()) > scale) frac.resize(scale);
  frac.append(scale - frac.size(), '0');
  std::string digits = whole + frac;
  if (digits.size() > 18) Bad(what, text, t);
  int64_t v = digits.empty() ? 0 : std::stoll(digits);
  return neg ? -v : v;
}

// "YYYY-MM-DD", optionally followed by " HH:MM[:SS[.ffffff]]" and a zone "+HH[:MM]", "-HH" or "Z".
int64_t ParseTimestamp(const std::string& text, bool with_zone, const std::string& what, const TypeInfo& t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, consumed = 0;
  double sec = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d%n", &y, &mo, &d, &consumed) != 3 || mo < 1 || mo > 12 || d < 1 || d > 31)
    Bad(what, text, t);
  std::string rest = text.substr(consumed);
  if (!rest.empty() && (rest[0] == ' ' || rest[0] == 'T')) {
    int n = 0;
    if (std::sscanf(rest.c_str() + 1, "%d:%d%n", &h, &mi, &n) != 2) Bad(what, text, t);
    rest = rest.substr(1 + n);
    if (!rest.empty() && rest[0] == ':') {
      char* end = nullptr;
      sec = std::strtod(rest.c_str() + 1, &end);
      rest = end;
    }
  }
  int64_t offset_min = 0;
  if (!rest.empty() && (rest[0] == '+' || rest[0] == '-')) {
    int oh = 0, om = 0;
    std::sscanf(rest.c_str() + 1, "%d:%d", &oh, &om);
    offset_min = (rest[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else if (!rest.empty() && rest != "Z" && rest.find_first_not_of(' ') != std::string::npos) {
    Bad(what, text, t);
  }
  int64_t us = DaysFromCivil(y, mo, d) * kMicrosPerDay + (h * 3600LL + mi * 60LL) * 1000000 +
               static_cast<int64_t>(std::llround(sec * 1e6));
  if (with_zone) us -= offset_min * 60 * 1000000;
  return us;
}

}  // namespace

std::string ValueText(const TypeInfo& t, const Value& v) {
  if (v.null) return "NULL";
  switch (t.kind) {
    case Kind::kBool: return v.i ? "true" : "false";
    case Kind::kInt2: case Kind::kInt4: case Kind::kInt8: return std::to_string(v.i);
    case Kind::kInet: case Kind::kCidr:
      return std::to_string(v.i >> 24 & 255) + "." + std::to_string(v.i >> 16 & 255) + "." + std::to_string(v.i >> 8 & 255) +
             "." + std::to_string(v.i & 255) + "/" + std::to_string(t.kind == Kind::kCidr ? v.i2 : 32);
    case Kind::kNumeric: return Scaled(v.i, t.scale);
    case Kind::kMoney: return Scaled(v.i, 2);
    case Kind::kFloat4: case Kind::kFloat8: { char b[32]; std::snprintf(b, sizeof b, "%.17g", v.d); return b; }
    case Kind::kDate: return Timestamp(v.i * kMicrosPerDay, true);
    case Kind::kTimestamp: case Kind::kTimestampTz: return Timestamp(v.i, false);
    case Kind::kTime: case Kind::kInterval: return std::to_string(v.i) + "us";
    case Kind::kRange: {
      Value lo, hi;
      lo.i = v.i;
      hi.i = v.i2;
      return "[" + ValueText(*t.element, lo) + "," + ValueText(*t.element, hi) + ")";
    }
    case Kind::kArray: case Kind::kMultirange: {
      std::string s = "{";
      for (size_t k = 0; k < v.items.size(); ++k) s += (k ? "," : "") + ValueText(*t.element, v.items[k]);
      return s + "}";
    }
    case Kind::kTsvector: {
      std::string s;
      for (const auto& lexeme : v.items) s += (s.empty() ? "'" : " '") + lexeme.s + "':" + std::to_string(lexeme.i);
      return s;
    }
    default: return v.s;
  }
}

Value ParseLiteral(const TypeInfo& t, const std::string& text, const std::string& what) {
  Value v;
  try {
    switch (t.kind) {
      case Kind::kBool:
        if (text == "t" || text == "true" || text == "1") v.i = 1;
        else if (!(text == "f" || text == "false" || text == "0")) Bad(what, text, t);
        break;
      case Kind::kInt2: case Kind::kInt4: case Kind::kInt8: {
        size_t used = 0;
        v.i = std::stoll(text, &used);
        if (used != text.size()) Bad(what, text, t);
        break;
      }
      case Kind::kNumeric: v.i = ParseScaled(text, t.scale, what, t); break;
      case Kind::kMoney: {
        std::string s;
        for (char c : text) if (c != '$' && c != ',') s += c;
        v.i = ParseScaled(s, 2, what, t);
        break;
      }
      case Kind::kFloat4: case Kind::kFloat8: {
        size_t used = 0;
        v.d = std::stod(text, &used);
        if (used != text.size()) Bad(what, text, t);
        break;
      }
      case Kind::kDate: v.i = ParseTimestamp(text, false, what, t) / kMicrosPerDay; break;
      case Kind::kTimestamp: v.i = ParseTimestamp(text, false, what, t); break;
      case Kind::kTimestampTz: v.i = ParseTimestamp(text, true, what, t); break;
      case Kind::kEnum: {
        bool found = false;
        for (const auto& l : t.labels) found |= l == text;
        if (!found) Bad(what, text, t);
        v.s = text;
        break;
      }
      case Kind::kText:
        v.s = text;
        if (t.max_length >= 0 && static_cast<int>(v.s.size()) > t.max_length) Bad(what, text, t);
        break;
      case Kind::kJson: case Kind::kJsonb: v.s = text; break;
      default: Bad(what, text, t);
    }
  } catch (const std::logic_error&) {
    Bad(what, text, t);
  }
  return v;
}

}  // namespace dbw::datagen
