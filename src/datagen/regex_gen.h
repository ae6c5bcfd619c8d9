// Strings that match a simple POSIX regular expression from a CHECK (col ~ 'pattern'): literals,
// escapes, [classes], '.', groups with alternation, ?, *, +, {n}, {n,m}, anchors. Can also make
// the strings unique by writing a number in one repeated class (a bijection, never a retry).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "datagen/random.h"

namespace dbw::datagen {

class RegexGen {
 public:
  // Throws Error(kInput) with what + the reason for constructs it does not support
  // (backreferences, lookaround, nested anchors ...).
  RegexGen(const std::string& pattern, const std::string& what);
  ~RegexGen();
  RegexGen(RegexGen&&) noexcept;

  // A random matching string.
  void Generate(Rng& rng, std::string& out) const;
  // A matching string that differs for every distinct number < Capacity(); width is
  // UniqueWidth(count) for the count of numbers to be told apart.
  void GenerateUnique(uint64_t number, int width, std::string& out) const;
  int UniqueWidth(uint64_t count) const;
  // How many distinct strings GenerateUnique can make (saturates at 2^63).
  uint64_t Capacity() const;
  bool anchored_end() const { return anchored_end_; }

  struct Node;

 private:
  std::vector<Node> seq_;
  bool anchored_end_ = false;
  int slot_ = -1;  // index in seq_ of the repeated class that carries the unique number
};

}  // namespace dbw::datagen
