// How each column of a MariaDB/MySQL result becomes a dataset column: the type decisions,
// kept apart from the connector so they are tested without a server.
#ifndef SLUICE_PLUGINS_EXTRACT_MYSQL_COLUMN_MAPPING_H_
#define SLUICE_PLUGINS_EXTRACT_MYSQL_COLUMN_MAPPING_H_

#include <optional>
#include <string>
#include <string_view>

#include "sluice/dataset.hpp"

namespace sluice::mysql {

/// The families of server types that map differently.
enum class SourceKind {
  kInteger,   ///< TINYINT .. BIGINT, signed or not
  kDecimal,   ///< DECIMAL / NUMERIC
  kFloat,     ///< FLOAT, DOUBLE
  kDate,      ///< DATE
  kDateTime,  ///< DATETIME, TIMESTAMP
  kText,      ///< CHAR, VARCHAR, TEXT, ENUM, SET, JSON (non-binary character sets)
  kBit,       ///< BIT(n)
  kYear,      ///< YEAR
  kNull,      ///< the type of a bare NULL in a select list
  kOther,     ///< TIME, BINARY, VARBINARY, BLOB, GEOMETRY, ...
};

/// What the result set metadata says about one column.
struct SourceColumn {
  std::string name;        ///< the column's label in the result
  SourceKind kind = SourceKind::kOther;
  std::string type_name;   ///< the server's name for messages, e.g. "TIME", "DECIMAL"
  unsigned display_size = 0;  ///< characters the server reserves (for DECIMAL: digits+sign+point)
  unsigned scale = 0;         ///< digits after the point (DECIMAL, DATETIME(n))
  bool is_signed = true;
};

/// How the extractor reads a column's values from the connector.
enum class ReadAs {
  kInt64,      ///< getInt64
  kUInt64,     ///< getUInt64, refusing values beyond int64
  kFloat64,    ///< getDouble
  kDecimal,    ///< getString, parsed exactly at the column's precision and scale
  kDate,       ///< getString "YYYY-MM-DD"; the zero date 0000-00-00 is null
  kTimestamp,  ///< getString "YYYY-MM-DD HH:MM:SS[.ffffff]"; the zero date is null
  kString,     ///< getString, already UTF-8 (the connection is utf8mb4)
  kBool,       ///< getUInt64 of BIT(1)
  kAlwaysNull, ///< a NULL-typed column: every value is null
  kParse,      ///< getString parsed as a declared type (see `columns`)
};

struct ColumnPlan {
  dataset::Column column;
  ReadAs read = ReadAs::kString;
};

/// DECIMAL(P,S)'s P from its display size, which the server computes as P + 1 for the point
/// (when S > 0) + 1 for the sign (when signed). The connector's own getPrecision() is wrong
/// for DECIMAL (it underflows), so this is the reliable source.
int DecimalPrecision(unsigned display_size, unsigned scale, bool is_signed);

/// The plan for `source`. `declared` is the type the user gave in `columns` for this name, if
/// any; it wins over the inferred type. Returns nullopt with a message in *error (naming the
/// column, its server type, and the fix: CAST in the query or declare it in `columns`) when
/// the column has no exact mapping.
std::optional<ColumnPlan> PlanColumn(const SourceColumn& source,
                                     const std::optional<dataset::Column>& declared,
                                     std::string* error);

/// Whether `text` is MariaDB's "zero date" (0000-00-00, possibly with a zero time), which
/// stands for "no date" and is extracted as null.
inline bool IsZeroDate(std::string_view text) { return text.starts_with("0000-00-00"); }

}  // namespace sluice::mysql

#endif  // SLUICE_PLUGINS_EXTRACT_MYSQL_COLUMN_MAPPING_H_
