from tortoise import migrations
from tortoise.migrations import operations as ops
from backend.feedback.models import FeedbackSource
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_lifecycle')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Feedback',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('grievance', fields.ForeignKeyField('models.Grievance', source_field='grievance_id', db_constraint=True, to_field='id', related_name='feedback', on_delete=OnDelete.CASCADE)),
                ('round', fields.IntField()),
                ('source', fields.CharEnumField(description='CITIZEN: citizen\nCALL_CENTRE: call_centre', enum_type=FeedbackSource, max_length=16)),
                ('resolved', fields.BooleanField()),
                ('rating', fields.IntField(null=True)),
                ('remarks', fields.TextField(default='', unique=False)),
                ('agent', fields.ForeignKeyField('models.StaffUser', source_field='agent_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'fb_feedback', 'app': 'models', 'unique_together': (('grievance', 'round', 'source'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FeedbackView',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('feedback', fields.ForeignKeyField('models.Feedback', source_field='feedback_id', db_constraint=True, to_field='id', related_name='views', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.StaffUser', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('viewed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'fb_feedback_view', 'app': 'models', 'unique_together': (('feedback', 'user'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
