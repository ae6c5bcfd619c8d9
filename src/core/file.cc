#include "core/file.h"

#include <fstream>
#include <sstream>

#include "core/status.h"

namespace dbw {

std::string ReadWholeFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kInput, "cannot read " + (what.empty() ? "" : what + " ") + path + ": no such file or not readable");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace dbw
