#pragma once
#include <chrono>
#include <string>
#include <utility>
#include <variant>

#include "katara/core/error_kind.h"

namespace katara::core {

// A failed upstream step: its class and a short human-readable reason for logs and error bodies.
struct UpstreamError {
  UpstreamErrorKind kind = UpstreamErrorKind::BadResponse;
  std::string message;
  // How long the provider asked us to wait (retry-after and its kin); zero when it did not say.
  std::chrono::milliseconds retry_after{0};
};

// The data plane's result type: a value or an UpstreamError, never an exception.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}                 // NOLINT: implicit by design
  Result(UpstreamError error) : v_(std::move(error)) {}     // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }
  const UpstreamError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, UpstreamError> v_;
};

}  // namespace katara::core
