# mh_rag_ingest: document ingestion for the rag-service. Format detection, text extraction (txt,
# markdown, html, pdf through poppler-cpp, csv), normalisation, chunking, and FAQ import parsing.
# A library without SQL or HTTP: the service stores what it returns.
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)

mh_library(mh_rag_ingest
  SOURCES
    src/ingest/utf8.cpp
    src/ingest/normalize.cpp
    src/ingest/text_input.cpp
    src/ingest/chunker.cpp
    src/ingest/extract_text.cpp
    src/ingest/markdown_inline.cpp
    src/ingest/extract_markdown.cpp
    src/ingest/html_entities.cpp
    src/ingest/extract_html.cpp
    src/ingest/csv_reader.cpp
    src/ingest/extract_csv.cpp
    src/ingest/extract_pdf.cpp
    src/ingest/detect_format.cpp
    src/ingest/ingest.cpp
    src/ingest/faq_import.cpp
  DEPS PkgConfig::POPPLER_CPP nlohmann_json::nlohmann_json
  PUBLIC_DEPS mh_core)

# Test helpers (a PDF writer, a peak-memory probe) shared by the two test binaries.
if(MILKYHOOP_BUILD_TESTS)
  add_library(mh_rag_ingest_testing STATIC src/ingest/testing/pdf_writer.cpp
                                           src/ingest/testing/memory_probe.cpp)
  target_include_directories(mh_rag_ingest_testing PUBLIC src/ingest)
  target_link_libraries(mh_rag_ingest_testing PUBLIC mh_rag_ingest)
  mh_warnings(mh_rag_ingest_testing)
endif()

mh_test(mh_rag_ingest_test
  SOURCES
    src/ingest/utf8_test.cpp
    src/ingest/normalize_test.cpp
    src/ingest/text_input_test.cpp
    src/ingest/chunker_test.cpp
    src/ingest/markdown_inline_test.cpp
    src/ingest/csv_reader_test.cpp
    src/ingest/detect_format_test.cpp
    src/ingest/ingest_text_test.cpp
    src/ingest/ingest_markdown_test.cpp
    src/ingest/ingest_html_test.cpp
    src/ingest/ingest_csv_test.cpp
    src/ingest/ingest_pdf_test.cpp
    src/ingest/faq_import_test.cpp
  DEPS mh_rag_ingest mh_rag_ingest_testing)

# Large inputs (a ~20 MB PDF, a 100,000-line CSV): bounded peak memory and throughput figures.
# Separate so each run measures its own peak, and with a longer timeout than mh_test's 120 s:
# under AddressSanitizer on a busy machine the 20 MB PDF alone can take minutes.
if(MILKYHOOP_BUILD_TESTS)
  add_executable(mh_rag_ingest_scale_test src/ingest/ingest_scale_test.cpp)
  target_link_libraries(mh_rag_ingest_scale_test PRIVATE mh_rag_ingest mh_rag_ingest_testing
                        GTest::gtest GTest::gtest_main)
  mh_warnings(mh_rag_ingest_scale_test)
  include(GoogleTest)
  gtest_discover_tests(mh_rag_ingest_scale_test DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 900)
endif()
