"""Screening: the denied parties (the UN Consolidated List and the parties of denied
applications), embargoes, and name matching across scripts and spellings."""
