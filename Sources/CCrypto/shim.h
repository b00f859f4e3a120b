#ifndef BURSAR_CCRYPTO_SHIM_H
#define BURSAR_CCRYPTO_SHIM_H
// OpenSSL's digest API, for SHA-256 of documents and records. libcrypto is always present where
// libpq is: Debian's libpq-dev depends on libssl-dev.
#include <openssl/evp.h>
#endif
