#include "csv_export.h"

#include "atomic_file.h"
#include "csv_writer.h"
#include "sluice/dataset.hpp"

namespace sluice::csv {

CsvExportStats ExportCsv(const std::string& dataset_path, const CsvExportOptions& options) {
  const dataset::Reader reader(dataset_path);
  AtomicFile file(options.path);
  CsvWriter writer(&file, options.delimiter, options.line_ending);
  const dataset::Schema& schema = reader.schema();
  if (options.header) {
    for (const dataset::Column& column : schema) writer.AppendField(column.name);
    writer.EndRecord();
  }
  const bool quote_empty_strings = options.null_text.empty();
  std::string cell;  // reused for every formatted value: no allocation per field
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const dataset::ChunkView chunk = reader.chunk(c);
    for (int64_t row = 0; row < chunk.row_count(); ++row) {
      for (size_t col = 0; col < schema.size(); ++col) {
        const dataset::ColumnView& view = chunk.column(col);
        if (view.IsNull(row)) {
          writer.AppendField(options.null_text);
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
  file.Commit();
  return {reader.row_count(), file.bytes_written()};
}

}  // namespace sluice::csv
