// A file that appears at its path complete or not at all. (A copy of export.csv's: each plugin
// is a self-contained library.)
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_ATOMIC_FILE_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_ATOMIC_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice::parquet {

/// Writes to `<path>.tmp-<pid>` beside the target (creating missing parent folders); Commit()
/// fsyncs it, renames it over the target and fsyncs the folder. Destroying an uncommitted
/// AtomicFile removes the temporary file, so a failure never touches an existing target.
/// Every method throws sdk::Failure naming the file.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void Write(const char* data, size_t size);
  void Commit();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
  uint64_t bytes_written_ = 0;
};

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_ATOMIC_FILE_H_
