from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0017_conflict_of_interest')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SubtreeFact',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit_id', fields.IntField()),
                ('day', fields.DateField()),
                ('metric', fields.CharField(max_length=48)),
                ('count', fields.BigIntField(default=0)),
                ('total', fields.BigIntField(default=0)),
            ],
            options={'table': 'stats_subtree_fact', 'app': 'models', 'unique_together': (('unit_id', 'day', 'metric'),), 'indexes': [Index(fields=['unit_id', 'day', 'metric', 'count', 'total'])], 'pk_attr': 'id', 'table_description': "A unit's whole subtree's daily facts (the unit's own included), without the"},
            bases=['Model'],
        ),
        # Fill it from the daily facts a deployment already has, so its dashboards stay
        # right from the first request (the same statement as
        # backend.stats.subtree.rebuild_all, frozen here as migrations are).
        ops.RunSQL(
            "INSERT INTO stats_subtree_fact (unit_id, day, metric, count, total) "
            "SELECT a.id, f.day, f.metric, SUM(f.n), SUM(f.t) FROM "
            "(SELECT unit_id, day, metric, SUM(count) AS n, SUM(total) AS t FROM stats_daily_fact "
            " GROUP BY unit_id, day, metric) f "
            "JOIN org_unit o ON o.id = f.unit_id JOIN org_unit a ON o.path LIKE a.path || '%' "
            "GROUP BY a.id, f.day, f.metric "
            "UNION ALL "
            "SELECT a.id, f.day, 'others_received', SUM(f.n), 0 FROM "
            "(SELECT unit_id, day, SUM(count) AS n FROM stats_daily_fact WHERE metric = 'received' AND category_id IN "
            " (SELECT id FROM cat_category WHERE is_others) GROUP BY unit_id, day) f "
            "JOIN org_unit o ON o.id = f.unit_id JOIN org_unit a ON o.path LIKE a.path || '%' "
            "GROUP BY a.id, f.day",
            reverse_sql="DELETE FROM stats_subtree_fact",
        ),
    ]
