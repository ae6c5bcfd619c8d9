// A readable text summary of a schema model: what `dbwright inspect` prints by default.
#pragma once

#include <string>

#include "model/schema.h"

namespace dbw::model {

std::string Summary(const Schema& schema);
// "1.5 MB", "812 kB", "0 B"
std::string HumanBytes(long long bytes);

}  // namespace dbw::model
