"""Sanctions: what a suspension or revocation reaches beyond the record it is decided on (a
broker's licences, a licence's certificates, a signer key's certificates and the revocation
list), held as data in reach.py and run by service.py in the sanction's one transaction.
It stands above the domains: each domain's services change only their own records."""
