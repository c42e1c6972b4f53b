#include "test_server.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <unistd.h>
#include <fstream>
#include <stdexcept>

namespace milkyhoop::httpclient::testing {
namespace {

EVP_PKEY* NewKey() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) throw std::runtime_error("EVP_EC_gen failed");
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) throw std::runtime_error("X509V3_EXT_conf_nid failed");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

X509* NewCert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key,
              long serial) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600L * 24);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name);
  (void)issuer_key;
  return cert;
}

std::string CertPem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return out;
}

std::string KeyPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return out;
}

}  // namespace

TestPki TestPki::Make(const std::vector<std::string>& dns_names,
                      const std::vector<std::string>& ips) {
  EVP_PKEY* ca_key = NewKey();
  X509* ca = NewCert(ca_key, "milkyhoop test CA", nullptr, nullptr, 1);
  AddExtension(ca, ca, NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(ca, ca, NID_subject_key_identifier, "hash");
  X509_sign(ca, ca_key, EVP_sha256());

  EVP_PKEY* key = NewKey();
  X509* cert = NewCert(key, dns_names.empty() ? "server" : dns_names[0], ca, ca_key, 2);
  std::string san;
  for (const auto& d : dns_names) san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
  for (const auto& ip : ips) san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  AddExtension(cert, ca, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert, ca, NID_ext_key_usage, "serverAuth");
  if (!san.empty()) AddExtension(cert, ca, NID_subject_alt_name, san);
  X509_sign(cert, ca_key, EVP_sha256());

  TestPki pki{CertPem(ca), CertPem(cert), KeyPem(key)};
  X509_free(cert);
  EVP_PKEY_free(key);
  X509_free(ca);
  EVP_PKEY_free(ca_key);
  return pki;
}

TestServer::TestServer(TestHandler handler, const TestPki* pki)
    : handler_(std::move(handler)),
      acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  if (pki) {
    tls_ = std::make_unique<ssl::context>(ssl::context::tls_server);
    tls_->use_certificate_chain(asio::buffer(pki->server_cert_pem));
    tls_->use_private_key(asio::buffer(pki->server_key_pem), ssl::context::pem);
  }
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

TestServer::~TestServer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    released_ = true;
  }
  cv_.notify_all();
  // Wake the blocking accept with a connection of our own.
  try {
    asio::io_context io;
    tcp::socket s(io);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  } catch (...) {
  }
  accept_thread_.join();
  // Join outside the lock: a worker woken from WaitReleased needs mu_ to return.
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (auto& w : workers) w.join();
}

void TestServer::WaitReleased() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return released_; });
}

void TestServer::Release() {
  {
    std::lock_guard lock(mu_);
    released_ = true;
  }
  cv_.notify_all();
}

void TestServer::AcceptLoop() {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket(io_);
    acceptor_.accept(socket, ec);
    std::lock_guard lock(mu_);
    if (stopping_) return;
    if (ec) continue;
    workers_.emplace_back([this, s = std::move(socket)]() mutable { Serve(std::move(s)); });
  }
}

namespace {

template <typename Stream>
void ServeOne(Stream& stream, const TestHandler& handler) {
  beast::flat_buffer buffer;
  TestRequest request;
  beast::error_code ec;
  bhttp::read(stream, buffer, request, ec);
  if (ec) return;
  TestResponse response{bhttp::status::ok, request.version()};
  response.set(bhttp::field::content_type, "text/plain");
  handler(request, response);
  if (!response.has_content_length() && !response.chunked()) response.prepare_payload();
  bhttp::write(stream, response, ec);
}

}  // namespace

void TestServer::Serve(tcp::socket socket) {
  beast::error_code ec;
  if (!tls_) {
    ServeOne(socket, handler_);
    socket.shutdown(tcp::socket::shutdown_both, ec);
    return;
  }
  beast::ssl_stream<tcp::socket&> stream(socket, *tls_);
  stream.handshake(ssl::stream_base::server, ec);
  if (ec) return;  // the client refused our certificate: expected in some tests
  ServeOne(stream, handler_);
  stream.shutdown(ec);
}

std::filesystem::path WriteTempFile(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() /
              (name + "." + std::to_string(::getpid()) + "." + std::to_string(std::rand()));
  std::ofstream(path) << text;
  return path;
}

}  // namespace milkyhoop::httpclient::testing
