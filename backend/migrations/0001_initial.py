from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from backend.accounts.models import OtpPurpose
from backend.accounts.roles import Role
from backend.orgs.kinds import UnitKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('object_type', fields.CharField(max_length=32)),
                ('object_id', fields.CharField(max_length=64)),
                ('seq', fields.IntField()),
                ('action', fields.CharField(max_length=64)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('actor_kind', fields.CharField(max_length=16)),
                ('actor_id', fields.CharField(default='', max_length=64)),
                ('actor_role', fields.CharField(default='', max_length=32)),
                ('unit_id', fields.IntField(null=True)),
                ('from_state', fields.CharField(default='', max_length=32)),
                ('to_state', fields.CharField(default='', max_length=32)),
                ('note', fields.TextField(default='', unique=False)),
                ('data', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('prev_hash', fields.CharField(default='', max_length=64)),
                ('hash', fields.CharField(max_length=64)),
            ],
            options={'table': 'audit_event', 'app': 'models', 'unique_together': (('object_type', 'object_id', 'seq'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Citizen',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('mobile', fields.CharField(unique=True, max_length=15)),
                ('name', fields.CharField(default='', max_length=200)),
                ('email', fields.CharField(default='', max_length=254)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'acct_citizen', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OtpChallenge',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('mobile', fields.CharField(db_index=True, max_length=15)),
                ('purpose', fields.CharEnumField(description='CITIZEN_SIGN_IN: citizen_sign_in', enum_type=OtpPurpose, max_length=32)),
                ('code_hash', fields.CharField(max_length=64)),
                ('client_address', fields.CharField(default='', db_index=True, max_length=64)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('consumed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'acct_otp_challenge', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StaffUser',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=64)),
                ('full_name', fields.CharField(max_length=200)),
                ('designation', fields.CharField(default='', max_length=200)),
                ('mobile', fields.CharField(default='', max_length=15)),
                ('email', fields.CharField(default='', max_length=254)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('password_hash', fields.CharField(default='', max_length=255)),
                ('active', fields.BooleanField(default=True)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('deactivated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'acct_staff_user', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('staff_user', fields.ForeignKeyField('models.StaffUser', source_field='staff_user_id', null=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('citizen', fields.ForeignKeyField('models.Citizen', source_field='citizen_id', null=True, db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('client_address', fields.CharField(default='', max_length=64)),
            ],
            options={'table': 'acct_session', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SetPasswordToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('user', fields.ForeignKeyField('models.StaffUser', source_field='user_id', db_constraint=True, to_field='id', related_name='set_password_tokens', on_delete=OnDelete.CASCADE)),
                ('created_by', fields.ForeignKeyField('models.StaffUser', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'acct_set_password_token', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Unit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=64)),
                ('kind', fields.CharEnumField(description='NATIONAL_NODAL: national_nodal\nSTATE_NODAL: state_nodal\nDEPARTMENT: department\nDIRECTORATE: directorate\nDISTRICT: district\nCIRCLE: circle\nSUB_DIVISION: sub_division\nBLOCK: block\nOFFICE: office\nCELL: cell\nCALL_CENTRE: call_centre', enum_type=UnitKind, max_length=32)),
                ('parent', fields.ForeignKeyField('models.Unit', source_field='parent_id', null=True, db_constraint=True, to_field='id', related_name='children', on_delete=OnDelete.RESTRICT)),
                ('path', fields.CharField(db_index=True, max_length=1024)),
                ('depth', fields.IntField(default=0)),
                ('names', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('area_codes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('search_text', fields.CharField(default='', max_length=1000)),
                ('active', fields.BooleanField(default=True)),
                ('appellate_authority', fields.ForeignKeyField('models.Unit', source_field='appellate_authority_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('merged_into', fields.ForeignKeyField('models.Unit', source_field='merged_into_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'org_unit', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EscalationLevel',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit', fields.ForeignKeyField('models.Unit', source_field='unit_id', db_constraint=True, to_field='id', related_name='escalation_levels', on_delete=OnDelete.CASCADE)),
                ('level', fields.IntField()),
                ('authority', fields.ForeignKeyField('models.Unit', source_field='authority_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'org_escalation_level', 'app': 'models', 'unique_together': (('unit', 'level'),), 'pk_attr': 'id', 'table_description': "Level N of a unit's escalation ladder names the unit that receives breaches."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Membership',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.StaffUser', source_field='user_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('unit', fields.ForeignKeyField('models.Unit', source_field='unit_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.RESTRICT)),
                ('role', fields.CharEnumField(description='CALL_CENTRE_AGENT: call_centre_agent\nCELL_OPERATOR: cell_operator\nNODAL_OFFICER: nodal_officer\nOFFICER: officer\nREVIEWER: reviewer\nHEAD: head\nESCALATION_AUTHORITY: escalation_authority\nAPPELLATE_AUTHORITY: appellate_authority\nORG_ADMIN: org_admin\nSYSTEM_ADMIN: system_admin', enum_type=Role, max_length=32)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'acct_membership', 'app': 'models', 'unique_together': (('user', 'unit', 'role'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
