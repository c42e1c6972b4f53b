#include "bot_settings.hpp"

#include <google/protobuf/util/json_util.h>

#include <cctype>

#include "milkyhoop/chatbot/chatbot_factory.hpp"

namespace milkyhoop::chatbot {

v1::BotSettings DefaultBotSettings(const std::string& business_id) {
  v1::BotSettings b;
  b.set_business_id(business_id);
  b.mutable_thresholds()->set_direct(0.85);
  b.mutable_thresholds()->set_grounded(0.60);
  b.mutable_thresholds()->set_deep(0.30);
  b.mutable_llm()->set_temperature(0.2);
  b.mutable_llm()->set_max_tokens(512);
  b.mutable_llm()->set_timeout_ms(8000);
  b.mutable_daily_budget()->set_amount(kDefaultDailyBudget);
  b.mutable_daily_budget()->set_currency("IDR");
  b.mutable_handoff()->set_enabled(true);
  b.mutable_handoff()->set_after_low_confidence_turns(3);
  return b;
}

Status ValidateBotSettings(const v1::BotSettings& b) {
  Status st(StatusCode::kInvalidArgument, "invalid bot settings");
  auto too_long = [&](std::string_view field, const std::string& v, std::size_t max) {
    if (v.size() > max)
      st.WithField(std::string(field), "at most " + std::to_string(max) + " bytes");
  };
  too_long("persona", b.persona(), 4000);
  too_long("greeting", b.greeting(), 1000);
  too_long("deflection_message", b.deflection_message(), 1000);
  if (!b.language().empty() && b.language() != "id" && b.language() != "en") {
    st.WithField("language", "must be \"id\" or \"en\"");
  }
  const auto& t = b.thresholds();
  auto unit = [&](std::string_view field, double v) {
    if (!(v >= 0.0 && v <= 1.0)) st.WithField(std::string(field), "must be between 0 and 1");
  };
  unit("thresholds.direct", t.direct());
  unit("thresholds.grounded", t.grounded());
  unit("thresholds.deep", t.deep());
  if (!(t.deep() <= t.grounded() && t.grounded() <= t.direct())) {
    st.WithField("thresholds", "must satisfy deep <= grounded <= direct");
  }
  const auto& l = b.llm();
  too_long("llm.base_url", l.base_url(), 500);
  too_long("llm.model", l.model(), 200);
  if (!l.base_url().empty()) {
    if (l.base_url().rfind("http://", 0) != 0 && l.base_url().rfind("https://", 0) != 0) {
      st.WithField("llm.base_url", "must be an http:// or https:// URL");
    }
    if (l.model().empty()) st.WithField("llm.model", "is required with a base_url");
  }
  if (!(l.temperature() >= 0.0 && l.temperature() <= 2.0)) {
    st.WithField("llm.temperature", "must be between 0 and 2");
  }
  if (l.max_tokens() < 1 || l.max_tokens() > 8192) {
    st.WithField("llm.max_tokens", "must be between 1 and 8192");
  }
  if (l.timeout_ms() < 500 || l.timeout_ms() > kMaxBotLlmTimeout.count()) {
    st.WithField("llm.timeout_ms",
                 "must be between 500 and " + std::to_string(kMaxBotLlmTimeout.count()));
  }
  if (b.daily_budget().amount() < 0) st.WithField("daily_budget.amount", "must not be negative");
  const std::string& cur = b.daily_budget().currency();
  if (cur.size() != 3 || !std::isupper(static_cast<unsigned char>(cur[0])) ||
      !std::isupper(static_cast<unsigned char>(cur[1])) ||
      !std::isupper(static_cast<unsigned char>(cur[2]))) {
    st.WithField("daily_budget.currency", "must be an ISO 4217 code such as IDR");
  }
  const int after = b.handoff().after_low_confidence_turns();
  if (after < 0 || after > 50) {
    st.WithField("handoff.after_low_confidence_turns", "must be between 0 and 50");
  }
  return st.field_errors().empty() ? Status::Ok() : st;
}

std::string BotSettingsToJson(const v1::BotSettings& bot) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(bot, &out, options);
  return out;
}

Result<v1::BotSettings> BotSettingsFromJson(std::string_view json) {
  v1::BotSettings bot;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto st = google::protobuf::util::JsonStringToMessage(std::string(json), &bot, options);
  if (!st.ok()) return Internal("stored bot settings do not parse");
  return bot;
}

std::string ApiKeyContext(std::string_view business_id) {
  return "chatbot.bots.llm_api_key:" + std::string(business_id);
}

}  // namespace milkyhoop::chatbot
