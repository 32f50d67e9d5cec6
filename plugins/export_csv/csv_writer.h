// RFC 4180 output: fields quoted only when they must be, buffered writes.
#ifndef SLUICE_PLUGINS_EXPORT_CSV_CSV_WRITER_H_
#define SLUICE_PLUGINS_EXPORT_CSV_CSV_WRITER_H_

#include <string>
#include <string_view>

#include "byte_sink.h"

namespace sluice::csv {

/// Formats records into a buffer and hands it to `sink` in large blocks. A field is quoted
/// when it contains the delimiter, a quote, CR or LF (quotes inside are doubled), or when
/// the caller forces it (to tell an empty string from a null written as nothing).
/// UTF-8 passes through untouched.
class CsvWriter {
 public:
  CsvWriter(ByteSink* sink, char delimiter, std::string line_ending);

  void AppendField(std::string_view text, bool force_quotes = false);
  /// Starts a field the caller appends to the returned buffer itself, unquoted: for text the
  /// caller knows holds no delimiter, quote or line break (numbers, dates), formatted in place.
  std::string& AppendUnquotedField() {
    if (!at_record_start_) buffer_.push_back(delimiter_);
    at_record_start_ = false;
    return buffer_;
  }
  void EndRecord();
  /// Hands the buffered rest to the sink. REQUIRES: called before the file is committed.
  void Flush();

 private:
  ByteSink* sink_;
  char delimiter_;
  std::string line_ending_;
  std::string buffer_;
  bool at_record_start_ = true;
};

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXPORT_CSV_CSV_WRITER_H_
