#include "sql/node.h"

#include <charconv>
#include <cstring>

#include "core/status.h"

namespace dbw::sql {

const Node& Node::Null() {
  static const Node null;
  return null;
}

const Node& Node::EmptyArray() {
  static const Node array = [] {
    Node n;
    n.type_ = Type::kArray;
    return n;
  }();
  return array;
}

const Node& Node::EmptyObject() {
  static const Node object = [] {
    Node n;
    n.type_ = Type::kObject;
    return n;
  }();
  return object;
}

Node::Iterator Node::find(std::string_view key) const {
  if (!is_object()) return end();
  for (const Node* c = children_; c != children_ + n_; ++c)
    if (c->key_len_ == key.size() && std::memcmp(c->key_, key.data(), key.size()) == 0) return Iterator(c);
  return end();
}

const Node& Node::Member(std::string_view key) const {
  const auto it = find(key);
  return it == end() ? Null() : *it;
}

std::string Node::value(std::string_view key, const char* fallback) const {
  const Node& m = Member(key);
  return m.is_string() ? std::string(m.str()) : std::string(fallback);
}

bool Node::value(std::string_view key, bool fallback) const {
  const Node& m = Member(key);
  return m.is_boolean() ? m.b_ : fallback;
}

int Node::value(std::string_view key, int fallback) const {
  const Node& m = Member(key);
  return m.is_number() ? static_cast<int>(m.integer()) : fallback;
}

long long Node::value(std::string_view key, long long fallback) const {
  const Node& m = Member(key);
  return m.is_number() ? m.integer() : fallback;
}

double Node::value(std::string_view key, double fallback) const {
  const Node& m = Member(key);
  return m.is_number() ? m.number() : fallback;
}

const Node& Node::value(std::string_view key, const Node& fallback) const {
  const auto it = find(key);
  return it == end() ? fallback : *it;
}

void* NodeTree::Allocate(size_t bytes) {
  bytes = (bytes + 7) & ~size_t{7};
  if (used_ + bytes > capacity_) {
    capacity_ = std::max<size_t>(bytes, blocks_.empty() ? 64 * 1024 : capacity_ * 2);
    capacity_ = std::min<size_t>(std::max(capacity_, bytes), std::max<size_t>(bytes, 4u << 20));
    blocks_.emplace_back(new char[capacity_]);
    used_ = 0;
  }
  void* p = blocks_.back().get() + used_;
  used_ += bytes;
  return p;
}

// A recursive-descent reader of one JSON text into a NodeTree. Children are gathered on a scratch
// stack and copied into the arena once their count is known, so every array and object is one
// contiguous run of nodes.
class NodeParser {
 public:
  NodeParser(std::string_view text, NodeTree& tree) : p_(text.data()), end_(text.data() + text.size()), tree_(tree) {}

  const Node* Run() {
    stack_.reserve(256);
    Node root;
    Value(root);
    Space();
    if (p_ != end_) Fail();
    Node* out = static_cast<Node*>(tree_.Allocate(sizeof(Node)));
    *out = root;
    return out;
  }

 private:
  [[noreturn]] void Fail() { throw Error(ErrorKind::kInternal, "libpg_query returned malformed JSON"); }

  void Space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\t' || *p_ == '\r')) ++p_;
  }

  void Expect(char c) {
    Space();
    if (p_ == end_ || *p_ != c) Fail();
    ++p_;
  }

  // Reads a string after its opening quote; escapes are decoded into the arena.
  std::string_view String() {
    const char* start = p_;
    while (p_ < end_ && *p_ != '"' && *p_ != '\\') ++p_;
    if (p_ == end_) Fail();
    if (*p_ == '"') return {start, static_cast<size_t>(p_++ - start)};
    std::string s(start, p_);
    while (true) {
      if (p_ == end_) Fail();
      const char c = *p_++;
      if (c == '"') break;
      if (c != '\\') {
        s += c;
        continue;
      }
      if (p_ == end_) Fail();
      const char e = *p_++;
      switch (e) {
        case '"': s += '"'; break;
        case '\\': s += '\\'; break;
        case '/': s += '/'; break;
        case 'b': s += '\b'; break;
        case 'f': s += '\f'; break;
        case 'n': s += '\n'; break;
        case 'r': s += '\r'; break;
        case 't': s += '\t'; break;
        case 'u': {
          unsigned cp = Hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u') {
            p_ += 2;
            const unsigned lo = Hex4();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          Utf8(cp, s);
          break;
        }
        default: Fail();
      }
    }
    char* copy = static_cast<char*>(tree_.Allocate(s.size() + 1));
    std::memcpy(copy, s.data(), s.size());
    return {copy, s.size()};
  }

