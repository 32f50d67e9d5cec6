// RFC 4180 output: fields quoted only when they must be, buffered writes.
#ifndef SLUICE_PLUGINS_EXPORT_CSV_CSV_WRITER_H_
#define SLUICE_PLUGINS_EXPORT_CSV_CSV_WRITER_H_

#include <string>
#include <string_view>

#include "atomic_file.h"

namespace sluice::csv {

/// Formats records into a buffer and hands it to `file` in large blocks. A field is quoted
/// when it contains the delimiter, a quote, CR or LF (quotes inside are doubled), or when
/// the caller forces it (to tell an empty string from a null written as nothing).
/// UTF-8 passes through untouched.
class CsvWriter {
 public:
  CsvWriter(AtomicFile* file, char delimiter, std::string line_ending);

  void AppendField(std::string_view text, bool force_quotes = false);
  void EndRecord();
  /// Hands the buffered rest to the file. REQUIRES: called before the file is committed.
  void Flush();

 private:
  AtomicFile* file_;
  char delimiter_;
  std::string line_ending_;
  std::string buffer_;
  bool at_record_start_ = true;
};

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXPORT_CSV_CSV_WRITER_H_
