from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from backend.upstream.models import PushStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0014_open311')]

    initial = False

    operations = [
        ops.CreateModel(
            name='UpstreamLink',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('registration_number', fields.CharField(unique=True, max_length=120)),
                ('grievance', fields.ForeignKeyField('models.Grievance', source_field='grievance_id', unique=True, db_constraint=True, to_field='id', related_name='upstream_links', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'upstream_link', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UpstreamPush',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event_id', fields.BigIntField(unique=True)),
                ('grievance_id', fields.BigIntField(db_index=True)),
                ('registration_number', fields.CharField(max_length=120)),
                ('body', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=PushStatus.PENDING, db_index=True, description='PENDING: pending\nSENT: sent', enum_type=PushStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'upstream_push', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UpstreamState',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('value', fields.CharField(default='', max_length=500)),
            ],
            options={'table': 'upstream_state', 'app': 'models', 'pk_attr': 'name', 'table_description': "Cursors: `pull` (the upstream's opaque cursor), `events` (last event id queued)."},
            bases=['Model'],
        ),
    ]
