// The dbwright command line: parses arguments, dispatches to a command group, and turns
// any dbw::Error into one sentence on stderr and exit code 2.
#pragma once

namespace dbw::cli {

int Main(int argc, char** argv);

}  // namespace dbw::cli
