#pragma once
// Command lines of the benchmark programs: "--flag value" pairs, and one way to give up.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

namespace milkyhoop::bench {

[[noreturn]] inline void Die(const char* program, const std::string& why) {
  std::fprintf(stderr, "%s: %s\n", program, why.c_str());
  std::exit(1);
}

// The "--flag value" pairs of argv; a flag not in `known`, or one without a value, ends the
// program with a message.
inline std::map<std::string, std::string> ParseFlags(const char* program, int argc, char** argv,
                                                     std::initializer_list<const char*> known) {
  std::map<std::string, std::string> out;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    bool listed = false;
    for (const char* k : known) listed = listed || flag == k;
    if (!listed) Die(program, "unknown flag " + flag);
    if (i + 1 >= argc) Die(program, "missing value after " + flag);
    out[flag] = argv[++i];
  }
  return out;
}

}  // namespace milkyhoop::bench
