// Tokens from libpg_query's scanner. pg_query_scan answers in protobuf; Debian ships no
// protobuf-c headers for the copy bundled in libpg_query, and we need four integer fields of
// two messages, so this file reads the wire format directly (pg_query.proto: ScanResult,
// ScanToken).
#include <cstdint>

#include "sql/internal.h"

namespace dbw::sql::internal {
namespace {

// A cursor over protobuf wire format (https://protobuf.dev/programming-guides/encoding/).
class WireReader {
 public:
  WireReader(const unsigned char* data, size_t size) : p_(data), end_(data + size) {}

  bool done() const { return p_ >= end_; }

  uint64_t Varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (done()) throw Malformed();
      const unsigned char byte = *p_++;
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    throw Malformed();
  }

  // The payload of a length-delimited field.
  WireReader Bytes() {
    const uint64_t length = Varint();
    if (length > static_cast<uint64_t>(end_ - p_)) throw Malformed();
    WireReader inner(p_, static_cast<size_t>(length));
    p_ += length;
    return inner;
  }

  void Skip(int wire_type) {
    switch (wire_type) {
      case 0:
        Varint();
        return;
      case 1:
        Advance(8);
        return;
      case 2:
        Bytes();
        return;
      case 5:
        Advance(4);
        return;
      default:
        throw Malformed();
    }
  }

 private:
  static Error Malformed() {
    return Error(ErrorKind::kInternal, "libpg_query returned a malformed scan result");
  }
  void Advance(size_t n) {
    if (n > static_cast<size_t>(end_ - p_)) throw Malformed();
    p_ += n;
  }

  const unsigned char* p_;
  const unsigned char* end_;
};

Token ReadToken(WireReader reader) {
  Token token;
  while (!reader.done()) {
    const uint64_t key = reader.Varint();
    const int field = static_cast<int>(key >> 3);
    const int wire_type = static_cast<int>(key & 7);
    if (wire_type != 0 || field < 1 || field > 4) {
      reader.Skip(wire_type);
      continue;
    }
    const int value = static_cast<int>(reader.Varint());
    if (field == 1) token.start = value;
    if (field == 2) token.end = value;
    if (field == 4) token.kind = value;
  }
  return token;
}

}  // namespace

std::vector<Token> Scan(std::string_view sql) {
  const std::string input = ToCString(sql);
  const Owned<PgQueryScanResult, pg_query_free_scan_result> result(pg_query_scan(input.c_str()));
  if (result->error) throw FromPgError(*result->error, sql);

  std::vector<Token> tokens;
  WireReader reader(reinterpret_cast<const unsigned char*>(result->pbuf.data), result->pbuf.len);
  while (!reader.done()) {
    const uint64_t key = reader.Varint();
    const int wire_type = static_cast<int>(key & 7);
    if ((key >> 3) == 2 && wire_type == 2) {
      tokens.push_back(ReadToken(reader.Bytes()));
    } else {
      reader.Skip(wire_type);
    }
  }
  return tokens;
}

}  // namespace dbw::sql::internal
