#include "datagen/generator.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/status.h"
#include "datagen/check.h"

namespace dbw::datagen {
namespace {

const char* const kWords[] = {
    "account", "alpha", "amber", "anchor", "apple", "april", "atlas", "autumn", "basin", "beacon",
    "berry", "birch", "blue", "bolt", "branch", "breeze", "bridge", "bronze", "canyon", "cedar",
    "cloud", "comet", "coral", "crystal", "delta", "desert", "dune", "eagle", "echo", "ember",
    "falcon", "fern", "field", "flint", "forest", "frost", "garden", "glacier", "granite", "harbor",
    "hazel", "island", "jade", "juniper", "lake", "lantern", "linen", "maple", "marble", "meadow",
    "mesa", "mint", "orbit", "panda", "pearl", "pine", "prairie", "quartz", "river", "saffron",
    "silver", "stone", "summit", "willow"};
constexpr int kWordCount = 64;
const char kBase36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
// The 68 characters of narrow unique text keys (plan.cc kWideRadix): printable ASCII without
// space and capitals, in byte order.
const char kWideDigits[] = "!\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
static_assert(sizeof kWideDigits - 1 == 68);

void Words(Rng& rng, size_t len, std::string& out) {
  size_t start = out.size();
  while (out.size() - start < len) {
    if (out.size() > start) out.push_back(' ');
    out += kWords[rng.Below(kWordCount)];
  }
  out.resize(start + len);
  if (len > 0 && out.back() == ' ') out.back() = 'x';
}

int64_t Span(const TypeInfo& t) {
  switch (t.kind) {
    case Kind::kTimestamp: case Kind::kTimestampTz: return 30 * kMicrosPerDay;
    case Kind::kDate: return 30;
    case Kind::kNumeric: return 100 * static_cast<int64_t>(std::pow(10, t.scale));
    case Kind::kMoney: return 10000;
    default: return 100;
  }
}

uint64_t Bijective62(uint64_t x) {
  const uint64_t mask = (uint64_t{1} << 62) - 1;
  x = (x * 0x9E3779B97F4A7C15ULL) & mask;
  x ^= x >> 29;
  x = (x * 0xBF58476D1CE4E5B9ULL) & mask;
  x ^= x >> 32;
  return x;
}

void JsonValue(const ColumnGen& c, Rng& rng, uint64_t row, std::string& out) {
  if (!c.json_template.empty()) {
    const std::string& t = c.json_template;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] != '$') { out.push_back(t[i]); continue; }
      auto word = [&](const char* w) { return t.compare(i + 1, std::strlen(w), w) == 0 ? std::strlen(w) : 0; };
      if (size_t n = word("int")) { out += std::to_string(rng.Below(1000000)); i += n; }
      else if ((n = word("word"))) { out += kWords[rng.Below(kWordCount)]; i += n; }
      else if ((n = word("text"))) { Words(rng, 8 + rng.Below(24), out); i += n; }
      else if ((n = word("bool"))) { out += rng.Below(2) ? "true" : "false"; i += n; }
      else if ((n = word("row"))) { out += std::to_string(row + 1); i += n; }
      else out.push_back('$');
    }
    return;
  }
  if (c.json_kind == "array") {
    out += "[" + std::to_string(rng.Below(1000)) + ", " + std::to_string(rng.Below(1000)) + "]";
    return;
  }
  out += "{\"id\": ";
  out += std::to_string(rng.Below(1000000));
  out += ", \"kind\": \"";
  out += kWords[rng.Below(kWordCount)];
  out += "\", \"ok\": ";
  out += rng.Below(2) ? "true" : "false";
  out += "}";
}

}  // namespace

void RandomScalar(const ColumnGen& c, const TypeInfo& t, Rng& rng, uint64_t row, Value& v);

