"""Postmortem drafter: incident chat in, fact-checked postmortem draft out."""

__version__ = "0.1.0"
