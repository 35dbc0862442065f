"""Owns the public transparency report: per site and month, in English and French, what was
received, published, held and rejected, who decided (people, rules, the model), appeals and
how fast — with charts drawn as inline SVG on the server."""
