from django.apps import AppConfig


class PortingConfig(AppConfig):
    name = "townhall.porting"
    label = "porting"

    def ready(self) -> None:
        from townhall.accounts import signals
        from townhall.porting import claims

        signals.signup_email_taken.connect(claims.on_signup_email_taken,
                                           dispatch_uid="porting.claim_offer")
        signals.email_verified.connect(claims.on_email_verified,
                                       dispatch_uid="porting.claim_complete")
