#pragma once
// One page of a list route, the same for every collection: limit and cursor from the query
// string, the service's list call, each item rendered, the {items, next_cursor} envelope.
#include <nlohmann/json.hpp>
#include <utility>

#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::gateway {

// `req` is already scoped (org, business, filters); this adds the page. `list(req)` returns a
// Result of a response with items() and next_cursor(); `problem` maps its failure.
template <typename Req, typename List, typename ToJson, typename Problem>
http::Response ListPage(const http::Request& request, Req& req, List&& list, ToJson&& to_json,
                        Problem&& problem) {
  auto page = ParsePageParams(request);
  if (!page.ok()) return http::ProblemFromStatus(page.status());
  req.set_limit(page->limit);
  req.set_cursor(page->cursor);
  auto listed = std::forward<List>(list)(req);
  if (!listed.ok()) return std::forward<Problem>(problem)(listed.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : listed->items()) items.push_back(to_json(item));
  return http::JsonResponse(200, ListJson(std::move(items), listed->next_cursor()));
}

template <typename Req, typename List, typename ToJson>
http::Response ListPage(const http::Request& request, Req& req, List&& list, ToJson&& to_json) {
  return ListPage(request, req, std::forward<List>(list), std::forward<ToJson>(to_json),
                  [](const Status& s) { return http::ProblemFromStatus(s); });
}

}  // namespace milkyhoop::gateway
