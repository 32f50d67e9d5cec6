// Streaming RFC 4180 record reader: constant memory whatever the file size.
#ifndef SLUICE_PLUGINS_EXTRACT_CSV_CSV_READER_H_
#define SLUICE_PLUGINS_EXTRACT_CSV_CSV_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/utf8.hpp"

namespace sluice::csv {

/// One field of a record. `text` is unescaped and stays valid until the next Next() call.
struct CsvField {
  std::string_view text;
  bool quoted = false;  ///< written between quotes: `""` is an empty string, not a null
  int64_t line = 0;     ///< physical line (1-based) where the field starts
};

/// Reads records one at a time. Accepts quoted fields with doubled quotes, delimiters and
/// CR/LF inside quotes, CRLF, LF or CR line ends, and skips a leading UTF-8 byte order mark
/// and blank lines (as Python's csv module does). A quote inside an unquoted field is kept as
/// text. Does not check UTF-8: see IsValidUtf8.
class CsvReader {
 public:
  /// Throws sdk::Failure when `path` cannot be opened.
  CsvReader(std::string path, char delimiter);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// Replaces *fields with the next record; false at the end of the file. Throws sdk::Failure
  /// naming the file and line for a quote that never closes or text after a closing quote.
  bool Next(std::vector<CsvField>* fields);

  /// Physical line (1-based) where the record last returned by Next() starts.
  int64_t record_line() const { return record_line_; }

  /// From now on, keep each record's bytes as they are in the file (see raw_record()). Costs
  /// one copy of every record, so only a reader that reports bad records turns it on.
  void KeepRawRecords() { keep_raw_ = true; }
  /// The bytes of the record last returned by Next(), quotes and all, without its line end.
  /// REQUIRES: KeepRawRecords() was called before that Next().
  std::string_view raw_record() const { return raw_; }
  const std::string& path() const { return path_; }

 private:
  static constexpr int kEof = -1;
  int Peek();
  bool Refill();
  void StartRaw();
  void EndRaw();
  void ReadQuoted(int64_t start_line);
  void ReadUnquoted();

  std::string path_;
  char delimiter_;
  int fd_ = -1;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  int64_t line_ = 1;
  int64_t record_line_ = 0;
  std::string text_;  // the current record's unescaped fields, back to back
  struct Span {
    size_t begin, end;
    bool quoted;
    int64_t line;
  };
  std::vector<Span> spans_;
  bool keep_raw_ = false;
  bool capturing_ = false;  // inside a record whose raw bytes are kept
  size_t raw_mark_ = 0;     // where the not yet copied part of the record starts in buffer_
  std::string raw_;
};

using sdk::IsValidUtf8;  // sluice/utf8.hpp

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXTRACT_CSV_CSV_READER_H_
