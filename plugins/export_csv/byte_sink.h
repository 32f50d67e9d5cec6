// Where formatted CSV bytes go: the file itself, or a compressor in front of it.
#ifndef SLUICE_PLUGINS_EXPORT_CSV_BYTE_SINK_H_
#define SLUICE_PLUGINS_EXPORT_CSV_BYTE_SINK_H_

#include <cstddef>

namespace sluice::csv {

/// Accepts bytes in order. Write throws sdk::Failure when they cannot be kept.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void Write(const char* data, size_t size) = 0;
};

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXPORT_CSV_BYTE_SINK_H_
