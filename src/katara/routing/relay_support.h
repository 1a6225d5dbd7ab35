#pragma once
// Internal to routing/: small pieces shared by the full-body and the stream relay.
#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>

#include "katara/core/result.h"
#include "katara/http/client.h"
#include "katara/routing/executor.h"

namespace katara::routing {

// Reads the whole body, failing with BadResponse past `limit` bytes.
boost::asio::awaitable<core::Result<std::string>> readAll(http::Exchange& exchange, std::size_t limit);

// The headers of an answer a target gave: its content type plus x-request-id and x-katara-*.
http::Headers answerHeaders(const ChatCall& call, const Target& target, std::size_t attempts,
                            std::string_view content_type);

// True when `data` is one well-formed JSON value.
bool isWellFormedJson(std::string_view data);

}  // namespace katara::routing
