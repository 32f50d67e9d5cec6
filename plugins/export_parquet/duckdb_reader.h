// Test helper: runs SQL in DuckDB (through Node.js and tests/npm/duckdb_query.js), an
// independent Parquet reader for checking what export.parquet writes.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_DUCKDB_READER_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_DUCKDB_READER_H_

#include <optional>
#include <string>
#include <vector>

namespace sluice::parquet::testing {

/// One statement's result; every value as DuckDB's text, nullopt for NULL.
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::string> types;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

/// Empty when DuckDB can be run; otherwise what is missing and the command that fixes it.
std::string DuckDbMissing();

/// Runs `statements` in one DuckDB session. Throws std::runtime_error with DuckDB's message
/// when a statement fails.
std::vector<QueryResult> QueryDuckDb(const std::vector<std::string>& statements,
                                     const std::string& scratch_dir);

/// `text` as a single-quoted SQL string literal.
std::string SqlString(const std::string& text);

}  // namespace sluice::parquet::testing

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_DUCKDB_READER_H_
