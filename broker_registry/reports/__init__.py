"""The regulators' dashboard and the yearly national report (a page, CSV and PDF)."""
