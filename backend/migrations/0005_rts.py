from tortoise import migrations
from tortoise.migrations import operations as ops
from backend.grievances.states import Stage
from tortoise.fields.base import OnDelete
from tortoise import fields

from backend.core.migration_ops import AlterEnumChoices

class Migration(migrations.Migration):
    dependencies = [('models', '0004_callcentre')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RtsCase',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('grievance', fields.OneToOneField('models.Grievance', source_field='grievance_id', db_constraint=True, to_field='id', related_name='rts_case', on_delete=OnDelete.CASCADE)),
                ('office', fields.ForeignKeyField('models.Unit', source_field='office_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('first_authority', fields.ForeignKeyField('models.Unit', source_field='first_authority_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('service_days', fields.IntField()),
                ('due_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('appeal_level', fields.IntField(default=0)),
                ('not_applied_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('application_number', fields.CharField(default='', max_length=64)),
                ('applied_on', fields.DateField(null=True)),
                ('application_recorded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'rts_case', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        AlterEnumChoices(
            model_name='Grievance',
            name='paused_stage',
            field=fields.CharEnumField(null=True, description='REGISTRATION: registration\nALLOTMENT: allotment\nPRELIMINARY_REPORT: preliminary_report\nFINAL_REPORT: final_report\nREVIEW: review\nCITIZEN_REPLY: citizen_reply\nDISPUTE_DECISION: dispute_decision\nHELP_TO_APPLY: help_to_apply\nAPPEAL_DECISION: appeal_decision\nDISPOSAL: disposal\nINFORM_CITIZEN: inform_citizen', enum_type=Stage, max_length=24),
        ),
        AlterEnumChoices(
            model_name='Grievance',
            name='stage',
            field=fields.CharEnumField(null=True, description='REGISTRATION: registration\nALLOTMENT: allotment\nPRELIMINARY_REPORT: preliminary_report\nFINAL_REPORT: final_report\nREVIEW: review\nCITIZEN_REPLY: citizen_reply\nDISPUTE_DECISION: dispute_decision\nHELP_TO_APPLY: help_to_apply\nAPPEAL_DECISION: appeal_decision\nDISPOSAL: disposal\nINFORM_CITIZEN: inform_citizen', enum_type=Stage, max_length=24),
        ),
        AlterEnumChoices(
            model_name='SlaPolicy',
            name='stage',
            field=fields.CharEnumField(description='REGISTRATION: registration\nALLOTMENT: allotment\nPRELIMINARY_REPORT: preliminary_report\nFINAL_REPORT: final_report\nREVIEW: review\nCITIZEN_REPLY: citizen_reply\nDISPUTE_DECISION: dispute_decision\nHELP_TO_APPLY: help_to_apply\nAPPEAL_DECISION: appeal_decision\nDISPOSAL: disposal\nINFORM_CITIZEN: inform_citizen', enum_type=Stage, max_length=24),
        ),
    ]
