// The sluice dataset format (`.sds`): how tasks hand tables to each other.
//
// A dataset is one file: a header, a sequence of column chunks, and a footer holding the
// schema and the chunk index, found through a fixed-size trailer at the end of the file.
// Every buffer is little-endian and 8-byte aligned, so a Reader maps the file and points
// straight into it; nothing is parsed between tasks. docs/dataset-format.md describes the
// bytes.
//
//   namespace ds = sluice::dataset;
//   ds::Writer writer(path, {{"id", ds::Type::kInt64}, {"amount", ds::Type::kDecimal, 10, 2}});
//   writer.AppendInt64(0, 7);
//   writer.AppendDecimal(1, -1230);  // -12.30
//   writer.EndRow();
//   writer.Finish();                  // until here, nothing is visible at `path`
//
//   ds::Reader reader(path);
//   for (size_t c = 0; c < reader.chunk_count(); ++c) {
//     ds::ChunkView chunk = reader.chunk(c);
//     ds::ColumnView amount = chunk.column(1);
//     for (int64_t row = 0; row < chunk.row_count(); ++row)
//       if (!amount.IsNull(row)) use(ds::FormatDecimal(amount.DecimalAt(row), 2));
//   }
//
// Errors are thrown as sluice::dataset::Error, whose message names the file and says what to
// do. The host converts them to Status at its boundary; plugins let them become a Failure.
// Header-only; depends on the C++20 standard library and POSIX only.
#ifndef SLUICE_DATASET_HPP_
#define SLUICE_DATASET_HPP_

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::dataset {

static_assert(std::endian::native == std::endian::little,
              "the dataset format is little-endian and mapped without conversion");

/// Written in every header; a reader refuses any other version (see the versioning policy in
/// docs/dataset-format.md).
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr char kHeaderMagic[8] = {'S', 'L', 'U', 'I', 'C', 'E', 'D', 'S'};
inline constexpr char kTrailerMagic[8] = {'S', 'D', 'S', 'E', 'N', 'D', '\0', '\0'};
inline constexpr uint64_t kHeaderSize = 16;
inline constexpr uint64_t kTrailerSize = 32;
inline constexpr uint64_t kAlignment = 8;
/// Rows per chunk unless WriterOptions says otherwise: large enough to amortise per-chunk
/// costs, small enough that a writer's memory stays a few megabytes per column.
inline constexpr int64_t kDefaultChunkRows = 65536;
/// Decimals are an int64 unscaled value, which holds any 18-digit number.
inline constexpr int kMaxDecimalPrecision = 18;

/// The on-disk type codes. Never renumber: they are part of the format.
enum class Type : uint8_t {
  kInt64 = 1,
  kFloat64 = 2,
  kDecimal = 3,    ///< exact: int64 unscaled value; precision and scale in the Column
  kString = 4,     ///< UTF-8
  kBool = 5,
  kDate = 6,       ///< int32 days since 1970-01-01
  kTimestamp = 7,  ///< int64 microseconds since 1970-01-01 00:00:00 UTC
};

/// One column of a schema. Every column is nullable.
struct Column {
  std::string name;
  Type type = Type::kString;
  int precision = 0;  ///< decimal only: total digits, 1..18
  int scale = 0;      ///< decimal only: digits after the point, 0..precision
};

using Schema = std::vector<Column>;

/// Thrown for unreadable, corrupt or unsupported files and for misuse of the API.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// Type names

/// "int64", "float64", "decimal(10,2)", "string", "bool", "date", "timestamp".
inline std::string TypeName(const Column& column) {
  switch (column.type) {
    case Type::kInt64: return "int64";
    case Type::kFloat64: return "float64";
    case Type::kDecimal:
      return "decimal(" + std::to_string(column.precision) + "," + std::to_string(column.scale) +
             ")";
    case Type::kString: return "string";
    case Type::kBool: return "bool";
    case Type::kDate: return "date";
    case Type::kTimestamp: return "timestamp";
  }
  return "unknown";
}

/// Why `column`'s type is unusable (bad decimal precision/scale), or empty when it is fine.
inline std::string CheckColumnType(const Column& column) {
  if (column.type != Type::kDecimal) return "";
  if (column.precision < 1 || column.precision > kMaxDecimalPrecision) {
    return "decimal precision must be between 1 and 18, not " + std::to_string(column.precision);
  }
  if (column.scale < 0 || column.scale > column.precision) {
    return "decimal scale must be between 0 and the precision (" +
           std::to_string(column.precision) + "), not " + std::to_string(column.scale);
  }
  return "";
}

/// Parses a type as written in configurations (TypeName's output). Sets column->type,
/// precision and scale; on failure returns false and explains in *error.
inline bool ParseTypeName(std::string_view text, Column* column, std::string* error) {
  static constexpr std::pair<std::string_view, Type> kSimple[] = {
      {"int64", Type::kInt64}, {"float64", Type::kFloat64}, {"string", Type::kString},
      {"bool", Type::kBool},   {"date", Type::kDate},       {"timestamp", Type::kTimestamp}};
  for (const auto& [name, type] : kSimple) {
    if (text == name) {
      column->type = type;
      column->precision = column->scale = 0;
      return true;
    }
  }
  constexpr std::string_view kDecimalPrefix = "decimal(";
  if (text.starts_with(kDecimalPrefix) && text.ends_with(")")) {
    std::string_view args = text.substr(kDecimalPrefix.size(),
                                        text.size() - kDecimalPrefix.size() - 1);
    const size_t comma = args.find(',');
    int precision = -1, scale = -1;
    if (comma != std::string_view::npos) {
      const std::string_view p = args.substr(0, comma), s = args.substr(comma + 1);
      auto [pend, pec] = std::from_chars(p.data(), p.data() + p.size(), precision);
      auto [send, sec] = std::from_chars(s.data(), s.data() + s.size(), scale);
      if (pec != std::errc() || pend != p.data() + p.size() || sec != std::errc() ||
          send != s.data() + s.size()) {
        precision = scale = -1;
      }
    }
    if (precision >= 0) {
      Column candidate{column->name, Type::kDecimal, precision, scale};
      if (std::string why = CheckColumnType(candidate); !why.empty()) {
        *error = "'" + std::string(text) + "': " + why;
        return false;
      }
      *column = std::move(candidate);
      return true;
    }
  }
  *error = "unknown type '" + std::string(text) +
           "'; use one of string, int64, float64, bool, date, timestamp, decimal(P,S) "
           "such as decimal(12,2)";
  return false;
}

// ---------------------------------------------------------------------------------------------
// Values as text. The Append* functions append to *out so a hot loop reuses one buffer.

namespace detail {

inline void AppendPadded(std::string* out, int64_t value, int width) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  (void)ec;  // 24 characters hold any int64
  const int length = static_cast<int>(end - digits);
  if (value >= 0 && length < width) out->append(static_cast<size_t>(width - length), '0');
  out->append(digits, end);
}

inline int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace detail

/// -1230 at scale 2 is "-12.30"; 0 at scale 2 is "0.00"; -5 at scale 2 is "-0.05".
inline void AppendDecimalText(std::string* out, int64_t unscaled, int scale) {
  // Work on the magnitude as uint64 so INT64_MIN has one too.
  const bool negative = unscaled < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(unscaled)
                                      : static_cast<uint64_t>(unscaled);
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, magnitude);
  (void)ec;
  std::string_view text(digits, static_cast<size_t>(end - digits));
  if (negative) out->push_back('-');
  if (scale <= 0) {
    out->append(text);
    return;
  }
  const size_t frac = static_cast<size_t>(scale);
  if (text.size() <= frac) {
    out->append("0.");
    out->append(frac - text.size(), '0');
    out->append(text);
  } else {
    out->append(text.substr(0, text.size() - frac));
    out->push_back('.');
    out->append(text.substr(text.size() - frac));
  }
}

