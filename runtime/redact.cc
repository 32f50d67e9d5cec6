#include "runtime/redact.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace sluice {

std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  std::vector<const std::string*> sorted;
  for (const std::string& s : secrets) {
    if (s.size() >= kMinSecretLength) sorted.push_back(&s);
  }
  // Longest first, so a secret that contains another is replaced whole.
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
  for (const std::string* secret : sorted) {
    for (size_t at = text.find(*secret); at != std::string::npos;
         at = text.find(*secret, at + std::char_traits<char>::length(kRedacted))) {
      text.replace(at, secret->size(), kRedacted);
    }
  }
  return text;
}

Status RedactFile(const std::string& path, const std::vector<std::string>& secrets) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Ok();  // no log, nothing to hide
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string original = buffer.str();
  const std::string redacted = Redact(original, secrets);
  if (redacted == original) return Status::Ok();
  const std::string tmp = path + ".redact-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << redacted;
    if (!out.flush()) {
      std::remove(tmp.c_str());
      return Status::Error("cannot redact log " + path + ": writing " + tmp + " failed");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::Error("cannot redact log " + path + ": rename failed");
  }
  return Status::Ok();
}

}  // namespace sluice
