"""The audit log as people read it: its pages, its API and the reading of its entries. It
stands above the domains whose subjects it names; audit/ below them only records."""
