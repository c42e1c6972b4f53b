# mh_assistant: the owner assistant service (owner mode: sessions, drafts, postings, reports;
# setup mode: the onboarding state machine) over its own database; mh_assistant_grpc: its gRPC
# adapters. Included from services/assistant/CMakeLists.txt after intent.cmake.
mh_library(mh_assistant
  SOURCES
    src/service/draft.cpp
    src/service/report_period.cpp
    src/service/session_store.cpp
    src/service/owner_assistant.cpp
    src/service/owner_drafting.cpp
    src/service/owner_queries.cpp
    src/service/owner_reports.cpp
    src/service/setup_facts.cpp
    src/service/setup_faqs.cpp
    src/service/setup_flow.cpp
    src/service/assistant_service_impl.cpp
    src/service/llm_request.cpp
    src/service/llm_intent_parser.cpp
    src/service/setup_llm_faqs.cpp
    src/service/llm_faq_writer.cpp
  DEPS nlohmann_json::nlohmann_json
  PUBLIC_DEPS mh_core mh_proto mh_sql mh_llm mh_assistant_intent mh_business mh_org mh_rag)
mh_embed_migrations(mh_assistant ${CMAKE_CURRENT_SOURCE_DIR}/migrations assistant)

mh_library(mh_assistant_grpc
  SOURCES grpc/assistant_grpc_server.cpp grpc/assistant_grpc_client.cpp
  PUBLIC_DEPS mh_assistant mh_rpc gRPC::grpc++)

# Unit tests of the pure parts, and the contract suite: owner mode against the real business
# service (and setup against the real org and rag services), in-process and over real gRPC, on
# SQLite and (with MILKYHOOP_TEST_PG_DSN) PostgreSQL.
mh_test(mh_assistant_service_test
  SOURCES
    src/service/draft_test.cpp
    src/service/report_period_test.cpp
    src/service/setup_facts_test.cpp
    src/service/setup_flow_test.cpp
    src/service/owner_contract_test.cpp
    src/service/setup_contract_test.cpp
    src/service/assistant_llm_real_test.cpp
    src/service/setup_llm_faqs_test.cpp
  DEPS mh_assistant mh_assistant_grpc mh_business mh_org mh_rag mh_security mh_crypto mh_rpc mh_sqltest
       nlohmann_json::nlohmann_json)
if(TARGET mh_assistant_service_test)
  target_include_directories(mh_assistant_service_test PRIVATE src/service)
endif()
