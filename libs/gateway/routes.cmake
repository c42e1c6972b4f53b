# The gateway's HTTP routes of the organisation and audit services, added to mh_gateway.
# Included by libs/gateway/CMakeLists.txt after mh_gateway is defined. mh_org and mh_audit are
# defined later (services/org, services/audit): linking them by name resolves at generate time,
# so those directories must be in MILKYHOOP_SUBDIRS whenever libs/gateway is.
target_sources(mh_gateway PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/org_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/org_routes_members.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/org_routes_api_keys.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/org_routes_support.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/audit_routes.cpp)
target_link_libraries(mh_gateway PUBLIC mh_org mh_audit)

# Route tests: real services on SQLite behind a Router, handlers called with hand-made requests.
mh_test(mh_gateway_routes_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/src/org_routes_support_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/org_routes_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/audit_routes_test.cpp
  DEPS mh_gateway mh_org mh_audit mh_events mh_sql)
