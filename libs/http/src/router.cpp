#include "milkyhoop/http/router.hpp"

#include <map>

namespace milkyhoop::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path[0] != '/') return out;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
  std::unique_ptr<Node> param_child;
  std::string param_name;
  std::map<std::string, const Route*, std::less<>> methods;
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

Status Router::Add(Route route) {
  if (route.path.empty() || route.path[0] != '/') {
    return InvalidArgument("route path must start with '/': " + route.path);
  }
  if (!route.handler) return InvalidArgument("route without handler: " + route.path);
  Node* node = root_.get();
  for (std::string_view seg : Split(route.path)) {
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      std::string name(seg.substr(1, seg.size() - 2));
      if (!node->param_child) {
        node->param_child = std::make_unique<Node>();
        node->param_child->param_name = name;
      } else if (node->param_child->param_name != name) {
        return InvalidArgument("conflicting parameter names at " + route.path);
      }
      node = node->param_child.get();
    } else {
      auto it = node->children.find(seg);
      if (it == node->children.end()) {
        it = node->children.emplace(std::string(seg), std::make_unique<Node>()).first;
      }
      node = it->second.get();
    }
  }
  if (node->methods.contains(route.method)) {
    return AlreadyExists("duplicate route " + route.method + " " + route.path);
  }
  route.index = routes_.size();
  routes_.push_back(std::make_unique<Route>(std::move(route)));
  node->methods.emplace(routes_.back()->method, routes_.back().get());
  return Status::Ok();
}

Router::Match Router::Find(std::string_view method, std::string_view path, Request& request) const {
  Match match;
  if (path.empty() || path[0] != '/') return match;
  const Node* node = root_.get();
  std::string_view rest = path.substr(1);
  request.path_params.clear();
  while (true) {
    auto slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    auto it = node->children.find(seg);
    if (it != node->children.end()) {
      node = it->second.get();
    } else if (node->param_child && !seg.empty()) {
      node = node->param_child.get();
      auto decoded = PercentDecode(seg, false);
      if (!decoded) return match;
      request.path_params.emplace_back(node->param_name, std::move(*decoded));
    } else {
      return match;
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (node->methods.empty()) return match;
  auto m = node->methods.find(method);
  if (m == node->methods.end() && method == "HEAD") m = node->methods.find("GET");
  if (m != node->methods.end()) {
    match.route = m->second;
    return match;
  }
  match.path_known = true;
  for (const auto& [name, route] : node->methods) {
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += name;
  }
  return match;
}

}  // namespace milkyhoop::http
