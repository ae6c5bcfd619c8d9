// Node: a read-only JSON tree built in one arena, for reading libpg_query's parse trees fast.
// The migration lint reads hundreds of thousands of statements a second; a nlohmann::json DOM
// costs a heap allocation per node and four times the parse itself, this costs a few bump
// allocations per statement. The API is the part of nlohmann::json's the lint uses (contains,
// operator[], value, find, items, iteration), so code reads the same.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dbw::sql {

class Node {
 public:
  enum class Type : uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

  // Iterates the elements of an array or the members of an object (key() names a member).
  class Iterator {
   public:
    explicit Iterator(const Node* p) : p_(p) {}
    const Node& operator*() const { return *p_; }
    const Node* operator->() const { return p_; }
    Iterator& operator++() {
      ++p_;
      return *this;
    }
    bool operator==(const Iterator& o) const { return p_ == o.p_; }
    bool operator!=(const Iterator& o) const { return p_ != o.p_; }
    std::string_view key() const { return p_->key(); }
    const Node& value() const { return *p_; }

   private:
    const Node* p_;
  };
  struct Range {
    Iterator b, e;
    Iterator begin() const { return b; }
    Iterator end() const { return e; }
  };

  Node() = default;

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_boolean() const { return type_ == Type::kBool; }
  bool is_number_integer() const { return type_ == Type::kInt; }
  bool is_number() const { return type_ == Type::kInt || type_ == Type::kDouble; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  // Elements of an array or members of an object; as nlohmann::json counts, 0 for null and 1
  // for any other scalar.
  size_t size() const { return is_array() || is_object() ? n_ : is_null() ? 0 : 1; }
  bool empty() const { return size() == 0; }

  // The member's key (for a member of an object), else "".
  std::string_view key() const { return {key_, key_len_}; }
  // The node itself, so that items() yields what nlohmann's items() does (key(), value()).
  const Node& value() const { return *this; }

  bool contains(std::string_view key) const { return find(key) != end(); }
  // The member named key, or end().
  Iterator find(std::string_view key) const;
  // The member named key; a null node when absent (or when this is no object).
  const Node& operator[](std::string_view key) const { return Member(key); }
  const Node& operator[](const char* key) const { return Member(key); }
  const Node& operator[](const std::string& key) const { return Member(key); }
  // The element at i; a null node when out of range (or when this is no array).
  const Node& operator[](size_t i) const { return is_array() && i < n_ ? children_[i] : Null(); }
  const Node& operator[](int i) const { return (*this)[static_cast<size_t>(i)]; }

  // A member's value, or fallback when it is absent or of another type.
  std::string value(std::string_view key, const char* fallback) const;
  std::string value(std::string_view key, const std::string& fallback) const { return value(key, fallback.c_str()); }
  bool value(std::string_view key, bool fallback) const;
  int value(std::string_view key, int fallback) const;
  long long value(std::string_view key, long long fallback) const;
  double value(std::string_view key, double fallback) const;
  const Node& value(std::string_view key, const Node& fallback) const;

  // The scalar: a string's text ("" otherwise), a boolean, a number.
  std::string_view str() const { return is_string() ? std::string_view(s_, n_) : std::string_view(); }
  bool boolean() const { return type_ == Type::kBool && b_; }
  long long integer() const { return type_ == Type::kInt ? i_ : type_ == Type::kDouble ? static_cast<long long>(d_) : 0; }
  double number() const { return type_ == Type::kDouble ? d_ : static_cast<double>(integer()); }
  template <class T>
  T get() const;

  Iterator begin() const { return Iterator(children()); }
  Iterator end() const { return Iterator(children() + (children() ? n_ : 0)); }
  Range items() const { return {begin(), end()}; }
  const Node& front() const { return (*this)[size_t{0}]; }
  const Node& back() const { return children() && n_ > 0 ? children_[n_ - 1] : Null(); }

  // An array without its last element, as a view on the same elements (an empty array or a
  // non-array stays as it is).
  Node DropLast() const {
    Node n = *this;
    if (is_array() && n_ > 0) --n.n_;
    return n;
  }

  static const Node& Null();
  static const Node& EmptyArray();
  static const Node& EmptyObject();

 private:
  friend class NodeParser;
  const Node& Member(std::string_view key) const;
  const Node* children() const { return is_array() || is_object() ? children_ : nullptr; }

  Type type_ = Type::kNull;
  bool b_ = false;
  uint32_t key_len_ = 0;
  uint32_t n_ = 0;  // string length, or element / member count
  const char* key_ = nullptr;
  union {
    long long i_;
    double d_;
    const char* s_;
    const Node* children_ = nullptr;
  };
};

template <>
inline std::string Node::get<std::string>() const { return std::string(str()); }
template <>
inline bool Node::get<bool>() const { return boolean(); }
template <>
inline int Node::get<int>() const { return static_cast<int>(integer()); }
template <>
inline long long Node::get<long long>() const { return integer(); }
template <>
inline double Node::get<double>() const { return number(); }

// A parsed JSON text: the root node and the arena that holds every node and unescaped string.
class NodeTree {
 public:
  // Parses json (kept by reference: strings without escapes point into it, so it must outlive
  // the tree). Throws dbw::Error(kInternal) on malformed JSON.
  NodeTree(std::string_view json);
  NodeTree(NodeTree&&) = default;
  NodeTree& operator=(NodeTree&&) = default;
  const Node& root() const { return *root_; }

 private:
  friend class NodeParser;
  void* Allocate(size_t bytes);
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0, capacity_ = 0;
  const Node* root_ = &Node::Null();
};

}  // namespace dbw::sql
