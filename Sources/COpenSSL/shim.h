// libcrypto (Debian: libssl-dev). Only Sources/Fernet imports this module.
#pragma once
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/sha.h>

// Fernet's HMAC keeps the inner and outer SHA-256 states of a key (the state
// after hashing key^ipad and key^opad) and starts every message from a plain
// struct copy of them. OpenSSL 3 can only copy an EVP_MD_CTX by allocating a
// new provider context (EVP_MD_CTX_copy_ex costs about 130 ns more per HMAC on
// this machine), so Fernet uses the low-level SHA256_* functions, which OpenSSL
// 3.0 marks deprecated but still ships with SHA-NI/AVX2 code paths. These
// wrappers confine the deprecation to this one place instead of switching the
// warnings off for the whole library.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static inline int hearth_sha256_init(SHA256_CTX *context) {
    return SHA256_Init(context);
}
static inline int hearth_sha256_update(SHA256_CTX *context, const void *data, size_t count) {
    return SHA256_Update(context, data, count);
}
static inline int hearth_sha256_final(unsigned char *digest, SHA256_CTX *context) {
    return SHA256_Final(digest, context);
}
#pragma clang diagnostic pop
