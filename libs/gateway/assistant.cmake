# The owner assistant's HTTP routes (assistant_routes*.cpp), added to mh_gateway. Included from
# libs/gateway/CMakeLists.txt; needs mh_assistant, mh_business and mh_org in the build.
target_sources(mh_gateway PRIVATE ${CMAKE_CURRENT_LIST_DIR}/src/assistant_routes.cpp)
target_link_libraries(mh_gateway PUBLIC mh_assistant mh_business mh_org)
