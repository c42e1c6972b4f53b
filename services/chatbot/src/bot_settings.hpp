#pragma once
// Bot settings: the defaults of a business that never saved any, their validation, and their
// stored form (protobuf JSON, so a new field needs no migration).
#include <string>
#include <string_view>

#include "milkyhoop/chatbot/v1/chatbot.pb.h"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::chatbot {

inline constexpr std::int64_t kDefaultDailyBudget = 100'000;  // Rp 100.000, as the original

v1::BotSettings DefaultBotSettings(const std::string& business_id);
// kInvalidArgument naming every bad field ("thresholds.direct", "llm.base_url", ...).
Status ValidateBotSettings(const v1::BotSettings& bot);
std::string BotSettingsToJson(const v1::BotSettings& bot);
Result<v1::BotSettings> BotSettingsFromJson(std::string_view json);
// The context a bot's API key is sealed under: a sealed key copied to another bot does not open.
std::string ApiKeyContext(std::string_view business_id);

}  // namespace milkyhoop::chatbot
