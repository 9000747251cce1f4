from tortoise import migrations
from tortoise import fields
from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor

# The tables whose rows deadlines are computed from, and which changes count (for a
# category only its SLA overrides, and its removal).
WATCHED = {
    "sla_policy": ("INSERT", "UPDATE", "DELETE"),
    "sla_calendar": ("INSERT", "UPDATE", "DELETE"),
    "sla_unit_holiday": ("INSERT", "UPDATE", "DELETE"),
    "cat_category": ("INSERT", "UPDATE OF sla_overrides", "DELETE"),
}

PG_BUMP = ("INSERT INTO sla_config_version (id, token) VALUES (1, (random() * 9e15)::bigint + 1) "
           "ON CONFLICT (id) DO UPDATE SET token = excluded.token;")
PG_FUNCTION = f"CREATE FUNCTION sla_config_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {PG_BUMP} RETURN NULL; END $$"
SQLITE_BUMP = ("INSERT INTO sla_config_version (id, token) VALUES (1, abs(random()) + 1) "
               "ON CONFLICT (id) DO UPDATE SET token = excluded.token;")


def _name(table: str, event: str) -> str:
    return f"sla_config_bump_{table}_{event.split()[0].lower()}"


async def forward(apps: object, schema_editor: BaseSchemaEditor) -> None:
    client = schema_editor.client
    # A token from the start: a database upgraded with its policies in place has one too.
    await client.execute_script(PG_BUMP if client.capabilities.dialect == "postgres" else SQLITE_BUMP)
    if client.capabilities.dialect == "postgres":
        await client.execute_script(PG_FUNCTION)
        for table, events in WATCHED.items():
            await client.execute_script(
                f"CREATE TRIGGER sla_config_bump_{table} AFTER {' OR '.join(events)} OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION sla_config_bump()")
    else:
        for table, events in WATCHED.items():
            for event in events:
                await client.execute_script(
                    f"CREATE TRIGGER {_name(table, event)} AFTER {event} ON {table} BEGIN {SQLITE_BUMP} END")


async def backward(apps: object, schema_editor: BaseSchemaEditor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        for table in WATCHED:
            await client.execute_script(f"DROP TRIGGER IF EXISTS sla_config_bump_{table} ON {table}")
        await client.execute_script("DROP FUNCTION IF EXISTS sla_config_bump()")
    else:
        for table, events in WATCHED.items():
            for event in events:
                await client.execute_script(f"DROP TRIGGER IF EXISTS {_name(table, event)}")


class Migration(migrations.Migration):
    dependencies = [('models', '0019_lookup_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SlaConfigVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token', fields.BigIntField(default=0)),
            ],
            options={'table': 'sla_config_version', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A token that changes whenever anything deadlines are computed from changes:'},
            bases=['Model'],
        ),
        ops.RunPython(forward, backward),
    ]
