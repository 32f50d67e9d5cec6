#include "csv_writer.h"

namespace sluice::csv {
namespace {

constexpr size_t kFlushSize = 1 << 20;

}  // namespace

CsvWriter::CsvWriter(ByteSink* sink, char delimiter, std::string line_ending)
    : sink_(sink), delimiter_(delimiter), line_ending_(std::move(line_ending)) {
  buffer_.reserve(kFlushSize + 4096);
}

void CsvWriter::AppendField(std::string_view text, bool force_quotes) {
  if (!at_record_start_) buffer_.push_back(delimiter_);
  at_record_start_ = false;
  bool needs_quotes = force_quotes;
  for (size_t i = 0; i < text.size() && !needs_quotes; ++i) {
    const char c = text[i];
    needs_quotes = c == delimiter_ || c == '"' || c == '\r' || c == '\n';
  }
  if (!needs_quotes) {
    buffer_.append(text);
    return;
  }
  buffer_.push_back('"');
  for (size_t start = 0;;) {
    const size_t quote = text.find('"', start);
    if (quote == std::string_view::npos) {
      buffer_.append(text.substr(start));
      break;
    }
    buffer_.append(text.substr(start, quote + 1 - start));
    buffer_.push_back('"');
    start = quote + 1;
  }
  buffer_.push_back('"');
}

void CsvWriter::EndRecord() {
  buffer_.append(line_ending_);
  at_record_start_ = true;
  if (buffer_.size() >= kFlushSize) Flush();
}

void CsvWriter::Flush() {
  sink_->Write(buffer_.data(), buffer_.size());
  buffer_.clear();
}

}  // namespace sluice::csv
