// libcrypto (Debian: libssl-dev). Only Sources/Fernet imports this module.
#pragma once
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
