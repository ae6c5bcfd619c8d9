// Log chunks: one log (a file, .gz/.zst through gzip/zstd, or stdin) read as pieces of about a
// given size, each cut where an entry starts that depends on nothing before it, so the pieces
// can be read into entries independently and in parallel: stderr logs at a line that matches the
// prefix (not a continuation line, not a DETAIL line), csvlog where no quoted field is open,
// jsonlog at any line.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "query/log_entry.h"

namespace dbw::query {

class ChunkReader {
 public:
  // Throws Error(kInput) when the file cannot be read.
  explicit ChunkReader(const std::string& path);
  ~ChunkReader();
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  // The first 256 KiB, for format detection.
  std::string_view Head();
  // Sets how pieces are cut; call before Next.
  void Start(LogFormat format, const std::string& prefix, size_t chunk_bytes);
  // The next piece (whole lines, the last one maybe without its newline); false at the end.
  bool Next(std::string& chunk);

 private:
  bool Fill(size_t want);  // reads until the buffer holds want bytes or the input ends
  bool Cuttable(size_t start, size_t end);

  std::string path_;
  FILE* f_ = nullptr;
  bool pipe_ = false, eof_ = false;
  std::string buf_;
  LogFormat format_ = LogFormat::kStderr;
  LinePrefix prefix_;
  size_t chunk_bytes_ = 8 << 20;
  size_t quotes_scanned_ = 0;  // csvlog: quotes counted in buf_ up to here
  bool quote_open_ = false;
};

}  // namespace dbw::query
