from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

from backend.core.migration_ops import AlterFieldState

# The states the reminder and escalation sweeps read (backend.sla.sweeps.SWEPT: every
# pending state but the citizen's turn), frozen here as migrations are.
SWEPT = ("'allotted', 'appealed', 'assigned', 'disputed', 'filed', 'in_progress', 'registered', 'returned', "
         "'sent_back', 'under_review'")


class Migration(migrations.Migration):
    dependencies = [('models', '0020_sla_config_version')]

    initial = False

    operations = [
        # The sweeps read the due rows of the swept states in due order, 500 at a time: over
        # a plain index of the time the planner gathered every due row of any state and
        # sorted them for each batch (tests/bench at 1 M: 86 ms per batch, 1.7 s of a
        # 10,000-grievance sweep). Partial indexes hold only the rows a sweep can take, in
        # its order, so a batch is an index range read; and a closed grievance costs no
        # index entry at all.
        ops.RunSQL(
            f"CREATE INDEX grv_escalation_sweep ON grv_grievance (escalation_due_at, id) "
            f"WHERE escalation_due_at IS NOT NULL AND status IN ({SWEPT})",
            reverse_sql="DROP INDEX grv_escalation_sweep",
        ),
        ops.RunSQL(
            f"CREATE INDEX grv_reminder_sweep ON grv_grievance (reminder_at, id) "
            f"WHERE reminder_at IS NOT NULL AND status IN ({SWEPT})",
            reverse_sql="DROP INDEX grv_reminder_sweep",
        ),
        # Their plain indexes go, and so does the one on unit_path alone, which the
        # (unit_path, status) index already serves: every index is written on each change
        # of a grievance (17 before this), and only these three were never read alone.
        AlterFieldState(
            model_name='Grievance',
            name='escalation_due_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        AlterFieldState(
            model_name='Grievance',
            name='reminder_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        AlterFieldState(
            model_name='Grievance',
            name='unit_path',
            field=fields.CharField(max_length=1024),
        ),
        ops.RunSQL(
            ['DROP INDEX "idx_grv_grievan_escalat_bbcf1f"', 'DROP INDEX "idx_grv_grievan_reminde_655e2b"',
             'DROP INDEX "idx_grv_grievan_unit_pa_829c40"'],
            reverse_sql=['CREATE INDEX "idx_grv_grievan_escalat_bbcf1f" ON "grv_grievance" ("escalation_due_at")',
                         'CREATE INDEX "idx_grv_grievan_reminde_655e2b" ON "grv_grievance" ("reminder_at")',
                         'CREATE INDEX "idx_grv_grievan_unit_pa_829c40" ON "grv_grievance" ("unit_path")'],
        ),
    ]
