#pragma once
// An embedding provider for tests that can be taken down and brought back: words hashed into 16
// buckets, normalised (texts sharing words are near), under a model name the test may change.
#include <atomic>
#include <cctype>
#include <cmath>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "milkyhoop/rag/rag_factory.hpp"

namespace milkyhoop::rag::testing {

class FakeEmbeddings final : public EmbeddingProvider {
 public:
  explicit FakeEmbeddings(std::string model = "fake-16") : model_(std::move(model)) {}

  std::string model() const override { return model_; }
  Result<std::vector<std::vector<float>>> Embed(const std::vector<std::string>& texts) override {
    ++calls;
    if (before_answer) before_answer(texts);
    if (down.load()) return Status(StatusCode::kUnavailable, "connection refused");
    texts_embedded += static_cast<int>(texts.size());
    std::vector<std::vector<float>> out;
    for (const std::string& t : texts) out.push_back(Vector(t));
    return out;
  }

  static std::vector<float> Vector(const std::string& text) {
    std::vector<float> v(16, 0.0f);
    std::string word;
    auto flush = [&] {
      if (!word.empty()) v[std::hash<std::string>()(word) % v.size()] += 1.0f;
      word.clear();
    };
    for (char c : text) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else {
        flush();
      }
    }
    flush();
    float norm = 0;
    for (float x : v) norm += x * x;
    if (norm == 0) {
      v[0] = 1;
      return v;
    }
    for (float& x : v) x /= std::sqrt(norm);
    return v;
  }

  std::atomic<bool> down{false};
  std::atomic<int> calls{0};
  std::atomic<int> texts_embedded{0};
  // Runs inside Embed before it answers (a test's concurrent edit).
  std::function<void(const std::vector<std::string>&)> before_answer;

 private:
  const std::string model_;
};

}  // namespace milkyhoop::rag::testing
