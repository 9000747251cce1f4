from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0011_stats_rollups')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SpikeAlert',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('week_start', fields.DateField()),
                ('category_id', fields.IntField()),
                ('district', fields.CharField(max_length=64)),
                ('department_id', fields.IntField()),
                ('count', fields.IntField()),
                ('baseline_mean', fields.FloatField()),
                ('baseline_weeks', fields.IntField()),
                ('score', fields.FloatField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'stats_spike_alert', 'app': 'models', 'unique_together': (('week_start', 'category_id', 'district'),), 'pk_attr': 'id', 'table_description': "An unusual rise in a week's grievances of one category in one district, against"},
            bases=['Model'],
        ),
    ]