/// Days since 1970-01-01 as "YYYY-MM-DD".
inline void AppendDateText(std::string* out, int32_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  detail::AppendPadded(out, static_cast<int>(ymd.year()), 4);
  out->push_back('-');
  detail::AppendPadded(out, static_cast<unsigned>(ymd.month()), 2);
  out->push_back('-');
  detail::AppendPadded(out, static_cast<unsigned>(ymd.day()), 2);
}

/// Microseconds since the epoch as "YYYY-MM-DD HH:MM:SS" in UTC, plus ".ffffff" only when the
/// fraction is not zero.
inline void AppendTimestampText(std::string* out, int64_t micros) {
  constexpr int64_t kMicrosPerDay = 86'400'000'000;
  const int64_t days = detail::FloorDiv(micros, kMicrosPerDay);
  const int64_t in_day = micros - days * kMicrosPerDay;
  AppendDateText(out, static_cast<int32_t>(days));
  const int64_t seconds = in_day / 1'000'000;
  out->push_back(' ');
  detail::AppendPadded(out, seconds / 3600, 2);
  out->push_back(':');
  detail::AppendPadded(out, seconds / 60 % 60, 2);
  out->push_back(':');
  detail::AppendPadded(out, seconds % 60, 2);
  if (const int64_t fraction = in_day % 1'000'000; fraction != 0) {
    out->push_back('.');
    detail::AppendPadded(out, fraction, 6);
  }
}

/// The shortest text that reads back as the same double ("0.1", "1e+300", "nan", "-inf").
inline void AppendFloat64Text(std::string* out, double value) {
  char text[32];
  auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  (void)ec;  // 32 characters hold any shortest double
  out->append(text, end);
}

inline void AppendBoolText(std::string* out, bool value) { out->append(value ? "true" : "false"); }

inline std::string FormatDecimal(int64_t unscaled, int scale) {
  std::string out;
  AppendDecimalText(&out, unscaled, scale);
  return out;
}
inline std::string FormatDate(int32_t days) {
  std::string out;
  AppendDateText(&out, days);
  return out;
}
inline std::string FormatTimestamp(int64_t micros) {
  std::string out;
  AppendTimestampText(&out, micros);
  return out;
}
inline std::string FormatFloat64(double value) {
  std::string out;
  AppendFloat64Text(&out, value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text as values, for importers. Each returns false and explains in *error (without naming
// the file or line, which only the caller knows). Leading and trailing spaces are ignored.

namespace detail {

inline std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

inline std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// Reads exactly `width` digits at text[*pos]; advances *pos.
inline bool ReadDigits(std::string_view text, size_t* pos, size_t width, int* value) {
  if (*pos + width > text.size()) return false;
  int result = 0;
  for (size_t i = 0; i < width; ++i) {
    const char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    result = result * 10 + (c - '0');
  }
  *pos += width;
  *value = result;
  return true;
}

inline bool ReadDate(std::string_view text, size_t* pos, int32_t* days) {
  int y = 0, m = 0, d = 0;
  if (!ReadDigits(text, pos, 4, &y) || *pos >= text.size() || text[(*pos)++] != '-' ||
      !ReadDigits(text, pos, 2, &m) || *pos >= text.size() || text[(*pos)++] != '-' ||
      !ReadDigits(text, pos, 2, &d)) {
    return false;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                        std::chrono::day{unsigned(d)}};
  if (!ymd.ok()) return false;
  *days = static_cast<int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
  return true;
}

}  // namespace detail

/// "-42", "+7". Rejects fractions and values outside int64.
inline bool ParseInt64(std::string_view text, int64_t* value, std::string* error) {
  text = detail::TrimSpaces(text);
  std::string_view digits = text;
  if (digits.starts_with('+')) digits.remove_prefix(1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *value);
  if (ec == std::errc::result_out_of_range) {
    *error = detail::Quoted(text) + " is out of the int64 range; declare the column as "
             "decimal or string";
    return false;
  }
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
    *error = detail::Quoted(text) + " is not a whole number";
    return false;
  }
  return true;
}

/// "3.25", "-1e-3", "inf", "nan".
inline bool ParseFloat64(std::string_view text, double* value, std::string* error) {
  text = detail::TrimSpaces(text);
  std::string_view digits = text;
  if (digits.starts_with('+')) digits.remove_prefix(1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *value);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
    *error = detail::Quoted(text) + " is not a number";
    return false;
  }
  return true;
}

/// "-12.3" at scale 2 gives -1230. Trailing zeros beyond the scale are accepted ("1.500" at
/// scale 2); other extra digits are refused rather than silently rounded, as are values with
/// more than precision - scale digits before the point.
inline bool ParseDecimal(std::string_view text, int precision, int scale, int64_t* unscaled,
                         std::string* error) {
  text = detail::TrimSpaces(text);
  auto type_name = [&] { return TypeName(Column{"", Type::kDecimal, precision, scale}); };
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
  int64_t result = 0;
  int integer_digits = 0, fraction_digits = 0, significant = 0;
  bool any_digit = false, seen_point = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') {
      *error = detail::Quoted(text) + " is not a decimal number";
      return false;
    }
    any_digit = true;
    if (seen_point && fraction_digits >= scale) {
      if (c != '0') {
        *error = detail::Quoted(text) + " has more than " + std::to_string(scale) +
                 " digits after the point, which " + type_name() +
                 " cannot hold exactly; round it in the source or raise the scale";
        return false;
      }
      continue;
    }
    if (seen_point) {
      ++fraction_digits;
    } else if (significant > 0 || c != '0') {
      ++integer_digits;
    }
    if (significant > 0 || c != '0') ++significant;
    result = result * 10 + (c - '0');  // at most 18 significant digits: never overflows
    if (integer_digits > precision - scale) {
      *error = detail::Quoted(text) + " has more than " + std::to_string(precision - scale) +
               " digits before the point, which " + type_name() +
               " cannot hold; raise the precision";
      return false;
    }
  }
  if (!any_digit) {
    *error = detail::Quoted(text) + " is not a decimal number";
    return false;
  }
  for (int i = fraction_digits; i < scale; ++i) result *= 10;
  *unscaled = negative ? -result : result;
  return true;
}

