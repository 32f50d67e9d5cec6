// Compresses Parquet pages with the codec a task chose. The codec libraries' headers stay in
// page_compressor.cc.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_PAGE_COMPRESSOR_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_PAGE_COMPRESSOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "byte_buffer.h"
#include "parquet_metadata.h"

namespace sluice::parquet {

enum class Compression { kNone, kSnappy, kGzip, kZstd };

/// "none", "snappy", "gzip", "zstd" as written in configurations; nullopt for anything else.
std::optional<Compression> ParseCompression(std::string_view name);
CompressionCodec CodecOf(Compression compression);

/// One compressor per writer: it keeps the codec's context between pages instead of
/// allocating one per page. Not thread-safe.
class PageCompressor {
 public:
  explicit PageCompressor(Compression compression);
  ~PageCompressor();
  PageCompressor(const PageCompressor&) = delete;
  PageCompressor& operator=(const PageCompressor&) = delete;

  Compression compression() const { return compression_; }
  /// The compressed form of `data`, in the block format Parquet expects: raw snappy, a gzip
  /// member (RFC 1952), a zstd frame. It lives in `scratch` (for kNone it is `data` itself)
  /// until the next call. Throws sdk::Failure if the codec fails.
  std::span<const uint8_t> Compress(const uint8_t* data, size_t size, ByteBuffer* scratch);

 private:
  struct Contexts;
  Compression compression_;
  std::unique_ptr<Contexts> contexts_;
};

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_PAGE_COMPRESSOR_H_
