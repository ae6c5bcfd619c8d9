// Deterministic randomness for datagen: every value is a pure function of (seed, stream, row),
// so any row can be recomputed without state (children recompute their parents' keys), and
// bijections of [0, n) that make keys unique by construction, never by retry.
#pragma once

#include <cstdint>

namespace dbw::datagen {

__extension__ typedef unsigned __int128 U128;  // for exact products of 64-bit counts

// A strong 64-bit mix (SplitMix64's finalizer).
uint64_t Mix(uint64_t x);
inline uint64_t Mix(uint64_t a, uint64_t b) { return Mix(a ^ Mix(b + 0x9e3779b97f4a7c15ULL)); }
// FNV-1a of a string, for turning names into stream ids.
uint64_t HashName(const char* s, uint64_t seed = 1469598103934665603ULL);

// A small sequential generator seeded from a stream and a row.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() { return Mix(s_ += 0x9e3779b97f4a7c15ULL); }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) { return static_cast<uint64_t>((static_cast<U128>(Next()) * n) >> 64); }
  double Unit() { return (Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  bool Chance(double p) { return p > 0 && Unit() < p; }

 private:
  uint64_t s_;
};

// A keyed bijection of [0, n): a 4-round Feistel network on the smallest even power of two
// covering n, with cycle walking back into range. Forward and Inverse are O(1) expected.
class Permutation {
 public:
  Permutation() = default;
  Permutation(uint64_t n, uint64_t key);
  uint64_t Forward(uint64_t x) const;
  uint64_t Inverse(uint64_t y) const;
  uint64_t size() const { return n_; }

 private:
  uint64_t Round(uint64_t half, int round) const;
  uint64_t Encrypt(uint64_t x) const;
  uint64_t Decrypt(uint64_t y) const;
  uint64_t n_ = 1, key_ = 0;
  int half_bits_ = 1;
  uint64_t half_mask_ = 1;
};

// How n children spread over p parents: child position j in [0, n) belongs to block Block(j),
// blocks are contiguous and ordered, block k holds [Start(k), Start(k+1)). Uniform gives every
// block n/p (+-1); Zipf with exponent s gives block k a share proportional to 1/(k+1)^s
// (continuous approximation, O(1) memory whatever p is).
class Blocks {
 public:
  Blocks() = default;
  Blocks(uint64_t n, uint64_t p, double zipf_s);  // zipf_s <= 0: uniform
  uint64_t Block(uint64_t j) const;
  uint64_t Start(uint64_t k) const;
  uint64_t Size(uint64_t k) const { return Start(k + 1) - Start(k); }
  // A block drawn with the same distribution from a uniform u in [0, 1).
  uint64_t Sample(double u) const;
  uint64_t children() const { return n_; }
  uint64_t parents() const { return p_; }

 private:
  double G(double k) const;     // cumulative weight of blocks [0, k)
  double GInv(double g) const;  // inverse of G
  uint64_t n_ = 0, p_ = 1;
  double s_ = 0, total_ = 1;
};

}  // namespace dbw::datagen
