#include "png.h"

#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>

namespace dbw::testing {
namespace {

uint32_t Be32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24) | (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 8) | static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3]));
}

uint8_t Paeth(int a, int b, int c) {
  int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return static_cast<uint8_t>(a);
  return static_cast<uint8_t>(pb <= pc ? b : c);
}

}  // namespace

Image DecodePng(const std::string& bytes) {
  if (bytes.size() < 8 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) throw std::runtime_error("not a PNG");
  Image img;
  int color_type = -1;
  std::string idat;
  for (size_t at = 8; at + 8 <= bytes.size();) {
    uint32_t len = Be32(bytes, at);
    std::string type = bytes.substr(at + 4, 4);
    if (at + 12 + len > bytes.size()) throw std::runtime_error("truncated PNG chunk");
    if (type == "IHDR") {
      img.width = static_cast<int>(Be32(bytes, at + 8));
      img.height = static_cast<int>(Be32(bytes, at + 12));
      int depth = static_cast<uint8_t>(bytes[at + 16]);
      color_type = static_cast<uint8_t>(bytes[at + 17]);
      int interlace = static_cast<uint8_t>(bytes[at + 20]);
      if (depth != 8 || (color_type != 2 && color_type != 6) || interlace != 0)
        throw std::runtime_error("unsupported PNG layout");
    } else if (type == "IDAT") {
      idat += bytes.substr(at + 8, len);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + len;
  }
  if (img.width <= 0 || img.height <= 0) throw std::runtime_error("PNG without a size");
  const int bpp = color_type == 6 ? 4 : 3;
  const size_t stride = static_cast<size_t>(img.width) * bpp;
  std::vector<uint8_t> raw((stride + 1) * img.height);
  uLongf raw_len = raw.size();
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK ||
      raw_len != raw.size())
    throw std::runtime_error("PNG image data does not inflate to its size");
  std::vector<uint8_t> prev(stride, 0), cur(stride);
  img.rgb.reserve(static_cast<size_t>(img.width) * img.height * 3);
  for (int y = 0; y < img.height; ++y) {
    const uint8_t* line = &raw[y * (stride + 1)];
    uint8_t filter = line[0];
    for (size_t x = 0; x < stride; ++x) {
      int a = x >= static_cast<size_t>(bpp) ? cur[x - bpp] : 0, b = prev[x], c = x >= static_cast<size_t>(bpp) ? prev[x - bpp] : 0;
      int v = line[1 + x];
      switch (filter) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) / 2; break;
        case 4: v += Paeth(a, b, c); break;
        default: throw std::runtime_error("bad PNG filter");
      }
      cur[x] = static_cast<uint8_t>(v);
    }
    for (int x = 0; x < img.width; ++x)
      for (int k = 0; k < 3; ++k) img.rgb.push_back(cur[x * bpp + k]);
    prev.swap(cur);
  }
  return img;
}

PixelStats Stats(const Image& image) {
  PixelStats s;
  const size_t n = static_cast<size_t>(image.width) * image.height;
  if (n == 0) return s;
  double sum = 0, sum2 = 0;
  std::map<uint32_t, size_t> colors;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = &image.rgb[i * 3];
    double luma = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    sum += luma;
    sum2 += luma * luma;
    ++colors[(static_cast<uint32_t>(p[0]) << 16) | (p[1] << 8) | p[2]];
  }
  double mean = sum / n;
  s.luma_stddev = std::sqrt(std::max(0.0, sum2 / n - mean * mean));
  s.distinct_colors = colors.size();
  size_t most = 0;
  for (const auto& [_, count] : colors) most = std::max(most, count);
  s.non_background = 1.0 - static_cast<double>(most) / n;
  return s;
}

}  // namespace dbw::testing
