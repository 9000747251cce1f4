from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0009_push_subscriptions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StaffTotp',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.OneToOneField('models.StaffUser', source_field='user_id', db_constraint=True, to_field='id', related_name='totp', on_delete=OnDelete.CASCADE)),
                ('secret_encrypted', fields.CharField(max_length=255)),
                ('enabled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_step', fields.BigIntField(null=True)),
                ('failures', fields.IntField(default=0)),
                ('failed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'acct_staff_totp', 'app': 'models', 'pk_attr': 'id', 'table_description': "A staff account's authenticator-app secret (RFC 6238). Pending until the first"},
            bases=['Model'],
        ),
    ]
