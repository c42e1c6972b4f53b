#pragma once
// Setup mode's state machine (MISSION.md): welcome → collecting_info → confirming →
// generating_faqs → review → done. Pure: one message in, the next state and the reply out; the
// service stores the state and, when the owner approves the review, creates the business.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/assistant/assistant_llm.hpp"
#include "setup_faqs.hpp"

namespace milkyhoop::assistant::setup {

inline constexpr char kWelcome[] = "welcome";
inline constexpr char kCollectingInfo[] = "collecting_info";
inline constexpr char kConfirming[] = "confirming";
inline constexpr char kGeneratingFaqs[] = "generating_faqs";
inline constexpr char kReview[] = "review";
inline constexpr char kDone[] = "done";

struct SetupState {
  std::string state = kWelcome;
  BusinessFacts facts;
  std::vector<Field> skipped;
  std::optional<Field> asking;
  std::vector<Faq> faqs;
  // Filled while "done" creates things, so a retry resumes instead of creating twice.
  std::string org_id;
  std::string business_id;
  int products_created = 0;
  int faqs_created = 0;
};

std::string StateToJson(const SetupState& state);
// A fresh state when the text is empty or not one this version wrote.
SetupState StateFromJson(std::string_view text);

struct StepResult {
  std::string reply;
  bool finish = false;  // the owner approved: create the business now
};

// Applies one message to the state. With a `writer` (the LLM, when configured), FAQ generation
// adds its checked FAQs (setup_llm_faqs.hpp) to the templates'.
StepResult Step(SetupState& state, std::string_view message, const FaqWriter* writer = nullptr);

// 0..100: the share of fields answered (or skipped) while collecting, then 80 confirming,
// 85 generating, 90 review, 100 done.
int Progress(const SetupState& state);

// The reply once everything is created.
std::string DoneReply(const SetupState& state);

}  // namespace milkyhoop::assistant::setup
