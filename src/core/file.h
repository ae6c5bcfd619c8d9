// Reading a whole file into memory, with the one error every command gives for a file it cannot
// open.
#pragma once

#include <string>

namespace dbw {

// The file's bytes. Throws Error(kInput, "cannot read <what> <path>: no such file or not
// readable") when it cannot be opened; `what` names the kind of file ("workload file"), or is
// empty.
std::string ReadWholeFile(const std::string& path, const std::string& what = "");

}  // namespace dbw
