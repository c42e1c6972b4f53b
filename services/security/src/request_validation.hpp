#pragma once
// Checks of SecurityService requests, reported as kInvalidArgument with one field error per
// offending field (all of them, not only the first).
//
// The Utf8 checks are shared with the gRPC client adapter: proto3 `string` fields must be
// UTF-8 on the wire, so the client refuses what the transport cannot carry with the very error
// the service gives in-process, instead of a parse failure on the server.

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/security/v1/security.pb.h"

namespace milkyhoop::security {

Status CheckUtf8Fields(const v1::EncryptRequest& request);
Status CheckUtf8Fields(const v1::DecryptRequest& request);
Status CheckUtf8Fields(const v1::RewrapRequest& request);
Status CheckUtf8Fields(const v1::BlindIndexRequest& request);

Status ValidateEncrypt(const v1::EncryptRequest& request);
Status ValidateDecrypt(const v1::DecryptRequest& request);
Status ValidateRewrap(const v1::RewrapRequest& request);
// Purpose and size of the value; its format is checked by the normaliser.
Status ValidateBlindIndex(const v1::BlindIndexRequest& request);

}  // namespace milkyhoop::security
