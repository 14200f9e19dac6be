"""Anchoring: each annotation attached to the one passage of its story it quotes;
every quotation of the story found; the passages wrapped in the token stream."""
