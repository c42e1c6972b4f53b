#pragma once
// One worker thread running posted tasks in order: where streamed LLM answers are recorded when
// the composition root gives no executor, so the LLM client's I/O threads never wait on SQL.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace milkyhoop::chatbot {

class WorkQueue {
 public:
  WorkQueue();
  // Runs what is queued, then joins.
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void Post(std::function<void()> task);

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace milkyhoop::chatbot
