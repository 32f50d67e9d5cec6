#include "csv_export.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "atomic_file.h"
#include "csv_writer.h"
#include "gzip_sink.h"
#include "sluice/dataset.hpp"
#include "sluice/plugin.hpp"

namespace sluice::csv {
namespace {

// Indexes of the dataset columns to write, in output order.
std::vector<size_t> SelectColumns(const dataset::Schema& schema,
                                  const std::vector<std::string>& names,
                                  const std::string& dataset_path) {
  std::vector<size_t> selected;
  if (names.empty()) {
    for (size_t c = 0; c < schema.size(); ++c) selected.push_back(c);
    return selected;
  }
  for (size_t i = 0; i < names.size(); ++i) {
    std::optional<size_t> found;
    for (size_t c = 0; c < schema.size() && !found; ++c) {
      if (schema[c].name == names[i]) found = c;
    }
    if (!found) {
      std::string available;
      for (const dataset::Column& column : schema) {
        available += (available.empty() ? "" : ", ") + column.name;
      }
      throw sdk::Failure("`columns` names '" + names[i] + "', which the input dataset " +
                             dataset_path + " does not have; its columns are: " + available,
                         "/columns/" + std::to_string(i));
    }
    selected.push_back(*found);
  }
  return selected;
}

// Whether the text of a value of this non-string type can contain `delimiter` (and so must be
// checked for quoting): the characters each type's text is made of, per dataset.hpp's
// Append*Text functions.
bool TextMayHoldDelimiter(dataset::Type type, char delimiter) {
  std::string_view alphabet = "-0123456789";  // int64, date
  switch (type) {
    case dataset::Type::kDecimal: alphabet = "-.0123456789"; break;
    case dataset::Type::kTimestamp: alphabet = "-0123456789 :."; break;
    case dataset::Type::kFloat64: alphabet = "-+.0123456789eEinfaINFA"; break;
    case dataset::Type::kBool: alphabet = "truefalsTRUEFALS"; break;
    default: break;
  }
  return alphabet.find(delimiter) != std::string_view::npos;
}

void WriteRows(const dataset::Reader& reader, const std::vector<size_t>& selected,
               const CsvExportOptions& options, CsvWriter& writer) {
  const dataset::Schema& schema = reader.schema();
  if (options.header) {
    for (size_t col : selected) writer.AppendField(schema[col].name);
    writer.EndRecord();
  }
  const bool quote_empty_strings = options.null_text.empty();
  std::vector<uint8_t> format_in_place;  // by position in `selected`
  for (size_t col : selected) {
    const dataset::Type type = schema[col].type;
    format_in_place.push_back(type != dataset::Type::kString && !TextMayHoldDelimiter(type, options.delimiter));
  }
  std::string cell;  // reused for every formatted value: no allocation per field
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const dataset::ChunkView chunk = reader.chunk(c);
    for (int64_t row = 0; row < chunk.row_count(); ++row) {
      for (size_t i = 0; i < selected.size(); ++i) {
        const size_t col = selected[i];
        const dataset::ColumnView& view = chunk.column(col);
        if (view.IsNull(row)) {
          writer.AppendField(options.null_text);
        } else if (format_in_place[i]) {
          dataset::AppendValueText(&writer.AppendUnquotedField(), view, row);
        } else if (schema[col].type == dataset::Type::kString) {
          const std::string_view text = view.StringAt(row);
          writer.AppendField(text, quote_empty_strings && text.empty());
        } else {
          cell.clear();
          dataset::AppendValueText(&cell, view, row);
          writer.AppendField(cell);
        }
      }
      writer.EndRecord();
    }
  }
  writer.Flush();
}

}  // namespace

CsvExportStats ExportCsv(const std::string& dataset_path, const CsvExportOptions& options) {
  const dataset::Reader reader(dataset_path);
  const std::vector<size_t> selected =
      SelectColumns(reader.schema(), options.columns, dataset_path);
  AtomicFile file(options.path);
  if (options.compression == Compression::kGzip) {
    GzipSink gzip(&file, options.compression_level);
    CsvWriter writer(&gzip, options.delimiter, options.line_ending);
    WriteRows(reader, selected, options, writer);
    gzip.Finish();
  } else {
    CsvWriter writer(&file, options.delimiter, options.line_ending);
    WriteRows(reader, selected, options, writer);
  }
  file.Commit();
  return {reader.row_count(), file.bytes_written()};
}

}  // namespace sluice::csv
