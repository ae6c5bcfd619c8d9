// JSON form of the schema model (documented in docs/model-json.md): what `inspect
// --format json` prints and what other commands and tests read back.
#pragma once

#include <nlohmann/json.hpp>

#include "model/schema.h"

namespace dbw::model {

nlohmann::json ToJson(const Schema& schema);
// Throws dbw::Error(kInput) when the JSON does not have the model's shape.
Schema SchemaFromJson(const nlohmann::json& j);

}  // namespace dbw::model
