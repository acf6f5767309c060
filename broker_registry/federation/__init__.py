"""Federation: other states' authorities trusted under their own roots, their lists kept
current, our own metadata published, and shipment notices sent to and received from the
registry that issued a certificate (docs/spec/federation.md)."""
