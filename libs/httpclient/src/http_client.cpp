#include "milkyhoop/httpclient/http_client.hpp"

#include "asio.hpp"  // first: see the note there

#include <algorithm>
#include <cctype>
#include <optional>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace milkyhoop::httpclient {
namespace {

using Clock = std::chrono::steady_clock;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

bool HasControlChars(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7F; });
}

// What one exchange produced; filled by the coroutine, read after the io_context ran dry.
struct Outcome {
  Status status;
  Response response;
};

Status TransportError(const beast::error_code& ec, std::string_view stage, const Url& url) {
  if (ec == beast::error::timeout || ec == asio::error::operation_aborted) {
    return DeadlineExceeded("HTTP " + std::string(stage) + " to " + url.host + " timed out");
  }
  if (ec == bhttp::error::body_limit) {
    return ResourceExhausted("HTTP response from " + url.host + " is larger than allowed");
  }
  if (ec == bhttp::error::header_limit) {
    return ResourceExhausted("HTTP response headers from " + url.host + " are larger than allowed");
  }
  std::string detail = ec.message();
  if (ec.category() == asio::error::get_ssl_category()) {
    // OpenSSL's reason string ("certificate verify failed") says more than the number.
    char buf[256];
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), buf, sizeof(buf));
    detail = buf;
  }
  return Unavailable("HTTP " + std::string(stage) + " to " + url.host + ":" +
                     std::to_string(url.port) + " failed: " + detail);
}

}  // namespace

struct HttpClient::Impl {
  ClientOptions options;
  std::unique_ptr<ssl::context> tls;
};

std::string_view Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

Result<HttpClient> HttpClient::Create(ClientOptions options) {
  if (options.connect_timeout.count() <= 0 || options.total_timeout.count() <= 0) {
    return InvalidArgument("HTTP client timeouts must be positive");
  }
  if (options.max_response_body_bytes == 0 || options.max_response_header_bytes == 0) {
    return InvalidArgument("HTTP client response limits must be positive");
  }
  auto impl = std::make_shared<Impl>();
  impl->tls = std::make_unique<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(impl->tls->native_handle(), TLS1_2_VERSION);
  impl->tls->set_verify_mode(ssl::verify_peer);
  beast::error_code ec;
  if (options.use_system_trust_store) {
    impl->tls->set_default_verify_paths(ec);
    if (ec) return FailedPrecondition("cannot load the system trust store: " + ec.message());
  }
  if (!options.extra_ca_file.empty()) {
    impl->tls->load_verify_file(options.extra_ca_file, ec);
    if (ec) {
      return FailedPrecondition("cannot load CA file " + options.extra_ca_file + ": " +
                                ec.message());
    }
  }
  impl->options = std::move(options);
  return HttpClient(std::move(impl));
}

const ClientOptions& HttpClient::options() const { return impl_->options; }

namespace {

template <typename Stream>
asio::awaitable<void> Exchange(Stream& stream, beast::tcp_stream& tcp,
                               const bhttp::request<bhttp::string_body>& request,
                               const ClientOptions& options, Clock::time_point deadline,
                               const Url& url, Outcome& out) {
  beast::error_code ec;
  tcp.expires_at(deadline);
  co_await bhttp::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    out.status = TransportError(ec, "write", url);
    co_return;
  }
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(options.max_response_body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options.max_response_header_bytes, UINT32_MAX)));
  if (request.method() == bhttp::verb::head) parser.skip(true);
  co_await bhttp::async_read_header(stream, buffer, parser,
                                    asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    out.status = TransportError(ec, "read", url);
    co_return;
  }
  // Boost 1.74's parser does not apply body_limit to a Content-Length body (it compares with
  // the optional limit wrongly); chunked and read-to-close bodies it does limit.
  if (parser.content_length() && *parser.content_length() > options.max_response_body_bytes) {
    out.status = TransportError(bhttp::error::body_limit, "read", url);
    co_return;
  }
  co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    out.status = TransportError(ec, "read", url);
    co_return;
  }
  auto& message = parser.get();
  out.response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    out.response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.response.body = std::move(message.body());
  out.status = Status::Ok();
}

