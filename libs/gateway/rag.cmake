# The rag service's HTTP routes (rag_routes*.cpp), added to mh_gateway. Included from
# libs/gateway/CMakeLists.txt; needs mh_rag and mh_business in the build.
target_sources(mh_gateway PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/rag_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/rag_routes_documents.cpp)
target_link_libraries(mh_gateway PUBLIC mh_rag mh_business mh_org)
