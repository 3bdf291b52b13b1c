"""Monthly figures: metrics snapshots and the compensation between stores."""
