"""Citizen and call-centre feedback, and the disputes it raises (F7)."""
