"""Per-site rate-limit overrides and the erasure policy for deleted accounts' comments."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("stories", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="site",
            name="rate_limits",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="site",
            name="erasure_policy",
            field=models.CharField(choices=[("remove", "Remove the comments"), ("anonymise", "Keep the comments without the name")], default="remove", max_length=16),
        ),
    ]