// A value in the column's domain (not unique, not a key), from rng.
void RandomScalar(const ColumnGen& c, const TypeInfo& t, Rng& rng, uint64_t row, Value& v) {
  switch (t.kind) {
    case Kind::kBool: v.i = static_cast<int64_t>(rng.Below(2)); return;
    case Kind::kFloat4: case Kind::kFloat8:
      v.d = c.min_d + rng.Unit() * (c.max_d - c.min_d);
      if (t.kind == Kind::kFloat4) v.d = static_cast<float>(v.d);
      v.d = std::clamp(std::round(v.d * 100) / 100, c.min_d, c.max_d);
      return;
    case Kind::kText: {
      v.s.clear();
      if (c.regex) return c.regex->Generate(rng, v.s);
      int64_t lo = c.len_min, hi = c.len_max;
      Words(rng, static_cast<size_t>(lo + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(hi - lo + 1)))), v.s);
      return;
    }
    case Kind::kBytea: {
      int64_t n = c.len_min + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(c.len_max - c.len_min + 1)));
      v.s.resize(static_cast<size_t>(n));
      for (auto& ch : v.s) ch = static_cast<char>(rng.Next());
      return;
    }
    case Kind::kUuid: {
      v.s.resize(16);
      uint64_t a = rng.Next(), b = rng.Next();
      for (int k = 0; k < 8; ++k) { v.s[k] = static_cast<char>(a >> (8 * k)); v.s[8 + k] = static_cast<char>(b >> (8 * k)); }
      v.s[6] = static_cast<char>((v.s[6] & 0x0f) | 0x40);
      v.s[8] = static_cast<char>((v.s[8] & 0x3f) | 0x80);
      return;
    }
    case Kind::kJson: case Kind::kJsonb: v.s.clear(); JsonValue(c, rng, row, v.s); return;
    case Kind::kInet: v.i = 0x0A000000 | static_cast<int64_t>(rng.Below(1 << 24)); return;
    case Kind::kCidr: v.i = 0x0A000000 | static_cast<int64_t>(rng.Below(1 << 16)) << 8; v.i2 = 24; return;
    case Kind::kTsvector: {  // 1 to 6 distinct words, in the server's (byte) order
      size_t n = 1 + rng.Below(6);
      std::vector<int> picked;
      while (picked.size() < n) {
        int w = static_cast<int>(rng.Below(kWordCount));
        if (std::find(picked.begin(), picked.end(), w) == picked.end()) picked.push_back(w);
      }
      std::sort(picked.begin(), picked.end(), [](int a, int b) { return std::strcmp(kWords[a], kWords[b]) < 0; });
      v.items.resize(n);
      for (size_t k = 0; k < n; ++k) {
        v.items[k].null = false;
        v.items[k].s = kWords[picked[k]];
        v.items[k].i = static_cast<int64_t>(1 + k * 3 + rng.Below(3));
      }
      return;
    }
    case Kind::kMultirange: {  // 0 to 3 ranges, ascending, with gaps (the canonical form)
      int64_t span = Span(Subtype(t));
      size_t n = rng.Below(4);
      v.items.resize(n);
      int64_t at = c.min_i + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(std::max<int64_t>(1, (c.max_i - c.min_i) / 2))));
      for (auto& r : v.items) {
        r.null = false;
        r.i = at;
        r.i2 = at + 1 + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(span)));
        at = r.i2 + 1 + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(span)));
      }
      return;
    }
    case Kind::kEnum: v.s = t.labels[rng.Below(t.labels.size())]; return;
    case Kind::kArray: {
      int64_t n = c.len_min + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(c.len_max - c.len_min + 1)));
      if (t.dims > 1) n = static_cast<int64_t>(ArrayItems(static_cast<size_t>(std::max<int64_t>(n, 1)), t.dims));
      v.items.resize(static_cast<size_t>(n));
      ColumnGen elem;
      elem.min_i = 0; elem.max_i = 1000; elem.min_d = 0; elem.max_d = 1000;
      elem.len_min = 4; elem.len_max = 12;
      elem.min_i = t.element->Temporal() ? c.min_i : 0;
      elem.max_i = t.element->Temporal() ? c.max_i : 1000;
      if (t.element->max_length >= 0) {  // varchar(n)[] / char(n)[]: the typmod applies to each element
        elem.len_max = std::min<int64_t>(elem.len_max, t.element->max_length);
        elem.len_min = std::min(elem.len_min, elem.len_max);
      }
      for (auto& item : v.items) { item.null = false; RandomScalar(elem, *t.element, rng, row, item); }
      return;
    }
    case Kind::kRange: {
      int64_t span = Span(*t.element);
      if (c.disjoint_ranges) {  // row k owns [min + k*step, min + (k+1)*step)
        v.i = c.min_i + static_cast<int64_t>(row) * c.range_step;
        v.i2 = v.i + c.range_step;
        return;
      } else {
        v.i = c.min_i + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(std::max<int64_t>(1, c.max_i - c.min_i))));
      }
      v.i2 = v.i + 1 + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(span)));
      return;
    }
    default:
      if (t.Integral()) {
        uint64_t width = static_cast<uint64_t>(c.max_i - c.min_i) + 1;
        v.i = c.min_i + static_cast<int64_t>(width == 0 ? rng.Next() : rng.Below(width));
      }
      return;
  }
}

