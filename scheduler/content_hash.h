// A fingerprint of a DAG file's bytes, to notice that a file changed. Not cryptographic.
#ifndef SLUICE_SCHEDULER_CONTENT_HASH_H_
#define SLUICE_SCHEDULER_CONTENT_HASH_H_

#include <string>
#include <string_view>

namespace sluice {

/// FNV-1a 64 of `bytes` as 16 lowercase hex digits.
std::string ContentHash(std::string_view bytes);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_CONTENT_HASH_H_
