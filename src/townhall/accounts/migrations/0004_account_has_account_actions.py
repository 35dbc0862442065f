"""Mark the accounts a moderator has acted on, so posting can skip the sanctions lookup."""

from typing import Any

from django.db import migrations, models


def mark(apps: Any, schema_editor: Any) -> None:
    account = apps.get_model("accounts", "Account")
    action = apps.get_model("moderation", "AccountAction")
    account.objects.filter(
        pk__in=action.objects.values("account_id")).update(has_account_actions=True)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_name_history_and_sso"),
        ("moderation", "0002_guidelines_settings_reports_appeals_actions"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="has_account_actions",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
