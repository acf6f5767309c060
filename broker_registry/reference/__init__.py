"""Reference data: countries, currencies, goods categories, units and UN arms embargoes.

Pure modules: no Flask, no database, so services, forms and the CLI can all share them.
"""
