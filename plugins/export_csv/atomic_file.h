// The CSV export's last ByteSink: the SDK's AtomicFile (sluice/atomic_file.hpp), so that a
// compressor can sit in front of it.
#ifndef SLUICE_PLUGINS_EXPORT_CSV_ATOMIC_FILE_H_
#define SLUICE_PLUGINS_EXPORT_CSV_ATOMIC_FILE_H_

#include <cstddef>

#include "byte_sink.h"
#include "sluice/atomic_file.hpp"

namespace sluice::csv {

class AtomicFile final : public ByteSink, public sdk::AtomicFile {
 public:
  using sdk::AtomicFile::AtomicFile;
  void Write(const char* data, size_t size) override { sdk::AtomicFile::Write(data, size); }
};

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXPORT_CSV_ATOMIC_FILE_H_
