from tortoise import migrations
from tortoise.migrations import operations as ops
from backend.callcentre.models import CallStatus
from tortoise import fields

from backend.core.migration_ops import AlterEnumChoices

class Migration(migrations.Migration):
    dependencies = [('models', '0007_outbox_skipped')]

    initial = False

    operations = [
        AlterEnumChoices(
            model_name='FeedbackCall',
            name='status',
            field=fields.CharEnumField(default=CallStatus.QUEUED, description='QUEUED: queued\nCLAIMED: claimed\nDONE: done\nUNREACHABLE: unreachable\nEXPIRED: expired\nMOOT: moot', enum_type=CallStatus, max_length=16),
        ),
    ]
