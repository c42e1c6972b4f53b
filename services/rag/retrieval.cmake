# mh_rag_retrieval: the retrieval core of the rag-service, a library without I/O — text analysis
# (libstemmer), the BM25 keyword index, the hnswlib vector index, rank fusion and confidence.
# Its normalisation tables (data/*.txt) are compiled into it.

# Debian's libstemmer-dev ships no pkg-config module or CMake package: find it directly.
find_path(MH_STEMMER_INCLUDE_DIR libstemmer.h REQUIRED)
find_library(MH_STEMMER_LIBRARY NAMES stemmer REQUIRED)
find_path(MH_HNSWLIB_INCLUDE_DIR hnswlib/hnswlib.h REQUIRED)

mh_library(mh_rag_retrieval
  SOURCES
    src/retrieval/text_tokenizer.cpp
    src/retrieval/snowball_stemmer.cpp
    src/retrieval/text_analyzer.cpp
    src/retrieval/edit_distance.cpp
    src/retrieval/inverted_index.cpp
    src/retrieval/query_plan.cpp
    src/retrieval/bm25_scorer.cpp
    src/retrieval/confidence.cpp
    src/retrieval/keyword_index.cpp
    src/retrieval/cosine_space.cpp
    src/retrieval/vector_index.cpp
    src/retrieval/hybrid.cpp
  DEPS ${MH_STEMMER_LIBRARY}
  PUBLIC_DEPS mh_core)
target_include_directories(mh_rag_retrieval PRIVATE ${MH_STEMMER_INCLUDE_DIR})
target_include_directories(mh_rag_retrieval SYSTEM PRIVATE ${MH_HNSWLIB_INCLUDE_DIR})

# Each table ships inside the binary as `std::string_view <Symbol>()` (embedded_tables.hpp).
foreach(table normalization:NormalizationText stopwords:StopwordsText
              generic_words:GenericWordsText english_words:EnglishWordsText
              synonyms:SynonymsText stem_overrides:StemOverridesText)
  string(REPLACE ":" ";" pair ${table})
  list(GET pair 0 file)
  list(GET pair 1 symbol)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/rag_table_${file}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${CMAKE_CURRENT_SOURCE_DIR}/data/${file}.txt -DOUT=${out}
            -DSYMBOL=${symbol} -P ${CMAKE_CURRENT_SOURCE_DIR}/embed_text.cmake
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/${file}.txt ${CMAKE_CURRENT_SOURCE_DIR}/embed_text.cmake
    COMMENT "Embedding rag table ${file}"
    VERBATIM)
  target_sources(mh_rag_retrieval PRIVATE ${out})
endforeach()

# Unit tests, and the retrieval evaluation on the shared dev set and our own held-out set.
mh_test(mh_rag_retrieval_test
  SOURCES
    src/retrieval/text_tokenizer_test.cpp
    src/retrieval/text_analyzer_test.cpp
    src/retrieval/edit_distance_test.cpp
    src/retrieval/confidence_test.cpp
    src/retrieval/keyword_index_test.cpp
    src/retrieval/vector_index_test.cpp
    src/retrieval/hybrid_test.cpp
    src/retrieval/retrieval_eval_test.cpp
  DEPS mh_rag_retrieval nlohmann_json::nlohmann_json)
if(TARGET mh_rag_retrieval_test)
  target_include_directories(mh_rag_retrieval_test PRIVATE src/retrieval)
  target_compile_definitions(mh_rag_retrieval_test PRIVATE
    MH_RETRIEVAL_DEV_SET="${PROJECT_SOURCE_DIR}/tests/eval/retrieval-dev.json"
    MH_RETRIEVAL_HELDOUT_SET="${CMAKE_CURRENT_SOURCE_DIR}/testdata/retrieval-heldout.json")
endif()
