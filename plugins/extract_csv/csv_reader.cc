#include "csv_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sluice/plugin.hpp"

namespace sluice::csv {
namespace {

constexpr size_t kBufferSize = 1 << 20;

}  // namespace

CsvReader::CsvReader(std::string path, char delimiter)
    : path_(std::move(path)), delimiter_(delimiter), buffer_(kBufferSize) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw sdk::Failure("cannot open " + path_ + ": " + std::strerror(errno) +
                       "; check `path` and that the file is readable",
                       "/path");
  }
  Refill();
  static constexpr char kBom[] = {'\xEF', '\xBB', '\xBF'};
  if (end_ >= 3 && std::memcmp(buffer_.data(), kBom, 3) == 0) pos_ = 3;
}

CsvReader::~CsvReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool CsvReader::Refill() {
  if (eof_) return false;
  if (capturing_) raw_.append(buffer_.data() + raw_mark_, end_ - raw_mark_);
  raw_mark_ = 0;
  pos_ = end_ = 0;
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw sdk::Failure("cannot read " + path_ + ": " + std::strerror(errno));
    if (n == 0) eof_ = true;
    end_ = static_cast<size_t>(n);
    return n > 0;
  }
}

void CsvReader::StartRaw() {
  raw_.clear();
  raw_mark_ = pos_;
  capturing_ = keep_raw_;
}

void CsvReader::EndRaw() {
  if (capturing_) raw_.append(buffer_.data() + raw_mark_, pos_ - raw_mark_);
  capturing_ = false;
}

int CsvReader::Peek() {
  if (pos_ == end_ && !Refill()) return kEof;
  return static_cast<unsigned char>(buffer_[pos_]);
}

void CsvReader::ReadUnquoted() {
  for (;;) {
    if (Peek() == kEof) return;
    const char* begin = buffer_.data() + pos_;
    const char* stop = buffer_.data() + end_;
    const char* p = begin;
    while (p != stop && *p != delimiter_ && *p != '\n' && *p != '\r') ++p;
    text_.append(begin, p);
    pos_ += static_cast<size_t>(p - begin);
    if (p != stop) return;
  }
}

// REQUIRES: the opening quote has been consumed.
void CsvReader::ReadQuoted(int64_t start_line) {
  for (;;) {
    if (Peek() == kEof) {
      throw sdk::Failure(path_ + ":" + std::to_string(start_line) +
                         ": a quoted field starts here but its closing quote never comes; "
                         "add the missing \" or double quotes inside the field (\"\")");
    }
    const char* begin = buffer_.data() + pos_;
    const char* stop = buffer_.data() + end_;
    const char* p = begin;
    while (p != stop && *p != '"' && *p != '\n' && *p != '\r') ++p;
    text_.append(begin, p);
    pos_ += static_cast<size_t>(p - begin);
    if (p == stop) continue;
    const char c = *p;
    ++pos_;
    if (c == '\n') {
      text_.push_back('\n');
      ++line_;
    } else if (c == '\r') {
      text_.push_back('\r');
      if (Peek() != '\n') ++line_;  // CRLF counts once, at its LF
    } else if (Peek() == '"') {
      text_.push_back('"');
      ++pos_;
    } else {
      return;
    }
  }
}

bool CsvReader::Next(std::vector<CsvField>* fields) {
  fields->clear();
  for (;;) {
    text_.clear();
    spans_.clear();
    // Blank lines carry no record.
    int c = Peek();
    while (c == '\n' || c == '\r') {
      ++pos_;
      if (c == '\n' || Peek() != '\n') ++line_;
      c = Peek();
    }
    if (c == kEof) return false;
    record_line_ = line_;
    StartRaw();
    for (;;) {
      const size_t begin = text_.size();
      const int64_t field_line = line_;
      const bool quoted = Peek() == '"';
      if (quoted) {
        ++pos_;
        ReadQuoted(field_line);
      } else {
        ReadUnquoted();
      }
      spans_.push_back({begin, text_.size(), quoted, field_line});
      c = Peek();
      if (c == static_cast<unsigned char>(delimiter_)) {
        ++pos_;
        continue;
      }
      if (c == '\r' || c == '\n' || c == kEof) EndRaw();
      if (c == '\r') {
        ++pos_;
        if (Peek() == '\n') ++pos_;
        ++line_;
        break;
      }
      if (c == '\n') {
        ++pos_;
        ++line_;
        break;
      }
      if (c == kEof) break;
      // Only a quoted field can stop anywhere else: at its closing quote.
      throw sdk::Failure(path_ + ":" + std::to_string(line_) + ": unexpected '" +
                         std::string(1, static_cast<char>(c)) +
                         "' after a closing quote; a quoted field must end at the delimiter "
                         "or the line end, and quotes inside it are doubled (\"\")");
    }
    break;
  }
  for (const Span& span : spans_) {
    fields->push_back(
        {std::string_view(text_).substr(span.begin, span.end - span.begin), span.quoted, span.line});
  }
  return true;
}


}  // namespace sluice::csv
