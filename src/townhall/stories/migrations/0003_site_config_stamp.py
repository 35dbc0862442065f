"""The site's configuration stamp, under which processes cache what posting reads."""

from django.db import migrations, models

import townhall.stories.models


class Migration(migrations.Migration):

    dependencies = [
        ("stories", "0002_site_rate_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="site",
            name="config_stamp",
            field=models.CharField(default=townhall.stories.models.config_stamp_new,
                                   editable=False, max_length=16),
        ),
    ]
