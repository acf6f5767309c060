"""Customs: verification online (offline through `sync` and `verify`), photos of QR codes,
shipments, deliveries, and tracing markings."""
