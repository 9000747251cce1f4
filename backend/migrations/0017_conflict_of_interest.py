from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0016_inbox_indexes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Grievance',
            name='against_officer',
            field=fields.ForeignKeyField('models.StaffUser', source_field='against_officer_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Grievance',
            name='against_unit',
            field=fields.ForeignKeyField('models.Unit', source_field='against_unit_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
    ]
