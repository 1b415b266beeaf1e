"""Vagtplan: who of a basisteam is on duty for each shift (DOMAIN §7)."""
