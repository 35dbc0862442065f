"""Account security: deletion grace period, TOTP two-factor, hashed session addresses."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="deletion_requested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="account",
            name="totp_secret",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="account",
            name="totp_enabled",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="account",
            name="totp_last_step",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="sessiontoken",
            name="address_digest",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
    ]
