# The business service's HTTP routes (business_routes*.cpp), added to mh_gateway. Included from
# libs/gateway/CMakeLists.txt; needs mh_business and mh_org (for Authorize) in the build.
target_sources(mh_gateway PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/business_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/business_routes_support.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/business_routes_catalog.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/business_routes_transactions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/business_routes_reports.cpp)
target_link_libraries(mh_gateway PUBLIC mh_business mh_org)
set_property(GLOBAL PROPERTY MH_GATEWAY_BUSINESS_ROUTES_INCLUDED TRUE)
