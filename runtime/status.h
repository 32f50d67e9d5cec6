// Errors as values. Status costs one pointer when all is well; Result<T> carries a value or
// the Status that explains why there is none. Exceptions never cross module boundaries.
#ifndef SLUICE_RUNTIME_STATUS_H_
#define SLUICE_RUNTIME_STATUS_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace sluice {

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) {
    Status s;
    s.message_ = std::make_shared<const std::string>(std::move(message));
    return s;
  }

  bool ok() const { return message_ == nullptr; }
  explicit operator bool() const { return ok(); }
  /// The message for the user; empty when ok().
  const std::string& message() const {
    static const std::string kEmpty;
    return message_ ? *message_ : kEmpty;
  }

 private:
  std::shared_ptr<const std::string> message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Status& status() const { return status_; }
  const std::string& message() const { return status_.message(); }

  // REQUIRES: ok()
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace sluice

#endif  // SLUICE_RUNTIME_STATUS_H_
