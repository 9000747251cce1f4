from tortoise import migrations
from tortoise.migrations import operations as ops
from backend.callcentre.models import CallStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_feedback')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FeedbackCall',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('grievance', fields.ForeignKeyField('models.Grievance', source_field='grievance_id', db_constraint=True, to_field='id', related_name='feedback_calls', on_delete=OnDelete.CASCADE)),
                ('round', fields.IntField()),
                ('status', fields.CharEnumField(default=CallStatus.QUEUED, description='QUEUED: queued\nCLAIMED: claimed\nDONE: done\nUNREACHABLE: unreachable', enum_type=CallStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('claimed_by', fields.ForeignKeyField('models.StaffUser', source_field='claimed_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sensitive', fields.BooleanField(default=False)),
                ('closed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
            ],
            options={'table': 'cc_feedback_call', 'app': 'models', 'unique_together': (('grievance', 'round'),), 'indexes': [Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CallAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('call', fields.ForeignKeyField('models.FeedbackCall', source_field='call_id', db_constraint=True, to_field='id', related_name='attempt_rows', on_delete=OnDelete.CASCADE)),
                ('agent', fields.ForeignKeyField('models.StaffUser', source_field='agent_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('reached', fields.BooleanField()),
                ('resolved', fields.BooleanField(null=True)),
                ('rating', fields.IntField(null=True)),
                ('remarks', fields.TextField(default='', unique=False)),
                ('recording', fields.ForeignKeyField('models.Attachment', source_field='recording_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'cc_call_attempt', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