/// "true"/"false" in any case, "1"/"0".
inline bool ParseBool(std::string_view text, bool* value, std::string* error) {
  text = detail::TrimSpaces(text);
  auto equals = [text](std::string_view word) {
    if (text.size() != word.size()) return false;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i] >= 'A' && text[i] <= 'Z' ? char(text[i] - 'A' + 'a') : text[i];
      if (c != word[i]) return false;
    }
    return true;
  };
  if (equals("true") || text == "1") {
    *value = true;
  } else if (equals("false") || text == "0") {
    *value = false;
  } else {
    *error = detail::Quoted(text) + " is not a bool; write true/false or 1/0";
    return false;
  }
  return true;
}

/// "YYYY-MM-DD" (a real calendar day).
inline bool ParseDate(std::string_view text, int32_t* days, std::string* error) {
  text = detail::TrimSpaces(text);
  size_t pos = 0;
  if (!detail::ReadDate(text, &pos, days) || pos != text.size()) {
    *error = detail::Quoted(text) + " is not a date; write YYYY-MM-DD, e.g. 2024-02-29";
    return false;
  }
  return true;
}

/// "YYYY-MM-DD HH:MM:SS[.f{1,6}]" with ' ' or 'T' between date and time, then an optional
/// "Z" or "+HH:MM"/"-HH:MM" offset (without one the time is UTC). A bare date is midnight.
inline bool ParseTimestamp(std::string_view text, int64_t* micros, std::string* error) {
  text = detail::TrimSpaces(text);
  auto fail = [&] {
    *error = detail::Quoted(text) +
             " is not a timestamp; write YYYY-MM-DD HH:MM:SS[.ffffff][Z|+HH:MM], "
             "e.g. 2024-03-01 13:45:00";
    return false;
  };
  size_t pos = 0;
  int32_t days = 0;
  if (!detail::ReadDate(text, &pos, &days)) return fail();
  int64_t in_day = 0;
  if (pos < text.size()) {
    if (text[pos] != ' ' && text[pos] != 'T') return fail();
    ++pos;
    int h = 0, m = 0, s = 0;
    if (!detail::ReadDigits(text, &pos, 2, &h) || pos >= text.size() || text[pos++] != ':' ||
        !detail::ReadDigits(text, &pos, 2, &m) || pos >= text.size() || text[pos++] != ':' ||
        !detail::ReadDigits(text, &pos, 2, &s) || h > 23 || m > 59 || s > 59) {
      return fail();
    }
    in_day = (int64_t{h} * 3600 + m * 60 + s) * 1'000'000;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int64_t fraction = 0;
      int digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && digits < 6) {
        fraction = fraction * 10 + (text[pos++] - '0');
        ++digits;
      }
      if (digits == 0 || (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')) return fail();
      for (int i = digits; i < 6; ++i) fraction *= 10;
      in_day += fraction;
    }
    if (pos < text.size() && text[pos] == 'Z') {
      ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos++] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!detail::ReadDigits(text, &pos, 2, &oh) || pos >= text.size() || text[pos++] != ':' ||
          !detail::ReadDigits(text, &pos, 2, &om) || oh > 23 || om > 59) {
        return fail();
      }
      // Local time = UTC + offset, so UTC = local - offset.
      in_day -= sign * (int64_t{oh} * 3600 + om * 60) * 1'000'000;
    }
    if (pos != text.size()) return fail();
  }
  *micros = int64_t{days} * 86'400'000'000 + in_day;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Writer

namespace detail {

inline std::string ErrnoText() { return std::strerror(errno); }

inline void CheckSchema(const Schema& schema, const std::string& path) {
  if (schema.empty()) throw Error(path + ": a dataset needs at least one column");
  for (size_t i = 0; i < schema.size(); ++i) {
    const Column& column = schema[i];
    if (column.name.empty()) {
      throw Error(path + ": column " + std::to_string(i + 1) + " has no name; name every column");
    }
    for (size_t j = 0; j < i; ++j) {
      if (schema[j].name == column.name) {
        throw Error(path + ": two columns are named '" + column.name + "'; rename one");
      }
    }
    if (std::string why = CheckColumnType(column); !why.empty()) {
      throw Error(path + ": column '" + column.name + "': " + why);
    }
  }
}

// Bytes per value in the values buffer; strings store uint64 offsets there.
inline uint64_t ValueWidth(Type type) {
  switch (type) {
    case Type::kBool: return 1;
    case Type::kDate: return 4;
    default: return 8;
  }
}

// 64-bit FNV-1a: guards the footer against corruption; data buffers are not checksummed so
// that readers can map them without touching every page.
inline uint64_t Fnv1a64(const uint8_t* data, size_t size) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= 0x100000001b3ull;
  }
  return hash;
}

inline uint64_t AlignUp(uint64_t n) { return (n + kAlignment - 1) / kAlignment * kAlignment; }

template <typename T>
void PutLe(std::vector<uint8_t>* out, T value) {
  const size_t at = out->size();
  out->resize(at + sizeof(T));
  std::memcpy(out->data() + at, &value, sizeof(T));
}

