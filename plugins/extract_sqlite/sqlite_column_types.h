// Which dataset type a SQLite result column gets. SQLite is dynamically typed: a column's
// declared type is only a hint, and an expression has none, so the plugin decides from the
// declaration when there is one and from the stored values otherwise.
#ifndef SLUICE_PLUGINS_EXTRACT_SQLITE_SQLITE_COLUMN_TYPES_H_
#define SLUICE_PLUGINS_EXTRACT_SQLITE_SQLITE_COLUMN_TYPES_H_

#include <string>
#include <string_view>

#include "sluice/dataset.hpp"

namespace sluice::sqlite {

/// Sets column->type (and precision/scale) from a declared SQL type as written in CREATE
/// TABLE (sqlite3_column_decltype), case-insensitively:
///   DECIMAL(P,S), NUMERIC(P,S)          -> decimal(P,S)  (DECIMAL(P) is decimal(P,0))
///   any word INT, INTEGER, BIGINT, ...   -> int64
///   REAL, DOUBLE [PRECISION], FLOAT      -> float64
///   DATE -> date;  DATETIME, TIMESTAMP   -> timestamp;  BOOL, BOOLEAN -> bool
///   CHAR, VARCHAR, TEXT, CLOB and any other name -> string
/// Returns false and explains in *error for declarations no dataset type can hold exactly:
/// DECIMAL/NUMERIC without a precision (the scale is unknown, and money must not become a
/// double), a precision above 18, and BLOB.
/// REQUIRES: `declared` is not empty (an expression has no declared type).
bool TypeFromDeclaration(std::string_view declared, dataset::Column* column, std::string* error);

/// Sets column->type from the SQLite storage class (SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT)
/// of a column's first non-null value: int64, float64, string. Returns false with *error for
/// SQLITE_BLOB, which a dataset cannot hold.
bool TypeFromStorageClass(int storage_class, dataset::Column* column, std::string* error);

}  // namespace sluice::sqlite

#endif  // SLUICE_PLUGINS_EXTRACT_SQLITE_SQLITE_COLUMN_TYPES_H_