  unsigned Hex4() {
    if (end_ - p_ < 4) Fail();
    unsigned v = 0;
    const auto r = std::from_chars(p_, p_ + 4, v, 16);
    if (r.ptr != p_ + 4) Fail();
    p_ += 4;
    return v;
  }

  static void Utf8(unsigned cp, std::string& s) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool Literal(const char* word) {
    const size_t n = std::strlen(word);
    if (static_cast<size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }

  // Moves the children gathered since mark into the arena as node's elements or members.
  void Close(Node& node, size_t mark) {
    const size_t n = stack_.size() - mark;
    node.n_ = static_cast<uint32_t>(n);
    if (n == 0) return;
    Node* kids = static_cast<Node*>(tree_.Allocate(n * sizeof(Node)));
    std::memcpy(static_cast<void*>(kids), stack_.data() + mark, n * sizeof(Node));
    node.children_ = kids;
    stack_.resize(mark);
  }

  // Reads an array or object after the cursor's opening bracket: read_one() for each element or
  // member, separated by commas, up to close.
  template <class ReadOne>
  void Children(Node& node, Node::Type type, char close, ReadOne read_one) {
    ++p_;
    node.type_ = type;
    node.children_ = nullptr;
    const size_t mark = stack_.size();
    Space();
    if (p_ < end_ && *p_ == close) {
      ++p_;
    } else {
      while (true) {
        stack_.push_back(read_one());
        Space();
        if (p_ < end_ && *p_ == ',') {
          ++p_;
          continue;
        }
        Expect(close);
        break;
      }
    }
    Close(node, mark);
  }

  void Value(Node& node) {
    Space();
    if (p_ == end_) Fail();
    const char c = *p_;
    if (c == '{') {
      Children(node, Node::Type::kObject, '}', [this] {
        Expect('"');
        const std::string_view key = String();
        Expect(':');
        Node child;
        Value(child);
        child.key_ = key.data();
        child.key_len_ = static_cast<uint32_t>(key.size());
        return child;
      });
    } else if (c == '[') {
      Children(node, Node::Type::kArray, ']', [this] {
        Node child;
        Value(child);
        return child;
      });
    } else if (c == '"') {
      ++p_;
      const std::string_view s = String();
      node.type_ = Node::Type::kString;
      node.s_ = s.data();
      node.n_ = static_cast<uint32_t>(s.size());
    } else if (c == 't' && Literal("true")) {
      node.type_ = Node::Type::kBool;
      node.b_ = true;
    } else if (c == 'f' && Literal("false")) {
      node.type_ = Node::Type::kBool;
      node.b_ = false;
    } else if (c == 'n' && Literal("null")) {
      node.type_ = Node::Type::kNull;
    } else {
      Number(node);
    }
  }

  void Number(Node& node) {
    const char* start = p_;
    bool real = false;
    if (p_ < end_ && *p_ == '-') ++p_;
    while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '.' || *p_ == 'e' || *p_ == 'E' || *p_ == '+' || *p_ == '-')) {
      real |= *p_ == '.' || *p_ == 'e' || *p_ == 'E';
      ++p_;
    }
    if (p_ == start) Fail();
    if (!real) {
      long long v = 0;
      if (std::from_chars(start, p_, v).ptr == p_) {
        node.type_ = Node::Type::kInt;
        node.i_ = v;
        return;
      }
    }
    double d = 0;
    if (std::from_chars(start, p_, d).ptr != p_) Fail();
    node.type_ = Node::Type::kDouble;
    node.d_ = d;
  }

  const char* p_;
  const char* end_;
  NodeTree& tree_;
  std::vector<Node> stack_;
};

NodeTree::NodeTree(std::string_view json) { root_ = NodeParser(json, *this).Run(); }

}  // namespace dbw::sql
