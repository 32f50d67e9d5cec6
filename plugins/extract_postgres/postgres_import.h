// Streams one query's result from PostgreSQL into one dataset, row by row (libpq's single-row
// mode), so memory stays flat whatever the result's size.
#ifndef SLUICE_PLUGINS_EXTRACT_POSTGRES_POSTGRES_IMPORT_H_
#define SLUICE_PLUGINS_EXTRACT_POSTGRES_POSTGRES_IMPORT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "postgres_connection.h"
#include "sluice/dataset.hpp"

namespace sluice::postgres {

struct ImportRequest {
  std::string sql;
  std::vector<std::optional<std::string>> params;  ///< bound as $1, $2, ...; nullopt is NULL
  std::vector<dataset::Column> declared;           ///< type overrides by column name
  std::string output_path;
  /// Called with the rows written since the last call, every chunk of rows and at the end.
  std::function<void(int64_t rows)> on_rows;
};

struct ImportStats {
  int64_t rows = 0;
  uint64_t bytes_out = 0;  ///< size of the finished dataset
};

/// Runs `request.sql` on `connection` and writes its result to `request.output_path`. Throws
/// sdk::Failure for a query the server rejects or that fails part-way (the server's message
/// and SQLSTATE), a column without an exact mapping, a value that does not fit its declared
/// type, or a declared column the result does not have; nothing appears at the output then.
ImportStats ImportQuery(Connection& connection, const ImportRequest& request);

}  // namespace sluice::postgres

#endif  // SLUICE_PLUGINS_EXTRACT_POSTGRES_POSTGRES_IMPORT_H_
