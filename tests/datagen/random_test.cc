// The building blocks that make keys unique and fan-out controllable: the Feistel permutation
// is a bijection with an exact inverse, blocks tile the children exactly, the regex generator
// matches its pattern and its unique mode never repeats.
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "core/status.h"
#include "datagen/random.h"
#include "datagen/regex_gen.h"

namespace dbw::datagen {
namespace {

TEST(Permutation, IsABijectionWithInverse) {
  for (uint64_t n : {1ull, 2ull, 3ull, 10ull, 97ull, 1000ull, 65537ull}) {
    Permutation p(n, 42 + n);
    std::vector<char> seen(n, 0);
    for (uint64_t x = 0; x < n; ++x) {
      uint64_t y = p.Forward(x);
      ASSERT_LT(y, n);
      EXPECT_FALSE(seen[y]) << "n=" << n << " x=" << x;
      seen[y] = 1;
      EXPECT_EQ(p.Inverse(y), x);
    }
  }
  // Not the identity: a shuffle.
  Permutation p(1000, 7);
  int fixed = 0;
  for (uint64_t x = 0; x < 1000; ++x) fixed += p.Forward(x) == x;
  EXPECT_LT(fixed, 20);
}

TEST(Blocks, TileChildrenExactlyUniformAndZipf) {
  for (double s : {0.0, 1.0, 1.3}) {
    for (auto [n, p] : std::vector<std::pair<uint64_t, uint64_t>>{{1000, 10}, {10, 1000}, {12345, 77}, {5, 5}}) {
      Blocks b(n, p, s);
      uint64_t total = 0;
      for (uint64_t k = 0; k < p; ++k) total += b.Size(k);
      EXPECT_EQ(total, n) << "s=" << s << " n=" << n << " p=" << p;
      for (uint64_t j = 0; j < n; ++j) {
        uint64_t k = b.Block(j);
        ASSERT_LT(k, p);
        EXPECT_LE(b.Start(k), j);
        EXPECT_LT(j, b.Start(k + 1));
      }
    }
  }
  // Uniform: every parent gets n/p (+-1) when n >= p; Zipf: the first block is far larger.
  Blocks u(1000, 10, 0), z(100000, 1000, 1.1);
  for (uint64_t k = 0; k < 10; ++k) EXPECT_EQ(u.Size(k), 100u);
  EXPECT_GT(z.Size(0), 50 * z.Size(999));
}

TEST(RegexGen, GeneratesMatchingStrings) {
  for (const char* pattern : {"^[a-z0-9][a-z0-9-]{1,62}$", "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", "^[A-Z]{2}$",
                              "^[a-z_]+(\\.[a-z_]+)+$", "^(https://|/)", "^#[0-9a-f]{6}$", "^dbw_[a-z0-9]{8}$",
                              "^[a-z]{2}(-[A-Z]{2})?$", "^\\d{3}-\\d{4}$"}) {
    RegexGen g(pattern, "test");
    std::regex re(pattern);  // ECMAScript knows the \s and \d escapes, as PostgreSQL does
    Rng rng(1);
    for (int i = 0; i < 200; ++i) {
      std::string s;
      g.Generate(rng, s);
      EXPECT_TRUE(std::regex_search(s, re)) << pattern << " gave " << s;
    }
  }
}

TEST(RegexGen, UniqueModeNeverRepeatsAndStillMatches) {
  RegexGen g("^[a-z0-9][a-z0-9-]{1,62}$", "test");
  std::regex re("^[a-z0-9][a-z0-9-]{1,62}$");
  const uint64_t n = 50000;
  int width = g.UniqueWidth(n);
  std::set<std::string> seen;
  for (uint64_t i = 0; i < n; ++i) {
    std::string s;
    g.GenerateUnique(i, width, s);
    ASSERT_TRUE(std::regex_search(s, re)) << s;
    ASSERT_TRUE(seen.insert(s).second) << s;
  }
  RegexGen two("^[A-Z]{2}$", "test");
  EXPECT_EQ(two.Capacity(), 676u);
}

TEST(RegexGen, RefusesWhatItCannotGenerate) {
  try {
    RegexGen g("^a(?=b)", "CHECK constraint t_c on public.t");
    FAIL() << "lookahead accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("CHECK constraint t_c on public.t"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dbw::datagen
