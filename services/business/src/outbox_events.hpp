#pragma once
// Appending the service's events to its outbox, inside the caller's database transaction, so an
// event is published if and only if the change it describes commits.
#include <cstdint>
#include <string>
#include <string_view>

#include "milkyhoop/business/v1/events.pb.h"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::business {

Status AppendEvent(sql::Session& tx, std::string_view type, const std::string& org_id,
                   const google::protobuf::MessageLite& payload, std::int64_t now_ms);

Status AppendProductChanged(sql::Session& tx, const std::string& org_id, const v1::Product& product,
                            bool deleted, std::int64_t now_ms);

Status AppendBusinessChanged(sql::Session& tx, const v1::Business& business, bool deleted,
                             std::int64_t now_ms);

}  // namespace milkyhoop::business
