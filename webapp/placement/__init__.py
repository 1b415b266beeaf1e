"""A citizen's date-effective placement in team and kontaktteam."""
