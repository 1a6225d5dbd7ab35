#pragma once
// HTTP/1.1 message heads as bytes. The gateway writes its own messages this way, as one head
// string plus the body in a single gather write: Beast's serializer, walking nested buffer
// views, cost about a third of the instructions of a proxied request.
#include <string>
#include <string_view>

#include "katara/http/message.h"

namespace katara::http {

// False when a header name or value could break the message (CR, LF or NUL): such a header is
// never written.
bool isSafeHeader(const Header& header);

// "POST /v1/x HTTP/1.1\r\nHost: ...\r\n<headers>Content-Length: n\r\n\r\n"
std::string requestHead(std::string_view method, std::string_view target, std::string_view host,
                        const Headers& headers, std::size_t content_length);

// "HTTP/1.1 200 OK\r\n<headers>Content-Length: n\r\n[Connection: close\r\n]\r\n"; with
// `chunked`, Transfer-Encoding: chunked instead of a length.
std::string responseHead(int status, const Headers& headers, bool keep_alive, bool chunked,
                         std::size_t content_length);

// The size line of one chunk of a chunked body: "<hex>\r\n".
std::string chunkSizeLine(std::size_t size);

}  // namespace katara::http
