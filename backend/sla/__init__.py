"""SLA policies, business calendars, reminders and the escalation ladder (F6)."""
