# mh_assistant_intent: the owner assistant's rule parser (intent and entities of an owner's chat
# message, rupiah amounts, product matching). Pure functions, no I/O; its word lists are the
# data files of data/, compiled in.
mh_library(mh_assistant_intent
  SOURCES
    src/intent/decimal_amount.cpp
    src/intent/text_fold.cpp
    src/intent/lexicon.cpp
    src/intent/tokenizer.cpp
    src/intent/item_grammar.cpp
    src/intent/entities.cpp
    src/intent/classifier.cpp
    src/intent/intent.cpp
    src/intent/entities_json.cpp
    src/intent/rupiah.cpp
    src/intent/product_match.cpp
    src/intent/llm_intent_answer.cpp
  DEPS nlohmann_json::nlohmann_json
  PUBLIC_DEPS mh_core)

# Each data file becomes `std::string_view <Symbol>()` (see embed_text.cmake).
set(mh_assistant_intent_data
  "lexicon.txt\;LexiconText"
  "slang.txt\;SlangText"
  "units.txt\;UnitsText"
  "categories.txt\;CategoriesText"
  "numbers.txt\;NumbersText"
  "product_synonyms.txt\;ProductSynonymsText")
foreach(entry IN LISTS mh_assistant_intent_data)
  list(GET entry 0 data_file)
  list(GET entry 1 data_symbol)
  set(data_cpp ${CMAKE_CURRENT_BINARY_DIR}/embedded_${data_symbol}.cpp)
  add_custom_command(
    OUTPUT ${data_cpp}
    COMMAND ${CMAKE_COMMAND} -DIN=${CMAKE_CURRENT_SOURCE_DIR}/data/${data_file}
            -DOUT=${data_cpp} -DSYMBOL=${data_symbol}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/embed_text.cmake
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/${data_file}
            ${CMAKE_CURRENT_SOURCE_DIR}/embed_text.cmake
    COMMENT "Embedding assistant data ${data_file}"
    VERBATIM)
  target_sources(mh_assistant_intent PRIVATE ${data_cpp})
endforeach()

# Unit tests beside the sources; the eval tests read the shared dev set (skipped loudly when the
# checkout has no ../shared) and the held-out set of testdata/.
mh_test(mh_assistant_intent_test
  SOURCES
    src/intent/decimal_amount_test.cpp
    src/intent/lexicon_test.cpp
    src/intent/tokenizer_test.cpp
    src/intent/item_grammar_test.cpp
    src/intent/intent_test.cpp
    src/intent/intent_robustness_test.cpp
    src/intent/intent_eval_test.cpp
    src/intent/rupiah_test.cpp
    src/intent/product_match_test.cpp
    src/intent/llm_intent_answer_test.cpp
  DEPS mh_assistant_intent nlohmann_json::nlohmann_json)
if(TARGET mh_assistant_intent_test)
  target_include_directories(mh_assistant_intent_test PRIVATE src/intent)
  target_compile_definitions(mh_assistant_intent_test PRIVATE
    MH_OWNER_INTENTS_DEV="${PROJECT_SOURCE_DIR}/tests/eval/owner-intents-dev.json"
    MH_OWNER_INTENTS_HELDOUT="${CMAKE_CURRENT_SOURCE_DIR}/testdata/owner-intents-heldout.json")
endif()
