// How sluice's column types map to Parquet (documented in docs/plugins/export.parquet.md):
//
//   int64         INT64
//   float64       DOUBLE
//   decimal(P,S)  INT32 (P <= 9) or INT64, DECIMAL(P,S) logical and converted type
//   string        BYTE_ARRAY, STRING logical type, UTF8 converted type
//   bool          BOOLEAN
//   date          INT32, DATE
//   timestamp     INT64, TIMESTAMP(isAdjustedToUTC=false, MICROS), TIMESTAMP_MICROS
//
// Every column is OPTIONAL: sluice columns are all nullable.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_SCHEMA_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_SCHEMA_H_

#include <vector>

#include "parquet_metadata.h"
#include "sluice/dataset.hpp"

namespace sluice::parquet {

/// Decimals up to this precision fit an INT32 (|unscaled| < 10^9 < 2^31).
inline constexpr int kMaxInt32DecimalPrecision = 9;

PhysicalType PhysicalTypeOf(const dataset::Column& column);

/// The file's schema: a root group named "schema", then one OPTIONAL leaf per column.
std::vector<SchemaElement> ParquetSchemaOf(const dataset::Schema& schema);

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_SCHEMA_H_
