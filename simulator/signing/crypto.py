"""Key handling that keeps signing fast.

Loading an RSA private key with ``cryptography`` re-checks the key each time
(tens of milliseconds). pyHanko and certomancer load the key for every
signature, CRL and time stamp they make; here each key is loaded once:

- holders: :class:`HolderSigner` keeps the key it decrypted from the .p12;
- services: certomancer's documented crypto-backend hook gets a backend that
  remembers the service keys it has already loaded: certomancer reads every
  service key file each time a PKI's architecture is built (each opening of
  a PKI folder, each issue, each seat of a class), and the key of a given
  file content is loaded once per process.

The service keys are the PKI's own, generated at run time with
``cryptography`` (:meth:`TrainingPKI.create`): they are loaded without
OpenSSL's RSA consistency check (``unsafe_skip_rsa_key_validation``, meant
for keys one made oneself), which costs ~35 ms a key and ran twice per key
and per build, most of the first verification in a seat.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from asn1crypto import keys as asn1_keys, pem
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


CACHED_KEYS = 64   # a class's PKI has four service keys; a process rarely holds more than a few PKIs


def _remember(cache: OrderedDict, digest: bytes, value) -> None:
    """Keep ``value`` as the most recently used entry, dropping the least recently used beyond CACHED_KEYS."""
    cache[digest] = value
    cache.move_to_end(digest)
    while len(cache) > CACHED_KEYS:
        cache.popitem(last=False)


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
        # Least recently used out: a whole-cache clear could drop the keys of the PKI being built right now.
        self._keys: OrderedDict[bytes, object] = OrderedDict()
        self._lock = threading.Lock()
        self._loaded: OrderedDict[bytes, tuple[asn1_keys.PrivateKeyInfo, asn1_keys.PublicKeyInfo]] = OrderedDict()

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def load_private_key(self, key_bytes: bytes, password: bytes | None):
        """Certomancer's key loading (PEM or DER, PKCS#8 out), once per file content and passphrase."""
        digest = hashlib.sha256(b"%d:%b:%b" % (len(password or b""), password or b"", key_bytes)).digest()
        with self._lock:
            hit = self._loaded.get(digest)
            if hit is not None:
                self._loaded.move_to_end(digest)
        if hit is not None:
            return hit
        load = serialization.load_pem_private_key if pem.detect(key_bytes) else serialization.load_der_private_key
        key = load(key_bytes, password=password, unsafe_skip_rsa_key_validation=True)
        private = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        public = asn1_keys.PublicKeyInfo.load(key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
        with self._lock:
            _remember(self._loaded, digest, (private, public))
            _remember(self._keys, hashlib.sha256(private.dump()).digest(), key)
        return private, public

    def _key(self, private_key: asn1_keys.PrivateKeyInfo):
        der = private_key.dump()
        digest = hashlib.sha256(der).digest()
        with self._lock:
            key = self._keys.get(digest)
            if key is None:
                key = serialization.load_der_private_key(der, password=None, unsafe_skip_rsa_key_validation=True)
            _remember(self._keys, digest, key)
            return key

    def generic_sign(self, private_key, tbs_bytes, sd_algo):
        if sd_algo.signature_algo != "rsassa_pkcs1v15":
            return self._inner.generic_sign(private_key, tbs_bytes, sd_algo)
        from cryptography.hazmat.primitives import hashes

        key = self._key(private_key)
        return key.sign(tbs_bytes, padding.PKCS1v15(), getattr(hashes, sd_algo.hash_algo.upper())())
