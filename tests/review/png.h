// A small PNG reader for the browser test's screenshot check: 8-bit RGB or RGBA, non-interlaced
// (what Chromium writes), decoded with zlib, scanline filters undone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dbw::testing {

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3
};

// Throws std::runtime_error on anything else than 8-bit RGB/RGBA non-interlaced PNG.
Image DecodePng(const std::string& bytes);

struct PixelStats {
  double luma_stddev = 0;   // spread of brightness over all pixels
  size_t distinct_colors = 0;
  double non_background = 0;  // share of pixels that differ from the most common colour
};

PixelStats Stats(const Image& image);

}  // namespace dbw::testing
