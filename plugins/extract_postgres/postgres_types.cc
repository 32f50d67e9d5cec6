#include "postgres_types.h"

#include <utility>

namespace sluice::postgres {
namespace {

// PostgreSQL's VARHDRSZ: type modifiers of length-limited types are offset by it.
constexpr int kVarHeaderSize = 4;

std::string WithLength(const char* name, int type_modifier) {
  if (type_modifier < kVarHeaderSize) return name;
  return std::string(name) + "(" + std::to_string(type_modifier - kVarHeaderSize) + ")";
}

std::string WithPrecision(const char* name, int type_modifier) {
  if (type_modifier < 0) return name;
  return std::string(name) + "(" + std::to_string(type_modifier) + ")";
}

// The (precision, scale) as declared, before mapping to a dataset decimal.
std::optional<std::pair<int, int>> DeclaredNumeric(int type_modifier) {
  if (type_modifier < kVarHeaderSize) return std::nullopt;
  const int packed = type_modifier - kVarHeaderSize;
  // PostgreSQL 15 stores the scale as an 11-bit two's complement number.
  return std::pair{(packed >> 16) & 0xffff, ((packed & 0x7ff) ^ 1024) - 1024};
}

// Why a numeric column has no exact decimal mapping, with the fix.
std::string NumericProblem(const std::string& name, const std::string& source_type) {
  return "column '" + name + "' is " + source_type +
         ", but sluice keeps decimals exact in at most 18 digits; fix: cast it in the query "
         "(e.g. " + name + "::numeric(18,2)) or declare it in `columns` "
         "({name: " + name + ", type: \"decimal(18,2)\"}, or float64 if inexact is fine)";
}

std::optional<ColumnPlan> NaturalPlan(const std::string& name, uint32_t type_oid,
                                      int type_modifier, std::string* error) {
  ColumnPlan plan;
  plan.column.name = name;
  plan.source_type = SourceTypeName(type_oid, type_modifier);
  using dataset::Type;
  switch (type_oid) {
    case oid::kInt2:
    case oid::kInt4:
    case oid::kInt8: plan.column.type = Type::kInt64; return plan;
    case oid::kFloat4:
    case oid::kFloat8: plan.column.type = Type::kFloat64; return plan;
    case oid::kBool:
      plan.column.type = Type::kBool;
      plan.source = SourceKind::kBool;
      return plan;
    case oid::kDate: plan.column.type = Type::kDate; return plan;
    case oid::kTimestamp: plan.column.type = Type::kTimestamp; return plan;
    case oid::kTimestamptz:
      plan.column.type = Type::kTimestamp;
      plan.source = SourceKind::kTimestampUtc;
      return plan;
    case oid::kText:
    case oid::kVarchar:
    case oid::kName:
    case oid::kUuid: plan.column.type = Type::kString; return plan;
    case oid::kBpchar:
      plan.column.type = Type::kString;
      plan.source = SourceKind::kPaddedChar;
      return plan;
    case oid::kNumeric: {
      const auto precision_scale = NumericPrecisionScale(type_modifier);
      if (!precision_scale || precision_scale->first > dataset::kMaxDecimalPrecision) {
        *error = NumericProblem(name, plan.source_type);
        return std::nullopt;
      }
      plan.column.type = Type::kDecimal;
      plan.column.precision = precision_scale->first;
      plan.column.scale = precision_scale->second;
      return plan;
    }
    default:
      *error = "column '" + name + "' has type " + plan.source_type +
               ", which extract.postgres does not map to a dataset type; fix: cast it in the "
               "query (e.g. " + name + "::text) or declare its type in `columns` "
               "({name: " + name + ", type: string})";
      return std::nullopt;
  }
}

// The source kind of a column whose dataset type the user declared.
SourceKind DeclaredSourceKind(uint32_t type_oid) {
  switch (type_oid) {
    case oid::kBool: return SourceKind::kBool;
    case oid::kTimestamptz: return SourceKind::kTimestampUtc;
    case oid::kBpchar: return SourceKind::kPaddedChar;
    default: return SourceKind::kPlain;
  }
}

}  // namespace

std::optional<std::pair<int, int>> NumericPrecisionScale(int type_modifier) {
  const auto declared = DeclaredNumeric(type_modifier);
  if (!declared) return std::nullopt;
  const auto [precision, scale] = *declared;
  // numeric(3,-2) holds multiples of 100 with up to 3 significant digits: 5 digits, none
  // after the point. numeric(3,5) holds 0.00xyz: 5 digits, all after the point.
  if (scale < 0) return std::pair{precision - scale, 0};
  if (scale > precision) return std::pair{scale, scale};
  return std::pair{precision, scale};
}

std::string SourceTypeName(uint32_t type_oid, int type_modifier) {
  switch (type_oid) {
    case oid::kBool: return "boolean";
    case oid::kBytea: return "bytea";
    case oid::kChar: return "\"char\"";
    case oid::kName: return "name";
    case oid::kInt8: return "bigint";
    case oid::kInt2: return "smallint";
    case oid::kInt4: return "integer";
    case oid::kText: return "text";
    case oid::kOid: return "oid";
    case oid::kJson: return "json";
    case oid::kXml: return "xml";
    case oid::kFloat4: return "real";
    case oid::kFloat8: return "double precision";
    case oid::kMoney: return "money";
    case oid::kCidr: return "cidr";
    case oid::kInet: return "inet";
    case oid::kBpchar: return WithLength("character", type_modifier);
    case oid::kVarchar: return WithLength("character varying", type_modifier);
    case oid::kDate: return "date";
    case oid::kTime: return WithPrecision("time", type_modifier);
    case oid::kTimestamp: return WithPrecision("timestamp", type_modifier);
    case oid::kTimestamptz: return WithPrecision("timestamp with time zone", type_modifier);
    case oid::kInterval: return "interval";
    case oid::kTimetz: return WithPrecision("time with time zone", type_modifier);
    case oid::kNumeric: {
      const auto precision_scale = DeclaredNumeric(type_modifier);
      if (!precision_scale) return "numeric (without precision)";
      return "numeric(" + std::to_string(precision_scale->first) + "," +
             std::to_string(precision_scale->second) + ")";
    }
    case oid::kUuid: return "uuid";
    case oid::kJsonb: return "jsonb";
    default:
      return "type OID " + std::to_string(type_oid) +
             " (an array, enum, domain or extension type)";
  }
}

std::optional<ColumnPlan> PlanColumn(const std::string& name, uint32_t type_oid,
                                     int type_modifier,
                                     const std::optional<dataset::Column>& declared,
                                     std::string* error) {
  if (!declared) return NaturalPlan(name, type_oid, type_modifier, error);
  ColumnPlan plan;
  plan.column = *declared;
  plan.column.name = name;
  plan.source = DeclaredSourceKind(type_oid);
  plan.source_type = SourceTypeName(type_oid, type_modifier);
  return plan;
}

bool AppendValue(dataset::Writer& writer, size_t index, const ColumnPlan& plan,
                 std::string_view text, std::string* error) {
  const bool to_string = plan.column.type == dataset::Type::kString;
  switch (plan.source) {
    case SourceKind::kPlain: break;
    case SourceKind::kPaddedChar:
      while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
      break;
    case SourceKind::kBool:
      if (!to_string) text = text == "t" ? "true" : text == "f" ? "false" : text;
      break;
    case SourceKind::kTimestampUtc:
      // The session's TimeZone is UTC, so every value ends in +00 (BC values end in " BC").
      if (!to_string && text.ends_with("+00")) text.remove_suffix(3);
      break;
  }
  if (to_string) {
    if (plan.verify_utf8 && !IsValidUtf8(text)) {
      *error = "the value is not valid UTF-8 (the database's encoding is SQL_ASCII, which "
               "stores any bytes); fix: correct the data in the database, or filter such rows";
      return false;
    }
    writer.AppendString(index, text);
    return true;
  }
  if (writer.AppendParsed(index, text, error)) return true;
  if (plan.column.type == dataset::Type::kDate || plan.column.type == dataset::Type::kTimestamp) {
    *error += " (sluice holds dates from 0001-01-01 to 9999-12-31: no infinity, no BC; filter "
              "such rows or cast the column to text in the query)";
  }
  return false;
}


}  // namespace sluice::postgres
