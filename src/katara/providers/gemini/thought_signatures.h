#pragma once
// Gemini's thought signatures, kept for the turn that sends a function call back. Gemini 3
// attaches an opaque `thoughtSignature` to the functionCall parts it answers with and rejects
// (400) a later request whose history holds that call without it. A client of another format
// has nowhere to keep it: it only sends the call's id back. So the gateway remembers
// id → signature, and the encoder puts the signature back on the call with that id.
//
// In-process and bounded (oldest first out): a conversation continued after a restart, on
// another node, or after 4,096 newer calls is sent without the signature, as a client that
// dropped it would send it. Shared by all workers behind a mutex: only function calls from
// Gemini touch it.
#include <optional>
#include <string>
#include <string_view>

namespace katara::providers::gemini {

void rememberThoughtSignature(std::string_view call_id, std::string_view signature);
std::optional<std::string> thoughtSignatureOf(std::string_view call_id);

}  // namespace katara::providers::gemini
