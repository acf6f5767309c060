"""Accounts: sign-ups confirmed by e-mail, sign-ins kept in the database, API tokens,
passwords, and the `users` commands."""
