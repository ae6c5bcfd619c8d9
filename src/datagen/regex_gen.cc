#include "datagen/regex_gen.h"

#include <algorithm>

#include "core/status.h"

namespace dbw::datagen {

struct RegexGen::Node {
  std::string chars;                         // a set of characters, when alts is empty
  std::vector<std::vector<Node>> alts;       // a group
  int min = 1, max = 1;                      // max -1: unbounded
};

namespace {

constexpr int kUnboundedExtra = 6;  // * and + repeat at most min + this

class Parser {
 public:
  Parser(const std::string& p, const std::string& what) : p_(p), what_(what) {}

  std::vector<RegexGen::Node> Alternative(bool in_group, std::vector<std::vector<RegexGen::Node>>& alts) {
    std::vector<RegexGen::Node> seq;
    while (i_ < p_.size()) {
      char c = p_[i_];
      if (c == '|') { ++i_; alts.push_back(std::move(seq)); seq.clear(); continue; }
      if (c == ')') { if (!in_group) Fail("unbalanced ')'"); break; }
      if (c == '^') { if (i_ != 0) Fail("'^' inside the pattern"); ++i_; continue; }
      if (c == '$') {
        if (i_ + 1 != p_.size()) Fail("'$' inside the pattern");
        ++i_;
        end_anchor = true;
        continue;
      }
      RegexGen::Node n = Atom();
      Quantifier(n);
      seq.push_back(std::move(n));
    }
    return seq;
  }

  bool end_anchor = false;
  size_t i_ = 0;

 private:
  [[noreturn]] void Fail(const std::string& why) {
    throw Error(ErrorKind::kInput, what_ + ": cannot generate strings for the pattern '" + p_ + "' (" + why + ")");
  }

  static std::string Range(char a, char b) {
    std::string s;
    for (int c = a; c <= b; ++c) s.push_back(static_cast<char>(c));
    return s;
  }

  std::string Escape(char e, bool in_class) {
    switch (e) {
      case 'd': return Range('0', '9');
      case 'w': return Range('a', 'z') + Range('0', '9') + "_";
      case 's': return " ";
      case 'n': return "\n";
      case 't': return "\t";
      default:
        if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))
          if (!in_class || e != 'b') Fail(std::string("escape \\") + e);
        return std::string(1, e);
    }
  }

  RegexGen::Node Atom() {
    RegexGen::Node n;
    char c = p_[i_++];
    if (c == '(') {
      if (i_ < p_.size() && p_[i_] == '?') Fail("(?...) groups");
      std::vector<std::vector<RegexGen::Node>> alts;
      auto last = Alternative(true, alts);
      if (i_ >= p_.size() || p_[i_] != ')') Fail("unbalanced '('");
      ++i_;
      alts.push_back(std::move(last));
      n.alts = std::move(alts);
    } else if (c == '[') {
      bool negate = i_ < p_.size() && p_[i_] == '^';
      if (negate) ++i_;
      std::string set;
      bool first = true;
      while (i_ < p_.size() && (p_[i_] != ']' || first)) {
        first = false;
        char a = p_[i_++];
        std::string piece;
        if (a == '\\' && i_ < p_.size()) piece = Escape(p_[i_++], true);
        else if (a == '[' && i_ < p_.size() && p_[i_] == ':') Fail("[:class:] names");
        else piece = std::string(1, a);
        if (piece.size() == 1 && i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
          char b = p_[i_ + 1];
          i_ += 2;
          if (b < piece[0]) Fail("a reversed range");
          piece = Range(piece[0], b);
        }
        set += piece;
      }
      if (i_ >= p_.size()) Fail("unbalanced '['");
      ++i_;
      if (negate) {
        std::string keep;
        for (char k : Range('a', 'z') + Range('0', '9'))
          if (set.find(k) == std::string::npos) keep.push_back(k);
        if (keep.empty())
          for (char k : Range('!', '~')) if (set.find(k) == std::string::npos) keep.push_back(k);
        set = keep;
      }
      std::sort(set.begin(), set.end());
      set.erase(std::unique(set.begin(), set.end()), set.end());
      if (set.empty()) Fail("an empty character class");
      n.chars = set;
    } else if (c == '\\') {
      if (i_ >= p_.size()) Fail("a trailing backslash");
      n.chars = Escape(p_[i_++], false);
    } else if (c == '.') {
      n.chars = Range('a', 'z') + Range('0', '9');
    } else if (c == '*' || c == '+' || c == '?' || c == '{') {
      Fail("a quantifier with nothing before it");
    } else {
      n.chars = std::string(1, c);
    }
    return n;
  }

