#include "csv_import.h"

#include <utility>
#include <vector>

#include "csv_reader.h"
#include "sluice/plugin.hpp"

namespace sluice::csv {
namespace {

std::string Where(const CsvReader& reader, int64_t line) {
  return reader.path() + ":" + std::to_string(line) + ": ";
}

void RequireUtf8(const CsvReader& reader, const CsvField& field, const std::string& column) {
  if (!IsValidUtf8(field.text)) {
    throw sdk::Failure(Where(reader, field.line) + "column '" + column +
                       "' is not valid UTF-8; convert the file to UTF-8 (e.g. iconv -f "
                       "latin1 -t utf-8)");
  }
}

// The schema from the header record, checked against the declared columns if any.
dataset::Schema SchemaFromHeader(const CsvReader& reader, const std::vector<CsvField>& header,
                                 const std::optional<dataset::Schema>& declared) {
  const int64_t line = reader.record_line();
  if (declared && declared->size() != header.size()) {
    throw sdk::Failure(Where(reader, line) + "the header has " + std::to_string(header.size()) +
                           " columns but `columns` declares " + std::to_string(declared->size()) +
                           "; declare every column of the file, in order",
                       "/columns");
  }
  dataset::Schema schema;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string position = "column " + std::to_string(i + 1);
    RequireUtf8(reader, header[i], position);
    const std::string name(header[i].text);
    if (name.empty()) {
      throw sdk::Failure(Where(reader, line) + position +
                         " has an empty name in the header; name it in the file, or set "
                         "header: false and declare `columns`");
    }
    for (const dataset::Column& earlier : schema) {
      if (earlier.name == name) {
        throw sdk::Failure(Where(reader, line) + "the header names two columns '" + name +
                           "'; column names must be unique");
      }
    }
    if (declared && (*declared)[i].name != name) {
      throw sdk::Failure(Where(reader, line) + position + " is '" + name +
                             "' in the header but '" + (*declared)[i].name +
                             "' in `columns`; list the declared columns in the file's order",
                         "/columns/" + std::to_string(i) + "/name");
    }
    schema.push_back(declared ? (*declared)[i] : dataset::Column{name, dataset::Type::kString});
  }
  return schema;
}

dataset::Schema GeneratedSchema(size_t count) {
  dataset::Schema schema;
  for (size_t i = 0; i < count; ++i) {
    schema.push_back({"c" + std::to_string(i + 1), dataset::Type::kString});
  }
  return schema;
}

void AppendRecord(const CsvReader& reader, const std::vector<CsvField>& fields,
                  dataset::Writer& writer, std::string& error) {
  const dataset::Schema& schema = writer.schema();
  if (fields.size() != schema.size()) {
    throw sdk::Failure(Where(reader, reader.record_line()) + "expected " +
                       std::to_string(schema.size()) + " fields but found " +
                       std::to_string(fields.size()) +
                       "; check the delimiter, and quote fields that contain it");
  }
  for (size_t c = 0; c < fields.size(); ++c) {
    const CsvField& field = fields[c];
    const dataset::Column& column = schema[c];
    RequireUtf8(reader, field, column.name);
    if (field.text.empty() && (!field.quoted || column.type != dataset::Type::kString)) {
      writer.AppendNull(c);
    } else if (!writer.AppendParsed(c, field.text, &error)) {
      throw sdk::Failure(Where(reader, field.line) + "column '" + column.name + "' (" +
                         dataset::TypeName(column) + "): " + error +
                         "; fix the value or change the column's type in `columns`");
    }
  }
  writer.EndRow();
}

}  // namespace

CsvImportStats ImportCsv(const CsvImportOptions& options, const std::string& output_path) {
  CsvReader reader(options.path, options.delimiter);
  std::vector<CsvField> fields;
  bool pending = false;  // `fields` holds a data record read while learning the schema
  dataset::Schema schema;
  if (options.header) {
    if (!reader.Next(&fields)) {
      throw sdk::Failure(options.path + " is empty, but header: true expects a header line; " +
                         "add one or set header: false and declare `columns`");
    }
    schema = SchemaFromHeader(reader, fields, options.columns);
  } else if (options.columns) {
    schema = *options.columns;
  } else if (reader.Next(&fields)) {
    schema = GeneratedSchema(fields.size());
    pending = true;
  } else {
    throw sdk::Failure(options.path + " is empty and declares no columns; declare `columns` " +
                       "so an empty file can still produce a typed, empty dataset");
  }

  dataset::Writer writer(output_path, std::move(schema));
  CsvImportStats stats;
  std::string error;
  if (pending) {
    AppendRecord(reader, fields, writer, error);
    ++stats.rows;
  }
  while (reader.Next(&fields)) {
    AppendRecord(reader, fields, writer, error);
    ++stats.rows;
  }
  writer.Finish();
  stats.bytes_out = writer.file_size();
  return stats;
}

}  // namespace sluice::csv
