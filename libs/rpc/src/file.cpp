#include "file.hpp"

#include <fstream>
#include <sstream>

namespace milkyhoop::rpc {

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FailedPrecondition("cannot open " + path);
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return FailedPrecondition("cannot read " + path);
  return content.str();
}

}  // namespace milkyhoop::rpc
