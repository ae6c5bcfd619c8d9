#include "datagen/random.h"

#include <algorithm>
#include <cmath>

namespace dbw::datagen {

uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

uint64_t HashName(const char* s, uint64_t seed) {
  uint64_t h = seed;
  for (; *s; ++s) h = (h ^ static_cast<unsigned char>(*s)) * 1099511628211ULL;
  return h;
}

Permutation::Permutation(uint64_t n, uint64_t key) : n_(std::max<uint64_t>(n, 1)), key_(key) {
  int bits = 2;
  while (bits < 64 && (uint64_t{1} << bits) < n_) bits += 2;
  half_bits_ = bits / 2;
  half_mask_ = (uint64_t{1} << half_bits_) - 1;
}

uint64_t Permutation::Round(uint64_t half, int round) const {
  return Mix(half ^ Mix(key_ + static_cast<uint64_t>(round))) & half_mask_;
}

uint64_t Permutation::Encrypt(uint64_t x) const {
  uint64_t l = x >> half_bits_, r = x & half_mask_;
  for (int i = 0; i < 4; ++i) {
    uint64_t t = l ^ Round(r, i);
    l = r;
    r = t;
  }
  return (l << half_bits_) | r;
}

uint64_t Permutation::Decrypt(uint64_t y) const {
  uint64_t l = y >> half_bits_, r = y & half_mask_;
  for (int i = 3; i >= 0; --i) {
    uint64_t t = r ^ Round(l, i);
    r = l;
    l = t;
  }
  return (l << half_bits_) | r;
}

// Cycle walking: the domain is at most 4x larger than n, so a few steps on average.
uint64_t Permutation::Forward(uint64_t x) const {
  do x = Encrypt(x); while (x >= n_);
  return x;
}

uint64_t Permutation::Inverse(uint64_t y) const {
  do y = Decrypt(y); while (y >= n_);
  return y;
}

Blocks::Blocks(uint64_t n, uint64_t p, double zipf_s) : n_(n), p_(std::max<uint64_t>(p, 1)), s_(zipf_s) {
  total_ = G(static_cast<double>(p_));
}

double Blocks::G(double k) const {
  if (s_ <= 0) return k;
  if (std::abs(s_ - 1) < 1e-9) return std::log1p(k);
  return (std::pow(k + 1, 1 - s_) - 1) / (1 - s_);
}

double Blocks::GInv(double g) const {
  if (s_ <= 0) return g;
  if (std::abs(s_ - 1) < 1e-9) return std::expm1(g);
  return std::pow(g * (1 - s_) + 1, 1 / (1 - s_)) - 1;
}

uint64_t Blocks::Start(uint64_t k) const {
  if (k >= p_) return n_;
  if (s_ <= 0) return static_cast<uint64_t>((static_cast<U128>(k) * n_ + p_ - 1) / p_);
  return std::min<uint64_t>(n_, static_cast<uint64_t>(std::ceil(G(static_cast<double>(k)) / total_ * n_)));
}

uint64_t Blocks::Block(uint64_t j) const {
  if (s_ <= 0) return static_cast<uint64_t>((static_cast<U128>(j) * p_) / n_);
  // The float estimate, corrected so that Start(k) <= j < Start(k+1) holds exactly.
  auto k = static_cast<uint64_t>(GInv((static_cast<double>(j) + 0.5) / n_ * total_));
  k = std::min(k, p_ - 1);
  while (k > 0 && Start(k) > j) --k;
  while (k + 1 < p_ && Start(k + 1) <= j) ++k;
  return k;
}

uint64_t Blocks::Sample(double u) const {
  auto k = static_cast<uint64_t>(GInv(u * total_));
  return std::min(k, p_ - 1);
}

}  // namespace dbw::datagen