// Where one column's buffers of one chunk live in the file; offset 0 means absent.
struct ColumnChunkEntry {
  uint64_t null_count = 0;
  uint64_t validity_offset = 0;
  uint64_t values_offset = 0;
  uint64_t values_size = 0;
  uint64_t bytes_offset = 0;  // strings only
  uint64_t bytes_size = 0;
};

struct ChunkEntry {
  uint64_t row_count = 0;
  std::vector<ColumnChunkEntry> columns;
};

}  // namespace detail

struct WriterOptions {
  /// Rows buffered in memory before a chunk is written.
  int64_t chunk_rows = kDefaultChunkRows;
  /// Whether Finish() waits for the file (and its folder entry) to reach the disk. Off by
  /// default: datasets are the files tasks exchange in a run's workspace, which a re-run
  /// makes again, and a Reader refuses a file cut short by a power loss (its trailer and
  /// footer checksum). Waiting cost 0.13 s for a 145 MB dataset on the job's critical path.
  /// Turn it on for a dataset that must survive a power loss on its own.
  bool sync_to_disk = false;
};

/// Streams rows into a new dataset file. Values are appended column by column for the current
/// row (each column exactly once, in any order), then EndRow(). Memory is bounded by one chunk.
/// The file appears at `path` only when Finish() succeeds: until then it is written to
/// `<path>.tmp-<pid>`, which the destructor removes if Finish() was not reached.
/// Not thread-safe.
class Writer {
 public:
  Writer(std::string path, Schema schema, WriterOptions options = {})
      : path_(std::move(path)),
        temp_path_(path_ + ".tmp-" + std::to_string(::getpid())),
        schema_(std::move(schema)),
        options_(options),
        builders_(schema_.size()) {
    detail::CheckSchema(schema_, path_);
    if (options_.chunk_rows < 1) throw Error(path_ + ": chunk_rows must be at least 1");
    fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      throw Error("cannot create dataset " + temp_path_ + ": " + detail::ErrnoText() +
                  "; check that the folder exists and is writable");
    }
    for (size_t c = 0; c < schema_.size(); ++c) builders_[c].Reset(schema_[c].type);
    // A fixed array rather than a growing vector: GCC 12 sees through the vector's inserts
    // when this constructor is inlined and warns of an overflow that cannot happen.
    uint8_t header[kHeaderSize] = {};
    std::memcpy(header, kHeaderMagic, sizeof kHeaderMagic);
    const uint32_t version = kFormatVersion;  // little-endian on every supported host
    std::memcpy(header + sizeof kHeaderMagic, &version, sizeof version);
    // bytes 12..15: flags, reserved (zero)
    Write(header, sizeof header);
  }

  ~Writer() {
    if (fd_ >= 0) ::close(fd_);
    if (!finished_) ::unlink(temp_path_.c_str());
  }

  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  const Schema& schema() const { return schema_; }
  const std::string& path() const { return path_; }
  /// Rows completed with EndRow() so far.
  int64_t row_count() const { return rows_total_; }
  /// Size of the finished file; 0 before Finish().
  uint64_t file_size() const { return finished_ ? offset_ : 0; }

  void AppendNull(size_t column) {
    Builder& b = Slot(column);
    b.MarkNull();
    switch (schema_[column].type) {
      case Type::kString: b.PushOffset(); break;
      default: b.values.resize(b.values.size() + detail::ValueWidth(schema_[column].type), 0);
    }
    b.rows++;
  }
  void AppendInt64(size_t column, int64_t value) { AppendFixed(column, Type::kInt64, value); }
  void AppendFloat64(size_t column, double value) { AppendFixed(column, Type::kFloat64, value); }
  /// `unscaled` is the value times 10^scale: -12.30 at scale 2 is -1230.
  void AppendDecimal(size_t column, int64_t unscaled) {
    AppendFixed(column, Type::kDecimal, unscaled);
  }
  void AppendBool(size_t column, bool value) {
    AppendFixed(column, Type::kBool, static_cast<uint8_t>(value ? 1 : 0));
  }
  void AppendDate(size_t column, int32_t days_since_epoch) {
    AppendFixed(column, Type::kDate, days_since_epoch);
  }
  void AppendTimestamp(size_t column, int64_t micros_since_epoch) {
    AppendFixed(column, Type::kTimestamp, micros_since_epoch);
  }
  /// REQUIRES: `value` is valid UTF-8 (the writer does not check).
  void AppendString(size_t column, std::string_view value) {
    Builder& b = Slot(column, Type::kString);
    b.MarkValid();
    b.bytes.append(value);
    b.PushOffset();
    b.rows++;
  }

  /// Parses `text` as the column's type (see the Parse* functions) and appends it. Returns
  /// false, appending nothing, when the text does not fit the type; *error says why.
  bool AppendParsed(size_t column, std::string_view text, std::string* error) {
    const Column& c = schema_.at(column);
    switch (c.type) {
      case Type::kString: AppendString(column, text); return true;
      case Type::kInt64: {
        int64_t v = 0;
        if (!ParseInt64(text, &v, error)) return false;
        AppendInt64(column, v);
        return true;
      }
      case Type::kFloat64: {
        double v = 0;
        if (!ParseFloat64(text, &v, error)) return false;
        AppendFloat64(column, v);
        return true;
      }
      case Type::kDecimal: {
        int64_t v = 0;
        if (!ParseDecimal(text, c.precision, c.scale, &v, error)) return false;
        AppendDecimal(column, v);
        return true;
      }
      case Type::kBool: {
        bool v = false;
        if (!ParseBool(text, &v, error)) return false;
        AppendBool(column, v);
        return true;
      }
      case Type::kDate: {
        int32_t v = 0;
        if (!ParseDate(text, &v, error)) return false;
        AppendDate(column, v);
        return true;
      }
      case Type::kTimestamp: {
        int64_t v = 0;
        if (!ParseTimestamp(text, &v, error)) return false;
        AppendTimestamp(column, v);
        return true;
      }
    }
    *error = "unknown column type";
    return false;
  }

  /// Bulk append for producers that work a column at a time: appends `n` values to one
  /// column, then, once every column has its `n`, EndRows(n) completes the rows. `bits` holds
  /// fixed-width values as 64-bit patterns: int64, unscaled decimal and timestamp as two's
  /// complement, date as days, bool as 0 or 1, float64 as its IEEE-754 bits. `present[i] == 0`
  /// makes value i null (its bits are ignored); `present` may be nullptr (no nulls).
  /// REQUIRES: a fixed-width column that has no value for the current rows yet.
  void AppendFixedColumn(size_t column, const uint64_t* bits, const uint8_t* present, size_t n) {
    Builder& b = Slot(column);
    const Type type = schema_[column].type;
    if (type == Type::kString) {
      throw Error(path_ + ": column '" + schema_[column].name + "' is string; use AppendStringColumn");
    }
    const size_t width = detail::ValueWidth(type), at = b.values.size();
    b.values.resize(at + n * width);
    uint8_t* out = b.values.data() + at;
    // A null's bits are stored as 0, so the values are copied first and nulls cleared after.
    if (width == 8) {
      std::memcpy(out, bits, n * 8);  // little-endian host, as everywhere in this format
    } else if (width == 4) {
      for (size_t i = 0; i < n; ++i) {
        const uint32_t narrow = static_cast<uint32_t>(bits[i]);
        std::memcpy(out + i * 4, &narrow, 4);
      }
    } else {
      for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(bits[i] != 0);
    }
    if (present == nullptr && b.null_count == 0) {
      b.rows += static_cast<int64_t>(n);
    } else {
      for (size_t i = 0; i < n; ++i) {
        if (present != nullptr && present[i] == 0) {
          std::memset(out + i * width, 0, width);
          b.MarkNull();
        } else {
          b.MarkValid();
        }
        b.rows++;
      }
    }
    b.batch_open = true;
  }

  /// Like AppendFixedColumn for a string column. REQUIRES: present values are valid UTF-8.
  void AppendStringColumn(size_t column, const std::string_view* values, const uint8_t* present, size_t n) {
    Builder& b = Slot(column, Type::kString);
    for (size_t i = 0; i < n; ++i) {
      if (present != nullptr && present[i] == 0) {
        b.MarkNull();
      } else {
        b.MarkValid();
        b.bytes.append(values[i]);
      }
      b.PushOffset();
      b.rows++;
    }
    b.batch_open = true;
  }

  /// Completes `n` rows appended column by column. A chunk may exceed chunk_rows by less
  /// than one such batch. REQUIRES: every column received exactly `n` values since the last
  /// EndRow/EndRows.
  void EndRows(size_t n) {
    for (size_t c = 0; c < builders_.size(); ++c) {
      if (builders_[c].rows != chunk_rows_ + static_cast<int64_t>(n)) {
        throw Error(path_ + ": column '" + schema_[c].name + "' has " +
                    std::to_string(builders_[c].rows - chunk_rows_) + " values for a batch of " +
                    std::to_string(n) + " rows; append exactly n values to every column");
      }
      builders_[c].batch_open = false;
    }
    chunk_rows_ += static_cast<int64_t>(n);
    rows_total_ += static_cast<int64_t>(n);
    if (chunk_rows_ >= options_.chunk_rows) FlushChunk();
  }

  /// Completes the current row. REQUIRES: every column received exactly one value.
  void EndRow() {
    for (size_t c = 0; c < builders_.size(); ++c) {
      if (builders_[c].rows != chunk_rows_ + 1) {
        throw Error(path_ + ": row " + std::to_string(rows_total_ + 1) + " has no value for column '" +
                    schema_[c].name + "'; append a value or a null to every column");
      }
    }
    for (Builder& b : builders_) b.batch_open = false;
    ++chunk_rows_;
    ++rows_total_;
    if (chunk_rows_ >= options_.chunk_rows) FlushChunk();
  }

  /// Writes the rest, syncs it to disk when options say so, and renames it into place.
  /// Call once.
  void Finish() {
    if (finished_ || fd_ < 0) throw Error(path_ + ": Finish() called twice");
    for (const Builder& b : builders_) {
      if (b.rows != chunk_rows_) {
        throw Error(path_ + ": the last row was not completed with EndRow()");
      }
    }
    if (chunk_rows_ > 0) FlushChunk();
    WriteFooterAndTrailer();
    if (options_.sync_to_disk && ::fsync(fd_) != 0) {
      throw Error("cannot sync " + temp_path_ + ": " + detail::ErrnoText());
    }
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw Error("cannot close " + temp_path_ + ": " + detail::ErrnoText());
    if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      throw Error("cannot rename " + temp_path_ + " to " + path_ + ": " + detail::ErrnoText());
    }
    finished_ = true;
    if (options_.sync_to_disk) SyncParentFolder();
  }

 private:
  // One column's values for the chunk being built.
  struct Builder {
    std::vector<uint8_t> validity;  // bit per row, 1 = present; kept only if nulls occur
    std::vector<uint8_t> values;    // fixed-width values, or uint64 offsets for strings
    std::string bytes;              // string contents
    int64_t rows = 0;
    int64_t null_count = 0;
    bool batch_open = false;  // AppendFixedColumn/AppendStringColumn called, EndRows not yet

    void Reset(Type type) {
      validity.clear();
      values.clear();
      bytes.clear();
      rows = 0;
      null_count = 0;
      if (type == Type::kString) PushOffset();  // offsets start with 0
    }
    void PushOffset() { detail::PutLe<uint64_t>(&values, bytes.size()); }
    // Validity bits exist only once a null occurs in the chunk: until then every row is
    // present and appending a value costs nothing here.
    void MarkValid() {
      if (null_count == 0) return;
      const size_t byte = static_cast<size_t>(rows / 8);
      if (validity.size() <= byte) validity.resize(byte + 1, 0);
      validity[byte] = static_cast<uint8_t>(validity[byte] | (1u << (rows % 8)));
    }
    // Row `rows` is null: its bit stays 0; at the chunk's first null the rows before it
    // become present.
    void MarkNull() {
      if (null_count++ == 0) {
        validity.assign(static_cast<size_t>(rows / 8), 0xff);
        validity.push_back(static_cast<uint8_t>((1u << (rows % 8)) - 1));
      } else if (const size_t byte = static_cast<size_t>(rows / 8); validity.size() <= byte) {
        validity.resize(byte + 1, 0);
      }
    }
  };

  Builder& Slot(size_t column) {
    if (column >= builders_.size()) {
      throw Error(path_ + ": column index " + std::to_string(column) + " is out of range");
    }
    Builder& b = builders_[column];
    if (b.rows != chunk_rows_ || b.batch_open) {
      throw Error(path_ + ": column '" + schema_[column].name +
                  "' already has its value for this row; call EndRow() (or EndRows() after a bulk append) first");
    }
    return b;
  }
  Builder& Slot(size_t column, Type type) {
    Builder& b = Slot(column);
    if (schema_[column].type != type) {
      throw Error(path_ + ": column '" + schema_[column].name + "' is " +
                  TypeName(schema_[column]) + "; append a value of that type");
    }
    return b;
  }

  template <typename T>
  void AppendFixed(size_t column, Type type, T value) {
    Builder& b = Slot(column, type);
    b.MarkValid();
    detail::PutLe<T>(&b.values, value);
    b.rows++;
  }

  void Write(const void* data, size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      const ssize_t n = ::write(fd_, p, size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        throw Error("cannot write dataset " + temp_path_ + ": " + detail::ErrnoText() +
                    "; check free disk space");
      }
      p += n;
      size -= static_cast<size_t>(n);
      offset_ += static_cast<uint64_t>(n);
    }
  }

  // Writes one buffer at the next aligned offset and returns that offset.
  uint64_t WriteBuffer(const void* data, size_t size) {
    static constexpr uint8_t kZeros[kAlignment] = {};
    if (const uint64_t pad = detail::AlignUp(offset_) - offset_; pad > 0) Write(kZeros, pad);
    const uint64_t at = offset_;
    Write(data, size);
    return at;
  }

  void FlushChunk() {
    detail::ChunkEntry chunk;
    chunk.row_count = static_cast<uint64_t>(chunk_rows_);
    for (size_t c = 0; c < builders_.size(); ++c) {
      Builder& b = builders_[c];
      detail::ColumnChunkEntry entry;
      entry.null_count = static_cast<uint64_t>(b.null_count);
      if (b.null_count > 0) {
        b.validity.resize(static_cast<size_t>((chunk_rows_ + 7) / 8), 0);
        entry.validity_offset = WriteBuffer(b.validity.data(), b.validity.size());
      }
      entry.values_offset = WriteBuffer(b.values.data(), b.values.size());
      entry.values_size = b.values.size();
      if (schema_[c].type == Type::kString) {
        entry.bytes_offset = WriteBuffer(b.bytes.data(), b.bytes.size());
        entry.bytes_size = b.bytes.size();
      }
      chunk.columns.push_back(entry);
      b.Reset(schema_[c].type);
    }
    chunks_.push_back(std::move(chunk));
    chunk_rows_ = 0;
  }

  void WriteFooterAndTrailer() {
    std::vector<uint8_t> footer;
    detail::PutLe<uint32_t>(&footer, static_cast<uint32_t>(schema_.size()));
    detail::PutLe<uint32_t>(&footer, 0);
    for (const Column& column : schema_) {
      footer.push_back(static_cast<uint8_t>(column.type));
      footer.push_back(static_cast<uint8_t>(column.precision));
      footer.push_back(static_cast<uint8_t>(column.scale));
      footer.push_back(0);
      detail::PutLe<uint32_t>(&footer, static_cast<uint32_t>(column.name.size()));
      footer.insert(footer.end(), column.name.begin(), column.name.end());
      footer.resize(detail::AlignUp(footer.size()), 0);
    }
    detail::PutLe<uint64_t>(&footer, static_cast<uint64_t>(rows_total_));
    detail::PutLe<uint64_t>(&footer, chunks_.size());
    for (const detail::ChunkEntry& chunk : chunks_) {
      detail::PutLe<uint64_t>(&footer, chunk.row_count);
      for (const detail::ColumnChunkEntry& e : chunk.columns) {
        for (uint64_t v : {e.null_count, e.validity_offset, e.values_offset, e.values_size,
                           e.bytes_offset, e.bytes_size}) {
          detail::PutLe<uint64_t>(&footer, v);
        }
      }
    }
    const uint64_t footer_offset = WriteBuffer(footer.data(), footer.size());
    std::vector<uint8_t> trailer;
    detail::PutLe<uint64_t>(&trailer, footer_offset);
    detail::PutLe<uint64_t>(&trailer, footer.size());
    detail::PutLe<uint64_t>(&trailer, detail::Fnv1a64(footer.data(), footer.size()));
    trailer.insert(trailer.end(), kTrailerMagic, kTrailerMagic + 8);
    Write(trailer.data(), trailer.size());
  }

  // Makes the rename itself durable; a failure here only risks the rename after a power cut.
  void SyncParentFolder() {
    const size_t slash = path_.find_last_of('/');
    const std::string folder = slash == std::string::npos ? "." : slash == 0 ? "/" : path_.substr(0, slash);
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
  }

  std::string path_;
  std::string temp_path_;
  Schema schema_;
  WriterOptions options_;
  std::vector<Builder> builders_;
  std::vector<detail::ChunkEntry> chunks_;
  int fd_ = -1;
  uint64_t offset_ = 0;
  int64_t chunk_rows_ = 0;  // completed rows in the chunk being built
  int64_t rows_total_ = 0;
  bool finished_ = false;
};

