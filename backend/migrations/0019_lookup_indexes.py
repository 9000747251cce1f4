from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0018_subtree_rollups')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Grievance',
            index=Index(fields=['master_id']),
        ),
        ops.AddIndex(
            model_name='Report',
            index=Index(fields=['grievance_id', 'kind']),
        ),
        ops.AddIndex(
            model_name='ReviewStep',
            index=Index(fields=['report_id', 'level']),
        ),
    ]
