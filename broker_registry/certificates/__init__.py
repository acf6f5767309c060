"""End-user certificates: issued under a licence, signed as EUC1 QR codes (certs/), rendered as
QR images and PDFs, revoked."""
