#include "gzip_sink.h"

#include <zlib.h>

#include <string>

#include "sluice/plugin.hpp"

namespace sluice::csv {
namespace {

constexpr size_t kOutBlock = 1 << 18;
// 15 window bits, plus 16 for a gzip header and trailer instead of a zlib one.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;

}  // namespace

struct GzipSink::Stream {
  z_stream z{};
};

GzipSink::GzipSink(ByteSink* next, int level)
    : next_(next), stream_(new Stream), out_(kOutBlock) {
  if (deflateInit2(&stream_->z, level, Z_DEFLATED, kGzipWindowBits, kMemLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    stream_.reset();
    throw sdk::Failure("cannot start gzip compression (zlib: out of memory?)");
  }
}

GzipSink::~GzipSink() {
  if (stream_) deflateEnd(&stream_->z);
}

void GzipSink::Write(const char* data, size_t size) {
  z_stream& z = stream_->z;
  // avail_in is 32 bits: feed very large buffers in slices.
  constexpr size_t kMaxSlice = 1u << 30;
  while (size > 0) {
    const size_t slice = size < kMaxSlice ? size : kMaxSlice;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    z.avail_in = static_cast<uInt>(slice);
    Deflate(Z_NO_FLUSH);
    data += slice;
    size -= slice;
  }
}

void GzipSink::Finish() {
  stream_->z.next_in = nullptr;
  stream_->z.avail_in = 0;
  Deflate(Z_FINISH);
}

void GzipSink::Deflate(int flush) {
  z_stream& z = stream_->z;
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(out_.data());
    z.avail_out = static_cast<uInt>(out_.size());
    const int rc = deflate(&z, flush);
    if (rc == Z_STREAM_ERROR) {
      throw sdk::Failure(std::string("gzip compression failed: ") + (z.msg ? z.msg : "zlib error"));
    }
    const size_t produced = out_.size() - z.avail_out;
    if (produced > 0) next_->Write(out_.data(), produced);
    if (flush == Z_FINISH ? rc == Z_STREAM_END : (z.avail_in == 0 && z.avail_out != 0)) return;
  }
}

}  // namespace sluice::csv
