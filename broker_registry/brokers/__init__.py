"""Brokers' registrations: the application, the regulator's decision, renewal, suspension and
revocation, expiry notices, and the public register."""
