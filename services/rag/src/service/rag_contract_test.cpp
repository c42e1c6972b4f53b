// Contract of RagService, run in-process and over real gRPC, on SQLite and (with
// MILKYHOOP_TEST_PG_DSN) PostgreSQL.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <thread>

#include "milkyhoop/business/business_events.hpp"
#include "milkyhoop/business/v1/events.pb.h"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/events/event_bus.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "milkyhoop/rag/rag_grpc.hpp"
#include "milkyhoop/rpc/testing/grpc_loopback.hpp"
#include "milkyhoop/sqltest/test_database.hpp"

namespace milkyhoop::rag {
namespace {

using sqltest::Backend;
enum class Transport { kInProcess, kGrpc };
using Param = std::tuple<Backend, Transport>;

std::string ParamName(const ::testing::TestParamInfo<Param>& info) {
  return sqltest::BackendName(std::get<0>(info.param)) +
         (std::get<1>(info.param) == Transport::kGrpc ? "_Grpc" : "_InProcess");
}

struct GrpcLoopback : rpc::testing::GrpcLoopback<RagService> {
  explicit GrpcLoopback(RagService& impl)
      : rpc::testing::GrpcLoopback<RagService>(
            impl, [](auto& i) { return MakeRagGrpcService(i); },
            [](auto channel) { return MakeRagGrpcClient(channel, std::chrono::seconds(20)); }) {}
};

// A deterministic embedding: words hashed into 64 buckets, normalised. Texts sharing words are
// near; enough to prove the vector path end to end without a model.
class HashingEmbeddings final : public EmbeddingProvider {
 public:
  std::string model() const override { return "hashing-64"; }
  Result<std::vector<std::vector<float>>> Embed(const std::vector<std::string>& texts) override {
    ++calls;
    std::vector<std::vector<float>> out;
    for (const std::string& t : texts) {
      std::vector<float> v(64, 0.0f);
      std::string word;
      auto flush = [&] {
        if (!word.empty()) v[std::hash<std::string>()(word) % 64] += 1.0f;
        word.clear();
      };
      for (char c : t) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
          word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
          flush();
        }
      }
      flush();
      float norm = 0;
      for (float x : v) norm += x * x;
      norm = std::sqrt(norm);
      if (norm > 0) {
        for (float& x : v) x /= norm;
      } else {
        v[0] = 1.0f;
      }
      out.push_back(std::move(v));
    }
    return out;
  }
  std::atomic<int> calls{0};
};

class RagContractTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (std::get<0>(GetParam()) == Backend::kPostgres && sqltest::TestPgDsn().empty()) {
      GTEST_SKIP() << sqltest::kNoPostgres;
    }
    MH_ASSERT_OK_AND_ASSIGN(store_, sqltest::TestDatabase::Open(std::get<0>(GetParam())));
    MH_ASSERT_OK(MigrateRagDatabase(store_->db()));
    Restart({});
  }
  void TearDown() override {
    loopback_.reset();
    if (host_) host_->Stop();
    host_.reset();
    store_.reset();
  }

  // A new service over the same database: what a process restart looks like.
  void Restart(RagOptions options) {
    loopback_.reset();
    if (host_) host_->Stop();
    host_ = MakeRagService(store_->db(), clock_, std::move(options));
    host_->Start();
    bus_ = events::MakeInProcessBus();
    MH_ASSERT_OK(host_->SubscribeToBusinessEvents(*bus_));
    if (std::get<1>(GetParam()) == Transport::kGrpc) {
      loopback_ = std::make_unique<GrpcLoopback>(host_->service());
    }
  }

  RagService& Svc() { return loopback_ ? loopback_->client() : host_->service(); }

  v1::Faq AddFaq(const std::string& org, const std::string& business, const std::string& q,
                 const std::string& a) {
    v1::CreateFaqRequest req;
    req.set_org_id(org);
    req.set_business_id(business);
    req.set_actor_id("usr_owner");
    req.set_question(q);
    req.set_answer(a);
    auto res = Svc().CreateFaq(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->faq() : v1::Faq();
  }

  Result<v1::SearchResponse> Find(const std::string& org, const std::string& business,
                                  const std::string& query, const std::string& mode = "",
                                  bool explain = false) {
    v1::SearchRequest req;
    req.set_org_id(org);
    req.set_business_id(business);
    req.set_query(query);
    req.set_mode(mode);
    req.set_explain(explain);
    return Svc().Search(req);
  }

  // The source id of the best result, "" when nothing matched.
  std::string Top(const std::string& org, const std::string& business, const std::string& query) {
    auto res = Find(org, business, query);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    if (!res.ok() || res->results().empty()) return "";
    return res->results(0).source_id();
  }

  Status Publish(const std::string& type, const google::protobuf::MessageLite& payload,
                 const std::string& id) {
    events::Event e;
    e.id = id;
    e.type = type;
    e.tenant_id = "org_a";
    payload.SerializeToString(&e.payload);
    return bus_->Publish(e);
  }

  void SeedWarung() {
    AddFaq("org_a", "biz_a", "Jam berapa warung buka?",
           "Kami buka setiap hari pukul 07.00 sampai 21.00 WIB.");
    AddFaq("org_a", "biz_a", "Apakah bisa pesan antar?",
           "Bisa, pesan antar lewat WhatsApp untuk radius 5 km, ongkir Rp 5.000.");
    AddFaq("org_a", "biz_a", "Apakah menerima pembayaran QRIS?",
           "Ya, kami menerima QRIS, transfer bank BCA, dan tunai.");
  }

  ManualClock clock_{ManualClock::TimePoint(std::chrono::milliseconds(1'715'742'000'000))};
  std::unique_ptr<sqltest::TestDatabase> store_;
  std::unique_ptr<events::EventBus> bus_;
  std::unique_ptr<RagServiceHost> host_;
  std::unique_ptr<GrpcLoopback> loopback_;
};

TEST_P(RagContractTest, FaqsAreCreatedListedUpdatedAndDeletedWithinTheirBusiness) {
  const v1::Faq faq = AddFaq("org_a", "biz_a", "  Jam berapa buka? ", "Pukul 07.00.");
  EXPECT_EQ(faq.question(), "Jam berapa buka?");  // trimmed
  v1::GetFaqRequest get;
  get.set_org_id("org_a");
  get.set_business_id("biz_a");
  get.set_faq_id(faq.id());
  MH_ASSERT_OK_AND_ASSIGN(auto got, Svc().GetFaq(get));
  EXPECT_EQ(got.faq().answer(), "Pukul 07.00.");

  // Another organisation, or another business of the same one, does not see it.
  get.set_org_id("org_b");
  EXPECT_EQ(Svc().GetFaq(get).status().code(), StatusCode::kNotFound);
  get.set_org_id("org_a");
  get.set_business_id("biz_other");
  EXPECT_EQ(Svc().GetFaq(get).status().code(), StatusCode::kNotFound);

  v1::UpdateFaqRequest update;
  update.set_org_id("org_a");
  update.set_business_id("biz_a");
  update.set_faq_id(faq.id());
  update.set_answer("Pukul 08.00.");
  update.set_replace_tags(true);
  update.add_tags("jam");
  MH_ASSERT_OK_AND_ASSIGN(auto updated, Svc().UpdateFaq(update));
  EXPECT_EQ(updated.faq().question(), "Jam berapa buka?");
  EXPECT_EQ(updated.faq().answer(), "Pukul 08.00.");
  ASSERT_EQ(updated.faq().tags_size(), 1);

  v1::ListFaqsRequest list;
  list.set_org_id("org_a");
  list.set_business_id("biz_a");
  MH_ASSERT_OK_AND_ASSIGN(auto listed, Svc().ListFaqs(list));
  ASSERT_EQ(listed.items_size(), 1);
  EXPECT_EQ(listed.items(0).answer(), "Pukul 08.00.");
  EXPECT_EQ(listed.items(0).tags(0), "jam");

  v1::DeleteFaqRequest del;
  del.set_org_id("org_b");
  del.set_business_id("biz_a");
  del.set_faq_id(faq.id());
  EXPECT_EQ(Svc().DeleteFaq(del).status().code(), StatusCode::kNotFound);
  del.set_org_id("org_a");
  MH_ASSERT_OK(Svc().DeleteFaq(del));
  EXPECT_EQ(Svc().DeleteFaq(del).status().code(), StatusCode::kNotFound);
}

