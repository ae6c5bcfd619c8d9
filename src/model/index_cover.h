// Index coverage: whether one index serves every query another serves, so that the other is
// redundant. Shared by the design duplicate-index rule and the index advisor (which must never
// propose an index that an existing one already covers).
#pragma once

#include "model/schema.h"

namespace dbw::model {

// a is made redundant by b: same method and predicate, a's keys a prefix of b's (B-tree) or
// equal, a's INCLUDE columns covered, and a enforces nothing b does not.
bool IndexCoveredBy(const Index& a, const Index& b);

}  // namespace dbw::model
