#include "cli/app.h"

int main(int argc, char** argv) { return dbw::cli::Main(argc, argv); }
