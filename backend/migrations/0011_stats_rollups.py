from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_staff_totp')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DailyFact',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('day', fields.DateField()),
                ('unit_id', fields.IntField()),
                ('category_id', fields.IntField()),
                ('channel', fields.CharField(max_length=16)),
                ('district', fields.CharField(max_length=64)),
                ('metric', fields.CharField(max_length=48)),
                ('count', fields.BigIntField(default=0)),
                ('total', fields.BigIntField(default=0)),
            ],
            options={'table': 'stats_daily_fact', 'app': 'models', 'unique_together': (('day', 'unit_id', 'category_id', 'channel', 'district', 'metric'),), 'indexes': [Index(fields=['unit_id', 'day'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PendingStock',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit_id', fields.IntField()),
                ('category_id', fields.IntField()),
                ('channel', fields.CharField(max_length=16)),
                ('district', fields.CharField(max_length=64)),
                ('filed_day', fields.DateField()),
                ('count', fields.BigIntField(default=0)),
            ],
            options={'table': 'stats_pending_stock', 'app': 'models', 'unique_together': (('unit_id', 'category_id', 'channel', 'district', 'filed_day'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StatsCursor',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('last_id', fields.BigIntField(default=0)),
            ],
            options={'table': 'stats_cursor', 'app': 'models', 'pk_attr': 'name'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StatsPlacement',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('grievance_id', fields.BigIntField(unique=True)),
                ('unit_id', fields.IntField(null=True)),
                ('category_id', fields.IntField()),
                ('channel', fields.CharField(max_length=16)),
                ('district', fields.CharField(max_length=64)),
                ('filed_day', fields.DateField()),
            ],
            options={'table': 'stats_placement', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Where a grievance is counted in the pending stock (unit_id null: not pending).'},
            bases=['Model'],
        ),
    ]
