from tortoise import migrations
from tortoise.migrations import operations as ops
from backend.notifications.models import OutboxStatus
from tortoise import fields

from backend.core.migration_ops import AlterEnumChoices

class Migration(migrations.Migration):
    dependencies = [('models', '0006_preferences')]

    initial = False

    operations = [
        AlterEnumChoices(
            model_name='OutboxMessage',
            name='status',
            field=fields.CharEnumField(default=OutboxStatus.PENDING, db_index=True, description='PENDING: pending\nSENDING: sending\nSENT: sent\nDEAD: dead\nSKIPPED: skipped', enum_type=OutboxStatus, max_length=16),
        ),
    ]
