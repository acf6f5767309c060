"""Notifications on the pages, and the mail outbox the worker sends."""
