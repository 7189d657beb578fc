// hiredis (Debian: libhiredis-dev, 0.14.x: RESP2 only). Only Sources/Redis imports this module.
// redisCommand is variadic and cannot be imported; the client uses redisCommandArgv.
#pragma once
#include <hiredis/hiredis.h>
#include <sys/time.h>
