#ifndef CONTROLGAP_CLIBCRYPTO_SHIM_H
#define CONTROLGAP_CLIBCRYPTO_SHIM_H

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>

#endif
