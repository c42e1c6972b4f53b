# The rag service itself: sources in SQL, one index per business, its lifecycle; and its gRPC
# adapters. Included from services/rag/CMakeLists.txt after retrieval.cmake and ingest.cmake.
mh_library(mh_rag
  SOURCES
    src/service/embedding_codec.cpp
    src/service/circuit_breaker.cpp
    src/service/embedding_backfill.cpp
    src/service/knowledge_index.cpp
    src/service/change_log.cpp
    src/service/passage_rows.cpp
    src/service/index_snapshot.cpp
    src/service/index_sync.cpp
    src/service/rag_service_impl.cpp
    src/service/faqs.cpp
    src/service/documents.cpp
    src/service/document_leases.cpp
    src/service/document_worker.cpp
    src/service/search.cpp
    src/service/catalogue_sources.cpp
  DEPS OpenSSL::Crypto
  PUBLIC_DEPS mh_core mh_proto mh_sql mh_events mh_rag_retrieval mh_rag_ingest)
mh_embed_migrations(mh_rag ${CMAKE_CURRENT_SOURCE_DIR}/migrations rag)
# The business service's event names (a header of constants); its payloads are in mh_proto.
target_include_directories(mh_rag PRIVATE ${PROJECT_SOURCE_DIR}/services/business/include)

mh_library(mh_rag_grpc
  SOURCES grpc/rag_grpc_server.cpp grpc/rag_grpc_client.cpp
  PUBLIC_DEPS mh_rag mh_rpc gRPC::grpc++)

mh_test(mh_rag_service_test
  SOURCES
    src/service/embedding_codec_test.cpp
    src/service/circuit_breaker_test.cpp
    src/service/embedding_backfill_test.cpp
    src/service/embedding_model_test.cpp
    src/service/knowledge_index_test.cpp
    src/service/index_snapshot_test.cpp
    src/service/document_leases_test.cpp
    src/service/index_sync_test.cpp
    src/service/rag_contract_test.cpp
  DEPS mh_rag mh_rag_grpc mh_rpc mh_sqltest)
if(TARGET mh_rag_service_test)
  target_include_directories(mh_rag_service_test PRIVATE src/service
                             ${PROJECT_SOURCE_DIR}/services/business/include)
endif()
