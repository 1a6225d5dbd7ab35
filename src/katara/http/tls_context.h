#pragma once
#include <memory>

namespace boost::asio::ssl {
class context;
}

namespace katara::http {

// The TLS client settings every worker's pool shares: TLS 1.2+, peer verification against the
// system CA store (or SSL_CERT_FILE / SSL_CERT_DIR). Loading that store parses every CA
// certificate, so it is done once per process, not once per worker. OpenSSL allows one
// context to serve connections on many threads.
class ClientTlsContext {
 public:
  ClientTlsContext();
  ~ClientTlsContext();
  boost::asio::ssl::context& native() { return *ctx_; }

 private:
  std::unique_ptr<boost::asio::ssl::context> ctx_;
};

}  // namespace katara::http