namespace {

// The u-th of a unique column's values (u < the column's room; plan.cc MakeUnique sizes it).
// An array's first element is its element's u-th unique value (the rest as usual).
void UniqueScalar(const ColumnGen& c, uint64_t u, uint64_t row, Rng& rng, Value& v) {
  if (!c.values.empty()) { v = c.values[u]; v.null = false; return; }
  if (c.type.kind == Kind::kArray) {
    if (c.unique_width == 1) {  // the first element is unique, the rest as usual
      RandomScalar(c, c.type, rng, row, v);
      Value first;
      UniqueScalar(*c.unique_element, u, row, rng, first);
      if (v.items.empty()) v.items.assign(ArrayItems(1, c.type.dims), first);
      v.items[0] = std::move(first);
      return;
    }
    // A small element domain (an enum, boolean): unique_width elements spell u in base unique_base.
    Value zero;
    UniqueScalar(*c.unique_element, 0, row, rng, zero);
    v.items.assign(ArrayItems(static_cast<size_t>(c.unique_width), c.type.dims), zero);
    for (int k = c.unique_width - 1; k >= 0 && u; --k, u /= c.unique_base)
      UniqueScalar(*c.unique_element, u % c.unique_base, row, rng, v.items[static_cast<size_t>(k)]);
    return;
  }
  switch (c.type.kind) {
    case Kind::kText:
      v.s.clear();
      if (c.regex) { c.regex->GenerateUnique(u, c.unique_width, v.s); break; }
      if (c.unique_radix != 36) {  // narrow column: every character carries a digit
        v.s.assign(static_cast<size_t>(c.unique_width), kWideDigits[0]);
        for (int k = c.unique_width - 1; k >= 0 && u; --k) { v.s[k] = kWideDigits[u % c.unique_radix]; u /= c.unique_radix; }
        break;
      }
      if (c.len_max >= c.unique_width + 6) {
        int64_t room = c.len_max - c.unique_width - 1;
        Words(rng, static_cast<size_t>(std::max<int64_t>(1, std::min<int64_t>(room, 4 + static_cast<int64_t>(rng.Below(12))))), v.s);
        for (auto& ch : v.s) if (ch == ' ' || ch == '-') ch = '_';
        v.s.push_back('-');
      }
      {
        std::string digits(static_cast<size_t>(c.unique_width), '0');
        for (int k = c.unique_width - 1; k >= 0 && u; --k) { digits[k] = kBase36[u % 36]; u /= 36; }
        v.s += digits;
      }
      break;
    case Kind::kBytea: {
      if (c.len_max < 8) {  // short: the number itself, big-endian, in unique_width bytes
        v.s.assign(static_cast<size_t>(c.unique_width), '\0');
        for (int k = c.unique_width - 1; k >= 0 && u; --k) { v.s[k] = static_cast<char>(u & 0xff); u >>= 8; }
        break;
      }
      uint64_t x = Mix(u + c.stream);  // Mix is a bijection of 64-bit words
      v.s.resize(static_cast<size_t>(std::max<int64_t>(8, c.len_min)));
      for (int k = 0; k < 8; ++k) v.s[k] = static_cast<char>(x >> (56 - 8 * k));
      for (size_t k = 8; k < v.s.size(); ++k) v.s[k] = static_cast<char>(rng.Next());
      break;
    }
    case Kind::kUuid: {
      uint64_t a = rng.Next(), b = Bijective62(u) | (uint64_t{2} << 62);
      v.s.resize(16);
      for (int k = 0; k < 8; ++k) { v.s[k] = static_cast<char>(a >> (56 - 8 * k)); v.s[8 + k] = static_cast<char>(b >> (56 - 8 * k)); }
      v.s[6] = static_cast<char>((v.s[6] & 0x0f) | 0x40);
      break;
    }
    case Kind::kFloat4: case Kind::kFloat8: v.d = std::ceil(c.min_d) + static_cast<double>(u); break;
    case Kind::kEnum: v.s = c.type.labels[u]; break;
    case Kind::kBool: v.i = static_cast<int64_t>(u); break;
    case Kind::kInet: case Kind::kCidr:  // every IPv4 address once, from 10.0.0.0 on; cidr as /32
      v.i = static_cast<int64_t>((0x0A000000u + u) & 0xffffffffu);
      v.i2 = 32;
      break;
    case Kind::kRange:  // row-owned steps: distinct lower bounds
      v.i = c.min_i + static_cast<int64_t>(u) * c.unique_step;
      v.i2 = v.i + c.unique_step;
      break;
    case Kind::kJsonb:
      v.s.clear();
      if (c.json_kind == "array") v.s = "[" + std::to_string(u + 1) + ", " + std::to_string(rng.Below(1000)) + "]";
      else if (c.json_kind == "number") v.s = std::to_string(u + 1);
      else if (c.json_kind == "string") v.s = "\"k" + std::to_string(u + 1) + "\"";
      else v.s = std::string("{\"id\": ") + std::to_string(u + 1) + ", \"kind\": \"" + kWords[rng.Below(kWordCount)] + "\"}";
      break;
    default: v.i = c.min_i + static_cast<int64_t>(u) * c.unique_step; break;
  }
}

}  // namespace

