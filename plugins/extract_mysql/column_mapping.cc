#include "column_mapping.h"

#include <algorithm>

namespace sluice::mysql {
namespace {

namespace ds = sluice::dataset;

ColumnPlan Plan(const std::string& name, ds::Type type, ReadAs read, int precision = 0,
                int scale = 0) {
  return ColumnPlan{ds::Column{name, type, precision, scale}, read};
}

std::string Unsupported(const SourceColumn& source, const std::string& why,
                        const std::string& cast) {
  return "column '" + source.name + "' is " + source.type_name + ", " + why +
         "; fix: convert it in the query (e.g. " + cast + " AS " + source.name +
         ") or declare its type in `columns`";
}

// A conversion that turns the unsupported type into text.
std::string SuggestedConversion(const SourceColumn& source) {
  if (source.type_name.find("BINARY") != std::string::npos ||
      source.type_name.find("BLOB") != std::string::npos) {
    return "HEX(" + source.name + ")";
  }
  if (source.type_name == "GEOMETRY") return "ST_AsText(" + source.name + ")";
  return "CAST(" + source.name + " AS CHAR)";
}

}  // namespace

int DecimalPrecision(unsigned display_size, unsigned scale, bool is_signed) {
  const int precision = static_cast<int>(display_size) - (scale > 0 ? 1 : 0) - (is_signed ? 1 : 0);
  return std::max({precision, static_cast<int>(scale), 1});
}

std::optional<ColumnPlan> PlanColumn(const SourceColumn& source,
                                     const std::optional<ds::Column>& declared,
                                     std::string* error) {
  if (declared) {
    ColumnPlan plan{*declared, ReadAs::kParse};
    plan.column.name = source.name;
    if (source.kind == SourceKind::kNull) plan.read = ReadAs::kAlwaysNull;
    return plan;
  }
  const std::string& name = source.name;
  switch (source.kind) {
    case SourceKind::kInteger:
    case SourceKind::kYear:
      return Plan(name, ds::Type::kInt64, source.is_signed ? ReadAs::kInt64 : ReadAs::kUInt64);
    case SourceKind::kDecimal: {
      const int precision = DecimalPrecision(source.display_size, source.scale, source.is_signed);
      if (precision > ds::kMaxDecimalPrecision) {
        *error = Unsupported(source,
                             "DECIMAL(" + std::to_string(precision) + "," +
                                 std::to_string(source.scale) + ") with more than 18 digits, "
                                 "which a dataset decimal cannot hold exactly",
                             "CAST(" + name + " AS DECIMAL(18," +
                                 std::to_string(std::min(source.scale, 18u)) + "))");
        return std::nullopt;
      }
      return Plan(name, ds::Type::kDecimal, ReadAs::kDecimal, precision,
                  static_cast<int>(source.scale));
    }
    case SourceKind::kFloat: return Plan(name, ds::Type::kFloat64, ReadAs::kFloat64);
    case SourceKind::kDate: return Plan(name, ds::Type::kDate, ReadAs::kDate);
    case SourceKind::kDateTime: return Plan(name, ds::Type::kTimestamp, ReadAs::kTimestamp);
    case SourceKind::kText: return Plan(name, ds::Type::kString, ReadAs::kString);
    case SourceKind::kNull: return Plan(name, ds::Type::kString, ReadAs::kAlwaysNull);
    case SourceKind::kBit:
      // BIT(1) holds only 0 and 1: a flag. Wider BITs are bit fields, read as numbers.
      if (source.display_size == 1) return Plan(name, ds::Type::kBool, ReadAs::kBool);
      return Plan(name, ds::Type::kInt64, ReadAs::kUInt64);
    case SourceKind::kOther: break;
  }
  *error = Unsupported(source, "which has no exact dataset type", SuggestedConversion(source));
  return std::nullopt;
}

}  // namespace sluice::mysql
