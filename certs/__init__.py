"""Signed end-user certificates (EUC1): COSE, Base45, QR, X.509, trust and revocation lists.

Pure cryptography and encoding, importing nothing from the web application, so a customs
system can vendor this package alone. The contract is docs/spec/euc-qr.md; verify.verify()
is the one verification routine.
"""
