// Test helper: writes a small dataset from values written as text, so each test states its
// input (and, separately, its expected database contents) by hand.
#ifndef SLUICE_PLUGINS_EXPORT_SQL_TEST_DATASET_H_
#define SLUICE_PLUGINS_EXPORT_SQL_TEST_DATASET_H_

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sluice/dataset.hpp"

namespace sluice::export_sql::testing {

using TextRow = std::vector<std::optional<std::string>>;  // nullopt: null

/// Writes `rows` (each value parsed as its column's type, as extract.csv would) to `path`.
inline void WriteDataset(const std::string& path, const dataset::Schema& schema,
                         const std::vector<TextRow>& rows, int64_t chunk_rows = 65536) {
  dataset::WriterOptions options;
  options.chunk_rows = chunk_rows;
  dataset::Writer writer(path, schema, options);
  for (const TextRow& row : rows) {
    for (size_t c = 0; c < schema.size(); ++c) {
      std::string error;
      if (!row.at(c)) {
        writer.AppendNull(c);
      } else if (!writer.AppendParsed(c, *row[c], &error)) {
        throw std::runtime_error("test dataset: " + error);
      }
    }
    writer.EndRow();
  }
  writer.Finish();
}

/// The schema every type test uses: one column of each dataset type.
inline dataset::Schema AllTypesSchema() {
  using dataset::Type;
  return {{"id", Type::kInt64},     {"ratio", Type::kFloat64}, {"amount", Type::kDecimal, 10, 2},
          {"name", Type::kString},  {"active", Type::kBool},   {"day", Type::kDate},
          {"at", Type::kTimestamp}, {"units", Type::kDecimal, 12, 0}};
}

/// Rows of AllTypesSchema: extremes, a null in every column, UTF-8.
inline std::vector<TextRow> AllTypesRows() {
  return {
      {"1", "0.1", "-12.30", "ação ☃ 𝄞", "true", "2024-02-29", "2024-02-29 13:45:30.25",
       "123456789012"},
      {"-9223372036854775808", "-1e+300", "99999999.99", "", "false", "1969-12-31",
       "1969-12-31 23:59:59", "-1"},
      {"3", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
       std::nullopt},
  };
}

}  // namespace sluice::export_sql::testing

#endif  // SLUICE_PLUGINS_EXPORT_SQL_TEST_DATASET_H_