int TableGen::Column(const std::string& name) const {
  for (size_t i = 0; i < cols.size(); ++i)
    if (cols[i].name == name) return static_cast<int>(i);
  return -1;
}

void TableGen::Reset(Scratch& s, uint64_t row) const {
  s.row = row;
  s.done.assign(cols.size(), 0);
  if (s.vals.size() != cols.size()) s.vals.resize(cols.size());
  s.fk_rows.assign(fks.size(), -2);
  s.fk_null.assign(fks.size(), 0);
  s.have_driver = false;
}

void TableGen::Driver(Scratch& s) const {
  if (s.have_driver) return;
  s.driver_parent = DriverParent(s.row, &s.offset);
  s.have_driver = true;
}

uint64_t TableGen::DriverParent(uint64_t row, uint64_t* offset) const {
  const ForeignGen& f = fks[driver];
  uint64_t j = positions.Forward(row);
  uint64_t k = f.blocks.Block(j);
  if (offset) *offset = j - f.blocks.Start(k);
  return f.order.Forward(k);
}

bool TableGen::RowWithDriverParent(uint64_t p, uint64_t u, uint64_t* row) const {
  if (driver < 0 || rows == 0) return false;
  const ForeignGen& f = fks[driver];
  uint64_t k = f.order.Inverse(p);
  uint64_t size = f.blocks.Size(k);
  if (size == 0) return false;
  *row = positions.Inverse(f.blocks.Start(k) + u % size);
  return true;
}

int64_t TableGen::ParentRow(int fi, Scratch& s) const {
  if (s.fk_rows[fi] != -2) return s.fk_rows[fi];
  const ForeignGen& f = fks[fi];
  uint64_t P = f.parent->rows;
  Rng rng(Mix(f.stream, s.row));
  int64_t p = -1;
  switch (f.mode) {
    case ForeignGen::Mode::kDriver: Driver(s); p = static_cast<int64_t>(s.driver_parent); break;
    case ForeignGen::Mode::kRandom:
      p = static_cast<int64_t>(f.zipf > 0 ? f.order.Forward(f.blocks.Sample(rng.Unit())) : rng.Below(P));
      break;
    case ForeignGen::Mode::kPermuted: p = static_cast<int64_t>(f.order.Forward(s.row)); break;
    case ForeignGen::Mode::kOffset:
      Driver(s);
      p = static_cast<int64_t>((Mix(f.stream, s.driver_parent) + s.offset) % P);
      break;
    case ForeignGen::Mode::kSelf:  // an earlier row: chains end, and the first row has no parent
      p = s.row > 0 ? static_cast<int64_t>(rng.Below(s.row)) : 0;
      if (s.row == 0 && f.nullable) s.fk_null[fi] = 1;
      break;
    case ForeignGen::Mode::kShared: case ForeignGen::Mode::kSharedOffset: {
      Driver(s);
      const TableGen* p1 = fks[driver].parent;
      uint64_t g = f.root_is_driver_parent ? s.driver_parent : p1->DriverParent(s.driver_parent, nullptr);
      uint64_t u = f.mode == ForeignGen::Mode::kShared ? rng.Next() : Mix(f.stream, s.driver_parent) + s.offset;
      uint64_t r;
      if (!f.parent->RowWithDriverParent(g, u, &r)) {
        if (!f.nullable)
          throw Error(ErrorKind::kInput, "foreign key " + f.name + " of " + qualified + ": " + f.parent->qualified +
                                             " has no row for one of the parents it shares columns with; give " +
                                             f.parent->qualified + " more rows");
        s.fk_null[fi] = 1;
        r = 0;
      }
      p = static_cast<int64_t>(r);
      break;
    }
    case ForeignGen::Mode::kImplied: p = -1; break;
  }
  if (f.nullable && f.null_fraction > 0 && Rng(Mix(f.stream ^ 0x6e756c6c, s.row)).Chance(f.null_fraction)) s.fk_null[fi] = 1;
  return s.fk_rows[fi] = p;
}

