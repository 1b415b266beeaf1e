"""Forløbskonference: the list, the meeting and its PDFs (DOMAIN §9)."""
