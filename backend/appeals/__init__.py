"""Appeals against closure or rejection (F8)."""
