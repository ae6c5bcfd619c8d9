#include "query/log_chunks.h"

#include <algorithm>
#include <cstring>

#include "core/status.h"

namespace dbw::query {

ChunkReader::ChunkReader(const std::string& path) : path_(path) {
  auto ends = [&](std::string_view s) { return path.ends_with(s); };
  if (path == "-") {
    f_ = stdin;
  } else if (ends(".gz") || ends(".zst")) {
    if (FILE* probe = std::fopen(path.c_str(), "rb")) std::fclose(probe);
    else throw Error(ErrorKind::kInput, "cannot read " + path);
    std::string quoted = "'";
    for (char c : path) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
    std::string cmd = (ends(".gz") ? "gzip -dc -- " : "zstd -dcq -- ") + quoted;
    f_ = popen(cmd.c_str(), "r");
    pipe_ = true;
  } else {
    f_ = std::fopen(path.c_str(), "rb");
  }
  if (!f_) throw Error(ErrorKind::kInput, "cannot read " + path);
}

ChunkReader::~ChunkReader() {
  if (!f_ || f_ == stdin) return;
  if (pipe_) pclose(f_);
  else std::fclose(f_);
}

bool ChunkReader::Fill(size_t want) {
  constexpr size_t kRead = 1 << 20;
  while (!eof_ && buf_.size() < want) {
    size_t old = buf_.size();
    buf_.resize(old + kRead);
    size_t n = std::fread(buf_.data() + old, 1, kRead, f_);
    buf_.resize(old + n);
    if (n == 0) eof_ = true;
  }
  return buf_.size() >= want;
}

std::string_view ChunkReader::Head() {
  Fill(256 * 1024);
  return std::string_view(buf_).substr(0, std::min<size_t>(buf_.size(), 256 * 1024));
}

void ChunkReader::Start(LogFormat format, const std::string& prefix, size_t chunk_bytes) {
  format_ = format;
  if (format == LogFormat::kStderr) prefix_ = LinePrefix::Compile(prefix);
  chunk_bytes_ = std::clamp<size_t>(chunk_bytes, 1, size_t{1} << 40);
}

// Whether the line buf_[start, end) starts an entry that a piece may begin with.
bool ChunkReader::Cuttable(size_t start, size_t end) {
  switch (format_) {
    case LogFormat::kJson:
      return true;
    case LogFormat::kCsv:
      // A record starts at a line where every quote before it is closed (the reader joins lines
      // until the quotes balance).
      for (; quotes_scanned_ < start; ++quotes_scanned_)
        if (buf_[quotes_scanned_] == '"') quote_open_ = !quote_open_;
      return !quote_open_;
    case LogFormat::kStderr:
      return StartsIndependentEntry(prefix_, std::string_view(buf_).substr(start, end - start));
  }
  return false;
}

bool ChunkReader::Next(std::string& chunk) {
  Fill(chunk_bytes_ + 1);
  if (buf_.empty()) return false;
  size_t from = std::min(chunk_bytes_, buf_.size());
  for (;;) {
    // The line that starts after the newline at or after from.
    size_t nl = buf_.find('\n', from - 1);
    if (nl != std::string::npos && nl + 1 < buf_.size()) {
      size_t start = nl + 1;
      size_t end = buf_.find('\n', start);
      if (end != std::string::npos || eof_) {
        if (end == std::string::npos) end = buf_.size();
        if (Cuttable(start, end)) {
          // The piece keeps the buffer; only the rest after the cut is copied.
          chunk = std::move(buf_);
          buf_.assign(chunk, start);
          chunk.resize(start);
          quotes_scanned_ = 0;
          quote_open_ = false;
          return true;
        }
        from = end + 1;  // try the next line
        continue;
      }
    }
    if (eof_) break;
    size_t before = buf_.size();
    Fill(buf_.size() + (1 << 20));
    if (buf_.size() == before && eof_) break;
  }
  chunk = std::move(buf_);
  buf_.clear();
  quotes_scanned_ = 0;
  quote_open_ = false;
  return true;
}

}  // namespace dbw::query