void TableGen::Compute(int ci, Scratch& s, Value& v) const {
  const ColumnGen& c = cols[ci];
  v.null = false;
  uint64_t row = s.row;
  switch (c.source) {
    case Source::kSequence: v.i = c.seq_start + static_cast<int64_t>(row); return;
    case Source::kForeign: {
      int64_t p = ParentRow(c.fk, s);
      const ForeignGen& f = fks[c.fk];
      Value pv = f.parent->KeyValue(f.parent_cols[c.fk_pos], static_cast<uint64_t>(p));
      v = std::move(pv);
      v.null = s.fk_null[c.fk] && !c.not_null;
      return;
    }
    case Source::kRelative: {
      const Value& b = Get(c.base, s);
      Rng rng(Mix(c.stream, row));
      int64_t span = Span(c.type);
      if (c.type.Integral()) {
        int64_t delta = (c.strict ? 1 : 0) + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(span)));
        v.i = c.above ? b.i + delta : b.i - delta;
        if (c.has_max) v.i = std::min(v.i, c.max_i);
        if (c.has_min) v.i = std::max(v.i, c.min_i);
      } else {
        double delta = (c.strict ? 0.01 : 0) + rng.Unit() * static_cast<double>(span);
        v.d = c.above ? b.d + delta : b.d - delta;
      }
      break;
    }
    case Source::kUnique: {
      Rng rng(Mix(c.stream, row));
      UniqueScalar(c, c.perm.Forward(row), row, rng, v);
      break;
    }
    case Source::kOffset: {
      Driver(s);
      uint64_t d = c.values.empty() ? (c.type.kind == Kind::kBool ? 2 : c.type.labels.size()) : c.values.size();
      uint64_t k = (Mix(c.stream, s.driver_parent) + s.offset) % d;
      if (!c.values.empty()) v = c.values[k];
      else if (c.type.kind == Kind::kBool) v.i = static_cast<int64_t>(k);
      else v.s = c.type.labels[k];
      v.null = false;
      break;
    }
    case Source::kPartitionKey: {
      auto it = std::upper_bound(leaves.begin(), leaves.end(), row,
                                 [](uint64_t r, const Leaf& l) { return r < l.first; });
      const Leaf& leaf = *(it - 1);
      Rng rng(Mix(c.stream, row));
      if (!leaf.values.empty()) { v = leaf.values[rng.Below(leaf.values.size())]; v.null = false; }
      else if (leaf.bounded) v.i = leaf.lo + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(leaf.hi - leaf.lo)));
      else { ColumnGen any = c; RandomScalar(any, c.type, rng, row, v); }
      break;
    }
    case Source::kRandom: {
      Rng rng(Mix(c.stream, row));
      if (!c.values.empty()) {
        size_t k;
        if (c.zipf > 0) k = std::min<size_t>(c.values.size() - 1, Blocks(1, c.values.size(), c.zipf).Sample(rng.Unit()));
        else if (!c.cdf.empty()) k = std::upper_bound(c.cdf.begin(), c.cdf.end(), rng.Unit() * c.cdf.back()) - c.cdf.begin();
        else k = rng.Below(c.values.size());
        v = c.values[std::min(k, c.values.size() - 1)];
        v.null = false;
        break;
      }
      if (c.distinct > 0) {
        uint64_t k = c.zipf > 0 ? Blocks(1, c.distinct, c.zipf).Sample(rng.Unit()) : rng.Below(c.distinct);
        Rng by_value(Mix(c.stream ^ 0xd15c, k));
        RandomScalar(c, c.type, by_value, k, v);
        break;
      }
      RandomScalar(c, c.type, rng, row, v);
      break;
    }
  }
  if (c.null_fraction > 0 && c.source != Source::kForeign && Rng(Mix(c.stream ^ 0x6e756c6c, row)).Chance(c.null_fraction))
    v.null = true;
}

