#include "katara/http/tls_context.h"

#include <boost/asio/ssl/context.hpp>

namespace katara::http {

namespace ssl = boost::asio::ssl;

ClientTlsContext::ClientTlsContext() : ctx_(std::make_unique<ssl::context>(ssl::context::tls_client)) {
  ctx_->set_default_verify_paths();
  ctx_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
}

ClientTlsContext::~ClientTlsContext() = default;

}  // namespace katara::http
