"""Demonstration data for `make demo` (`broker-registry demo`): load.py loads it all once:
accounts of every role and brokers, then licences.py's and certificates.py's."""
