"""Own real-name identity: accounts, sign-up and sign-in, tokens, names and their policy."""
