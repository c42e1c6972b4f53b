#pragma once
// Reads TLS material named by *_file options (secrets never live in config files themselves).

#include <string>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::rpc {

Result<std::string> ReadTextFile(const std::string& path);

}  // namespace milkyhoop::rpc
