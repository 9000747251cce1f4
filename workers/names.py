"""Task names, as constants: callers enqueue by name, never by string literal."""

PURGE_EXPIRED_CREDENTIALS = "purge_expired_credentials"
DISPATCH_OUTBOX = "dispatch_outbox"
PURGE_UNBOUND_ATTACHMENTS = "purge_unbound_attachments"
SWEEP_ESCALATIONS = "sweep_escalations"
SWEEP_REMINDERS = "sweep_reminders"
