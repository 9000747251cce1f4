from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0021_sweep_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SubtreeStock',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit_id', fields.IntField()),
                ('filed_day', fields.DateField()),
                ('count', fields.BigIntField(default=0)),
            ],
            options={'table': 'stats_subtree_stock', 'app': 'models', 'unique_together': (('unit_id', 'filed_day'),), 'pk_attr': 'id', 'table_description': "A unit's whole subtree's pending stock (the unit's own included) per filing day,"},
            bases=['Model'],
        ),
        # Fill it from the pending stock a deployment already has, so its dashboards stay
        # right from the first request (the statement of
        # backend.stats.subtree.rebuild_all for the stock, frozen here as migrations are).
        ops.RunSQL(
            "INSERT INTO stats_subtree_stock (unit_id, filed_day, count) "
            "SELECT a.id, s.filed_day, SUM(s.n) FROM "
            "(SELECT unit_id, filed_day, SUM(count) AS n FROM stats_pending_stock WHERE count <> 0"
            " GROUP BY unit_id, filed_day) s "
            "JOIN org_unit o ON o.id = s.unit_id JOIN org_unit a ON o.path LIKE a.path || '%' "
            "GROUP BY a.id, s.filed_day",
            reverse_sql="DELETE FROM stats_subtree_stock",
        ),
    ]
