#pragma once
// Names the calling thread (at most 15 characters) so `top -H`, `ps -T` and the benchmark can
// tell the workers from the store thread and the rest.
#include <pthread.h>

namespace katara::core {

inline void nameThisThread(const char* name) { ::pthread_setname_np(::pthread_self(), name); }

}  // namespace katara::core
