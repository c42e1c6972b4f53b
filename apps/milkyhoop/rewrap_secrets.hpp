#pragma once
// `milkyhoop keys rewrap`: after `keys rotate`, re-wraps every sealed value of every service's
// database under the active master key, so older keys can be removed from the key file.
#include <iosfwd>

#include "app_config.hpp"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::app {

// Prints a line per sealed column (values examined, re-wrapped) and, at the end, which master
// keys still seal anything. Safe to run while the server runs, and to run again.
Status RewrapSecrets(const AppConfig& config, std::ostream& out);

}  // namespace milkyhoop::app
