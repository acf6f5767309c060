"""Exceptions raised by the certs package.

They all derive from ValueError so callers that only care about "bad input" can catch one thing;
verify.verify() catches them and answers with a Result instead.
"""


class MalformedError(ValueError):
    """The bytes or text are not a well-formed EUC1 object (prefix, Base45, zlib, CBOR, types).

    `code` is the reason code of the specification (reasons.py) and `params` its parameters;
    the message is the English technical detail.
    """

    def __init__(self, message: str, code: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


class PayloadTooLarge(ValueError):
    """The certificate would need a QR code bigger than the printable maximum."""


class QrEncodingError(ValueError):
    """The QR library failed to encode text it should have accepted."""


class KeyFileError(ValueError):
    """A private key file cannot be read, or the passphrase does not open it."""


class TrustListError(ValueError):
    """A trust list document is malformed or belongs to another root."""


class RevocationListError(ValueError):
    """A revocation list is malformed, badly signed, or cannot be applied to the held state."""
