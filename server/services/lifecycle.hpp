// A tenant's installation state: the app uninstalled (POST /v1/lifecycle/deactivate) and
// installed again, which the endpoint learns only from its use (DESIGN §7: "activity
// reactivates"). The router calls reactivate() on use; the handler is in lifecycle.cpp.
#pragma once

#include "clock.hpp"
#include "store/store.hpp"

namespace leastdata::server::lifecycle {

/// An uninstalled app that is used again has been reinstalled: marks `tenant` active, in the
/// store and in the caller's copy.
void reactivate(Store& store, Tenant& tenant, Millis now);

}  // namespace leastdata::server::lifecycle
