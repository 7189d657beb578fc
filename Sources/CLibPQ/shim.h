// libpq (Debian: libpq-dev; the header lives in /usr/include/postgresql, found through pkg-config).
// Only Sources/Postgres imports this module.
#pragma once
#include <libpq-fe.h>
