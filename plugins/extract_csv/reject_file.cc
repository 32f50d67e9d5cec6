#include "reject_file.h"

namespace sluice::csv {
namespace {

constexpr size_t kFlushSize = 1 << 16;

}  // namespace

RejectFile::RejectFile(std::string path) : file_(std::move(path), "/reject_path") {
  buffer_ = "line,error,record\n";
}

void RejectFile::AppendField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    buffer_.append(text);
    return;
  }
  buffer_.push_back('"');
  for (char c : text) {
    if (c == '"') buffer_.push_back('"');
    buffer_.push_back(c);
  }
  buffer_.push_back('"');
}

void RejectFile::Add(int64_t line, std::string_view error, std::string_view record) {
  buffer_.append(std::to_string(line));
  buffer_.push_back(',');
  AppendField(error);
  buffer_.push_back(',');
  AppendField(record);
  buffer_.push_back('\n');
  ++count_;
  if (buffer_.size() >= kFlushSize) Flush();
}

void RejectFile::Flush() {
  file_.Write(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void RejectFile::Commit() {
  Flush();
  file_.Commit();
}

}  // namespace sluice::csv
