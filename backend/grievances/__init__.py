"""The grievance lifecycle: intake, movement, reports, review (see `states.py`)."""
