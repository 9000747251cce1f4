from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0008_callcentre_expiry')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PushSubscription',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('endpoint_hash', fields.CharField(unique=True, max_length=64)),
                ('endpoint', fields.TextField(unique=False)),
                ('p256dh', fields.CharField(max_length=128)),
                ('auth', fields.CharField(max_length=64)),
                ('citizen_id', fields.IntField(null=True, db_index=True)),
                ('staff_user_id', fields.IntField(null=True, db_index=True)),
                ('user_agent', fields.CharField(default='', max_length=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ntf_push_subscription', 'app': 'models', 'pk_attr': 'id', 'table_description': "One browser's Web Push subscription (the PWA registers it after sign-in)."},
            bases=['Model'],
        ),
    ]