  void Quantifier(RegexGen::Node& n) {
    if (i_ >= p_.size()) return;
    char c = p_[i_];
    if (c == '?') { n.min = 0; n.max = 1; ++i_; }
    else if (c == '*') { n.min = 0; n.max = -1; ++i_; }
    else if (c == '+') { n.min = 1; n.max = -1; ++i_; }
    else if (c == '{') {
      size_t close = p_.find('}', i_);
      if (close == std::string::npos) Fail("unbalanced '{'");
      std::string body = p_.substr(i_ + 1, close - i_ - 1);
      auto comma = body.find(',');
      try {
        n.min = std::stoi(body.substr(0, comma));
        n.max = comma == std::string::npos ? n.min
                : comma + 1 == body.size() ? -1 : std::stoi(body.substr(comma + 1));
      } catch (const std::logic_error&) {
        Fail("a bad {n,m} quantifier");
      }
      if (n.max != -1 && n.max < n.min) Fail("a bad {n,m} quantifier");
      i_ = close + 1;
    } else {
      return;
    }
    if (i_ < p_.size() && (p_[i_] == '?' || p_[i_] == '+')) ++i_;  // lazy/possessive: same strings
  }

  const std::string& p_;
  const std::string& what_;
};

void GenSeq(const std::vector<RegexGen::Node>& seq, Rng& rng, std::string& out);

void GenNode(const RegexGen::Node& n, Rng& rng, std::string& out) {
  int max = n.max < 0 ? n.min + kUnboundedExtra : n.max;
  int count = n.min + static_cast<int>(rng.Below(static_cast<uint64_t>(max - n.min + 1)));
  for (int k = 0; k < count; ++k) {
    if (n.alts.empty()) out.push_back(n.chars[rng.Below(n.chars.size())]);
    else GenSeq(n.alts[rng.Below(n.alts.size())], rng, out);
  }
}

void GenSeq(const std::vector<RegexGen::Node>& seq, Rng& rng, std::string& out) {
  for (const auto& n : seq) GenNode(n, rng, out);
}

void GenSeqFixed(const std::vector<RegexGen::Node>& seq, std::string& out);

void GenNodeFixed(const RegexGen::Node& n, std::string& out) {
  for (int k = 0; k < n.min; ++k) {
    if (n.alts.empty()) out.push_back(n.chars[n.chars.size() / 2]);
    else GenSeqFixed(n.alts[0], out);
  }
}

void GenSeqFixed(const std::vector<RegexGen::Node>& seq, std::string& out) {
  for (const auto& n : seq) GenNodeFixed(n, out);
}

uint64_t SlotCapacity(const RegexGen::Node& n) {
  uint64_t base = n.chars.size(), cap = 1;
  int max = n.max < 0 ? 12 : n.max;
  for (int k = 0; k < max && cap < (uint64_t{1} << 62); ++k) cap = cap > (uint64_t{1} << 62) / base ? (uint64_t{1} << 62) : cap * base;
  return base < 2 ? 1 : cap;
}

}  // namespace

RegexGen::RegexGen(const std::string& pattern, const std::string& what) {
  Parser parser(pattern, what);
  std::vector<std::vector<Node>> alts;
  auto last = parser.Alternative(false, alts);
  if (!alts.empty()) {
    alts.push_back(std::move(last));
    Node group;
    group.alts = std::move(alts);
    seq_.push_back(std::move(group));
  } else {
    seq_ = std::move(last);
  }
  anchored_end_ = parser.end_anchor;
  uint64_t best = 1;
  for (size_t k = 0; k < seq_.size(); ++k) {
    if (!seq_[k].alts.empty() || (seq_[k].max >= 0 && seq_[k].max < 2)) continue;
    uint64_t cap = SlotCapacity(seq_[k]);
    if (cap > best) { best = cap; slot_ = static_cast<int>(k); }
  }
}

RegexGen::~RegexGen() = default;
RegexGen::RegexGen(RegexGen&&) noexcept = default;

void RegexGen::Generate(Rng& rng, std::string& out) const { GenSeq(seq_, rng, out); }

uint64_t RegexGen::Capacity() const {
  if (!anchored_end_) return uint64_t{1} << 62;  // a unique suffix can always be appended
  return slot_ < 0 ? 1 : SlotCapacity(seq_[slot_]);
}

void RegexGen::GenerateUnique(uint64_t number, int width, std::string& out) const {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  // Every part but the slot is the same for all rows, and the slot has a fixed width, so the
  // mapping number -> string is injective.
  if (slot_ < 0 || !anchored_end_) {
    GenSeqFixed(seq_, out);
    std::string digits;
    do { digits.push_back(kDigits[number % 36]); number /= 36; } while (number);
    out.append(static_cast<size_t>(std::max(0, width - static_cast<int>(digits.size()))), '0');
    out.append(digits.rbegin(), digits.rend());
    return;
  }
  for (size_t k = 0; k < seq_.size(); ++k) {
    const Node& n = seq_[k];
    if (static_cast<int>(k) != slot_) { GenNodeFixed(n, out); continue; }
    uint64_t base = n.chars.size();
    std::string s(static_cast<size_t>(width), n.chars[0]);
    for (int p = width - 1; p >= 0 && number; --p) { s[p] = n.chars[number % base]; number /= base; }
    out += s;
  }
}

int RegexGen::UniqueWidth(uint64_t count) const {
  uint64_t base = slot_ >= 0 && anchored_end_ ? seq_[slot_].chars.size() : 36;
  int digits = 1;
  for (uint64_t v = count > 0 ? count - 1 : 0; v >= base; v /= base) ++digits;
  if (slot_ >= 0 && anchored_end_) digits = std::max(digits, seq_[slot_].min);
  return digits;
}

}  // namespace dbw::datagen
