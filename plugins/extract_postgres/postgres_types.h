// How PostgreSQL result columns become dataset columns: the type mapping (from the result's
// type OIDs and modifiers) and the conversion of each text-format value.
#ifndef SLUICE_PLUGINS_EXTRACT_POSTGRES_POSTGRES_TYPES_H_
#define SLUICE_PLUGINS_EXTRACT_POSTGRES_POSTGRES_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/dataset.hpp"
#include "sluice/utf8.hpp"

namespace sluice::postgres {

/// Type OIDs of PostgreSQL's built-in types (pg_type.oid; fixed since they are in the
/// bootstrap catalog). The mapped ones, then others named in messages.
namespace oid {
inline constexpr uint32_t kBool = 16;
inline constexpr uint32_t kName = 19;
inline constexpr uint32_t kInt8 = 20;
inline constexpr uint32_t kInt2 = 21;
inline constexpr uint32_t kInt4 = 23;
inline constexpr uint32_t kText = 25;
inline constexpr uint32_t kFloat4 = 700;
inline constexpr uint32_t kFloat8 = 701;
inline constexpr uint32_t kBpchar = 1042;
inline constexpr uint32_t kVarchar = 1043;
inline constexpr uint32_t kDate = 1082;
inline constexpr uint32_t kTimestamp = 1114;
inline constexpr uint32_t kTimestamptz = 1184;
inline constexpr uint32_t kNumeric = 1700;
inline constexpr uint32_t kUuid = 2950;

inline constexpr uint32_t kBytea = 17;
inline constexpr uint32_t kChar = 18;
inline constexpr uint32_t kOid = 26;
inline constexpr uint32_t kJson = 114;
inline constexpr uint32_t kXml = 142;
inline constexpr uint32_t kCidr = 650;
inline constexpr uint32_t kMoney = 790;
inline constexpr uint32_t kInet = 869;
inline constexpr uint32_t kTime = 1083;
inline constexpr uint32_t kInterval = 1186;
inline constexpr uint32_t kTimetz = 1266;
inline constexpr uint32_t kJsonb = 3802;
}  // namespace oid

/// What the server sends for a column, as far as decoding its text is concerned.
enum class SourceKind {
  kPlain,        ///< the text is the value as the dataset parses it
  kBool,         ///< "t" / "f"
  kTimestampUtc, ///< timestamptz in a UTC session: "... +00"
  kPaddedChar,   ///< char(n): trailing blanks are padding
};

/// How one result column is read: its dataset column and how to decode its text.
struct ColumnPlan {
  dataset::Column column;
  SourceKind source = SourceKind::kPlain;
  std::string source_type;  ///< the PostgreSQL type, for messages ("numeric(12,2)")
  /// Check strings for UTF-8: only needed when the server's encoding is SQL_ASCII, the one
  /// encoding whose text PostgreSQL does not convert to the client's UTF-8.
  bool verify_utf8 = false;
};

/// The (precision, scale) a numeric type modifier declares, or nullopt for an unconstrained
/// numeric (modifier -1). Handles PostgreSQL 15's negative scales and scales above the
/// precision.
std::optional<std::pair<int, int>> NumericPrecisionScale(int type_modifier);

/// The plan for a column named `name` of type `type_oid` with modifier `type_modifier`.
/// `declared`, from the `columns` setting, overrides the dataset type. Returns nullopt and
/// explains in *error (naming the column and the fix) for a type without an exact mapping.
std::optional<ColumnPlan> PlanColumn(const std::string& name, uint32_t type_oid,
                                     int type_modifier,
                                     const std::optional<dataset::Column>& declared,
                                     std::string* error);

/// A readable name for a type OID ("jsonb", "numeric(12,2)", "type OID 600").
std::string SourceTypeName(uint32_t type_oid, int type_modifier);

/// Appends the text of one non-null value to column `index` of `writer`. Returns false,
/// appending nothing, and explains in *error when the text does not fit the column's type.
bool AppendValue(dataset::Writer& writer, size_t index, const ColumnPlan& plan,
                 std::string_view text, std::string* error);

using sdk::IsValidUtf8;  // sluice/utf8.hpp

}  // namespace sluice::postgres

#endif  // SLUICE_PLUGINS_EXTRACT_POSTGRES_POSTGRES_TYPES_H_
