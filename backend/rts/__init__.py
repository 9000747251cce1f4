"""Right to Service (seed 002): the Auto Appeal path of notified services."""
