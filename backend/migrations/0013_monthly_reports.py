from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0012_spike_alerts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MonthlyReport',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit_id', fields.IntField()),
                ('month', fields.DateField()),
                ('figures', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('csv', fields.TextField(unique=False)),
                ('pdf', fields.BinaryField()),
                ('generated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('regenerated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'stats_monthly_report', 'app': 'models', 'unique_together': (('unit_id', 'month'),), 'pk_attr': 'id', 'table_description': "A unit's report for a calendar month: its figures frozen as JSON (pending and the"},
            bases=['Model'],
        ),
    ]
