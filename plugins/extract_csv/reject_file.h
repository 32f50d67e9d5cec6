// The CSV file where extract.csv puts the records it skips with `on_error: reject`.
#ifndef SLUICE_PLUGINS_EXTRACT_CSV_REJECT_FILE_H_
#define SLUICE_PLUGINS_EXTRACT_CSV_REJECT_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/atomic_file.hpp"

namespace sluice::csv {

/// A CSV (RFC 4180, comma, LF) with the header `line,error,record`: the physical line where a
/// rejected record starts, why it was rejected, and its bytes as they were in the input
/// (without the line end). Like every output it appears only on Commit(), complete.
class RejectFile {
 public:
  explicit RejectFile(std::string path);

  void Add(int64_t line, std::string_view error, std::string_view record);
  /// Writes the rest and renames the file into place.
  void Commit();

  int64_t count() const { return count_; }
  const std::string& path() const { return file_.path(); }

 private:
  void AppendField(std::string_view text);
  void Flush();

  sdk::AtomicFile file_;
  std::string buffer_;
  int64_t count_ = 0;
};

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXTRACT_CSV_REJECT_FILE_H_
