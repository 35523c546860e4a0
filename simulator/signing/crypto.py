"""Key handling that keeps signing fast.

Loading an RSA private key with ``cryptography`` re-checks the key each time
(tens of milliseconds). pyHanko and certomancer load the key for every
signature, CRL and time stamp they make; here each key is loaded once:

- holders: :class:`HolderSigner` keeps the key it decrypted from the .p12;
- services: certomancer's documented crypto-backend hook gets a backend that
  remembers the service keys it has already loaded.
"""

from __future__ import annotations

import hashlib
import threading

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers import SimpleSigner


class HolderSigner(SimpleSigner):
    """A pyHanko signer holding an already decrypted RSA key (PKCS#1 v1.5, SHA-256)."""

    def __init__(self, pyca_key: rsa.RSAPrivateKey, **kwargs) -> None:
        super().__init__(**kwargs)
        self._pyca_key = pyca_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism != "rsassa_pkcs1v15" or not isinstance(self._pyca_key, rsa.RSAPrivateKey):
            return super().sign_raw(data, digest_algorithm)
        return self._pyca_key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


def install_service_key_cache() -> None:
    """Make certomancer reuse loaded service keys (idempotent)."""
    from certomancer import crypto_utils

    if isinstance(crypto_utils.CRYPTO_BACKEND, _CachingBackend):
        return
    crypto_utils.CRYPTO_BACKEND = _CachingBackend()


class _CachingBackend:
    """Certomancer's pyca backend with a small cache of loaded private keys."""

    def __init__(self) -> None:
        from certomancer.crypto_utils import PycaCryptographyBackend

        self._inner = PycaCryptographyBackend()
        self._keys: dict[bytes, object] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def _key(self, private_key: asn1_keys.PrivateKeyInfo):
        der = private_key.dump()
        digest = hashlib.sha256(der).digest()
        with self._lock:
            key = self._keys.get(digest)
            if key is None:
                key = serialization.load_der_private_key(der, password=None)
                if len(self._keys) > 64:
                    self._keys.clear()
                self._keys[digest] = key
            return key

    def generic_sign(self, private_key, tbs_bytes, sd_algo):
        if sd_algo.signature_algo != "rsassa_pkcs1v15":
            return self._inner.generic_sign(private_key, tbs_bytes, sd_algo)
        from cryptography.hazmat.primitives import hashes

        key = self._key(private_key)
        return key.sign(tbs_bytes, padding.PKCS1v15(), getattr(hashes, sd_algo.hash_algo.upper())())
