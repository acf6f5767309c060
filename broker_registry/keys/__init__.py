"""The authority's keys: the root and the document signers, rotated and revoked, and the key
store in the data folder."""
