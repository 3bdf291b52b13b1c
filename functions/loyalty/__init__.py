"""The till's capability: sales, returns, redemptions, balance and customer records."""
