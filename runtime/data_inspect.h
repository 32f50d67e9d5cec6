// What `sluice data schema` and `sluice data head` print about a dataset file, and the same
// for the HTTP API.
#ifndef SLUICE_RUNTIME_DATA_INSPECT_H_
#define SLUICE_RUNTIME_DATA_INSPECT_H_

#include <cstdint>
#include <ostream>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "runtime/status.h"

namespace sluice {

/// Prints the columns (name, type such as decimal(10,2), nullable, null count) with the row
/// and chunk counts: an aligned table, or one JSON object when `json`. Reads only the
/// file's footer. The error names the file when it is missing or not a dataset.
Status PrintDatasetSchema(const std::string& path, bool json, std::ostream& out);

/// Prints the first `n` rows: an aligned table with a header row and NULL for nulls, or one
/// JSON object per line when `json` (decimals, dates and timestamps as strings so nothing is
/// rounded; nulls as null). REQUIRES: n >= 0, else an error Status.
Status PrintDatasetHead(const std::string& path, int64_t n, bool json, std::ostream& out);

/// The schema and the first `n` rows as one JSON object: {"rows", "chunks", "columns":
/// [{"name", "type", "nulls"}], "head": [[value per column], ...]}, values as in
/// PrintDatasetHead's JSON. The error names the file when it is missing or not a dataset.
/// REQUIRES: n >= 0.
Result<nlohmann::json> DatasetPreview(const std::string& path, int64_t n);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_DATA_INSPECT_H_
