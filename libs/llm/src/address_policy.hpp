#pragma once
// Which upstream addresses a tenant-configured LLM URL may reach (LlmClient::Options::
// allow_private_addresses = false refuses these).
#include "asio.hpp"

namespace milkyhoop::llm {

// Loopback, unspecified, RFC 1918 private, link-local (169.254/16, where cloud metadata
// lives; fe80::/10), carrier-grade NAT (100.64/10), "this network" (0/8), benchmarking
// (198.18/15), multicast and reserved (224/3), IPv6 unique-local (fc00::/7), and IPv4-mapped or
// -compatible IPv6 forms of any of these.
bool IsPrivateAddress(const asio::ip::address& address);

}  // namespace milkyhoop::llm
