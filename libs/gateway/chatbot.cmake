# The chatbot service's HTTP routes (chatbot_routes*.cpp), added to mh_gateway. Included from
# libs/gateway/CMakeLists.txt; needs mh_chatbot, mh_business, mh_org and mh_rag in the build
# (services/chatbot, services/business, services/org, services/rag in MILKYHOOP_SUBDIRS).
target_sources(mh_gateway PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/chatbot_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/chatbot_routes_public.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/chatbot_routes_owner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/chatbot_routes_openai.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/chatbot_routes_websocket.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/conversation_sockets.cpp)
target_link_libraries(mh_gateway PUBLIC mh_chatbot mh_business mh_org)

# Route tests: real org, business, security, rag and chatbot services on SQLite behind a Router,
# a scripted LLM (services/chatbot/src/testing), handlers called with hand-made requests.
mh_test(mh_chatbot_routes_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/src/chatbot_routes_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/src/conversation_sockets_test.cpp
    ${PROJECT_SOURCE_DIR}/services/chatbot/src/testing/fake_llm.cpp
  DEPS mh_gateway mh_chatbot mh_rag mh_business mh_org mh_security mh_sqltest mh_llm)
if(TARGET mh_chatbot_routes_test)
  target_include_directories(mh_chatbot_routes_test PRIVATE
                             ${PROJECT_SOURCE_DIR}/services/chatbot/src)
endif()