asio::awaitable<void> Run(const HttpClient::Impl& impl, const Url& url,
                          const bhttp::request<bhttp::string_body>& request, Outcome& out) {
  const ClientOptions& options = impl.options;
  auto executor = co_await asio::this_coro::executor;
  const Clock::time_point deadline = Clock::now() + options.total_timeout;
  const Clock::time_point connect_deadline =
      std::min(deadline, Clock::now() + options.connect_timeout);

  // The resolver has no timeout of its own: a timer cancels it. Both are shared with the
  // timer's handler, which may already be queued when the resolve finishes first.
  auto resolver = std::make_shared<tcp::resolver>(executor);
  auto resolve_timed_out = std::make_shared<bool>(false);
  asio::steady_timer resolve_timer(executor, connect_deadline);
  resolve_timer.async_wait([resolver, resolve_timed_out](const beast::error_code& ec) {
    if (!ec) {
      *resolve_timed_out = true;
      resolver->cancel();
    }
  });
  beast::error_code ec;
  auto endpoints = co_await resolver->async_resolve(url.host, std::to_string(url.port),
                                                    asio::redirect_error(asio::use_awaitable, ec));
  resolve_timer.cancel();
  if (ec) {
    out.status = *resolve_timed_out
                     ? DeadlineExceeded("resolving " + url.host + " timed out")
                     : Unavailable("cannot resolve " + url.host + ": " + ec.message());
    co_return;
  }

  beast::tcp_stream tcp(executor);
  tcp.expires_at(connect_deadline);
  co_await tcp.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    out.status = TransportError(ec, "connect", url);
    co_return;
  }
  if (url.scheme == "http") {
    co_await Exchange(tcp, tcp, request, options, deadline, url, out);
    tcp.socket().shutdown(tcp::socket::shutdown_both, ec);
    co_return;
  }

  beast::ssl_stream<beast::tcp_stream> tls(std::move(tcp), *impl.tls);
  SSL* ssl_handle = tls.native_handle();
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
  if (url.host_is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
  } else {
    // SNI, and the certificate must name this host (wildcards in the left-most label only).
    SSL_set_tlsext_host_name(ssl_handle, url.host.c_str());
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), url.host.size());
  }
  beast::get_lowest_layer(tls).expires_at(deadline);
  co_await tls.async_handshake(ssl::stream_base::client,
                               asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    out.status = TransportError(ec, "TLS handshake", url);
    co_return;
  }
  co_await Exchange(tls, beast::get_lowest_layer(tls), request, options, deadline, url, out);
  // The response was framed by its length; no need to wait for the peer's close_notify.
  beast::get_lowest_layer(tls).socket().shutdown(tcp::socket::shutdown_both, ec);
}

}  // namespace

Result<Response> HttpClient::Send(const Request& request) const {
  MH_ASSIGN_OR_RETURN(Url url, ParseUrl(request.url));
  const bhttp::verb verb = bhttp::string_to_verb(request.method);
  if (verb == bhttp::verb::unknown) return InvalidArgument("unknown HTTP method " + request.method);
  bhttp::request<bhttp::string_body> message{verb, url.target, 11};
  message.set(bhttp::field::host, url.Authority());
  message.set(bhttp::field::user_agent, impl_->options.user_agent);
  message.set(bhttp::field::connection, "close");
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || HasControlChars(name) || HasControlChars(value) ||
        name.find(':') != std::string::npos) {
      return InvalidArgument("malformed request header");
    }
    message.set(name, value);
  }
  message.body() = request.body;
  if (!request.body.empty() || verb == bhttp::verb::post || verb == bhttp::verb::put ||
      verb == bhttp::verb::patch) {
    message.prepare_payload();
  }

  Outcome out;  // outlives `io`, whose destructor may still destroy a pending exchange
  asio::io_context io(1);
  out.status = Internal("HTTP exchange did not complete");
  asio::co_spawn(io, Run(*impl_, url, message, out), [&out](std::exception_ptr e) {
    if (e) out.status = Internal("HTTP client failed unexpectedly");
  });
  // Every operation carries the deadline; this bound is the backstop that keeps a caller from
  // waiting past it whatever an operation does (seen under heavy load in the sanitizer build).
  io.run_for(impl_->options.total_timeout + std::chrono::seconds(2));
  if (!io.stopped()) {  // work left: something outlived the deadline
    io.stop();
    return DeadlineExceeded("HTTP exchange exceeded its total timeout");
  }
  if (!out.status.ok()) return out.status;
  return std::move(out.response);
}

Result<Response> HttpClient::Get(std::string_view url, Headers headers) const {
  Request request;
  request.url = std::string(url);
  request.headers = std::move(headers);
  return Send(request);
}

Result<Response> HttpClient::PostForm(std::string_view url, const Params& form,
                                      Headers headers) const {
  headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  Request request;
  request.method = "POST";
  request.url = std::string(url);
  request.headers = std::move(headers);
  request.body = EncodeParams(form);
  return Send(request);
}

}  // namespace milkyhoop::httpclient
