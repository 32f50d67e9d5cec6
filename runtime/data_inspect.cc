#include "runtime/data_inspect.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"

namespace sluice {
namespace {

namespace ds = sluice::dataset;

bool IsNumeric(ds::Type type) {
  return type == ds::Type::kInt64 || type == ds::Type::kFloat64 || type == ds::Type::kDecimal;
}

// Terminal columns taken by UTF-8 text: one per code point (wide scripts are rare in data
// headers and would only misalign, never corrupt, the table).
size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Control characters would break the table's rows apart, so they are shown escaped.
std::string EscapeForTable(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// Prints `rows` (the first is the header) with columns padded to their widest cell, numbers
// right-aligned, two spaces between columns, and no trailing spaces.
void PrintTable(const std::vector<std::vector<std::string>>& rows,
                const std::vector<bool>& right_align, std::ostream& out) {
  std::vector<size_t> widths(right_align.size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line += "  ";
      const std::string padding(widths[c] - DisplayWidth(row[c]), ' ');
      line += right_align[c] ? padding + row[c] : row[c] + padding;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  }
}

nlohmann::json JsonValue(const ds::ColumnView& view, int64_t row) {
  if (view.IsNull(row)) return nullptr;
  switch (view.column().type) {
    case ds::Type::kInt64: return view.Int64At(row);
    case ds::Type::kBool: return view.BoolAt(row);
    case ds::Type::kString: return std::string(view.StringAt(row));
    case ds::Type::kFloat64:
      if (std::isfinite(view.Float64At(row))) return view.Float64At(row);
      break;  // JSON has no NaN or infinity: fall through to text
    default: break;
  }
  std::string text;
  ds::AppendValueText(&text, view, row);
  return text;
}

Status PrintSchema(const ds::Reader& reader, bool json, std::ostream& out) {
  const ds::Schema& schema = reader.schema();
  if (json) {
    nlohmann::json columns = nlohmann::json::array();
    for (size_t c = 0; c < schema.size(); ++c) {
      columns.push_back({{"name", schema[c].name},
                         {"type", ds::TypeName(schema[c])},
                         {"nullable", true},
                         {"nulls", reader.null_count(c)}});
    }
    const nlohmann::json doc = {{"path", reader.path()},
                                {"format_version", ds::kFormatVersion},
                                {"rows", reader.row_count()},
                                {"chunks", reader.chunk_count()},
                                {"columns", columns}};
    out << doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return Status::Ok();
  }
  out << reader.path() << ": " << reader.row_count() << " rows in " << reader.chunk_count()
      << (reader.chunk_count() == 1 ? " chunk" : " chunks") << ", format version "
      << ds::kFormatVersion << '\n';
  std::vector<std::vector<std::string>> rows = {{"column", "type", "nullable", "nulls"}};
  for (size_t c = 0; c < schema.size(); ++c) {
    rows.push_back({EscapeForTable(schema[c].name), ds::TypeName(schema[c]), "yes",
                    std::to_string(reader.null_count(c))});
  }
  PrintTable(rows, {false, false, false, true}, out);
  return Status::Ok();
}

Status PrintHead(const ds::Reader& reader, int64_t n, bool json, std::ostream& out) {
  const ds::Schema& schema = reader.schema();
  std::vector<std::vector<std::string>> table;
  if (!json) {
    table.emplace_back();
    for (const ds::Column& column : schema) table.back().push_back(EscapeForTable(column.name));
  }
  int64_t remaining = n;
  for (size_t c = 0; c < reader.chunk_count() && remaining > 0; ++c) {
    const ds::ChunkView chunk = reader.chunk(c);
    for (int64_t row = 0; row < chunk.row_count() && remaining > 0; ++row, --remaining) {
      if (json) {
        nlohmann::ordered_json line = nlohmann::ordered_json::object();
        for (size_t col = 0; col < schema.size(); ++col) {
          line[schema[col].name] = JsonValue(chunk.column(col), row);
        }
        out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        continue;
      }
      std::vector<std::string>& cells = table.emplace_back();
      for (size_t col = 0; col < schema.size(); ++col) {
        const ds::ColumnView& view = chunk.column(col);
        if (view.IsNull(row)) {
          cells.push_back("NULL");
          continue;
        }
        std::string text;
        ds::AppendValueText(&text, view, row);
        cells.push_back(EscapeForTable(text));
      }
    }
  }
  if (!json) {
    std::vector<bool> right_align;
    for (const ds::Column& column : schema) right_align.push_back(IsNumeric(column.type));
    PrintTable(table, right_align, out);
  }
  return Status::Ok();
}

// Runs `print` on the opened dataset, turning the dataset library's exceptions into a Status.
template <typename Print>
Status WithDataset(const std::string& path, Print print) {
  try {
    const ds::Reader reader(path);
    return print(reader);
  } catch (const std::exception& e) {
    return Status::Error(e.what());
  }
}

}  // namespace

Status PrintDatasetSchema(const std::string& path, bool json, std::ostream& out) {
  return WithDataset(path, [&](const ds::Reader& reader) { return PrintSchema(reader, json, out); });
}

Status PrintDatasetHead(const std::string& path, int64_t n, bool json, std::ostream& out) {
  if (n < 0) return Status::Error("the row count must be 0 or more, not " + std::to_string(n));
  return WithDataset(path, [&](const ds::Reader& reader) { return PrintHead(reader, n, json, out); });
}

Result<nlohmann::json> DatasetPreview(const std::string& path, int64_t n) {
  if (n < 0) return Status::Error("the row count must be 0 or more, not " + std::to_string(n));
  nlohmann::json preview;
  Status read = WithDataset(path, [&](const ds::Reader& reader) {
    const ds::Schema& schema = reader.schema();
    nlohmann::json columns = nlohmann::json::array();
    for (size_t c = 0; c < schema.size(); ++c) {
      columns.push_back({{"name", schema[c].name},
                         {"type", ds::TypeName(schema[c])},
                         {"nulls", reader.null_count(c)}});
    }
    nlohmann::json head = nlohmann::json::array();
    int64_t remaining = n;
    for (size_t c = 0; c < reader.chunk_count() && remaining > 0; ++c) {
      const ds::ChunkView chunk = reader.chunk(c);
      for (int64_t row = 0; row < chunk.row_count() && remaining > 0; ++row, --remaining) {
        nlohmann::json values = nlohmann::json::array();
        for (size_t col = 0; col < schema.size(); ++col) {
          values.push_back(JsonValue(chunk.column(col), row));
        }
        head.push_back(std::move(values));
      }
    }
    preview = {{"rows", reader.row_count()},
               {"chunks", reader.chunk_count()},
               {"columns", std::move(columns)},
               {"head", std::move(head)}};
    return Status::Ok();
  });
  if (!read.ok()) return read;
  return preview;
}

}  // namespace sluice