TEST_P(RagContractTest, InvalidFaqFieldsAreNamed) {
  v1::CreateFaqRequest req;
  req.set_org_id("org_a");
  req.set_business_id("biz_a");
  req.set_question("");
  req.set_answer("x");
  auto res = Svc().CreateFaq(req);
  ASSERT_EQ(res.status().code(), StatusCode::kInvalidArgument);
  ASSERT_FALSE(res.status().field_errors().empty());
  EXPECT_EQ(res.status().field_errors()[0].field, "question");
  req.set_question(std::string(501, 'a'));
  EXPECT_EQ(Svc().CreateFaq(req).status().field_errors()[0].field, "question");
  req.set_question("ok?");
  req.set_answer("bad \x01 control");
  EXPECT_EQ(Svc().CreateFaq(req).status().field_errors()[0].field, "answer");
  req.set_answer("fine");
  req.set_business_id("");
  EXPECT_EQ(Svc().CreateFaq(req).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(RagContractTest, SearchSeesEveryChangeAtOnceAndNeverAnotherBusiness) {
  SeedWarung();
  const v1::Faq other = AddFaq("org_b", "biz_b", "Jam berapa toko buka?", "Buka jam 10.");
  EXPECT_EQ(Top("org_b", "biz_b", "jam buka"), other.id());
  const std::string open_id = Top("org_a", "biz_a", "jam brp buka kak?");
  ASSERT_FALSE(open_id.empty());
  EXPECT_NE(open_id, other.id());
  // The same business id named with the wrong organisation is empty, not a leak.
  EXPECT_EQ(Top("org_b", "biz_a", "jam buka"), "");
  auto res = Find("org_a", "biz_a", "jam buka");
  ASSERT_TRUE(res.ok());
  for (const auto& r : res->results()) EXPECT_NE(r.source_id(), other.id());

  const v1::Faq parking = AddFaq("org_a", "biz_a", "Apakah ada tempat parkir?", "Ada parkir.");
  EXPECT_EQ(Top("org_a", "biz_a", "parkir mobil dimana"), parking.id());
  v1::DeleteFaqRequest del;
  del.set_org_id("org_a");
  del.set_business_id("biz_a");
  del.set_faq_id(parking.id());
  MH_ASSERT_OK(Svc().DeleteFaq(del));
  auto after = Find("org_a", "biz_a", "parkir mobil dimana");
  ASSERT_TRUE(after.ok());
  for (const auto& r : after->results()) EXPECT_NE(r.source_id(), parking.id());
}

TEST_P(RagContractTest, ScoresAreCalibratedAndExplained) {
  SeedWarung();
  MH_ASSERT_OK_AND_ASSIGN(auto hit, Find("org_a", "biz_a", "bayar pake qris bisa?", "", true));
  ASSERT_FALSE(hit.results().empty());
  EXPECT_EQ(hit.mode(), "keyword");
  EXPECT_GE(hit.confidence(), 0.30);
  EXPECT_DOUBLE_EQ(hit.results(0).score(), hit.confidence());
  EXPECT_TRUE(hit.results(0).explain().has_keyword_rank());
  EXPECT_FALSE(hit.terms().empty());
  for (const auto& r : hit.results()) {
    EXPECT_GE(r.score(), 0.0);
    EXPECT_LE(r.score(), 1.0);
  }
  MH_ASSERT_OK_AND_ASSIGN(auto off, Find("org_a", "biz_a", "siapa presiden amerika sekarang"));
  EXPECT_LT(off.confidence(), 0.30);

  EXPECT_EQ(Find("org_a", "biz_a", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Find("org_a", "biz_a", "x", "fuzzy").status().code(), StatusCode::kInvalidArgument);
  // No embedding provider configured: vector search is a precondition failure, not a crash.
  EXPECT_EQ(Find("org_a", "biz_a", "x", "vector").status().code(), StatusCode::kFailedPrecondition);
}

TEST_P(RagContractTest, ImportsKeepGoodRowsAndNameBadLines) {
  v1::ImportFaqsRequest req;
  req.set_org_id("org_a");
  req.set_business_id("biz_a");
  req.set_format("csv");
  req.set_body(
      "question,answer\n\"Ada wifi?\",\"Ada, gratis.\"\n,tanpa pertanyaan\n"
      "Bisa bayar QRIS?,Bisa.\n");
  MH_ASSERT_OK_AND_ASSIGN(auto imported, Svc().ImportFaqs(req));
  EXPECT_EQ(imported.imported(), 2);
  ASSERT_EQ(imported.rejected_size(), 1);
  EXPECT_EQ(imported.rejected(0).line(), 3);
  EXPECT_FALSE(Top("org_a", "biz_a", "wifi ada ga").empty());

  req.set_format("json");
  req.set_body(R"([{"question": "Buka hari Minggu?", "answer": "Buka."}, {"question": 5}])");
  MH_ASSERT_OK_AND_ASSIGN(auto json, Svc().ImportFaqs(req));
  EXPECT_EQ(json.imported(), 1);
  EXPECT_EQ(json.rejected_size(), 1);
  req.set_body("not json");
  EXPECT_EQ(Svc().ImportFaqs(req).status().code(), StatusCode::kInvalidArgument);
  req.set_format("xml");
  EXPECT_EQ(Svc().ImportFaqs(req).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(RagContractTest, DocumentsAreChunkedSearchableAndDeletedWithTheirChunks) {
  v1::AddDocumentRequest add;
  add.set_org_id("org_a");
  add.set_business_id("biz_a");
  add.set_title("Daftar harga");
  add.set_content_type("text/markdown");
  add.set_content(
      "# Paket kiloan\n\nCuci setrika reguler Rp 7.000 per kg, selesai 2 hari.\n\n"
      "# Paket express\n\nCuci kilat 6 jam Rp 12.000 per kg.\n");
  MH_ASSERT_OK_AND_ASSIGN(auto added, Svc().AddDocument(add));
  EXPECT_EQ(added.document().status(), "indexed");
  EXPECT_GE(added.document().chunks(), 2);
  EXPECT_EQ(added.document().content_type(), "text/markdown");
  MH_ASSERT_OK_AND_ASSIGN(auto found, Find("org_a", "biz_a", "cuci kilat express berapa"));
  ASSERT_FALSE(found.results().empty());
  EXPECT_EQ(found.results(0).source_type(), "document");
  EXPECT_EQ(found.results(0).source_id(), added.document().id());
  EXPECT_NE(found.results(0).text().find("12.000"), std::string::npos);

  v1::DeleteDocumentRequest del;
  del.set_org_id("org_a");
  del.set_business_id("biz_a");
  del.set_document_id(added.document().id());
  MH_ASSERT_OK(Svc().DeleteDocument(del));
  MH_ASSERT_OK_AND_ASSIGN(auto gone, Find("org_a", "biz_a", "cuci kilat express berapa"));
  EXPECT_TRUE(gone.results().empty());
}

TEST_P(RagContractTest, BadDocumentsAreRefusedAndLeaveNothing) {
  v1::AddDocumentRequest add;
  add.set_org_id("org_a");
  add.set_business_id("biz_a");
  add.set_filename("notes.txt");
  static constexpr char kElf[] =
      "\x7f"
      "ELF\x02\x01\x01\0\0\0\0\0binary";
  add.set_content(std::string(kElf, sizeof(kElf) - 1));  // the NULs included, not the final one
  EXPECT_EQ(Svc().AddDocument(add).status().code(), StatusCode::kInvalidArgument);
  add.set_filename("scan.pdf");
  add.set_content("%PDF-1.4\nthis is not really a pdf\n%%EOF");
  EXPECT_EQ(Svc().AddDocument(add).status().code(), StatusCode::kInvalidArgument);
  add.set_filename("photo.jpg");
  add.set_content("\xff\xd8\xff\xe0 jpeg");
  EXPECT_EQ(Svc().AddDocument(add).status().code(), StatusCode::kUnimplemented);
  v1::ListDocumentsRequest list;
  list.set_org_id("org_a");
  list.set_business_id("biz_a");
  MH_ASSERT_OK_AND_ASSIGN(auto listed, Svc().ListDocuments(list));
  EXPECT_EQ(listed.items_size(), 0);
}

TEST_P(RagContractTest, LargeDocumentsAreIngestedInTheBackground) {
  RagOptions options;
  options.inline_ingest_bytes = 1024;
  Restart(options);
  std::string text;
  for (int i = 0; i < 400; ++i) {
    text += "Paragraf " + std::to_string(i) + " tentang layanan cuci sepatu dan tas.\n\n";
  }
  text += "Layanan antar jemput gratis untuk pelanggan setia di Sleman.\n";
  v1::AddDocumentRequest add;
  add.set_org_id("org_a");
  add.set_business_id("biz_a");
  add.set_title("Layanan");
  add.set_content_type("text/plain");
  add.set_content(text);
  MH_ASSERT_OK_AND_ASSIGN(auto added, Svc().AddDocument(add));
  EXPECT_EQ(added.document().status(), "processing");
  v1::GetDocumentRequest get;
  get.set_org_id("org_a");
  get.set_business_id("biz_a");
  get.set_document_id(added.document().id());
  std::string status;
  for (int i = 0; i < 200 && status != "indexed"; ++i) {
    MH_ASSERT_OK_AND_ASSIGN(auto got, Svc().GetDocument(get));
    status = got.document().status();
    if (status != "indexed") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(status, "indexed");
  EXPECT_EQ(Top("org_a", "biz_a", "antar jemput gratis"), added.document().id());
}

TEST_P(RagContractTest, IndexesAreRebuiltFromTheDatabaseAfterARestart) {
  SeedWarung();
  const std::string before = Top("org_a", "biz_a", "bisa transfer bca ga");
  ASSERT_FALSE(before.empty());
  Restart({});
  EXPECT_EQ(Top("org_a", "biz_a", "bisa transfer bca ga"), before);
}

TEST_P(RagContractTest, ProductsAndProfileAreIndexedFromBusinessEvents) {
  business::v1::ProductChanged product;
  product.set_org_id("org_a");
  product.set_business_id("biz_a");
  auto* p = product.mutable_product();
  p->set_id("prd_1");
  p->set_business_id("biz_a");
  p->set_name("Nasi Goreng Spesial");
  p->mutable_price()->set_amount(20000);
  p->mutable_price()->set_currency("IDR");
  p->set_unit("porsi");
  p->set_active(true);
  MH_ASSERT_OK(Publish(business::kProductChangedEvent, product, "evt_1"));
  MH_ASSERT_OK_AND_ASSIGN(auto found, Find("org_a", "biz_a", "nasi goreng spesial"));
  ASSERT_FALSE(found.results().empty());
  EXPECT_EQ(found.results(0).source_type(), "product");
  EXPECT_NE(found.results(0).text().find("Rp 20.000 per porsi"), std::string::npos);

  business::v1::BusinessChanged profile;
  profile.set_org_id("org_a");
  auto* b = profile.mutable_business();
  b->set_id("biz_a");
  b->set_org_id("org_a");
  b->set_name("Warung Bu Sari");
  b->set_address("Jl. Melati 12, Sleman");
  auto* h = b->add_opening_hours();
  h->set_weekday(1);
  h->set_open("07:00");
  h->set_close("21:00");
  MH_ASSERT_OK(Publish(business::kBusinessChangedEvent, profile, "evt_2"));
  MH_ASSERT_OK_AND_ASSIGN(auto where, Find("org_a", "biz_a", "alamat warung bu sari"));
  ASSERT_FALSE(where.results().empty());
  EXPECT_EQ(where.results(0).source_type(), "profile");
  EXPECT_NE(where.results(0).text().find("Senin 07:00–21:00"), std::string::npos);

  // Repriced, then deleted; a redelivered old event changes nothing.
  p->mutable_price()->set_amount(22000);
  MH_ASSERT_OK(Publish(business::kProductChangedEvent, product, "evt_3"));
  MH_ASSERT_OK_AND_ASSIGN(auto repriced, Find("org_a", "biz_a", "nasi goreng spesial"));
  ASSERT_FALSE(repriced.results().empty());
  EXPECT_NE(repriced.results(0).text().find("Rp 22.000"), std::string::npos);
  product.set_deleted(true);
  MH_ASSERT_OK(Publish(business::kProductChangedEvent, product, "evt_4"));
  product.set_deleted(false);
  MH_ASSERT_OK(Publish(business::kProductChangedEvent, product, "evt_3"));  // redelivery
  MH_ASSERT_OK_AND_ASSIGN(auto gone, Find("org_a", "biz_a", "nasi goreng spesial"));
  for (const auto& r : gone.results()) EXPECT_NE(r.source_type(), "product");
  // And after a restart the rows say the same.
  Restart({});
  MH_ASSERT_OK_AND_ASSIGN(auto reloaded, Find("org_a", "biz_a", "nasi goreng spesial"));
  for (const auto& r : reloaded.results()) EXPECT_NE(r.source_type(), "product");
}

TEST_P(RagContractTest, KnowledgeVersionMovesOnEveryChange) {
  v1::KnowledgeVersionRequest req;
  req.set_org_id("org_a");
  req.set_business_id("biz_a");
  MH_ASSERT_OK_AND_ASSIGN(auto v0, Svc().KnowledgeVersion(req));
  EXPECT_EQ(v0.version(), 0);
  AddFaq("org_a", "biz_a", "Ada wifi?", "Ada.");
  MH_ASSERT_OK_AND_ASSIGN(auto v1, Svc().KnowledgeVersion(req));
  AddFaq("org_a", "biz_a", "Ada parkir?", "Ada.");  // same millisecond: still a new version
  MH_ASSERT_OK_AND_ASSIGN(auto v2, Svc().KnowledgeVersion(req));
  EXPECT_GT(v1.version(), v0.version());
  EXPECT_GT(v2.version(), v1.version());
  req.set_org_id("org_b");
  MH_ASSERT_OK_AND_ASSIGN(auto other, Svc().KnowledgeVersion(req));
  EXPECT_EQ(other.version(), 0);
}

TEST_P(RagContractTest, WithEmbeddingsSearchIsHybridAndVectorModeWorks) {
  auto embeddings = std::make_shared<HashingEmbeddings>();
  RagOptions options;
  options.embeddings = embeddings;
  Restart(options);
  SeedWarung();
  EXPECT_GT(embeddings->calls.load(), 0);
  MH_ASSERT_OK_AND_ASSIGN(auto hybrid,
                          Find("org_a", "biz_a", "menerima pembayaran QRIS", "", true));
  EXPECT_EQ(hybrid.mode(), "hybrid");
  ASSERT_FALSE(hybrid.results().empty());
  EXPECT_TRUE(hybrid.results(0).explain().has_vector_rank());
  MH_ASSERT_OK_AND_ASSIGN(auto vector,
                          Find("org_a", "biz_a", "menerima pembayaran QRIS", "vector"));
  EXPECT_EQ(vector.mode(), "vector");
  ASSERT_FALSE(vector.results().empty());
  EXPECT_EQ(vector.results(0).title(), "Apakah menerima pembayaran QRIS?");
  // Vectors are stored: a restart rebuilds the vector index from the rows.
  Restart(options);
  MH_ASSERT_OK_AND_ASSIGN(auto again, Find("org_a", "biz_a", "menerima pembayaran QRIS", "vector"));
  ASSERT_FALSE(again.results().empty());
  EXPECT_EQ(again.results(0).title(), "Apakah menerima pembayaran QRIS?");
}

INSTANTIATE_TEST_SUITE_P(Backends, RagContractTest,
                         ::testing::Combine(::testing::Values(Backend::kSqlite, Backend::kPostgres),
                                            ::testing::Values(Transport::kInProcess,
                                                              Transport::kGrpc)),
                         ParamName);

}  // namespace
}  // namespace milkyhoop::rag
