#pragma once
// Routes by method and path with {param} segments, through a segment trie.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/http/route.hpp"

namespace milkyhoop::http {

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Fails on a duplicate (method, path) or a malformed pattern.
  Status Add(Route route);

  struct Match {
    const Route* route = nullptr;
    bool path_known = false;  // path matched but not the method → 405
    std::string allow;        // methods of the matched path, for the Allow header
  };
  // Fills request.path_params on success.
  Match Find(std::string_view method, std::string_view path, Request& request) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace milkyhoop::http
