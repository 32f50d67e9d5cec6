#include "csv_import.h"

#include <memory>
#include <utility>
#include <vector>

#include "csv_reader.h"
#include "csv_row_converter.h"
#include "csv_type_inference.h"
#include "reject_file.h"
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

// The column names from the header record, checked against the declared columns if any;
// without declared columns every column is a string.
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

// Records read ahead of the writer (to learn the schema), replayed afterwards. Each record's
// fields live in one string, so the sample costs a few allocations per record, and only for
// the first `infer` records.
class RecordBuffer {
 public:
  void Add(const CsvReader& reader, const std::vector<CsvField>& fields) {
    Record record;
    record.line = reader.record_line();
    record.raw = std::string(reader.raw_record());
    for (const CsvField& field : fields) {
      record.spans.push_back({record.text.size(), field.text.size(), field.quoted, field.line});
      record.text.append(field.text);
    }
    records_.push_back(std::move(record));
  }
  size_t size() const { return records_.size(); }
  int64_t line(size_t i) const { return records_[i].line; }
  std::string_view raw(size_t i) const { return records_[i].raw; }
  /// The fields of record `i`, pointing into this buffer.
  void Fields(size_t i, std::vector<CsvField>* fields) const {
    const Record& record = records_[i];
    fields->clear();
    for (const Span& span : record.spans) {
      fields->push_back({std::string_view(record.text).substr(span.begin, span.size),
                         span.quoted, span.line});
    }
  }

 private:
  struct Span {
    size_t begin, size;
    bool quoted;
    int64_t line;
  };
  struct Record {
    int64_t line = 0;
    std::string raw;
    std::string text;
    std::vector<Span> spans;
  };
  std::vector<Record> records_;
};

// Types `names` from the buffered records. A record with the wrong number of fields says
// nothing about types (it fails or is rejected when it is replayed).
dataset::Schema InferSchema(const dataset::Schema& names, const RecordBuffer& sample) {
  std::vector<ColumnTypeGuess> guesses(names.size());
  std::vector<CsvField> fields;
  for (size_t r = 0; r < sample.size(); ++r) {
    sample.Fields(r, &fields);
    if (fields.size() != names.size()) continue;
    for (size_t c = 0; c < fields.size(); ++c) {
      if (!fields[c].text.empty() && IsValidUtf8(fields[c].text)) guesses[c].Observe(fields[c].text);
    }
  }
  dataset::Schema schema;
  for (size_t c = 0; c < names.size(); ++c) schema.push_back(guesses[c].Result(names[c].name));
  return schema;
}

// Feeds records to the writer, failing or rejecting the bad ones.
class RowSink {
 public:
  RowSink(const CsvImportOptions& options, dataset::Writer& writer)
      : options_(options), writer_(writer), converter_(writer.schema()) {
    if (options.reject_path) rejects_ = std::make_unique<RejectFile>(*options.reject_path);
  }

  void Consume(const std::vector<CsvField>& fields, int64_t line, std::string_view raw) {
    ++stats_.rows;
    RecordProblem problem;
    if (converter_.Parse(fields, line, &problem)) {
      converter_.Append(writer_);
      return;
    }
    if (!rejects_) {
      throw sdk::Failure(options_.path + ":" + std::to_string(problem.line) + ": " +
                         problem.message);
    }
    rejects_->Add(line, problem.message, raw);
    ++stats_.rejected;
    if (options_.max_rejects && stats_.rejected > *options_.max_rejects) {
      rejects_->Commit();
      throw sdk::Failure(options_.path + ": more than " + std::to_string(*options_.max_rejects) +
                             " records were rejected (the last at line " +
                             std::to_string(line) + ": " + problem.message + "); they are in " +
                             rejects_->path() + "; fix the file or raise `max_rejects`",
                         "/max_rejects");
    }
  }

  CsvImportStats Finish() {
    writer_.Finish();
    if (rejects_) rejects_->Commit();
    stats_.bytes_out = writer_.file_size();
    stats_.schema = writer_.schema();
    return stats_;
  }

 private:
  const CsvImportOptions& options_;
  dataset::Writer& writer_;
  RowConverter converter_;
  std::unique_ptr<RejectFile> rejects_;
  CsvImportStats stats_;
};

}  // namespace

CsvImportStats ImportCsv(const CsvImportOptions& options, const std::string& output_path) {
  CsvReader reader(options.path, options.delimiter);
  if (options.reject_path) reader.KeepRawRecords();
  std::vector<CsvField> fields;
  RecordBuffer ahead;  // data records read while learning the schema
  dataset::Schema schema;
  const int64_t sample_rows =
      options.columns ? 0 : options.infer_sample_rows.value_or(0);
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
    ahead.Add(reader, fields);
  } else {
    throw sdk::Failure(options.path + " is empty and declares no columns; declare `columns` " +
                       "so an empty file can still produce a typed, empty dataset");
  }
  while (static_cast<int64_t>(ahead.size()) < sample_rows && reader.Next(&fields)) {
    ahead.Add(reader, fields);
  }
  if (sample_rows > 0) schema = InferSchema(schema, ahead);

  dataset::Writer writer(output_path, std::move(schema));
  RowSink sink(options, writer);
  std::vector<CsvField> replayed;
  for (size_t i = 0; i < ahead.size(); ++i) {
    ahead.Fields(i, &replayed);
    sink.Consume(replayed, ahead.line(i), ahead.raw(i));
  }
  while (reader.Next(&fields)) sink.Consume(fields, reader.record_line(), reader.raw_record());
  return sink.Finish();
}

}  // namespace sluice::csv