const Value& TableGen::Get(int col, Scratch& s) const {
  if (!s.done[col]) {
    s.done[col] = 2;  // in progress
    Compute(col, s, s.vals[col]);
    s.done[col] = 1;
  }
  return s.vals[col];
}

Value TableGen::KeyValue(int col, uint64_t row) const {
  const ColumnGen& c = cols[col];
  if (c.source == Source::kSequence) {
    Value v;
    v.i = c.seq_start + static_cast<int64_t>(row);
    return v;
  }
  // Nested lookups (a parent of a parent, or a self-reference) each get their own scratch.
  thread_local std::vector<std::unique_ptr<Scratch>> pool;
  thread_local size_t depth = 0;
  if (depth >= pool.size()) pool.push_back(std::make_unique<Scratch>());
  Scratch& s = *pool[depth];
  ++depth;
  struct Leave { ~Leave() { --depth; } } leave;
  Reset(s, row);
  Value v = Get(col, s);
  v.null = false;  // referenced columns are never NULL (planned so)
  return v;
}

bool TableGen::PredicatesHold(const Scratch& s, int* failed) const {
  for (size_t i = 0; i < predicates.size(); ++i) {
    const Predicate& p = predicates[i];
    auto lookup = [&](const std::string& name) -> std::pair<const TypeInfo*, const Value*> {
      int c = Column(name);
      if (c < 0) return {nullptr, nullptr};
      return {&cols[c].type, cols[c].emitted ? &s.vals[c] : nullptr};
    };
    if (Evaluate(p.expr, lookup, p.what) == Truth::kFalse) {
      if (failed) *failed = static_cast<int>(i);
      return false;
    }
  }
  return true;
}

void TableGen::Repair(Scratch& s) const {
  int failed = -1;
  if (PredicatesHold(s, &failed)) return;
  // Flip the NULL-ness of nullable columns the predicates use: every subset, smallest first, until
  // all of them hold (a greedy fix of one predicate can break another: coupons_one_discount vs
  // coupons_amount_needs_currency).
  std::vector<int> flip;
  for (const auto& p : predicates)
    for (int c : p.repair) if (std::find(flip.begin(), flip.end(), c) == flip.end()) flip.push_back(c);
  size_t n = std::min<size_t>(flip.size(), 10);
  std::vector<uint32_t> masks;
  for (uint32_t m = 1; m < (1u << n); ++m) masks.push_back(m);
  std::stable_sort(masks.begin(), masks.end(), [](uint32_t a, uint32_t b) { return __builtin_popcount(a) < __builtin_popcount(b); });
  for (uint32_t m : masks) {
    for (size_t k = 0; k < n; ++k) if (m >> k & 1) s.vals[flip[k]].null = !s.vals[flip[k]].null;
    if (PredicatesHold(s, nullptr)) return;
    for (size_t k = 0; k < n; ++k) if (m >> k & 1) s.vals[flip[k]].null = !s.vals[flip[k]].null;
  }
  std::string detail;
  const Predicate& p = predicates[failed];
  for (int c : p.columns) detail += (detail.empty() ? "" : ", ") + cols[c].name + " = " + ValueText(cols[c].type, s.vals[c]);
  throw Error(ErrorKind::kInput, p.what + ": datagen cannot satisfy it for a generated row (" + detail +
                                     "); give these columns value lists or null fractions in the growth file");
}

void TableGen::Generate(uint64_t row, Scratch& s) const {
  Reset(s, row);
  for (size_t c = 0; c < cols.size(); ++c) if (cols[c].emitted) Get(static_cast<int>(c), s);
  if (!predicates.empty()) Repair(s);
}

}  // namespace dbw::datagen
