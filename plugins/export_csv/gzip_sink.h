// gzip (RFC 1952) compression in front of another sink, streaming in bounded memory.
#ifndef SLUICE_PLUGINS_EXPORT_CSV_GZIP_SINK_H_
#define SLUICE_PLUGINS_EXPORT_CSV_GZIP_SINK_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "byte_sink.h"

namespace sluice::csv {

/// Compresses what it is given with zlib at `level` (1 fastest .. 9 smallest) and hands the
/// compressed bytes to `next` in blocks. The output is a complete .gz file, which `gzip -dc` reads, only
/// after Finish(). Throws sdk::Failure when zlib fails.
class GzipSink : public ByteSink {
 public:
  GzipSink(ByteSink* next, int level);
  ~GzipSink() override;
  GzipSink(const GzipSink&) = delete;
  GzipSink& operator=(const GzipSink&) = delete;

  void Write(const char* data, size_t size) override;
  /// Writes the rest and the gzip trailer. Call once, before the file is committed.
  void Finish();

 private:
  void Deflate(int flush);

  struct Stream;  // z_stream, so that zlib.h stays in the .cc
  ByteSink* next_;
  std::unique_ptr<Stream> stream_;
  std::vector<char> out_;
};

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXPORT_CSV_GZIP_SINK_H_
