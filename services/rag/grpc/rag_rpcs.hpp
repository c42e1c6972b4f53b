#pragma once
// The list of RagService calls, for the adapters: X(Method) for each rpc whose messages are
// v1::<Method>Request and v1::<Method>Response.
#define MH_RAG_RPCS(X) \
  X(CreateFaq)         \
  X(ListFaqs)          \
  X(GetFaq)            \
  X(UpdateFaq)         \
  X(DeleteFaq)         \
  X(ImportFaqs)        \
  X(AddDocument)       \
  X(ListDocuments)     \
  X(GetDocument)       \
  X(DeleteDocument)    \
  X(Search)            \
  X(KnowledgeVersion)
