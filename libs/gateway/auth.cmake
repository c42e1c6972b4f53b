# The gateway's auth pieces (included from this directory's CMakeLists.txt): the token
# authenticator (JWT verified locally, API keys delegated), the /v1/auth/* routes, the JWKS
# route and the UserDirectory answered by the auth service.
set(mh_gateway_auth_sources
    ${CMAKE_CURRENT_LIST_DIR}/src/token_authenticator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/verified_tokens.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/auth_routes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/auth_routes_support.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/auth_routes_sessions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/auth_routes_oauth.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/auth_user_directory.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/me_cache.cpp)
target_sources(mh_gateway PRIVATE ${mh_gateway_auth_sources})
target_link_libraries(mh_gateway PUBLIC mh_auth mh_crypto mh_httpclient nlohmann_json::nlohmann_json)

# The route tests use a real auth service (services/auth/src/testing/auth_fixture.*).
mh_test(mh_gateway_auth_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/token_authenticator_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/src/me_cache_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/src/auth_routes_test.cpp
          ${PROJECT_SOURCE_DIR}/services/auth/src/testing/auth_fixture.cpp
  DEPS mh_gateway mh_auth mh_http mh_security)
if(TARGET mh_gateway_auth_test)
  target_include_directories(mh_gateway_auth_test PRIVATE ${PROJECT_SOURCE_DIR}/services/auth/src)
endif()
