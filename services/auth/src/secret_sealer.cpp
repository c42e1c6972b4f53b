#include "secret_sealer.hpp"

namespace milkyhoop::auth {

Result<std::string> SecretSealer::Seal(std::string_view plaintext, std::string_view context) {
  security::v1::EncryptRequest request;
  request.set_plaintext(std::string(plaintext));
  request.set_context(std::string(context));
  MH_ASSIGN_OR_RETURN(security::v1::EncryptResponse response, security_.Encrypt(request));
  return std::move(*response.mutable_sealed());
}

Result<std::string> SecretSealer::Open(std::string_view sealed, std::string_view context) {
  security::v1::DecryptRequest request;
  request.set_sealed(std::string(sealed));
  request.set_context(std::string(context));
  auto response = security_.Decrypt(request);
  if (!response.ok()) {
    // A stored secret that does not open is our data's problem, not the caller's input.
    if (response.status().code() == StatusCode::kInvalidArgument) {
      return Internal("a sealed auth secret does not open (" + std::string(context) + ")");
    }
    return std::move(response).TakeStatus();
  }
  return std::move(*response->mutable_plaintext());
}

}  // namespace milkyhoop::auth
