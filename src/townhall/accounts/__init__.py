"""Own real-name identity: accounts, sign-up and sign-in, tokens, the name policy, each account's
name history (changes, approvals, doubts), youth handles and publisher sign-in (SSO)."""
