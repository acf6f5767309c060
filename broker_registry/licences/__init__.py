"""Brokering licences: one per deal, applied for, screened, decided by two regulators,
suspended and revoked."""