/// One column's values gathered for Writer::AppendFixedColumn or AppendStringColumn: `bits`
/// holds fixed-width values in the form those take, `text` strings; `present[i] == 0` makes
/// value i null.
struct ColumnValues {
  std::vector<uint64_t> bits;
  std::vector<uint8_t> present;
  std::vector<std::string_view> text;

  /// Room for `n` values in every lane.
  void Resize(size_t n) {
    bits.resize(n);
    present.resize(n);
    text.resize(n);
  }
  /// Appends values 0..n-1 as column `column` of `writer`, by that column's type.
  void AppendTo(Writer& writer, size_t column, size_t n) const {
    if (writer.schema().at(column).type == Type::kString) {
      writer.AppendStringColumn(column, text.data(), present.data(), n);
    } else {
      writer.AppendFixedColumn(column, bits.data(), present.data(), n);
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Reader

/// One column of one chunk, pointing into the mapped file. Valid while its Reader lives.
/// The typed accessors require the matching column type and 0 <= row < size(); a null row
/// reads as 0, false or "".
class ColumnView {
 public:
  const Column& column() const { return *column_; }
  int64_t size() const { return rows_; }
  int64_t null_count() const { return null_count_; }

  bool IsNull(int64_t row) const {
    return validity_ != nullptr && (validity_[row / 8] & (1u << (row % 8))) == 0;
  }
  int64_t Int64At(int64_t row) const { return Fixed<int64_t>(row, Type::kInt64); }
  double Float64At(int64_t row) const { return Fixed<double>(row, Type::kFloat64); }
  /// The unscaled value; the scale is column().scale.
  int64_t DecimalAt(int64_t row) const { return Fixed<int64_t>(row, Type::kDecimal); }
  bool BoolAt(int64_t row) const { return Fixed<uint8_t>(row, Type::kBool) != 0; }
  int32_t DateAt(int64_t row) const { return Fixed<int32_t>(row, Type::kDate); }
  int64_t TimestampAt(int64_t row) const { return Fixed<int64_t>(row, Type::kTimestamp); }
  /// Starts loading row `row`'s value (a string's offsets) into the cache: for readers that
  /// visit rows in random order, a few rows ahead of reading them.
  void Prefetch(int64_t row) const {
    __builtin_prefetch(values_ + static_cast<size_t>(row) * detail::ValueWidth(column_->type));
  }
  std::string_view StringAt(int64_t row) const {
    assert(column_->type == Type::kString && row >= 0 && row < rows_);
    const uint64_t* offsets = reinterpret_cast<const uint64_t*>(values_);
    return std::string_view(bytes_ + offsets[row], offsets[row + 1] - offsets[row]);
  }

 private:
  friend class Reader;
  template <typename T>
  T Fixed(int64_t row, [[maybe_unused]] Type type) const {
    assert(column_->type == type && row >= 0 && row < rows_);
    return reinterpret_cast<const T*>(values_)[row];
  }

  const Column* column_ = nullptr;
  int64_t rows_ = 0;
  int64_t null_count_ = 0;
  const uint8_t* validity_ = nullptr;  // null when the chunk has no nulls in this column
  const uint8_t* values_ = nullptr;
  const char* bytes_ = nullptr;
};

/// Appends the text of a non-null value as the Format* functions write it.
inline void AppendValueText(std::string* out, const ColumnView& view, int64_t row) {
  switch (view.column().type) {
    case Type::kInt64: detail::AppendPadded(out, view.Int64At(row), 0); break;
    case Type::kFloat64: AppendFloat64Text(out, view.Float64At(row)); break;
    case Type::kDecimal: AppendDecimalText(out, view.DecimalAt(row), view.column().scale); break;
    case Type::kString: out->append(view.StringAt(row)); break;
    case Type::kBool: AppendBoolText(out, view.BoolAt(row)); break;
    case Type::kDate: AppendDateText(out, view.DateAt(row)); break;
    case Type::kTimestamp: AppendTimestampText(out, view.TimestampAt(row)); break;
  }
}

/// One chunk: the same rows of every column.
class ChunkView {
 public:
  int64_t row_count() const { return rows_; }
  size_t column_count() const { return columns_.size(); }
  const ColumnView& column(size_t index) const { return columns_.at(index); }

 private:
  friend class Reader;
  int64_t rows_ = 0;
  std::vector<ColumnView> columns_;
};

/// Maps a dataset file read-only and checks its structure on open. Opening reads only the
/// header, trailer and footer; a chunk's string offsets are checked when chunk() is called.
/// Safe for concurrent reads from several threads.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error("cannot open dataset " + path_ + ": " + detail::ErrnoText());
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      const std::string why = detail::ErrnoText();
      ::close(fd);
      throw Error("cannot stat dataset " + path_ + ": " + why);
    }
    size_ = static_cast<uint64_t>(st.st_size);
    if (size_ == 0) {
      ::close(fd);
      Corrupt("the file is empty");
    }
    void* map = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) throw Error("cannot map dataset " + path_ + ": " + detail::ErrnoText());
    data_ = static_cast<const uint8_t*>(map);
    try {
      ParseStructure();
    } catch (...) {
      Unmap();
      throw;
    }
  }
  ~Reader() { Unmap(); }

  Reader(Reader&& other) noexcept
      : path_(std::move(other.path_)),
        data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        schema_(std::move(other.schema_)),
        chunks_(std::move(other.chunks_)),
        row_count_(other.row_count_) {}
  Reader& operator=(Reader&&) = delete;
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  const std::string& path() const { return path_; }
  const Schema& schema() const { return schema_; }
  int64_t row_count() const { return row_count_; }
  size_t chunk_count() const { return chunks_.size(); }
  uint64_t file_size() const { return size_; }
  /// Nulls in one column across all chunks.
  int64_t null_count(size_t column) const {
    int64_t total = 0;
    for (const detail::ChunkEntry& chunk : chunks_) {
      total += static_cast<int64_t>(chunk.columns.at(column).null_count);
    }
    return total;
  }

  /// The views into chunk `index`. Throws Error when its string offsets are corrupt.
  ChunkView chunk(size_t index) const {
    const detail::ChunkEntry& entry = chunks_.at(index);
    ChunkView view;
    view.rows_ = static_cast<int64_t>(entry.row_count);
    view.columns_.resize(schema_.size());
    for (size_t c = 0; c < schema_.size(); ++c) {
      const detail::ColumnChunkEntry& e = entry.columns[c];
      ColumnView& col = view.columns_[c];
      col.column_ = &schema_[c];
      col.rows_ = view.rows_;
      col.null_count_ = static_cast<int64_t>(e.null_count);
      col.validity_ = e.null_count > 0 ? data_ + e.validity_offset : nullptr;
      col.values_ = data_ + e.values_offset;
      if (schema_[c].type == Type::kString) {
        col.bytes_ = reinterpret_cast<const char*>(data_ + e.bytes_offset);
        CheckStringOffsets(index, c, col.values_, entry.row_count, e.bytes_size);
      }
    }
    return view;
  }

 private:
  [[noreturn]] void Corrupt(const std::string& why) const {
    throw Error(path_ + " is not a readable sluice dataset (" + why +
                "); it may be truncated or damaged, so re-run the task that wrote it");
  }

  void Unmap() {
    if (data_ != nullptr) ::munmap(const_cast<uint8_t*>(data_), size_);
    data_ = nullptr;
  }

  template <typename T>
  T Load(uint64_t at) const {
    T value;
    std::memcpy(&value, data_ + at, sizeof(T));
    return value;
  }

  // Bounds-checked sequential reads of the footer.
  class Cursor {
   public:
    Cursor(const Reader& reader, uint64_t at, uint64_t end) : reader_(reader), at_(at), end_(end) {}
    template <typename T>
    T Next() {
      Need(sizeof(T));
      T value = reader_.Load<T>(at_);
      at_ += sizeof(T);
      return value;
    }
    std::string_view Bytes(uint64_t n) {
      Need(n);
      std::string_view text(reinterpret_cast<const char*>(reader_.data_ + at_), n);
      at_ += n;
      return text;
    }
    void AlignTo8() { at_ = std::min(detail::AlignUp(at_), end_); }
    bool AtEnd() const { return at_ == end_; }

   private:
    void Need(uint64_t n) const {
      if (n > end_ - at_) reader_.Corrupt("the footer ends early");
    }
    const Reader& reader_;
    uint64_t at_, end_;
  };

  void ParseStructure() {
    if (size_ < sizeof kHeaderMagic || std::memcmp(data_, kHeaderMagic, 8) != 0) {
      throw Error(path_ + " is not a sluice dataset (it does not start with \"SLUICEDS\")");
    }
    if (size_ < kHeaderSize + kTrailerSize) {
      Corrupt("the file is " + std::to_string(size_) + " bytes, shorter than any dataset");
    }
    const uint32_t version = Load<uint32_t>(8);
    if (version != kFormatVersion) {
      throw Error(path_ + " uses dataset format version " + std::to_string(version) +
                  ", but this build reads version " + std::to_string(kFormatVersion) +
                  (version > kFormatVersion ? "; upgrade sluice and its plugins"
                                            : "; re-run the task that wrote it"));
    }
    const uint64_t trailer = size_ - kTrailerSize;
    if (std::memcmp(data_ + trailer + 24, kTrailerMagic, 8) != 0) Corrupt("no trailer at the end");
    const uint64_t footer_offset = Load<uint64_t>(trailer);
    const uint64_t footer_size = Load<uint64_t>(trailer + 8);
    if (footer_offset < kHeaderSize || footer_offset > trailer ||
        footer_size != trailer - footer_offset) {
      Corrupt("the trailer points outside the file");
    }
    if (detail::Fnv1a64(data_ + footer_offset, footer_size) != Load<uint64_t>(trailer + 16)) {
      Corrupt("the footer checksum does not match");
    }
    Cursor cursor(*this, footer_offset, trailer);
    const uint32_t column_count = cursor.Next<uint32_t>();
    cursor.Next<uint32_t>();
    if (column_count == 0 || column_count > footer_size) Corrupt("bad column count");
    for (uint32_t c = 0; c < column_count; ++c) {
      Column column;
      column.type = static_cast<Type>(cursor.Next<uint8_t>());
      column.precision = cursor.Next<uint8_t>();
      column.scale = cursor.Next<uint8_t>();
      cursor.Next<uint8_t>();
      column.name = std::string(cursor.Bytes(cursor.Next<uint32_t>()));
      cursor.AlignTo8();
      if (column.type < Type::kInt64 || column.type > Type::kTimestamp) {
        Corrupt("column '" + column.name + "' has unknown type code " +
                std::to_string(static_cast<int>(column.type)));
      }
      if (!CheckColumnType(column).empty()) Corrupt("column '" + column.name + "': " + CheckColumnType(column));
      schema_.push_back(std::move(column));
    }
    const uint64_t total_rows = cursor.Next<uint64_t>();
    const uint64_t chunk_count = cursor.Next<uint64_t>();
    const uint64_t per_chunk = 8 + 48 * uint64_t{column_count};
    if (chunk_count > footer_size / per_chunk) Corrupt("bad chunk count");
    uint64_t rows_seen = 0;
    chunks_.resize(chunk_count);
    for (detail::ChunkEntry& chunk : chunks_) {
      chunk.row_count = cursor.Next<uint64_t>();
      if (chunk.row_count == 0 || chunk.row_count > footer_offset) Corrupt("bad chunk row count");
      rows_seen += chunk.row_count;
      chunk.columns.resize(column_count);
      for (uint32_t c = 0; c < column_count; ++c) {
        detail::ColumnChunkEntry& e = chunk.columns[c];
        e.null_count = cursor.Next<uint64_t>();
        e.validity_offset = cursor.Next<uint64_t>();
        e.values_offset = cursor.Next<uint64_t>();
        e.values_size = cursor.Next<uint64_t>();
        e.bytes_offset = cursor.Next<uint64_t>();
        e.bytes_size = cursor.Next<uint64_t>();
        CheckColumnChunk(schema_[c], chunk.row_count, e, footer_offset);
      }
    }
    if (!cursor.AtEnd()) Corrupt("the footer has trailing bytes");
    if (rows_seen != total_rows) Corrupt("the chunks' row counts do not add up");
    row_count_ = static_cast<int64_t>(total_rows);
  }

  void CheckRange(uint64_t offset, uint64_t size, uint64_t limit, const std::string& what) const {
    if (offset < kHeaderSize || offset % kAlignment != 0 || offset > limit || size > limit - offset) {
      Corrupt(what + " lies outside the data area");
    }
  }

  void CheckColumnChunk(const Column& column, uint64_t rows, const detail::ColumnChunkEntry& e,
                        uint64_t limit) const {
    const std::string what = "column '" + column.name + "'";
    if (e.null_count > rows) Corrupt(what + " has more nulls than rows");
    if (e.null_count > 0) CheckRange(e.validity_offset, (rows + 7) / 8, limit, what + " validity");
    const uint64_t expected = column.type == Type::kString
                                  ? (rows + 1) * 8
                                  : rows * detail::ValueWidth(column.type);
    if (e.values_size != expected) Corrupt(what + " has the wrong number of values");
    CheckRange(e.values_offset, e.values_size, limit, what + " values");
    if (column.type == Type::kString) CheckRange(e.bytes_offset, e.bytes_size, limit, what + " bytes");
  }

  void CheckStringOffsets(size_t chunk, size_t column, const uint8_t* values, uint64_t rows,
                          uint64_t bytes_size) const {
    const uint64_t* offsets = reinterpret_cast<const uint64_t*>(values);
    bool ok = offsets[0] == 0 && offsets[rows] == bytes_size;
    for (uint64_t r = 0; ok && r < rows; ++r) ok = offsets[r] <= offsets[r + 1];
    if (!ok) {
      Corrupt("string offsets of column '" + schema_[column].name + "' in chunk " +
              std::to_string(chunk) + " are out of order");
    }
  }

  std::string path_;
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  Schema schema_;
  std::vector<detail::ChunkEntry> chunks_;
  int64_t row_count_ = 0;
};

}  // namespace sluice::dataset

#endif  // SLUICE_DATASET_HPP_
