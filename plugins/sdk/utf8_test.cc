// IsValidUtf8 against Python's UTF-8 decoder, an independent implementation of the same rules
// (no overlong forms, surrogates or values past U+10FFFF), on strings built to put every kind
// of sequence at every offset around the 8-byte ASCII fast path.
#include "sluice/utf8.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace sluice::sdk {
namespace {

namespace fs = std::filesystem;

// Python's verdict for each line of hex-encoded byte strings: "1" valid, "0" not.
std::vector<bool> PythonVerdicts(const std::vector<std::string>& samples) {
  std::string pattern = (fs::temp_directory_path() / "sluice-utf8-XXXXXX").string();
  EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
  const fs::path dir = pattern;
  {
    std::ofstream out(dir / "samples.hex");
    static const char* kHex = "0123456789abcdef";
    for (const std::string& s : samples) {
      for (unsigned char c : s) out << kHex[c >> 4] << kHex[c & 15];
      out << '\n';
    }
  }
  const std::string command =
      "/usr/bin/python3 -c 'import sys\n"
      "def ok(b):\n"
      "    try:\n"
      "        b.decode(\"utf-8\", \"strict\"); return \"1\"\n"
      "    except UnicodeDecodeError:\n"
      "        return \"0\"\n"
      "lines = open(sys.argv[1]).read().split(\"\\n\")[:-1]\n"
      "open(sys.argv[2], \"w\").write(\"\".join(ok(bytes.fromhex(l)) for l in lines))' " +
      (dir / "samples.hex").string() + " " + (dir / "verdicts.txt").string();
  EXPECT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(dir / "verdicts.txt");
  std::string verdicts;
  std::getline(in, verdicts);
  fs::remove_all(dir);
  std::vector<bool> out;
  for (char c : verdicts) out.push_back(c == '1');
  return out;
}

TEST(Utf8Test, AgreesWithPythonsDecoderAtEveryOffset) {
  // Pieces: ASCII, well-formed 2/3/4-byte sequences, and every kind of malformation.
  const std::vector<std::string> pieces = {
      "a", "0123456789", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",  // é € 😀
      "\x80",                                                             // stray continuation
      "\xC3",                                                             // truncated
      "\xC0\xAF",                                                         // overlong '/'
      "\xE0\x80\xAF",                                                     // overlong
      "\xED\xA0\x80",                                                     // surrogate U+D800
      "\xF4\x90\x80\x80",                                                 // past U+10FFFF
      "\xFF",                                                             // never valid
      "\xF0\x9F\x98",                                                     // 4-byte, one short
  };
  std::mt19937 rng(11);
  std::vector<std::string> samples;
  for (size_t piece = 0; piece < pieces.size(); ++piece) {
    for (size_t offset = 0; offset < 20; ++offset) {  // before, at and after 8 and 16
      samples.push_back(std::string(offset, 'x') + pieces[piece] + std::string(rng() % 12, 'y'));
    }
  }
  for (int i = 0; i < 2000; ++i) {  // random mixtures, mostly ASCII
    std::string s;
    const int parts = 1 + static_cast<int>(rng() % 6);
    for (int p = 0; p < parts; ++p) {
      s += rng() % 3 == 0 ? pieces[rng() % pieces.size()] : std::string(rng() % 17, static_cast<char>('a' + rng() % 26));
    }
    samples.push_back(s);
  }
  const std::vector<bool> expected = PythonVerdicts(samples);
  ASSERT_EQ(expected.size(), samples.size());
  size_t valid = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(IsValidUtf8(samples[i]), expected[i]) << "sample " << i << " of " << samples[i].size() << " bytes";
    valid += expected[i] ? 1 : 0;
  }
  EXPECT_GT(valid, samples.size() / 4);  // both verdicts are well represented
  EXPECT_LT(valid, samples.size() * 3 / 4);
}

}  // namespace
}  // namespace sluice::sdk
