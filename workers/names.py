"""Task names, as constants: callers enqueue by name, never by string literal."""

PURGE_EXPIRED_CREDENTIALS = "purge_expired_credentials"
DISPATCH_OUTBOX = "dispatch_outbox"
PURGE_UNBOUND_ATTACHMENTS = "purge_unbound_attachments"
PURGE_DELIVERED_MESSAGES = "purge_delivered_messages"
SWEEP_ESCALATIONS = "sweep_escalations"
SWEEP_REMINDERS = "sweep_reminders"
SWEEP_RTS_APPEALS = "sweep_rts_appeals"
RECONCILE_FEEDBACK = "reconcile_feedback"
REFRESH_STATS = "refresh_stats"
DETECT_SPIKES = "detect_spikes"
MONTHLY_REPORTS = "monthly_reports"
UPSTREAM_PULL = "upstream_pull"
UPSTREAM_PUSH = "upstream_push"


def cron_name(task: str) -> str:
    """The name of a task's cron entry. It must differ from the task's own name: arq
    registers cron entries as functions by name, and one with the task's name would
    replace the task (and its retries) for every job queued by name."""
    return f"cron_{task}"
