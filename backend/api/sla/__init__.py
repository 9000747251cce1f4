"""SLA settings over GraphQL: effective limits, calendars, policies, holidays, ladder windows."""
