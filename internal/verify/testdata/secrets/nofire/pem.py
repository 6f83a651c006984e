"""PEM helpers, as key-handling libraries write them."""

_PRIVATE_HEADERS = (
    "-----BEGIN PRIVATE KEY-----",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----BEGIN EC PRIVATE KEY-----",
    "-----BEGIN OPENSSH PRIVATE KEY-----",
)
_FOOTER = "-----END {}-----"


def is_private_key(data: bytes) -> bool:
    text = data.decode("ascii", "replace")
    return any(h in text for h in _PRIVATE_HEADERS)
