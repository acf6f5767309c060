"""The audit log: an entry for every state change, in a hash chain that `audit verify` checks,
read by regulators and admins."""
